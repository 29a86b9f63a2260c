"""``schedule DIR``: stay running and do ``weekly`` at the settings' time (default 周一 08:30).

- the weekly job is a job of the ``schedule`` package (``every().monday.at("08:30")``); a
  moment missed while the computer slept is run as soon as the loop wakes;
- one scheduler per workspace (``.shequ/scheduler.lock``); each run also takes the run lock
  that a manual ``weekly`` takes, so they never collide;
- catches up at start when the last run is more than 7 days old;
- a failing run is logged and tried again at the next due time; the loop survives;
- logs go to ``DIR/.shequ/logs/shequ.log`` (rotating), counts only — no personal data;
- ``--once`` runs the job if it is due and returns (for cron / Windows Task Scheduler);
  "due" is ``is_due``: the latest scheduled moment was missed, or the last run is older than
  7 days.

The ``schedule`` package reads the wall clock (``datetime.datetime.now()``), so this module
does too — the one place below the CLI that does, because a scheduler's job is to follow the
clock. Tests move the wall clock with ``time-machine``; the sleep stays injectable so that a
test can advance the travelled clock instead of waiting.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Callable

import schedule as schedule_lib

from toolkit.automate.lock import WorkspaceLock
from toolkit.automate.weekly import state_dir
from toolkit.errors import LockedError, ToolkitError

CATCH_UP_AFTER = timedelta(days=7)
POLL_SECONDS = 60.0
NAP_STEP = 1.0           # a stop by signal is seen within this (Scheduler.stop_on_signal)
WEEKDAY_UNITS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def next_due(after: datetime, weekday: int, at: time) -> datetime:
    """The first moment strictly after ``after`` that falls on ``weekday`` at ``at``."""
    candidate = datetime.combine(after.date(), at) + timedelta(days=(weekday - after.weekday()) % 7)
    if candidate <= after:
        candidate += timedelta(days=7)
    return candidate


def previous_due(now: datetime, weekday: int, at: time) -> datetime:
    """The latest scheduled moment at or before ``now``."""
    return next_due(now, weekday, at) - timedelta(days=7)


def make_logger(workspace: Path) -> logging.Logger:
    logdir = state_dir(workspace) / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(f"shequ.schedule.{workspace.resolve()}")
    if not logger.handlers:
        handler = RotatingFileHandler(logdir / "shequ.log", maxBytes=1_000_000, backupCount=5,
                                      encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


@dataclass
class Scheduler:
    workspace: Path
    job: Callable[[date], str]              # runs weekly for an as-of date, returns a summary line
    weekday: int = 0
    at: time = time(8, 30)
    sleep: Callable[[float], None] | None = None
    logger: logging.Logger | None = None
    stop_event: threading.Event = field(default_factory=threading.Event)
    _signalled: bool = field(default=False, init=False, repr=False)

    def __post_init__(self):
        self.workspace = Path(self.workspace)
        self.logger = self.logger or make_logger(self.workspace)
        if self.sleep is None:
            self.sleep = self._nap

    # -- state ---------------------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return state_dir(self.workspace) / "schedule.json"

    def last_run(self) -> datetime | None:
        try:
            return datetime.fromisoformat(json.loads(self.state_file.read_text("utf-8"))["last_run"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _remember(self, moment: datetime) -> None:
        from toolkit.files import write_text
        write_text(self.state_file, json.dumps({"last_run": moment.isoformat()}))

    def _log(self, moment: datetime, message: str) -> None:
        self.logger.info("%s %s", moment.isoformat(timespec="seconds"), message)

    # -- running -------------------------------------------------------------------------
    def is_due(self, now: datetime) -> bool:
        last = self.last_run()
        if last is None:
            return True
        return last < previous_due(now, self.weekday, self.at) or now - last > CATCH_UP_AFTER

    def run_once(self, now: datetime) -> bool:
        """Run the job for ``now``'s date; log the outcome; never raises for a failed run."""
        try:
            summary = self.job(now.date())
        except LockedError as exc:
            self._log(now, f"跳过：{exc.message()}")
            return False
        except ToolkitError as exc:     # our messages name files and fixes, never cell values
            self._log(now, f"失败：{exc.message().rstrip('。.')}；下次到时间再试")
            return False
        except Exception as exc:  # noqa: BLE001 - a failed run must not stop the scheduler
            # the text of an unexpected error may quote a cell (a name, a phone): log its type only
            self._log(now, f"失败：内部错误 {type(exc).__name__}（详情可能含个人信息，未记入日志；"
                           f"请手工运行 shequ weekly --debug 查看）；下次到时间再试")
            return False
        self._remember(now)
        self._log(now, f"完成：{summary}")
        return True

    def run_if_due(self) -> bool | None:
        """``--once``: run when due; None when nothing was due."""
        now = datetime.now()
        return self.run_once(now) if self.is_due(now) else None

    def stop(self) -> None:
        """Stop the loop after the current run (from this thread or another one)."""
        self.stop_event.set()

    def stop_on_signal(self) -> None:
        """``stop`` for a signal handler: only a flag, no lock. The handler runs in the main
        thread between two steps of whatever it was doing — often inside the loop's own
        ``stop_event.wait``, while that holds the event's lock; ``stop_event.set()`` there
        waited for a lock its own thread held, and ``schedule`` never stopped on SIGTERM or
        Ctrl-C (a test saw it about one time in four). The loop's nap looks at the flag at
        least once a second."""
        self._signalled = True

    @property
    def stopped(self) -> bool:
        return self._signalled or self.stop_event.is_set()

    def _nap(self, seconds: float) -> None:
        """Sleep ``seconds``, in steps of at most one second, ending early once ``stopped``."""
        from time import monotonic
        end = monotonic() + seconds
        while not self.stopped:
            left = end - monotonic()
            if left <= 0:
                return
            self.stop_event.wait(min(left, NAP_STEP))

    def weekly_jobs(self) -> schedule_lib.Scheduler:
        """A ``schedule`` scheduler holding the one weekly job at the settings' day and time."""
        jobs = schedule_lib.Scheduler()
        day = getattr(jobs.every(), WEEKDAY_UNITS[self.weekday])
        day.at(f"{self.at:%H:%M}").do(lambda: self.run_once(datetime.now()))
        return jobs

    def run_forever(self, started: Callable[[], None] | None = None) -> None:
        """Run until stopped; ``started`` is called once this is the folder's one scheduler
        (its lock taken), so "started" is never said by a scheduler that is refused."""
        with WorkspaceLock(state_dir(self.workspace) / "scheduler.lock", owner="schedule"):
            if started is not None:
                started()
            now = datetime.now()
            self._log(now, f"启动：每周{'一二三四五六日'[self.weekday]} {self.at:%H:%M} 运行")
            last = self.last_run()
            if last is None or now - last > CATCH_UP_AFTER:     # the catch-up rule, at start
                self.run_once(now)
            jobs = self.weekly_jobs()
            while not self.stopped:
                jobs.run_pending()
                idle = jobs.idle_seconds
                self.sleep(POLL_SECONDS if idle is None else min(POLL_SECONDS, max(idle, 0.5)))
            self._log(datetime.now(), "已停止")


def install_stop_signals(scheduler: Scheduler) -> None:
    """Ctrl-C and SIGTERM stop the loop cleanly after the current run (main thread only)."""
    import signal

    def handler(signum, frame):
        scheduler.stop_on_signal()
    signal.signal(signal.SIGINT, handler)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, handler)
