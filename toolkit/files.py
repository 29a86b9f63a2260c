"""Writing files safely, for every layer that writes (reports, annotated copies, run.json).

- the file appears only when complete: written to a temp file beside it, then ``os.replace``;
- a target open in Excel/WPS, a read-only folder or a full disk give a clear OutputError.

Neutral on purpose: ``read.annotate`` (openpyxl) and ``report.writer`` (xlsxwriter) both use it,
so reading never imports the report layer.
"""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from toolkit.errors import OutputError

__all__ = ["atomic_path", "write_text", "write_bytes", "output_error"]


@contextmanager
def atomic_path(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temp path in the target's folder; on success it replaces ``path`` at once."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise output_error(path, exc) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, _default_mode())     # mkstemp makes 0600; outputs are shared files
        os.replace(tmp, path)
    except OSError as exc:
        raise output_error(path, exc) from exc
    finally:
        if tmp.exists():
            tmp.unlink()


def _default_mode() -> int:
    """0666 less the process umask: what a plain ``open(path, "w")`` would have made."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a text file (run.json, 使用说明.txt) atomically."""
    path = Path(path)
    with atomic_path(path, suffix=path.suffix or ".tmp") as tmp:
        tmp.write_text(text, encoding=encoding, newline="\n")
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write a binary file (a launcher, a bundle part) atomically."""
    path = Path(path)
    with atomic_path(path, suffix=path.suffix or ".tmp") as tmp:
        tmp.write_bytes(data)
    return path


def output_error(path: Path, exc: OSError) -> OutputError:
    """The clear message for an OSError while writing ``path`` (open in Excel, read-only, full)."""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return OutputError(
            f"无法写入 {path}：文件可能正在 Excel/WPS 中打开，或没有写入权限。请关闭该文件后重试。",
            f"cannot write {path}: it may be open in Excel/WPS, or the folder is read-only. "
            "Close it and try again.")
    if exc.errno == errno.ENOSPC:
        return OutputError(f"无法写入 {path}：磁盘空间不足，请清理磁盘后重试。",
                           f"cannot write {path}: the disk is full.")
    from toolkit.errors import os_reason
    reason = os_reason(exc)
    return OutputError(f"无法写入 {path}：{reason.zh}。", f"cannot write {path}: {reason.en}")
