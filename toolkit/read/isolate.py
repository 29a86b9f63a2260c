"""Running a native reader where it cannot take the run down.

calamine is Rust: a hostile file can make it abort the whole process (an allocation that
fails is an abort, not an exception) or panic (pyo3's ``PanicException`` is a
``BaseException``). :func:`run` calls a function in a child process (``fork`` where the OS
has it, else ``spawn``) with an address-space limit and a time limit, and turns whatever
happens there into a value or a :class:`Failure`. Only the files that need it go there
(see docs/reliability.md): the ordinary ``.xlsx`` ledger is read in-process.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Callable

# what a child may use on top of the address space it starts with (fork: the parent's)
CHILD_MEMORY = 640 * 1024 * 1024
# wall-clock seconds one file may take in a child
CHILD_SECONDS = 120

_CELL_LIMIT = re.compile(r"Cell limit exceeded \((\d+) cells")

# never caught as a reader failure
FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)


class TooLarge(Exception):
    """A sheet whose grid would hold more cells than ``files.MAX_CELLS``."""

    def __init__(self, cells: int):
        super().__init__(f"{cells} cells")
        self.cells = cells


@dataclass(frozen=True)
class Failure:
    """Why a file or sheet could not be read. ``kind``: ``error`` (the reader refused it),
    ``memory`` (over the memory limit), ``time`` (over the time limit), ``crash`` (the reader
    died: ``detail`` names the signal), ``cells`` (``detail`` is the cell count)."""
    kind: str
    detail: str

    @classmethod
    def of(cls, exc: BaseException) -> "Failure":
        if isinstance(exc, MemoryError):
            return cls("memory", "")
        if isinstance(exc, TooLarge):
            return cls("cells", str(exc.cells))
        asked = _CELL_LIMIT.search(str(exc))         # calamine's own cell limit
        if asked:
            return cls("cells", asked.group(1))
        return cls("error", f"{type(exc).__name__}: {str(exc)[:200]}")


class Isolated(Exception):
    """The child could not give a result."""

    def __init__(self, failure: Failure):
        super().__init__(failure.kind)
        self.failure = failure


def _address_space() -> int:
    """This process's current virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError, IndexError):
        return 0


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:        # Windows: no RLIMIT_AS; the crash is still contained
        return
    if limit > 0:
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):       # not enforced on this system: crashes still contained
            pass


def _child(conn, limit: int, fn: Callable[..., Any], args: tuple) -> None:
    try:
        _quiet()
        _limit_memory(limit)
        outcome: tuple = ("ok", fn(*args))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        outcome = ("fail", Failure.of(exc))
    try:
        conn.send(outcome)
    except BaseException:  # noqa: BLE001 - e.g. MemoryError while pickling a huge result
        conn.send(("fail", Failure("memory", "")))
    finally:
        conn.close()


def _quiet() -> None:
    """A reader that aborts prints its own message (and a Rust backtrace) on stderr; the
    parent reports it as a finding, so the child's stderr goes nowhere."""
    try:
        import faulthandler

        faulthandler.disable()               # it would print the abort on the parent's stderr
    except (ImportError, RuntimeError):
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _context():
    """fork on Linux (cheap, and the child inherits the arguments); spawn elsewhere (macOS
    does not fork safely, Windows cannot). Imported here: most runs never start a child."""
    import multiprocessing
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def run(fn: Callable[..., Any], *args: Any, seconds: float = CHILD_SECONDS,
        memory: int = CHILD_MEMORY) -> Any:
    """``fn(*args)`` in a child process; its result, or :class:`Isolated` with the failure.
    An exception in the child comes back as a failure too (never raised here)."""
    ctx = _context()
    reader, writer = ctx.Pipe(duplex=False)
    base = _address_space()
    limit = base + memory if base else 0
    for stream in (sys.stdout, sys.stderr):   # a forked child must not repeat buffered output
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    proc = ctx.Process(target=_child, args=(writer, limit, fn, args), daemon=True)
    proc.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            raise Isolated(Failure("time", str(seconds)))
        try:
            kind, value = reader.recv()
        except (EOFError, OSError):
            proc.join(5)
            raise Isolated(_died(proc.exitcode)) from None
        if kind == "fail":
            raise Isolated(value)
        return value
    finally:
        reader.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
        proc.close()


def _died(exitcode: int | None) -> Failure:
    """A child that ended without a word: an abort (SIGABRT, what a failed allocation does
    in Rust) or SIGKILL/SIGSEGV under the memory limit is reported as memory."""
    if exitcode is not None and exitcode < 0 and -exitcode in (6, 9):
        return Failure("memory", "")
    return Failure("crash", str(exitcode))
