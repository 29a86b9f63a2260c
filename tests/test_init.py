"""shequ init: a new workspace; refuses to overwrite (and then writes nothing). shequ template."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from toolkit import schema
from toolkit.cli import cli
from toolkit.errors import UsageError
from toolkit.read.settings import read_settings
from toolkit.report.workspace import init_workspace, staff_readme, workspace_files
from toolkit.settings import Settings

AS_OF = date(2026, 11, 23)
EXPECTED = sorted(list(schema.LEDGER_FILES.values()) + [schema.SETTINGS_FILE, schema.STAFF_README])


def test_init_creates_every_file(tmp_path):
    target = tmp_path / "台账"
    written = init_workspace(target, as_of=AS_OF)
    assert sorted(p.name for p in written) == EXPECTED
    assert sorted(p.name for p in target.iterdir()) == EXPECTED
    for kind, name in schema.LEDGER_FILES.items():
        ws = openpyxl.load_workbook(target / name)[schema.LEDGERS[kind].sheet]
        assert [c.value for c in ws[1]] == [c.header for c in schema.LEDGERS[kind].template_columns]
        assert ws.max_row == 1                     # blank: header only
    assert read_settings(target / schema.SETTINGS_FILE) == (Settings(), [])


def test_init_into_an_existing_folder_with_other_files(tmp_path):
    (tmp_path / "旧文件.docx").write_bytes(b"x")
    init_workspace(tmp_path, as_of=AS_OF)
    assert (tmp_path / "旧文件.docx").read_bytes() == b"x"
    assert (tmp_path / schema.SETTINGS_FILE).exists()


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path):
    ledger = tmp_path / schema.LEDGER_FILES["elderly"]
    ledger.write_bytes(b"staff data")
    with pytest.raises(UsageError) as err:
        init_workspace(tmp_path, as_of=AS_OF)
    assert ledger.name in err.value.message("zh") and ledger.name in err.value.message("en")
    assert sorted(p.name for p in tmp_path.iterdir()) == [ledger.name]
    assert ledger.read_bytes() == b"staff data"


def test_init_refuses_a_file_path(tmp_path):
    target = tmp_path / "x"
    target.write_text("x")
    with pytest.raises(UsageError):
        init_workspace(target, as_of=AS_OF)


def test_staff_readme_is_chinese_and_names_the_files(tmp_path):
    init_workspace(tmp_path, as_of=AS_OF)
    text = (tmp_path / schema.STAFF_README).read_text("utf-8")
    assert text == staff_readme()
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert cjk > len(text) / 3
    for name in EXPECTED[:-1]:
        if name != schema.STAFF_README:
            assert name in text
    assert "shequ check" in text and "shequ weekly" in text and schema.REPORTS_DIR in text
    assert schema.GUIDE_SHEET in text


def test_workspace_files_order():
    names = [p.name for p in workspace_files(Path("d"))]
    assert names[-2:] == [schema.SETTINGS_FILE, schema.STAFF_README]


# ---------------------------------------------------------------------------------------
# through the command line

def test_cli_init_and_refusal(tmp_path):
    runner = CliRunner()
    target = tmp_path / "ws"
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert schema.SETTINGS_FILE in result.output
    assert sorted(p.name for p in target.iterdir()) == sorted(EXPECTED + ["立即检查.bat", "立即检查.sh"])
    again = runner.invoke(cli, ["init", str(target), "--lang", "en"])
    assert again.exit_code == 2
    assert "already holds" in again.output and "Traceback" not in again.output


def test_cli_init_workspace_checks_clean(tmp_path):
    runner = CliRunner()
    runner.invoke(cli, ["init", str(tmp_path)])
    result = runner.invoke(cli, ["check", str(tmp_path), "--as-of", "2026-11-23", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert sorted(s["kind"] for s in doc["sources"]) == sorted(schema.KINDS)
    assert not [f for f in doc["findings"] if f["severity"] == "error"]


def test_cli_template(tmp_path):
    runner = CliRunner()
    out = tmp_path / "r.xlsx"
    result = runner.invoke(cli, ["template", "requests", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["诉求台账", schema.GUIDE_SHEET]
    # never replaces an existing file (it may be a staff ledger) unless --force
    before = out.read_bytes()
    refused = runner.invoke(cli, ["template", "requests", "-o", str(out)])
    assert refused.exit_code == 2 and out.read_bytes() == before
    forced = runner.invoke(cli, ["template", "visits", "-o", str(out), "--force"])
    assert forced.exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames == ["巡访记录", schema.GUIDE_SHEET]
    bad = runner.invoke(cli, ["template", "residents", "-o", str(tmp_path / "x.xlsx")])
    assert bad.exit_code == 2 and "requests" in bad.output


def test_cli_template_takes_lists_from_settings(tmp_path):
    runner = CliRunner()
    settings = tmp_path / schema.SETTINGS_FILE
    runner.invoke(cli, ["template", "settings", "-o", str(settings)])
    wb = openpyxl.load_workbook(settings)
    wb[schema.SET_ESTATES]["A2"] = "松和苑"
    wb.save(settings)
    out = tmp_path / "e.xlsx"
    result = runner.invoke(cli, ["template", "elderly", "--settings", str(settings), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["老年人台账"]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert '"松和苑"' in lists


def test_staff_readme_fits_both_launchers_and_a_shequ_not_on_path():
    text = staff_readme()
    assert "按任意键（Linux 上按回车键）关闭" in text          # 立即检查.sh waits for Enter
    assert "写 shequ 的完整路径" in text                      # a venv's shequ is not on PATH
