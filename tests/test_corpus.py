"""The bad-input corpus (tests/corpus/, made by tests/corpus/make_corpus.py).

For every bad file, copied into a fresh folder beside one good small ledger:
- ``pipeline.check`` and ``shequ check`` (CliRunner) finish without a traceback;
- the expected finding appears (code and a piece of its Chinese message);
- the good ledger beside it is still read (2 volunteers);
- every input file is byte-identical afterwards (sha256 before and after).
Bombs that must be made big run in a subprocess with a memory and time budget.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import pipeline
from toolkit.cli import cli

CORPUS = Path(__file__).parent / "corpus"
GOOD = CORPUS / "good" / "好的志愿者名册.xlsx"
AS_OF = date(2026, 11, 23)
sys.path.insert(0, str(CORPUS))
import make_corpus  # noqa: E402


@dataclass(frozen=True)
class Case:
    files: tuple[str, ...]
    expect: tuple[tuple[str, str], ...]          # (code, piece of the Chinese message)
    reads: dict[str, int] = field(default_factory=dict)   # kind → records from the bad file(s)
    rows: tuple[tuple[str, int], ...] = ()       # (code, Excel row) that must be named

    @property
    def id(self) -> str:
        return self.files[0].split("_")[0]


CASES = [
    Case(("01_空文件.xlsx",), (("F001", "空文件"),)),
    Case(("02_截断.xlsx",), (("F001", "损坏或不完整"),)),
    Case(("03_其实是Word.xlsx",), (("F001", "Word"),)),
    Case(("04_其实是PDF.xlsx",), (("F001", "PDF"),)),
    Case(("05_其实是图片.xlsx",), (("F001", "PNG"),)),
    Case(("06_网页导出.xls",), (("F001", "网页"),)),
    Case(("07_加密.xlsx",), (("F002", "密码"),)),
    Case(("08_加密.xls",), (("F002", "密码"),)),
    Case(("09_压缩炸弹_声明4GB.xlsx",), (("F009", "解压后"),)),
    Case(("10_实体炸弹.xlsx",), (("F009", "DOCTYPE"),)),
    Case(("11_外部实体.xlsx",), (("F009", "DOCTYPE"),)),
    Case(("12_维度百万行.xlsx",), (), reads={"elderly": 2}),
    # a bare register (no stage column at all): one F004 "stage" notice, no per-row R201
    Case(("13_公式注入.xlsx",), (("F004", "梳理分类"),), reads={"requests": len(make_corpus.INJECTIONS)}),
    Case(("14_控制字符.xlsx",), (), reads={"elderly": 3}),
    Case(("15_GB18030坏字节.csv",), (("F010", "无法识别的字符"),), reads={"volunteers": 2}),
    Case(("16_引号未闭合.csv",), (("F010", "引号"),), reads={"volunteers": 3}),
    Case(("17_极端日期.xlsx",), (("D102", "无法识别日期"), ("D102", "0000-01-01"),
                               ("D102", "1900-01-00"), ("D103", "9999-12-31")),
         reads={"visits": 8}, rows=(("D102", 5), ("D102", 6), ("D102", 8), ("D102", 9),
                                    ("D103", 4), ("D103", 7))),
    Case(("18_合并单元格跨表头.xlsx",), (("D101", "编号"),), reads={"elderly": 3},
         rows=(("D101", 2), ("D101", 3))),
    Case(("19_表头重复.xlsx",), (), reads={"elderly": 3}),
    Case(("20_同类工作表冲突.xlsx",), (("D107", "LR-001"),), reads={"elderly": 2}),
    Case(("21_同编号_甲.xlsx", "21_同编号_乙.xlsx"), (("D107", "SQ-001"),), reads={"requests": 2}),
    Case(("22_1904日期.xlsx",), (("F010", "1904"),), reads={"visits": 1}),
    Case(("23_唯一工作表隐藏.xlsx",), (), reads={"elderly": 2}),
    Case(("24_公式错误值.xlsx",), (("F011", "#N/A"), ("F011", "#REF!"), ("F011", "#NULL!")),
         reads={"elderly": 2}, rows=(("F011", 2), ("F011", 3))),
    Case(("25_带宏.xlsm",), (), reads={"elderly": 2}),
    Case(("26_其实是xlsx.xls",), (("F010", ".xlsx"),), reads={"elderly": 2}),
    Case(("27_空压缩包.xlsx",), (("F001", "ZIP"),)),
    Case(("28_OpenDocument.ods",), (), reads={"elderly": 2}),
    Case(("29_通讯录.xlsx",), (("F003", "没有工作表能对应任何台账"),)),
    Case(("30_缺必需列.xlsx",), (("F004", "小区"),), reads={"elderly": 1}),
]

# known reader bugs: the test states the right behaviour; remove the mark once fixed
KNOWN: dict[str, str] = {}


def sha256_tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".shequ" not in p.parts}


def workspace_with(tmp_path: Path, files: tuple[str, ...]) -> Path:
    folder = tmp_path / "台账"
    folder.mkdir()
    for name in files:
        shutil.copyfile(CORPUS / name, folder / name)
    shutil.copyfile(GOOD, folder / GOOD.name)
    return folder


def params(known: bool = True):
    out = []
    for case in CASES:
        marks = ([pytest.mark.xfail(reason=KNOWN[case.id], strict=False)]
                 if known and case.id in KNOWN else [])
        out.append(pytest.param(case, id=case.files[0], marks=marks))
    return out


def test_corpus_is_complete():
    """Every committed bad file has a row in the table, and there are at least 25 kinds."""
    listed = {name for case in CASES for name in case.files}
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name[:2].isdigit()}
    assert on_disk == listed
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", params())
def test_library_reads_bad_input(case: Case, tmp_path: Path):
    folder = workspace_with(tmp_path, case.files)
    before = sha256_tree(folder)
    result = pipeline.check([folder], as_of=AS_OF)
    assert sha256_tree(folder) == before, "an input file was changed"
    found = [(f.code, f.message.zh) for f in result.findings]
    for code, piece in case.expect:
        assert any(c == code and piece in msg for c, msg in found), (code, piece, found)
    for code, row in case.rows:
        assert any(f.code == code and f.row == row for f in result.findings), (code, row)
    # the good ledger beside the bad file is still read
    good = [s for s in result.workspace.sources if s.file == GOOD.name]
    assert [s.records for s in good] == [2]
    bad_sources = [s for s in result.workspace.sources if s.file in case.files]
    got = {}
    for s in bad_sources:
        got[s.kind] = got.get(s.kind, 0) + s.records
    assert got == case.reads
    # a file that could not be read is named by exactly its own F-finding, never the good one
    assert not any(f.code.startswith("F") and f.file == GOOD.name for f in result.findings)


@pytest.mark.parametrize("case", params(known=False))
def test_cli_check_bad_input(case: Case, tmp_path: Path):
    folder = workspace_with(tmp_path, case.files)
    before = sha256_tree(folder)
    run = CliRunner().invoke(cli, ["check", str(folder), "--as-of", AS_OF.isoformat(),
                                   "--format", "json", "--quiet"])
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    assert "Traceback" not in run.output and "内部错误" not in run.output
    assert run.exit_code in (0, 1)                  # the good ledger was read: never 2
    doc = json.loads(run.stdout)
    codes = {f["code"] for f in doc["findings"]}
    assert {code for code, _ in case.expect} <= codes
    assert sha256_tree(folder) == before


def test_text_output_of_control_characters(tmp_path: Path):
    """Control characters, emoji and bidi marks survive text and JSON output (no encode error)."""
    folder = workspace_with(tmp_path, ("14_控制字符.xlsx",))
    for fmt in ("text", "json"):
        run = CliRunner().invoke(cli, ["check", str(folder), "--as-of", "2026-11-23", "--format", fmt])
        assert run.exit_code in (0, 1), run.output
        assert "LR-001" in run.stdout
    doc = json.loads(run.stdout)
    assert any(f["record"] == "LR-001" and "张\x01三" in f["message"] for f in doc["findings"])
    names = {r.values["name"] for r in pipeline.check([folder], as_of=AS_OF).workspace.ledger("elderly")}
    assert "李👵四🧓" in names


def test_formula_injection_is_read_as_text(tmp_path: Path):
    folder = workspace_with(tmp_path, ("13_公式注入.xlsx",))
    records = pipeline.check([folder], as_of=AS_OF).workspace.ledger("requests")
    contents = [r.raw("content") for r in records]
    # raw cells are exactly the strings typed (a CR becomes LF in XML); never a computed value
    assert contents[:4] == list(make_corpus.INJECTIONS[:4])
    assert contents[6] == make_corpus.INJECTIONS[6]
    assert all(isinstance(r.values["content"], str) for r in records)


def _cells(path: Path):
    import openpyxl

    wb = openpyxl.load_workbook(path)          # not read-only: formulas keep data_type "f"
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    yield ws.title, cell
    finally:
        wb.close()


def test_formula_injection_written_as_text(tmp_path: Path):
    """Requests whose texts look like formulas: every workbook ``weekly`` writes holds them as
    text cells (no formula cell anywhere), and the texts are really there."""
    folder = workspace_with(tmp_path, ("13_公式注入.xlsx",))
    run = CliRunner().invoke(cli, ["weekly", str(folder), "--as-of", "2026-11-23", "--quiet"])
    assert run.exit_code in (0, 1), run.output
    outputs = sorted((folder / "报表").rglob("*.xlsx"))
    assert len(outputs) == 3
    texts = []
    for out in outputs:
        for _, cell in _cells(out):
            assert cell.data_type != "f", (out.name, cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                texts.append(cell.value)
    assert make_corpus.INJECTIONS[0] in texts and "@SUM(1)" in texts


def test_big_string_cell(tmp_path: Path):
    """A 10 MB string in 地址 and a 1 MB one in 出生日期: read quickly, message stays short."""
    folder = tmp_path / "台账"
    folder.mkdir()
    make_corpus.make_big_string(folder / "超长文本.xlsx")
    shutil.copyfile(GOOD, folder / GOOD.name)
    before = sha256_tree(folder)
    result = pipeline.check([folder], as_of=AS_OF)
    assert sha256_tree(folder) == before
    [record] = result.workspace.ledger("elderly")
    assert len(record.values["address"]) > 3_000_000
    d102 = [f for f in result.findings if f.code == "D102"]
    assert d102 and d102[0].row == 2


def test_big_string_message_is_bounded(tmp_path: Path):
    """The quoted raw value is cut to ~50 characters with "…", the finding's value to 200."""
    folder = tmp_path / "台账"
    folder.mkdir()
    make_corpus.make_big_string(folder / "超长文本.xlsx", size=300_000)
    result = pipeline.check([folder], as_of=AS_OF)
    d102 = [f for f in result.findings if f.code == "D102"]
    assert d102 and all(len(f.message.zh) < 1000 and len(f.message.en) < 1000 for f in d102)
    assert all("…" in f.message.zh and "…" in f.message.en for f in d102)
    assert all(isinstance(f.value, str) and len(f.value) == 201 and f.value.endswith("…")
               for f in d102)
    # every finding of the reading layer (F and D codes) stays small in run.json
    assert max(len(json.dumps(f.to_dict("zh"), ensure_ascii=False))
               for f in result.findings if f.code[0] in "FD") < 2000


def _phantom_checked(folder: Path, file: str) -> None:
    result = pipeline.check([folder], as_of=AS_OF)
    [phantom] = [f for f in result.findings if f.file == file and f.row == 3]
    assert phantom.code == "D102" and "Excel 的 1900-02-29 并不存在" in phantom.message.zh
    assert phantom.value == "1900-02-29" and phantom.column == "A"
    visits = {r.row: r for r in result.workspace.ledger("visits") if r.file == file}
    assert visits[3].values["date"] is None and "date" in visits[3].invalid
    assert visits[2].values["date"] == date(1900, 1, 1)         # serial 1 and 59 stay dates


def test_phantom_1900_02_29_is_d102(tmp_path: Path):
    """Serial 60 in a date cell: calamine shows 1900-02-28; the stored number says 1900-02-29."""
    folder = workspace_with(tmp_path, ("17_极端日期.xlsx",))
    _phantom_checked(folder, "17_极端日期.xlsx")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_phantom_1900_02_29_in_legacy_xls(tmp_path: Path):
    """The same workbook saved as .xls by LibreOffice: serial 60 found in the BIFF records."""
    folder = workspace_with(tmp_path, ("17_极端日期.xlsx",))
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "xls", "--outdir", str(folder),
                           str(folder / "17_极端日期.xlsx")], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (folder / "17_极端日期.xlsx").unlink()
    _phantom_checked(folder, "17_极端日期.xls")


def _error_values_checked(folder: Path, file: str, shown: dict[str, str]) -> None:
    result = pipeline.check([folder], as_of=AS_OF)
    mine = [f for f in result.findings if f.file == file]
    f011 = {f.column: f for f in mine if f.code == "F011"}
    # a column whose every filled cell shows an error (B, C: two rows each) is one finding
    # from its first row, naming each error; a lone error cell is its own (rules.md)
    assert sorted(f011) == sorted({cell[0] for cell in shown})
    for cell, value in shown.items():
        f = f011[cell[0]]
        assert f.severity == "warning" and value in f.message.zh
        assert f.row == min(int(c[1:]) for c in shown if c[0] == cell[0])
    # the clerk is not told "必填项为空" about a cell that shows an error
    assert not any(f.code == "D101" and f"{f.column}{f.row}" in shown for f in mine)
    first = next(r for r in result.workspace.ledger("elderly") if r.file == file)
    assert first.values["name"] is None and {"name", "birth", "address"} <= first.invalid


def test_formula_error_values_are_named(tmp_path: Path):
    """Cells whose cached value is an error (t="e", with or without a formula): F011 per cell."""
    folder = workspace_with(tmp_path, ("24_公式错误值.xlsx",))
    _error_values_checked(folder, "24_公式错误值.xlsx", {
        "B2": "#N/A", "C2": "#REF!", "E2": "#DIV/0!", "B3": "#NAME?", "C3": "#VALUE!", "F3": "#NULL!"})


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_formula_error_values_in_legacy_xls(tmp_path: Path):
    """Saved as .xls by LibreOffice (which recalculates: the VLOOKUP becomes #NAME?): error
    cells found in BOOLERR and FORMULA records."""
    folder = workspace_with(tmp_path, ("24_公式错误值.xlsx",))
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "xls", "--outdir", str(folder),
                           str(folder / "24_公式错误值.xlsx")], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (folder / "24_公式错误值.xlsx").unlink()
    _error_values_checked(folder, "24_公式错误值.xls", {
        "B2": "#NAME?", "C2": "#REF!", "E2": "#DIV/0!", "B3": "#NAME?", "C3": "#VALUE!", "F3": "#NULL!"})


def test_macros_are_never_run(tmp_path: Path):
    """An .xlsm with a Workbook_Open macro: values read, the macro's target never appears."""
    folder = workspace_with(tmp_path, ("25_带宏.xlsm",))
    marker = tmp_path / "ran"
    result = pipeline.check([folder], as_of=AS_OF)
    assert [r.id for r in result.workspace.ledger("elderly")] == ["LR-001", "LR-002"]
    assert not marker.exists()


# ---------------------------------------------------------------------------------------
# bombs: a subprocess, with its peak memory measured

BOMB_SCRIPT = textwrap.dedent("""
    import json, resource, sys, time
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, {corpus!r})
    import make_corpus
    folder = Path(sys.argv[1])
    getattr(make_corpus, sys.argv[2])(folder / "bomb.xlsx", *map(int, sys.argv[3:]))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from toolkit import pipeline
    start = time.perf_counter()
    result = pipeline.check([folder], as_of=date(2026, 11, 23))
    print(json.dumps({{"seconds": time.perf_counter() - start,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "made_peak_mb": base / 1024,
                      "codes": sorted({{f.code for f in result.findings if f.file == "bomb.xlsx"}}),
                      "good": [s.records for s in result.workspace.sources if s.file != "bomb.xlsx"]}}))
""")


def run_bomb(tmp_path: Path, maker: str, *args: int) -> dict:
    folder = tmp_path / "台账"
    folder.mkdir()
    shutil.copyfile(GOOD, folder / GOOD.name)
    script = tmp_path / "bomb.py"
    script.write_text(BOMB_SCRIPT.format(corpus=str(CORPUS)), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(folder), maker, *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("maker, args, code", [
    ("make_ratio_bomb", (400 * 2**20,), "F009"),        # 0.4 MB that inflates to 400 MB
    ("make_lying_bomb", (400 * 2**20,), "F001"),        # declares 2 KB, inflates to 400 MB
    ("make_many_entries", (10_001,), "F009"),
])
def test_bombs_bounded(tmp_path: Path, maker: str, args: tuple, code: str):
    stats = run_bomb(tmp_path, maker, *args)
    assert stats["codes"] == [code]
    assert stats["good"] == [2]
    assert stats["seconds"] < 20
    assert stats["peak_mb"] < 500


def test_dense_shared_strings_bounded(tmp_path: Path):
    """~6 MB deflating ~42:1 to 256 MB of shared strings: inside the old limits (500 MB, ratio
    200), where calamine peaked at ~6× the XML (400 MB → 2.4 GB); refused now (200 MB total).
    Making the file takes ~8 s; refusing it takes milliseconds."""
    stats = run_bomb(tmp_path, "make_dense_strings", 256 * 2**20)
    assert stats["codes"] == ["F009"]
    assert stats["good"] == [2]
    assert stats["seconds"] < 5
    assert stats["peak_mb"] < 500
