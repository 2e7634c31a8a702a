"""The Spark targets: where they write, whether they can run, and how their marts are read.

Three dbt targets build the same models on Spark (``SPARK_TARGETS``):

- ``spark``: dbt-spark runs Spark inside the dbt process (``method: session``,
  ``local[2]``);
- ``spark_thrift``: a Spark cluster's Thrift JDBC/ODBC server (``method: thrift``);
- ``spark_connect``: a Spark cluster's Spark Connect server (``method: session`` with
  ``spark.remote``).

Each writes under one folder, the *Spark warehouse* (``--spark-dir``, ``$BW_SPARK_DIR``,
default ``warehouse/<target>``):

- ``metastore_db/``, ``derby.log``, ``tables/`` (``spark`` only): the table catalog
  (embedded Derby), so a later build finds the tables of an earlier one (incremental
  models), and the seeds and other managed tables; a cluster keeps these itself;
- ``marts/<mart>/``: every mart as a folder of Parquet files (``location_root``), which is
  what the extracts and the parity check read, with DuckDB or polars, after Spark is gone
  (on a cluster, a folder its executors write and this machine reads);
- ``warehouse.runs.parquet``: the refresh history, as beside a DuckDB file.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb

from breach_warehouse.paths import PROJECT_DIR

SPARK_TARGETS = ("spark", "spark_thrift", "spark_connect")
DEFAULT_SPARK_DIR = PROJECT_DIR / "warehouse" / "spark"
MIN_JAVA = 17
INSTALL_HINT = (
    "install Java 17+ (Debian: apt-get install -y openjdk-17-jre-headless) and the Spark "
    "extra (.venv/bin/pip install -e '.[spark]', which brings pyspark and dbt-spark[session]); "
    "`make install system-deps` does both"
)
EXTRA_HINT = (
    "install the Spark extra (.venv/bin/pip install -e '.[spark]', which brings dbt-spark "
    "with its PyHive client and pyspark with its Spark Connect client); `make install` does it"
)
# What each target needs on this machine (module to import, package that brings it).
# The cluster targets are clients: Java runs on the cluster, not here.
CLIENT_MODULES = {
    "spark": (("pyspark", "pyspark"), ("dbt-spark", "dbt.adapters.spark")),
    "spark_thrift": (("dbt-spark", "dbt.adapters.spark"), ("PyHive", "pyhive.hive")),
    "spark_connect": (
        ("dbt-spark", "dbt.adapters.spark"),
        ("pyspark", "pyspark"),
        ("grpcio (pyspark[connect])", "grpc"),
    ),
}


class SparkUnavailableError(RuntimeError):
    """Spark cannot run here; the message says what to install."""


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


def find_java() -> str | None:
    """``$JAVA_HOME/bin/java`` when JAVA_HOME is set, else ``java`` on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("java")


def java_major_version(java: str) -> int | None:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


def check_spark_available(target: str = "spark") -> None:
    """Raise ``SparkUnavailableError`` at once when what ``target`` needs here is missing:
    pyspark, dbt-spark and Java for the in-process target, the client libraries for a
    cluster's."""
    missing = [name for name, module in CLIENT_MODULES[target] if _find_spec(module) is None]
    if missing:
        hint = INSTALL_HINT if target == "spark" else EXTRA_HINT
        raise SparkUnavailableError(f"{' and '.join(missing)} not installed: {hint}")
    if target == "spark":
        check_java()


def check_java() -> None:
    """Raise ``SparkUnavailableError`` unless Java 17+ runs here."""
    java = find_java()
    if java is None:
        raise SparkUnavailableError(
            f"no Java runtime (java not on PATH, JAVA_HOME unset): {INSTALL_HINT}"
        )
    version = java_major_version(java)
    if version is None:
        raise SparkUnavailableError(f"{java} -version did not run: {INSTALL_HINT}")
    if version < MIN_JAVA:
        raise SparkUnavailableError(
            f"{java} is Java {version}; Spark 4 needs Java {MIN_JAVA}+: {INSTALL_HINT}"
        )


def _find_spec(module: str) -> object | None:
    try:
        return importlib.util.find_spec(module)
    except ModuleNotFoundError:  # a missing parent package
        return None


def spark_env(spark_dir: Path) -> dict[str, str]:
    """Environment the Spark targets of profiles/profiles.yml read."""
    return {"BW_SPARK_DIR": str(spark_dir)}


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


def connect_marts(spark_dir: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose ``main`` schema has one view per mart of a Spark build
    (and the ``refresh_runs`` history), reading nothing outside the marts folder."""
    from breach_warehouse.runs import RUNS_TABLE, RunStore, write_runs_table

    marts = mart_paths(spark_dir)
    if not marts:
        raise FileNotFoundError(
            f"no Spark marts under {marts_dir(spark_dir)}: run "
            "`breach-warehouse refresh --target spark` (or spark_thrift, spark_connect) first"
        )
    con = duckdb.connect(":memory:")
    for name, folder in marts.items():
        con.execute(
            f'create view main."{name}" as select * from read_parquet({_literal(parquet_glob(folder))})'
        )
    history = RunStore(runs_key(spark_dir)).load()
    if history.height and RUNS_TABLE not in marts:
        write_runs_table(con, history)
    allowed = _literal(str(marts_dir(spark_dir)) + "/")
    con.execute(f"set allowed_directories = [{allowed}]")
    con.execute("set enable_external_access = false")
    return con


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
