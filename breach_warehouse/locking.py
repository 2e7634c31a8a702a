"""An exclusive lock file that names its holder.

The lock is an OS file lock (``filelock``): the kernel releases it when the holder exits,
however it exits, so a killed run never leaves a stale lock. The holder writes its pid,
host and start time into the lock file so that a second run can say who holds it.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import filelock
import psutil


class LockBusyError(RuntimeError):
    """Another process holds the lock and the caller chose not to wait."""

    def __init__(
        self, lock_path: Path, what: str, holder: dict[str, object] | None, hint: str = ""
    ) -> None:
        self.lock_path = lock_path
        self.holder = holder
        who = "another process"
        if holder and holder.get("pid"):
            who = f"process {holder['pid']}"
            if holder.get("host"):
                who += f" on {holder['host']}"
            if holder.get("since"):
                who += f" (since {holder['since']})"
        super().__init__(f"{what} is already running: {who} holds {lock_path}. {hint}".strip())


def read_holder(lock_path: Path) -> dict[str, object] | None:
    """The holder a lock file names, if it names one whose process still exists here."""
    try:
        holder = json.loads(lock_path.read_text() or "null")
    except (OSError, ValueError):
        return None
    if not isinstance(holder, dict):
        return None
    pid = holder.get("pid")
    if holder.get("host") == socket.gethostname() and isinstance(pid, int):
        return holder if psutil.pid_exists(pid) else None
    return holder


def _write_holder(fd: int) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)


@contextmanager
def exclusive_lock(
    lock_path: Path,
    *,
    what: str,
    wait: bool = False,
    timeout: float | None = None,
    hint: str = "",
) -> Iterator[None]:
    """Hold ``lock_path`` for the block; raise LockBusyError if it is taken and not ``wait``.

    With ``wait`` the call blocks until the lock is free (at most ``timeout`` seconds if
    given).
    """
    lock = filelock.FileLock(lock_path, on_acquired=_write_holder, preserve_lock_file=True)
    limit = (-1 if timeout is None else timeout) if wait else 0
    try:
        lock.acquire(timeout=limit)
    except filelock.Timeout:
        raise LockBusyError(lock_path, what, read_holder(lock_path), hint) from None
    try:
        yield
    finally:
        lock.release()
