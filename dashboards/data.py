"""The dashboard's data access: the query files of ``dashboards/queries`` run with
parameters on the read-only connection of ``dashboards.warehouse``.

The pages never aggregate or list the raw fact tables per request: they read the small
marts dbt builds for them (``*_by_jurisdiction_year*``, ``agg_*``), rolled up into the
selected jurisdictions through ``dim_jurisdiction_hierarchy`` (the shared selection of
``queries/_selection.sql``), and every listing is bounded (the largest / latest
``LISTING_ROWS`` or ``ACTION_ROWS``). Only the Data page's CSV download reads fact rows,
at most ``DOWNLOAD_ROWS`` of them. Which marts the warehouse has comes from dbt's manifest
as the build recorded it (``agg_mart_catalog``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from dashboards import queries
from dashboards.datasets import DATASETS, dataset_of
from dashboards.last_refresh import last_refresh
from dashboards.warehouse import (
    WarehouseMissingError,
    _readers,
    clear_cache,
    close_connections,
    file_stamp,
    query,
    warehouse_problem,
)

__all__ = [
    "DATASETS",
    "WarehouseMissingError",
    "_readers",
    "clear_cache",
    "close_connections",
    "file_stamp",
    "last_refresh",
    "query",
    "warehouse_problem",
]

# Listing sizes: at most the var the listing marts are built with (dbt_project.yml
# dashboard_top_n, dashboard_top_n_actions), so the top N of a selection is in the mart.
LISTING_ROWS = 25
ACTION_ROWS = 100
AUTHORITY_ROWS = 15  # bars of the amounts-by-authority chart
PREVIEW_ROWS = 25  # the Data page's preview
DOWNLOAD_ROWS = 50_000  # the Data page's CSV download


def run(db_path: Path, name: str, **values: Any) -> pl.DataFrame:
    """The rows of query file ``name`` with the parameters it takes from ``values``."""
    found = queries.load(name)
    return query(db_path, found.sql, found.bind(values))


def selection_params(codes: Sequence[str], years: Sequence[int]) -> dict[str, Any]:
    """The shared selection's parameters: the codes, the first and the last year."""
    return {"codes": list(codes), "first_year": int(min(years)), "last_year": int(max(years))}


def _count(frame: pl.DataFrame, column: str = "n") -> int:
    value = frame[column][0] if frame.height else None
    return int(value or 0)


# --- reference data ---------------------------------------------------------------------


def jurisdictions(db_path: Path) -> pl.DataFrame:
    """Every jurisdiction: code, name, level, country, ISO alpha-3, population."""
    return run(db_path, "jurisdictions")


def action_types(db_path: Path) -> list[str]:
    return run(db_path, "action_types")["action_type"].to_list()


# --- Compare ----------------------------------------------------------------------------


def metric_series(db_path: Path, codes: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """agg_jurisdiction_year_metrics rows of the given jurisdictions and years."""
    return run(
        db_path, "jurisdiction_metrics", **selection_params(codes, years), levels=[], row_limit=None
    )


def level_metrics(db_path: Path, levels: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """agg_jurisdiction_year_metrics rows of every jurisdiction at the given levels."""
    return run(
        db_path,
        "jurisdiction_metrics",
        **selection_params([], years),
        levels=list(levels),
        row_limit=None,
    )


# --- Breaches ---------------------------------------------------------------------------


def largest_breaches(
    db_path: Path,
    codes: Sequence[str],
    years: Sequence[int],
    include_uncounted: bool = False,
    limit: int = LISTING_ROWS,
) -> pl.DataFrame:
    """The largest breaches of the selection by records exposed (at most ``limit``, which
    is capped at LISTING_ROWS), with their source."""
    return run(
        db_path,
        "largest_breaches",
        **selection_params(codes, years),
        include_uncounted=bool(include_uncounted),
        row_limit=min(int(limit), LISTING_ROWS),
    )


def largest_breaches_per_status(
    db_path: Path, codes: Sequence[str], years: Sequence[int]
) -> pl.DataFrame:
    """The LISTING_ROWS largest counted breaches of the selection and the LISTING_ROWS
    largest others (alleged or excluded), largest first, from one scan: the counted ones
    for the chart, the first LISTING_ROWS of all for a table that includes the others."""
    return run(
        db_path,
        "largest_breaches_per_status",
        **selection_params(codes, years),
        row_limit=LISTING_ROWS,
    )


def breach_counts(db_path: Path, codes: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """Breaches and records exposed of the selection per year, breach type and is_counted."""
    return run(db_path, "breach_counts", **selection_params(codes, years))


def breach_records_by_type(
    db_path: Path, codes: Sequence[str], years: Sequence[int], include_uncounted: bool = False
) -> pl.DataFrame:
    """Records exposed per data type in the selection's breaches, largest first."""
    return run(
        db_path,
        "breach_records_by_type",
        **selection_params(codes, years),
        include_uncounted=bool(include_uncounted),
    )


# --- Fines & settlements ----------------------------------------------------------------


def _currency(currency: str) -> str:
    """USD, EUR, or USD_CONSTANT (constant dollars of the CPI-U base year)."""
    return currency if currency in ("EUR", "USD_CONSTANT") else "USD"


def largest_penalties(
    db_path: Path,
    codes: Sequence[str],
    years: Sequence[int],
    currency: str = "USD",
    include_history: bool = True,
    limit: int = LISTING_ROWS,
) -> pl.DataFrame:
    """The largest current decisions of the selection by amount in ``currency`` (at most
    ``limit``, capped at LISTING_ROWS), largest first, each followed on request by its
    earlier versions in the selection (chain_id: the first version)."""
    return run(
        db_path,
        "largest_penalties",
        **selection_params(codes, years),
        currency=_currency(currency),
        include_history=bool(include_history),
        row_limit=min(int(limit), LISTING_ROWS),
    )


def penalty_counts(db_path: Path, codes: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """Decisions of the selection and their totals, current and superseded (is_current)."""
    return run(db_path, "penalty_counts", **selection_params(codes, years))


def penalties_by_authority(
    db_path: Path,
    codes: Sequence[str],
    years: Sequence[int],
    currency: str = "USD",
    limit: int = AUTHORITY_ROWS,
) -> pl.DataFrame:
    """Current decisions and their total in ``currency`` per authority and colour key (the
    country, else the jurisdiction) for the ``limit`` authorities with the largest totals."""
    return run(
        db_path,
        "penalties_by_authority",
        **selection_params(codes, years),
        currency=_currency(currency),
        row_limit=int(limit),
    )


# --- Regulatory actions -----------------------------------------------------------------


def latest_actions(
    db_path: Path,
    codes: Sequence[str],
    types: Sequence[str],
    years: Sequence[int],
    limit: int = ACTION_ROWS,
) -> pl.DataFrame:
    """The latest regulatory actions of the selection (all types when ``types`` is empty;
    at most ``limit``, capped at ACTION_ROWS), latest first, with the organizations each
    names."""
    return run(
        db_path,
        "latest_actions",
        **selection_params(codes, years),
        types=list(types),
        row_limit=min(int(limit), ACTION_ROWS),
    )


def action_count(
    db_path: Path, codes: Sequence[str], types: Sequence[str], years: Sequence[int]
) -> int:
    """Regulatory actions of the selection."""
    return _count(run(db_path, "action_count", **selection_params(codes, years), types=list(types)))


# --- Data page --------------------------------------------------------------------------

_MART_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def marts(db_path: Path) -> pl.DataFrame:
    """The warehouse's marts (mart, mart_folder, is_fact_table) as dbt's manifest listed
    them when the warehouse was built."""
    return run(db_path, "mart_catalog")


def mart_row_counts(db_path: Path) -> pl.DataFrame:
    """Rows per mart: the fact marts' from agg_fact_rows_by_mart, the others (small)
    counted. A mart's name is a table name, which cannot be a parameter: only names of
    the catalog, and only plain ones, are written into the SQL."""
    catalog = marts(db_path)
    names = catalog["mart"].to_list()
    others = catalog.filter(~pl.col("is_fact_table"))["mart"].to_list()
    for name in others:
        if not _MART_NAME.fullmatch(name):
            raise ValueError(f"agg_mart_catalog: {name!r} is not a plain table name")
    rows = dict(run(db_path, "fact_rows_by_mart").iter_rows())
    if others:
        counted = " union all ".join(
            f"select ? as mart, count(*) as row_count from main.{name}" for name in others
        )
        rows |= dict(query(db_path, counted, others).iter_rows())
    return pl.DataFrame(
        {"mart": names, "row_count": [int(rows.get(name) or 0) for name in names]},
        schema={"mart": pl.String, "row_count": pl.Int64},
    )


def fact_date_ranges(db_path: Path) -> pl.DataFrame:
    """First and last date of the breaches, penalties and regulatory actions."""
    return run(db_path, "fact_date_ranges")


def sources(db_path: Path) -> pl.DataFrame:
    """Every source with the number of fact rows citing it."""
    return run(db_path, "sources")


def _dataset_values(codes: Sequence[str], years: Sequence[int], row_limit: int) -> dict[str, Any]:
    return {**selection_params(codes, years), "row_limit": row_limit}


def dataset_rows(db_path: Path, name: str, codes: Sequence[str], years: Sequence[int]) -> int:
    """How many rows a dataset has for the filters (from the aggregates, not the facts)."""
    found = dataset_of(name)
    return _count(run(db_path, found.count, **found.fixed, **selection_params(codes, years)))


def dataset_preview(
    db_path: Path, name: str, codes: Sequence[str], years: Sequence[int]
) -> pl.DataFrame:
    """The first PREVIEW_ROWS rows of a dataset, from the listing marts where the dataset
    is fact rows (the largest breaches; the largest current decisions with their earlier
    amounts; the latest actions)."""
    found = dataset_of(name)
    values = _dataset_values(codes, years, PREVIEW_ROWS)
    frame = run(db_path, found.preview or found.rows, **found.fixed, **values)
    return frame.drop(*found.preview_drop).head(PREVIEW_ROWS)


def dataset(
    db_path: Path,
    name: str,
    codes: Sequence[str],
    years: Sequence[int],
    limit: int = DOWNLOAD_ROWS,
) -> pl.DataFrame:
    """The filtered data behind a page's charts as the CSV download gives it: at most
    ``limit`` rows (capped at DOWNLOAD_ROWS), in the dataset's order. The whole of a table
    is for ``breach-warehouse extract`` or ``breach-warehouse sql``."""
    found = dataset_of(name)
    values = _dataset_values(codes, years, min(int(limit), DOWNLOAD_ROWS))
    return run(db_path, found.rows, **found.fixed, **values)
