"""The warehouse interface: every read of a built warehouse, and its publication, goes
through a ``Warehouse`` (a DuckDB file, ``DuckDBWarehouse``, or the folder a Spark build
wrote, ``SparkWarehouse``). It stands on the ground floor (``groundwork``) only."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from groundwork.runs import refresh_status
from warehouse_api.base import Warehouse
from warehouse_api.duckdb_file import DuckDBWarehouse
from warehouse_api.engine import WarehouseLockedError
from warehouse_api.spark_folder import SPARK_TARGETS, SparkWarehouse, is_spark_target

TARGETS = ("duckdb", *SPARK_TARGETS)

__all__ = [
    "SPARK_TARGETS",
    "TARGETS",
    "DuckDBWarehouse",
    "SparkWarehouse",
    "Warehouse",
    "WarehouseLockedError",
    "as_warehouse",
    "open_warehouse",
    "read_runs",
    "refresh_status",
]


def open_warehouse(location: str | os.PathLike[str], target: str = "duckdb") -> Warehouse:
    """The warehouse at ``location``: a DuckDB file, or a Spark build's folder."""
    if is_spark_target(target):
        return SparkWarehouse(Path(location), target)
    if target != "duckdb":
        raise ValueError(f"unknown target {target!r} (one of {', '.join(TARGETS)})")
    return DuckDBWarehouse(Path(location))


def as_warehouse(warehouse: Warehouse | str | os.PathLike[str]) -> Warehouse:
    """A ``Warehouse`` as given, or the DuckDB file at a path."""
    return warehouse if isinstance(warehouse, Warehouse) else DuckDBWarehouse(Path(warehouse))


def read_runs(location: str | os.PathLike[str], target: str = "duckdb") -> pl.DataFrame:
    """Every recorded refresh of the warehouse at ``location``, newest first."""
    return open_warehouse(location, target).runs()
