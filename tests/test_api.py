"""The library facade (toolkit.api): one function per command, the same code path for
``report`` and ``weekly``, and the "nothing read" case handled once."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from toolkit import api, schema
from toolkit.cli import cli
from toolkit.errors import NothingToRead

AS_OF = date(2026, 11, 23)


def cells(path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets
            for row in ws.iter_rows() for c in row if c.value is not None}


def test_report_and_weekly_write_the_same_reports(workspace, tmp_path):
    reported = api.report([workspace], as_of=AS_OF,
                          outdir=workspace / schema.REPORTS_DIR / "另存")   # as deep as a week
    run = api.weekly(workspace, as_of=AS_OF)
    assert reported.reports.period_label == "2026-11"       # xinze's 报送周期 is month
    for name in (schema.STAFF_REPORT, schema.TOWN_REPORT):
        assert cells(reported.reports.staff.parent / name) == cells(run.outdir / name), name
    assert [f.id for f in reported.followups] == [f.id for f in run.followups]


def test_nothing_read_is_one_error_with_one_message(tmp_path):
    (tmp_path / "空").mkdir()
    with pytest.raises(NothingToRead) as caught:
        api.report([tmp_path / "空"], as_of=AS_OF)
    empty = tmp_path / "空"
    # one sentence naming the folder and saying nothing was written (cli.md, issue #14)
    assert caught.value.message("zh").startswith(f"在 {empty} 中没有读到任何台账，没有生成报表")
    assert not (empty / schema.REPORTS_DIR).exists()
    result = CliRunner().invoke(cli, ["report", str(empty), "--as-of", "2026-11-23"])
    assert result.exit_code == 2 and caught.value.message("zh") in result.output
    checked = CliRunner().invoke(cli, ["check", str(empty), "--as-of", "2026-11-23",
                                       "--lang", "en"])
    assert checked.exit_code == 2
    assert f"no ledger could be read in {empty}" in checked.output


def test_assign_plans_and_writes_work_orders(workspace, tmp_path):
    done = api.assign([workspace], as_of=AS_OF, output=tmp_path / "派单.xlsx")
    assert done.path.is_file() and done.followups
    assert all(fu.ref is not None and done.result.context.resolve(fu.ref) is not None
               for fu in done.followups if fu.assignee)
