"""The scheduler (the ``schedule`` package's weekly job) with the wall clock moved by
time-machine: a month passes in well under a second."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from toolkit.automate.lock import WorkspaceLock
from toolkit.automate.schedule import Scheduler, install_stop_signals, next_due, previous_due
from toolkit.errors import LockedError

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def clock_at(start: datetime, until: datetime | None = None):
    """Travel to ``start`` (Shanghai time, frozen) and yield ``(traveller, sleep)``: ``sleep``
    moves the travelled clock forward and stops the scheduler once ``until`` is reached."""
    ref: list = [None]
    with time_machine.travel(start.replace(tzinfo=SHANGHAI), tick=False) as traveller:
        def sleep(seconds: float) -> None:
            traveller.shift(timedelta(seconds=seconds))
            if until is not None and datetime.now() >= until:
                ref[0].stop()
        yield traveller, sleep, ref


@contextmanager
def make(tmp_path, start, until, job):
    with clock_at(start, until) as (traveller, sleep, ref):
        scheduler = Scheduler(tmp_path, job, sleep=sleep, weekday=0, at=time(8, 30))
        ref[0] = scheduler
        yield scheduler, traveller


def log_lines(tmp_path) -> list[str]:
    return (tmp_path / ".shequ" / "logs" / "shequ.log").read_text("utf-8").splitlines()


def test_next_and_previous_due():
    monday = datetime(2026, 11, 23, 8, 30)
    assert next_due(monday, 0, time(8, 30)) == datetime(2026, 11, 30, 8, 30)
    assert next_due(monday - timedelta(minutes=1), 0, time(8, 30)) == monday
    assert previous_due(datetime(2026, 11, 25, 12), 0, time(8, 30)) == monday
    assert previous_due(monday, 0, time(8, 30)) == monday


def test_simulated_month_runs_every_monday(tmp_path):
    runs: list[date] = []

    def job(day):
        runs.append(day)
        return f"ok {day}"
    # started on a Wednesday with a recent last run: no catch-up, then four Mondays
    (tmp_path / ".shequ").mkdir()
    (tmp_path / ".shequ" / "schedule.json").write_text(
        json.dumps({"last_run": "2026-10-26T08:30:00"}), "utf-8")
    with make(tmp_path, datetime(2026, 10, 28, 9), datetime(2026, 11, 28), job) as (scheduler, _):
        scheduler.run_forever()
    assert runs == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert scheduler.last_run() == datetime(2026, 11, 23, 8, 30)
    lines = log_lines(tmp_path)
    assert sum("完成" in line for line in lines) == 4
    assert lines[-1].endswith("已停止")
    assert not (tmp_path / ".shequ" / "scheduler.lock").exists()   # released on stop


def test_catch_up_when_last_run_is_old(tmp_path):
    runs = []
    (tmp_path / ".shequ").mkdir()
    (tmp_path / ".shequ" / "schedule.json").write_text(
        json.dumps({"last_run": "2026-11-02T08:30:00"}), "utf-8")
    with make(tmp_path, datetime(2026, 11, 19, 10), datetime(2026, 11, 20),
              lambda d: runs.append(d) or "ok") as (scheduler, _):
        scheduler.run_forever()
    assert runs == [date(2026, 11, 19)]          # caught up at start, Thursday


def test_no_catch_up_when_recent(tmp_path):
    runs = []
    (tmp_path / ".shequ").mkdir()
    (tmp_path / ".shequ" / "schedule.json").write_text(
        json.dumps({"last_run": "2026-11-16T08:30:00"}), "utf-8")
    with make(tmp_path, datetime(2026, 11, 19, 10), datetime(2026, 11, 20),
              lambda d: runs.append(d) or "ok") as (scheduler, _):
        scheduler.run_forever()
    assert runs == []


def test_failing_run_is_logged_and_next_one_runs(tmp_path):
    calls = []

    def job(day):
        calls.append(day)
        if len(calls) == 1:
            raise RuntimeError("disk on fire")
        return "ok"
    (tmp_path / ".shequ").mkdir()
    (tmp_path / ".shequ" / "schedule.json").write_text(
        json.dumps({"last_run": "2026-11-10T08:30:00"}), "utf-8")
    with make(tmp_path, datetime(2026, 11, 13, 9), datetime(2026, 11, 24), job) as (scheduler, _):
        scheduler.run_forever()
    assert calls == [date(2026, 11, 16), date(2026, 11, 23)]
    lines = log_lines(tmp_path)
    assert any("失败" in line and "RuntimeError" in line for line in lines)
    assert not any("disk on fire" in line for line in lines)      # error text may hold personal data
    assert scheduler.last_run() == datetime(2026, 11, 23, 8, 30)   # only the good run counts


def test_once_runs_only_when_due(tmp_path):
    runs = []
    with make(tmp_path, datetime(2026, 11, 23, 9), datetime(2027, 1, 1),
              lambda d: runs.append(d) or "ok") as (scheduler, traveller):
        assert scheduler.run_if_due() is True          # never ran: due
        assert scheduler.run_if_due() is None          # same morning: nothing due
        traveller.move_to(datetime(2026, 11, 30, 8, 29, tzinfo=SHANGHAI))
        assert scheduler.run_if_due() is None
        traveller.move_to(datetime(2026, 11, 30, 8, 31, tzinfo=SHANGHAI))
        assert scheduler.run_if_due() is True
    assert runs == [date(2026, 11, 23), date(2026, 11, 30)]


def test_second_scheduler_is_refused_with_holder(tmp_path):
    lock = WorkspaceLock(tmp_path / ".shequ" / "scheduler.lock", owner="schedule").acquire()
    try:
        with make(tmp_path, datetime(2026, 11, 23, 9), datetime(2026, 11, 24),
                  lambda d: "ok") as (scheduler, _), pytest.raises(LockedError) as info:
            scheduler.run_forever()
        assert "schedule" in info.value.message() and "进程" in info.value.message()
    finally:
        lock.release()


def test_run_lock_contention_is_logged_not_fatal(tmp_path):
    from toolkit.automate.weekly import run_weekly
    (tmp_path / ".shequ").mkdir()
    held = WorkspaceLock(tmp_path / ".shequ" / "lock", owner="weekly").acquire()
    try:
        with make(tmp_path, datetime(2026, 11, 23, 9), datetime(2026, 11, 24),
                  lambda d: run_weekly(tmp_path, as_of=d).summary_line()) as (scheduler, _):
            assert scheduler.run_if_due() is False
        assert any("跳过" in line for line in log_lines(tmp_path))
    finally:
        held.release()


def test_stale_lock_of_dead_process_is_taken_over(tmp_path):
    path = tmp_path / "lock"
    import socket
    path.write_text(json.dumps({"pid": 2 ** 22 + 12345, "host": socket.gethostname(),
                                "owner": "weekly"}), "utf-8")
    with WorkspaceLock(path) as lock:
        assert lock.held
    assert not path.exists()


def test_stop_from_another_thread(tmp_path):
    """Real sleep (the stop event): stop() wakes the loop at once."""
    (tmp_path / ".shequ").mkdir()
    (tmp_path / ".shequ" / "schedule.json").write_text(
        json.dumps({"last_run": "2026-11-23T08:30:00"}), "utf-8")
    with time_machine.travel(datetime(2026, 11, 24, 9, tzinfo=SHANGHAI), tick=False):
        scheduler = Scheduler(tmp_path, lambda d: "ok")
        thread = threading.Thread(target=scheduler.run_forever)
        thread.start()
        scheduler.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert log_lines(tmp_path)[-1].endswith("已停止")


def test_settings_day_and_time_are_used(tmp_path):
    """周三 14:00 from the settings: the schedule package's job runs then, not on Mondays."""
    runs: list[datetime] = []
    (tmp_path / ".shequ").mkdir()
    (tmp_path / ".shequ" / "schedule.json").write_text(
        json.dumps({"last_run": "2026-11-11T14:00:00"}), "utf-8")
    with clock_at(datetime(2026, 11, 12, 9), datetime(2026, 11, 26)) as (_, sleep, ref):
        scheduler = Scheduler(tmp_path, lambda d: runs.append(datetime.now()) or "ok",
                              sleep=sleep, weekday=2, at=time(14, 0))
        ref[0] = scheduler
        scheduler.run_forever()
    assert runs == [datetime(2026, 11, 18, 14), datetime(2026, 11, 25, 14)]


def test_a_monday_slept_through_runs_on_waking(tmp_path):
    """The computer sleeps from Sunday to Tuesday noon: the missed job runs once on waking."""
    runs: list[datetime] = []
    (tmp_path / ".shequ").mkdir()
    (tmp_path / ".shequ" / "schedule.json").write_text(
        json.dumps({"last_run": "2026-11-16T08:30:00"}), "utf-8")
    with clock_at(datetime(2026, 11, 22, 20)) as (traveller, _, _ref):
        naps = iter([timedelta(hours=40), timedelta(days=1)])

        def sleep(seconds):
            nap = next(naps, None)
            if nap is None:
                scheduler.stop()
            else:
                traveller.shift(nap)
        scheduler = Scheduler(tmp_path, lambda d: runs.append(datetime.now()) or "ok",
                              sleep=sleep)
        scheduler.run_forever()
    assert runs == [datetime(2026, 11, 24, 12)]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("lang, started", [([], "已启动，每周一 08:30 运行"),
                                           (["--lang", "en"], "started: runs every Monday at 08:30")])
def test_resident_loop_stops_cleanly_on_sigterm(tmp_path, lang, started):
    """The real command, real clock: started, waiting for Monday, SIGTERM → clean exit 0."""
    root = Path(__file__).resolve().parent.parent
    (tmp_path / ".shequ").mkdir()
    (tmp_path / ".shequ" / "schedule.json").write_text(
        json.dumps({"last_run": datetime.now().isoformat()}), "utf-8")       # nothing to catch up
    process = subprocess.Popen([sys.executable, "-m", "toolkit", "schedule", str(tmp_path), *lang],
                               cwd=root, env=dict(os.environ, PYTHONPATH=str(root)),
                               stderr=subprocess.PIPE, text=True)
    try:
        assert started in process.stderr.readline()
        log = tmp_path / ".shequ" / "logs" / "shequ.log"
        for _ in range(100):                      # the loop has logged its start
            if log.exists() and "启动" in log.read_text("utf-8"):
                break
            threading.Event().wait(0.05)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.stderr.close()
    assert log_lines(tmp_path)[-1].endswith("已停止")
    assert not (tmp_path / ".shequ" / "scheduler.lock").exists()


class FakeKernel32:
    """kernel32 as _alive_windows calls it: ``processes`` maps pid → exit code (259 while
    running); ``denied`` pids belong to another user (OpenProcess fails, access denied)."""

    def __init__(self, processes: dict[int, int], denied: tuple[int, ...] = ()):
        self.processes, self.denied, self.error, self.open_handles = processes, denied, 0, set()

    def OpenProcess(self, access, inherit, pid):
        assert access == 0x1000 and not inherit
        if pid in self.denied:
            self.error = 5
            return None
        if pid not in self.processes:
            self.error = 87                      # ERROR_INVALID_PARAMETER: no such process
            return None
        self.open_handles.add(pid + 10_000)
        return pid + 10_000

    def GetExitCodeProcess(self, handle, code_ref):
        code_ref._obj.value = self.processes[handle - 10_000]
        return 1

    def CloseHandle(self, handle):
        self.open_handles.remove(handle)
        return 1

    def kill(self, *args):                       # os.kill must never be called on Windows
        raise AssertionError("os.kill on Windows ends the process")


def test_windows_lock_probe_asks_the_kernel_and_never_kills(tmp_path, monkeypatch):
    """Not run on Windows: the Windows branch of the lock's liveness probe, exercised with a
    fake kernel32 (OpenProcess + GetExitCodeProcess, STILL_ACTIVE = 259, access denied =
    alive). os.kill(pid, 0) there would end the lock holder."""
    import ctypes
    import socket

    from toolkit.automate import lock as lock_module
    kernel = FakeKernel32({4242: 259, 4343: 0}, denied=(4444,))
    monkeypatch.setattr(lock_module, "WINDOWS", True)
    monkeypatch.setattr(lock_module, "_kernel32", lambda: kernel)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: kernel.error, raising=False)
    monkeypatch.setattr(lock_module.os, "kill", kernel.kill)
    assert lock_module._alive(4242) is True          # running
    assert lock_module._alive(4343) is False         # ended, handle still held somewhere
    assert lock_module._alive(4444) is True          # another user's process
    assert lock_module._alive(5555) is False         # no such process
    assert lock_module._alive(2 ** 40) is False      # not a Windows process id
    assert not kernel.open_handles                   # every handle closed

    path = tmp_path / "lock"
    for pid, taken in ((4343, True), (5555, True), (4242, False), (4444, False)):
        path.write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "owner": "weekly"}),
                        "utf-8")
        if taken:
            with WorkspaceLock(path) as lock:
                assert lock.held
        else:
            with pytest.raises(LockedError):
                WorkspaceLock(path).acquire()
            assert path.exists()


def test_a_failed_run_is_logged_as_one_sentence(tmp_path):
    from toolkit.errors import NothingToRead

    def job(day):
        raise NothingToRead("在 某文件夹 中没有读到任何台账。", "no ledgers in some folder.")
    with make(tmp_path, datetime(2026, 11, 23, 9), None, job) as (scheduler, _):
        assert scheduler.run_if_due() is False
    [line] = log_lines(tmp_path)
    assert line.endswith("失败：在 某文件夹 中没有读到任何台账；下次到时间再试"), line


def test_a_refused_second_scheduler_never_says_started(tmp_path):
    from click.testing import CliRunner
    from toolkit.cli import cli
    with WorkspaceLock(tmp_path / ".shequ" / "scheduler.lock", owner="schedule"):
        result = CliRunner().invoke(cli, ["schedule", str(tmp_path)])
    assert result.exit_code == 2
    assert "另一个 shequ 正在处理这个台账文件夹：schedule" in result.output
    assert "已启动" not in result.output


def test_a_signal_landing_inside_the_loops_own_wait_stops_it(tmp_path):
    """The stop signal's handler runs in the main thread, often inside the loop's
    ``stop_event.wait`` while it holds the event's lock: setting the event there waited for a
    lock its own thread held, so SIGTERM/Ctrl-C never stopped ``schedule`` (the subprocess test
    above failed about one run in four). Here the handler is called while its thread holds
    that lock, as in the wait; it must return, and the loop must see the stop."""
    scheduler = Scheduler(tmp_path, lambda day: "ok", weekday=0, at=time(8, 30))
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        install_stop_signals(scheduler)
        handler = signal.getsignal(signal.SIGTERM)
        returned = threading.Event()

        def inside_the_wait():
            with scheduler.stop_event._cond:       # what Condition.wait holds when it is hit
                handler(signal.SIGTERM, None)
            returned.set()
        threading.Thread(target=inside_the_wait, daemon=True).start()
        assert returned.wait(5)
        assert scheduler.stopped
        started = datetime.now()
        scheduler.sleep(30)                         # the loop's nap ends at once once stopped
        assert (datetime.now() - started).total_seconds() < 2
    finally:
        for s, h in before.items():
            signal.signal(s, h)
