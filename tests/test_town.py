"""A town folder: each 居委 subfolder (with its own 设置.xlsx) is checked as its own community."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from click.testing import CliRunner

from toolkit import pipeline
from toolkit.cli import cli
from toolkit.errors import UsageError

from tests.helpers import SAMPLE
AS_OF = date(2026, 11, 23)



def test_two_copies_of_one_community_do_not_collide(town):
    single = pipeline.check([SAMPLE], as_of=AS_OF)
    both = pipeline.check([town], as_of=AS_OF)
    assert [c.root.name for c in both.communities] == ["佘北", "莘泽"]
    # exactly twice the findings of one community: no cross-community D107/D108/D110
    assert len(both.findings) == 2 * len(single.findings)
    for code in ("D107", "D108", "D110"):
        assert sum(f.code == code for f in both.findings) == 2 * sum(f.code == code for f in single.findings)
    files = {f.file for f in both.findings if f.file}
    assert all(f.startswith(("莘泽/", "佘北/")) for f in files)
    assert both.workspace.count("elderly") == 2 * len(single.workspace.ledger("elderly")) > 0


def test_town_folder_has_no_single_context(town):
    result = pipeline.check([town], as_of=AS_OF)
    with pytest.raises(UsageError):
        result.context
    cli_result = CliRunner().invoke(cli, ["assign", str(town), "--as-of", "2026-11-23"])
    assert cli_result.exit_code == 2 and "shequ merge" in cli_result.output


def test_lone_community_below_the_folder_uses_its_settings(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "镇" / "莘泽", ignore=shutil.ignore_patterns("报表", ".shequ"))
    result = pipeline.check([tmp_path / "镇"], as_of=AS_OF)
    assert result.settings.committee == pipeline.check([SAMPLE], as_of=AS_OF).settings.committee
    assert result.settings.estates                      # read from 莘泽/设置.xlsx, not defaults


def test_check_cli_on_town(town):
    result = CliRunner().invoke(cli, ["check", str(town), "--as-of", "2026-11-23", "--format", "json"])
    assert result.exit_code == 1
    assert '"file": "莘泽/诉求台账.xlsx"' in result.output
