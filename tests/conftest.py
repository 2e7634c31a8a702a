"""Shared fixtures: one warehouse built from the seeds for the whole session."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from breach_warehouse.refresh import RefreshSummary, refresh
from groundwork.paths import SEEDS_DIR
from warehouse_api.engine import open_read_only


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> RefreshSummary:
    """A warehouse built by `refresh` from the committed seeds, in a temp folder."""
    root = tmp_path_factory.mktemp("warehouse")
    return refresh(root / "breach_warehouse.duckdb", data_dir=root / "data")


@pytest.fixture(scope="session")
def warehouse_path(built_warehouse: RefreshSummary) -> Path:
    return built_warehouse.db_path


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The default warehouse on the real files of ../shared/data: the GDPR tracker export
    loaded by hand, then the default refresh (which loads every bundled snapshot the data
    folder lacks) from the command line. Returns (warehouse file, data folder)."""
    from breach_warehouse.cli import main
    from ingest.loader import load_source
    from tests import real_data as real

    real.require_shared()
    root = tmp_path_factory.mktemp("real")
    data, db = root / "data", root / "bw.duckdb"
    load_source("gdpr_fines", data_dir=data, path=real.TRACKER)
    assert main(["refresh", "--db", str(db), "--data-dir", str(data)]) == 0
    return db, data


@pytest.fixture()
def real_q(real_warehouse: tuple[Path, Path]):
    """A read-only query on the real-data warehouse, as a polars frame."""

    def run(sql: str, params: list[object] | None = None) -> pl.DataFrame:
        with open_read_only(real_warehouse[0]) as con:
            return con.sql(sql, params=params).pl()

    return run


@pytest.fixture(autouse=True, scope="module")
def _close_dashboard_connections() -> Iterator[None]:
    """The dashboard keeps one read-only connection per warehouse file open between
    calls; DuckDB then refuses any other configuration on that file in this process.
    Close them after each test module, so the next one can open the session's warehouse
    as it needs, in any order."""
    yield
    from dashboards import data

    data.close_connections()


# A generated warehouse large enough that the dashboard's listings cut: the busiest
# jurisdiction-years hold more than dashboard_top_n breaches and penalties, and the whole
# world more than any listing shows (a few thousand rows: about a minute to build).
GENERATED = {"breaches": 6_000, "penalties": 2_000, "actions": 800, "seed": 7}


@pytest.fixture(scope="session")
def generated_warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by `refresh` from the seeds plus `breach-warehouse generate` data."""
    from breach_warehouse.bench.generate import GenerateSpec, generate

    root = tmp_path_factory.mktemp("generated")
    generate(
        GenerateSpec(
            GENERATED["breaches"],
            GENERATED["penalties"],
            GENERATED["actions"],
            GENERATED["seed"],
            root / "data",
        )
    )
    return refresh(root / "breach_warehouse.duckdb", data_dir=root / "data").db_path


@pytest.fixture()
def q(warehouse_path: Path):
    """Run a query on a read-only connection, return a polars frame."""

    def run(sql: str, params: list[object] | None = None) -> pl.DataFrame:
        with open_read_only(warehouse_path) as con:
            return con.sql(sql, params=params).pl()

    return run


def read_seed(name: str) -> list[dict[str, str]]:
    """A seed CSV as the plain csv module reads it: an independent reading for checks."""
    with (SEEDS_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
