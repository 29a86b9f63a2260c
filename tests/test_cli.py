"""The command line surface: help, version, exit codes, no tracebacks, fast start-up."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from toolkit import __version__
from toolkit.cli import cli


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_help_and_version_do_not_import_heavy_libraries():
    # main() ends the process itself (os._exit): the modules are listed by an atexit function
    code = ("import atexit, sys\nfrom toolkit.cli import main\nsys.argv=['shequ','--help']\n"
            "atexit.register(lambda: print('HEAVY', [m for m in ('pandas','openpyxl','xlsxwriter',"
            "'python_calamine','networkx') if m in sys.modules]))\nmain()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_main_leaves_with_the_commands_status_and_everything_printed(tmp_path):
    """main() skips the interpreter's teardown (os._exit, docs/performance.md): the exit
    status, what was printed and the atexit functions must be as a normal exit leaves them."""
    sample = Path(__file__).resolve().parent.parent / "samples" / "xinze"
    run = subprocess.run([sys.executable, "-m", "toolkit.cli", "check", str(sample), "--as-of",
                          "2026-11-23", "--format", "json", "-q"], capture_output=True, text=True)
    assert run.returncode == 1                     # the sample has errors (README)
    doc = json.loads(run.stdout)                   # the whole document reached the pipe
    assert doc["summary"]["error"] > 0 and len(doc["findings"]) == sum(
        doc["summary"][k] for k in ("error", "warning", "info"))
    missing = subprocess.run([sys.executable, "-m", "toolkit.cli", "check", str(tmp_path / "nope")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "找不到" in missing.stderr + missing.stdout
    code = ("import atexit\nfrom toolkit.cli import _leave\n"
            "atexit.register(lambda: print('atexit ran'))\nprint('before', end='')\n_leave('坏了')")
    said = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert said.returncode == 1 and "坏了" in said.stderr
    assert said.stdout == "beforeatexit ran\n"


def test_a_commands_result_is_not_freed_before_the_process_leaves():
    """check's records stay referenced until main() leaves (the command's frame is held by its
    SystemExit): freeing 150,000 records one by one after the answer is printed cost a big
    estate 0.25 s (docs/performance.md, round nine). A finalizer on the result's workspace
    would say FREED if it were freed before os._exit."""
    sample = Path(__file__).resolve().parent.parent / "samples" / "xinze"
    code = ("import os, sys, weakref\nfrom toolkit import api\nfrom toolkit.cli import main\n"
            "real = api.check\n"
            "def check(*a, **k):\n"
            "    result = real(*a, **k)\n"
            "    weakref.finalize(result.workspace, os.write, 2, b'FREED').atexit = False\n"
            "    return result\n"
            "api.check = check\n"
            f"sys.argv = ['shequ', 'check', {str(sample)!r}, '--as-of', '2026-11-23', '-q']\n"
            "main()\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1 and "错误" in run.stdout      # the report was printed
    assert "FREED" not in run.stderr
    # the check itself: the finalizer does fire when the result is dropped in the process
    dropped = code.replace("main()\n", "from datetime import date\n"
                           f"api.check([{str(sample)!r}], as_of=date(2026, 11, 23))\n"
                           "sys.stderr.flush()\n")
    assert "FREED" in subprocess.run([sys.executable, "-c", dropped], capture_output=True,
                                     text=True).stderr


def test_bad_as_of_is_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--as-of", "2026-13-01"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_missing_path_is_a_clear_message_not_a_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope"), "--as-of", "2026-11-23"])
    assert result.exit_code == 2
    assert "找不到" in result.output and "Traceback" not in result.output


def test_missing_path_in_english(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope"), "--lang", "en"])
    assert result.exit_code == 2 and "not found" in result.output


def test_empty_folder_reads_nothing_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--as-of", "2026-11-23"])
    assert result.exit_code == 2
    assert "没有读到任何台账" in result.output
    assert "报表" not in result.output           # check never writes: no word of reports
    weekly = CliRunner().invoke(cli, ["weekly", str(tmp_path), "--as-of", "2026-11-23"])
    assert weekly.exit_code == 2 and "没有生成报表和派单，也没有记入历史" in weekly.output
    english = CliRunner().invoke(cli, ["check", str(tmp_path), "--as-of", "2026-11-23",
                                       "--lang", "en"])
    assert "first 10 rows" in english.output and "no report" not in english.output


def test_outputs_get_ordinary_permissions(tmp_path):
    import os
    import stat
    from toolkit.files import write_text
    path = write_text(tmp_path / "a.txt", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]      # no temp file left
