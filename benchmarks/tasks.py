"""Child-process tasks for ``benchmarks/run.py``. Not a benchmark on its own.

    python benchmarks/tasks.py TASK RESULT.json ARG…

Each task imports what it needs first (not timed), then times only the work with
``time.perf_counter`` and writes ``{"work_s": …, "rows": …}`` to ``RESULT.json``. The parent
measures the wall time and peak RSS of the whole process. Each task process ends as ``shequ``
does: what the work made stays referenced until the process leaves (``KEPT``; in ``shequ``
the command's frame is held by its ``SystemExit``), and the process leaves without the
interpreter's teardown (``toolkit.cli._leave``) — nothing is freed object by object, in check
or in the baselines.

Tasks:
  calamine FILE…   raw python-calamine, every sheet ``to_python()``, no normalisation (floor)
  pandas FILE…     ``pandas.read_excel(engine="openpyxl", sheet_name=None)`` (what users write)
  read FILE…       ``toolkit.read.read_workspace`` (reading + normalising into records)
  check DIR        ``toolkit.pipeline.check`` + the text report, as ``shequ check`` does
"""
from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 11, 23)
KEPT: list = []      # what a task read or made: freed by the process's exit, never one by one


def task_calamine(args: list[str]):
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = 0
    for path in args:
        workbook = CalamineWorkbook.from_path(path)
        for name in workbook.sheet_names:
            KEPT.append(workbook.get_sheet_by_name(name).to_python())
            rows += len(KEPT[-1])
    return rows, time.perf_counter() - started


def task_pandas(args: list[str]):
    import pandas

    started = time.perf_counter()
    rows = 0
    for path in args:
        frames = pandas.read_excel(path, sheet_name=None, engine="openpyxl")
        KEPT.append(frames)
        rows += sum(len(frame) for frame in frames.values())
    return rows, time.perf_counter() - started


def task_read(args: list[str]):
    from toolkit.read import read_workspace

    paths = [Path(p) for p in args]
    started = time.perf_counter()
    workspace = read_workspace(paths, as_of=AS_OF, root=paths[0].parent)
    KEPT.append(workspace)
    rows = sum(len(recs) for recs in workspace.records.values())
    return rows, time.perf_counter() - started


def task_check(args: list[str]):
    from toolkit import pipeline
    from toolkit.check import run_rules  # noqa: F401 - imported before timing, as the CLI does
    from toolkit.read import read_workspace  # noqa: F401
    from toolkit.report.console import format_text

    started = time.perf_counter()
    result = pipeline.check([Path(args[0])], as_of=AS_OF)
    text = format_text(result, lang="zh")
    KEPT.append((result, text))        # as shequ check holds its result until it leaves
    rows = sum(len(recs) for recs in result.workspace.records.values())
    elapsed = time.perf_counter() - started
    assert text is not None
    return rows, elapsed


TASKS = {"calamine": task_calamine, "pandas": task_pandas, "read": task_read,
         "check": task_check}


def main(argv: list[str]) -> int:
    task, out, *args = argv
    rows, elapsed = TASKS[task](args)
    Path(out).write_text(json.dumps({"work_s": elapsed, "rows": rows}), encoding="utf-8")
    return 0


def leave(code: int) -> None:
    """End as ``shequ`` does (``toolkit.cli._leave``: atexit functions, streams flushed, no
    interpreter teardown), so a process's CPU time is its work, not the freeing of what it
    read — the same for the baselines (calamine, pandas) as for check. Written out here, not
    imported, so a baseline's process never imports toolkit."""
    import atexit
    import os
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    leave(main(sys.argv[1:]))
