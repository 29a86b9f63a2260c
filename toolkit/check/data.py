"""Rules: single-record data quality (D101, D103, D106, D107, D109, D111).

Parse failures (D102, D104, D105, unreadable numbers D111, unknown yes/no D109) and the D112
summary are made by the reader from ``toolkit.read.normalise``; the rules here look at values
that did parse. Keys in ``record.invalid`` are skipped: they already have a finding.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable

from toolkit import schema
from toolkit.check import rule
from toolkit.domain.context import Context
from toolkit.model import Finding, Record, Text, finding
from toolkit.text import listing
from toolkit.domain.health import DIASTOLIC_RANGE, SYSTOLIC_RANGE, bp_plausible
from toolkit.domain.people import age_at
from toolkit.domain.records import UNIQUE_ID_KINDS, repeated_ids
from toolkit.domain.requests import STAGE_KEYS, not_yet
from toolkit.read.normalise import id_birth, id_gender, is_month_only

NOT_FUTURE = schema.NOT_FUTURE_DATES      # dates that cannot lie after as-of (D103)
# plausible ranges (D111; blood pressure in toolkit.domain.health); care thresholds are in settings
MAX_AGE = 120                # above: warning
YOUNG_AGE = 60               # below, on the elderly ledger: info (重残/特殊困难 may be younger)
MAX_VISIT_HOURS = 24
AGE_TOLERANCE = 1            # D106: written age may differ by one year from the ID


_EMPTIES = frozenset((tuple, frozenset, set))


def _blank(value: Any) -> bool:
    return value is None or (not value and type(value) in _EMPTIES)


def _header(record: Record, key: str) -> str:
    cell = record.cells.get(key)
    return cell.header if cell is not None else schema.LEDGERS[record.kind].column(key).header


def _where(record: Record) -> str:
    return f"{record.file}「{record.sheet}」第{record.row}行"


def _where_en(record: Record) -> str:
    return f"{record.file} / {record.sheet} row {record.row}"


# ---------------------------------------------------------------------------------------
@rule("D101")
def required_empty(ctx: Context) -> Iterable[Finding]:
    """An always-required value is empty (only where the sheet has the column)."""
    for kind, ledger in schema.LEDGERS.items():
        required = ledger.required_keys
        # a row can only be reported with a blank required value, a blank first column of a
        # one-of group, or (volunteers) a blank 证书有效期
        blanks = [*required, *(group[0] for group in ledger.one_of)] \
            + (["certificate_expiry"] if kind == "volunteers" else [])
        ticks = _tick_columns(ctx, kind, required)
        for r in ctx.columns.where(kind, dict.fromkeys(blanks, _blank)):
            values = r.values                 # a filled value first: the usual row ends here
            for key in required:
                value = values.get(key)
                if (value is None or not value and type(value) in _EMPTIES) \
                        and key in r.cells and key not in r.invalid \
                        and (r.file, r.sheet, key) not in ticks:
                    yield finding("D101", record=r, key=key, params={"header": _header(r, key)})
            if kind == "volunteers":
                yield from _certificate_without_expiry(r)
            for group in ledger.one_of:
                for k in group:
                    value = values.get(k)
                    if not (value is None or not value and type(value) in _EMPTIES):
                        break
                else:
                    yield from _none_of(r, group)


def _tick_columns(ctx: Context, kind: str, required: Iterable[str]) -> set[tuple[str, str, str]]:
    """(file, sheet, key) of each required 是/否 column kept as a tick list: every filled cell
    of the sheet's column says yes (√, 是) and none says no. Its blank cells are the no's (the
    way 独居 is often ticked), not values left out: no D101 for them (they read as empty, and
    an empty 独居 already counts as not alone)."""
    keys = [k for k in required if schema.LEDGERS[kind].column(k).type == schema.BOOL]
    if not keys:
        return set()
    seen: dict[tuple[str, str, str], set[Any]] = {}
    for r in ctx.rows(kind):
        for key in keys:
            if key in r.cells:
                value = r.values.get(key)
                if value is not None or key in r.invalid:
                    seen.setdefault((r.file, r.sheet, key), set()).add(
                        value if key not in r.invalid else "invalid")
    return {where for where, values in seen.items() if values == {True}}


def _none_of(r: Record, group: tuple[str, ...]) -> Iterable[Finding]:
    """D101 for a row where every column of a one-of group (老人编号/老人姓名) is empty."""
    present = [k for k in group if k in r.cells]
    if present and not any(k in r.invalid for k in group):
        yield finding("D101", record=r, key=present[0], variant="one_of",
                      params={"headers": listing(_header(r, k) for k in present)})


def _certificate_without_expiry(r: Record) -> Iterable[Finding]:
    """A certificate given with no 证书有效期 (ledgers.md: needed when a certificate is given;
    only where the sheet has the column)."""
    key = "certificate_expiry"
    if "certificate" in r.invalid or _blank(r.values.get("certificate")) \
            or key not in r.cells or key in r.invalid or not _blank(r.values.get(key)):
        return
    yield finding("D101", record=r, key=key, variant="certificate",
                  params={"certificate": r.values["certificate"], "header": _header(r, key)})


# ---------------------------------------------------------------------------------------
@rule("D103")
def date_after_as_of(ctx: Context) -> Iterable[Finding]:
    """登记/分类/分派/办结/答复/巡访 dates (and birth dates) after the as-of date."""
    def future(value: Any) -> bool:
        return isinstance(value, date) and value > ctx.as_of

    for kind, keys in NOT_FUTURE.items():
        for r in ctx.columns.where(kind, dict.fromkeys(keys, future)):
            for key in keys:
                value = r.values.get(key)
                if isinstance(value, date) and key not in r.invalid and value > ctx.as_of \
                        and r.raw(key) is not None and key not in r.filled:
                    # not a date continued from above, nor one merged down from above (it is
                    # reported on the merged cell's first row)
                    yield finding("D103", record=r, key=key, params={
                        "header": _header(r, key), "date": value, "as_of": ctx.as_of})


_GENDER_EN = {"男": "male", "女": "female"}


def _gender_text(gender: str) -> Text:
    """The ID's gender (男/女, the tool's reading, not a typed value) in each language."""
    return Text(gender, _GENDER_EN.get(gender, gender))


# ---------------------------------------------------------------------------------------
@rule("D106")
def id_disagrees(ctx: Context) -> Iterable[Finding]:
    """An elderly resident's valid ID disagrees with birth date, gender or age."""
    for r in ctx.rows("elderly"):           # every row: a cell's own check
        idnum = r.values.get("id_number")
        if not idnum or "id_number" in r.invalid:
            continue
        try:
            born = id_birth(idnum)
        except ValueError:
            continue
        zh: list[str] = []
        en: list[str] = []
        birth = r.values.get("birth")
        if isinstance(birth, date) and "birth" not in r.invalid:
            if is_month_only(r.raw("birth")):
                if (birth.year, birth.month) != (born.year, born.month):
                    zh.append(f"出生年月填的是{birth.year}年{birth.month}月")
                    en.append(f"birth month is {birth.year}-{birth.month:02d}")
            elif birth != born:
                zh.append(f"出生日期填的是{birth.isoformat()}")
                en.append(f"birth date is {birth.isoformat()}")
        gender = r.values.get("gender")
        if gender in schema.GENDERS and "gender" not in r.invalid and gender != id_gender(idnum):
            zh.append(f"性别填的是{gender}")
            en.append(f"gender is {gender}")
        age = r.values.get("age")
        expected = age_at(born, ctx.as_of)
        if isinstance(age, int) and "age" not in r.invalid and expected is not None \
                and abs(age - expected) > AGE_TOLERANCE:
            zh.append(f"年龄填的是{age}岁")
            en.append(f"age is {age}")
        if zh:
            yield finding("D106", record=r, key="id_number",
                          variant="unborn" if expected is None else None,
                          params={"born": born, "gender": _gender_text(id_gender(idnum)), "as_of": ctx.as_of,
                                  "age": expected, "but": Text("，".join(zh), ", ".join(en))})


# ---------------------------------------------------------------------------------------
@rule("D107")
def duplicate_id(ctx: Context) -> Iterable[Finding]:
    """The same 编号 on two rows of one ledger; reported on the later row, naming the first.
    "Later" is workbook order: files by relative path in natural order (9月 before 10月), then
    sheets as the workbook orders them and rows — the order the reader gives, never by name.
    The later row is set aside for every other rule (``Context.ledger``); this is its finding.
    A row struck through (删除线: deleted, docs/read.md) repeats nothing: the clerk struck it
    and wrote it again. Many repeats between two folders (``FOLDER_REPEATS``) are also one finding naming the
    folders: two 居委 without a 设置.xlsx read as one, or an old copy kept beside the ledgers."""
    apart: dict[tuple[str, str], int] = {}
    for kind in UNIQUE_ID_KINDS:
        for r, other in repeated_ids(ctx.rows(kind)):
            if r.struck or other.struck:   # a row struck through is deleted (docs/read.md):
                continue                   # struck and written again below is no duplicate
            yield finding("D107", record=r, key="id", params={
                "id": r.values.get("id"), "other": Text(_where(other), _where_en(other)),
                "other_row": other.row})
            folders = _folders_apart(other.file, r.file)
            if folders is not None:
                apart[folders] = apart.get(folders, 0) + 1
    for (a, b), n in sorted(apart.items()):
        if n >= FOLDER_REPEATS:
            yield finding("D107", variant="folders", severity="warning",
                          file=f"{a.rsplit('/', 1)[0]}/" if "/" in a else None,
                          params={"a": a, "b": b, "n": n})


FOLDER_REPEATS = 10     # ids repeated between two folders before D107 names the folders


def _folders_apart(first: str | None, later: str | None) -> tuple[str, str] | None:
    """The two folders (relative paths) where two files' paths part, when both files lie
    inside them: ``明园/诉求台账.xlsx`` and ``泉丰/诉求台账.xlsx`` → (明园, 泉丰); None when
    they part at a file (``诉求台账.xlsx`` beside ``备份/诉求台账.xlsx``) or do not part."""
    if not first or not later:
        return None
    a, b = first.split("/")[:-1], later.split("/")[:-1]
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "/".join(a[:i + 1]), "/".join(b[:i + 1])
    return None


# ---------------------------------------------------------------------------------------
def _vocabulary(ctx: Context, column: schema.Column) -> tuple[str, ...]:
    allowed = ctx.settings.choices(column)
    if allowed and column.setting == "estates" and column.type == schema.MULTI:
        allowed = allowed + (schema.ALL_ESTATES,)
    return allowed


def _checked_columns(kind: str) -> list[schema.Column]:
    return [c for c in schema.LEDGERS[kind].columns
            if c.type in (schema.ENUM, schema.MULTI) and (c.choices or c.setting)]


@rule("D109")
def not_in_list(ctx: Context) -> Iterable[Finding]:
    """Enum values, and each item of a multi column with a vocabulary, must be in the list."""
    for kind in schema.LEDGERS:
        columns = _checked_columns(kind)
        vocabularies = {column.key: _vocabulary(ctx, column) for column in columns}  # once per run
        checks = [(column, column.key, vocabularies[column.key],
                   _Outside(vocabularies[column.key],
                            pending=kind == "requests" and column.key in STAGE_KEYS))
                  for column in columns]
        estates_unset: Record | None = None
        # a row can only be reported (or name the unset 小区 list) with a filled value that
        # has items outside its list, or any filled value when the list is empty
        tests = {key: _unlisted(allowed, outside) for _, key, allowed, outside in checks}
        for r in ctx.columns.where(kind, tests):
            values = r.values
            for column, key, allowed, outside in checks:   # outside: value -> its bad items
                value = values.get(key)
                if value is None or not value and type(value) in _EMPTIES:
                    continue
                if not allowed:
                    if column.setting == "estates" and estates_unset is None \
                            and key not in r.invalid:
                        estates_unset = r
                    continue
                try:
                    bad = outside[value]
                except TypeError:                      # unhashable: not remembered
                    bad = outside.items_outside(value)
                if bad and key not in r.invalid:
                    for item in bad:
                        yield _not_allowed(r, column, item, allowed)
        if estates_unset is not None:
            yield finding("D109", severity="info", kind=kind, value=None,
                          variant="no_estates_no_workbook" if ctx.settings.no_workbook
                          else "no_estates_unreadable" if ctx.settings.unreadable_workbook
                          else "no_estates",
                          params={"ledger": Text(*schema.KIND_LABELS[kind])})


def _unlisted(allowed: tuple[str, ...], outside: "_Outside") -> Callable[[Any], bool]:
    """D109's test of a distinct value: filled, and with items outside ``allowed`` (any
    filled value when the list is empty)."""
    return lambda value: not _blank(value) and (not allowed or bool(outside[value]))


class _Outside(dict):
    """A value → its items not in ``allowed``, worked out once per distinct value (the same
    few values recur on every row). With ``pending`` (a request's stage field: 类别, 答复方式,
    满意度) a whole cell saying the step is not taken yet (待定, 未分类, 待回访) has none: the
    request is not at that stage yet (R201 …), and no listed value was meant."""

    def __init__(self, allowed: tuple[str, ...], pending: bool = False):
        super().__init__()
        self.allowed = allowed
        self.pending = pending

    def __missing__(self, value: Any) -> tuple:
        found = self[value] = self.items_outside(value)
        return found

    def items_outside(self, value: Any) -> tuple:
        if self.pending and not_yet(value):
            return ()
        items = value if isinstance(value, tuple) else (value,)
        return tuple(item for item in items if item not in self.allowed)


# the settings sheet that holds a column's list (rules.md D109: the fix says where it lives)
_LIST_SHEETS = {"estates": schema.SET_ESTATES, "categories": schema.SET_CATEGORIES}


def _not_allowed(r: Record, column: schema.Column, item: str,
                 allowed: tuple[str, ...]) -> Finding:
    sheet = _LIST_SHEETS.get(column.setting or "")
    listed = listing(allowed)
    return finding("D109", record=r, key=column.key,
                   variant="settings_list" if sheet is not None else "values", params={
                       "header": _header(r, column.key), "item": item, "allowed": listed,
                       "sheet": sheet or "", "settings_file": schema.SETTINGS_FILE})


# ---------------------------------------------------------------------------------------
@rule("D111")
def out_of_range(ctx: Context) -> Iterable[Finding]:
    """Age above 120 (warning) or under 60 (info) — the written 年龄, else the age at the
    as-of date from 出生日期 or the ID; implausible blood pressure; visit hours outside (0, 24]."""
    for r in ctx.rows("elderly"):           # every row: a cell's own check
        age, key = _age(r, ctx.as_of)
        if age is None or age < 0:
            continue                 # a birth date after the as-of date is D103's business
        if age > MAX_AGE:
            yield finding("D111", record=r, key=key, variant="age", params={"age": age, "max": MAX_AGE})
        elif age < YOUNG_AGE:
            yield finding("D111", record=r, key=key, variant="age_low", severity="info",
                          params={"age": age, "min": YOUNG_AGE})
    for r in ctx.rows("volunteers"):
        cap = r.values.get("capacity")
        if isinstance(cap, int) and "capacity" not in r.invalid and cap < 0:
            yield finding("D111", record=r, key="capacity", variant="capacity",
                          params={"capacity": cap})
    for r in ctx.columns.where("visits", {"blood_pressure": _implausible, "hours": _hours_outside}):
        bp = r.values.get("blood_pressure")
        if bp and not bp_plausible(bp) and "blood_pressure" not in r.invalid:
            yield finding("D111", record=r, key="blood_pressure", variant="blood_pressure",
                          params={"systolic": bp[0], "diastolic": bp[1],
                                  "sys_low": SYSTOLIC_RANGE[0], "sys_high": SYSTOLIC_RANGE[1],
                                  "dia_low": DIASTOLIC_RANGE[0], "dia_high": DIASTOLIC_RANGE[1]})
        hours = r.values.get("hours")
        if isinstance(hours, (int, float)) and "hours" not in r.invalid \
                and not 0 < hours <= MAX_VISIT_HOURS:
            yield finding("D111", record=r, key="hours", variant="hours",
                          params={"hours": f"{hours:g}", "max": MAX_VISIT_HOURS})


def _implausible(bp: Any) -> bool:
    return bool(bp) and not bp_plausible(bp)


def _hours_outside(hours: Any) -> bool:
    return isinstance(hours, (int, float)) and not 0 < hours <= MAX_VISIT_HOURS


def _age(r: Record, as_of: date) -> tuple[int | None, str]:
    """The written 年龄, else the age on ``as_of`` from 出生日期, else from the ID number."""
    age = r.values.get("age")
    if isinstance(age, int) and "age" not in r.invalid:
        return age, "age"
    birth = r.values.get("birth")
    if isinstance(birth, date) and "birth" not in r.invalid:
        return age_at(birth, as_of), "birth"
    idnum = r.values.get("id_number")
    if idnum and "id_number" not in r.invalid:
        try:
            return age_at(id_birth(idnum), as_of), "id_number"
        except ValueError:
            pass
    return None, "age"
