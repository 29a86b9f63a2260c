#!/usr/bin/env python3
"""shequ benchmark suite — one entry point.

    python benchmarks/run.py --scale community|town|tiny [--repeat N] [--json out.json]

Data comes from the synthetic generator (``python -m toolkit.samples``), cached under
``benchmarks/.cache/`` by seed, sizes and a hash of the generator's source. Every figure is one
fresh process: the wall time and the peak RSS / CPU of that process (``os.wait4``). Python
tasks (``benchmarks/tasks.py``) also report the in-process work time, imports excluded.

Scales: ``tiny`` is a smoke run (seconds; verdicts are not meaningful at that size),
``community`` times one 居民区 (300 elderly, 600 requests, 80 volunteers, 15,000 visits) and
the scaling series, ``town`` adds ``shequ check`` on 30 such communities (in parallel, and once
with ``--jobs 1``; and once on an uneven town: 29 of them and one four times their size, last in
folder order), ``estate`` times the large-estate shape of issue #20 at 1×, 4× and 10×
(10× = 3,000 elderly, 6,000 requests, 800 volunteers, 150,000 visits, every visit with a reading,
references by 编号, canonical headers) against raw calamine and pandas on the 10× files — the
10× both as the ``shequ check`` command (issue #20's figure, the target) and in-process (work
time, for the growth exponent) — and ``all`` is ``town`` plus ``estate``.

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

    def scaled(self, k: int) -> "Size":
        """The estate series grows every ledger, volunteers too (10× = issue #20's estate)."""
        return Size(self.elderly * k, self.requests * k, self.volunteers * k, self.visits * k)

    @property
    def rows(self) -> int:
        """All ledgers' rows, the generator's services (visits // 15) and bookings (visits // 30)
        included (issue #17)."""
        return self.elderly + self.requests + self.volunteers + self.visits \
            + max(20, self.visits // 15) + max(20, self.visits // 30)


COMMUNITY = Size(elderly=300, requests=600, volunteers=80, visits=15_000)
TINY = Size(elderly=30, requests=60, volunteers=10, visits=500)
# issue #20's estate is the 10× of the estate series: 3,000 / 6,000 / 800 / 150,000 rows
ESTATE = Size(elderly=300, requests=600, volunteers=80, visits=15_000)
TINY_ESTATE = Size(elderly=10, requests=20, volunteers=4, visits=500)
ESTATE_SERIES = (1, 4, 10)
SCALES = {
    "tiny": {"size": TINY, "town": 3, "series": (1, 2, 4, 8), "repeat": 1, "estate": TINY_ESTATE},
    "community": {"size": COMMUNITY, "town": 0, "series": (1, 2, 4, 8), "repeat": 5,
                  "estate": None},
    "town": {"size": COMMUNITY, "town": 30, "series": (1, 2, 4, 8), "repeat": 3, "estate": None},
    "estate": {"size": COMMUNITY, "town": 0, "series": (), "repeat": 3, "estate": ESTATE},
    "all": {"size": COMMUNITY, "town": 30, "series": (1, 2, 4, 8), "repeat": 3, "estate": ESTATE},
}

# (name, what, limit, unit, "le"|"ge")
TARGETS = [
    ("help_startup", "shequ --help wall time", 0.1, "s", "le"),
    ("community_weekly_time", "shequ weekly, one community, wall time", 1.0, "s", "le"),
    ("community_weekly_rss", "shequ weekly, one community, peak RSS", 300.0, "MB", "le"),
    ("town_check_time", "shequ check, town of 30 communities, wall time", 8.0, "s", "le"),
    ("town_check_rss", "shequ check, town of 30 communities, peak RSS of all its processes",
     1024.0, "MB", "le"),
    ("read_vs_calamine", "read+normalise time / raw python-calamine time", 2.0, "x", "le"),
    ("read_vs_pandas", "pandas+openpyxl time / read+normalise time", 5.0, "x", "ge"),
    ("scaling_exponent", "shequ check growth exponent (log-log fit, 1x..8x)", 1.1, "", "le"),
    ("estate_vs_calamine", "shequ check CPU / raw calamine CPU, estate 10x (issue #20)", 2.5, "x",
     "le"),
    ("estate_vs_pandas", "pandas+openpyxl CPU / shequ check CPU, estate 10x", 5.0, "x", "ge"),
    ("estate_exponent", "check growth exponent, estate 1x..10x (CPU)", 1.1, "", "le"),
]


# ---------------------------------------------------------------------------------------
# data

def generator_hash() -> str:
    """Short hash of the generator's source: a changed generator means new cached data."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "toolkit" / "samples").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def dataset(cache: Path, communities: int, size: Size, seed: int = SEED,
            shape: str = "mixed") -> Path:
    """The generated town folder (one sub-folder per community), generated once and cached."""
    key = (f"s{seed}-n{communities}-e{size.elderly}-r{size.requests}-v{size.volunteers}"
           f"-vi{size.visits}-g{generator_hash()}" + ("" if shape == "mixed" else f"-{shape}"))
    folder, done = cache / key, cache / f"{key}.complete"
    if done.exists() and folder.is_dir():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "toolkit.samples", "--communities", str(communities),
           "--seed", str(seed), "-o", str(folder), "--elderly", str(size.elderly),
           "--requests", str(size.requests), "--volunteers", str(size.volunteers),
           "--visits", str(size.visits), "--as-of", AS_OF, "--shape", shape]
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


class TreeRss:
    """Peak of the summed RSS of a process and all its descendants, sampled from /proc every
    ``every`` seconds (Linux; elsewhere None). Shared copy-on-write pages of forked workers
    count once per process, so this errs high."""

    def __init__(self, pid: int, every: float = 0.05):
        import threading
        self.pid, self.every, self.peak_kb = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = Path("/proc/self/status").exists()
        if self.available:
            self._thread.start()

    def _sample(self) -> int:
        parents: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as fh:
                        fields = fh.read().rsplit(b")", 1)[1].split()
                    parents[int(entry.name)] = int(fields[1])
                except (OSError, IndexError, ValueError):
                    continue
        tree, todo = {self.pid}, [self.pid]
        children: dict[int, list[int]] = {}
        for pid, ppid in parents.items():
            children.setdefault(ppid, []).append(pid)
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in tree:
                    tree.add(child)
                    todo.append(child)
        total = 0
        for pid in tree:
            try:
                with open(f"/proc/{pid}/status", "rb") as fh:
                    for line in fh:
                        if line.startswith(b"VmRSS:"):
                            total += int(line.split()[1])
                            break
            except (OSError, ValueError):
                continue
        return total

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak_kb = max(self.peak_kb, self._sample())

    def stop(self) -> float | None:
        if not self.available:
            return None
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024 or None


def bench_env() -> dict:
    """The measured processes' environment: compiled bytecode used as an installed package uses
    it (pip compiles on install), so no process pays for compiling the project's sources; see
    ``compile_sources``."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_sources() -> None:
    """Compile toolkit/ and benchmarks/ once before anything is timed (``__pycache__`` is
    git-ignored); without it every fresh process compiled them again (0.15–0.35 s each) when the
    shell sets PYTHONDONTWRITEBYTECODE."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "toolkit"), str(HERE)],
                   check=True, env=bench_env(), stdout=subprocess.DEVNULL)


def run_once(cmd: list[str], ok_codes: tuple[int, ...], result: Path | None,
             tree: bool = False) -> dict:
    """One fresh process: wall time, peak RSS and CPU of exactly that process (with its
    waited-for children); ``tree``: also the peak RSS summed over it and its children."""
    env = bench_env()
    with open(os.devnull, "wb") as devnull, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=devnull, stderr=err, cwd=ROOT, env=env)
        sampler = TreeRss(proc.pid) if tree else None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
            cpu = usage.ru_utime + usage.ru_stime
        else:                                              # pragma: no cover - not Linux
            proc.wait()
            wall, rss, cpu = time.perf_counter() - started, None, None
        tree_rss = sampler.stop() if sampler is not None else None
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    run = {"wall_s": wall, "rss_mb": rss, "cpu_s": cpu, "rc": proc.returncode}
    if tree_rss is not None:
        run["tree_rss_mb"] = max(tree_rss, rss or 0)
    if proc.returncode not in ok_codes:
        run["error"] = stderr[-1500:] or f"exit code {proc.returncode}"
    elif result is not None:
        data = json.loads(result.read_text(encoding="utf-8"))
        run["work_s"], run["rows"] = data["work_s"], data["rows"]
    return run


def measure(name: str, label: str, cmd: list[str], repeat: int, *, ok=(0,), prepare=None,
            result: Path | None = None, tree: bool = False) -> dict:
    """``repeat`` fresh runs of ``cmd``; medians, min, max, worst peak RSS."""
    job = {"name": name, "label": label, "cmd": cmd, "ok": ok, "prepare": prepare,
           "result": result, "tree": tree}
    return measure_together([job], repeat)[name]


def measure_together(jobs: list[dict], repeat: int) -> dict[str, dict]:
    """``repeat`` rounds, each one fresh run of every job in turn (a job: ``measure``'s
    arguments as a dict). Two things compared by a ratio are measured this way, at the same
    moments: the machine getting faster or slower between them then moves both alike, not
    the ratio (on a shared VM it can change speed by 30% within minutes)."""
    runs: dict[str, list[dict]] = {job["name"]: [] for job in jobs}
    for _ in range(repeat):
        for job in jobs:
            done = runs[job["name"]]
            if done and "error" in done[-1]:
                continue
            if job.get("prepare") is not None:
                job["prepare"]()
            done.append(run_once(job["cmd"], job.get("ok", (0,)), job.get("result"),
                                 job.get("tree", False)))
    return {job["name"]: _entry(job, runs[job["name"]]) for job in jobs}


def _entry(job: dict, runs: list[dict]) -> dict:
    name, label = job["name"], job["label"]
    good = [r for r in runs if "error" not in r]
    entry = {"name": name, "label": label, "command": " ".join(job["cmd"]), "runs": runs}
    if len(good) < len(runs):
        entry["error"] = runs[-1]["error"]
        log(f"  {label}: FAILED — {entry['error'].strip().splitlines()[-1] if entry['error'].strip() else ''}")
        return entry
    walls = [r["wall_s"] for r in good]
    entry.update(median_s=statistics.median(walls), min_s=min(walls), max_s=max(walls),
                 rss_mb=max((r["rss_mb"] or 0) for r in good),
                 cpu_s=statistics.median(r["cpu_s"] or 0 for r in good))
    if any("tree_rss_mb" in r for r in good):
        entry["tree_rss_mb"] = max(r.get("tree_rss_mb") or 0 for r in good)
    if "work_s" in good[0]:
        entry["work_s"] = statistics.median(r["work_s"] for r in good)
        entry["rows"] = good[0]["rows"]
    log(f"  {label}: {entry['median_s']:.3f} s median, CPU {entry['cpu_s']:.2f} s, "
        f"{entry.get('tree_rss_mb') or entry['rss_mb']:.0f} MB")
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
    series: list[dict] = []
    estate: list[dict] = []
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

        log("reading the same files (in turn, round by round)")
        entries.update(measure_together(
            [{"name": name, "label": label, "cmd": task_cmd(task, result_file, *files),
              "result": result_file}
             for task, name, label in (("pandas", "read_pandas", "pandas.read_excel openpyxl"),
                                       ("calamine", "read_calamine", "raw python-calamine"),
                                       ("read", "read_shequ", "shequ read+normalise"))],
            repeat))

        log("scaling series")
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
                shequ + ["check", str(town), "--as-of", AS_OF, "-q"], repeat, ok=(0, 1),
                tree=True)
            # an uneven town: the same communities but the last, then one four times their
            # size last in folder order (workers take the heaviest first; no target, once)
            uneven = work / "uneven"
            for folder in communities_of(town)[:-1]:
                shutil.copytree(folder, uneven / folder.name)
            shutil.copytree(communities_of(dataset(cache, 1, size.times(4)))[0], uneven / "龙湖居民区4x")
            entries["town_uneven"] = measure(
                "town_uneven", f"shequ check (town: {conf['town'] - 1} + one 4x, last)",
                shequ + ["check", str(uneven), "--as-of", AS_OF, "-q"], 1, ok=(0, 1), tree=True)
            entries["town_check_jobs1"] = measure(
                "town_check_jobs1", f"shequ check --jobs 1 (town x{conf['town']})",
                shequ + ["check", str(town), "--as-of", AS_OF, "-q", "--jobs", "1"], 1,
                ok=(0, 1), tree=True)

        if conf["estate"]:
            base: Size = conf["estate"]
            log("estate series (issue #20 shape)")
            folders = {k: communities_of(dataset(cache, 1, base.scaled(k), shape="estate"))[0]
                       for k in ESTATE_SERIES}
            top_k = ESTATE_SERIES[-1]
            for k in ESTATE_SERIES[:-1]:
                entries[f"estate_{k}x"] = measure(f"estate_{k}x", f"estate check {k}x (in-process)",
                                                  task_cmd("check", result_file, folders[k]),
                                                  repeat, result=result_file)
            # the target's two sides in turn, round by round (measure_together): the command
            # itself (issue #20 measured `shequ check`), the in-process task (its work time,
            # for the growth exponent), and raw calamine
            log(f"estate check {top_k}x (the command and in-process) and raw calamine on the "
                "same files, in turn")
            entries.update(measure_together([
                {"name": "estate_command", "label": f"shequ check, estate {top_k}x",
                 "cmd": shequ + ["check", str(folders[top_k]), "--as-of", AS_OF, "-q"],
                 "ok": (0, 1)},
                {"name": f"estate_{top_k}x", "label": f"estate check {top_k}x (in-process)",
                 "cmd": task_cmd("check", result_file, folders[top_k]), "result": result_file},
                {"name": "estate_calamine", "label": f"raw calamine, estate {top_k}x",
                 "cmd": task_cmd("calamine", result_file, *ledger_files(folders[top_k])),
                 "result": result_file}], repeat))
            for k in ESTATE_SERIES:
                entries[f"estate_{k}x"]["factor"] = k
                estate.append(entries[f"estate_{k}x"])
            top = ledger_files(folders[top_k])
            entries["estate_pandas"] = measure(          # ~30 s a run at 10x: once
                "estate_pandas", f"pandas openpyxl, estate {ESTATE_SERIES[-1]}x",
                task_cmd("pandas", result_file, *top), 1, result=result_file)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    good_series = [e for e in series if "error" not in e]
    good_estate = [e for e in estate if "error" not in e]
    exponents = {
        "work": fit_exponent([(e["rows"], e["work_s"]) for e in good_series]),
        "wall": fit_exponent([(e["rows"], e["median_s"]) for e in good_series]),
        "estate_cpu": fit_exponent([(e["rows"], e["cpu_s"]) for e in good_estate]),
        "estate_work": fit_exponent([(e["rows"], e["work_s"]) for e in good_estate]),
    }
    return {"entries": entries, "exponents": exponents, "community_rows": size.rows,
            "town_communities": conf["town"], "series": list(conf["series"]),
            "estate_rows": conf["estate"].scaled(ESTATE_SERIES[-1]).rows if conf["estate"] else 0}


def ratios(entry: dict, entries: dict) -> tuple[float | None, float | None]:
    """Entry time ÷ calamine and ÷ pandas on the same files: in-process work time where both
    sides have it, otherwise whole-process wall time. Only for entries on one community."""
    if "error" in entry:
        return None, None
    if entry["name"] in (f"estate_{ESTATE_SERIES[-1]}x", "estate_command", "estate_calamine",
                         "estate_pandas"):
        bases, key = ("estate_calamine", "estate_pandas"), "cpu_s"      # issue #20: CPU time
    elif entry["name"] in ("check", "weekly", "read_pandas", "read_calamine", "read_shequ",
                           "series_1x"):
        bases, key = ("read_calamine", "read_pandas"), None
    else:
        return None, None
    out = []
    for base in bases:
        b = entries.get(base)
        if not b or "error" in b:
            out.append(None)
            continue
        k = key or ("work_s" if "work_s" in entry and "work_s" in b else "median_s")
        out.append(entry[k] / b[k] if b[k] else None)
    return out[0], out[1]


def evaluate(suite: dict) -> list[dict]:
    e = suite["entries"]

    def get(name, field):
        entry = e.get(name)
        return None if not entry or "error" in entry else entry.get(field)

    read, cal, pd_ = get("read_shequ", "work_s"), get("read_calamine", "work_s"), get("read_pandas", "work_s")
    # issue #20's figure is the command's: `shequ check` (click, the printed report and all)
    e_check = get("estate_command", "cpu_s")
    e_cal, e_pd = get("estate_calamine", "cpu_s"), get("estate_pandas", "cpu_s")
    values = {
        "help_startup": get("help", "median_s"),
        "community_weekly_time": get("weekly", "median_s"),
        "community_weekly_rss": get("weekly", "rss_mb"),
        "town_check_time": get("town_check", "median_s"),
        "town_check_rss": get("town_check", "tree_rss_mb") or get("town_check", "rss_mb"),
        "read_vs_calamine": read / cal if read and cal else None,
        "read_vs_pandas": pd_ / read if read and pd_ else None,
        "scaling_exponent": suite["exponents"]["work"],
        "estate_vs_calamine": e_check / e_cal if e_check and e_cal else None,
        "estate_vs_pandas": e_pd / e_check if e_check and e_pd else None,
        "estate_exponent": suite["exponents"]["estate_cpu"],
    }
    out = []
    for name, what, limit, unit, op in TARGETS:
        value = values[name]
        if value is None:
            missing = ((name.startswith("town") and not suite["town_communities"])
                       or (name.startswith("estate") and not suite["estate_rows"])
                       or (name == "scaling_exponent" and not suite["series"]))
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
            f"{fmt(entry.get('tree_rss_mb') or entry['rss_mb'], '.0f'):>7} {fmt(to_cal, '.2f'):>10} "
            f"{fmt(to_pd, '.2f'):>8}")
    exp = suite["exponents"]
    lines.append(f"growth exponent of check (1x..8x): work {fmt(exp['work'], '.3f')}, "
                 f"wall {fmt(exp['wall'], '.3f')}")
    lines.append(f"growth exponent of the estate check (1x..10x): CPU {fmt(exp['estate_cpu'], '.3f')}, "
                 f"work {fmt(exp['estate_work'], '.3f')}")
    lines.append("×calamine / ×pandas: this time ÷ that baseline's on the same files "
                 "(in-process work time where both have it, else process wall time; the estate "
                 "rows: process CPU time)")
    lines.append("RSS MB: the process's peak; for the town, the peak of the summed RSS of the "
                 "process and its workers")
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


def fmt_load(load: list[float] | None) -> str:
    return "—" if not load else "/".join(f"{x:.2f}" for x in load)


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
    compile_sources()
    suite = run_suite(args.scale, repeat, args.cache)
    targets = evaluate(suite)
    total = time.perf_counter() - started
    info["loadavg_at_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    command = "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    print(f"shequ benchmarks — scale {args.scale}, repeat {repeat}, {info['nproc']} cores, "
          f"Python {info['python']}, commit {info['commit']}, suite {total:.0f} s, "
          f"load average {fmt_load(info['loadavg_at_start'])} at start, "
          f"{fmt_load(info['loadavg_at_end'])} at end")
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
