"""A town folder checked in worker processes (``--jobs``): the same output as one process, and a
community whose check fails (an exception, a worker that dies) becomes findings, not a crash."""
from __future__ import annotations

import json
import os
import signal
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import pipeline
from toolkit.cli import cli
from toolkit.samples.generate import generate_town

AS_OF = date(2026, 11, 23)
fork_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                               reason="the failure is injected into forked workers (Linux)")


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("town") / "镇"
    generate_town(out, communities=3, seed=11, as_of=AS_OF, elderly=25, requests=30,
                  volunteers=8, visits=300)
    return out


def _check(town: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["check", str(town), "--as-of", AS_OF.isoformat(), *args])
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_jobs_1_and_2_give_identical_json_and_text(town):
    serial = _check(town, "--format", "json", "--jobs", "1")
    parallel = _check(town, "--format", "json", "--jobs", "2")
    assert serial == parallel
    doc = json.loads(serial)
    folders = {f["file"].split("/")[0] for f in doc["findings"] if f.get("file")}
    assert len(folders) == 3                          # every community's findings are there
    assert _check(town, "--jobs", "1") == _check(town, "--jobs", "3")


def test_workers_take_the_heaviest_community_first(tmp_path, monkeypatch):
    """A community four times the others, last in folder order, is handed out first (the run
    would otherwise end with one core checking it alone); the results stay in folder order."""
    import shutil
    generate_town(tmp_path / "镇", communities=3, seed=5, as_of=AS_OF, elderly=10, requests=10,
                  volunteers=4, visits=100)
    generate_town(tmp_path / "大", communities=1, seed=6, as_of=AS_OF, elderly=40, requests=40,
                  volunteers=8, visits=1500)
    shutil.move(str(next((tmp_path / "大").iterdir())), str(tmp_path / "镇" / "龙湖居民区"))
    folders = [p.name for p in pipeline.community_folders(
        pipeline.discover([tmp_path / "镇"], tmp_path / "镇").files, tmp_path / "镇")]
    assert folders[-1] == "龙湖居民区"
    given = []
    give = pipeline._Workers.give
    monkeypatch.setattr(pipeline._Workers, "give",
                        lambda self, i, task: (given.append(Path(task[3]).name), give(self, i, task)))
    result = pipeline.check([tmp_path / "镇"], as_of=AS_OF, jobs=2)
    assert given[0] == "龙湖居民区" and sorted(given) == sorted(folders)
    assert [Path(c.root).name for c in result.communities] == folders
    assert _check(tmp_path / "镇", "--format", "json", "--jobs", "1") == \
        _check(tmp_path / "镇", "--format", "json", "--jobs", "2")


def test_town_result_keeps_counts_not_records(town):
    result = pipeline.check([town], as_of=AS_OF, jobs=2)
    assert len(result.communities) == 3
    assert result.workspace.count("visits") == sum(c.workspace.count("visits")
                                                   for c in result.communities) > 0
    single = pipeline.check([sorted(p for p in town.iterdir() if p.is_dir())[0]], as_of=AS_OF)
    assert result.communities[0].workspace.count("visits") == len(single.workspace.ledger("visits"))


def _failing_for(name: str, how: str):
    original = pipeline._check_community

    def check_community(paths, discovery, root, folder, **kwargs):
        if Path(folder).name == name:
            if how == "raise":
                raise RuntimeError("injected failure")
            os.kill(os.getpid(), signal.SIGKILL)      # a worker killed (e.g. out of memory)
        return original(paths, discovery, root, folder, **kwargs)
    return check_community


@fork_only
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_community_becomes_f001_findings(town, monkeypatch, jobs):
    broken = sorted(p.name for p in town.iterdir() if p.is_dir())[1]
    good = pipeline.check([town], as_of=AS_OF, jobs=jobs)
    monkeypatch.setattr(pipeline, "_check_community", _failing_for(broken, "raise"))
    result = pipeline.check([town], as_of=AS_OF, jobs=jobs)
    failed = [f for f in result.findings if f.file and f.file.startswith(broken + "/")]
    assert failed and {f.code for f in failed} == {"F001"}
    assert len(failed) == len([p for p in (town / broken).iterdir() if p.suffix == ".xlsx" and p.name != "设置.xlsx"])
    assert all("injected failure" in f.to_dict("zh")["message"] for f in failed)
    def elsewhere(findings):          # findings on the files of the other communities
        return [f for f in findings if f.file and not f.file.startswith(broken + "/")]
    assert elsewhere(result.findings) == elsewhere(good.findings) != []


@fork_only
def test_a_worker_that_dies_becomes_f001_findings(town, monkeypatch):
    broken = sorted(p.name for p in town.iterdir() if p.is_dir())[0]
    monkeypatch.setattr(pipeline, "_check_community", _failing_for(broken, "kill"))
    result = pipeline.check([town], as_of=AS_OF, jobs=2)
    failed = [f for f in result.findings if f.file and f.file.startswith(broken + "/")]
    assert failed and {f.code for f in failed} == {"F001"}
    assert all("信号 9" in f.to_dict("zh")["message"] for f in failed)
    assert result.exit_code == 1
    assert any(f.file.startswith(tuple(p.name + "/" for p in town.iterdir() if p.name != broken))
               for f in result.findings if f.file)


def test_legacy_files_are_read_inside_workers_too(tmp_path):
    """samples/xinze has a .xls that is read in a child process of its own: a worker may have
    children, so --jobs 2 reads it as --jobs 1 does."""
    sample = Path(__file__).resolve().parent.parent / "samples" / "xinze"
    if not sample.is_dir():
        pytest.skip("samples/xinze is absent")
    import shutil
    for name in ("莘泽", "佘北"):
        shutil.copytree(sample, tmp_path / "镇" / name, ignore=shutil.ignore_patterns("报表", ".shequ"))
    serial = _check(tmp_path / "镇", "--format", "json", "--jobs", "1")
    assert serial == _check(tmp_path / "镇", "--format", "json", "--jobs", "2")
    assert '"file": "佘北/志愿者名册.xls"' in serial
    assert not any(f["code"] == "F001" for f in json.loads(serial)["findings"])


def test_a_checked_community_is_freed_by_reference_counting(sample):
    """Nothing a community's check builds (the context, its care and council indexes, the room
    bookings) forms a reference cycle: with the cycle collector off, as it is during a check
    (``read.records.no_gc``), dropping the result frees it, so a serial town check holds one
    community at a time (a cycle through the context once kept all 30: 920 MB)."""
    import gc
    import weakref

    from toolkit.report.indicators import compute_indicators
    gc.collect()
    gc.disable()
    try:
        result = pipeline.check([sample], as_of=AS_OF)
        ctx = result.community_context
        assert ctx.ledger("meetings") and ctx.ledger("rooms") and ctx.ledger("services")
        compute_indicators(ctx, result.findings, period_start=date(2026, 11, 1),
                           period_end=date(2026, 11, 30))    # every lazily built index
        compute_indicators(ctx, [], period_start=date(2026, 10, 1),
                           period_end=date(2026, 10, 31))    # and the earlier cut-off's
        freed = weakref.ref(ctx)
        del ctx, result
        assert freed() is None
    finally:
        gc.enable()
