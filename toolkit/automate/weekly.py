"""``weekly DIR``: check + history + assign + report in one pass over the data, into
``DIR/报表/<ISO year>-W<week>/``.

Each workbook is read once (``pipeline.check``); the reports are written by the same
``pipeline.write_reports`` that ``shequ report`` uses. The week's files are first written complete
into a hidden staging folder beside the week folder, then moved in one by one with
``os.replace``: a run killed at any moment leaves every file either last run's or this run's,
never half-written; other weeks are never touched. History is stored after the outputs.

A week earlier than one already recorded (``--as-of`` a past date) gets its reports, compared
with the runs recorded before it, but the history is left as it is: rewriting that week's row
would change the later weeks' trends behind the clerk's back (``WeeklyResult.note`` says so).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from toolkit import schema
from toolkit.automate.history import History, HistoryError
from toolkit.automate.lock import WorkspaceLock
from toolkit.errors import NothingToRead
from toolkit.files import output_error, write_text
from toolkit.model import Finding, FollowUp, finding
from toolkit.text import Text

WORKBOOK_LANG = "zh"     # cli.md: the files are always Chinese; --lang is for the terminal


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def state_dir(workspace: Path) -> Path:
    return Path(workspace) / schema.STATE_DIR


def history_path(workspace: Path) -> Path:
    return state_dir(workspace) / "history.sqlite"


@dataclass
class WeeklyResult:
    week: str
    outdir: Path
    result: object                       # pipeline.CheckResult (findings include H codes)
    followups: list[FollowUp] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    note: Text | None = None             # one sentence for stderr (history left unchanged)

    @property
    def exit_code(self) -> int:
        return self.result.exit_code

    def summary_line(self, lang: str = "zh") -> str:
        s = self.result.summary()
        assigned = sum(1 for f in self.followups if f.assignee)
        if lang == "en":
            return (f"{self.week}: errors {s['error']}, warnings {s['warning']}, info {s['info']}, "
                    f"urgent {s['urgent']}; "
                    f"follow-ups {len(self.followups)} (assigned {assigned}); reports in {self.outdir}")
        return (f"{self.week}：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}，紧急 {s['urgent']}；"
                f"跟进派单 {len(self.followups)} 项（已派 {assigned}）；报表在 {self.outdir}")


def open_history(workspace: Path, as_of: date) -> tuple[History | None, list[Finding]]:
    """Open the history; a corrupt or locked database is moved aside (H604) and started afresh."""
    path = history_path(workspace)
    try:
        return History.open(path), []
    except HistoryError as exc:
        aside = path.with_name(f"history.broken-{as_of.isoformat()}.sqlite")
        try:
            os.replace(path, aside)
        except OSError:
            return None, [_h604(path, None, exc)]
        try:
            return History.open(path), [_h604(path, aside, exc)]
        except HistoryError as exc2:
            return None, [_h604(path, aside, exc2)]


def _h604(path: Path, aside: Path | None, exc: Exception) -> Finding:
    return finding("H604", kind="history", file=f"{schema.STATE_DIR}/{path.name}", value=None,
                   variant="moved" if aside else None,
                   params={"database": path.name, "error": str(exc),
                           "aside": aside.name if aside else None})


def history_kept_note(week: str, later: str) -> Text:
    return Text(f"{week} 的报表已写好，但历史记录没有改动：历史中已有更晚的 {later}，"
                f"改写 {week} 会改变之后各周报表里的趋势。",
                f"reports for {week} written; history left unchanged, because the later week "
                f"{later} is recorded and rewriting {week} would change the later weeks' trends.")


def _staging_folder(outdir: Path) -> Path:
    """A fresh hidden folder beside the week folder; staging folders that a killed run left
    behind are removed first (safe: the caller holds the workspace lock)."""
    reports = outdir.parent
    try:
        reports.mkdir(parents=True, exist_ok=True)
        for old in reports.glob(".*-W*.*"):
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=reports))
    except OSError as exc:
        raise output_error(reports, exc) from exc


def run_weekly(workspace: Path, *, as_of: date, lang: str = "zh", progress=None) -> WeeklyResult:
    """The whole weekly job for one workspace folder. Holds the workspace lock throughout."""
    workspace = Path(workspace)
    fresh = not state_dir(workspace).exists()
    try:
        with WorkspaceLock(state_dir(workspace) / "lock", owner="weekly"):
            return _run(workspace, as_of=as_of, lang=lang, progress=progress)
    except NothingToRead:
        if fresh:                   # an empty or wrong folder is left exactly as it was
            shutil.rmtree(state_dir(workspace), ignore_errors=True)
        raise


def _run(workspace: Path, *, as_of: date, lang: str, progress) -> WeeklyResult:
    from toolkit import pipeline
    from toolkit.report import console
    from toolkit.report.indicators import as_map
    from toolkit.report.workorders import write_work_orders

    week = week_label(as_of)
    result = pipeline.check([workspace], as_of=as_of, progress=progress)
    if result.nothing_read:         # cli.md: no outputs, no history, one sentence, exit 2
        raise result.nothing_read_error()
    history, history_findings = open_history(workspace, as_of)
    later = None
    try:
        if history is not None:
            later = history.latest_week_after(week)
            history_findings += history.compare(result.workspace, week)
        result.findings = sorted(result.findings + history_findings, key=lambda f: f.sort_key)
        followups = pipeline.plan(result)
        if history is not None:         # 上周已派，仍未完成 (docs/assign.md)
            repeats = history.repeats(week, followups, result.context)
            for fu in followups:
                fu.repeat = repeats.get(fu.id)
        past = history.past_runs(week) if history is not None else []
        trend = [(run.week, run.indicators) for run in past]

        outdir = workspace / schema.REPORTS_DIR / week
        staging = _staging_folder(outdir)
        try:
            reports = pipeline.write_reports(result, followups, staging, lang=WORKBOOK_LANG,
                                             history=trend, links_from=outdir)
            write_work_orders(staging / schema.WORK_ORDERS, followups, result.context,
                              lang=WORKBOOK_LANG)
            document = pipeline.result_document(result, lang=WORKBOOK_LANG, followups=followups)
            write_text(staging / schema.RUN_JSON, console.format_json(document))
            names = (schema.STAFF_REPORT, schema.WORK_ORDERS, schema.TOWN_REPORT, schema.RUN_JSON)
            kept = _publish(staging, outdir, names, workspace)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if history is not None and later is None:
            history.record_run(result.workspace, week, as_of,
                               {code: i.value for code, i in as_map(reports.indicators).items()
                                if i.value is not None}, followups, result.context)
    finally:
        if history is not None:
            history.close()
    notes = [n for n in (history_kept_note(week, later) if later else None, kept_note(kept)) if n]
    return WeeklyResult(week=week, outdir=outdir, result=result, followups=followups,
                        files=[outdir / n for n in names],
                        note=Text(" ".join(n.zh for n in notes), " ".join(n.en for n in notes))
                        if notes else None)


PUBLISHED = "published.json"        # in .shequ: the digests of the files runs published
KEEP_HASHES = 4


def _digest(path: Path) -> str:
    from toolkit.read.reports import content_digest
    return content_digest(path)


def _published(workspace: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((state_dir(workspace) / PUBLISHED).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): [str(h) for h in v] for k, v in data.items() if isinstance(v, list)}


def _changed_by_staff(path: Path, key: str, published: dict[str, list[str]]) -> bool:
    """An existing output that is not as a run left it: edited and saved since (its digest —
    the cells' values, so a save without edits changes nothing — is none of those recorded
    for it), or, with no record, a workbook the tool did not write
    (a staff workbook saved under an output's name)."""
    if key in published:
        return _digest(path) not in published[key]
    from toolkit.read.files import is_own_output
    return path.suffix.lower() == ".xlsx" and not is_own_output(path)


def _aside_name(path: Path) -> Path:
    for n in range(1, 1000):
        mark = "（修改过，已保留）" if n == 1 else f"（修改过，已保留{n}）"
        candidate = path.with_name(f"{path.stem}{mark}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)


def kept_note(kept: list[tuple[Path, Path]]) -> Text | None:
    if not kept:
        return None
    return Text("以下文件在上次生成后被修改过（或不是 shequ 写的），没有覆盖，已改名保留：" +
                "；".join(f"{old.name} → {new.name}" for old, new in kept) + "。",
                "these files were changed since they were written (or were not written by "
                "shequ); they were not overwritten but kept under a new name: " +
                "; ".join(f"{old.name} -> {new.name}" for old, new in kept) + ".")


def _publish(staging: Path, outdir: Path, names: tuple[str, ...],
             workspace: Path) -> list[tuple[Path, Path]]:
    """Move the complete files into the week folder, one ``os.replace`` each.

    A file there that a person changed since a run wrote it is renamed aside first, never
    overwritten; returns those (old path, kept as). The new files' digests are recorded
    (``.shequ/published.json``, beside the earlier ones) before any is moved in, so a run
    killed half-way leaves only files whose digest is on record: the next run replaces them."""
    published, kept = _published(workspace), []
    targets = [(name, outdir / name, (outdir / name).relative_to(workspace).as_posix())
               for name in names]
    for _, target, key in targets:
        try:
            if target.exists() and _changed_by_staff(target, key, published):
                aside = _aside_name(target)
                os.replace(target, aside)
                kept.append((target, aside))
        except OSError as exc:
            raise output_error(target, exc) from exc
    for name, _, key in targets:
        published[key] = (published.get(key, []) + [_digest(staging / name)])[-KEEP_HASHES:]
    record = state_dir(workspace) / PUBLISHED
    try:
        write_text(record, json.dumps(published, ensure_ascii=False, indent=0, sort_keys=True))
    except OSError as exc:
        raise output_error(record, exc) from exc
    for name, target, _ in targets:
        try:
            outdir.mkdir(exist_ok=True)
            os.replace(staging / name, target)
        except OSError as exc:
            raise output_error(target, exc) from exc
    return kept
