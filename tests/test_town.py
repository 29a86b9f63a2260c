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


def _copy(target, settings=True):
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("报表", ".shequ"))
    if not settings:
        (target / "设置.xlsx").unlink()
    return target


def test_community_folders_without_settings_are_not_pooled(tmp_path):
    """春庭居民区 and 泉丰居民区 without 设置.xlsx were read as one community: every id of one
    was a D107 duplicate of the other's. A folder named like a 居委 is a community."""
    town = tmp_path / "镇"
    _copy(town / "春庭居民区", settings=False)
    _copy(town / "泉丰居民区", settings=False)
    single = pipeline.check([town / "春庭居民区"], as_of=AS_OF)
    both = pipeline.check([town], as_of=AS_OF)
    assert [c.root.name for c in both.communities] == ["春庭居民区", "泉丰居民区"]
    assert sum(f.code == "D107" for f in both.findings) == \
        2 * sum(f.code == "D107" for f in single.findings)
    assert sum(f.code == "S503" for f in both.findings) == 2          # each its own settings
    # a folder that is no community (a 小区's sheets kept apart) stays part of its community
    one = tmp_path / "莘泽"
    _copy(one)
    (one / "巡访").mkdir()
    (one / "巡访记录.csv").rename(one / "巡访" / "巡访记录.csv")
    assert pipeline.check([one], as_of=AS_OF).communities == []


def test_an_empty_community_folder_is_named_not_passed_over(tmp_path):
    town = tmp_path / "镇"
    _copy(town / "莘泽居民区")
    (town / "空居委").mkdir()
    (town / "只有设置").mkdir()
    shutil.copy(SAMPLE / "设置.xlsx", town / "只有设置" / "设置.xlsx")
    (town / "资料").mkdir()                                         # no community: no finding
    result = pipeline.check([town], as_of=AS_OF)
    empty = sorted((f.file, f.code, f.severity) for f in result.findings if f.file and
                   not f.file.startswith("莘泽居民区/"))
    assert empty == [("只有设置/", "F001", "error"), ("空居委/", "F001", "error")]
    [one] = [f for f in result.findings if f.file == "空居委/"]
    assert "「空居委」里没有台账文件" in one.message.zh and "not checked" in one.message.en
    assert len(result.communities) == 3 and result.exit_code == 1


def test_a_finding_on_no_file_names_its_community(tmp_path):
    town = tmp_path / "镇"
    _copy(town / "莘泽", settings=True)
    _copy(town / "佘北居委", settings=False)              # S503, D109 and P802 on no file
    result = pipeline.check([town], as_of=AS_OF)
    assert all(f.file for f in result.findings)
    assert {f.file for f in result.findings if f.code == "S503"} == {"佘北居委/"}


def test_two_plain_folders_read_as_one_community_are_named(tmp_path):
    """明园/ and 泉丰/ (no settings, names not like a 居委) are read as one community: their ids
    collide; besides a D107 on each row, one D107 names the two folders and what to do."""
    town = tmp_path / "镇"
    _copy(town / "明园", settings=False)
    _copy(town / "泉丰", settings=False)
    result = pipeline.check([town], as_of=AS_OF)
    assert result.communities == []                             # one community, as before
    [named] = [f for f in result.findings if f.code == "D107" and f.record is None]
    assert named.severity == "warning" and "「明园」和「泉丰」" in named.message.zh
    assert "设置.xlsx" in named.fix.zh and "'明园' and '泉丰'" in named.message.en
    # the sample alone: its two planted D107 name no folders
    assert not [f for f in pipeline.check([SAMPLE], as_of=AS_OF).findings
                if f.code == "D107" and f.record is None]
