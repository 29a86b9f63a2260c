"""The double-click launchers ``立即检查.bat`` (Windows) and ``立即检查.sh`` (Linux desktops).

Each one runs ``weekly`` on the folder it sits in, with the absolute path of the Python that
made it (no PATH, no venv activation), asks ``weekly --open`` to open the week's
周检查报告.xlsx with the desktop's default program, and waits for a key when the run found
errors or failed, so the message stays readable.

The launcher never computes the week folder itself: ``weekly --open`` knows where it wrote
the report, so no week logic (and no path round-trip through a console code page) is
re-implemented in batch or shell.

Encoding of the ``.bat`` (see docs/launchers.md): ``cmd.exe`` reads a batch file in the
console's OEM code page, which is 936 (GBK) on a Chinese Windows. The file is written in GBK
with CRLF and no ``chcp``, so it works exactly as a file saved by Notepad as "ANSI" there. Only
when the Python path holds a character GBK cannot encode (a rare name character, an emoji) is
it written in UTF-8 instead, with ``chcp 65001`` as its first, ASCII-only line; cmd.exe then
reads the following lines as UTF-8 (Windows 8.1 and later, which every Python >= 3.10 needs).
The folder itself is never written into the file: ``%~dp0`` (the batch file's own folder)
keeps it right when the folder is renamed or moved, whatever characters its name has.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from toolkit.errors import UsageError
from toolkit.text import Text

BAT_NAME = "立即检查.bat"
SH_NAME = "立即检查.sh"
LAUNCHER_NAMES = (BAT_NAME, SH_NAME)

_BAT = """@echo off
rem 立即检查：检查本文件夹的台账，写出本周报表并打开 周检查报告.xlsx。
rem 由 shequ init 生成；换了 Python 位置后请运行 shequ init --launchers-only 本文件夹 重新生成。
setlocal
{python} -m toolkit weekly "%~dp0." --open --quiet
set "CODE=%ERRORLEVEL%"
if "%CODE%"=="0" goto ok
if "%CODE%"=="1" goto found
echo 检查没有完成，请阅读上面的说明；解决不了请拍照发给负责安装的同事。
pause
exit /b %CODE%
:found
echo 台账中有需要更正的问题，周检查报告已打开，请按报告逐条更正。
pause
exit /b %CODE%
:ok
echo 没有发现错误级问题，周检查报告已打开。本窗口 10 秒后自动关闭。
timeout /t 10 >nul
exit /b 0
"""

_SH = """#!/bin/sh
# 立即检查：检查本文件夹的台账，写出本周报表并打开 周检查报告.xlsx。
# 由 shequ init 生成；换了 Python 位置后请运行 shequ init --launchers-only 本文件夹 重新生成。
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
{python} -m toolkit weekly "$HERE" --open --quiet
code=$?
case $code in
  0) echo "没有发现错误级问题，周检查报告已打开。" ;;
  1) echo "台账中有需要更正的问题，周检查报告已打开，请按报告逐条更正。" ;;
  *) echo "检查没有完成，请阅读上面的说明；解决不了请拍照发给负责安装的同事。" ;;
esac
if [ "$code" -ne 0 ] && [ -t 0 ]; then
  printf '%s' "按回车键关闭本窗口……"
  read -r _
fi
exit $code
"""


def bat_text(python: Path) -> tuple[bytes, str]:
    """The ``.bat`` bytes (CRLF) and the encoding used: ``gbk``, or ``utf-8`` (+ chcp 65001)."""
    quoted = '"' + str(python).replace("%", "%%") + '"'
    text = _BAT.format(python=quoted).replace("\n", "\r\n")
    try:
        return text.encode("gbk"), "gbk"
    except UnicodeEncodeError:
        return ("@chcp 65001 >nul\r\n" + text).encode("utf-8"), "utf-8"


def sh_quote(text: str) -> str:
    """Single-quoted for /bin/sh, whatever the text holds (spaces, 中文, quotes)."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


def sh_text(python: Path) -> bytes:
    return _SH.format(python=sh_quote(str(python))).encode("utf-8")


def write_launchers(directory: Path, *, python: Path) -> list[Path]:
    """Write (or replace) both launchers in ``directory``; ``python`` is the interpreter they
    run (the CLI passes ``sys.executable``). Never touches any other file."""
    from toolkit.files import output_error, write_bytes
    directory = Path(directory)
    if not directory.is_dir():
        raise UsageError(f"找不到文件夹 {directory}：立即检查 文件要放在已有的台账文件夹里。",
                         f"no such folder: {directory}; the launchers go into an existing "
                         "ledger folder.")
    bat = write_bytes(directory / BAT_NAME, bat_text(python)[0])
    sh = write_bytes(directory / SH_NAME, sh_text(python))
    try:
        sh.chmod(sh.stat().st_mode | 0o111)
    except OSError as exc:
        raise output_error(sh, exc) from exc
    return [bat, sh]


def open_with_default_program(path: Path) -> Text | None:
    """Open ``path`` as a double-click would (``start ""`` on Windows, ``xdg-open`` on Linux,
    ``open`` on macOS). Returns a message when that is not possible; never raises."""
    path = Path(path)
    if not path.exists():
        return Text(f"找不到 {path}，无法打开。", f"{path} not found; nothing to open.")
    try:
        if sys.platform == "win32":
            os.startfile(str(path))          # the same ShellExecute "open" as start ""
            return None
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        process = subprocess.Popen([opener, str(path)], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            if process.wait(timeout=10) != 0:
                return Text(f"无法自动打开 {path}，请在文件夹中双击打开。",
                            f"could not open {path}; open it from the file manager.")
        except subprocess.TimeoutExpired:
            pass                              # still starting the program: leave it running
    except OSError:
        return Text(f"无法自动打开 {path}（没有找到默认程序），请在文件夹中双击打开。",
                    f"could not open {path} (no default program); open it from the file manager.")
    return None
