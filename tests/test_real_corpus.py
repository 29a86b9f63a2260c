"""Real spreadsheets from other projects' test suites (../shared/real-corpus/, issue #19).

One test per manifest row asserts its ``expect`` class; one whole-folder ``shequ check`` run in
a subprocess asserts a JSON result, exit 1 or 2, no traceback and a peak RSS under 1 GB. The
files are never copied into the repository: the folder sits beside the project in CI and in
development (or set SHEQU_REAL_CORPUS); without it these tests are skipped.
"""
from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from toolkit.read import read_workspace

ROOT = Path(__file__).resolve().parent.parent


def _corpus() -> Path | None:
    candidates = [os.environ.get("SHEQU_REAL_CORPUS"), ROOT.parent / "shared" / "real-corpus",
                  ROOT.parent.parent / "shared" / "real-corpus"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "manifest.tsv").is_file():
            return Path(candidate)
    return None


CORPUS = _corpus()
SKIP = pytest.mark.skipif(CORPUS is None, reason="../shared/real-corpus is absent (set SHEQU_REAL_CORPUS)")


def _rows() -> list[dict[str, str]]:
    if CORPUS is None:
        return []
    with open(CORPUS / "manifest.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


# rows whose manifest expectation is wrong, and what is asserted instead (reported to the lead)
CORRECTED = {
    # an OLE container encrypted with the password "password" (its name says so): not a plain
    # .xlsb calamine could read, and not Excel's default key
    "053-exceldatareader-src__TestData__standard_AES128_SHA1_ECB_pwd_password.xlsb": "F002",
    # calamine's denial-of-service test: the sheet declares 17,179,869,184 cells and calamine
    # itself refuses it; a safety finding is the right answer
    "008-calamine-tests__issue_594_dos.ods": "finding",
}


def _expect(row: dict[str, str]) -> str:
    """The expectation class: same, read, F002, old, finding."""
    if row["file"] in CORRECTED:
        return CORRECTED[row["file"]]
    expect = row["expect"]
    if expect.startswith("no crash; same class"):
        return "same"
    if expect.startswith("F001 saying it is a very old"):
        return "old"
    if expect.startswith("F002"):
        return "F002"
    if expect.startswith("read or finding"):
        return "any"
    if expect.startswith("read"):
        return "read"
    if expect.startswith("finding"):
        return "finding"
    raise AssertionError(f"unknown expectation {expect!r}")


def _classes(codes: str) -> set[str]:
    return {code.split("x")[0] for code in codes.split(",") if code}


FILE_LEVEL = ("F001", "F002", "F009")


@SKIP
@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["file"][:60])
def test_manifest_row(row):
    path = CORPUS / "files" / row["file"]
    ws = read_workspace([path], as_of=date(2026, 11, 30), root=path.parent)
    codes = {f.code for f in ws.findings if f.code.startswith("F")}
    whole = [f for f in ws.findings if f.code in FILE_LEVEL and f.sheet is None]
    expect = _expect(row)
    for f in ws.findings:                      # every finding names the file
        assert f.file == row["file"]
    if expect == "same":
        assert codes == _classes(row["codes_today"])
    elif expect == "read":
        assert ws.readable == 1 and not whole, [f.message.en for f in whole]
    elif expect == "F002":
        assert ws.readable == 0 and [f.code for f in whole] == ["F002"]
    elif expect == "old":
        [f] = whole
        assert f.code == "F001" and "Excel 2.x–4.0" in f.message.zh and ".xlsx" in f.fix.zh
    elif expect == "finding":
        assert ws.readable == 0 and whole
    else:                                      # read, or a finding; never a crash
        assert ws.readable == 1 or whole


@SKIP
def test_whole_folder_run_is_bounded():
    """``shequ check`` on the whole folder: JSON, exit 1 or 2, no traceback, peak RSS < 1 GB
    (the largest child's and the run's own, from RUSAGE_CHILDREN)."""
    script = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run([sys.executable, '-m', 'toolkit', 'check', sys.argv[1], '--format', 'json'],"
        " capture_output=True, text=True)\n"
        "sys.stdout.write(p.stdout)\n"
        "sys.stderr.write(p.stderr)\n"
        "sys.stderr.write('\\nPEAK %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(p.returncode)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(CORPUS / "files")], capture_output=True,
                          text=True, cwd=ROOT, timeout=900)
    assert proc.returncode in (1, 2), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr
    result = json.loads(proc.stdout)
    assert {"sources", "findings", "summary"} <= set(result)
    peak_kb = int(proc.stderr.rsplit("PEAK ", 1)[1].split()[0])
    assert peak_kb < 1024 * 1024, f"peak RSS {peak_kb // 1024} MB"
    files = {f.get("file") for f in result["findings"]}
    rows = _rows()
    # every file has an outcome: a source read or a finding naming it
    read = {s["file"] for s in result["sources"]} | files
    assert {row["file"] for row in rows} <= read
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024
