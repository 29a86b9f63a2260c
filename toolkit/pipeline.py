"""The steps of one run, each computed once and handed on (``toolkit.api`` strings them
together for the commands; ``automate.weekly`` for the weekly job):

    check(paths, as_of=…)                 settings → files discovered once → read → rules
    plan(result)                          findings → follow-ups, assigned
    write_reports(result, followups, …)   period and indicators once → 周检查报告 + 镇报送表
    result_document(result, …)            the JSON document of cli.md

Each workbook is read once per run and every later step sees the same records, settings and
calendar.
"""
from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import schema
from toolkit.check import explain_unread, run_rules
from toolkit.domain.context import Context
from toolkit.errors import NothingToRead, UsageError
from toolkit.model import Finding, FollowUp, Workspace
from toolkit.read import read_workspace
from toolkit.read.files import Discovery, discover, names_settings, owner_files
from toolkit.read.records import no_gc
from toolkit.read.settings import find_settings, read_settings
from toolkit.settings import Settings

if TYPE_CHECKING:
    from toolkit.report.indicators import Indicator

# assign and report are imported where they are used: ``shequ check`` never needs them (the
# solver brings networkx, the reports xlsxwriter — about 0.4 s of start-up; issue #20)


@dataclass
class CheckResult:
    as_of: date
    root: Path
    settings: Settings
    workspace: Workspace
    community_context: Context | None
    findings: list[Finding] = field(default_factory=list)
    communities: list["CheckResult"] = field(default_factory=list)   # town folder: one each

    @property
    def context(self) -> Context:
        """The one community's context (assign, report and weekly work per community)."""
        if self.community_context is None:
            names = "、".join(c.root.name for c in self.communities)
            raise UsageError(
                f"{self.root} 里有 {len(self.communities)} 个居委文件夹（{names}）。派单和报表请对每个居委文件夹"
                "分别运行；全镇汇总请用 shequ merge 合并各居委的 镇报送表.xlsx。",
                f"{self.root} holds {len(self.communities)} community folders; run assign/report/weekly "
                "on each of them, and shequ merge for the town summary.")
        return self.community_context

    @property
    def nothing_read(self) -> bool:
        """True when not one ledger sheet could be read (exit code 2 per cli.md)."""
        return not self.workspace.sources

    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0, "urgent": 0}
        for f in self.findings:
            counts[f.severity] += 1
            counts["urgent"] += f.urgent
        return counts

    def nothing_read_error(self, *, consequence: tuple[str, str] | None = None,
                           writes: bool = True) -> NothingToRead:
        """The one sentence for an empty or wrong folder, naming it (cli.md: no outputs, no
        history, exit 2); the sentence already says nothing was written (``consequence`` is
        accepted for the callers that name what they did not write). ``writes=False`` (check,
        which never writes): no word of reports or history."""
        return nothing_read_error(self.root, self.workspace, writes=writes)

    @property
    def exit_code(self) -> int:
        if self.nothing_read:
            return 2
        return 1 if any(f.severity == "error" for f in self.findings) else 0


# why a file could not be opened, by finding code: (zh, en) for the nothing-read sentence
_UNOPENED = {"F002": ("{n} 个设置了打开密码", "{n} password-protected"),
             "F001": ("{n} 个损坏或不是 Excel 工作簿", "{n} damaged or not Excel workbooks"),
             "F009": ("{n} 个超出安全限制", "{n} over the safety limits")}


def nothing_read_error(root: Path, workspace: Workspace | None = None, *,
                       writes: bool = True) -> NothingToRead:
    """The one sentence when nothing was read, naming the folder and the reason: files that
    could not be opened (how many and why), only the lock files Excel/WPS leave beside an open
    ledger, or else the generic hint (wrong folder, headers not found)."""
    why: dict[str, str] = {}                     # file -> the code that kept it closed
    if workspace is not None and not workspace.readable:
        for f in workspace.findings:
            if f.code in _UNOPENED and f.file and why.get(f.file) != "F002":
                why[f.file] = f.code             # a password says it all
    if why:
        counts = {code: sum(1 for c in why.values() if c == code) for code in _UNOPENED}
        parts = [(zh.format(n=counts[c]), en.format(n=counts[c]))
                 for c, (zh, en) in _UNOPENED.items() if counts[c]]
        n = len(why)
        return NothingToRead(
            f"在 {root} 中没有读到任何台账：{n} 个文件打不开（{'，'.join(p[0] for p in parts)}），"
            f"各文件的原因和处理办法见 shequ check 的结果{_NOT_WRITTEN[0] if writes else ''}。",
            f"no ledger could be read in {root}: {n} file{'s' if n != 1 else ''} could not be opened "
            f"({', '.join(p[1] for p in parts)}; shequ check gives each file's reason and fix)"
            f"{_NOT_WRITTEN[1] if writes else ''}.")
    owners = owner_files(root) if workspace is not None and not workspace.files else []
    if owners:
        return NothingToRead(
            f"在 {root} 中只有 Excel/WPS 打开台账时留下的锁文件（如 {owners[0]}），没有台账本身：请确认台账"
            f"放在这个文件夹里{_NOT_WRITTEN[0] if writes else ''}。",
            f"{root} holds only the lock files Excel/WPS leave while a ledger is open (e.g. "
            f"{owners[0]}), not the ledgers themselves: check that the ledgers are in this folder"
            f"{_NOT_WRITTEN[1] if writes else ''}.")
    return NothingToRead(
        f"在 {root} 中没有读到任何台账{_NOT_WRITTEN[0] if writes else ''}：请确认这是放台账的文件夹，"
        "台账是 .xlsx、.xls 或 .csv 文件，且表头在前10行内。",
        f"no ledger could be read in {root}{_NOT_WRITTEN[1] if writes else ''}. Check that this "
        "is the ledger folder and that the ledgers are .xlsx, .xls or .csv files, with the "
        "header in the first 10 rows.")


# what weekly/report/assign say they did not write when nothing was read (check writes nothing)
_NOT_WRITTEN = ("，没有生成报表和派单，也没有记入历史", "; no report, work order or history was written")


def committee_finding(settings: Settings, file: str = schema.SETTINGS_FILE) -> list[Finding]:
    """S503 when 基本信息 has no 居委名称 (the town report and merge need it); ``file``: the
    settings workbook read (``find_settings``)."""
    if settings.committee:
        return []
    from toolkit.model import finding
    if settings.no_workbook:       # no cell to point at: say the workbook is missing
        return [finding("S503", variant="no_workbook", params={"file": schema.SETTINGS_FILE},
                        kind="settings", value=None)]
    if settings.unreadable_workbook:   # the file is there but was not read (S501 says why)
        return [finding("S503", variant="unreadable", params={"file": file},
                        file=file, kind="settings", value=None)]
    return [finding("S503", params={"file": file, "sheet": schema.SET_BASIC,
                                    "label": schema.SET_BASIC_ROWS[0][0]},
                    file=file, sheet=schema.SET_BASIC, row=2, column="B",
                    header=schema.SET_VALUE, value=None)]


def workspace_root(paths: list[Path]) -> Path:
    """The folder that file names are shown relative to: the first folder given, else the
    first file's folder."""
    if not paths:
        raise UsageError("请指定要检查的台账文件夹或文件，例如：shequ check 台账/",
                         "give a ledger folder or file, e.g. shequ check ledgers/")
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"找不到：{'，'.join(missing)}。请检查路径是否正确。",
                         f"not found: {', '.join(missing)}. Check the path.")
    for p in paths:
        if Path(p).is_dir():
            return Path(p)
    return Path(paths[0]).parent


def load_settings(root: Path) -> tuple[Settings, list[Finding]]:
    """Read ``设置.xlsx`` in the workspace folder (or the 设置.xls / 设置(1).xlsx a clerk's save
    made of it: ``find_settings``); missing → built-in defaults, marked ``no_workbook``."""
    path = find_settings(root)
    if path is None:
        return Settings(no_workbook=True), []
    return read_settings(path)


def is_community_folder(folder: Path) -> bool:
    """A 居委's folder: it holds its own settings workbook (``find_settings``), or its name
    ends like one (``schema.COMMUNITY_FOLDER_ENDINGS``: 春庭居民区, 莘泽居委会, 松和社区)."""
    name = unicodedata.normalize("NFKC", folder.name).strip()
    return name.endswith(schema.COMMUNITY_FOLDER_ENDINGS) or find_settings(folder) is not None


def community_folders(files: list[Path], root: Path) -> dict[Path, list[Path]]:
    """Group ``files`` by community: the nearest folder below ``root`` that is a community's
    (``is_community_folder``); files with none belong to ``root``. Each community keeps its
    own ids and settings, so 30 居委 checked from one town folder never collide on LR-001,
    and two 居委 folders without a 设置.xlsx are never pooled into one."""
    root = root.resolve()
    groups: dict[Path, list[Path]] = {}
    known: dict[Path, bool] = {}
    for path in files:
        home = root
        for folder in path.resolve().parents:
            if folder == root or root not in folder.parents:
                break
            if folder not in known:
                known[folder] = is_community_folder(folder)
            if known[folder]:
                home = folder
                break
        groups.setdefault(home, []).append(path)
    return dict(sorted(groups.items()))


def empty_communities(root: Path, groups: dict[Path, list[Path]]) -> list[Path]:
    """The community folders directly in ``root`` that hold no file to read (empty, or only a
    设置.xlsx): a town check names each, instead of passing over it without a word."""
    try:
        children = sorted(p for p in root.resolve().iterdir() if p.is_dir())
    except OSError:
        return []
    return [p for p in children if p not in groups and not p.name.startswith((".", "~"))
            and p.name != schema.REPORTS_DIR and is_community_folder(p)]


def check(paths: list[Path], *, as_of: date, only: set[str] | None = None,
          skip: set[str] | None = None, progress=None, jobs: int | None = None) -> CheckResult:
    """Read everything under ``paths`` once and run every rule. Never raises for bad data.

    A folder whose subfolders each hold their own ``设置.xlsx`` (a town folder of 居委) is
    checked community by community, ``jobs`` at a time in worker processes (default: one per
    core; see ``check_communities``); the findings are shown together, named relative to the
    folder given. A town's result keeps each community's findings, sources and record counts,
    not its records (``workspace.count(kind)``, not ``workspace.ledger(kind)``)."""
    paths = [Path(p) for p in paths]
    root = workspace_root(paths)
    discovery = _without_settings(discover(paths, root))   # the one walk over the folders
    groups = community_folders(discovery.files, root)
    empty = empty_communities(root, groups) if root.is_dir() else []
    if len(groups) + len(empty) <= 1:
        folder = next(iter(groups), root)      # a lone community below the folder given
        return _check_community(paths, discovery, root, folder, as_of=as_of, only=only,
                                skip=skip, progress=progress)
    tasks = [(files, _part(discovery, files, root), root, folder, as_of, only, skip)
             for folder, files in groups.items()]
    parts = check_communities(tasks, jobs=jobs, progress=progress)
    for part, folder in zip(parts, groups):    # a finding on no file names its community
        where = _relative_folder(folder, root)
        if where:
            part.findings = [f if f.file else replace(f, file=f"{where}/") for f in part.findings]
    parts += [_empty_community(root, folder, as_of) for folder in empty]
    merged = Workspace(root=str(root))
    for part in parts:
        for kind, count in part.workspace.counts.items():
            merged.counts[kind] = merged.counts.get(kind, 0) + count
        merged.sources += part.workspace.sources
        merged.findings += part.workspace.findings
        merged.files += part.workspace.files
        merged.readable += part.workspace.readable
    findings = sorted((f for part in parts for f in part.findings), key=lambda f: f.sort_key)
    return CheckResult(as_of=as_of, root=root, settings=parts[0].settings, workspace=merged,
                       community_context=None, findings=findings, communities=parts)


def _without_settings(discovery: Discovery) -> Discovery:
    """``discovery`` less the workbooks read as a folder's settings because of their name and
    sheets (``find_settings``: 莘泽居民区设置.xlsx): a settings workbook is never a ledger."""
    taken: dict[Path, Path | None] = {}
    keep = []
    for path in discovery.files:
        if names_settings(path.name):
            if path.parent not in taken:
                taken[path.parent] = find_settings(path.parent)
            if taken[path.parent] == path:
                continue
        keep.append(path)
    discovery.files = keep
    return discovery


def _part(discovery: Discovery, files: list[Path], root: Path) -> Discovery:
    """The share of ``discovery`` that belongs to ``files`` (one community)."""
    from toolkit.read.files import relative
    names = {relative(path, root) for path in files}
    return Discovery(files=list(files), findings=[f for f in discovery.findings if f.file in names])


# ---------------------------------------------------------------------------------------
# a town folder: communities in worker processes

def default_jobs() -> int:
    """Worker processes for a town folder: one per core."""
    return os.cpu_count() or 1


def check_communities(tasks: list[tuple], *, jobs: int | None = None,
                      progress=None) -> list[CheckResult]:
    """Check each community of a town folder; results in the order of ``tasks``.

    ``jobs`` > 1: ``jobs`` worker processes (fork on Linux, spawn elsewhere), each checking one
    community after another as the parent hands them out, the heaviest first (``_weight``).
    A worker sends back a community's findings, sources and record counts (``_summary``), never
    its records, and frees the community once that answer is sent, before taking the next
    (nothing it builds forms a reference cycle), so its memory is that of its largest
    community. Workers live for the whole run: a fresh process per community costs the page
    faults of its memory every time (about 0.05 s each).
    ``jobs`` = 1 does the same in this process; both give the same results. A community whose
    check fails — an exception, or a worker that dies (killed, out of memory) — becomes an F001
    finding on each of its files; a dead worker is replaced and the others go on."""
    jobs = max(1, min(jobs or default_jobs(), len(tasks)))
    results: list[CheckResult | None] = [None] * len(tasks)

    def done(i: int, outcome: tuple) -> None:
        results[i] = _outcome_result(tasks[i], outcome)
        _tell(progress, i, tasks, sum(r is not None for r in results))

    if jobs == 1:
        for i, task in enumerate(tasks):
            done(i, _run_task(task, progress))
        return results
    with _Workers(jobs) as workers:
        weights = [_weight(task) for task in tasks]
        # pop() takes the heaviest; of equal weights, the first in folder order
        pending = sorted(range(len(tasks)), key=lambda i: (weights[i], -i))
        while pending or workers.busy:
            while pending and workers.idle():
                i = pending.pop()
                workers.give(i, tasks[i])
            for i, outcome in workers.finished():
                done(i, outcome)
    return results


def _weight(task: tuple) -> int:
    """How much a community's check is likely to cost: the bytes of its files. Workers take
    the heaviest communities first, so the run does not end waiting on one large community
    begun last while the other cores idle (a town of 28 communities and one four times their
    size, on two cores: 9.3–10.1 → 8.2–9.3 s wall, three alternating runs each)."""
    total = 0
    for path in task[0]:
        try:
            total += os.stat(path).st_size
        except OSError:           # gone since discovery: the check will say so
            pass
    return total


class _Workers:
    """Worker processes for ``check_communities``: ``give`` a task to an idle worker,
    ``finished`` waits for answers (a worker that dies answers ``("died", exit code)`` for its
    task, and is replaced while there is work)."""

    def __init__(self, count: int):
        import multiprocessing
        self._mp = multiprocessing.get_context("fork" if sys.platform.startswith("linux")
                                               else "spawn")
        self._count = count
        self._idle: list = []            # (connection, process) waiting for a task
        self.busy: dict = {}             # connection -> (task index, process)

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        for conn, process in self._idle + [(c, p) for c, (_, p) in self.busy.items()]:
            if exc[0] is None:
                conn.send(None)          # no more work: the worker ends
            else:
                process.terminate()      # an interrupt: stop at once
            conn.close()
            process.join()

    def idle(self) -> bool:
        if not self._idle and len(self.busy) < self._count:
            here, there = self._mp.Pipe()
            process = self._mp.Process(target=_worker, args=(there,),
                                       name=f"shequ-check-{len(self.busy)}")
            # not daemonic: a worker may read a legacy .xls in a child of its own (read/isolate.py)
            process.start()
            there.close()
            self._idle.append((here, process))
        return bool(self._idle)

    def give(self, i: int, task: tuple) -> None:
        conn, process = self._idle.pop()
        conn.send(task)
        self.busy[conn] = (i, process)

    def finished(self) -> list[tuple[int, tuple]]:
        from multiprocessing.connection import wait
        out = []
        for conn in wait(list(self.busy)):
            i, process = self.busy.pop(conn)
            try:
                outcome = conn.recv()
            except (EOFError, OSError):          # died before it could answer
                conn.close()
                process.join()
                outcome = ("died", process.exitcode)
            else:
                self._idle.append((conn, process))
            out.append((i, outcome))
        return out


def _worker(conn) -> None:
    """A worker process: check the communities it is given, one at a time, until told to stop;
    for each, send back its summary or the failure."""
    try:
        while (task := conn.recv()) is not None:
            held: list = []
            try:
                outcome = _run_task(task, ahead=False, hold=held)   # every core is busy already
                conn.send(outcome)
            except BaseException as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                conn.send(("error", f"{type(exc).__name__}: {str(exc)[:200]}"))
            held.clear()      # the community is freed once its answer is on its way
    except (EOFError, KeyboardInterrupt):
        pass                              # the parent went away or was interrupted
    finally:
        conn.close()


def _run_task(task: tuple, progress=None, ahead: bool = True, hold: list | None = None) -> tuple:
    """("ok", the community's summary) or ("error", why). ``hold``: the full result is put
    there, for the caller to free when it chooses (a worker: after sending the summary)."""
    files, discovery, root, folder, as_of, only, skip = task
    try:
        result = _check_community(files, discovery, root, folder, as_of=as_of, only=only,
                                  skip=skip, progress=progress, ahead=ahead)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - one community never stops the others
        return ("error", f"{type(exc).__name__}: {str(exc)[:200]}")
    if hold is not None:
        hold.append(result)
    return ("ok", _summary(result))


def _summary(result: CheckResult) -> CheckResult:
    """What a town needs of one community: findings, sources, files, record counts."""
    ws = result.workspace
    slim = Workspace(root=ws.root, sources=ws.sources, findings=ws.findings, files=ws.files,
                     readable=ws.readable,
                     counts={kind: ws.count(kind) for kind in schema.KINDS if ws.count(kind)})
    return CheckResult(as_of=result.as_of, root=result.root, settings=result.settings,
                       workspace=slim, community_context=None, findings=result.findings)


def _outcome_result(task: tuple, outcome: tuple) -> CheckResult:
    if outcome[0] == "ok":
        return outcome[1]
    files, discovery, root, folder, as_of, *_ = task
    if outcome[0] == "died":
        code = outcome[1]
        variant, params = (("community_signal", {"signal": -code}) if code is not None and code < 0
                           else ("community_exit", {"exit_code": code}))
    else:
        variant, params = "community_error", {"error": outcome[1]}
    return _failed_community(files, discovery, root, folder, as_of, variant, params)


def _failed_community(files: list[Path], discovery: Discovery, root: Path, folder: Path,
                      as_of: date, variant: str, params: dict) -> CheckResult:
    """A community whose check failed: one F001 per file, so no file goes unmentioned (and
    what was found about its files before reading, as for any community). ``variant``: why
    (codes.py F001 ``community_*``: the process died by a signal, exited, or raised)."""
    from toolkit.read.files import file_finding, relative
    prefix = _relative_folder(folder, root) or "."
    findings = list(discovery.findings) + [
        file_finding("F001", relative(path, root), variant, {"folder": prefix, **params})
        for path in files]
    findings.sort(key=lambda f: f.sort_key)
    workspace = Workspace(root=str(root), findings=list(findings),
                          files=[relative(path, root) for path in files])
    return CheckResult(as_of=as_of, root=Path(folder), settings=Settings(), workspace=workspace,
                       community_context=None, findings=findings)


def _empty_community(root: Path, folder: Path, as_of: date) -> CheckResult:
    """A community folder of a town with no ledger file in it: one F001 naming it, so the town
    office does not take a community never checked for a clean one."""
    from toolkit.read.files import file_finding
    where = f"{_relative_folder(folder, root)}/"
    findings = [file_finding("F001", where, "community_empty", {"folder": where.rstrip("/")})]
    workspace = Workspace(root=str(root), findings=list(findings))
    return CheckResult(as_of=as_of, root=Path(folder), settings=Settings(), workspace=workspace,
                       community_context=None, findings=findings)


def _tell(progress, i: int, tasks: list[tuple], done: int) -> None:
    if progress is not None:
        folder = tasks[i][3]
        progress(f"已检查 {done}/{len(tasks)} 个居委：{Path(folder).name}")


def _check_community(paths: list[Path], discovery: Discovery, root: Path, folder: Path, *,
                     as_of: date, only: set[str] | None, skip: set[str] | None,
                     progress, ahead: bool = True) -> CheckResult:
    """One community: its settings (``folder``/设置.xlsx), its files, every rule; the
    ``--only``/``--skip`` filter applied once, to every finding of the run. ``ahead``: parse
    a workbook that outweighs the others on a second thread (``read_workspace``)."""
    settings, settings_findings = load_settings(folder)
    settings_name = (find_settings(folder) or Path(schema.SETTINGS_FILE)).name
    prefix = _relative_folder(folder, root)
    if prefix:
        settings_findings = [replace(f, file=f"{prefix}/{f.file}" if f.file else f.file)
                             for f in settings_findings]
    with no_gc():        # records, the care index, findings: many objects, no cycles
        workspace = read_workspace(paths, as_of=as_of, settings=settings, root=root,
                                   progress=progress, found=discovery, ahead=ahead)
        ctx = Context(workspace=workspace, settings=settings, as_of=as_of)
        if workspace.sources:          # an empty folder is one message (nothing_read), not S503
            settings_findings += [replace(f, file=f"{prefix}/{f.file}") if prefix and f.file else f
                                  for f in committee_finding(settings, settings_name)]
        findings = list(settings_findings) + explain_unread(ctx, workspace.findings)
        rule_findings = run_rules(ctx, only=only, skip=skip)
        if prefix or settings_name != schema.SETTINGS_FILE:   # findings located on 设置.xlsx
            own = f"{prefix}/{settings_name}" if prefix else settings_name   # (U904): the copy read
            rule_findings = [replace(f, file=own) if f.file == schema.SETTINGS_FILE
                             else f for f in rule_findings]
        findings += rule_findings
    findings += ctx.calendar.coverage_findings()
    findings = select(findings, only=only, skip=skip)
    findings.sort(key=lambda f: f.sort_key)
    return CheckResult(as_of=as_of, root=Path(folder), settings=settings, workspace=workspace,
                       community_context=ctx, findings=findings)


def select(findings: list[Finding], *, only: set[str] | None = None,
           skip: set[str] | None = None) -> list[Finding]:
    """``--only`` / ``--skip``: the findings whose code is in ``only`` and not in ``skip``."""
    return [f for f in findings
            if (not only or f.code in only) and (not skip or f.code not in skip)]


def _relative_folder(folder: Path, root: Path) -> str:
    rel = Path(folder).resolve().relative_to(Path(root).resolve()).as_posix()
    return "" if rel == "." else rel


def result_document(result: CheckResult, *, lang: str = "zh", followups=None) -> dict:
    """The JSON document of cli.md (``followups`` only for assign and weekly)."""
    doc = {
        "as_of": result.as_of.isoformat(),
        "sources": [s.to_dict() for s in result.workspace.sources],
        "findings": [f.to_dict(lang) for f in result.findings],
    }
    if followups is not None:
        doc["followups"] = [fu.to_dict(lang) for fu in followups]
    doc["summary"] = result.summary()
    return doc


def annotate_file(file: Path, target: Path | None, *, as_of: date, lang: str = "zh",
                  workspace: Path | None = None):
    """Check ``file``'s workspace (its folder, or ``workspace``) and write the annotated copy.

    Default target: ``<workspace>/报表/标注/<name>`` — inside 报表/, so the copy is never read
    back as a ledger."""
    from toolkit.read.annotate import annotate
    from toolkit.read.files import relative

    file = Path(file)
    if not file.is_file():
        raise UsageError(f"找不到文件：{file}", f"file not found: {file}")
    root = Path(workspace) if workspace else file.parent
    try:
        file.resolve().relative_to(root.resolve())
    except ValueError:
        raise UsageError(f"{file} 不在台账文件夹 {root} 里", f"{file} is not inside {root}") from None
    result = check([root], as_of=as_of)
    target = Path(target) if target else root / schema.REPORTS_DIR / "标注" / file.name
    return annotate(file, target, result.findings, rel=relative(file, root), lang=lang,
                    committee=result.settings.committee, as_of=as_of)


def plan(result: CheckResult) -> list[FollowUp]:
    """The follow-ups the run's findings call for, assigned (``toolkit.assign``)."""
    from toolkit.assign import plan_followups
    return plan_followups(result.context, result.findings)


@dataclass
class Reports:
    """What ``write_reports`` wrote and computed (weekly records the indicators in history)."""
    staff: Path
    town: Path
    indicators: list[Indicator]
    period_label: str


def write_reports(result: CheckResult, followups: list[FollowUp], folder: Path, *,
                  period: str | None = None, lang: str = "zh",
                  history: list[tuple[str, dict]] | None = None,
                  links_from: Path | None = None,
                  bounds: tuple[date, date, str] | None = None) -> Reports:
    """周检查报告.xlsx and 镇报送表.xlsx into ``folder``: the reporting period (``period``,
    default the settings' 报送周期) and the indicators computed once for both. ``links_from``:
    the folder the reports will finally live in (weekly writes into a staging folder first),
    for the staff report's links back to the ledgers. ``bounds``: the period already resolved
    by ``report_period``."""
    from toolkit.report.indicators import compute_indicators
    from toolkit.report.staff import write_staff_report
    from toolkit.report.town import write_town_report
    ctx, folder = result.context, Path(folder)
    start, end, label = bounds or report_period(result, period)
    indicators = compute_indicators(ctx, result.findings, period_start=start, period_end=end)
    link_base = os.path.relpath(result.root, links_from or folder).replace(os.sep, "/")
    staff = write_staff_report(folder / schema.STAFF_REPORT, ctx, result.findings, followups,
                               history=history, lang=lang, link_base=link_base,
                               indicators=indicators, period_label=label)
    town = write_town_report(folder / schema.TOWN_REPORT, ctx, result.findings, indicators,
                             period_label=label, lang=lang)
    return Reports(staff=staff, town=town, indicators=indicators, period_label=label)


def report_period(result: CheckResult, period: str | None = None) -> tuple[date, date, str]:
    """(first day, last day, label) of ``period``, default the settings' 报送周期."""
    from toolkit.report.indicators import period_bounds
    return period_bounds(result.as_of, period or result.settings.period)
