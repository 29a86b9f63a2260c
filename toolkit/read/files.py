"""Finding the workbooks under the paths given, and checking each file before it is opened.

Discovery walks folders in sorted order and skips what is not a staff ledger (reports,
state, hidden folders, owner/lock files, the settings workbook, non-spreadsheet files).
Sniffing looks at the file's first bytes, not its extension: a Word document renamed
``.xlsx`` or a web page renamed ``.xls`` becomes an F001 finding that says what the file
really is. Safety checks (F009) run before any parser sees the file. The tool's own outputs
(reports, work orders, annotated copies: ``schema.OUTPUT_MARKER`` in their document
properties, or anything inside a workspace's 报表 folder) are never read as ledgers, wherever
they were saved: one F003 (info) each.
"""
from __future__ import annotations

import codecs
import html
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from toolkit import schema
from toolkit.model import Finding, Text, finding

SPREADSHEET_EXTS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")
# spreadsheet-like formats we do not read: tell the user to save as .xlsx (F001)
UNSUPPORTED_SHEET_EXTS = {".et": "WPS 表格（.et）", ".numbers": "Numbers 表格（.numbers）",
                          ".xltx": "Excel 模板（.xltx）", ".xlt": "Excel 模板（.xlt）"}

# safety limits (F009), documented in docs/read.md and docs/reliability.md. They bound what
# parsing would cost, not how well a file compresses: calamine needs ~5× a workbook's inflated
# XML in memory, so 120 MB keeps the largest file read in-process near 700 MB; a real town
# file (30 communities, 15 000 visits) inflates to ~6 MB.
MAX_ZIP_ENTRIES = 10_000
MAX_UNCOMPRESSED = 120 * 1024 * 1024  # sum of the declared uncompressed sizes of the XML parts
MAX_CELLS = 5_000_000                 # cells of one sheet's grid (rows × columns, empty included)
PROLOG_BYTES = 64 * 1024              # a DOCTYPE can only stand before the root element

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CORE_PROPERTY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(title|creator|keywords)\b[^>/]*>([^<]*)<")
CORE_BYTES = 64 * 1024                # docProps/core.xml is a few hundred bytes
_ROOT = re.compile(rb"<[A-Za-z_]")


@dataclass
class Discovery:
    """The files to read (sorted, deterministic) and what was noticed while finding them."""
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Sniffed:
    """What a file really is: ``fmt`` is ``xlsx``, ``xls``, ``xlsb``, ``ods`` or ``csv``; None
    when unreadable. ``data`` holds the decrypted bytes of a workbook encrypted with Excel's
    built-in key (read from there instead of the file)."""
    fmt: str | None
    findings: list[Finding] = field(default_factory=list)
    data: bytes | None = None


def relative(path: Path, root: Path) -> str:
    """The file name as shown to people: relative to ``root``, with ``/`` separators. A
    symbolic link (a shortcut) is named as it sits in the folder, never by where it points:
    that is the name the clerk sees."""
    if path.is_symlink():
        link, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
        try:
            return link.relative_to(base).as_posix()
        except ValueError:
            try:
                return (Path(os.path.abspath(link.parent)).resolve().relative_to(root.resolve())
                        / link.name).as_posix()
            except ValueError:
                pass
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        rel = Path(os.path.relpath(path.resolve(), root.resolve()))
    return rel.as_posix()


def is_owner_file(name: str) -> bool:
    """Excel/WPS (``~$book.xlsx``) and LibreOffice (``.~lock.book.xlsx#``) owner files."""
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


# the settings workbook as clerks save it: 设置.xls / 设置.ods (另存为), 设置(1).xlsx (a second
# download), 设置 - 副本.xlsx (a copy): never a ledger; read as settings when there is no 设置.xlsx
SETTINGS_EXTS = (".xlsx", ".xlsm", ".xls", ".ods")
_SETTINGS_STEM = re.compile(re.escape(Path(schema.SETTINGS_FILE).stem)
                            + r"(?:\(\d+\)|-?(?:的)?副本(?:\(\d+\))?)?")


def is_settings_name(name: str) -> bool:
    """``设置.xlsx`` and the names a clerk's save or copy gives it (``设置.xls``, ``设置(1).xlsx``,
    ``设置 - 副本.xlsx``, ``设置（2）.xlsx``)."""
    path = Path(unicodedata.normalize("NFKC", name))
    return (path.suffix.lower() in SETTINGS_EXTS
            and _SETTINGS_STEM.fullmatch(re.sub(r"\s+", "", path.stem)) is not None)


def names_settings(name: str) -> bool:
    """A workbook name with 设置 in it (``莘泽居民区设置.xlsx``, ``设置表.xlsx``): read as the
    settings when its sheets are the settings' (``read.settings.find_settings``)."""
    path = Path(unicodedata.normalize("NFKC", name))
    return (path.suffix.lower() in SETTINGS_EXTS and not is_owner_file(name)
            and not name.startswith(".") and Path(schema.SETTINGS_FILE).stem in path.stem)


def _sheet_key(name) -> str:
    """A sheet name as compared with the settings workbook's: NFKC, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)))


# the sheets of the settings workbook (spec/settings.md), compared by ``_sheet_key``
SETTINGS_SHEETS = frozenset(_sheet_key(name) for name in (
    schema.SET_BASIC, schema.SET_ESTATES, schema.SET_CATEGORIES, schema.SET_LIMITS,
    schema.SET_INTERVALS, schema.SET_THRESHOLDS, schema.SET_DUTY, schema.SET_HOLIDAYS,
    schema.SET_REPORTING, schema.SET_COUNCIL, schema.SET_FEES, schema.SET_ROOMS))


def settings_sheet_names(names) -> list[str]:
    """Those of sheet ``names`` that are sheets of the settings workbook (基本信息, 小区 …)."""
    return [n for n in names if _sheet_key(n) in SETTINGS_SHEETS]


def has_settings_sheets(names) -> bool:
    """Sheets like the settings workbook's: 基本信息 and at least one other of its sheets."""
    found = {_sheet_key(n) for n in settings_sheet_names(names)}
    return _sheet_key(schema.SET_BASIC) in found and len(found) >= 2


def _skipped_dir(name: str) -> bool:
    return name in (schema.REPORTS_DIR, schema.STATE_DIR) or name.startswith(".")


def _wanted(path: Path) -> bool:
    name = path.name
    if is_owner_file(name) or name.startswith(".") or is_settings_name(name):
        return False
    ext = path.suffix.lower()
    return ext in SPREADSHEET_EXTS or ext in UNSUPPORTED_SHEET_EXTS


def discover(paths: list[Path], root: Path) -> Discovery:
    """Every spreadsheet under ``paths`` (folders scanned recursively), sorted by relative name.

    A file named explicitly is always looked at, whatever its extension (a wrong one becomes
    F001 later); inside folders only spreadsheet extensions are kept. F008 when an owner file
    sits beside a workbook (it is read anyway).
    """
    found: dict[str, Path] = {}
    for given in paths:
        given = Path(given)
        if given.is_dir():
            for path in _walk(given):
                found.setdefault(relative(path, root), path)
        elif given.is_file():
            if is_owner_file(given.name) or is_settings_name(given.name):
                continue
            found.setdefault(relative(given, root), given)
    result = Discovery()
    for rel in sorted(found):
        path = found[rel]
        result.files.append(path)
        owner = owner_file(path)
        if owner is not None:
            result.findings.append(file_finding("F008", rel, params={"owner": owner}))
    return result


def _walk(folder: Path):
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(d))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if _wanted(path):
                yield path


def owner_files(folder: Path) -> list[str]:
    """The owner (lock) files under ``folder``, by name: told apart when a folder holds
    nothing else (the ledgers themselves are elsewhere)."""
    if not Path(folder).is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(d))
        found.extend(name for name in sorted(filenames) if is_owner_file(name))
    return sorted(found, key=lambda name: not name.startswith("~$"))     # Excel/WPS's first


def owner_file(path: Path) -> str | None:
    """Name of the Excel/WPS/LibreOffice owner file beside ``path``, if there is one."""
    name = path.name
    for candidate in (f"~${name}", f"~${name[2:]}", f".~lock.{name}#"):
        if candidate != name and (path.parent / candidate).is_file():
            return candidate
    return None


# ---------------------------------------------------------------------------------------
# sniffing

def sniff(path: Path, rel: str) -> Sniffed:
    """Decide from the first bytes what ``path`` really is; findings say why it can't be read."""
    ext = path.suffix.lower()
    if in_reports_folder(path):
        return _own_output(rel)
    if ext in UNSUPPORTED_SHEET_EXTS:
        what = UNSUPPORTED_SHEET_EXTS[ext]
        return _bad(rel, "unsupported", what=what, ext=ext)
    if path.is_symlink() and not path.exists():      # a shortcut to something gone
        return _bad(rel, "broken_link", target=os.readlink(path))
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        from toolkit.errors import os_reason
        return _bad(rel, "unopenable", why=os_reason(exc), error=str(exc))
    if size == 0:
        return _bad(rel, "empty")
    if head.startswith(ZIP_MAGIC) or head.startswith(EMPTY_ZIP_MAGIC):
        return _sniff_zip(path, rel, ext)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path, rel, ext)
    if _is_old_biff(head):
        return _very_old(rel)
    if _is_utf16_text(path, head):
        if ext == ".csv":
            return Sniffed("csv")
        return _bad(rel, "utf16")
    other = _other_kind(path, head)
    if other is not None:
        return _bad(rel, "other_kind", what=Text(*other))
    if ext == ".csv":
        return _own_output(rel) if _is_town_csv(path) else Sniffed("csv")
    return _bad(rel, "not_workbook")


def in_reports_folder(path: Path) -> bool:
    """``path`` lies in a workspace's 报表 folder (the folder beside ``.shequ``, or one holding
    week folders ``2026-W48``), where only the tool's outputs are: ``weekly DIR/报表`` reads
    nothing."""
    for folder in Path(os.path.abspath(path)).parents:
        if folder.name != schema.REPORTS_DIR:
            continue
        if (folder.parent / schema.STATE_DIR).is_dir():
            return True
        try:
            if any(re.fullmatch(r"\d{4}-W\d{2}", child.name) and child.is_dir()
                   for child in folder.iterdir()):
                return True
        except OSError:
            continue
    return False


def own_output(properties: Mapping[str, str]) -> bool:
    """The document properties (title, creator, keywords of docProps/core.xml) are those of
    an output of the tool: the marker, or (written before it existed) our author and a report
    title. Our blank ledgers share the author but carry a ledger's title: ledgers."""
    if schema.OUTPUT_MARKER in properties.get("keywords", ""):
        return True
    title = properties.get("title", "")
    return properties.get("creator", "").strip() == schema.OUTPUT_AUTHOR and \
        any(word in title for word in schema.OUTPUT_TITLES)


def is_own_output(path: Path) -> bool:
    """``path`` is a workbook this tool wrote (its document properties say so); False for
    anything else, unreadable files included."""
    try:
        with zipfile.ZipFile(path) as zf:
            return own_output(_core_properties(zf))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError,
            zlib.error):
        return False


def _core_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """title, creator and keywords from docProps/core.xml (its first ``CORE_BYTES``)."""
    name = next((n for n in zf.namelist() if n.replace("\\", "/").lower() == "docprops/core.xml"),
                None)
    if name is None:
        return {}
    with zf.open(name) as fh:
        head = fh.read(CORE_BYTES)
    return {key.decode(): html.unescape(value.decode("utf-8", "replace"))
            for key, value in _CORE_PROPERTY.findall(head)}


def _is_town_csv(path: Path) -> bool:
    """The first line is the header of ``merge --csv`` (镇汇总.csv: UTF-8 with BOM, or
    resaved by Excel/WPS in GBK, with its own separators and quotes kept as they are)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError:
            continue
        cells = tuple(c.strip().strip('"') for c in re.split(r"[,\t]", text))
        if cells == schema.TOWN_CSV_COLUMNS:
            return True
    return False


def _own_output(rel: str) -> Sniffed:
    return _bad(rel, "own_output", code="F003", severity="info")


def _bad(rel: str, variant: str, code: str = "F001", severity: str | None = None,
         **params: Any) -> Sniffed:
    return Sniffed(None, [file_finding(code, rel, variant, params, severity=severity)])


def file_finding(code: str, rel: str, variant: str = "", params: Mapping[str, Any] | None = None,
                 severity: str | None = None, sheet: str | None = None) -> Finding:
    """A finding about a whole file (or one ``sheet`` of it): the code's template ``variant``
    (codes.py, "F — files") with ``params`` and ``file`` = ``rel``; the fix is the variant's
    fix template when it has one, else the code's default."""
    return finding(code, file=rel, sheet=sheet, variant=variant, severity=severity,
                   params={"file": rel, **(params or {})})


# BOF record of a BIFF2/3/4 file (Excel 2.x–4.0): record type, then its body's document type
_OLD_BIFF_BOF = (0x0009, 0x0209, 0x0409)
_BOF_TYPES = (0x0005, 0x0010, 0x0020, 0x0040, 0x0100)


def _is_old_biff(head: bytes) -> bool:
    """A bare BIFF2–4 stream (no OLE container): Excel 2.x–4.0, which calamine cannot read."""
    if len(head) < 8:
        return False
    rtype, length, _version, doc = struct.unpack_from("<HHHH", head)
    return rtype in _OLD_BIFF_BOF and 4 <= length <= 32 and doc in _BOF_TYPES


def _very_old(rel: str) -> Sniffed:
    return _bad(rel, "very_old")


def utf16_encoding(data: bytes) -> str | None:
    """``utf-16`` (BOM), ``utf-16-le``/``utf-16-be`` (sniffed: zero high bytes on one side) for
    UTF-16 text such as Excel's "Unicode text", else None. ``data`` is the file's start."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    sample = sample[:len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    pairs = len(sample) // 2
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.2 * pairs and other <= 0.02 * pairs:
            try:
                text = sample.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
                return encoding
    return None


def _is_utf16_text(path: Path, head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" not in head:
        return False
    try:
        with open(path, "rb") as fh:
            return utf16_encoding(fh.read(4096)) is not None
    except OSError:
        return False


def _other_kind(path: Path, head: bytes) -> tuple[str, str] | None:
    """Recognise common non-spreadsheet files by their magic bytes."""
    magics = ((b"%PDF", ("PDF 文件", "a PDF file")), (b"\x89PNG", ("PNG 图片", "a PNG image")),
              (b"\xff\xd8\xff", ("JPEG 图片", "a JPEG image")), (b"GIF8", ("GIF 图片", "a GIF image")),
              (b"Rar!", ("RAR 压缩包", "a RAR archive")), (b"7z\xbc\xaf", ("7z 压缩包", "a 7z archive")),
              (b"{\\rtf", ("RTF 文档", "an RTF document")))
    for magic, what in magics:
        if head.startswith(magic):
            return what
    try:
        with open(path, "rb") as fh:
            text = fh.read(4096)
    except OSError:
        return None
    lowered = text.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in lowered and b"<html" not in lowered:
            return "Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet"
        if b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered:
            return "网页文件（HTML），常见于从网站“导出Excel”得到的文件", "a web page (HTML) with a spreadsheet name"
        return "XML 文件", "an XML file"
    if b"\x00" in text:
        return "二进制文件（未知格式）", "a binary file of unknown format"
    return None


def _sniff_zip(path: Path, rel: str, ext: str) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as zf:
            names = {n.replace("\\", "/").lower() for n in zf.namelist()}
            mimetype = zf.read("mimetype")[:100] if "mimetype" in zf.namelist() else b""
            properties = _core_properties(zf) if any(n.endswith("workbook.xml") for n in names) \
                else {}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError,
            zlib.error):
        return _bad(rel, "broken_zip")
    if any(n.startswith("word/") for n in names):
        what = ("Word 文档（.docx）", "a Word document (.docx)")
    elif any(n.startswith("ppt/") for n in names):
        what = ("PowerPoint 演示文稿（.pptx）", "a PowerPoint file (.pptx)")
    elif b"opendocument.spreadsheet" in mimetype:
        return _zip_book("ods", rel, ext, (".ods",), "OpenDocument 表格（.ods）",
                         "an OpenDocument spreadsheet (.ods)")
    elif mimetype:
        what = ("OpenDocument 文档", "an OpenDocument file")
    elif any(n.endswith("workbook.bin") for n in names):
        return _zip_book("xlsb", rel, ext, (".xlsb",), "Excel 二进制工作簿（.xlsb）",
                         "an Excel binary workbook (.xlsb)")
    elif any(n.endswith("workbook.xml") for n in names):
        if own_output(properties):
            return _own_output(rel)
        # the workbook part may stand anywhere the package's relationships say (``wtf/``,
        # the root, ``xl\\`` with backslashes): calamine follows them, so does ``sheets``
        return _zip_book("xlsx", rel, ext, (".xlsx", ".xlsm"), ".xlsx 工作簿", "an .xlsx workbook")
    else:
        what = ("ZIP 压缩包", "a zip archive")
    return _bad(rel, "renamed", what=Text(*what))


def _zip_book(fmt: str, rel: str, ext: str, exts: tuple[str, ...], what: str, what_en: str) -> Sniffed:
    """A zipped workbook; F010 when its name says otherwise (read by content anyway, a
    workbook named .csv too, like an .xls named .csv)."""
    found = Sniffed(fmt)
    if ext not in exts and ext in SPREADSHEET_EXTS:
        found.findings.append(file_finding(
            "F010", rel, "misnamed", {"ext": ext, "what": Text(what, what_en), "read_as": exts[0]}))
    return found


def _sniff_ole(path: Path, rel: str, ext: str) -> Sniffed:
    """OLE container: legacy .xls, an encrypted OOXML workbook, or another Office file.
    Stream names are compared without case (``BOOK``, ``WORKBOOK`` are written by some tools)."""
    import olefile  # msoffcrypto's own dependency

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s).lower() for s in ole.listdir(streams=True, storages=False)}
            stream = workbook_stream(ole)
            globals_ = ole.openstream(stream).read(1 << 20) if stream else b""
    except Exception:  # noqa: BLE001 - a broken container is F001, never a traceback
        return _bad(rel, "broken_ole")
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        return _default_key(path, rel, "xlsx" if ext != ".xlsb" else "xlsb")
    if stream is not None:
        if _is_old_biff(globals_[:8]):
            return _very_old(rel)
        scheme = _filepass(globals_)
        if scheme == "xor":
            return _encrypted(rel)
        if scheme is not None:
            return _default_key(path, rel, "xls")
        found = Sniffed("xls")
        found.findings.append(_legacy(rel, ext))
        return found
    if "worddocument" in streams:
        what = ("旧版 Word 文档（.doc）", "a legacy Word document (.doc)")
    elif "powerpoint document" in streams:
        what = ("旧版 PowerPoint 文件（.ppt）", "a legacy PowerPoint file (.ppt)")
    else:
        what = ("其他 Office 文件", "another kind of Office file")
    return _bad(rel, "office", what=Text(*what))


def workbook_stream(ole) -> str | None:
    """The name of the BIFF workbook stream (``Workbook``, BIFF5's ``Book``) in any case."""
    for entry in ole.listdir(streams=True, storages=False):
        if len(entry) == 1 and entry[0].lower() in ("workbook", "book"):
            return entry[0]
    return None


def _legacy(rel: str, ext: str) -> Finding:
    return file_finding("F010", rel, "legacy" if ext == ".xls" else "legacy_misnamed")


def _filepass(globals_: bytes) -> str | None:
    """The encryption of a BIFF5/8 workbook from its FILEPASS record (before the globals'
    EOF): ``xor`` (obfuscation with a password), ``rc4``, or None when not encrypted."""
    pos = 0
    while pos + 4 <= len(globals_):
        rtype, length = struct.unpack_from("<HH", globals_, pos)
        if rtype == 0x002F:                          # FILEPASS
            body = globals_[pos + 4:pos + 4 + length]
            if length == 4 or body[:2] == b"\x00\x00":   # BIFF5 (key + hash) or BIFF8 type 0
                return "xor"
            return "rc4"
        if rtype == 0x000A:                          # EOF of the globals substream
            return None
        pos += 4 + length
    return None


# Excel encrypts a workbook that has only a "modify" password or protected sheets with this
# built-in key; Excel and WPS open it without asking for a password
DEFAULT_KEY = "VelvetSweatshop"


def _default_key(path: Path, rel: str, fmt: str) -> Sniffed:
    """An encrypted workbook: decrypted with Excel's built-in key when that is the key (read,
    F010 info), else F002 (a real password)."""
    import io

    import msoffcrypto

    try:
        with open(path, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password=DEFAULT_KEY)
            out = io.BytesIO()
            office.decrypt(out)
    except Exception:  # noqa: BLE001 - any failure to decrypt means a password is needed
        return _encrypted(rel)
    data = out.getvalue()
    if data.startswith(ZIP_MAGIC):
        fmt = "xlsb" if fmt == "xlsb" else "xlsx"
    elif data.startswith(OLE_MAGIC):
        fmt = "xls"
    else:
        return _encrypted(rel)
    found = Sniffed(fmt, data=data)
    found.findings.append(file_finding("F010", rel, "default_key"))
    return found


def _encrypted(rel: str) -> Sniffed:
    return _bad(rel, "", code="F002")


# ---------------------------------------------------------------------------------------
# safety (F009)

def zip_problem(zf: zipfile.ZipFile, rel: str) -> Finding | None:
    """F009 when parsing would cost too much — too many entries, or more than MAX_UNCOMPRESSED
    bytes of XML to parse (declared sizes; zipfile stops at the declared size, so a lie ends
    in a CRC error, F001) — or an XML part declares a DTD (entity expansion). Checked before
    any parser runs. How well a part compresses is no sign of a bomb by itself: long repeated
    text (large_strings.xlsx: 57 MB, ratio 121) is honest; what it costs to parse is bounded."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        return file_finding("F009", rel, "entries", {"entries": len(infos), "limit": MAX_ZIP_ENTRIES})
    total = sum(i.file_size for i in infos if _parsed(i.filename))
    if total > MAX_UNCOMPRESSED:
        return file_finding("F009", rel, "uncompressed",
                            {"mb": total // 2**20, "limit_mb": MAX_UNCOMPRESSED // 2**20})
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")) and _declares_dtd(zf, info):
            return file_finding("F009", rel, "dtd", {"entry": info.filename})
    return None


def _parsed(name: str) -> bool:
    """Parts a reader parses (XML, .bin records of .xlsb); pictures and the like are skipped."""
    return name.lower().endswith((".xml", ".rels", ".bin", ".vml"))


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Look at the XML prolog (the only place a DTD may stand) for ``<!DOCTYPE``/``<!ENTITY``."""
    with zf.open(info) as fh:
        head = fh.read(PROLOG_BYTES)
    if _DTD.search(head):
        return True
    # a prolog padded past the window (comments, whitespace) is refused rather than trusted
    return len(head) == PROLOG_BYTES and not _ROOT.search(head)

