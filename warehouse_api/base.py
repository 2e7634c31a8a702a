"""What every warehouse offers, whatever engine built it (``Warehouse``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import polars as pl

from groundwork.runs import RUNS_TABLE, RunStore, empty_runs, read_runs
from warehouse_api.engine import Connection, has_table


class Warehouse(ABC):
    """A built warehouse: a DuckDB file, or the folder a Spark build wrote.

    ``location`` is the file or folder; ``runs_key`` the path its refresh lock and run
    history are named after. Connections are read-only with external access off."""

    target: str
    location: Path

    @property
    @abstractmethod
    def runs_key(self) -> Path:
        """The path the run history and the refresh lock are named after."""

    @abstractmethod
    def exists(self) -> bool:
        """Whether a build has been published here."""

    @abstractmethod
    def connect(self) -> Connection:
        """A read-only DuckDB connection whose ``main`` schema holds the marts (and the
        ``refresh_runs`` history); it reads nothing outside the warehouse."""

    @abstractmethod
    def tables(self) -> list[str]:
        """The mart tables, by name (the run history excluded)."""

    @abstractmethod
    def row_counts(self) -> dict[str, int]:
        """Row counts of every mart table."""

    @abstractmethod
    def fingerprint(self) -> str | None:
        """The project fingerprint the published build was made by (None: unknown)."""

    @abstractmethod
    def stamp(self, build: Path, fingerprint: str, history: pl.DataFrame) -> None:
        """Record the fingerprint (and, where the build holds it, the run history) in a
        finished build before it is published."""

    @abstractmethod
    def publish(self, build: Path) -> None:
        """Make a finished, stamped build the served warehouse, atomically."""

    @abstractmethod
    def remove_stale_builds(self) -> list[Path]:
        """Remove what refreshes that did not finish left behind (call holding the lock)."""

    def run_store(self) -> RunStore:
        return RunStore(self.runs_key)

    def runs(self) -> pl.DataFrame:
        """Every recorded refresh, newest first (``groundwork.runs.read_runs``)."""
        return read_runs(self.runs_key, fallback=self._runs_table)

    def _runs_table(self) -> pl.DataFrame:
        """The ``refresh_runs`` table inside the warehouse (empty when there is none)."""
        if not self.exists():
            return empty_runs()
        with self.connect() as con:
            if not has_table(con, RUNS_TABLE):
                return empty_runs()
            return con.sql(f"select * from main.{RUNS_TABLE}").pl()

    def built_by(self) -> dict[str, object] | None:
        """The run that built this warehouse (the latest published success in its
        ``refresh_runs`` table, as a row), or None when it records none."""
        built = self._runs_table().filter((pl.col("status") == "success") & pl.col("published"))
        return built.sort("started_at").row(-1, named=True) if built.height else None

    def read_table(self, name: str) -> pl.DataFrame:
        """Every row of one mart."""
        with self.connect() as con:
            return con.sql(f'select * from main."{name}"').pl()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.location)!r}, target={self.target!r})"
