#!/usr/bin/env python3
"""shequ benchmark suite — one entry point.

    python benchmarks/run.py --scale community|town|tiny [--repeat N] [--json out.json]

Data comes from the synthetic generator (``python -m toolkit.samples``), cached under
``benchmarks/.cache/`` by seed, sizes and a hash of the generator's source. Every figure is one
fresh process: the wall time and the peak RSS / CPU of that process (``os.wait4``). Python
tasks (``benchmarks/tasks.py``) also report the in-process work time, imports excluded.

Scales: ``tiny`` is a smoke run (seconds; verdicts are not meaningful at that size),
``community`` times one 居民区 (300 elderly, 600 requests, 80 volunteers, 15,000 visits) and
the scaling series, ``town`` adds ``shequ check`` on 30 such communities.

Benchmarks are not tests: nothing here fails on a slow figure; targets print PASS/MISS.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
AS_OF = "2026-11-23"
SEED = 7


@dataclass(frozen=True)
class Size:
    """Rows per ledger of one generated community."""
    elderly: int
    requests: int
    volunteers: int
    visits: int

    def times(self, k: int) -> "Size":
        """The scaling series grows visits, requests and elderly; volunteers stay."""
        return Size(self.elderly * k, self.requests * k, self.volunteers, self.visits * k)

    @property
    def rows(self) -> int:
        """All ledgers' rows, the generator's services (visits // 15) and bookings (visits // 30)
        included (issue #17)."""
        return self.elderly + self.requests + self.volunteers + self.visits \
            + max(20, self.visits // 15) + max(20, self.visits // 30)


COMMUNITY = Size(elderly=300, requests=600, volunteers=80, visits=15_000)
TINY = Size(elderly=30, requests=60, volunteers=10, visits=500)
SCALES = {
    "tiny": {"size": TINY, "town": 3, "series": (1, 2, 4, 8), "repeat": 1},
    "community": {"size": COMMUNITY, "town": 0, "series": (1, 2, 4, 8), "repeat": 5},
    "town": {"size": COMMUNITY, "town": 30, "series": (1, 2, 4, 8), "repeat": 3},
}

# (name, what, limit, unit, "le"|"ge")
TARGETS = [
    ("help_startup", "shequ --help wall time", 0.3, "s", "le"),
    ("community_weekly_time", "shequ weekly, one community, wall time", 2.0, "s", "le"),
    ("community_weekly_rss", "shequ weekly, one community, peak RSS", 300.0, "MB", "le"),
    ("town_check_time", "shequ check, town of 30 communities, wall time", 30.0, "s", "le"),
    ("town_check_rss", "shequ check, town of 30 communities, peak RSS", 2048.0, "MB", "le"),
    ("read_vs_calamine", "read+normalise time / raw python-calamine time", 2.0, "x", "le"),
    ("read_vs_pandas", "pandas+openpyxl time / read+normalise time", 5.0, "x", "ge"),
    ("scaling_exponent", "shequ check growth exponent (log-log fit, 1x..8x)", 1.1, "", "le"),
]


# ---------------------------------------------------------------------------------------
# data

def generator_hash() -> str:
    """Short hash of the generator's source: a changed generator means new cached data."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "toolkit" / "samples").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def dataset(cache: Path, communities: int, size: Size, seed: int = SEED) -> Path:
    """The generated town folder (one sub-folder per community), generated once and cached."""
    key = (f"s{seed}-n{communities}-e{size.elderly}-r{size.requests}-v{size.volunteers}"
           f"-vi{size.visits}-g{generator_hash()}")
    folder, done = cache / key, cache / f"{key}.complete"
    if done.exists() and folder.is_dir():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "toolkit.samples", "--communities", str(communities),
           "--seed", str(seed), "-o", str(folder), "--elderly", str(size.elderly),
           "--requests", str(size.requests), "--volunteers", str(size.volunteers),
           "--visits", str(size.visits), "--as-of", AS_OF]
    log(f"generating {key} …")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"generator failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    done.write_text(" ".join(cmd), encoding="utf-8")
    return folder


def communities_of(town: Path) -> list[Path]:
    return sorted(p for p in town.iterdir() if p.is_dir() and not p.name.startswith("."))


def ledger_files(community: Path) -> list[Path]:
    """The staff ledgers of one community (what ``shequ check`` reads; not 设置.xlsx)."""
    from toolkit import schema
    return sorted(p for p in community.iterdir()
                  if p.suffix == ".xlsx" and p.name != schema.SETTINGS_FILE)


# ---------------------------------------------------------------------------------------
# measuring

def shequ_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "shequ"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "toolkit"]


def task_cmd(task: str, result: Path, *args: Path | str) -> list[str]:
    return [sys.executable, str(HERE / "tasks.py"), task, str(result), *map(str, args)]


def run_once(cmd: list[str], ok_codes: tuple[int, ...], result: Path | None) -> dict:
    """One fresh process: wall time, peak RSS and CPU of exactly that process."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with open(os.devnull, "wb") as devnull, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=devnull, stderr=err, cwd=ROOT, env=env)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
            cpu = usage.ru_utime + usage.ru_stime
        else:                                              # pragma: no cover - not Linux
            proc.wait()
            wall, rss, cpu = time.perf_counter() - started, None, None
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    run = {"wall_s": wall, "rss_mb": rss, "cpu_s": cpu, "rc": proc.returncode}
    if proc.returncode not in ok_codes:
        run["error"] = stderr[-1500:] or f"exit code {proc.returncode}"
    elif result is not None:
        data = json.loads(result.read_text(encoding="utf-8"))
        run["work_s"], run["rows"] = data["work_s"], data["rows"]
    return run


def measure(name: str, label: str, cmd: list[str], repeat: int, *, ok=(0,), prepare=None,
            result: Path | None = None) -> dict:
    """``repeat`` fresh runs of ``cmd``; medians, min, max, worst peak RSS."""
    runs = []
    for _ in range(repeat):
        if prepare is not None:
            prepare()
        runs.append(run_once(cmd, ok, result))
        if "error" in runs[-1]:
            break
    good = [r for r in runs if "error" not in r]
    entry = {"name": name, "label": label, "command": " ".join(cmd), "runs": runs}
    if len(good) < len(runs):
        entry["error"] = runs[-1]["error"]
        log(f"  {label}: FAILED — {entry['error'].strip().splitlines()[-1] if entry['error'].strip() else ''}")
        return entry
    walls = [r["wall_s"] for r in good]
    entry.update(median_s=statistics.median(walls), min_s=min(walls), max_s=max(walls),
                 rss_mb=max((r["rss_mb"] or 0) for r in good),
                 cpu_s=statistics.median(r["cpu_s"] or 0 for r in good))
    if "work_s" in good[0]:
        entry["work_s"] = statistics.median(r["work_s"] for r in good)
        entry["rows"] = good[0]["rows"]
    log(f"  {label}: {entry['median_s']:.3f} s median, {entry['rss_mb']:.0f} MB")
    return entry


def fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) against log(size)."""
    points = [(x, y) for x, y in points if x > 0 and y > 0]
    if len(points) < 2:
        return None
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else None


# ---------------------------------------------------------------------------------------
# the suite

def run_suite(scale: str, repeat: int, cache: Path) -> dict:
    conf = SCALES[scale]
    size: Size = conf["size"]
    work = Path(tempfile.mkdtemp(prefix="shequ-bench-"))
    result_file = work / "task.json"
    shequ = shequ_cmd()
    entries: dict[str, dict] = {}
    try:
        community = communities_of(dataset(cache, 1, size))[0]
        files = ledger_files(community)

        log("start-up")
        entries["help"] = measure("help", "shequ --help", shequ + ["--help"], repeat)

        log("one community")
        entries["check"] = measure("check", "shequ check (community)",
                                   shequ + ["check", str(community), "--as-of", AS_OF, "-q"],
                                   repeat, ok=(0, 1))
        copy = work / "weekly" / community.name

        def fresh_copy():
            shutil.rmtree(copy.parent, ignore_errors=True)
            shutil.copytree(community, copy)

        entries["weekly"] = measure("weekly", "shequ weekly (community)",
                                    shequ + ["weekly", str(copy), "--as-of", AS_OF, "-q"],
                                    repeat, ok=(0, 1), prepare=fresh_copy)

        log("reading the same files")
        for task, name, label in (("pandas", "read_pandas", "pandas.read_excel openpyxl"),
                                  ("calamine", "read_calamine", "raw python-calamine"),
                                  ("read", "read_shequ", "shequ read+normalise")):
            entries[name] = measure(name, label, task_cmd(task, result_file, *files), repeat,
                                    result=result_file)

        log("scaling series")
        series = []
        for k in conf["series"]:
            folder = communities_of(dataset(cache, 1, size.times(k)))[0]
            entry = measure(f"series_{k}x", f"check {k}x (in-process)",
                            task_cmd("check", result_file, folder), repeat, result=result_file)
            entry["factor"] = k
            entries[entry["name"]] = entry
            series.append(entry)

        if conf["town"]:
            log(f"town of {conf['town']} communities")
            town = dataset(cache, conf["town"], size)
            entries["town_check"] = measure(
                "town_check", f"shequ check (town x{conf['town']})",
                shequ + ["check", str(town), "--as-of", AS_OF, "-q"], repeat, ok=(0, 1))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    good_series = [e for e in series if "error" not in e]
    exponents = {
        "work": fit_exponent([(e["rows"], e["work_s"]) for e in good_series]),
        "wall": fit_exponent([(e["rows"], e["median_s"]) for e in good_series]),
    }
    return {"entries": entries, "exponents": exponents, "community_rows": size.rows,
            "town_communities": conf["town"]}


def ratios(entry: dict, entries: dict) -> tuple[float | None, float | None]:
    """Entry time ÷ calamine and ÷ pandas on the same files: in-process work time where both
    sides have it, otherwise whole-process wall time. Only for entries on one community."""
    if entry["name"] not in ("check", "weekly", "read_pandas", "read_calamine", "read_shequ",
                             "series_1x") or "error" in entry:
        return None, None
    out = []
    for base in ("read_calamine", "read_pandas"):
        b = entries.get(base)
        if not b or "error" in b:
            out.append(None)
            continue
        key = "work_s" if "work_s" in entry and "work_s" in b else "median_s"
        out.append(entry[key] / b[key] if b[key] else None)
    return out[0], out[1]


def evaluate(suite: dict) -> list[dict]:
    e = suite["entries"]

    def get(name, field):
        entry = e.get(name)
        return None if not entry or "error" in entry else entry.get(field)

    read, cal, pd_ = get("read_shequ", "work_s"), get("read_calamine", "work_s"), get("read_pandas", "work_s")
    values = {
        "help_startup": get("help", "median_s"),
        "community_weekly_time": get("weekly", "median_s"),
        "community_weekly_rss": get("weekly", "rss_mb"),
        "town_check_time": get("town_check", "median_s"),
        "town_check_rss": get("town_check", "rss_mb"),
        "read_vs_calamine": read / cal if read and cal else None,
        "read_vs_pandas": pd_ / read if read and pd_ else None,
        "scaling_exponent": suite["exponents"]["work"],
    }
    out = []
    for name, what, limit, unit, op in TARGETS:
        value = values[name]
        if value is None:
            missing = name.startswith("town") and not suite["town_communities"]
            status = "SKIP" if missing else "FAIL"
        else:
            ok = value <= limit if op == "le" else value >= limit
            status = "PASS" if ok else "MISS"
        out.append({"name": name, "what": what, "limit": limit, "unit": unit,
                    "op": "<=" if op == "le" else ">=", "value": value, "status": status})
    return out


# ---------------------------------------------------------------------------------------
# output

def fmt(value: float | None, spec: str = ".3f") -> str:
    return "—" if value is None else format(value, spec)


def table(suite: dict) -> str:
    entries = suite["entries"]
    head = (f"{'measurement':34} {'median s':>9} {'min s':>8} {'max s':>8} {'work s':>8} "
            f"{'CPU s':>7} {'RSS MB':>7} {'×calamine':>10} {'×pandas':>8}")
    lines = [head, "-" * len(head)]
    for entry in entries.values():
        if "error" in entry:
            lines.append(f"{entry['label']:34} FAILED: {entry['error'].strip().splitlines()[-1][:60] if entry['error'].strip() else ''}")
            continue
        to_cal, to_pd = ratios(entry, entries)
        lines.append(
            f"{entry['label']:34} {fmt(entry['median_s']):>9} {fmt(entry['min_s']):>8} "
            f"{fmt(entry['max_s']):>8} {fmt(entry.get('work_s')):>8} {fmt(entry['cpu_s'], '.2f'):>7} "
            f"{fmt(entry['rss_mb'], '.0f'):>7} {fmt(to_cal, '.2f'):>10} {fmt(to_pd, '.2f'):>8}")
    exp = suite["exponents"]
    lines.append(f"growth exponent of check (1x..8x): work {fmt(exp['work'], '.3f')}, "
                 f"wall {fmt(exp['wall'], '.3f')}")
    lines.append("×calamine / ×pandas: this time ÷ that baseline's on the same files "
                 "(in-process work time where both have it, else process wall time)")
    return "\n".join(lines)


def verdicts(targets: list[dict]) -> str:
    lines = []
    for t in targets:
        value = fmt(t["value"], ".3f")
        lines.append(f"{t['status']:5} {t['name']:24} {value:>9} {t['op']} {t['limit']:g} {t['unit']:3} "
                     f"{t['what']}")
    return "\n".join(lines)


def machine() -> dict:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip() or None
    except OSError:
        commit = None
    return {"nproc": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "commit": commit,
            "loadavg_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="community")
    parser.add_argument("--repeat", type=int, default=None,
                        help="fresh runs per measurement (default: 5 community, 3 town, 1 tiny)")
    parser.add_argument("--json", type=Path, default=None,
                        help="where to write the results (default benchmarks/results/<scale>.json)")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache",
                        help="generated data cache (default benchmarks/.cache)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat or SCALES[args.scale]["repeat"])
    started = time.perf_counter()
    info = machine()
    suite = run_suite(args.scale, repeat, args.cache)
    targets = evaluate(suite)
    total = time.perf_counter() - started
    command = "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    print(f"shequ benchmarks — scale {args.scale}, repeat {repeat}, {info['nproc']} cores, "
          f"Python {info['python']}, commit {info['commit']}, suite {total:.0f} s")
    print(table(suite))
    print()
    print(verdicts(targets))
    if args.scale == "tiny":
        print("(tiny is a smoke run: the verdicts are not meaningful at this size)")
    out = args.json or HERE / "results" / f"{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {"scale": args.scale, "repeat": repeat, "command": command, "machine": info,
                "suite_s": total, "community_rows": suite["community_rows"],
                "town_communities": suite["town_communities"], "exponents": suite["exponents"],
                "entries": suite["entries"], "targets": targets}
    out.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
