"""The Spark target: where it writes, whether it can run, and how its marts are read.

dbt-spark runs Spark inside the dbt process (``method: session``, ``local[2]``). Everything
the target writes stays under one folder, the *Spark warehouse* (``--spark-dir``,
``$BW_SPARK_DIR``, default ``warehouse/spark``):

- ``metastore_db/``, ``derby.log``: the table catalog (embedded Derby), so a later build
  finds the tables of an earlier one (incremental models);
- ``tables/``: seeds and other managed tables;
- ``marts/<mart>/``: every mart as a folder of Parquet files (``location_root``), which is
  what the extracts and the parity check read, with DuckDB or polars, after Spark is gone;
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

DEFAULT_SPARK_DIR = PROJECT_DIR / "warehouse" / "spark"
MIN_JAVA = 17
INSTALL_HINT = (
    "install Java 17+ (Debian: apt-get install -y openjdk-17-jre-headless) and the Spark "
    "extra (.venv/bin/pip install -e '.[spark]', which brings pyspark and dbt-spark[session]); "
    "`make install system-deps` does both"
)


class SparkUnavailableError(RuntimeError):
    """Spark cannot run here; the message says what to install."""


def resolve_spark_dir(spark_dir: str | os.PathLike[str] | None) -> Path:
    """The Spark warehouse folder: the given path, else $BW_SPARK_DIR, else the default."""
    if spark_dir is None:
        spark_dir = os.environ.get("BW_SPARK_DIR") or DEFAULT_SPARK_DIR
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


def check_spark_available() -> None:
    """Raise ``SparkUnavailableError`` at once when pyspark, dbt-spark or Java is missing."""
    missing = [
        name
        for name, module in (("pyspark", "pyspark"), ("dbt-spark", "dbt.adapters.spark"))
        if _find_spec(module) is None
    ]
    if missing:
        raise SparkUnavailableError(f"{' and '.join(missing)} not installed: {INSTALL_HINT}")
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
    """Environment the Spark target of profiles/profiles.yml reads."""
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
            "`breach-warehouse refresh --target spark` first"
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
