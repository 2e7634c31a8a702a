"""A warehouse a Spark build wrote: one folder (``--spark-dir``, ``$BW_SPARK_DIR``, default
``warehouse/<target>``) holding

- ``metastore_db/``, ``derby.log``, ``tables/`` (in-process ``spark`` target only): the
  table catalog (embedded Derby) and the managed tables; a cluster keeps these itself;
- ``marts/<mart>/``: every mart as a folder of Parquet files (``location_root``), which is
  what the extracts and the parity check read, with DuckDB or polars, after Spark is gone;
- ``build_fingerprint``: the project fingerprint of the last successful build;
- ``warehouse.runs.parquet``: the refresh history, as beside a DuckDB file.

Spark builds its tables in place, so there is no build file to rename: publishing records
the fingerprint of the finished build, and there are no stale builds to remove.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from groundwork.atomic import atomic_write_text
from groundwork.paths import PROJECT_DIR
from groundwork.runs import RUNS_TABLE, RunStore
from warehouse_api.base import Warehouse
from warehouse_api.engine import Connection, open_memory

SPARK_TARGETS = ("spark", "spark_thrift", "spark_connect")
DEFAULT_SPARK_DIR = PROJECT_DIR / "warehouse" / "spark"
FINGERPRINT_FILE = "build_fingerprint"


def is_spark_target(target: str) -> bool:
    return target in SPARK_TARGETS


def default_spark_dir(target: str = "spark") -> Path:
    """``warehouse/spark`` for the in-process target, ``warehouse/<target>`` for a cluster
    (each target has its own catalog, so its own warehouse folder)."""
    return DEFAULT_SPARK_DIR.with_name(target)


def resolve_spark_dir(spark_dir: str | os.PathLike[str] | None, target: str = "spark") -> Path:
    """The Spark warehouse folder: the given path, else $BW_SPARK_DIR, else the target's
    default."""
    if spark_dir is None:
        spark_dir = os.environ.get("BW_SPARK_DIR") or default_spark_dir(target)
    return Path(spark_dir).expanduser().resolve()


def marts_dir(spark_dir: Path) -> Path:
    return spark_dir / "marts"


def runs_key(spark_dir: Path) -> Path:
    """The path the run history and the refresh lock are named after (no such file)."""
    return spark_dir / "warehouse"


def mart_paths(spark_dir: Path) -> dict[str, Path]:
    """Every mart a Spark build wrote, by name: folders of Parquet files."""
    root = marts_dir(spark_dir)
    if not root.is_dir():
        return {}
    return {
        p.name: p
        for p in sorted(root.iterdir())
        if p.is_dir() and not p.name.startswith((".", "_")) and any(p.glob("*.parquet"))
    }


def parquet_glob(folder: Path) -> str:
    return str(folder / "*.parquet")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class SparkWarehouse(Warehouse):
    def __init__(self, folder: Path, target: str = "spark") -> None:
        if not is_spark_target(target):
            raise ValueError(f"{target!r} is not a Spark target ({', '.join(SPARK_TARGETS)})")
        self.location = Path(folder)
        self.target = target

    @property
    def runs_key(self) -> Path:
        return runs_key(self.location)

    def exists(self) -> bool:
        return bool(mart_paths(self.location))

    def connect(self) -> Connection:
        """A DuckDB connection whose ``main`` schema has one view per mart (and the
        ``refresh_runs`` history), reading nothing outside the marts folder."""
        marts = mart_paths(self.location)
        if not marts:
            raise FileNotFoundError(
                f"no Spark marts under {marts_dir(self.location)}: run "
                "`breach-warehouse refresh --target spark` (or spark_thrift, spark_connect) first"
            )
        con = open_memory()
        for name, folder in marts.items():
            con.execute(
                f'create view main."{name}" as '
                f"select * from read_parquet({_literal(parquet_glob(folder))})"
            )
        history = RunStore(self.runs_key).load()
        if history.height and RUNS_TABLE not in marts:
            con.register("refresh_runs_history", history.to_arrow())
            con.execute(
                f"create table main.{RUNS_TABLE} as "
                "select * from refresh_runs_history order by started_at"
            )
            con.unregister("refresh_runs_history")
        allowed = _literal(str(marts_dir(self.location)) + "/")
        con.execute(f"set allowed_directories = [{allowed}]")
        con.execute("set enable_external_access = false")
        return con

    def tables(self) -> list[str]:
        return [name for name in mart_paths(self.location) if name != RUNS_TABLE]

    def row_counts(self) -> dict[str, int]:
        """Row counts of every mart, read from its Parquet files."""
        return {
            name: int(pl.scan_parquet(parquet_glob(folder)).select(pl.len()).collect().item())
            for name, folder in mart_paths(self.location).items()
        }

    def read_table(self, name: str) -> pl.DataFrame:
        return pl.read_parquet(parquet_glob(marts_dir(self.location) / name))

    def fingerprint(self) -> str | None:
        path = self.location / FINGERPRINT_FILE
        return path.read_text().strip() if path.exists() else None

    def stamp(self, build: Path, fingerprint: str, history: pl.DataFrame) -> None:
        """The fingerprint goes in a file beside the marts; the history stays in the store."""
        self._check_in_place(build)
        atomic_write_text(self.location / FINGERPRINT_FILE, fingerprint + "\n")

    def publish(self, build: Path) -> None:
        """Spark replaced each mart in place as its model finished: nothing to rename."""
        self._check_in_place(build)

    def remove_stale_builds(self) -> list[Path]:
        """A Spark build leaves no build file beside the warehouse: nothing to remove."""
        return []

    def _check_in_place(self, build: Path) -> None:
        if Path(build) != self.location:
            raise ValueError(f"a Spark build is made in place: {build} is not {self.location}")
