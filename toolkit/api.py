"""The library behind every command: one function per command, each step computed once.

    from toolkit import api
    result = api.check(["台账"], as_of=date(2026, 11, 23))          # CheckResult
    done = api.assign(["台账"], as_of=…, output=Path("跟进派单.xlsx"))  # + follow-ups, work orders
    done = api.report(["台账"], as_of=…, period="month")           # + 周检查报告, 镇报送表
    run = api.weekly(Path("台账"), as_of=…)                        # all of it, into 报表/<周>/
    done = api.annotate(Path("台账/老年人台账.xlsx"), as_of=…)       # an annotated copy

``cli.py`` parses options, calls one of these and prints; these raise ``ToolkitError``
subclasses (``UsageError``, ``OutputError``, ``NothingToRead`` …), which the CLI maps to a
message and an exit code in one place. ``weekly`` and ``report`` write the reports through the
same ``pipeline.write_reports``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from toolkit import pipeline, schema
from toolkit.automate.weekly import WORKBOOK_LANG, WeeklyResult, run_weekly
from toolkit.model import FollowUp
from toolkit.pipeline import CheckResult, Reports, result_document

__all__ = ["check", "assign", "report", "weekly", "annotate", "init", "CheckResult", "Assigned",
           "Reported", "WeeklyResult", "result_document"]

Progress = Callable[[str], None] | None


def check(paths: list[Path], *, as_of: date, only: set[str] | None = None,
          skip: set[str] | None = None, progress: Progress = None,
          jobs: int | None = None) -> CheckResult:
    """Read everything under ``paths`` once and run every rule (``shequ check``); a town
    folder's communities ``jobs`` at a time in worker processes (default: one per core)."""
    return pipeline.check(list(paths), as_of=as_of, only=only, skip=skip, progress=progress,
                          jobs=jobs)


@dataclass
class Assigned:
    result: CheckResult
    followups: list[FollowUp]
    path: Path                      # 跟进派单.xlsx


def assign(paths: list[Path], *, as_of: date, output: Path | None = None, lang: str = "zh",
           progress: Progress = None) -> Assigned:
    """Check, plan the follow-ups and write 跟进派单.xlsx (``shequ assign``). Raises
    ``NothingToRead`` when not one ledger could be read: nothing is written then. The
    workbook is Chinese whatever ``lang`` (cli.md: --lang is the terminal's language)."""
    from toolkit.report.workorders import write_work_orders
    result = check(paths, as_of=as_of, progress=progress)
    if result.nothing_read:
        raise result.nothing_read_error()
    followups = pipeline.plan(result)
    path = write_work_orders(output or Path(schema.WORK_ORDERS), followups, result.context,
                             lang=WORKBOOK_LANG)
    return Assigned(result=result, followups=followups, path=path)


@dataclass
class Reported:
    result: CheckResult
    followups: list[FollowUp]
    reports: Reports


def report(paths: list[Path], *, as_of: date, period: str | None = None,
           outdir: Path | None = None, lang: str = "zh", progress: Progress = None) -> Reported:
    """Check, plan, and write 周检查报告.xlsx and 镇报送表.xlsx (``shequ report``) into
    ``outdir`` (default ``<folder>/报表/<period label>/``). Raises ``NothingToRead`` when not
    one ledger could be read: no report is written then."""
    result = check(paths, as_of=as_of, progress=progress)
    if result.nothing_read:
        raise result.nothing_read_error(consequence=("未生成报表。", "no report written."))
    bounds = pipeline.report_period(result, period)
    folder = outdir or result.root / schema.REPORTS_DIR / bounds[2]
    followups = pipeline.plan(result)
    reports = pipeline.write_reports(result, followups, folder, period=period, lang=WORKBOOK_LANG,
                                     bounds=bounds)
    return Reported(result=result, followups=followups, reports=reports)


def weekly(directory: Path, *, as_of: date, lang: str = "zh",
           progress: Progress = None) -> WeeklyResult:
    """The weekly job (``shequ weekly``): check + history + assign + reports into
    ``DIR/报表/<年>-W<周>/``, under the workspace lock."""
    return run_weekly(Path(directory), as_of=as_of, lang=lang, progress=progress)


def annotate(file: Path, output: Path | None = None, *, as_of: date, lang: str = "zh",
             workspace: Path | None = None):
    """An annotated copy of a ledger (``shequ annotate``); the ledger itself is never written."""
    return pipeline.annotate_file(file, output, as_of=as_of, lang=WORKBOOK_LANG, workspace=workspace)


def init(directory: Path, *, as_of: date, python: Path | None = None) -> list[Path]:
    """A new workspace (``shequ init``): blank ledgers, 设置.xlsx, 使用说明.txt and, given the
    ``python`` that should run them, the two 立即检查 launchers; nothing is written when any
    of these files exists already."""
    from toolkit.automate.launchers import LAUNCHER_NAMES, write_launchers
    from toolkit.report.workspace import init_workspace
    written = init_workspace(directory, as_of=as_of,
                             also=LAUNCHER_NAMES if python is not None else ())
    if python is not None:
        written += write_launchers(directory, python=python)
    return written


def settings_of(directory: Path):
    """The workspace's settings (``设置.xlsx``, else the defaults)."""
    return pipeline.load_settings(Path(directory))[0]


def scheduler(directory: Path, *, today: date, as_of: date | None = None, lang: str = "zh"):
    """The weekly job of ``directory`` at the time in its settings, ready to ``run_if_due`` or
    ``run_forever``. ``as_of`` (with the caller's ``today``) shifts every run's date by the same
    number of days, so a whole schedule can be replayed as if it were another day."""
    from toolkit.automate.schedule import Scheduler
    settings = settings_of(directory)
    shift = (as_of - today) if as_of is not None else None

    def job(day: date) -> str:
        run = weekly(directory, as_of=day + shift if shift is not None else day, lang=lang)
        return run.summary_line(lang) + (f" {run.note.get(lang)}" if run.note else "")

    return Scheduler(directory, job, weekday=settings.schedule_weekday, at=settings.schedule_time)
