"""Loud failure (cli.md exit codes; issue #14): an empty or wrong folder never produces reports
that look like a normal week; a workspace without 居委名称 says so (S503) and merge refuses it."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import schema
from toolkit.cli import cli
from toolkit.report.templates import write_settings
from toolkit.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
XINZE = ROOT / "samples" / "xinze"
AS_OF = "2026-11-23"


def run(args, **kw):
    return CliRunner().invoke(cli, args, prog_name="shequ", **kw)


def snapshot(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _wrong_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "文档"
    folder.mkdir()
    (folder / "会议纪要.docx").write_bytes(b"PK\x03\x04 not a ledger")
    (folder / "说明.txt").write_text("不是台账", encoding="utf-8")
    return folder


@pytest.fixture(params=["empty", "wrong"])
def nothing_here(request, tmp_path) -> Path:
    if request.param == "empty":
        folder = tmp_path / "空文件夹"
        folder.mkdir()
        return folder
    return _wrong_folder(tmp_path)


def test_weekly_on_an_empty_or_wrong_folder_writes_nothing_and_exits_2(nothing_here):
    before = snapshot(nothing_here)
    result = run(["weekly", str(nothing_here), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert snapshot(nothing_here) == before                  # no 报表, no .shequ, no history
    message = result.output.strip()
    assert str(nothing_here) in message and "没有读到任何台账" in message
    assert message.count("\n") == 0 and "错误 0" not in message   # one sentence, no success line


@pytest.mark.parametrize("command", ["assign", "report"])
def test_assign_and_report_write_nothing_on_an_empty_folder(nothing_here, tmp_path, command):
    out = tmp_path / "输出"
    args = [command, str(nothing_here), "--as-of", AS_OF,
            "-o", str(out / schema.WORK_ORDERS) if command == "assign" else str(out)]
    before = snapshot(nothing_here)
    result = run(args)
    assert result.exit_code == 2
    assert not out.exists() and snapshot(nothing_here) == before
    assert str(nothing_here) in result.output


def test_schedule_once_on_an_empty_folder_exits_2_and_logs_the_failure(nothing_here):
    result = run(["schedule", str(nothing_here), "--once", "--as-of", AS_OF])
    assert result.exit_code == 2
    assert not (nothing_here / schema.REPORTS_DIR).exists()
    assert not (nothing_here / schema.STATE_DIR / "history.sqlite").exists()
    log = (nothing_here / schema.STATE_DIR / "logs" / "shequ.log").read_text("utf-8")
    assert "失败" in log and "没有读到任何台账" in log and "完成" not in log


def test_check_on_an_empty_folder_names_it(nothing_here):
    result = run(["check", str(nothing_here), "--as-of", AS_OF])
    assert result.exit_code == 2 and str(nothing_here) in result.output


# ---------------------------------------------------------------------------- 居委名称
def _workspace(tmp_path: Path, committee: str) -> Path:
    work = tmp_path / "ws"
    shutil.copytree(XINZE, work)
    write_settings(work / schema.SETTINGS_FILE, Settings(committee=committee), as_of=date(2026, 11, 23))
    return work


def test_s503_when_the_committee_name_is_empty(tmp_path):
    from toolkit import pipeline
    work = _workspace(tmp_path, "")
    [f] = [f for f in pipeline.check([work], as_of=date(2026, 11, 23)).findings if f.code == "S503"]
    assert (f.file, f.sheet, f.row, f.column, f.severity) == (schema.SETTINGS_FILE, "基本信息", 2, "B", "warning")
    assert "居委名称" in f.message.zh and "居委名称" in f.fix.zh
    named = _workspace(tmp_path / "b", "莘泽居民区")
    assert not [f for f in pipeline.check([named], as_of=date(2026, 11, 23)).findings if f.code == "S503"]


def test_a_fresh_workspace_says_the_committee_name_is_missing(tmp_path):
    work = tmp_path / "台账"
    assert run(["init", str(work)]).exit_code == 0
    shutil.copy(XINZE / "诉求台账.xlsx", work / "诉求台账.xlsx")
    result = run(["check", str(work), "--as-of", AS_OF, "--only", "S503"])
    assert "S503" in result.output


def test_merge_refuses_a_report_without_committee_name_naming_the_file(tmp_path):
    reports = []
    for n in (1, 2):
        work = _workspace(tmp_path / f"c{n}", "")
        assert run(["report", str(work), "--as-of", AS_OF, "-o", str(work / "out"), "-q"]).exit_code in (0, 1)
        reports.append(work / "out" / schema.TOWN_REPORT)
    result = run(["merge", *map(str, reports), "-o", str(tmp_path / "镇汇总.xlsx")])
    assert result.exit_code == 2
    assert str(reports[0]) in result.output and "没有居委名称" in result.output
    assert "出现了两次" not in result.output and not (tmp_path / "镇汇总.xlsx").exists()


# ------------------------------------------------------- why nothing could be read (one sentence)
CORPUS = ROOT / "tests" / "corpus"


def test_weekly_when_every_ledger_is_unopenable_names_that_reason(tmp_path):
    """Every ledger encrypted or damaged: the one sentence says files could not be opened
    (how many, and why), not that the headers might be wrong; nothing is written."""
    folder = tmp_path / "台账"
    folder.mkdir()
    shutil.copy(CORPUS / "07_加密.xlsx", folder / "诉求台账.xlsx")
    (folder / "老年人台账.xlsx").write_bytes(b"not a workbook at all")
    (folder / "志愿者名册.xlsx").write_bytes(b"PK\x03\x04 truncated")
    before = snapshot(folder)
    result = run(["weekly", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2 and snapshot(folder) == before
    message = result.output.strip()
    assert message.count("\n") == 0 and str(folder) in message
    assert "3 个文件打不开" in message and "1 个设置了打开密码" in message
    assert "2 个损坏或不是 Excel 工作簿" in message and "表头" not in message
    en = run(["weekly", str(folder), "--as-of", AS_OF, "--lang", "en"]).output
    assert "3 files could not be opened" in en and "1 password-protected" in en


def test_check_on_a_folder_of_lock_files_only_exits_2_and_says_so(tmp_path):
    """Only the owner files Excel/WPS (~$…) and LibreOffice (.~lock.…#) leave while a ledger
    is open: nothing read, exit 2, one sentence naming the folder and the lock files; the
    report does not say 未发现问题."""
    folder = tmp_path / "台账"
    folder.mkdir()
    (folder / "~$诉求台账.xlsx").write_bytes(b"\x07clerk")
    (folder / ".~lock.老年人台账.xlsx#").write_text("clerk,host", encoding="utf-8")
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert "未发现问题" not in result.stdout
    (sentence,) = result.stderr.strip().splitlines()
    assert str(folder) in sentence and "锁文件" in sentence and "~$诉求台账.xlsx" in sentence
    weekly = run(["weekly", str(folder), "--as-of", AS_OF])
    assert weekly.exit_code == 2 and "锁文件" in weekly.output
