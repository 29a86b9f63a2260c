"""A workspace lock (``DIR/.shequ/lock``) so two schedulers, or a scheduler and a manual
``weekly``, never write the same week at once. The second one is told who holds it."""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from toolkit.errors import LockedError


# Windows: os.kill(pid, 0) is no probe there (it ends the process, or raises); the kernel is asked
WINDOWS = os.name == "nt"
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
STILL_ACTIVE = 259
ERROR_ACCESS_DENIED = 5


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs on this computer (a lock whose process is gone is
    stale). When in doubt: alive (the clerk is told who holds the lock)."""
    if WINDOWS:
        import ctypes
        return _alive_windows(pid, _kernel32(), ctypes.get_last_error)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _kernel32():
    import ctypes
    from ctypes import wintypes
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    return kernel32


def _alive_windows(pid: int, kernel32, last_error) -> bool:
    """OpenProcess + GetExitCodeProcess. No handle because access is denied: another user's
    process (alive); no handle otherwise: no such process; a handle whose exit code is
    STILL_ACTIVE: alive (a process that ended but whose handle someone keeps open is not)."""
    import ctypes
    if not 0 < pid < 2 ** 32:           # a process id is a DWORD; 0 is the idle process
        return False
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return last_error() == ERROR_ACCESS_DENIED
    try:
        code = ctypes.c_ulong(0)
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


class WorkspaceLock:
    def __init__(self, path: Path, owner: str = "weekly"):
        self.path, self.owner, self.held = Path(path), owner, False

    def acquire(self) -> "WorkspaceLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "owner": self.owner}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder and holder.get("host") == info["host"] and not _alive(int(holder.get("pid", 0))):
                    self.path.unlink(missing_ok=True)      # stale: its process is gone
                    continue
                who = (f"{holder.get('owner', '?')}（进程 {holder.get('pid', '?')}，电脑 {holder.get('host', '?')}）"
                       if holder else "未知进程")
                raise LockedError(
                    f"另一个 shequ 正在处理这个台账文件夹：{who}。请等它结束后再运行；"
                    f"若确认没有在运行，可删除 {self.path}。",
                    f"another shequ run holds this workspace: {holder}. Wait for it, or delete "
                    f"{self.path} if you are sure none is running.")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(info, fh)
            self.held = True
            return self
        raise LockedError(f"无法取得锁 {self.path}", f"cannot take the lock {self.path}")

    def _holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
