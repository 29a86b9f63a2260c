"""Blank ledgers and the settings workbook (设置.xlsx), generated from ``toolkit.schema``.

Every header, dropdown list and hint comes from the schema, so a template can never drift
from what the reader accepts. Each ledger template has: canonical headers in schema order
(required ones in bold red), a dropdown for every list column, date / whole-number checks with
Chinese input hints and error messages, text format for phone and ID columns, a frozen header
with autofilter, widths that fit Chinese text, A4 landscape print setup, and a ``填写说明``
sheet explaining each column.

Regenerate the committed files with ``python -m toolkit.report.templates templates/``.
"""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from toolkit import schema
from toolkit.layout import display_width
from toolkit.errors import UsageError
from toolkit.model import column_letter
from toolkit.report.writer import BLUE, GREY, write_workbook
from toolkit.settings import Settings
from toolkit.workdays import Days

TEMPLATE_AS_OF = date(2026, 1, 1)     # pinned so the committed templates are reproducible
TEMPLATE_ROWS = 1000                  # validations and formats cover Excel rows 2..1000
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)
REQUIRED_RED = "#C00000"
MAX_WIDTH, MIN_WIDTH = 40, 8
LIST_SOURCE_LIMIT = 255               # Excel's limit for an inline dropdown list
TEXT_TYPES = (schema.TEXT, schema.PHONE, schema.IDNUM, schema.MULTI, schema.BP, schema.DAYS,
              schema.TIME_RANGE)          # 09:00-11:00 stays text (issue #17)


def write_template(kind: str, path: Path, *, as_of: date, settings: Settings = Settings(),
                   overwrite: bool = False) -> Path:
    """Write the blank template of ``kind`` (requests, elderly, volunteers, visits, settings).

    Refuses (UsageError) to replace an existing file unless ``overwrite``: the target may be a
    staff ledger, and staff workbooks are never written."""
    if kind == schema.SETTINGS_KIND:
        return write_settings(path, settings, as_of=as_of, overwrite=overwrite)
    if kind not in schema.LEDGERS:
        kinds = "、".join(schema.TEMPLATE_KINDS)
        raise UsageError(f"没有这种模板：{kind}。可选：{kinds}",
                         f"unknown template {kind!r}; choose one of {', '.join(schema.TEMPLATE_KINDS)}")
    ledger = schema.LEDGERS[kind]
    _refuse_existing(Path(path), overwrite)
    return write_workbook(path, lambda wb: _build_ledger(wb, ledger, settings), as_of=as_of,
                          title=ledger.title)


def write_settings(path: Path, settings: Settings = Settings(), *, as_of: date,
                   overwrite: bool = True) -> Path:
    """Write a filled ``设置.xlsx`` from ``settings`` (every sheet of spec/settings.md).

    Replaces an existing file by default (sample generators regenerate it); ``write_template``
    and ``shequ template settings`` pass ``overwrite=False``."""
    _refuse_existing(Path(path), overwrite)
    return write_workbook(path, lambda wb: _build_settings(wb, settings), as_of=as_of,
                          title=schema.SETTINGS_FILE.removesuffix(".xlsx"))


def write_all_templates(directory: Path, *, as_of: date = TEMPLATE_AS_OF,
                        settings: Settings = Settings()) -> list[Path]:
    """Write the five templates into ``directory`` under their schema file names."""
    directory = Path(directory)
    return [write_template(kind, directory / schema.TEMPLATE_FILES[kind], as_of=as_of,
                           settings=settings, overwrite=True) for kind in schema.TEMPLATE_KINDS]


def _refuse_existing(path: Path, overwrite: bool) -> None:
    if path.exists() and not overwrite:
        raise UsageError(f"{path} 已存在，为避免覆盖台账，未写入。请换一个文件名（或加 --force 覆盖）。",
                         f"{path} already exists and was not replaced; choose another name "
                         "(or use --force to replace it).")


# ---------------------------------------------------------------------------------------
# text width

def column_width(column: schema.Column) -> int:
    """A width that fits the header (plus the filter arrow) and the example."""
    width = max(display_width(column.header) + 4, display_width(column.example) + 2, MIN_WIDTH)
    if column.type == schema.DATE:
        width = max(width, 12)
    if column.type == schema.IDNUM:
        width = max(width, 21)
    return min(width, MAX_WIDTH)


# ---------------------------------------------------------------------------------------
# formats

class _Formats:
    """The handful of cell formats every template uses."""

    def __init__(self, wb):
        base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        head = {**base, "bold": True, "bg_color": BLUE, "border": 1, "align": "center",
                "text_wrap": True}
        self.header = wb.add_format(head)
        self.required = wb.add_format({**head, "font_color": REQUIRED_RED})
        self.text = wb.add_format({**base, "num_format": "@"})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.int = wb.add_format({**base, "num_format": "0"})
        self.plain = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.note = wb.add_format({**base, "font_color": "#595959", "text_wrap": True,
                                   "valign": "top"})
        self.title = wb.add_format({**base, "bold": True, "bg_color": GREY, "border": 1})

    def column(self, type_: str):
        if type_ in TEXT_TYPES:
            return self.text
        if type_ == schema.DATE:
            return self.date
        if type_ == schema.INT:
            return self.int
        return self.plain


def _print_setup(ws, header_rows: int = 1) -> None:
    ws.set_paper(9)                    # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)              # one page wide, as many tall as needed
    ws.repeat_rows(0, header_rows - 1)
    ws.set_footer(schema.PRINT_FOOTER)


# ---------------------------------------------------------------------------------------
# ledger templates

def column_choices(column: schema.Column, settings: Settings) -> tuple[str, ...]:
    """The dropdown list of a column ( () for none)."""
    if column.type == schema.BOOL:
        return schema.BOOL_CHOICES
    choices = tuple(settings.choices(column))
    if choices and column.setting == "estates" and column.type == schema.MULTI:
        choices += (schema.ALL_ESTATES,)
    return choices


def column_hint(column: schema.Column, choices: tuple[str, ...]) -> str:
    """The input message shown when a cell of the column is selected."""
    parts = [schema.REQUIRED_LABELS[column.required] + "。", schema.TYPE_HINTS[column.type]]
    if column.type == schema.MULTI and not choices:      # no list to pick from (参会人员)
        parts[1] = "" if "分隔" in (column.note or "") else schema.MULTI_FREE_HINT
    if column.setting == "estates" and not choices:
        parts = [parts[0], schema.FREE_ESTATE_HINT]
    if column.note:
        parts.append(column.note.rstrip("。") + "。")
    return "".join(parts)[:255]


class _Lists:
    """Dropdown sources; a list too long for Excel's 255-character inline limit goes to a
    hidden sheet (created on first use, after the visible sheets)."""

    def __init__(self, wb):
        self.wb, self.sheet, self.next_col = wb, None, 0

    def source(self, choices: tuple[str, ...]):
        inline = ",".join(choices)
        if len(inline) <= LIST_SOURCE_LIMIT and not any("," in c or '"' in c for c in choices):
            return list(choices)
        if self.sheet is None:
            self.sheet = self.wb.add_worksheet(schema.OPTIONS_SHEET)
            self.sheet.hide()
        col = self.next_col
        self.next_col += 1
        for row, choice in enumerate(choices):
            self.sheet.write_string(row, col, choice)
        letter = column_letter(col)
        return f"='{schema.OPTIONS_SHEET}'!${letter}$1:${letter}${len(choices)}"


def column_validation(column: schema.Column, choices: tuple[str, ...], lists: _Lists) -> dict:
    """xlsxwriter ``data_validation`` options for one template column."""
    hint = {"input_title": column.header[:32], "input_message": column_hint(column, choices),
            "error_title": schema.ERROR_TITLE}
    type_ = column.type
    if choices and type_ == schema.TEXT:
        # free text with a few suggested words (诉求编号: 不涉及/通报, 落实人: 物业经理 …): a typed
        # id or name is the usual entry, so the dropdown offers and never interrupts
        return {**hint, "validate": "list", "source": lists.source(choices), "show_error": False}
    if choices:
        if type_ in (schema.ENUM, schema.BOOL):
            style = "warning" if column.setting else "stop"
        else:                      # multi / free text with a vocabulary: a suggestion only
            style = "information"
        if column.setting:
            message = schema.LIST_WARNING
        else:
            message = schema.TYPE_ERRORS[type_] if style == "stop" else schema.LIST_SUGGESTION
        return {**hint, "validate": "list", "source": lists.source(choices),
                "error_type": style, "error_message": message}
    if type_ == schema.DATE:
        return {**hint, "validate": "date", "criteria": "between", "minimum": DATE_MIN,
                "maximum": DATE_MAX, "error_message": schema.TYPE_ERRORS[type_]}
    if type_ in (schema.INT, schema.NUMBER, schema.COUNT):
        return {**hint, "validate": "integer" if type_ == schema.INT else "decimal",
                "criteria": ">=", "value": 0, "error_message": schema.TYPE_ERRORS[type_]}
    return {**hint, "validate": "any"}


def _build_ledger(wb, ledger: schema.Ledger, settings: Settings) -> None:
    fmt = _Formats(wb)
    ws = wb.add_worksheet(ledger.sheet)
    guide = wb.add_worksheet(schema.GUIDE_SHEET)
    lists = _Lists(wb)
    ws.set_row(0, 30)
    for col, column in enumerate(ledger.template_columns):
        header_fmt = fmt.required if column.required == schema.ALWAYS else fmt.header
        ws.write_string(0, col, column.header, header_fmt)
        ws.set_column(col, col, column_width(column), fmt.column(column.type))
        choices = column_choices(column, settings)
        ws.data_validation(1, col, TEMPLATE_ROWS - 1, col, column_validation(column, choices, lists))
    last = len(ledger.template_columns) - 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, last)
    _print_setup(ws)
    ws.activate()
    _build_guide(guide, ledger, settings, fmt)


def _build_guide(ws, ledger: schema.Ledger, settings: Settings, fmt: _Formats) -> None:
    """The 填写说明 sheet: one row per column (header, required?, type, choices, note, example)."""
    for col, head in enumerate(schema.GUIDE_HEADERS):
        ws.write_string(0, col, head, fmt.header)
    rows = []
    for column in ledger.template_columns:
        choices = column_choices(column, settings)
        note = column.note
        if column.setting == "estates" and not choices:
            note = "；".join(n for n in (column.note, schema.FREE_ESTATE_HINT) if n)
        rows.append((column.header, schema.REQUIRED_LABELS[column.required],
                     schema.TYPE_LABELS[column.type], "、".join(choices), note, column.example))
    for r, values in enumerate(rows, start=1):
        header_fmt = fmt.required if ledger.template_columns[r - 1].required == schema.ALWAYS else fmt.wrap
        for c, value in enumerate(values):
            ws.write_string(r, c, value, header_fmt if c == 0 else fmt.wrap)
    row = len(rows) + 2
    for line in schema.GUIDE_KIND_NOTES.get(ledger.kind, ()) + schema.GUIDE_FOOTNOTES:
        ws.write_string(row, 0, line, fmt.note)
        row += 1
    for col, width in enumerate(_guide_widths(rows)):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    _print_setup(ws)


def _guide_widths(rows: list[tuple[str, ...]]) -> list[int]:
    widths = []
    for col, head in enumerate(schema.GUIDE_HEADERS):
        longest = max([display_width(head) + 2] + [display_width(r[col]) + 2 for r in rows])
        widths.append(max(MIN_WIDTH, min(longest, MAX_WIDTH)))
    return widths


# ---------------------------------------------------------------------------------------
# settings workbook

def schedule_text(settings: Settings) -> str:
    """周检查时间 as written in the settings workbook, e.g. ``周一 08:30``."""
    return f"{schema.WEEKDAY_NAMES[settings.schedule_weekday]} {settings.schedule_time:%H:%M}"


def days_text(days) -> str:
    """A ``Days`` as written (``工作日``, ``周一、周三``), or a weekday set as ``周一、周三``."""
    return Days.of(days).text


def _setting_value(settings: Settings, attr: str):
    if attr == "schedule":
        return schedule_text(settings)
    if attr == "mask":
        return schema.BOOL_CHOICES[0] if settings.mask else schema.BOOL_CHOICES[1]
    if attr == "period":
        return {v: k for k, v in schema.PERIODS.items()}.get(settings.period, settings.period)
    if attr == "council_frequency":
        return {v: k for k, v in schema.COUNCIL_FREQUENCIES.items()}.get(
            settings.council_frequency, settings.council_frequency)
    if hasattr(settings.thresholds, attr):
        return getattr(settings.thresholds, attr)
    return getattr(settings, attr)


def _build_settings(wb, settings: Settings) -> None:
    fmt = _Formats(wb)
    int_check = {"validate": "integer", "criteria": ">", "value": 0,
                 "error_title": schema.ERROR_TITLE, "error_message": schema.TYPE_ERRORS[schema.INT]}
    _item_sheet(wb, fmt, schema.SET_BASIC, schema.SET_BASIC_ROWS, settings, text_values=True)
    _table_sheet(wb, fmt, schema.SET_ESTATES, schema.SET_ESTATE_HEADERS,
                 [(e,) for e in settings.estates], text_cols=(0,))
    _table_sheet(wb, fmt, schema.SET_CATEGORIES, schema.SET_CATEGORY_HEADERS,
                 [(c.name, c.owner, c.follower, "" if c.limit_days is None else c.limit_days)
                  for c in settings.categories], text_cols=(0, 1, 2), checks={3: int_check})
    _item_sheet(wb, fmt, schema.SET_LIMITS, schema.SET_LIMIT_ROWS, settings, check=int_check)
    tiers = [t for t in schema.TIERS if t in settings.intervals]
    _table_sheet(wb, fmt, schema.SET_INTERVALS, schema.SET_INTERVAL_HEADERS,
                 [(t, schema.TIER_CONDITIONS.get(t, ""), settings.intervals[t]) for t in tiers],
                 text_cols=(0, 1), checks={2: int_check}, wide={1: 44})
    _item_sheet(wb, fmt, schema.SET_THRESHOLDS, schema.SET_THRESHOLD_ROWS, settings, check=int_check)
    _table_sheet(wb, fmt, schema.SET_DUTY, schema.SET_DUTY_HEADERS,
                 [(d.name, d.phone, days_text(d.days)) for d in settings.duty],
                 text_cols=(0, 1, 2), wide={2: 24})
    holiday_types = {v: k for k, v in schema.HOLIDAY_TYPES.items()}
    _table_sheet(wb, fmt, schema.SET_HOLIDAYS, schema.SET_HOLIDAY_HEADERS,
                 [(d, holiday_types[work]) for d, work in sorted(settings.holidays.items())],
                 text_cols=(1,), date_cols=(0,), checks={
                     0: {"validate": "date", "criteria": "between", "minimum": DATE_MIN,
                         "maximum": DATE_MAX, "error_title": schema.ERROR_TITLE,
                         "error_message": schema.TYPE_ERRORS[schema.DATE]},
                     1: {"validate": "list", "source": list(schema.HOLIDAY_TYPES),
                         "error_title": schema.ERROR_TITLE,
                         "error_message": schema.SET_BAD_VALUE["holiday_type"][0]}})
    choice_checks = {"mask": list(schema.BOOL_CHOICES), "period": list(schema.PERIODS)}
    _item_sheet(wb, fmt, schema.SET_REPORTING, schema.SET_REPORTING_ROWS, settings,
                text_values=True, lists=choice_checks)
    _item_sheet(wb, fmt, schema.SET_COUNCIL, schema.SET_COUNCIL_ROWS, settings, text_values=True,
                lists={"council_frequency": list(schema.COUNCIL_FREQUENCIES)})
    _fee_and_room_sheets(wb, fmt, settings)


def _fee_and_room_sheets(wb, fmt: "_Formats", settings: Settings) -> None:
    """收费标准 and 活动室 (issue #17); empty tables unless the settings hold some."""
    from toolkit.clock import range_text
    _table_sheet(wb, fmt, schema.SET_FEES, schema.SET_FEE_HEADERS,
                 [(f.item, f.provider, f.unit, f"{f.price:.2f}", f.published)
                  for f in settings.fees or ()],
                 text_cols=(0, 1, 2, 3), date_cols=(4,), wide={1: 18}, checks={
                     0: {"validate": "list", "source": list(schema.SERVICE_ITEMS),
                         "error_title": schema.ERROR_TITLE, "error_message": schema.LIST_WARNING},
                     2: {"validate": "list", "source": list(schema.FEE_UNITS),
                         "error_title": schema.ERROR_TITLE,
                         "error_message": schema.SET_BAD_VALUE["unit"][0]}})
    _table_sheet(wb, fmt, schema.SET_ROOMS, schema.SET_ROOM_HEADERS,
                 [(r.name, r.estate, "、".join(r.aliases), _room_days(r),
                   "、".join(range_text(a, b) for a, b in r.hours),
                   "" if r.capacity is None else r.capacity) for r in settings.rooms or ()],
                 text_cols=(0, 1, 2, 3, 4), wide={2: 18, 3: 16, 4: 26})


def _room_days(room) -> str:
    off = "（节假日除外）" if room.holidays_off else ""
    if room.days is None and not room.workdays:
        return "每天" + off
    parts = ["工作日"] if room.workdays else []
    if room.days:
        parts.append(days_text(room.days))
    return "、".join(parts) + off


def _item_sheet(wb, fmt: _Formats, name: str, rows, settings: Settings, *, text_values=False,
                check: dict | None = None, lists: dict | None = None) -> None:
    """项目 | 值 | 说明, one row per setting."""
    ws = wb.add_worksheet(name)
    for col, head in enumerate((schema.SET_ITEM, schema.SET_VALUE, schema.SET_NOTE)):
        ws.write_string(0, col, head, fmt.header)
    for r, (label, attr, note) in enumerate(rows, start=1):
        ws.write_string(r, 0, label, fmt.title)
        value = _setting_value(settings, attr)
        if isinstance(value, int) and not isinstance(value, bool):
            ws.write_number(r, 1, value, fmt.int)
        elif value == "":
            ws.write_blank(r, 1, None, fmt.text)
        else:
            ws.write_string(r, 1, str(value), fmt.text)
        ws.write_string(r, 2, note, fmt.note)
        if check and not text_values:
            ws.data_validation(r, 1, r, 1, check)
        if lists and attr in lists:
            ws.data_validation(r, 1, r, 1, {"validate": "list", "source": lists[attr],
                                            "error_title": schema.ERROR_TITLE,
                                            "error_message": note})
    label_width = max(display_width(label) for label, _, _ in rows) + 2
    ws.set_column(0, 0, max(label_width, MIN_WIDTH + 4))
    ws.set_column(1, 1, 22, fmt.text if text_values else fmt.int)
    ws.set_column(2, 2, min(MAX_WIDTH + 20, max(display_width(n) for _, _, n in rows) + 2))
    ws.freeze_panes(1, 0)


def _table_sheet(wb, fmt: _Formats, name: str, headers: tuple[str, ...], rows, *,
                 text_cols=(), date_cols=(), checks: dict | None = None,
                 wide: dict | None = None) -> None:
    """A header row and one item a row; the sheet's hint sits in a 说明 column to the right."""
    ws = wb.add_worksheet(name)
    for col, head in enumerate(headers):
        ws.write_string(0, col, head, fmt.header)
        width = max(display_width(head) + 4, 14, (wide or {}).get(col, 0))
        col_fmt = fmt.text if col in text_cols else fmt.date if col in date_cols else fmt.int
        ws.set_column(col, col, width, col_fmt)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt.date)
            elif isinstance(value, int):
                ws.write_number(r, c, value, fmt.int)
            elif value == "":
                ws.write_blank(r, c, None, fmt.text)
            else:
                ws.write_string(r, c, str(value), fmt.text)
    for col, check in (checks or {}).items():
        ws.data_validation(1, col, TEMPLATE_ROWS - 1, col, check)
    hint = schema.SET_SHEET_HINTS.get(name)
    if hint:
        note_col = len(headers) + 1
        ws.write_string(0, note_col, schema.SET_NOTE, fmt.header)
        ws.write_string(1, note_col, hint, fmt.note)
        ws.set_column(note_col, note_col, 50)
    ws.freeze_panes(1, 0)


def main(argv: list[str] | None = None) -> int:
    """``python -m toolkit.report.templates DIR``: regenerate the committed templates."""
    args = sys.argv[1:] if argv is None else argv
    write_all_templates(Path(args[0] if args else "templates"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
