"""Arguments and output shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path


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
        choices=["duckdb", "spark"],
        default="duckdb",
        help="engine: duckdb (default, the embedded file) or spark (dbt-spark; needs Java 17+)",
    )
    parser.add_argument(
        "--spark-dir",
        type=Path,
        default=None,
        help="with --target spark: the Spark warehouse folder (catalog, tables, marts as "
        "Parquet; default $BW_SPARK_DIR or warehouse/spark)",
    )


def say(message: str) -> None:
    print(message, flush=True)
