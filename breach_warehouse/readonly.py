"""Read-only connections to a published warehouse, and a lock another process holds.

DuckDB's default open is read-write and takes an exclusive lock on the file: while an
analyst's session holds it (``duckdb warehouse.duckdb``), every read-only open fails
with "Conflicting lock is held". A refresh publishes the file read-only on disk (0444),
so such a default open by anyone but root fails at once with "Permission denied" and
takes no lock; a lock held anyway (root ignores file modes) is reported in one line by
:class:`WarehouseLockedError`, and the next open after it is released succeeds. Analysts
open the file read-only: ``duckdb -readonly FILE``, ``ATTACH 'FILE' (READ_ONLY)`` or
``duckdb.connect(FILE, read_only=True)``.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

LOCK_WORDS = ("Conflicting lock", "Could not set lock")
_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseLockedError(RuntimeError):
    """Another process holds the warehouse file open read-write."""


def lock_message(db_path: Path, exc: BaseException) -> str:
    found = _HOLDER.search(str(exc))
    holder = (
        f"process {found['pid']} ({Path(found['program']).name})" if found else "another process"
    )
    return (
        f"{db_path}: locked by {holder}, which opened it read-write; open it read-only "
        f"instead (duckdb -readonly {db_path}, or ATTACH '{db_path}' (READ_ONLY)): it "
        "is read again as soon as the lock is released"
    )


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and any(w in str(exc) for w in LOCK_WORDS)


def connect(db_path: Path, *, external_access: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``db_path`` (``external_access=False``: it can read the
    warehouse and no other file); :class:`WarehouseLockedError` when a read-write session
    of another process holds the file."""
    config = {} if external_access else {"enable_external_access": False}
    try:
        return duckdb.connect(str(db_path), read_only=True, config=config)
    except duckdb.Error as exc:
        if is_lock_error(exc):
            raise WarehouseLockedError(lock_message(db_path, exc)) from exc
        raise
