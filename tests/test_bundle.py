"""The offline installer (tools/make_bundle.py): built with the package index, installed with none.

Slow (about a minute and a half together: two pip downloads, a venv and an offline install),
and run in CI. Building needs the package index; each test is skipped, with the reason, when
it cannot be reached.
"""
from __future__ import annotations

import configparser
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinze"
pytestmark = pytest.mark.slow
sys.path.insert(0, str(ROOT / "tools"))
import make_bundle  # noqa: E402


def requirements() -> list[str]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = cfg["options"]["install_requires"].split()
    return [re.split(r"[<>=!~ ]", line)[0].lower().replace("-", "_") for line in lines if line]


@pytest.fixture(scope="module")
def index_reachable(tmp_path_factory):
    probe = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                            "--only-binary=:all:", "-d", str(tmp_path_factory.mktemp("probe")),
                            "schedule"], capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        pytest.skip("the package index cannot be reached, so no bundle can be built: "
                    + (probe.stderr.strip().splitlines() or ["?"])[-1])


def linux_tag() -> str:
    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux bundle is installed and run on Linux only")
    return f"manylinux2014_{platform.machine()}"


def offline_env(tmp_path: Path) -> dict:
    """No index, no pip config, and a dead proxy: any network use by pip would fail."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PIP_", "PYTHON"))}
    dead = "http://127.0.0.1:9"
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_INDEX_URL=f"{dead}/simple",
               http_proxy=dead, https_proxy=dead, HTTP_PROXY=dead, HTTPS_PROXY=dead,
               PYTHON=sys.executable, HOME=str(tmp_path))
    return env


def test_linux_bundle_installs_offline_and_runs_the_sample(index_reachable, tmp_path):
    tag = linux_tag()
    version = "%d.%d" % sys.version_info[:2]
    bundle = make_bundle.build(tag, version, tmp_path / "离线 安装包")
    meta = json.loads((bundle / "bundle.json").read_text("utf-8"))
    assert meta["platform"] == tag and meta["python_version"] == version
    names = {w.split("-")[0].lower() for w in meta["wheels"]}
    assert set(requirements()) <= names and "shequ_toolkit" in names

    done = subprocess.run(["sh", str(bundle / "install.sh")], env=offline_env(tmp_path),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "安装完成" in done.stdout
    shequ = bundle / ".venv" / "bin" / "shequ"
    workspace = tmp_path / "xinze"
    shutil.copytree(SAMPLE, workspace, ignore=shutil.ignore_patterns("报表", ".shequ"))
    run = subprocess.run([str(shequ), "weekly", str(workspace), "--as-of", "2026-11-23"],
                         env=offline_env(tmp_path), cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr          # the sample's planted errors
    assert run.stdout.startswith("2026-W48：错误 ")
    assert (workspace / "报表" / "2026-W48" / "周检查报告.xlsx").exists()
    # it is the bundle's copy that ran, not the worktree's
    where = subprocess.run([str(bundle / ".venv" / "bin" / "python"), "-c",
                            "import toolkit; print(toolkit.__file__)"], cwd=tmp_path,
                           env=offline_env(tmp_path), capture_output=True, text=True)
    assert str(bundle / ".venv") in where.stdout


def test_install_sh_refuses_another_python_version(tmp_path):
    make_bundle.write_installers(tmp_path, "2.7")
    done = subprocess.run(["sh", str(tmp_path / "install.sh")], env=offline_env(tmp_path),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Python 2.7" in done.stdout
    assert not (tmp_path / ".venv").exists()
    bat = (tmp_path / "安装.bat").read_bytes()
    assert b"\n" not in bat.replace(b"\r\n", b"")
    assert "--no-index --find-links" in bat.decode("gbk") and "init" in bat.decode("gbk")


def test_windows_bundle_resolves_every_dependency(index_reachable, tmp_path):
    bundle = make_bundle.build("win_amd64", "3.11", tmp_path / "win")
    wheels = json.loads((bundle / "bundle.json").read_text("utf-8"))["wheels"]
    names = {w.split("-")[0].lower() for w in wheels}
    assert set(requirements()) <= names
    for wheel in wheels:
        tags = wheel[:-len(".whl")].split("-")[-3:]
        assert tags[2] in ("any", "win_amd64"), wheel
        assert tags[0].startswith(("py3", "py2.py3", "cp311", "cp3")), wheel
    assert any("cryptography" in w and w.endswith("win_amd64.whl") for w in wheels)


STUB_PYTHON = """#!/bin/sh
# stands in for python3: says its version, makes a venv whose shequ records its arguments
case "$1" in
  -c) echo 3.11 ;;
  -m) if [ "$2" = venv ]; then
        mkdir -p "$3/bin" && cp "$0" "$3/bin/python"
        printf '#!/bin/sh\\nprintf "%%s\\\\n" "$@" >> "%s"\\n' "$SHEQU_ARGS" > "$3/bin/shequ"
        chmod +x "$3/bin/shequ"
      fi ;;
esac
exit 0
"""


@pytest.mark.skipif(sys.platform == "win32", reason="runs install.sh with /bin/sh on a pty")
@pytest.mark.parametrize("answer", ["~/居委 台账", "'~/居委 台账'", '"~/居委 台账"'])
def test_install_sh_makes_the_ledger_folder_where_the_answer_says(tmp_path, answer):
    """The README writes ~/居委台账: typed at the prompt (or pasted in quotes) it must mean the
    home folder, not a folder named "~" under the current one."""
    import pty
    make_bundle.write_installers(tmp_path, "3.11")
    stub = tmp_path / "python3"
    stub.write_text(STUB_PYTHON, "utf-8")
    stub.chmod(0o755)
    home, args = tmp_path / "home", tmp_path / "shequ-args.txt"
    home.mkdir()
    master, slave = pty.openpty()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "PYTHON": str(stub), "SHEQU_ARGS": str(args)}
    process = subprocess.Popen(["sh", str(tmp_path / "install.sh")], stdin=slave, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=tmp_path, env=env)
    os.close(slave)
    os.write(master, (answer + "\n").encode("utf-8"))
    try:
        assert process.wait(timeout=60) == 0
    finally:
        os.close(master)
    assert args.read_text("utf-8").splitlines() == ["init", str(home / "居委 台账")]
    # 安装.bat: a path pasted with Explorer's 复制为路径 comes in quotes; they are dropped
    assert 'set "DIR=%DIR:"=%"' in (tmp_path / "安装.bat").read_bytes().decode("gbk")
