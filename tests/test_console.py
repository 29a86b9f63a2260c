"""Consoles that are not UTF-8: the CLI in a subprocess on a GBK console, an ASCII one and
LANG=C. Every message prints; what the console cannot show becomes "?", never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import make_workspace
from toolkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CONSOLES = {
    "gbk": {"PYTHONIOENCODING": "gbk"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "LANG=C": {"LANG": "C", "LC_ALL": "C"},
}


def shequ(args: list[str], console: str, encoding: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    env.pop("LANG", None)
    env.update(CONSOLES[console], PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=120)
    done.out = done.stdout.decode(encoding, errors="strict")
    done.err = done.stderr.decode(encoding, errors="strict")
    assert "Traceback" not in done.err and "内部错误" not in done.err, done.err
    return done


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The sample in a folder whose name GBK cannot encode (an emoji and 䶮)."""
    return make_workspace(tmp_path_factory.mktemp("console") / "居委台账🏠䶮")


# click writes UTF-8 (errors replaced) to a stream that claims to be ASCII: decode as such
@pytest.mark.parametrize("console,encoding", [("gbk", "gbk"), ("ascii", "utf-8"),
                                               ("LANG=C", "utf-8")])
def test_weekly_summary_prints_on_any_console(workspace, console, encoding):
    done = shequ(["weekly", str(workspace), "--as-of", "2026-11-23"], console, encoding)
    assert done.returncode == 1, done.err               # the sample's planted errors, not a crash
    assert "2026-W48" in done.out
    if encoding == "gbk":
        assert "错误" in done.out and "居委台账??" in done.out   # 🏠 and 䶮 replaced
    else:
        assert "居委台账🏠䶮" in done.out


@pytest.mark.parametrize("console,encoding", [("gbk", "gbk"), ("ascii", "utf-8")])
def test_check_report_and_messages_print(workspace, console, encoding):
    done = shequ(["check", str(workspace), "--as-of", "2026-11-23"], console, encoding)
    assert done.returncode == 1 and len(done.out.splitlines()) > 20
    missing = shequ(["check", str(workspace / "没有这个🏠"), "--as-of", "2026-11-23"], console,
                    encoding)
    assert missing.returncode == 2 and missing.err.strip()
    status = shequ(["schedule", str(workspace), "--status"], console, encoding)
    # registered or not, or no crontab on this machine (exit 2): a message either way
    assert status.returncode in (0, 2) and (status.out + status.err).strip()


def test_every_help_prints_on_gbk_and_ascii():
    for console, encoding in (("gbk", "gbk"), ("ascii", "utf-8")):
        done = shequ(["--help"], console, encoding)
        assert done.returncode == 0 and "weekly" in done.out
        for name in cli.commands:
            done = shequ([name, "--help"], console, encoding)
            assert done.returncode == 0 and "例：" in done.out, (console, name)
