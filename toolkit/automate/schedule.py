"""``schedule DIR``: stay running and do ``weekly`` at the settings' time (default 周一 08:30).

- the clock and the sleep are injected (the CLI passes the real ones), so tests drive a
  simulated month in milliseconds;
- one scheduler per workspace (``.shequ/scheduler.lock``); each run also takes the run lock
  that a manual ``weekly`` takes, so they never collide;
- catches up at start when the last run is more than 7 days old;
- a failing run is logged and tried again at the next due time; the loop survives;
- logs go to ``DIR/.shequ/logs/shequ.log`` (rotating), counts only — no personal data;
- ``--once`` runs the job if it is due and returns (for cron / Windows Task Scheduler).

The ``schedule`` package was the planned dependency, but its jobs read the wall clock
(``datetime.datetime.now()`` inside ``Job``), so it cannot run on an injected clock; the
weekly rule is simple enough to compute here (``next_due``).
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

from toolkit.automate.lock import WorkspaceLock
from toolkit.automate.weekly import state_dir
from toolkit.errors import LockedError, ToolkitError

CATCH_UP_AFTER = timedelta(days=7)
POLL_SECONDS = 60.0


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
    clock: Callable[[], datetime]
    weekday: int = 0
    at: time = time(8, 30)
    sleep: Callable[[float], None] | None = None
    logger: logging.Logger | None = None
    stop_event: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self.workspace = Path(self.workspace)
        self.logger = self.logger or make_logger(self.workspace)
        if self.sleep is None:
            self.sleep = self.stop_event.wait

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
            self._log(now, f"失败：{exc.message()}；下次到时间再试")
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
        now = self.clock()
        return self.run_once(now) if self.is_due(now) else None

    def stop(self) -> None:
        self.stop_event.set()

    def run_forever(self) -> None:
        with WorkspaceLock(state_dir(self.workspace) / "scheduler.lock", owner="schedule"):
            now = self.clock()
            self._log(now, f"启动：每周{'一二三四五六日'[self.weekday]} {self.at:%H:%M} 运行")
            last = self.last_run()
            if last is None or now - last > CATCH_UP_AFTER:
                self.run_once(now)
            upcoming = next_due(self.clock(), self.weekday, self.at)
            while not self.stop_event.is_set():
                now = self.clock()
                if now >= upcoming:
                    self.run_once(now)
                    upcoming = next_due(now, self.weekday, self.at)
                    continue
                self.sleep(min(POLL_SECONDS, (upcoming - now).total_seconds()))
            self._log(self.clock(), "已停止")


def install_stop_signals(scheduler: Scheduler) -> None:
    """Ctrl-C and SIGTERM stop the loop cleanly after the current run (main thread only)."""
    import signal

    def handler(signum, frame):
        scheduler.stop()
    signal.signal(signal.SIGINT, handler)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, handler)
