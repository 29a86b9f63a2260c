"""Build the offline installer: a folder to copy onto an office PC that has no internet.

    python tools/make_bundle.py --platform win_amd64 --python-version 3.11 -o 离线安装包
    python tools/make_bundle.py --platform manylinux2014_x86_64 -o bundle-linux

The folder holds ``wheels/`` (shequ's own wheel and a wheel of every dependency, for that
platform and Python version, fetched with ``pip download --only-binary=:all:``), the
installers ``安装.bat`` (Windows) and ``install.sh`` (Linux), which make a venv beside them and
install with ``pip install --no-index --find-links wheels``, then offer ``shequ init``,
and ``bundle.json`` saying what it was built for. Building needs the package index; installing
needs nothing but the folder and a Python of the same minor version.

This is a build script, not part of the installed package.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "shequ-toolkit"
PLATFORMS = {"win_amd64": "windows", "win32": "windows"}      # anything else: a Linux tag

INSTALL_SH = """#!/bin/sh
# shequ 社区台账助手：离线安装（不需要联网）。
# 用法：sh install.sh            （用 python3；可用 PYTHON=/路径/python3.11 sh install.sh 指定）
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${{PYTHON:-python3}}
WANT={version}
HAVE=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])') || {{
  echo "找不到 Python（$PY）。请先安装 Python $WANT。"; exit 2; }}
if [ "$HAVE" != "$WANT" ]; then
  echo "这个安装包是给 Python $WANT 做的，而 $PY 是 Python $HAVE。请安装 Python $WANT，"
  echo "或用 PYTHON=/路径/python$WANT sh install.sh 指定。"; exit 2
fi
echo "== 正在创建 $HERE/.venv"
"$PY" -m venv "$HERE/.venv"
echo "== 正在安装（离线，不联网）"
"$HERE/.venv/bin/python" -m pip install --no-index --find-links "$HERE/wheels" {project}
echo "安装完成：$HERE/.venv/bin/shequ"
if [ -t 0 ]; then
  printf '%s' "要现在新建台账文件夹吗？输入文件夹路径（如 $HOME/居委台账），直接回车跳过："
  read -r DIR || DIR=""
  # what a shell would do with the answer: drop the quotes of a pasted path, expand ~
  DIR=$(printf '%s' "$DIR" | sed -e "s/^[\\"']//" -e "s/[\\"']\\$//")
  case $DIR in
    "~") DIR=$HOME ;;
    "~/"*) DIR="$HOME/${{DIR#"~/"}}" ;;
  esac
  if [ -n "$DIR" ]; then
    "$HERE/.venv/bin/shequ" init "$DIR"
    echo "之后运行 $HERE/.venv/bin/shequ schedule \\"$DIR\\" --install 登记每周自动检查。"
  fi
fi
"""

INSTALL_BAT = """@echo off
rem shequ 社区台账助手：离线安装（不需要联网）。双击运行即可。
setlocal
cd /d "%~dp0"
set "PY="
py -{version} -c "import sys" >nul 2>nul && set "PY=py -{version}"
if not defined PY python -c "import sys; sys.exit(sys.version_info[:2] != ({major}, {minor}))" >nul 2>nul && set "PY=python"
if not defined PY goto nopython
echo == 正在创建 %~dp0.venv
%PY% -m venv "%~dp0.venv" || goto failed
echo == 正在安装（离线，不联网）
"%~dp0.venv\\Scripts\\python.exe" -m pip install --no-index --find-links "%~dp0wheels" {project} || goto failed
echo 安装完成：%~dp0.venv\\Scripts\\shequ.exe
set "DIR="
set /p "DIR=要现在新建台账文件夹吗？输入文件夹路径（如 D:\\居委台账），直接回车跳过："
if not defined DIR goto done
rem 去掉“复制为路径”带来的引号
set "DIR=%DIR:"=%"
if not defined DIR goto done
"%~dp0.venv\\Scripts\\shequ.exe" init "%DIR%" || goto failed
echo 之后运行 "%~dp0.venv\\Scripts\\shequ.exe" schedule "%DIR%" --install 登记每周自动检查。
goto done
:nopython
echo 找不到 Python {version}。请先安装 Python {version}（64 位），安装时勾选“Add python.exe to PATH”。
goto failed
:failed
echo 安装没有完成，请把上面的消息拍照发给维护人员。
pause
exit /b 2
:done
pause
exit /b 0
"""


def run(argv: list[str]) -> None:
    print("$", " ".join(argv), flush=True)
    subprocess.run(argv, check=True)


def build(platform: str, python_version: str, out: Path, *, pip: list[str] | None = None) -> Path:
    pip = pip or [sys.executable, "-m", "pip"]
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # build from a clean copy so a stale build/ or egg-info in the tree cannot leak in
        source = Path(tmp) / "src"
        skip = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                      "__pycache__", "报表", ".shequ")
        target = out.resolve()

        def ignore(folder: str, names: list[str]) -> set[str]:   # nor the bundle being made
            return set(skip(folder, names)) | {n for n in names if Path(folder, n).resolve() == target}
        shutil.copytree(ROOT, source, ignore=ignore)
        run([*pip, "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(source)])
    [project] = sorted(wheels.glob("shequ_toolkit-*.whl"))
    run([*pip, "download", "--quiet", "--only-binary=:all:", "--platform", platform,
         "--python-version", python_version, "--implementation", "cp",
         "-d", str(wheels), str(project)])
    write_installers(out, python_version)
    (out / "bundle.json").write_text(json.dumps({
        "project": PROJECT, "wheel": project.name, "platform": platform,
        "python_version": python_version,
        "wheels": sorted(p.name for p in wheels.glob("*.whl"))}, ensure_ascii=False, indent=2)
        + "\n", "utf-8")
    return out


def write_installers(out: Path, python_version: str) -> None:
    major, minor = python_version.split(".")
    sh = out / "install.sh"
    sh.write_text(INSTALL_SH.format(version=python_version, project=PROJECT), "utf-8", newline="\n")
    sh.chmod(0o755)
    bat = INSTALL_BAT.format(version=python_version, major=major, minor=minor, project=PROJECT)
    # GBK + CRLF, no chcp: what cmd.exe reads on a Chinese Windows (see docs/launchers.md)
    (out / "安装.bat").write_bytes(bat.replace("\n", "\r\n").encode("gbk"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--platform", required=True,
                        help="wheel platform tag: win_amd64, manylinux2014_x86_64, …")
    parser.add_argument("--python-version", default="%d.%d" % sys.version_info[:2],
                        help="the target Python's minor version, e.g. 3.11 (default: this one)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="bundle folder to write")
    args = parser.parse_args(argv)
    if args.output.exists() and any(args.output.iterdir()):
        parser.error(f"{args.output} is not empty")
    build(args.platform, args.python_version, args.output)
    print(f"bundle written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
