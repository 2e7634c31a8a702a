"""Files replaced whole or not at all: written under a temporary name beside the target,
flushed to disk, then renamed over it (``os.replace``), so a reader sees the old file or
the new one, never half of one, and a crash leaves at most a stray temporary file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's entries') writes to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path(path: Path) -> Path:
    """A temporary name beside ``path``, unique to this process and call."""
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")


def replace_durably(source: Path, target: Path) -> None:
    """Rename ``source`` over ``target`` and flush the folder, so the rename survives a crash."""
    os.replace(source, target)
    fsync_path(target.parent)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write in place of ``path``: when the block ends normally the
    file (or symlink) written there is flushed and renamed over ``path``; when it raises,
    it is removed and ``path`` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        yield tmp
        if not tmp.is_symlink():
            fsync_path(tmp)
        replace_durably(tmp, path)
    finally:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)
