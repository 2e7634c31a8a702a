"""Arguments and output shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path

from groundwork.paths import resolve_db_path
from warehouse_api import SPARK_TARGETS, Warehouse, open_warehouse
from warehouse_api.spark_folder import is_spark_target, resolve_spark_dir


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="warehouse file (default $BW_DB_PATH or warehouse/breach_warehouse.duckdb)",
    )


def add_data_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="ingest data folder (default $BW_DATA_DIR or data/)",
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        choices=["duckdb", *SPARK_TARGETS],
        default="duckdb",
        help="engine: duckdb (default, the embedded file), spark (dbt-spark in-process; "
        "needs Java 17+), spark_thrift or spark_connect (a Spark cluster's Thrift or Spark "
        "Connect server; `make spark-cluster-up` starts one here)",
    )
    add_spark_dir_argument(parser)


def add_spark_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spark-dir",
        type=Path,
        default=None,
        help="with a Spark target: the Spark warehouse folder (marts as Parquet, run "
        "history; the in-process target's catalog and tables too; default $BW_SPARK_DIR or "
        "warehouse/<target>)",
    )


def resolve_warehouse(args: argparse.Namespace) -> Warehouse:
    """The warehouse ``--target`` names: the DuckDB file (``--db``) or the Spark folder
    (``--spark-dir``)."""
    target = getattr(args, "target", "duckdb")
    if is_spark_target(target):
        return open_warehouse(resolve_spark_dir(args.spark_dir, target), target)
    return open_warehouse(resolve_db_path(args.db))


def say(message: str) -> None:
    print(message, flush=True)
