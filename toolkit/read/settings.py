"""Read ``设置.xlsx`` (spec/settings.md) into a ``Settings``.

A missing file, sheet, row or cell means the built-in default. A bad value becomes one S501
warning naming the sheet and cell, and the default is used: the run always goes on. An
unreadable or password-protected file is one S501 finding and every default.

Item sheets (基本信息, 办理时限, 阈值, 报送, 议事会) are read by the label in column A, so staff
may reorder rows; table sheets (小区, 诉求类别, 巡访频次, 值班人员, 节假日 …) by the header row
(the first of the first five rows holding one of the sheet's headers; else row 1), columns
by header name, else by position. Labels and headers are compared as ledger headers are
(``normalise_header``: 高龄年龄（岁） is 高龄年龄), with the aliases of ``schema``; a label or
header that is not recognised is S501 when its values would otherwise be dropped. All labels
come from ``toolkit.schema``.
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from toolkit import schema
from toolkit.model import Finding, Text, column_letter, finding
from toolkit.read import normalise as nz
from toolkit.read.files import (has_settings_sheets, is_settings_name, names_settings,
                                 settings_sheet_names, sniff, zip_problem)
from toolkit.read.headers import normalise_header
from toolkit.read.sheets import CellError, open_book, put_errors, sheet_marks, xlsx_meta
from toolkit.settings import Category, DutyStaff, FeeStandard, RoomSetting, Settings, Thresholds

MAX_ROWS, MAX_COLS = 2000, 12       # settings sheets are small; never read more
HEADER_SCAN = 5
ANY_YEAR = date(2000, 1, 1)         # holiday dates must carry their year (checked below)
_DEFAULT = Settings()
_DEFAULT_CATEGORY = Category("")
_DEFAULT_DUTY = DutyStaff("")
_THRESHOLD_ATTRS = {attr for _, attr, _ in schema.SET_THRESHOLD_ROWS}
# item rows counted in working days (办理时限 sheet, 议事会 登记时限)
_WORKDAY_ATTRS = {attr for _, attr, _ in schema.SET_LIMIT_ROWS} | {"council_register_days"}
# a number of days: bare, or with the column's unit (每周1次 and 5小时 are no number of days)
_RE_DAYS = re.compile(r"(\d+)(?:\.0+)?(?:天|日)?")
_RE_WORKDAYS = re.compile(r"(\d+)(?:\.0+)?(?:天|日|个?工作日)?")
# 周检查时间: a weekday (每周一, 星期一, 礼拜一, 周1) before or after a time of day as ledgers.md
# reads one (08:30, 8点半, 上午8:30, 下午2点)
_RE_WEEKDAY = re.compile(r"每?(?:周|星期|礼拜)(?P<d>[一二三四五六日天1-7])")
_RE_YEAR = re.compile(r"\d{4}")
_RE_PRICE_PER = re.compile(r"(.*?\d.*?)\s*/\s*每?(" + "|".join(schema.FEE_UNITS) + r")")


def _price_per_unit(raw: Any) -> tuple[Any, str | None]:
    """A 标准价 written with its unit (``12元/份``, ``25/小时``): the price and the unit; any
    other value as it is, with no unit."""
    if isinstance(raw, str):
        m = _RE_PRICE_PER.fullmatch(_key(raw))
        if m:
            return m[1], m[2]
    return raw, None
_NOTE_KEYS = frozenset(normalise_header(w) for w in schema.SET_NOTE_WORDS)
_ITEM_HEAD_KEYS = frozenset(normalise_header(w) for w in (schema.SET_ITEM, schema.SET_VALUE)) | _NOTE_KEYS


def read_settings(path: Path | None, *, as_of: date | None = None) -> tuple[Settings, list[Finding]]:
    """Settings from ``path`` (None or missing → defaults) and the S501 findings on bad cells.

    ``as_of`` is accepted for symmetry with the readers; holiday dates must carry a year, so
    nothing here depends on it."""
    if path is None or not Path(path).exists():
        return Settings(), []
    reader = _Reader(Path(path).name)
    sheets = reader.open(Path(path))
    if sheets is None:
        return Settings(unreadable_workbook=True), reader.findings
    settings = reader.settings(sheets)
    return settings, reader.findings


def find_settings(folder: Path) -> Path | None:
    """The settings workbook of a workspace folder: ``设置.xlsx``; without one, the workbook a
    clerk's save or copy made of it (``设置.xls``, ``设置.ods``, ``设置(1).xlsx``, ``设置 - 副本.xlsx``),
    the most recently saved if several. None: built-in defaults."""
    folder = Path(folder)
    exact = folder / schema.SETTINGS_FILE
    if exact.is_file():
        return exact
    try:
        found = [p for p in folder.iterdir()
                 if is_settings_name(p.name) and not p.name.startswith((".", "~$")) and p.is_file()]
    except OSError:
        return None
    if not found:
        return _named_settings(folder)
    return max(found, key=lambda p: (p.stat().st_mtime, p.name))


def _named_settings(folder: Path) -> Path | None:
    """Without 设置.xlsx or a copy of it: the one workbook whose name holds 设置 (``莘泽居民区设置.xlsx``,
    ``设置表.xlsx``) and whose sheets are the settings workbook's — 基本信息 and another of its
    sheets, and no other sheet with anything in it, so never a ledger. Two such: neither (which
    one is meant is a guess); each is then an F003 saying it looks like the settings."""
    try:
        named = sorted(p for p in folder.iterdir() if names_settings(p.name) and p.is_file())
    except OSError:
        return None
    like = [p for p in named if _sheets_are_settings(p)]
    return like[0] if len(like) == 1 else None


def _sheets_are_settings(path: Path) -> bool:
    reader = _Reader(path.name)
    try:
        sheets = reader.open(path)
    except Exception:  # noqa: BLE001 - a file that cannot be opened is no settings workbook
        return False
    if not sheets:
        return False
    filled = [name for name, rows in sheets.values()
              if any(v not in (None, "") for row in rows for v in row)]
    return has_settings_sheets(filled) and len(settings_sheet_names(filled)) == len(filled)


# ---------------------------------------------------------------------------------------
# cells

@dataclass(frozen=True)
class _Cell:
    sheet: str
    row: int            # Excel row number
    col: int            # 0-based
    header: str         # the row label or column header
    raw: Any

    @property
    def letter(self) -> str:
        return column_letter(self.col)

    @property
    def blank(self) -> bool:
        return nz.is_empty(self.raw)

    @property
    def absent(self) -> bool:
        """The sheet has no column for this cell (its header is missing)."""
        return self.col < 0


def _key(text: Any) -> str:
    """A label as compared: NFKC, no spaces."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def _names(labels, aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Compared label (``normalise_header``) -> index in ``labels``, aliases included."""
    found: dict[str, int] = {}
    for i, label in enumerate(labels):
        for name in (label,) + aliases.get(label, ()):
            found.setdefault(normalise_header(name), i)
    return found


def _show(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    return "" if raw is None else str(raw).strip()


@dataclass
class _Reader:
    file: str
    findings: list[Finding] = field(default_factory=list)

    # -- opening -------------------------------------------------------------------------
    def open(self, path: Path) -> dict[str, list[tuple]] | None:
        """Every sheet's rows (values only), keyed by normalised sheet name; None if unreadable."""
        sniffed = sniff(path, self.file)
        if sniffed.fmt in ("xls", "ods"):
            return self._book(path, sniffed.fmt, sniffed.data)     # saved as .xls/.ods
        if sniffed.fmt != "xlsx":
            return self._unreadable(Text("；".join(f.message.zh for f in sniffed.findings) or "不是 .xlsx 工作簿",
                                         "; ".join(f.message.en for f in sniffed.findings)
                                         or "not an .xlsx workbook"))
        try:
            with zipfile.ZipFile(path) as zf:
                unsafe = zip_problem(zf, self.file)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            return self._unreadable(str(exc))
        if unsafe is not None:
            return self._unreadable(unsafe.message)
        try:
            return _load(path)
        except Exception as exc:  # noqa: BLE001 - an unreadable settings file is a finding
            return self._unreadable(f"{type(exc).__name__}: {exc}", variant="corrupt")

    def _book(self, path: Path, fmt: str, data: bytes | None) -> dict[str, tuple[str, list[tuple]]] | None:
        """An .xls/.ods settings workbook, through the ledgers' reading layer."""
        try:
            book = open_book(path, fmt, self.file, data)
        except Exception as exc:  # noqa: BLE001 - an unreadable settings file is a finding
            return self._unreadable(f"{type(exc).__name__}: {exc}", variant="corrupt")
        if book.grids is None:
            return self._unreadable(Text("；".join(f.message.zh for f in book.findings) or "无法读取",
                                         "; ".join(f.message.en for f in book.findings) or "unreadable"))
        sheets: dict[str, tuple[str, list[tuple]]] = {}
        for grid in book.grids:
            rows = [tuple(map(_cell_value, row[:MAX_COLS])) for row in grid.rows[:MAX_ROWS]]
            sheets.setdefault(_key(grid.name), (grid.name, rows))
        return sheets

    def _unreadable(self, why: Any, variant: str = "unreadable") -> None:
        """S501 for the whole file; ``why`` says why (a phrase, or the sniffing findings');
        variant ``corrupt``: the workbook would not load (``why``: the error, shown in English)."""
        self.findings.append(finding("S501", file=self.file, variant=variant,
                                     params={"file": self.file, "why": why}))
        return None

    def bad(self, cell: _Cell, expected: str, default: Any, *, ignored: bool = False,
            why: tuple[str, dict[str, Any]] | None = None) -> None:
        """One S501 naming the sheet and cell; says what is used instead (the default, blank,
        or the row is ``ignored``). ``why``: (variant, params) of codes.py's S501 templates
        when the value is wrong for another reason than its form, or partly used."""
        params = {"sheet": cell.sheet, "cell": f"{cell.letter}{cell.row}", "header": cell.header}
        if why:
            variant, more = why
            params.update(more)
        else:
            variant = "invalid" + ("_ignored" if ignored else "" if _show(default) else "_blank")
            params.update(shown=_show(cell.raw), expected=Text(*schema.SET_BAD_VALUE[expected]),
                          default=_show(default))
        self.findings.append(finding(
            "S501", file=self.file, sheet=cell.sheet, row=cell.row, column=cell.letter,
            header=cell.header, value=cell.raw, variant=variant, params=params))

    # -- the whole workbook ----------------------------------------------------------------
    def settings(self, sheets: dict[str, list[tuple]]) -> Settings:
        def rows(name: str) -> tuple[str, list[tuple]] | None:
            key = _key(name)
            return (sheets[key][0], sheets[key][1]) if key in sheets else None

        changes: dict[str, Any] = {}
        thresholds: dict[str, Any] = {}
        for sheet, spec in ((schema.SET_BASIC, schema.SET_BASIC_ROWS),
                            (schema.SET_LIMITS, schema.SET_LIMIT_ROWS),
                            (schema.SET_THRESHOLDS, schema.SET_THRESHOLD_ROWS),
                            (schema.SET_REPORTING, schema.SET_REPORTING_ROWS),
                            (schema.SET_COUNCIL, schema.SET_COUNCIL_ROWS)):
            found = rows(sheet)
            if found is None:
                continue
            for attr, value in self.items(found[0], found[1], spec).items():
                (thresholds if attr in _THRESHOLD_ATTRS else changes)[attr] = value
        if "schedule" in changes:
            changes["schedule_weekday"], changes["schedule_time"] = changes.pop("schedule")
        if thresholds:
            changes["thresholds"] = replace(Thresholds(), **thresholds)
        for sheet, method, attr in ((schema.SET_ESTATES, self.estates, "estates"),
                                    (schema.SET_CATEGORIES, self.categories, "categories"),
                                    (schema.SET_INTERVALS, self.intervals, "intervals"),
                                    (schema.SET_DUTY, self.duty, "duty"),
                                    (schema.SET_HOLIDAYS, self.holidays, "holidays"),
                                    (schema.SET_FEES, self.fees, "fees"),        # issue #17
                                    (schema.SET_ROOMS, self.rooms, "rooms")):
            found = rows(sheet)
            if found is not None:
                value = method(*found)
                if value is not None:
                    changes[attr] = value
        return replace(Settings(), **changes)

    # -- item sheets -----------------------------------------------------------------------
    def items(self, sheet: str, rows: list[tuple], spec) -> dict[str, Any]:
        """Label in column A, value in column B; rows found by label. A label entered twice:
        the first row holding a good value is used, another row with a different value is
        S501 naming it (blank rows do not count). A label that is no setting of this sheet,
        with a value beside it, is S501 (the row is not read)."""
        names = _names([label for label, _, _ in spec], schema.SET_LABEL_ALIASES)
        filled: dict[int, list[_Cell]] = {}
        for r, row in enumerate(rows, start=1):
            key = normalise_header(row[0]) if row else ""
            at = names.get(key)
            if at is None:
                if key and key not in _ITEM_HEAD_KEYS and len(row) > 1 and not nz.is_empty(row[1]):
                    self.bad(_Cell(sheet, r, 0, schema.SET_ITEM, row[0]), "text", None, ignored=True,
                             why=("unknown_item", {"shown": _show(row[0]), "allowed": _list(
                                 [label for label, _, _ in spec])}))
                continue
            cell = _Cell(sheet, r, 1, spec[at][0], row[1] if len(row) > 1 else None)
            if not cell.blank:
                filled.setdefault(at, []).append(cell)
        values: dict[str, Any] = {}
        for at, cells in sorted(filled.items()):
            attr = spec[at][1]
            quiet, said = [], []
            for cell in cells:
                reader = _Reader(self.file)
                quiet.append(reader.item(cell, attr))
                said.append(reader.findings)
            good = [i for i, value in enumerate(quiet) if value is not None and not said[i]]
            if not good:          # none good: each row's S501 stands, the first usable value is used
                for found in said:
                    self.findings.extend(found)
                usable = [value for value in quiet if value is not None]
                if usable:
                    values[attr] = usable[0]
                continue
            used = good[0]
            values[attr] = quiet[used]
            for i, cell in enumerate(cells):
                if i != used and quiet[i] != quiet[used]:
                    self.bad(cell, "text", None, ignored=True, why=("duplicate_item", {
                        "label": cell.header, "used": f"{cells[used].letter}{cells[used].row}",
                        "first": _show(cells[used].raw), "shown": _show(cell.raw)}))
        return values

    def item(self, cell: _Cell, attr: str) -> Any:
        if attr in ("committee", "town", "reporter", "reporter_phone", "council_recorder"):
            return nz.normalise_text(cell.raw)
        if attr == "schedule":
            return self.schedule(cell)
        if attr == "mask":
            parsed = nz.parse_bool(cell.raw)
            if parsed.value is None:
                self.bad(cell, "bool", schema.BOOL_CHOICES[0] if _DEFAULT.mask else schema.BOOL_CHOICES[1])
            return parsed.value
        if attr == "period":
            word = _key(cell.raw)
            word = schema.PERIOD_ALIASES.get(word, word)
            if word not in schema.PERIODS:
                default = {v: k for k, v in schema.PERIODS.items()}[_DEFAULT.period]
                self.bad(cell, "period", default)
                return None
            return schema.PERIODS[word]
        if attr == "council_frequency":
            word = _key(cell.raw)
            word = schema.COUNCIL_FREQUENCY_ALIASES.get(word, word)
            if word not in schema.COUNCIL_FREQUENCIES:
                default = {v: k for k, v in schema.COUNCIL_FREQUENCIES.items()}[_DEFAULT.council_frequency]
                self.bad(cell, "council_frequency", default)
                return None
            return schema.COUNCIL_FREQUENCIES[word]
        default = getattr(_DEFAULT.thresholds if attr in _THRESHOLD_ATTRS else _DEFAULT, attr)
        if attr in _WORKDAY_ATTRS:
            return self.days(cell, default, workdays=True)
        return self.positive_int(cell, default)

    def days(self, cell: _Cell, default: Any, *, workdays: bool) -> int | None:
        """A positive number of days: ``7``, ``7天``, ``7日``; working-day columns also
        ``5个工作日``. Anything else (``每周1次``, ``5小时``, ``一个月``) is S501."""
        raw = cell.raw
        value = None
        if isinstance(raw, bool):
            value = None
        elif isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        elif isinstance(raw, str):
            m = (_RE_WORKDAYS if workdays else _RE_DAYS).fullmatch(_key(raw))
            value = int(m[1]) if m else None
        if value is None or value <= 0:
            self.bad(cell, "workday_count" if workdays else "day_count", default)
            return None
        return value

    def positive_int(self, cell: _Cell, default: Any) -> int | None:
        parsed = nz.parse_int(cell.raw)
        if parsed.value is None or parsed.value <= 0:
            self.bad(cell, "int", default)
            return None
        return parsed.value

    def schedule(self, cell: _Cell) -> tuple[int, time] | None:
        """周检查时间: ``周一 08:30``; also 每周一 8点半, 星期三 上午9:30, 周二 下午2点, 周日 (time
        08:30), 08:30 (Monday), an Excel time. When only the time is unreadable, the weekday
        written is kept with 08:30 (S501 says so)."""
        weekday, at = _DEFAULT.schedule_weekday, _DEFAULT.schedule_time
        raw = cell.raw
        if isinstance(raw, time):
            return weekday, raw.replace(second=0, microsecond=0)
        if isinstance(raw, datetime) and raw.year < 1901 or type(raw) is float and 0 < raw < 1:
            clock = nz.parse_time(raw).value          # a time cell read as a date or a number
            if clock is not None and clock.minutes < 24 * 60:
                return weekday, time(clock.minutes // 60, clock.minutes % 60)
        if not isinstance(raw, str):
            self.bad(cell, "schedule", f"{schema.WEEKDAY_NAMES[weekday]} {at:%H:%M}")
            return None
        text = _key(raw)
        day = _RE_WEEKDAY.match(text) or _RE_WEEKDAY.search(text)
        if day is not None and (day.start() and day.end() != len(text)
                                or len(_RE_WEEKDAY.findall(text)) > 1):
            day = None          # a weekday in the middle, or two: not ours to guess (S501)
        rest = text
        if day is not None:
            weekday = schema.WEEKDAY_CHARS[day["d"]]
            rest = text[:day.start()] + text[day.end():]
        clock = nz.parse_time(rest).value if rest else None
        if rest and (clock is None or clock.minutes >= 24 * 60):
            default = f"{schema.WEEKDAY_NAMES[weekday]} {at:%H:%M}"
            if day is None:
                self.bad(cell, "schedule", default)
                return None
            self.bad(cell, "schedule", default, why=("schedule_time", {
                "shown": _show(raw), "expected": Text(*schema.SET_BAD_VALUE["schedule"]), "used": default}))
            return weekday, at
        if clock is not None:
            at = time(clock.minutes // 60, clock.minutes % 60)
        return weekday, at

    # -- table sheets ----------------------------------------------------------------------
    def table(self, sheet: str, rows: list[tuple], headers: tuple[str, ...]) -> list[list[_Cell]]:
        """Data rows (blank rows dropped) as cells in the order of ``headers``; a column whose
        header is missing gives ``absent`` cells."""
        names = _names(headers, schema.SET_HEADER_ALIASES)
        head_at, cols = 0, list(range(len(headers)))
        for r, row in enumerate(rows[:HEADER_SCAN]):
            found = [normalise_header(v) for v in row]
            if any(k in names for k in found):
                head_at = r
                cols = [None] * len(headers)
                for c, k in enumerate(found):
                    if k in names and cols[names[k]] is None:
                        cols[names[k]] = c
                self.unknown_columns(sheet, rows, head_at, found, headers, cols, names)
                break
        out = []
        for r, row in enumerate(rows[head_at + 1:], start=head_at + 2):
            cells = [_Cell(sheet, r, c if c is not None else -1, h,
                           row[c] if c is not None and c < len(row) else None)
                     for h, c in zip(headers, cols)]
            if all(c.blank for c in cells):
                continue
            out.append(cells)
        return out

    def unknown_columns(self, sheet: str, rows: list[tuple], head_at: int, found: list[str],
                        headers: tuple[str, ...], cols: list[int | None], names: dict[str, int]) -> None:
        """S501 on each unrecognised header with values below it when one of the sheet's
        columns is missing: its values would be dropped (a renamed 办理时限 column, say)."""
        missing = [h for h, c in zip(headers, cols) if c is None and h not in schema.SET_INFO_HEADERS]
        if not missing:
            return
        for c, k in enumerate(found):
            if not k or k in names or k in _NOTE_KEYS:
                continue
            if all(len(row) <= c or nz.is_empty(row[c]) for row in rows[head_at + 1:]):
                continue
            self.bad(_Cell(sheet, head_at + 1, c, schema.SET_HEADER_ROW, rows[head_at][c]), "text", None,
                     ignored=True, why=("unknown_column", {
                         "shown": _show(rows[head_at][c]), "missing": _list(missing),
                         "allowed": _list(headers)}))

    def estates(self, sheet: str, rows: list[tuple]) -> tuple[str, ...] | None:
        names: list[str] = []
        for (cell,) in self.table(sheet, rows, schema.SET_ESTATE_HEADERS):
            name = nz.normalise_text(cell.raw)
            if name and name not in names:
                names.append(name)
        return tuple(names)

    def categories(self, sheet: str, rows: list[tuple]) -> tuple[Category, ...] | None:
        found: list[Category] = []
        for name_cell, owner_cell, follower_cell, limit_cell in self.table(
                sheet, rows, schema.SET_CATEGORY_HEADERS):
            name = nz.normalise_text(name_cell.raw)
            if not name:
                self.bad(name_cell, "int", None, ignored=True,
                         why=("no_category_name", {}))
                continue
            if any(c.name == name for c in found):
                self.bad(name_cell, "int", None, ignored=True,
                         why=("duplicate_category", {"name": name}))
                continue
            limit = _DEFAULT_CATEGORY.limit_days if limit_cell.absent else None
            if not limit_cell.blank:
                limit = self.days(limit_cell, _DEFAULT_CATEGORY.limit_days, workdays=True)
                if limit is None:
                    limit = _DEFAULT_CATEGORY.limit_days
            found.append(Category(name, nz.normalise_text(owner_cell.raw) or "", limit,
                                  nz.normalise_text(follower_cell.raw) or ""))
        return tuple(found) or None

    def intervals(self, sheet: str, rows: list[tuple]) -> dict[str, int] | None:
        intervals = dict(_DEFAULT.intervals)
        for tier_cell, _condition, days_cell in self.table(sheet, rows, schema.SET_INTERVAL_HEADERS):
            tier = _key(tier_cell.raw).upper().removesuffix("级")
            if tier not in schema.TIERS:
                self.bad(tier_cell, "tier", None, ignored=True)
                continue
            if days_cell.blank:
                continue
            value = self.days(days_cell, _DEFAULT.intervals[tier], workdays=False)
            if value is not None:
                intervals[tier] = value
        return intervals

    def duty(self, sheet: str, rows: list[tuple]) -> tuple[DutyStaff, ...] | None:
        staff: list[DutyStaff] = []
        for name_cell, phone_cell, days_cell in self.table(sheet, rows, schema.SET_DUTY_HEADERS):
            name = nz.normalise_text(name_cell.raw)
            if not name:
                self.bad(name_cell, "int", None, ignored=True,
                         why=("no_name", {}))
                continue
            days = _DEFAULT_DUTY.days
            if not days_cell.blank:
                parsed = nz.parse_days(days_cell.raw)
                if parsed.value is None:
                    self.bad(days_cell, "days", days.text)
                else:
                    days = parsed.value
            staff.append(DutyStaff(name, nz.normalise_code(phone_cell.raw) or "", days))
        return tuple(staff)

    def holidays(self, sheet: str, rows: list[tuple]) -> dict[date, bool] | None:
        days: dict[date, bool] = {}
        for date_cell, type_cell in self.table(sheet, rows, schema.SET_HOLIDAY_HEADERS):
            day = self.holiday_date(date_cell)
            word = _key(type_cell.raw)
            word = schema.HOLIDAY_TYPE_ALIASES.get(word, word)
            if word not in schema.HOLIDAY_TYPES:
                if day is not None:          # one finding a row is enough
                    self.bad(type_cell, "holiday_type", None, ignored=True)
                continue
            if day is None:
                continue
            work = schema.HOLIDAY_TYPES[word]
            if day in days and days[day] != work:
                self.bad(type_cell, "holiday_type", None, ignored=True,
                         why=("holiday_twice", {"day": day.isoformat(), "before": _type_word(days[day]),
                                                "word": word}))
                continue
            days[day] = work
        return dict(sorted(days.items()))

    def holiday_date(self, cell: _Cell) -> date | None:
        raw = cell.raw
        has_year = not isinstance(raw, str) or _RE_YEAR.search(unicodedata.normalize("NFKC", raw))
        parsed = nz.parse_date(raw, as_of=ANY_YEAR) if has_year else None
        if parsed is None or parsed.value is None or nz.is_month_only(raw):
            self.bad(cell, "date", None, ignored=True)
            return None
        return parsed.value

    # -- 收费标准 and 活动室 (issue #17) ------------------------------------------------------
    def fees(self, sheet: str, rows: list[tuple]) -> tuple[FeeStandard, ...] | None:
        """收费标准: one published price a row; a row with a bad cell is ignored (S501).
        No data rows = no sheet (fees are not checked)."""
        from toolkit.read.normalise import parse_money
        found: list[FeeStandard] = []
        for item_c, provider_c, unit_c, price_c, date_c in self.table(sheet, rows,
                                                                      schema.SET_FEE_HEADERS):
            item = nz.normalise_text(item_c.raw)
            if item not in schema.SERVICE_ITEMS:
                self.bad(item_c, "text", None, ignored=True, why=("service_item", {
                    "shown": _show(item_c.raw),
                    "allowed": Text("、".join(schema.SERVICE_ITEMS), ", ".join(schema.SERVICE_ITEMS))}))
                continue
            price_raw, per = _price_per_unit(price_c.raw)      # 12元/份: the unit in the price
            unit = _key(unit_c.raw).removeprefix("每").removeprefix("元/")
            if per is not None and (unit_c.blank or unit == per):
                unit = per
            elif per is not None:                       # 12元/份 beside 计价单位 小时: which?
                self.bad(unit_c, "unit", None, ignored=True)
                continue
            if unit not in schema.FEE_UNITS:
                self.bad(unit_c, "unit", None, ignored=True)
                continue
            price = parse_money(price_raw).value if not price_c.blank else None
            if price is None:
                self.bad(price_c, "money", None, ignored=True)
                continue
            published = self.holiday_date(date_c) if not date_c.blank else None
            if published is None:
                if date_c.blank:
                    self.bad(date_c, "date", None, ignored=True, why=("no_publication_date", {}))
                continue
            found.append(FeeStandard(item, nz.normalise_text(provider_c.raw) or "", unit, price,
                                     published, item_c.row))
        return tuple(found) or None

    def rooms(self, sheet: str, rows: list[tuple]) -> tuple[RoomSetting, ...] | None:
        """活动室: one room a row. No data rows = no sheet (room checks off)."""
        from toolkit.read.normalise import parse_time_range
        found: list[RoomSetting] = []
        for name_c, estate_c, alias_c, days_c, hours_c, cap_c in self.table(
                sheet, rows, schema.SET_ROOM_HEADERS):
            name = nz.normalise_text(name_c.raw)
            if not name:
                self.bad(name_c, "text", None, ignored=True, why=("no_room_name", {}))
                continue
            estate = nz.normalise_text(estate_c.raw) or ""
            if any(r.name == name and r.estate == estate for r in found):
                self.bad(name_c, "text", None, ignored=True, why=("duplicate_room", {"name": name}))
                continue
            aliases = nz.parse_multi(alias_c.raw).value or ()
            days, workdays, holidays_off = None, False, False
            if not days_c.blank:
                parsed = nz.parse_days(days_c.raw).value     # 工作日: the calendar, as 值班日
                if parsed is None:
                    self.bad(days_c, "days", "每天")
                else:
                    days, workdays, holidays_off = parsed.weekdays, parsed.workdays, parsed.holidays_off
                    if days == frozenset(range(7)):
                        days, workdays = None, False          # every day
            hours = schema.DEFAULT_OPEN_HOURS
            if not hours_c.blank:
                parts = [p for p in re.split(r"[、,，;；/]+", str(hours_c.raw)) if p.strip()]
                ranges = [parse_time_range(p).value for p in parts]
                if not ranges or any(r is None or r.all_day for r in ranges):
                    self.bad(hours_c, "time_range", "08:30-20:30")
                else:
                    hours = tuple(sorted((r.start, r.end) for r in ranges))
            capacity = None
            if not cap_c.blank:
                capacity = self.positive_int(cap_c, None)
            found.append(RoomSetting(name, estate, tuple(aliases), days, workdays, hours,
                                     capacity, name_c.row, holidays_off))
        return tuple(found) or None


def _list(labels) -> Text:
    return Text("、".join(labels), ", ".join(labels))


def _type_word(work: bool) -> str:
    return next(k for k, v in schema.HOLIDAY_TYPES.items() if v == work)


def _load(path: Path) -> dict[str, tuple[str, list[tuple]]]:
    """normalised sheet name -> (sheet name, rows of values); cached values, worksheets only.

    Read with python-calamine like the ledgers (importing openpyxl alone cost ~0.27 s of every
    run); values are given as openpyxl gave them (see ``_cell_value``)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    errors = _error_texts(path)
    wb = CalamineWorkbook.from_path(str(path))
    try:
        sheets: dict[str, tuple[str, list[tuple]]] = {}
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            grid = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            put_errors(grid, errors.get(meta.name, {}))
            rows = [tuple(map(_cell_value, row[:MAX_COLS])) for row in grid[:MAX_ROWS]]
            sheets.setdefault(_key(meta.name), (meta.name, rows))
        return sheets
    finally:
        wb.close()


def _error_texts(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet, the cells showing #N/A, #REF! … (calamine reads them as empty; openpyxl gave
    the text, which the settings reader reports as a bad value)."""
    with zipfile.ZipFile(path) as zf:
        _, parts = xlsx_meta(zf)
        marks = {name: sheet_marks(zf, part)[1] for name, part in parts.items()}
    return {name: found for name, found in marks.items() if found}


def _cell_value(value: Any) -> Any:
    """A calamine value as openpyxl gives it: empty → None, whole numbers → int, dates →
    datetime at midnight, an error cell → its text (``#N/A``)."""
    kind = type(value)
    if kind is str:
        return value if value else None
    if kind is CellError:
        return str(value)
    if kind is float and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value
