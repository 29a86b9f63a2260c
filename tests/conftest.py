"""Fixtures shared by the test modules (helpers that build records live in tests/helpers.py).

- ``sample``: the demo workspace samples/xinze (read-only: never write into it)
- ``workspace``: a fresh copy of it in ``tmp_path`` (without reports and state)
- ``town``: a town folder of two copies, each 居委 with its own 设置.xlsx
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import SAMPLE, make_workspace
from toolkit import schema


@pytest.fixture
def sample() -> Path:
    if not SAMPLE.is_dir():
        pytest.skip("samples/xinze not present")
    return SAMPLE


@pytest.fixture
def workspace(tmp_path) -> Path:
    return make_workspace(tmp_path / "xinze")


@pytest.fixture
def town(tmp_path, sample) -> Path:
    for name in ("莘泽", "佘北"):
        shutil.copytree(sample, tmp_path / "镇" / name,
                        ignore=shutil.ignore_patterns(schema.REPORTS_DIR, schema.STATE_DIR))
    return tmp_path / "镇"
