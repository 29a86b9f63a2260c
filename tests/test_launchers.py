"""The 立即检查 launchers: exact .bat bytes (GBK, CRLF, quoting), and the .sh really run."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import make_workspace
from toolkit import schema
from toolkit.automate.launchers import bat_text, sh_quote, sh_text, write_launchers
from toolkit.automate.weekly import week_label
from toolkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent

EXPECTED_BAT = (
    "@echo off\r\n"
    "rem 立即检查：检查本文件夹的台账，写出本周报表并打开 周检查报告.xlsx。\r\n"
    "rem 由 shequ init 生成；换了 Python 位置后请运行 shequ init --launchers-only 本文件夹 重新生成。\r\n"
    "setlocal\r\n"
    '"C:\\Program Files\\社区 台账助手\\100%%\\python.exe" -m toolkit weekly "%~dp0." --open --quiet\r\n'
    'set "CODE=%ERRORLEVEL%"\r\n'
    'if "%CODE%"=="0" goto ok\r\n'
    'if "%CODE%"=="1" goto found\r\n'
    "echo 检查没有完成，请阅读上面的说明；解决不了请拍照发给负责安装的同事。\r\n"
    "pause\r\n"
    "exit /b %CODE%\r\n"
    ":found\r\n"
    "echo 台账中有需要更正的问题，周检查报告已打开，请按报告逐条更正。\r\n"
    "pause\r\n"
    "exit /b %CODE%\r\n"
    ":ok\r\n"
    "echo 没有发现错误级问题，周检查报告已打开。本窗口 10 秒后自动关闭。\r\n"
    "timeout /t 10 >nul\r\n"
    "exit /b 0\r\n")


def test_bat_is_gbk_with_crlf_and_quoted_python(tmp_path):
    python = Path("C:\\Program Files\\社区 台账助手\\100%\\python.exe")
    data, encoding = bat_text(python)
    assert encoding == "gbk"
    assert data == EXPECTED_BAT.encode("gbk")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")   # every line CRLF
    assert not data.startswith(b"\xef\xbb\xbf")                          # no BOM: cmd would choke
    assert "社区 台账助手".encode("gbk") in data                          # not UTF-8 bytes
    assert "社区".encode("utf-8") not in data


def test_bat_falls_back_to_utf8_with_chcp_when_gbk_cannot_encode():
    name = "李䶮"                       # 䶮 (CJK Extension A) is outside GBK
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    data, encoding = bat_text(Path(f"C:\\Users\\{name}\\py\\python.exe"))
    assert encoding == "utf-8"
    first, rest = data.split(b"\r\n", 1)
    assert first == b"@chcp 65001 >nul"                  # ASCII, read before the switch
    assert rest.decode("utf-8") == EXPECTED_BAT.replace(
        "C:\\Program Files\\社区 台账助手\\100%%\\python.exe", f"C:\\Users\\{name}\\py\\python.exe")


def test_sh_quotes_python_and_is_executable(tmp_path):
    text = sh_text(Path("/opt/社区 助手/it's/python3")).decode("utf-8")
    assert text.startswith("#!/bin/sh\n") and "\r" not in text
    assert "'/opt/社区 助手/it'\"'\"'s/python3' -m toolkit weekly \"$HERE\" --open --quiet\n" in text
    assert sh_quote("a b") == "'a b'"
    written = write_launchers(tmp_path, python=Path(sys.executable))
    assert [p.name for p in written] == ["立即检查.bat", "立即检查.sh"]
    assert os.stat(written[1]).st_mode & stat.S_IXUSR


def _stub_xdg_open(bindir: Path, log: Path) -> None:
    bindir.mkdir()
    stub = bindir / "xdg-open"
    stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> \'{log}\'\n', "utf-8")
    stub.chmod(0o755)


def _run_launcher(folder: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    log = tmp_path / "xdg-open.log"
    _stub_xdg_open(tmp_path / "bin", log)
    env = dict(os.environ, PATH=f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(ROOT))                 # the worktree's toolkit, installed or not
    done = subprocess.run([str(folder / "立即检查.sh")], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    return done, log


@pytest.mark.skipif(sys.platform == "win32", reason="runs the .sh with /bin/sh")
def test_init_writes_launchers_and_the_sh_runs_the_week(tmp_path):
    folder = tmp_path / "居委 台账"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "立即检查.bat").read_bytes() == bat_text(Path(sys.executable))[0]
    assert "立即检查.sh" in result.output
    done, log = _run_launcher(folder, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr       # blank ledgers: nothing wrong
    report = folder / schema.REPORTS_DIR / week_label(date.today()) / schema.STAFF_REPORT
    assert log.read_text("utf-8").splitlines() == [str(report)]
    assert report.exists()
    assert "没有发现错误级问题" in done.stdout and str(folder) in done.stdout   # the summary line


@pytest.mark.skipif(sys.platform == "win32", reason="runs the .sh with /bin/sh")
def test_launchers_only_on_the_sample_exits_with_weekly_code(tmp_path):
    folder = make_workspace(tmp_path / "莘泽 台账")
    ledgers = {p: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    result = CliRunner().invoke(cli, ["init", "--launchers-only", str(folder)])
    assert result.exit_code == 0, result.output
    for path, data in ledgers.items():                # no ledger touched
        assert path.read_bytes() == data
    done, log = _run_launcher(folder, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr       # the sample's planted errors
    assert "台账中有需要更正的问题" in done.stdout and "错误" in done.stdout
    [opened] = log.read_text("utf-8").splitlines()
    assert opened.endswith(f"{week_label(date.today())}/{schema.STAFF_REPORT}") and Path(opened).exists()
    # refreshing the launchers later replaces them, still leaving the ledgers alone
    again = CliRunner().invoke(cli, ["init", "--launchers-only", str(folder)])
    assert again.exit_code == 0


def test_launchers_only_needs_an_existing_folder(tmp_path):
    result = CliRunner().invoke(cli, ["init", "--launchers-only", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "找不到文件夹" in result.output
    assert not (tmp_path / "nope").exists()


def test_init_refuses_when_a_launcher_exists(tmp_path):
    (tmp_path / "立即检查.bat").write_text("mine", "utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / "立即检查.bat").read_text("utf-8") == "mine"
    assert not (tmp_path / schema.SETTINGS_FILE).exists()


def test_weekly_open_reports_a_missing_opener_without_failing(tmp_path, monkeypatch):
    folder = make_workspace(tmp_path / "ws")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = CliRunner().invoke(cli, ["weekly", str(folder), "--as-of", "2026-11-23", "--open"])
    assert result.exit_code == 1, result.output
    assert "无法自动打开" in result.output and "Traceback" not in result.output


def test_init_on_a_ledger_folder_names_launchers_only_as_the_next_step(tmp_path):
    folder = make_workspace(tmp_path / "莘泽 台账")
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 2
    assert f"只想加上双击用的 立即检查 时，运行 shequ init --launchers-only {folder}。" in result.output
    assert not (folder / "立即检查.bat").exists()
    en = CliRunner().invoke(cli, ["init", str(folder), "--lang", "en"])
    assert f"run shequ init --launchers-only {folder}." in en.output
