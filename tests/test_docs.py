"""The README tells the truth: quick-start commands, every command documented."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    install_and_run, tests = quick_start_commands()
    assert "pip install ." in install_and_run and "shequ weekly samples/" in install_and_run
    assert "pytest" in tests and "'.[test]'" in tests
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert tests in ci


def test_every_command_has_help_and_is_in_readme():
    runner = CliRunner()
    for name, command in cli.commands.items():
        if command.hidden:
            continue
        assert f"`shequ {name}" in README, name
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "例：" in result.output, f"{name} help has no example"


def test_linked_docs_exist():
    for link in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / link).exists(), link


def test_readme_gives_exit_codes_per_command_and_scheduler_paths():
    section = README.split("## 退出码", 1)[1].split("\n## ", 1)[0]
    for name, command in cli.commands.items():
        if not command.hidden:
            assert f"`{name}" in section, name
    assert ".venv/bin/shequ" in README and ".venv\\Scripts\\shequ.exe" in README
    assert "source .venv/bin/activate" in README
    assert ".shequ/logs/shequ.log" in README
