"""Make the bad-input corpus in tests/corpus/: small files a reader must survive.

Run from the repository root:  python tests/corpus/make_corpus.py
Needs openpyxl and msoffcrypto-tool; LibreOffice (``soffice``) and the system Python's
``uno`` module for the files whose bytes must come from a real client (the encrypted .xls,
the .ods). Those are skipped with a note when LibreOffice is missing. What each file is and
what it must produce: README.md beside this script; the expectations: tests/test_corpus.py.

Files that must be big (the 10 MB string, the real compression-ratio bomb, 10 001 zip
entries) are not committed: tests make them with the ``make_*`` functions below.
"""
from __future__ import annotations

import io
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good"
sys.path.insert(0, str(HERE.parents[1]))

from toolkit import schema  # noqa: E402

AS_OF = date(2026, 11, 23)
FIXED = datetime(2026, 11, 23)          # pinned workbook properties: same bytes every run

# formula-injection strings: each must be read as text and written as text
INJECTIONS = ("=cmd|' /C calc'!A0", "@SUM(1)", "+1", "-1", "\t=1+1", "\r=1+1",
              '=HYPERLINK("http://example.invalid","点击")')


def h(kind: str, key: str) -> str:
    """The canonical header of ``kind``'s column ``key`` (from the schema, never retyped)."""
    return schema.LEDGERS[kind].column(key).header


VISIT_KEYS = ("date", "elderly_id", "volunteer", "service", "outcome")
ELDERLY_KEYS = ("id", "name", "birth", "estate", "address", "lives_alone")
VOLUNTEER_KEYS = ("id", "name", "phone", "estates", "skills")
REQUEST_KEYS = ("id", "received", "source", "estate", "content", "resident", "address")


def headers(kind: str, keys: tuple[str, ...]) -> list[str]:
    return [h(kind, k) for k in keys]


def elderly_rows() -> list[list]:
    return [["LR-001", "测试老人甲", date(1940, 5, 1), "一号小区", "1号101室", "是"],
            ["LR-002", "测试老人乙", date(1938, 3, 2), "一号小区", "2号202室", "否"]]


def workbook(sheets: list[tuple[str, list[list]]]):
    """An openpyxl workbook with the given sheets (title, rows); properties pinned."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.properties.created = wb.properties.modified = FIXED
    return wb


def xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def save(wb, path: Path) -> Path:
    path.write_bytes(xlsx_bytes(wb))
    return path


def rezip(data: bytes, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None) -> bytes:
    """Copy an xlsx zip, replacing/adding parts (deterministic timestamps)."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = replace.get(info.filename, src.read(info.filename))
            dst.writestr(zipfile.ZipInfo(info.filename, (2026, 11, 23, 0, 0, 0)), body,
                         zipfile.ZIP_DEFLATED)
        for name, body in add.items():
            dst.writestr(zipfile.ZipInfo(name, (2026, 11, 23, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def elderly_xlsx() -> bytes:
    return xlsx_bytes(workbook([("老年人", [headers("elderly", ELDERLY_KEYS), *elderly_rows()])]))


SHEET = "xl/worksheets/sheet1.xml"


def raw_sheet(rows_xml: str, extra_head: str = "", dimension: str = "A1:F3") -> bytes:
    """A worksheet part written by hand (inline strings), for cells openpyxl will not write."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{extra_head}'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>').encode()


def col(i: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


def inline_row(r: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{col(i)}{r}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{r}">{cells}</row>'


def header_row_xml(kind: str, keys: tuple[str, ...]) -> str:
    return inline_row(1, headers(kind, keys))


# ---------------------------------------------------------------------------------------
# the committed files

def good_volunteers(path: Path) -> Path:
    """The good small ledger put beside each bad file in the tests."""
    rows = [headers("volunteers", VOLUNTEER_KEYS),
            ["ZY-901", "好志愿者甲", "13800000001", schema.ALL_ESTATES, "巡访"],
            ["ZY-902", "好志愿者乙", "13800000002", schema.ALL_ESTATES, "量血压"]]
    return save(workbook([("志愿者", rows)]), path)


def zero_byte(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated(path: Path) -> Path:
    data = elderly_xlsx()
    path.write_bytes(data[: len(data) * 3 // 5])
    return path


def docx_renamed(path: Path) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", (2026, 11, 23, 0, 0, 0)),
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Override PartName="/word/document.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.'
                    'wordprocessingml.document.main+xml"/></Types>')
        zf.writestr(zipfile.ZipInfo("word/document.xml", (2026, 11, 23, 0, 0, 0)),
                    '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                    'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>老年人台账</w:t></w:r>'
                    '</w:p></w:body></w:document>')
    path.write_bytes(out.getvalue())
    return path


def pdf_renamed(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                     b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return path


def png_renamed(path: Path) -> Path:
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return path


def html_as_xls(path: Path) -> Path:
    cells = "".join(f"<th>{x}</th>" for x in headers("elderly", ELDERLY_KEYS))
    path.write_bytes(("<html><head><meta charset=\"utf-8\"></head><body><table>"
                      f"<tr>{cells}</tr><tr><td>LR-001</td><td>测试老人甲</td></tr></table>"
                      "</body></html>\n").encode())
    return path


def encrypted_xlsx(path: Path) -> Path:
    """msoffcrypto-tool's OOXML encryption (agile, password 123456)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(elderly_xlsx())
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("123456", out)
    path.write_bytes(out.getvalue())
    return path


UNO_SCRIPT = r'''
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
src, dst, filt, pw, profile, port = sys.argv[1:7]
def pv(n, v):
    p = PropertyValue(); p.Name = n; p.Value = v; return p
proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
    "-env:UserInstallation=file://" + profile,
    "--accept=socket,host=127.0.0.1,port=%s;urp;" % port])
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=%s;urp;StarOffice.ComponentContext" % port)
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                       (pv("Hidden", True),))
    props = [pv("FilterName", filt)] + ([pv("Password", pw)] if pw else [])
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), tuple(props))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.terminate(); proc.wait(timeout=20)
'''


def libreoffice_save(src: Path, dst: Path, filter_name: str, password: str = "") -> Path | None:
    """Have LibreOffice (through UNO, system Python) save ``src`` as ``dst``; None if impossible."""
    if shutil.which("soffice") is None or not Path("/usr/bin/python3").exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "save.py"
        script.write_text(UNO_SCRIPT, encoding="utf-8")
        subprocess.run(["/usr/bin/python3", str(script), str(src), str(dst), filter_name, password,
                        f"{tmp}/profile", "2093"], check=True, capture_output=True, timeout=180)
    return dst if dst.exists() else None


def encrypted_xls(path: Path) -> Path | None:
    """A real LibreOffice .xls with an open password (``--convert-to`` ignores passwords, UNO
    ``storeToURL`` with ``Password`` does not)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "plain.xlsx"
        src.write_bytes(elderly_xlsx())
        return libreoffice_save(src, path, "MS Excel 97", "123456")


def ods_file(path: Path) -> Path | None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "plain.xlsx"
        src.write_bytes(elderly_xlsx())
        return libreoffice_save(src, path, "calc8")


def _patch_sizes(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size of entry ``name`` in the local and central headers."""
    buf = bytearray(data)
    encoded = name.encode()
    pos = 0
    while (pos := buf.find(b"PK\x03\x04", pos)) != -1:                 # local headers
        n = struct.unpack_from("<H", buf, pos + 26)[0]
        if bytes(buf[pos + 30:pos + 30 + n]) == encoded:
            struct.pack_into("<I", buf, pos + 22, size)
        pos += 4
    pos = 0
    while (pos := buf.find(b"PK\x01\x02", pos)) != -1:                 # central directory
        n = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + n]) == encoded:
            struct.pack_into("<I", buf, pos + 24, size)
        pos += 4
    return bytes(buf)


def zip_bomb_declared(path: Path) -> Path:
    """A 2 KB workbook whose sheet part declares 4 GB uncompressed (F009 before any parser)."""
    path.write_bytes(_patch_sizes(elderly_xlsx(), SHEET, 0xFFFFFFF0))
    return path


def billion_laughs(path: Path) -> Path:
    """The classic entity bomb in the worksheet XML (F009; defusedxml would refuse it too)."""
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    head = f"<!DOCTYPE lolz [{ents}]>"
    rows = header_row_xml("elderly", ELDERLY_KEYS) + inline_row(2, ["LR-001", "&lol9;"])
    path.write_bytes(rezip(elderly_xlsx(), {SHEET: raw_sheet(rows, head)}))
    return path


def xxe_workbook(path: Path) -> Path:
    """An external entity (XXE) reading /etc/passwd, declared in xl/workbook.xml (F009)."""
    data = elderly_xlsx()
    book = part(data, "xl/workbook.xml").decode()
    book = book.replace("<workbook", '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM '
                        '"file:///etc/passwd">]><workbook', 1)
    path.write_bytes(rezip(data, {"xl/workbook.xml": book.encode()}))
    return path


def huge_dimension(path: Path) -> Path:
    """Two records, but ``<dimension>`` claims 1,048,576 rows × 16,384 columns."""
    data = elderly_xlsx()
    sheet = part(data, SHEET).decode()
    start = sheet.index("<dimension ref=\"")
    end = sheet.index("/>", start)
    sheet = sheet[:start] + '<dimension ref="A1:XFD1048576"' + sheet[end:]
    path.write_bytes(rezip(data, {SHEET: sheet.encode()}))
    return path


def formula_injection(path: Path) -> Path:
    """Requests whose text cells hold formula-looking strings, stored as text (not formulas)."""
    wb = workbook([("诉求", [headers("requests", REQUEST_KEYS)])])
    ws = wb.active
    for i, text in enumerate(INJECTIONS, start=1):
        row = [f"SQ-90{i}", date(2026, 10, 1), schema.SOURCES[0], "一号小区", text, text, text]
        ws.append(row)
        for c in (5, 6, 7):
            cell = ws.cell(i + 1, c)
            cell.value, cell.data_type = text, "s"          # text, never a formula
    return save(wb, path)


def control_chars(path: Path) -> Path:
    """Control characters (``_x0001_``), emoji and a lone surrogate (``_xD800_``) in cells."""
    rows = (header_row_xml("elderly", ELDERLY_KEYS)
            + inline_row(2, ["LR-001", "张_x0001_三_x001F_", "1940-05-01", "一号小区", "1号\u200b101室", "是"])
            + inline_row(3, ["LR-002", "李👵四🧓", "1938-03-02", "一号小区_xD800_", "2号_xDFFF_202室", "否"])
            + inline_row(4, ["LR-003", "王\u202e五", "1939-01-01", "一号小区", "3号\ufeff301室", "否"]))
    path.write_bytes(rezip(elderly_xlsx(), {SHEET: raw_sheet(rows, dimension="A1:F4")}))
    return path


def gb18030_bad_byte(path: Path) -> Path:
    text = ",".join(headers("volunteers", VOLUNTEER_KEYS)) + "\r\nZY-801,坏字节甲,13800000011,全部,巡访\r\n"
    data = text.encode("gb18030")
    cut = data.index("坏".encode("gb18030")) + 2
    path.write_bytes(data[:cut] + b"\xff\x30" + data[cut:] + "ZY-802,后面一行,13800000012,全部,巡访\r\n"
                     .encode("gb18030"))
    return path


def unclosed_quote(path: Path) -> Path:
    lines = [",".join(headers("volunteers", VOLUNTEER_KEYS)),
             'ZY-811,引号甲,13800000021,全部,巡访',
             'ZY-812,"引号乙,13800000022,全部,巡访',
             'ZY-813,引号丙,13800000023,全部,量血压']
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def extreme_dates(path: Path) -> Path:
    """Visit dates: 1900-01-01 (serial 1), Excel's phantom 1900-02-29 (60), 9999-12-31,
    negative serials, text 0000-01-01."""
    rows = [headers("visits", VISIT_KEYS)]
    values = [1, 60, 2958465, -1, -36500, "9999-12-31", "0000-01-01", "1900-01-00"]
    for i, v in enumerate(values):
        rows.append([v, "LR-001", "ZY-901", "巡访", "正常"])
    wb = workbook([("巡访", rows)])
    for r in range(2, len(rows) + 1):
        if isinstance(wb.active.cell(r, 1).value, int):
            wb.active.cell(r, 1).number_format = "yyyy-mm-dd"
    return save(wb, path)


def merged_header_data(path: Path) -> Path:
    """A merge spanning the 编号 header and the first two data cells below it, and another
    spanning 姓名 and 出生日期 across header and data."""
    wb = workbook([("老年人", [headers("elderly", ELDERLY_KEYS), *elderly_rows(),
                               ["LR-003", "测试老人丙", date(1941, 1, 1), "一号小区", "3号", "否"]])])
    wb.active.merge_cells("A1:A3")
    wb.active.merge_cells("B3:C4")
    return save(wb, path)


def header_repeated(path: Path) -> Path:
    """A block copy-pasted with its header row into the middle of the sheet."""
    head = headers("elderly", ELDERLY_KEYS)
    rows = [head, *elderly_rows(), head,
            ["LR-003", "测试老人丙", date(1941, 1, 1), "一号小区", "3号301室", "否"]]
    return save(workbook([("老年人", rows)]), path)


def duplicate_kinds(path: Path) -> Path:
    """Two elderly sheets in one workbook, the same id with conflicting rows (D107)."""
    head = headers("elderly", ELDERLY_KEYS)
    a = [head, ["LR-001", "测试老人甲", date(1940, 5, 1), "一号小区", "1号101室", "是"]]
    b = [head, ["LR-001", "另一个人", date(1950, 1, 1), "一号小区", "9号909室", "否"]]
    return save(workbook([("一号小区", a), ("二号小区", b)]), path)


def same_ids(path_a: Path, path_b: Path) -> tuple[Path, Path]:
    """Two workbooks holding the same request ids (D107 across files)."""
    head = headers("requests", REQUEST_KEYS[:5])
    a = [head, ["SQ-001", date(2026, 11, 2), "来电", "一号小区", "楼道灯坏了"]]
    b = [head, ["SQ-001", date(2026, 11, 5), "来访", "一号小区", "垃圾没清运"]]
    return save(workbook([("诉求", a)]), path_a), save(workbook([("诉求", b)]), path_b)


def date1904(path: Path) -> Path:
    """A Mac-style workbook (1904 date system): the visit on 2026-11-20 is stored as 44884."""
    wb = workbook([("巡访", [headers("visits", VISIT_KEYS)])])
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append([date(2026, 11, 20), "LR-001", "ZY-901", "巡访", "正常"])
    ws.cell(2, 1).number_format = "yyyy-mm-dd"
    return save(wb, path)


def only_sheet_hidden(path: Path) -> Path:
    wb = workbook([("老年人", [headers("elderly", ELDERLY_KEYS), *elderly_rows()])])
    wb.create_sheet("占位")                   # a workbook needs one visible sheet to save ...
    wb.active.sheet_state = "hidden"
    data = xlsx_bytes(wb)
    # ... then drop the visible one by hand: the hidden sheet is the only sheet left
    book = part(data, "xl/workbook.xml").decode()
    rels = part(data, "xl/_rels/workbook.xml.rels").decode()
    start = book.index('<sheet name="占位"')
    book = book[:start] + book[book.index("/>", start) + 2:]
    path.write_bytes(rezip(data, {"xl/workbook.xml": book.encode(), "xl/_rels/workbook.xml.rels":
                                  rels.encode()}))
    return path


def formula_errors(path: Path) -> Path:
    """Formula cells whose cached values are errors: #REF! in a date, #N/A in a name."""
    rows = (header_row_xml("elderly", ELDERLY_KEYS)
            + '<row r="2"><c r="A2" t="inlineStr"><is><t>LR-001</t></is></c>'
              '<c r="B2" t="e"><f>VLOOKUP(A2,Sheet9!A:B,2,0)</f><v>#N/A</v></c>'
              '<c r="C2" t="e"><f>#REF!+1</f><v>#REF!</v></c>'
              '<c r="D2" t="inlineStr"><is><t>一号小区</t></is></c>'
              '<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
              '<c r="F2" t="inlineStr"><is><t>是</t></is></c></row>'
            + '<row r="3"><c r="A3" t="inlineStr"><is><t>LR-002</t></is></c>'
              '<c r="B3" t="e"><v>#NAME?</v></c>'
              '<c r="C3" t="e"><v>#VALUE!</v></c>'
              '<c r="D3" t="inlineStr"><is><t>一号小区</t></is></c>'
              '<c r="E3" t="inlineStr"><is><t>2号</t></is></c>'
              '<c r="F3" t="e"><v>#NULL!</v></c></row>')
    path.write_bytes(rezip(elderly_xlsx(), {SHEET: raw_sheet(rows)}))
    return path


VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _ole_vba() -> bytes:
    """A small OLE container standing in for vbaProject.bin (an auto-open macro's text)."""
    body = b"Attribute VB_Name = \"ThisWorkbook\"\r\nSub Workbook_Open()\r\nShell \"calc.exe\"\r\nEnd Sub\r\n"
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body


def xlsm_macros(path: Path) -> Path:
    """An .xlsm with a vbaProject.bin and a Workbook_Open macro: values read, nothing run."""
    data = elderly_xlsx()
    types = part(data, "[Content_Types].xml").decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          XLSM_MAIN)
    types = types.replace("</Types>", f'<Default Extension="bin" ContentType="{VBA_CONTENT_TYPE}"/></Types>')
    rels = part(data, "xl/_rels/workbook.xml.rels").decode().replace(
        "</Relationships>", '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
        'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    path.write_bytes(rezip(data, {"[Content_Types].xml": types.encode(),
                                  "xl/_rels/workbook.xml.rels": rels.encode()},
                           {"xl/vbaProject.bin": _ole_vba()}))
    return path


def xlsx_named_xls(path: Path) -> Path:
    path.write_bytes(elderly_xlsx())
    return path


def empty_zip(path: Path) -> Path:
    path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return path


def no_ledger(path: Path) -> Path:
    """A phone list: a sheet with a header, but not a ledger (F003)."""
    return save(workbook([("通讯录", [["单位", "联系人", "座机"], ["物业", "某某", "021-57651234"]])]), path)


def elderly_missing_column(path: Path) -> Path:
    """An elderly sheet without 小区 (F004)."""
    keys = tuple(k for k in ELDERLY_KEYS if k != "estate")
    rows = [headers("elderly", keys), ["LR-001", "测试老人甲", date(1940, 5, 1), "1号101室", "是"]]
    return save(workbook([("老年人", rows)]), path)


# ---------------------------------------------------------------------------------------
# made by the tests (too big to commit)

def make_big_string(path: Path, size: int = 10 * 2**20) -> Path:
    """A 10 MB string (random CJK, so it does not compress like a bomb) in the 地址 cell and a
    1 MB one in the 出生日期 cell (inline strings)."""
    import random

    rng = random.Random(7)
    big = "".join(rng.choices([chr(c) for c in range(0x4E00, 0x9FA5)], k=size // 3))
    rows = (header_row_xml("elderly", ELDERLY_KEYS)
            + inline_row(2, ["LR-001", "测试老人甲", big[: 2**20 // 3], "一号小区", big, "是"]))
    path.write_bytes(rezip(elderly_xlsx(), {SHEET: raw_sheet(rows)}))
    return path


def make_ratio_bomb(path: Path, size: int = 400 * 2**20, entry: str = SHEET) -> Path:
    """A real bomb: a worksheet of ``size`` bytes (spaces inside sheetData) deflated to
    ~0.4 MB. Honest declared size, under the total limit: caught by the ratio check."""
    head = raw_sheet("").decode().replace("</sheetData></worksheet>", "").encode()
    tail = b"</sheetData></worksheet>"
    data = elderly_xlsx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename == entry:
                continue
            dst.writestr(zipfile.ZipInfo(info.filename, (2026, 11, 23, 0, 0, 0)),
                         src.read(info.filename), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(entry, (2026, 11, 23, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=size >= 2**31) as fh:
            fh.write(head)
            pad = size - len(head) - len(tail)
            block = b" " * (1 << 20)
            while pad > 0:
                fh.write(block[:min(pad, len(block))])
                pad -= len(block)
            fh.write(tail)
    path.write_bytes(out.getvalue())
    return path


def make_lying_bomb(path: Path, size: int = 400 * 2**20, entry: str = SHEET) -> Path:
    """A bomb that lies: ``entry`` declares 2 KB but inflates to ``size`` bytes."""
    make_ratio_bomb(path, size, entry)
    path.write_bytes(_patch_sizes(path.read_bytes(), entry, 2048))
    return path


def make_dense_strings(path: Path, size: int = 400 * 2**20) -> Path:
    """Within the declared limits but still heavy: one shared string of ``size`` bytes that
    deflates only ~40:1 (below the ratio limit), so a ~10 MB file inflates to ``size``."""
    import random

    data = elderly_xlsx()
    types = part(data, "[Content_Types].xml").decode().replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rels = part(data, "xl/_rels/workbook.xml.rels").decode().replace(
        "</Relationships>", '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>")
    sheet = raw_sheet(header_row_xml("elderly", ELDERLY_KEYS)
                      + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>0</v></c></row>')
    data = rezip(data, {"[Content_Types].xml": types.encode(),
                        "xl/_rels/workbook.xml.rels": rels.encode(), SHEET: sheet})
    rng = random.Random(1)
    block = b"".join(b"a" * 63 + bytes([rng.randrange(97, 123)]) for _ in range(2**20 // 64))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
            for _ in range(size // len(block)):
                fh.write(block)
            fh.write(b"</t></si></sst>")
    path.write_bytes(out.getvalue())
    return path


def make_many_entries(path: Path, entries: int = 10_001) -> Path:
    """A workbook with 10 001 zip entries (limit 10 000)."""
    add = {f"xl/media/pad{i:05d}.bin": b"" for i in range(entries)}
    path.write_bytes(rezip(elderly_xlsx(), add=add))
    return path


# ---------------------------------------------------------------------------------------

COMMITTED = {
    "01_空文件.xlsx": zero_byte,
    "02_截断.xlsx": truncated,
    "03_其实是Word.xlsx": docx_renamed,
    "04_其实是PDF.xlsx": pdf_renamed,
    "05_其实是图片.xlsx": png_renamed,
    "06_网页导出.xls": html_as_xls,
    "07_加密.xlsx": encrypted_xlsx,
    "08_加密.xls": encrypted_xls,
    "09_压缩炸弹_声明4GB.xlsx": zip_bomb_declared,
    "10_实体炸弹.xlsx": billion_laughs,
    "11_外部实体.xlsx": xxe_workbook,
    "12_维度百万行.xlsx": huge_dimension,
    "13_公式注入.xlsx": formula_injection,
    "14_控制字符.xlsx": control_chars,
    "15_GB18030坏字节.csv": gb18030_bad_byte,
    "16_引号未闭合.csv": unclosed_quote,
    "17_极端日期.xlsx": extreme_dates,
    "18_合并单元格跨表头.xlsx": merged_header_data,
    "19_表头重复.xlsx": header_repeated,
    "20_同类工作表冲突.xlsx": duplicate_kinds,
    "22_1904日期.xlsx": date1904,
    "23_唯一工作表隐藏.xlsx": only_sheet_hidden,
    "24_公式错误值.xlsx": formula_errors,
    "25_带宏.xlsm": xlsm_macros,
    "26_其实是xlsx.xls": xlsx_named_xls,
    "27_空压缩包.xlsx": empty_zip,
    "28_OpenDocument.ods": ods_file,
    "29_通讯录.xlsx": no_ledger,
    "30_缺必需列.xlsx": elderly_missing_column,
}


def main() -> None:
    GOOD.mkdir(exist_ok=True)
    good_volunteers(GOOD / "好的志愿者名册.xlsx")
    for name, make in COMMITTED.items():
        made = make(HERE / name)
        print(("made    " if made else "SKIPPED ") + name)
    same_ids(HERE / "21_同编号_甲.xlsx", HERE / "21_同编号_乙.xlsx")
    print("made    21_同编号_甲.xlsx, 21_同编号_乙.xlsx")


if __name__ == "__main__":
    main()
