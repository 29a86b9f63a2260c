"""``schedule DIR --install / --uninstall / --status``: register the weekly job with the system.

- Windows: Task Scheduler through ``schtasks /Create /XML``. ``schtasks /Create`` has no flag
  for "run the task as soon as possible after a scheduled start is missed", so the task is
  described in a task XML (UTF-16, as ``schtasks`` expects) with ``<StartWhenAvailable>``.
  The XML is kept in ``DIR/.shequ/schtasks.xml`` for the person installing to look at.
- Linux (and macOS): the user's crontab, read with ``crontab -l`` and written back whole with
  ``crontab -``: a weekly line and an ``@reboot`` catch-up line, each ending in a marker
  comment naming this folder, so ``--uninstall`` removes exactly our two lines and nothing else.

Both run ``python -m toolkit schedule DIR --once --quiet`` with the absolute path of the Python
that installed it; ``--once`` itself decides whether a run is due (a missed Monday, or more
than 7 days since the last run), so a catch-up start never runs twice in a week.
"""
from __future__ import annotations

import hashlib
import json
import locale
import shlex
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from toolkit import schema
from toolkit.automate.weekly import history_path, state_dir
from toolkit.errors import ToolkitError
from toolkit.text import Text

MARKER = "# shequ-weekly"
TASK_PREFIX = "shequ 每周检查"
XML_NAME = "schtasks.xml"
DAY_ELEMENTS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# any past date on a Monday: the trigger's date part only says from when; the days come below
START_DATE = "2020-01-06"


class InstallError(ToolkitError):
    """``schtasks`` or ``crontab`` is missing or refused."""


def current_system() -> str:
    return "windows" if sys.platform == "win32" else "cron"


@dataclass(frozen=True)
class WeeklyJob:
    workspace: Path          # absolute
    python: Path
    weekday: int = 0         # Monday = 0
    at: time = time(8, 30)

    @property
    def key(self) -> str:
        return hashlib.sha1(str(self.workspace).encode("utf-8")).hexdigest()[:8]

    @property
    def marker(self) -> str:
        return f"{MARKER} {self.key}"

    @property
    def task_name(self) -> str:
        return f"{TASK_PREFIX} {self.workspace.name or 'shequ'} {self.key}"

    def arguments(self) -> list[str]:
        return ["-m", "toolkit", "schedule", str(self.workspace), "--once", "--quiet"]

    def when(self) -> Text:
        return Text(f"每{schema.WEEKDAY_NAMES[self.weekday]} {self.at:%H:%M}",
                    f"{DAY_ELEMENTS[self.weekday]}s at {self.at:%H:%M}")


def job_for(workspace: Path, *, python: Path, weekday: int = 0, at: time = time(8, 30)) -> WeeklyJob:
    return WeeklyJob(Path(workspace).resolve(), Path(python), weekday, at)


# -- Windows ----------------------------------------------------------------------------------
def task_program(python: Path) -> Path:
    """``pythonw.exe`` beside ``python.exe`` when there is one: the Monday run then opens no
    console window that a clerk might close mid-run (output goes to the log anyway)."""
    windowless = python.with_name("pythonw.exe")
    return windowless if python.name.lower() == "python.exe" and windowless.exists() else python


def task_xml(job: WeeklyJob) -> str:
    command = escape(str(task_program(job.python)))
    arguments = escape(subprocess.list2cmdline(job.arguments()))
    folder = escape(str(job.workspace))
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>shequ 社区台账助手：每周检查 {folder}（错过时开机后尽快补跑）</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>{START_DATE}T{job.at:%H:%M}:00</StartBoundary>
      <Enabled>true</Enabled>
      <ScheduleByWeek>
        <DaysOfWeek>
          <{DAY_ELEMENTS[job.weekday]} />
        </DaysOfWeek>
        <WeeksInterval>1</WeeksInterval>
      </ScheduleByWeek>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{command}</Command>
      <Arguments>{arguments}</Arguments>
      <WorkingDirectory>{folder}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
""".replace("\n", "\r\n")


def _install_windows(job: WeeklyJob) -> None:
    from toolkit.files import write_bytes
    xml = write_bytes(state_dir(job.workspace) / XML_NAME, task_xml(job).encode("utf-16"))
    _run(["schtasks", "/Create", "/TN", job.task_name, "/XML", str(xml), "/F"])


def _windows_installed(job: WeeklyJob) -> bool:
    return _run(["schtasks", "/Query", "/TN", job.task_name], check=False).returncode == 0


def _uninstall_windows(job: WeeklyJob) -> bool:
    if not _windows_installed(job):
        return False
    _run(["schtasks", "/Delete", "/TN", job.task_name, "/F"])
    return True


# -- cron -------------------------------------------------------------------------------------
def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def cron_lines(job: WeeklyJob) -> list[str]:
    """The weekly line and the ``@reboot`` catch-up line. Each makes the log folder first: the
    shell opens ``>>cron.log`` before the job starts, so with ``.shequ/logs`` gone (a folder
    copied without its hidden files, a tidy-up) the job would not start at all, week after
    week, with nothing in any log."""
    logs = state_dir(job.workspace) / "logs"
    command = " ".join([f"mkdir -p {_sh_quote(str(logs))} &&", _sh_quote(str(job.python)),
                        *job.arguments()[:3], _sh_quote(str(job.workspace)), *job.arguments()[4:],
                        f">>{_sh_quote(str(logs / 'cron.log'))} 2>&1"])
    command = command.replace("%", "\\%")          # cron turns a bare % into a newline
    dow = (job.weekday + 1) % 7                    # cron: 0 = Sunday
    return [f"{job.at.minute} {job.at.hour} * * {dow} {command} {job.marker}",
            f"@reboot {command} {job.marker}"]


def _read_crontab() -> list[str]:
    done = _run(["crontab", "-l"], check=False)
    if done.returncode != 0:
        if "no crontab" in done.stderr.lower():
            return []
        raise InstallError(f"无法读取当前用户的 crontab：{done.stderr.strip()}",
                           f"cannot read the user's crontab: {done.stderr.strip()}")
    return done.stdout.splitlines()


def _write_crontab(lines: list[str]) -> None:
    _run(["crontab", "-"], input="".join(line + "\n" for line in lines))


def _ours(line: str, job: WeeklyJob) -> bool:
    return line.rstrip().endswith(job.marker)


def _install_cron(job: WeeklyJob) -> None:
    (state_dir(job.workspace) / "logs").mkdir(parents=True, exist_ok=True)
    kept = [line for line in _read_crontab() if not _ours(line, job)]
    _write_crontab(kept + cron_lines(job))


def _uninstall_cron(job: WeeklyJob) -> bool:
    lines = _read_crontab()
    kept = [line for line in lines if not _ours(line, job)]
    if len(kept) == len(lines):
        return False
    _write_crontab(kept)
    return True


# -- running the system's tools -----------------------------------------------------------------
def _run(argv: list[str], *, input: str | None = None, check: bool = True):
    encoding = "utf-8" if argv[0] == "crontab" else (locale.getpreferredencoding(False) or "utf-8")
    try:
        done = subprocess.run(argv, input=input, capture_output=True, encoding=encoding,
                              errors="replace", timeout=60)
    except FileNotFoundError:
        raise InstallError(f"找不到 {argv[0]} 命令，无法登记每周任务。请改用常驻的 shequ schedule 文件夹。",
                           f"the {argv[0]} command is missing; use a resident shequ schedule DIR "
                           "instead.") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InstallError(f"{argv[0]} 运行失败：{exc}", f"{argv[0]} failed: {exc}") from None
    if check and done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise InstallError(f"{argv[0]} 失败（退出码 {done.returncode}）：{detail}",
                           f"{argv[0]} failed (exit code {done.returncode}): {detail}")
    return done


def check_runnable(job: WeeklyJob, system: str) -> None:
    """The registered command must work where it will run: no activated venv, no PYTHONPATH,
    not in the project folder (cron starts in $HOME, the task in DIR). A Python that finds
    ``toolkit`` only thanks to those would be registered and then fail every week unseen."""
    import os
    program = task_program(job.python) if system == "windows" else job.python
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    try:
        done = subprocess.run([str(program), "-c", "import toolkit.cli"], cwd=job.workspace, env=env,
                              capture_output=True, text=True, errors="replace", timeout=120)
        detail = "" if done.returncode == 0 else \
            ((done.stderr or done.stdout).strip().splitlines() or [f"exit {done.returncode}"])[-1]
    except (OSError, subprocess.TimeoutExpired) as exc:
        detail = str(exc)
    if detail:
        raise InstallError(
            f"没有登记：定时任务要用 {program} 运行 shequ，但在定时任务的环境里（不激活虚拟环境、没有 PYTHONPATH、"
            f"不在本项目文件夹中）它运行不了（{detail}）。请先安装 shequ（pip install . 或离线安装包），"
            "再用装好的 shequ 的完整路径运行 --install，如 ~/shequ/.venv/bin/shequ 或 "
            "C:\\shequ\\.venv\\Scripts\\shequ.exe。",
            f"not registered: the job would run shequ with {program}, which cannot run it where the "
            f"job runs (no activated venv, no PYTHONPATH, not in the project folder): {detail}. "
            "Install shequ first (pip install . or the offline bundle), then run --install with the "
            "installed shequ's full path, e.g. ~/shequ/.venv/bin/shequ.")


# -- the three actions ----------------------------------------------------------------------------
def install(job: WeeklyJob, system: str, *, check: bool = True) -> Text:
    if check:
        check_runnable(job, system)
    if system == "windows":
        _install_windows(job)
        where = Text(f"Windows 任务计划程序中的“{job.task_name}”", f'Task Scheduler task "{job.task_name}"')
    else:
        _install_cron(job)
        where = Text("当前用户的 crontab（另有开机补跑一行）", "the user's crontab (plus an @reboot catch-up)")
    return Text(f"已登记每周任务：{job.when().zh} 检查 {job.workspace}，错过时开机后补跑。位置：",
                f"weekly job registered: {job.when().en}, checking {job.workspace}; a missed "
                "run is made up after start-up. Where: ") + where


def uninstall(job: WeeklyJob, system: str) -> Text:
    removed = _uninstall_windows(job) if system == "windows" else _uninstall_cron(job)
    if removed:
        return Text(f"已删除 {job.workspace} 的每周任务。", f"weekly job for {job.workspace} removed.")
    return Text(f"{job.workspace} 没有登记每周任务，无需删除。",
                f"no weekly job is registered for {job.workspace}; nothing to remove.")


@dataclass(frozen=True)
class Registered:
    """What the registered job actually runs, as far as it can be read back."""
    program: Path | None
    weekday: int | None
    at: time | None


def _registered_cron(job: WeeklyJob) -> Registered | None:
    """Our lines in the crontab, read back (None: not registered)."""
    ours = [line for line in _read_crontab() if _ours(line, job)]
    if not ours:
        return None
    program = weekday = at = None
    for line in ours:
        fields = line.split(None, 5)
        command = line.split(None, 1)[1] if line.startswith("@") else (fields[5] if len(fields) > 5 else "")
        try:
            words = shlex.split(command.replace("\\%", "%"), comments=True)
        except ValueError:
            words = []
        if "&&" in words:                  # mkdir -p … && python …: the program after it
            words = words[words.index("&&") + 1:]
        program = Path(words[0]) if words else program
        if not line.startswith("@") and len(fields) > 5:
            try:
                at = time(int(fields[1]), int(fields[0]))
                weekday = (int(fields[4]) - 1) % 7
            except ValueError:
                pass
    return Registered(program, weekday, at)


def _registered_windows(job: WeeklyJob) -> Registered | None:
    """None when Task Scheduler has no such task; else what ``DIR/.shequ/schtasks.xml`` (the
    XML registered by --install) says (fields unknown when that file is gone)."""
    if not _windows_installed(job):
        return None
    try:
        text = (state_dir(job.workspace) / XML_NAME).read_bytes().decode("utf-16")
        root = ElementTree.fromstring(text.split("\n", 1)[1])
    except (OSError, UnicodeDecodeError, IndexError, ElementTree.ParseError):
        return Registered(None, None, None)
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    command = root.findtext("t:Actions/t:Exec/t:Command", None, ns)
    start = root.findtext("t:Triggers/t:CalendarTrigger/t:StartBoundary", "", ns)
    days = root.find("t:Triggers/t:CalendarTrigger/t:ScheduleByWeek/t:DaysOfWeek", ns)
    names = [d.tag.split("}")[-1] for d in days] if days is not None else []
    try:
        at = time.fromisoformat(start.split("T", 1)[1])
    except (IndexError, ValueError):
        at = None
    weekday = DAY_ELEMENTS.index(names[0]) if len(names) == 1 and names[0] in DAY_ELEMENTS else None
    return Registered(Path(command) if command else None, weekday, at)


def _stale(job: WeeklyJob, system: str, registered: Registered) -> list[Text]:
    """Why the registered job is not what --install would register now (empty: it is)."""
    problems = []
    expected = task_program(job.python) if system == "windows" else job.python
    program = registered.program
    if program is not None and not program.exists():
        problems.append(Text(f"登记的程序 {program} 已不存在（Python 搬了位置或重装了），定时任务不会运行",
                             f"the registered program {program} no longer exists (Python moved or "
                             "was reinstalled), so the job cannot run"))
    elif program is not None and program != expected:
        problems.append(Text(f"登记的程序是 {program}，不是现在运行的 {expected}",
                             f"the registered program is {program}, not the running {expected}"))
    if registered.weekday is not None and registered.at is not None and \
            (registered.weekday, registered.at) != (job.weekday, job.at):
        was = WeeklyJob(job.workspace, job.python, registered.weekday, registered.at).when()
        problems.append(Text(f"登记的时间是{was.zh}，设置.xlsx 中是{job.when().zh}",
                             f"it is registered for {was.en}, the settings say {job.when().en}"))
    return problems


def status(job: WeeklyJob, system: str) -> Text:
    registered = _registered_windows(job) if system == "windows" else _registered_cron(job)
    problems = _stale(job, system, registered) if registered is not None else []
    if registered is None:
        head = Text("每周任务：未登记（可运行 shequ schedule 文件夹 --install）",
                    "weekly job: not registered (run shequ schedule DIR --install)")
    elif problems:
        head = Text("每周任务：已登记，但" + "；".join(p.zh for p in problems) +
                    "。请用现在的 shequ 重新运行 shequ schedule 文件夹 --install",
                    "weekly job: registered, but " + "; ".join(p.en for p in problems) +
                    ". Run shequ schedule DIR --install again with the shequ you use now")
    else:
        head = Text(f"每周任务：已登记（{job.when().zh}）", f"weekly job: registered ({job.when().en})")
    lines = [head, last_run_text(job.workspace)]
    return Text("\n".join(t.zh for t in lines), "\n".join(t.en for t in lines))


def last_run_text(workspace: Path) -> Text:
    """When the weekly job last ran, from the history (and the scheduler's own record)."""
    from toolkit.automate.history import History, HistoryError
    path = history_path(workspace)
    latest = None
    if path.exists():
        try:
            history = History.open(path)
        except HistoryError as exc:
            return Text(f"上次运行：历史记录库无法读取（{exc}）", f"last run: history unreadable ({exc})")
        try:
            latest = history.latest_run()
        finally:
            history.close()
    if latest is None:
        return Text("上次运行：还没有运行过", "last run: never")
    scheduled = _scheduler_last_run(workspace)
    extra = (Text(f"；定时任务上次运行于 {scheduled:%Y-%m-%d %H:%M}",
                  f"; the scheduled job last ran at {scheduled:%Y-%m-%d %H:%M}")
             if scheduled else Text("", ""))
    return Text(f"上次运行：{latest.week}（按 {latest.as_of} 检查）",
                f"last run: {latest.week} (as of {latest.as_of})") + extra


def _scheduler_last_run(workspace: Path) -> datetime | None:
    try:
        data = json.loads((state_dir(workspace) / "schedule.json").read_text("utf-8"))
        return datetime.fromisoformat(data["last_run"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
