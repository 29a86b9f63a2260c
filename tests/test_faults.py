"""Fault injection for ``weekly``: a process killed while writing, a full disk, no permission,
a corrupt or locked history database.

The invariants: last week's files are never touched; each of this week's files is either the
previous run's or this run's, complete (opens with openpyxl); no temp file is left beside the
outputs; a failure gives a clear Chinese message, never an internal error.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import make_workspace
from toolkit import schema
from toolkit.automate.weekly import history_path, run_weekly
from toolkit.cli import cli

LAST_WEEK, THIS_WEEK = date(2026, 11, 16), date(2026, 11, 23)
# a second run of the same ISO week a day later: other bytes (the workbooks are Chinese in any --lang)
NEXT_DAY = date(2026, 11, 24)
W47, W48 = "2026-W47", "2026-W48"
OUTPUTS = (schema.STAFF_REPORT, schema.WORK_ORDERS, schema.TOWN_REPORT, schema.RUN_JSON)


def week_hashes(workspace: Path, week: str) -> dict[str, str]:
    folder = workspace / schema.REPORTS_DIR / week
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()} if folder.is_dir() else {}


def leftovers(workspace: Path) -> list[str]:
    """Temp files and staging folders under 报表/ (names starting with a dot)."""
    reports = workspace / schema.REPORTS_DIR
    return sorted(p.relative_to(workspace).as_posix() for p in reports.rglob(".*"))


def assert_complete(workspace: Path, week: str) -> None:
    folder = workspace / schema.REPORTS_DIR / week
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == sorted(OUTPUTS)
    for name in OUTPUTS:
        if name.endswith(".xlsx"):
            openpyxl.load_workbook(folder / name, read_only=True).close()
        else:
            json.loads((folder / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def weeks(tmp_path_factory):
    """A workspace with W47 and W48 written, and the bytes a second W48 run (a day later) makes."""
    root = tmp_path_factory.mktemp("faults")
    base = make_workspace(root / "base", THIS_WEEK)
    run_weekly(base, as_of=LAST_WEEK, lang="zh")
    run_weekly(base, as_of=THIS_WEEK, lang="zh")
    ref = root / "ref"
    shutil.copytree(base, ref)
    run_weekly(ref, as_of=NEXT_DAY, lang="en")
    return {"base": base, "w47": week_hashes(base, W47), "prev": week_hashes(base, W48),
            "next": week_hashes(ref, W48)}


@pytest.fixture
def ws(weeks, tmp_path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(weeks["base"], target)
    return target


def assert_intact(ws: Path, weeks: dict, allow_new: bool = True) -> None:
    assert week_hashes(ws, W47) == weeks["w47"], "last week's files changed"
    now = week_hashes(ws, W48)
    assert set(now) == set(OUTPUTS)
    for name, digest in now.items():
        allowed = {weeks["prev"][name]} | ({weeks["next"][name]} if allow_new else set())
        assert digest in allowed, f"{name} is neither last run's nor this run's"
    assert_complete(ws, W48)


def test_previous_and_next_runs_differ(weeks):
    """The second run must differ from the first, or the kill tests prove nothing."""
    assert weeks["prev"][schema.STAFF_REPORT] != weeks["next"][schema.STAFF_REPORT]
    assert weeks["prev"][schema.RUN_JSON] != weeks["next"][schema.RUN_JSON]


# ---------------------------------------------------------------------------------------
# SIGKILL in a subprocess

KILLER = textwrap.dedent("""
    import os, signal, sys
    workspace, at, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    real = os.replace
    calls = [0]
    def replace(src, dst, *args, **kwargs):
        calls[0] += 1
        if calls[0] == at and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst, *args, **kwargs)
        if calls[0] == at and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
    os.replace = replace
    from toolkit.cli import main
    sys.argv = ["shequ", "weekly", workspace, "--as-of", "2026-11-24", "--lang", "en", "--quiet"]
    main()
""")


def run_killed(ws: Path, tmp_path: Path, at: int, when: str) -> int:
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    # the script lives in tmp_path: make this checkout's toolkit importable from there
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run([sys.executable, str(script), str(ws), str(at), when],
                          capture_output=True, text=True, timeout=120, env=env)
    return done.returncode


# os.replace calls of one weekly run: 4 temp files → staging, the record of their hashes
# (.shequ/published.json), then 4 staging → week folder
@pytest.mark.parametrize("at, when", [(1, "before"), (4, "after"), (5, "before"), (5, "after"),
                                      (6, "before"), (6, "after"),
                                      (7, "after"), (8, "before"), (9, "before")])
def test_sigkill_while_writing(ws, weeks, tmp_path, at, when):
    code = run_killed(ws, tmp_path, at, when)
    assert code == -signal.SIGKILL
    assert_intact(ws, weeks)
    # the next run is not blocked by the dead process's lock and completes the week
    run_weekly(ws, as_of=NEXT_DAY, lang="en")
    assert week_hashes(ws, W48) == weeks["next"]
    assert week_hashes(ws, W47) == weeks["w47"]


def test_sigkill_at_a_random_moment(ws, weeks, tmp_path):
    """Kill by the clock (not at a chosen call) a few times in a row: the invariant holds."""
    for delay in (0.4, 0.9, 1.4):
        proc = subprocess.Popen([sys.executable, "-m", "toolkit", "weekly", str(ws), "--as-of",
                                 "2026-11-24", "--lang", "en", "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert_intact(ws, weeks)


def test_killed_runs_staging_is_cleaned_by_next_run(ws, weeks, tmp_path):
    run_killed(ws, tmp_path, 6, "before")
    run_weekly(ws, as_of=NEXT_DAY, lang="en")
    assert leftovers(ws) == []


# ---------------------------------------------------------------------------------------
# failures raised in-process

def test_move_fails_midway_keeps_every_file_whole(ws, weeks, monkeypatch):
    """os.replace fails on the second move into the week folder: the first file is new, the
    others are last run's; all complete; nothing half-written or temporary is left."""
    real = os.replace
    moves = []

    def replace(src, dst, *args, **kwargs):
        if Path(dst).parent.name == W48:
            moves.append(Path(dst).name)
            if len(moves) == 2:
                raise OSError(errno.EIO, "Input/output error")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(Exception):
        run_weekly(ws, as_of=NEXT_DAY, lang="en")
    monkeypatch.undo()
    assert_intact(ws, weeks)
    now = week_hashes(ws, W48)
    assert now[moves[0]] == weeks["next"][moves[0]]
    assert now[moves[1]] == weeks["prev"][moves[1]]
    assert leftovers(ws) == []


def _cli_weekly(ws: Path):
    return CliRunner().invoke(cli, ["weekly", str(ws), "--as-of", "2026-11-23", "--lang", "zh",
                                    "--quiet"])


@pytest.mark.parametrize("nth", [1, 5, 12, 30])
def test_disk_full_while_writing_a_workbook(ws, weeks, monkeypatch, nth):
    """ENOSPC from the zip writer at the nth part written: clear message, nothing partial.
    (xlsxwriter puts parts in with ``writestr`` when in memory, ``write`` from temp files.)"""
    calls = [0]

    def failing(real):
        def write(self, *args, **kwargs):
            calls[0] += 1
            if calls[0] == nth:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(self, *args, **kwargs)
        return write

    monkeypatch.setattr(zipfile.ZipFile, "write", failing(zipfile.ZipFile.write))
    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing(zipfile.ZipFile.writestr))
    result = _cli_weekly(ws)
    monkeypatch.undo()
    assert calls[0] >= nth
    assert result.exit_code == 2, result.output
    assert "磁盘空间不足" in result.output and "内部错误" not in result.output
    assert week_hashes(ws, W48) == weeks["prev"]
    assert_intact(ws, weeks, allow_new=False)
    assert leftovers(ws) == []


def test_disk_full_writing_run_json(ws, weeks, monkeypatch):
    real = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name.startswith(".run."):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    result = _cli_weekly(ws)
    monkeypatch.undo()
    assert result.exit_code == 2 and "磁盘空间不足" in result.output
    assert week_hashes(ws, W48) == weeks["prev"]
    assert leftovers(ws) == []


def test_permission_denied_for_a_temp_file(ws, weeks, monkeypatch):
    """Tests run as root in CI, so a read-only folder is simulated: mkstemp refuses."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = _cli_weekly(ws)
    monkeypatch.undo()
    assert result.exit_code == 2
    assert "没有写入权限" in result.output and "内部错误" not in result.output
    assert week_hashes(ws, W48) == weeks["prev"]
    assert leftovers(ws) == []


@pytest.mark.parametrize("where", ["mkdtemp", "move"])
def test_permission_denied_in_weekly_itself(ws, weeks, monkeypatch, where):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    if where == "mkdtemp":
        monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    else:
        real = os.replace

        def replace(src, dst, *args, **kwargs):
            if Path(dst).parent.name == W48:
                refuse()
            return real(src, dst, *args, **kwargs)
        monkeypatch.setattr(os, "replace", replace)
    result = _cli_weekly(ws)
    monkeypatch.undo()
    assert week_hashes(ws, W48) == weeks["prev"]
    assert leftovers(ws) == []
    assert result.exit_code == 2
    assert "内部错误" not in result.output
    assert "权限" in result.output or "打开" in result.output


# ---------------------------------------------------------------------------------------
# history database

def _h604(ws: Path) -> list[dict]:
    doc = json.loads((ws / schema.REPORTS_DIR / W48 / schema.RUN_JSON).read_text("utf-8"))
    return [f for f in doc["findings"] if f["code"] == "H604"]


def test_corrupt_history_is_moved_aside(ws):
    db = history_path(ws)
    db.write_bytes(b"this is not a database" * 100)
    run = run_weekly(ws, as_of=THIS_WEEK, lang="zh")
    assert_complete(ws, W48)
    [h604] = _h604(ws)
    assert "history.broken-2026-11-23.sqlite" in h604["message"]
    aside = db.with_name("history.broken-2026-11-23.sqlite")
    assert aside.read_bytes() == b"this is not a database" * 100
    assert run.exit_code in (0, 1)
    # a fresh history was started and this run stored in it
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT week FROM runs").fetchall() == [(W48,)]


def test_locked_history_is_moved_aside(ws):
    db = history_path(ws)
    holder = sqlite3.connect(db, timeout=0.1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        run_weekly(ws, as_of=THIS_WEEK, lang="zh")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_complete(ws, W48)
    [h604] = _h604(ws)
    assert "locked" in h604["message"] or "锁" in h604["message"]
