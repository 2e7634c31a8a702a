"""The Spark targets: which there are, and whether they can run here.

Three dbt targets build the same models on Spark (``SPARK_TARGETS``):

- ``spark``: dbt-spark runs Spark inside the dbt process (``method: session``,
  ``local[2]``);
- ``spark_thrift``: a Spark cluster's Thrift JDBC/ODBC server (``method: thrift``);
- ``spark_connect``: a Spark cluster's Spark Connect server (``method: session`` with
  ``spark.remote``).

Each writes under one folder, the *Spark warehouse* (``warehouse_api.spark_folder``:
its layout, and how its marts are read once Spark is gone). This package holds what runs
Spark: whether a target can run here (below), the refresh (``refresh``) and a local
standalone cluster (``cluster``, ``cluster_config``).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

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
