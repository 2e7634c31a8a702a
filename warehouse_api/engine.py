"""The one place a DuckDB connection is opened: read-only connections to a published
warehouse (one policy: external access off), read-write ones to a build file, and
in-memory ones; and the lock another process holds.

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

Connection = duckdb.DuckDBPyConnection

LOCK_WORDS = ("Conflicting lock", "Could not set lock")
_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
# A read-only connection reads the warehouse and no other file.
READ_ONLY_CONFIG = {"enable_external_access": False}


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


def _open(db_path: Path, *, read_only: bool, config: dict[str, object]) -> Connection:
    try:
        return duckdb.connect(str(db_path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        if is_lock_error(exc):
            raise WarehouseLockedError(lock_message(db_path, exc)) from exc
        raise


def open_read_only(db_path: Path) -> Connection:
    """A read-only connection to ``db_path`` that can read the warehouse and no other
    file; :class:`WarehouseLockedError` when a read-write session of another process
    holds the file."""
    return _open(db_path, read_only=True, config=dict(READ_ONLY_CONFIG))


def open_build(db_path: Path) -> Connection:
    """A read-write connection to a build file (created when missing): only a refresh,
    holding the refresh lock, writes one."""
    return _open(db_path, read_only=False, config={})


def open_memory() -> Connection:
    """An in-memory database (a scratch engine: the caller decides what it may read)."""
    return duckdb.connect(":memory:")


def has_table(con: Connection, name: str, schema: str = "main") -> bool:
    """Whether ``schema.name`` exists (a table or a view)."""
    found = con.sql(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        params=[schema, name],
    ).fetchall()[0][0]
    return bool(found)
