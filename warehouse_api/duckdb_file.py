"""A warehouse in one DuckDB file, built beside it and published by an atomic rename.

dbt builds ``.<name>.building`` beside the served file; once the build and all its tests
passed, the build gets the run history and the project fingerprint, is made read-only on
disk (0444: an analyst's default, read-write open fails at once instead of locking the
dashboard and the extracts out) and renamed over the served file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import polars as pl

from groundwork.atomic import replace_durably
from groundwork.runs import RUNS_TABLE
from warehouse_api.base import Warehouse
from warehouse_api.engine import Connection, open_build, open_read_only

PUBLISHED_MODE = 0o444  # r--r--r--: the served warehouse is read, never written
FINGERPRINT_SCHEMA = "refresh_meta"
FINGERPRINT_TABLE = f"{FINGERPRINT_SCHEMA}.build_fingerprint"


class DuckDBWarehouse(Warehouse):
    target = "duckdb"

    def __init__(self, path: Path) -> None:
        self.location = Path(path)

    @property
    def runs_key(self) -> Path:
        return self.location

    @property
    def build_path(self) -> Path:
        """The build file beside the served database.

        One name per warehouse (the refresh lock lets only one build run at a time), so
        dbt's profile is the same from one refresh to the next and dbt reuses its parse of
        the project (partial parsing) instead of parsing every model again.
        """
        return self.location.with_name(f".{self.location.name}.building")

    def exists(self) -> bool:
        return self.location.exists()

    def connect(self) -> Connection:
        if not self.location.exists():
            raise FileNotFoundError(
                f"no warehouse at {self.location}: run `breach-warehouse refresh` first"
            )
        return open_read_only(self.location)

    def tables(self) -> list[str]:
        with self.connect() as con:
            return _mart_tables(con)

    def row_counts(self) -> dict[str, int]:
        return file_row_counts(self.location)

    def fingerprint(self) -> str | None:
        if not self.location.exists():
            return None
        try:
            with open_read_only(self.location) as con:
                rows = con.sql(f"select fingerprint from {FINGERPRINT_TABLE}").fetchall()
        except duckdb.Error:
            return None
        return str(rows[0][0]) if rows else None

    def start_build(self, incremental: bool) -> Path:
        """A new build file: a copy of the served one (``incremental``), else empty."""
        build = self.build_path
        if incremental:
            shutil.copyfile(self.location, build)
        else:
            open_build(build).close()
        return build

    def stamp(self, build: Path, fingerprint: str, history: pl.DataFrame) -> None:
        """Add the run history and the fingerprint to the build, then fold the write-ahead
        log into the file so the rename publishes one complete file."""
        with open_build(build) as con:
            con.register("refresh_runs_history", history.to_arrow())
            try:
                con.execute(
                    f"create or replace table main.{RUNS_TABLE} as "
                    "select * from refresh_runs_history order by started_at"
                )
            finally:
                con.unregister("refresh_runs_history")
            con.execute(f"create schema if not exists {FINGERPRINT_SCHEMA}")
            con.execute(
                f"create or replace table {FINGERPRINT_TABLE} as select ? as fingerprint",
                [fingerprint],
            )
            con.execute("checkpoint")

    def seal(self, build: Path) -> None:
        """Make the finished build read-only on disk, as it will be served."""
        os.chmod(build, PUBLISHED_MODE)

    def publish(self, build: Path) -> None:
        self.seal(build)
        replace_durably(build, self.location)

    def discard_build(self, build: Path | None = None) -> None:
        """Remove a build file and its write-ahead log."""
        build = build or self.build_path
        for candidate in (build, build.with_name(build.name + ".wal")):
            candidate.unlink(missing_ok=True)

    def remove_stale_builds(self) -> list[Path]:
        """Build files beside the warehouse (a write-ahead log, or one named by an earlier
        version of this tool, ``.<name>.building-<pid>-<id>``): with the refresh lock
        held, each was left by a refresh that was killed."""
        removed = sorted(self.location.parent.glob(f"{self.build_path.name}*"))
        for path in removed:
            path.unlink()
        return removed


def _mart_tables(con: Connection) -> list[str]:
    return [
        name
        for (name,) in con.sql(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
        if name != RUNS_TABLE
    ]


def file_row_counts(path: Path) -> dict[str, int]:
    """Row counts of every mart table in a DuckDB file (a build, or the served one)."""
    with open_read_only(path) as con:
        return {
            t: int(con.sql(f'select count(*) from main."{t}"').fetchall()[0][0])
            for t in _mart_tables(con)
        }
