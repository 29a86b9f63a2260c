"""Smoke run of the benchmark suite: it completes and writes a complete JSON document.

Benchmarks are not timed tests: nothing here asserts on a timing or a PASS/MISS verdict.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_NAMES = {"help_startup", "community_weekly_time", "community_weekly_rss",
                "town_check_time", "town_check_rss", "read_vs_calamine", "read_vs_pandas",
                "scaling_exponent", "estate_vs_calamine", "estate_vs_pandas", "estate_exponent"}
MEASUREMENTS = {"help", "check", "weekly", "read_pandas", "read_calamine", "read_shequ",
                "series_1x", "series_2x", "series_4x", "series_8x", "town_check",
                "town_uneven", "town_check_jobs1", "estate_1x", "estate_4x", "estate_10x",
                "estate_command", "estate_calamine", "estate_pandas"}


def test_tiny_benchmark_run_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--scale", "tiny", "--repeat", "1",
         "--json", str(out), "--cache", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads(out.read_text(encoding="utf-8"))

    assert {t["name"] for t in doc["targets"]} == TARGET_NAMES
    for target in doc["targets"]:
        assert target["status"] in {"PASS", "MISS"}, target       # measured, not failed/skipped
        assert isinstance(target["value"], float)
    assert set(doc["entries"]) == MEASUREMENTS
    for name, entry in doc["entries"].items():
        assert "error" not in entry, (name, entry.get("error"))
        assert entry["min_s"] <= entry["median_s"] <= entry["max_s"]
        assert entry["rss_mb"] > 0
    assert doc["entries"]["read_shequ"]["rows"] > 0
    assert doc["entries"]["estate_10x"]["rows"] == 10 * doc["entries"]["estate_1x"]["rows"]
    assert doc["entries"]["town_check"]["tree_rss_mb"] >= doc["entries"]["town_check"]["rss_mb"]
    # issue #20's ratio is the command's (`shequ check`), measured in turn with calamine
    estate = next(t for t in doc["targets"] if t["name"] == "estate_vs_calamine")
    assert estate["value"] == doc["entries"]["estate_command"]["cpu_s"] / \
        doc["entries"]["estate_calamine"]["cpu_s"]
    assert doc["machine"]["nproc"] >= 1
    for name in TARGET_NAMES:                                      # the table names every target
        assert name in proc.stdout
