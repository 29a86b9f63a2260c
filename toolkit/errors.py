"""Our own exceptions. Each message says, in Chinese and English, what to do.

The library raises these; ``cli.py`` turns them into a clean message and exit code 2 in one
place. Bad *data* never raises: it becomes a finding.
"""
from __future__ import annotations

from toolkit.text import Text


class ToolkitError(Exception):
    """Base class: a problem the user can fix. ``text`` holds both languages."""

    exit_code = 2

    def __init__(self, zh: str, en: str | None = None):
        self.text = Text(zh, en or zh)
        super().__init__(zh)

    def message(self, lang: str = "zh") -> str:
        return self.text.get(lang)


class NothingToRead(ToolkitError):
    """No ledger could be read at all (exit code 2 per cli.md)."""


class UsageError(ToolkitError):
    """Bad paths or options."""


class OutputError(ToolkitError):
    """An output could not be written (open in Excel, no permission, disk full)."""


class LockedError(ToolkitError):
    """Another run holds the workspace lock."""


# errno -> what it means for the clerk (the OS's own text is English)
_OS_REASONS = {
    "ENOENT": ("找不到该文件或文件夹", "no such file or folder"),
    "EACCES": ("没有权限（文件可能正在 Excel/WPS 中打开，或文件夹只读）",
               "permission denied (open in Excel/WPS, or a read-only folder)"),
    "EPERM": ("没有权限", "operation not permitted"),
    "ENOSPC": ("磁盘空间不足", "the disk is full"),
    "EROFS": ("磁盘或文件夹是只读的", "read-only file system"),
    "EEXIST": ("已经存在", "already exists"),
    "ENOTDIR": ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    "EISDIR": ("这是一个文件夹，不是文件", "it is a folder, not a file"),
    "EBUSY": ("正被其他程序占用", "in use by another program"),
    "ETXTBSY": ("正被其他程序占用", "in use by another program"),
    "ENAMETOOLONG": ("文件名或路径太长", "file name or path too long"),
    "EINVAL": ("文件名或路径不合法", "invalid file name or path"),
    "EMFILE": ("打开的文件太多", "too many open files"),
    "EIO": ("读写磁盘出错", "input/output error"),
}


def os_reason(exc: OSError) -> Text:
    """Why an OS call failed, in the staff's words (never the OS's English text)."""
    import errno as _errno
    name = _errno.errorcode.get(exc.errno or -1, "")
    if name in _OS_REASONS:
        zh, en = _OS_REASONS[name]
        return Text(zh, en)
    if isinstance(exc, PermissionError):
        return Text(*_OS_REASONS["EACCES"])
    if isinstance(exc, FileNotFoundError):
        return Text(*_OS_REASONS["ENOENT"])
    code = f"（系统错误码 {exc.errno}）" if exc.errno else ""
    return Text(f"操作系统报告错误{code}", f"{exc.strerror or exc}")
