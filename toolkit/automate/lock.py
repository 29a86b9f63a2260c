"""A workspace lock (``DIR/.shequ/lock``) so two schedulers, or a scheduler and a manual
``weekly``, never write the same week at once. The second one is told who holds it."""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from toolkit.errors import LockedError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


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
