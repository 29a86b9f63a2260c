"""``schedule --install/--uninstall/--status`` against recording stubs of crontab and schtasks.

The stubs are small scripts put first on PATH: each appends its argv and stdin to a log, and
keeps a fake crontab / task list in the test's folder. Nothing touches the real crontab.
"""
from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from datetime import date, time
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import make_workspace
from toolkit import schema
from toolkit.automate import install
from toolkit.automate.weekly import run_weekly
from toolkit.cli import cli
from toolkit.report.templates import write_settings
from toolkit.settings import Settings

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the stubs are POSIX scripts")

STUB = '''#!{python}
"""Recording stub of {name}: logs argv and stdin; keeps state in $STUB_STATE."""
import json, os, sys
name, args = {name!r}, sys.argv[1:]
state = os.path.join(os.environ["STUB_STATE"], name + ".state")
data = sys.stdin.read() if (name == "crontab" and args == ["-"]) else None
with open(os.environ["STUB_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{"argv": [name] + args, "stdin": data}}, ensure_ascii=False) + "\\n")
if name == "crontab":
    if args == ["-l"]:
        if not os.path.exists(state):
            sys.stderr.write("no crontab for tester\\n")
            sys.exit(1)
        sys.stdout.write(open(state, encoding="utf-8").read())
    elif args == ["-"]:
        open(state, "w", encoding="utf-8").write(data)
else:
    tasks = json.load(open(state, encoding="utf-8")) if os.path.exists(state) else []
    verb, task = args[0], args[args.index("/TN") + 1]
    if verb == "/Query":
        sys.exit(0 if task in tasks else 1)
    if verb == "/Create":
        json.dump(sorted(set(tasks) | {{task}}), open(state, "w", encoding="utf-8"))
    if verb == "/Delete":
        json.dump([t for t in tasks if t != task], open(state, "w", encoding="utf-8"))
'''


@pytest.fixture
def stubs(tmp_path, monkeypatch):
    """Install the stubs; return a function giving the recorded calls so far."""
    bindir, state = tmp_path / "stub-bin", tmp_path / "stub-state"
    bindir.mkdir()
    state.mkdir()
    for name in ("crontab", "schtasks"):
        path = bindir / name
        path.write_text(STUB.format(python=sys.executable, name=name), "utf-8")
        path.chmod(0o755)
    log = tmp_path / "stub.log"
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("STUB_LOG", str(log))
    monkeypatch.setenv("STUB_STATE", str(state))

    def calls() -> list[dict]:
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    calls.crontab = state / "crontab.state"
    return calls


@pytest.fixture
def folder(tmp_path):
    """An (empty) ledger folder whose 设置.xlsx says 周三 14:05, named with 中文, a space and %."""
    path = tmp_path / "居委 台账 100%"
    path.mkdir()
    write_settings(path / schema.SETTINGS_FILE, Settings(schedule_weekday=2, schedule_time=time(14, 5)),
                   as_of=date(2026, 11, 23))
    return path


def q(text) -> str:
    return "'" + str(text) + "'"


def test_cron_install_status_uninstall(stubs, folder):
    stubs.crontab.write_text("MAILTO=jwh\n0 1 * * * /usr/local/bin/backup.sh\n", "utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["schedule", str(folder), "--install"])
    assert result.exit_code == 0, result.output
    assert "已登记每周任务" in result.output and "每周三 14:05" in result.output
    key = install.job_for(folder, python=Path(sys.executable)).key
    log = folder / ".shequ" / "logs" / "cron.log"
    command = (f"mkdir -p {q(log.parent)} && {q(sys.executable)} -m toolkit schedule {q(folder)} "
               f"--once --quiet >>{q(log)} 2>&1").replace("%", "\\%")
    expected = ("MAILTO=jwh\n0 1 * * * /usr/local/bin/backup.sh\n"
                f"5 14 * * 3 {command} # shequ-weekly {key}\n"
                f"@reboot {command} # shequ-weekly {key}\n")
    assert stubs() == [{"argv": ["crontab", "-l"], "stdin": None},
                       {"argv": ["crontab", "-"], "stdin": expected}]
    assert log.parent.is_dir()

    # installing again replaces our lines, never duplicates them
    assert runner.invoke(cli, ["schedule", str(folder), "--install"]).exit_code == 0
    assert stubs.crontab.read_text("utf-8") == expected

    status = runner.invoke(cli, ["schedule", str(folder), "--status"])
    assert status.exit_code == 0
    assert status.output == "每周任务：已登记（每周三 14:05）\n上次运行：还没有运行过\n"

    before = len(stubs())
    removed = runner.invoke(cli, ["schedule", str(folder), "--uninstall", "--lang", "en"])
    assert removed.exit_code == 0 and "removed" in removed.output
    assert [c["argv"] for c in stubs()[before:]] == [["crontab", "-l"], ["crontab", "-"]]
    assert stubs.crontab.read_text("utf-8") == "MAILTO=jwh\n0 1 * * * /usr/local/bin/backup.sh\n"

    again = runner.invoke(cli, ["schedule", str(folder), "--uninstall"])
    assert again.exit_code == 0 and "无需删除" in again.output
    assert stubs()[-1]["argv"] == ["crontab", "-l"]          # nothing written back
    status = runner.invoke(cli, ["schedule", str(folder), "--status"])
    assert status.output.startswith("每周任务：未登记")


def test_cron_install_into_an_empty_crontab_and_keeps_other_folders(stubs, folder, tmp_path):
    other = tmp_path / "另一个居委"
    other.mkdir()
    runner = CliRunner()
    assert runner.invoke(cli, ["schedule", str(other), "--install"]).exit_code == 0
    assert runner.invoke(cli, ["schedule", str(folder), "--install"]).exit_code == 0
    lines = stubs.crontab.read_text("utf-8").splitlines()
    assert len(lines) == 4 and lines[0].startswith("30 8 * * 1 ")        # defaults: 周一 08:30
    assert runner.invoke(cli, ["schedule", str(folder), "--uninstall"]).exit_code == 0
    assert stubs.crontab.read_text("utf-8").splitlines() == lines[:2]     # the other folder stays


def test_status_says_when_it_last_ran(stubs, tmp_path):
    folder = make_workspace(tmp_path / "ws")
    run_weekly(folder, as_of=date(2026, 11, 23))
    result = CliRunner().invoke(cli, ["schedule", str(folder), "--status"])
    assert result.exit_code == 0, result.output
    assert "上次运行：2026-W48（按 2026-11-23 检查）" in result.output
    assert [c["argv"] for c in stubs()] == [["crontab", "-l"]]


def test_windows_task_xml_and_command_lines(stubs, folder):
    python = Path("C:\\Program Files\\社区 台账助手\\python.exe")
    job = install.job_for(folder, python=python, weekday=2, at=time(14, 5))
    assert install.install(job, "windows", check=False).zh.startswith("已登记每周任务：每周三 14:05")
    xml_path = folder / ".shequ" / "schtasks.xml"
    name = f"shequ 每周检查 居委 台账 100% {job.key}"
    assert stubs() == [{"argv": ["schtasks", "/Create", "/TN", name, "/XML", str(xml_path), "/F"],
                        "stdin": None}]
    data = xml_path.read_bytes()
    assert data.startswith(b"\xff\xfe")                        # UTF-16 (LE) with its BOM
    text = data.decode("utf-16")
    assert text.startswith('<?xml version="1.0" encoding="UTF-16"?>\r\n')
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    root = ET.fromstring(text.split("\n", 1)[1])
    assert root.find("t:Settings/t:StartWhenAvailable", ns).text == "true"
    trigger = root.find("t:Triggers/t:CalendarTrigger", ns)
    assert trigger.find("t:StartBoundary", ns).text.endswith("T14:05:00")
    assert [d.tag.split("}")[1] for d in trigger.find("t:ScheduleByWeek/t:DaysOfWeek", ns)] == ["Wednesday"]
    action = root.find("t:Actions/t:Exec", ns)
    assert action.find("t:Command", ns).text == str(python)
    assert action.find("t:Arguments", ns).text == f'-m toolkit schedule "{folder}" --once --quiet'

    assert install.status(job, "windows").zh.startswith("每周任务：已登记")
    assert install.uninstall(job, "windows").zh.startswith("已删除")
    assert install.uninstall(job, "windows").zh.endswith("无需删除。")
    assert [c["argv"] for c in stubs()[1:]] == [
        ["schtasks", "/Query", "/TN", name],
        ["schtasks", "/Query", "/TN", name], ["schtasks", "/Delete", "/TN", name, "/F"],
        ["schtasks", "/Query", "/TN", name]]


def test_missing_crontab_is_a_clear_message(folder, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    result = CliRunner().invoke(cli, ["schedule", str(folder), "--install"])
    assert result.exit_code == 2
    assert "找不到 crontab 命令" in result.output and "Traceback" not in result.output


def test_refused_crontab_is_reported_and_nothing_written(stubs, folder, tmp_path):
    (tmp_path / "stub-bin" / "crontab").write_text(
        "#!/bin/sh\necho 'crontab: you are not allowed to use this program' >&2\nexit 1\n", "utf-8")
    result = CliRunner().invoke(cli, ["schedule", str(folder), "--install", "--lang", "en"])
    assert result.exit_code == 2
    assert "not allowed" in result.output and "Traceback" not in result.output


def test_windows_task_prefers_pythonw_beside_python(tmp_path):
    scripts = tmp_path / "Scripts"
    scripts.mkdir()
    (scripts / "python.exe").write_bytes(b"")
    job = install.job_for(tmp_path, python=scripts / "python.exe")
    assert f"<Command>{scripts}/python.exe</Command>" in install.task_xml(job)
    (scripts / "pythonw.exe").write_bytes(b"")
    assert f"<Command>{scripts}/pythonw.exe</Command>" in install.task_xml(job)


def test_status_says_when_the_registered_job_no_longer_matches(stubs, folder, tmp_path):
    """The settings' time changed, or the registered Python is gone: --status must not say
    all is well while the job runs at the old time or cannot run at all."""
    runner = CliRunner()
    assert runner.invoke(cli, ["schedule", str(folder), "--install"]).exit_code == 0
    ok = runner.invoke(cli, ["schedule", str(folder), "--status"])
    assert ok.output.startswith("每周任务：已登记（每周三 14:05）\n")

    write_settings(folder / schema.SETTINGS_FILE, Settings(schedule_weekday=0, schedule_time=time(8, 30)),
                   as_of=date(2026, 11, 23))           # the time changed after --install
    moved = runner.invoke(cli, ["schedule", str(folder), "--status"])
    assert moved.exit_code == 0
    assert moved.output.startswith("每周任务：已登记，但登记的时间是每周三 14:05，设置.xlsx 中是每周一 08:30。"
                                   "请用现在的 shequ 重新运行 shequ schedule 文件夹 --install\n")

    gone = tmp_path / "旧的 venv" / "bin" / "python"
    stubs.crontab.write_text(stubs.crontab.read_text("utf-8").replace(sys.executable, str(gone)), "utf-8")
    lost = runner.invoke(cli, ["schedule", str(folder), "--status", "--lang", "en"])
    assert f"the registered program {gone} no longer exists" in lost.output
    assert runner.invoke(cli, ["schedule", str(folder), "--install"]).exit_code == 0
    assert runner.invoke(cli, ["schedule", str(folder), "--status"]).output.startswith("每周任务：已登记（每周一 08:30）")


def test_windows_status_reads_back_the_registered_task(stubs, folder, tmp_path):
    python = tmp_path / "Scripts" / "python.exe"
    python.parent.mkdir()
    python.write_bytes(b"")
    job = install.job_for(folder, python=python, weekday=2, at=time(14, 5))
    install.install(job, "windows", check=False)
    assert install.status(job, "windows").zh.startswith("每周任务：已登记（每周三 14:05）")
    later = install.job_for(folder, python=python, weekday=4, at=time(9, 0))
    assert install.status(later, "windows").zh.startswith(
        "每周任务：已登记，但登记的时间是每周三 14:05，设置.xlsx 中是每周五 09:00。")
    python.unlink()
    assert f"登记的程序 {python} 已不存在" in install.status(job, "windows").zh


def test_install_refuses_a_python_that_cannot_run_shequ_where_the_job_runs(stubs, folder, tmp_path,
                                                                        monkeypatch):
    """python -m toolkit run from the project folder (or with PYTHONPATH) works at the terminal,
    but cron starts in $HOME without either: registering it would fail every week unseen."""
    fake = tmp_path / "bin" / "python3"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\n[ -n "$PYTHONPATH" ] && exit 0\n'
                    'echo "/usr/bin/python3: No module named toolkit" >&2\nexit 1\n', "utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    result = CliRunner().invoke(cli, ["schedule", str(folder), "--install"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"没有登记：定时任务要用 {fake} 运行 shequ")
    assert "No module named toolkit" in result.output and "Traceback" not in result.output
    assert [c["argv"] for c in stubs()] == []                  # the crontab was not touched


@pytest.mark.parametrize("extra", [["--once"], ["--as-of", "2026-11-23"], ["--once", "--as-of", "2026-11-23"]])
@pytest.mark.parametrize("action", ["--install", "--uninstall", "--status"])
def test_install_uninstall_status_refuse_once_and_as_of(stubs, folder, action, extra):
    """--install --once (or --as-of) registered the usual job and said nothing of the option:
    the user believed the job would run that day. Now a usage error naming the option, and
    nothing registered or removed."""
    result = CliRunner().invoke(cli, ["schedule", str(folder), action, *extra])
    assert result.exit_code == 2
    assert "不能和" in result.output and extra[0] in result.output and "shequ weekly" in result.output
    assert stubs() == []                                   # crontab never asked
    en = CliRunner().invoke(cli, ["--lang", "en", "schedule", str(folder), action, *extra])
    assert en.exit_code == 2 and "does not take" in en.output


def test_the_cron_job_still_runs_after_the_hidden_state_folder_is_deleted(stubs, folder):
    """The cron line redirects into .shequ/logs/cron.log: with .shequ gone (a folder copied
    without its hidden files) the shell could not open the log and the job never started,
    every week, silently. The line makes the folder first; run here as cron would (sh -c)."""
    import shutil
    import subprocess
    assert CliRunner().invoke(cli, ["schedule", str(folder), "--install"]).exit_code == 0
    weekly = stubs.crontab.read_text("utf-8").splitlines()[0]
    command = weekly.split(None, 5)[5].replace("\\%", "%")
    shutil.rmtree(folder / ".shequ")
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=120)
    assert "nonexistent" not in done.stderr.lower() and "cannot create" not in done.stderr.lower()
    log = folder / ".shequ" / "logs" / "cron.log"
    assert log.is_file()
    # and --status still reads the registered program back from the line
    status = CliRunner().invoke(cli, ["schedule", str(folder), "--status"])
    assert status.output.startswith("每周任务：已登记（"), status.output
