"""The dashboard's read-only connections to the warehouse, and its query cache.

One read-only DuckDB connection is kept per published version of the warehouse file,
identified by (device, inode, mtime, size) of the path, and each query runs on its own
cursor of it (thread safe). A refresh publishes a new warehouse by renaming it over the
served path: the next query sees a new stamp, waits for queries still reading the old
version, closes it and opens the new file, without a restart. Results are cached per
version too. The SQL text is fixed; user choices only ever travel as parameters.

``_open`` is the one place the dashboard opens the warehouse.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from dashboards import status
from warehouse_api import DuckDBWarehouse, WarehouseLockedError

Params = Sequence[Any] | Mapping[str, Any]

Stamp = tuple[int, int, int, int]
_CACHE_SIZE = 256
_cache: OrderedDict[tuple[Any, ...], pl.DataFrame] = OrderedDict()
_lock = threading.Lock()


class WarehouseMissingError(FileNotFoundError):
    """No warehouse file at the configured path."""


def file_stamp(db_path: Path) -> Stamp:
    """What identifies one published version of the warehouse file."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError as exc:
        raise WarehouseMissingError(
            f"no warehouse at {db_path}: run `breach-warehouse refresh` first"
        ) from exc
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


# --- connections ------------------------------------------------------------------------


@dataclass
class _Reader:
    """The read-only connection to one version of a warehouse file."""

    stamp: Stamp
    connection: duckdb.DuckDBPyConnection
    in_use: int = 0


_readers: dict[str, _Reader] = {}
_readers_changed = threading.Condition()
_OPEN_ATTEMPTS = 5


def _open(db_path: Path) -> _Reader:
    """A read-only connection and the stamp of the file it opened: the stamp is taken
    before and after connecting, and must agree (no rename in between)."""
    for _ in range(_OPEN_ATTEMPTS):
        before = file_stamp(db_path)
        try:
            connection = DuckDBWarehouse(db_path).connect()
        except WarehouseLockedError as exc:  # said once; the next query tries again
            status.report_locked(db_path, str(exc))
            raise
        status.report_opened(db_path)
        if file_stamp(db_path) == before:
            return _Reader(before, connection)
        connection.close()
    raise RuntimeError(f"{db_path} keeps changing; cannot open it")


@contextmanager
def _cursor(db_path: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, Stamp]]:
    """A cursor on the connection to the current version of ``db_path``, with its stamp.

    DuckDB shares one database instance per path within a process, so a new version can
    only be opened once every connection to the old one is closed: a stale reader is
    closed as soon as the queries still running on it have finished."""
    key = str(db_path)
    with _readers_changed:
        while True:
            reader = _readers.get(key)
            if reader is None:
                reader = _readers[key] = _open(db_path)
                break
            if reader.stamp == file_stamp(db_path):
                break
            if reader.in_use:
                _readers_changed.wait()
                continue
            reader.connection.close()
            del _readers[key]
        reader.in_use += 1
        cursor = reader.connection.cursor()
    try:
        yield cursor, reader.stamp
    finally:
        with _readers_changed:  # cursors open and close under the lock, like the reader
            cursor.close()
            reader.in_use -= 1
            _readers_changed.notify_all()


def warehouse_problem(db_path: Path) -> str | None:
    """Why the warehouse cannot be read now (missing, or locked by another process), or
    None when a query can run."""
    try:
        with _cursor(db_path):
            return None
    except (WarehouseLockedError, WarehouseMissingError) as exc:
        return str(exc)


def close_connections() -> None:
    """Close every idle warehouse connection (tests; a server shutting down)."""
    with _readers_changed:
        for key, reader in list(_readers.items()):
            if not reader.in_use:
                reader.connection.close()
                del _readers[key]


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _bound(params: Params) -> list[Any] | dict[str, Any]:
    """Positional (``?``) or named (``$name``) parameters as DuckDB takes them."""
    return dict(params) if isinstance(params, Mapping) else list(params)


def query(db_path: Path, sql: str, params: Params = ()) -> pl.DataFrame:
    """Run fixed SQL with parameters (a sequence for ``?``, a mapping for ``$name``) on a
    cursor of the warehouse's read-only connection, cached per warehouse version. Polars
    frames are immutable, so sharing cached ones is safe."""
    frozen = _freeze(_bound(params))
    stamp = file_stamp(db_path)
    key = (str(db_path), stamp, sql, frozen)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    with _cursor(db_path) as (cursor, read_stamp):
        frame = cursor.sql(sql, params=_bound(params)).pl()
    with _lock:
        _cache[(str(db_path), read_stamp, sql, frozen)] = frame
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return frame


def clear_cache() -> None:
    with _lock:
        _cache.clear()
