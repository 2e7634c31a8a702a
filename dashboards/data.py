"""The dashboard's only data access: parameterized SQL on the marts, read-only.

The pages never aggregate or list the raw fact tables per request: they read the small
marts dbt builds for them (``*_by_jurisdiction_year*``, ``fact_rows_by_mart_source``),
rolled up into the selected jurisdictions through ``dim_jurisdiction_hierarchy``, and every
listing is bounded (the largest / latest ``LISTING_ROWS`` or ``ACTION_ROWS``). Only the
Data page's CSV download reads fact rows, at most ``DOWNLOAD_ROWS`` of them.

One read-only DuckDB connection is kept per published version of the warehouse file,
identified by (device, inode, mtime, size) of the path, and each query runs on its own
cursor of it (thread safe). A refresh publishes a new warehouse by renaming it over the
served path: the next query sees a new stamp, waits for queries still reading the old
version, closes it and opens the new file, without a restart. Results are cached per
version too. The SQL text is fixed; user choices only ever travel as parameters.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from dashboards import status
from dashboards.metrics import METRIC_COLUMNS
from warehouse_api import DuckDBWarehouse, WarehouseLockedError, read_runs, refresh_status

MARTS: tuple[str, ...] = (
    "dim_jurisdictions",
    "dim_jurisdiction_hierarchy",
    "dim_jurisdiction_populations",
    "dim_cpi_deflators",
    "dim_organizations",
    "dim_sources",
    "fct_breaches",
    "fct_breach_records",
    "fct_penalties",
    "fct_regulatory_actions",
    "bridge_regulatory_action_targets",
    "agg_jurisdiction_year_metrics",
    "agg_breaches_by_jurisdiction_year_type",
    "agg_breach_records_by_jurisdiction_year_type",
    "agg_largest_breaches_by_jurisdiction_year",
    "agg_penalties_by_authority_year",
    "agg_largest_penalties_by_jurisdiction_year",
    "agg_regulatory_actions_by_jurisdiction_year_type",
    "agg_latest_regulatory_actions_by_jurisdiction_year_type",
    "fact_rows_by_mart_source",
    "agg_organization_groups_by_jurisdiction_year",
    "source_reconciliation",
    "source_coverage",
    "breach_link_review",
    "quarantine",
)
# Fact marts whose row counts come from fact_rows_by_mart_source instead of a count(*).
FACT_MARTS: tuple[str, ...] = (
    "fct_breaches",
    "fct_breach_records",
    "fct_penalties",
    "fct_regulatory_actions",
    "bridge_regulatory_action_targets",
)

# Listing sizes: at most the var the listing marts are built with (dbt_project.yml
# dashboard_top_n, dashboard_top_n_actions), so the top N of a selection is in the mart.
LISTING_ROWS = 25
ACTION_ROWS = 100
AUTHORITY_ROWS = 15  # bars of the amounts-by-authority chart
PREVIEW_ROWS = 25  # the Data page's preview
DOWNLOAD_ROWS = 50_000  # the Data page's CSV download

Stamp = tuple[int, int, int, int]
_CACHE_SIZE = 256
_cache: OrderedDict[tuple[Any, ...], pl.DataFrame] = OrderedDict()
_lock = threading.Lock()


class WarehouseMissingError(FileNotFoundError):
    """No warehouse file at the configured path."""


def file_stamp(db_path: Path) -> Stamp:
    """What identifies one published version of the warehouse file."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError as exc:
        raise WarehouseMissingError(
            f"no warehouse at {db_path}: run `breach-warehouse refresh` first"
        ) from exc
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


# --- connections ------------------------------------------------------------------------


@dataclass
class _Reader:
    """The read-only connection to one version of a warehouse file."""

    stamp: Stamp
    connection: duckdb.DuckDBPyConnection
    in_use: int = 0


_readers: dict[str, _Reader] = {}
_readers_changed = threading.Condition()
_OPEN_ATTEMPTS = 5


def _open(db_path: Path) -> _Reader:
    """A read-only connection and the stamp of the file it opened: the stamp is taken
    before and after connecting, and must agree (no rename in between)."""
    for _ in range(_OPEN_ATTEMPTS):
        before = file_stamp(db_path)
        try:
            connection = DuckDBWarehouse(db_path).connect()
        except WarehouseLockedError as exc:  # said once; the next query tries again
            status.report_locked(db_path, str(exc))
            raise
        status.report_opened(db_path)
        if file_stamp(db_path) == before:
            return _Reader(before, connection)
        connection.close()
    raise RuntimeError(f"{db_path} keeps changing; cannot open it")


@contextmanager
def _cursor(db_path: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, Stamp]]:
    """A cursor on the connection to the current version of ``db_path``, with its stamp.

    DuckDB shares one database instance per path within a process, so a new version can
    only be opened once every connection to the old one is closed: a stale reader is
    closed as soon as the queries still running on it have finished."""
    key = str(db_path)
    with _readers_changed:
        while True:
            reader = _readers.get(key)
            if reader is None:
                reader = _readers[key] = _open(db_path)
                break
            if reader.stamp == file_stamp(db_path):
                break
            if reader.in_use:
                _readers_changed.wait()
                continue
            reader.connection.close()
            del _readers[key]
        reader.in_use += 1
        cursor = reader.connection.cursor()
    try:
        yield cursor, reader.stamp
    finally:
        with _readers_changed:  # cursors open and close under the lock, like the reader
            cursor.close()
            reader.in_use -= 1
            _readers_changed.notify_all()


def warehouse_problem(db_path: Path) -> str | None:
    """Why the warehouse cannot be read now (missing, or locked by another process), or
    None when a query can run."""
    try:
        with _cursor(db_path):
            return None
    except (WarehouseLockedError, WarehouseMissingError) as exc:
        return str(exc)


def close_connections() -> None:
    """Close every idle warehouse connection (tests; a server shutting down)."""
    with _readers_changed:
        for key, reader in list(_readers.items()):
            if not reader.in_use:
                reader.connection.close()
                del _readers[key]


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def query(db_path: Path, sql: str, params: Sequence[Any] = ()) -> pl.DataFrame:
    """Run fixed SQL with parameters on a cursor of the warehouse's read-only connection,
    cached per warehouse version. Polars frames are immutable, so sharing cached ones is
    safe."""
    frozen = _freeze(list(params))
    stamp = file_stamp(db_path)
    key = (str(db_path), stamp, sql, frozen)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    with _cursor(db_path) as (cursor, read_stamp):
        frame = cursor.sql(sql, params=list(params)).pl()
    with _lock:
        _cache[(str(db_path), read_stamp, sql, frozen)] = frame
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return frame


def clear_cache() -> None:
    with _lock:
        _cache.clear()


# --- reference data ---------------------------------------------------------------------

LEVEL_ORDER = "case jurisdiction_level when 'world' then 0 when 'supranational' then 1 when 'region' then 2 when 'country' then 3 else 4 end"


def jurisdictions(db_path: Path) -> pl.DataFrame:
    """Every jurisdiction: code, name, level, country, ISO alpha-3, population."""
    return query(
        db_path,
        "select jurisdiction_code, jurisdiction_name, jurisdiction_level, parent_code, "
        "country_code, iso_alpha3, population from dim_jurisdictions "
        f"order by {LEVEL_ORDER}, jurisdiction_name",
    )


def action_types(db_path: Path) -> list[str]:
    frame = query(
        db_path,
        "select distinct action_type from agg_regulatory_actions_by_jurisdiction_year_type "
        "order by action_type",
    )
    return frame["action_type"].to_list()


# --- Compare ----------------------------------------------------------------------------

_METRIC_SELECT = ", ".join(f"m.{c}::double as {c}" for c in METRIC_COLUMNS)
# The population each row's per-million figures divide by, and where it comes from.
_POPULATION = "m.population, m.population_basis, m.population_year, m.population_source_id"


def metric_series(db_path: Path, codes: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """agg_jurisdiction_year_metrics rows of the given jurisdictions and years."""
    return query(
        db_path,
        "select m.jurisdiction_code, m.jurisdiction_name, m.jurisdiction_level, m.year, "
        f"{_POPULATION}, j.iso_alpha3, {_METRIC_SELECT} "
        "from agg_jurisdiction_year_metrics m join dim_jurisdictions j using (jurisdiction_code) "
        "where list_contains(?, m.jurisdiction_code) and m.year between ? and ? "
        "order by m.jurisdiction_code, m.year",
        [list(codes), int(years[0]), int(years[1])],
    )


def level_metrics(db_path: Path, levels: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """agg_jurisdiction_year_metrics rows of every jurisdiction at the given levels."""
    return query(
        db_path,
        "select m.jurisdiction_code, m.jurisdiction_name, m.jurisdiction_level, m.year, "
        f"{_POPULATION}, j.iso_alpha3, {_METRIC_SELECT} "
        "from agg_jurisdiction_year_metrics m join dim_jurisdictions j using (jurisdiction_code) "
        "where list_contains(?, m.jurisdiction_level) and m.year between ? and ? "
        "order by m.jurisdiction_code, m.year",
        [list(levels), int(years[0]), int(years[1])],
    )


# --- selections -------------------------------------------------------------------------

# A row is in the selection when its own jurisdiction rolls up into a selected one (US
# includes Illinois; the EU includes a member state for the years it was a member) in a
# selected year: the (jurisdiction, year) pairs of SELECTION, a few thousand at most, which
# the marts' rows semi-join. Its parameters: first year, last year, selected codes.
SELECTION = (
    "selection as (select distinct h.jurisdiction_code, y.year "
    "from dim_jurisdiction_hierarchy h cross join range(?, ? + 1) as y(year) "
    "where list_contains(?, h.rollup_code) "
    "and (h.member_from_year is null or y.year >= h.member_from_year) "
    "and (h.member_to_year is null or y.year <= h.member_to_year))"
)


def _in_selection(year: str, alias: str = "f") -> str:
    """The join keeping the rows of ``alias`` whose jurisdiction and ``year`` are selected."""
    return (
        f"semi join selection on selection.jurisdiction_code = {alias}.jurisdiction_code "
        f"and selection.year = {alias}.{year} "
    )


_SOURCE_COLUMNS = "s.source_title, s.publisher, s.source_url"


def selection_params(codes: Sequence[str], years: Sequence[int]) -> list[Any]:
    return [int(min(years)), int(max(years)), list(codes)]


def _count(frame: pl.DataFrame, column: str) -> int:
    value = frame[column][0] if frame.height else None
    return int(value or 0)


# --- Breaches ---------------------------------------------------------------------------

_BREACH_COLUMNS = (
    "f.breach_id, f.organization_name, f.jurisdiction_code, j.jurisdiction_name, "
    "f.country_code, f.reported_on, f.reported_label, f.breach_year, f.records_exposed, "
    "f.records_unit, f.breach_type, f.is_alleged, f.is_excluded, f.is_counted, "
    f"f.breach_description, f.source_id, {_SOURCE_COLUMNS}"
)
_BREACH_ORDER = "order by f.records_exposed desc nulls last, f.reported_on, f.breach_id"


# The selection's listed breaches (counted only unless the 4th parameter is true), largest
# first, at most the 5th parameter.
_LISTED_BREACH_ROWS = (
    f"with {SELECTION} select {_BREACH_COLUMNS} "
    "from agg_largest_breaches_by_jurisdiction_year f "
    + _in_selection("breach_year")
    + "join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
    "left join dim_sources s on s.source_id = f.source_id "
    f"where (? or f.is_counted) {_BREACH_ORDER} limit ?"
)


# The fact tables keep organization ids only: a download picks its rows first (CTE
# `picked`), then names them from dim_organizations, a join over the picked rows only.
_NAME_PICKED = (
    "f as (select picked.*, o.organization_name from picked "
    "left join dim_organizations o on o.organization_id = picked.organization_id) "
)

_FACT_BREACH_ROWS = (
    f"with {SELECTION}, picked as (select f.* from fct_breaches f "
    + _in_selection("breach_year")
    + f"where (? or f.is_counted) {_BREACH_ORDER} limit ?), "
    + _NAME_PICKED
    + f"select {_BREACH_COLUMNS} from f "
    "join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
    f"left join dim_sources s on s.source_id = f.source_id {_BREACH_ORDER}"
)


def largest_breaches(
    db_path: Path,
    codes: Sequence[str],
    years: Sequence[int],
    include_uncounted: bool = False,
    limit: int = LISTING_ROWS,
) -> pl.DataFrame:
    """The largest breaches of the selection by records exposed (at most ``limit``, which
    is capped at LISTING_ROWS), with their source."""
    return query(
        db_path,
        _LISTED_BREACH_ROWS,
        [
            *selection_params(codes, years),
            bool(include_uncounted),
            min(int(limit), LISTING_ROWS),
        ],
    )


def largest_breaches_per_status(
    db_path: Path, codes: Sequence[str], years: Sequence[int]
) -> pl.DataFrame:
    """The LISTING_ROWS largest counted breaches of the selection and the LISTING_ROWS
    largest others (alleged or excluded), largest first, from one scan: the counted ones
    for the chart, the first LISTING_ROWS of all for a table that includes the others."""
    return query(
        db_path,
        f"with {SELECTION}, candidates as materialized ("
        f"select {_BREACH_COLUMNS} from agg_largest_breaches_by_jurisdiction_year f "
        + _in_selection("breach_year")
        + "join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
        "left join dim_sources s on s.source_id = f.source_id) "
        f"select * from ((select * from candidates f where f.is_counted {_BREACH_ORDER} "
        f"limit ?) union all (select * from candidates f where not f.is_counted "
        f"{_BREACH_ORDER} limit ?)) f {_BREACH_ORDER}",
        [*selection_params(codes, years), LISTING_ROWS, LISTING_ROWS],
    )


def breach_counts(db_path: Path, codes: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """Breaches and records exposed of the selection per year, breach type and is_counted."""
    return query(
        db_path,
        f"with {SELECTION} select f.breach_year, f.breach_type, f.is_counted, "
        "sum(f.breaches)::bigint as breaches, sum(f.records_exposed)::bigint as records_exposed "
        "from agg_breaches_by_jurisdiction_year_type f "
        + _in_selection("breach_year")
        + "group by all order by f.breach_year, f.breach_type, f.is_counted",
        selection_params(codes, years),
    )


def breach_records_by_type(
    db_path: Path, codes: Sequence[str], years: Sequence[int], include_uncounted: bool = False
) -> pl.DataFrame:
    """Records exposed per data type in the selection's breaches, largest first."""
    return query(
        db_path,
        f"with {SELECTION} select f.data_type, sum(f.records)::bigint as records, "
        "sum(f.breaches)::bigint as breaches "
        "from agg_breach_records_by_jurisdiction_year_type f "
        + _in_selection("breach_year")
        + "where (? or f.is_counted) group by f.data_type order by records desc, f.data_type",
        [*selection_params(codes, years), bool(include_uncounted)],
    )


# --- Fines & settlements ----------------------------------------------------------------

_PENALTY_COLUMNS = (
    "f.penalty_id, f.penalty_kind, f.status, f.is_current, f.authority, "
    "f.jurisdiction_code, j.jurisdiction_name, f.country_code, f.organization_name, "
    "f.breach_id, f.legal_basis, f.announced_on, f.announced_label, f.penalty_year, "
    "f.amount::double as amount, f.currency, f.amount_usd::double as amount_usd, "
    "f.amount_eur::double as amount_eur, f.amount_usd_constant::double as amount_usd_constant, "
    "f.supersedes_penalty_id, f.figure_as_stated, "
    f"f.penalty_description, f.source_id, {_SOURCE_COLUMNS}"
)
_PENALTY_JOINS = (
    "join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
    "left join dim_sources s on s.source_id = f.source_id "
)


def _currency(currency: str) -> str:
    """USD, EUR, or USD_CONSTANT (constant dollars of the CPI-U base year)."""
    return currency if currency in ("EUR", "USD_CONSTANT") else "USD"


# The amount of a penalty row in the money _currency names (its parameter).
_AMOUNT = (
    "case ? when 'EUR' then f.amount_eur when 'USD_CONSTANT' then f.amount_usd_constant "
    "else f.amount_usd end"
)


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
    return query(
        db_path,
        f"with {SELECTION}, listed as ("
        "select f.current_penalty_id, "
        f"{_AMOUNT} as listed_amount, "
        "f.announced_on as listed_on "
        "from agg_largest_penalties_by_jurisdiction_year f "
        + _in_selection("penalty_year")
        + "where f.versions_back = 0 "
        "order by listed_amount desc nulls last, f.announced_on, f.penalty_id limit ?) "
        f"select {_PENALTY_COLUMNS}, f.chain_id, f.current_penalty_id, f.versions_back "
        "from agg_largest_penalties_by_jurisdiction_year f "
        "join listed l on l.current_penalty_id = f.current_penalty_id "
        "left join selection on selection.jurisdiction_code = f.jurisdiction_code "
        "and selection.year = f.penalty_year "
        f"{_PENALTY_JOINS}"
        "where f.versions_back = 0 or (? and selection.year is not null) "
        "order by l.listed_amount desc nulls last, l.listed_on, l.current_penalty_id, "
        "f.versions_back",
        [
            *selection_params(codes, years),
            _currency(currency),
            min(int(limit), LISTING_ROWS),
            bool(include_history),
        ],
    )


def penalty_counts(db_path: Path, codes: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """Decisions of the selection and their totals, current and superseded (is_current)."""
    return query(
        db_path,
        f"with {SELECTION} select f.is_current, sum(f.decisions)::bigint as decisions, "
        "sum(f.amount_usd)::double as amount_usd, sum(f.amount_eur)::double as amount_eur, "
        "sum(f.amount_usd_constant)::double as amount_usd_constant "
        "from agg_penalties_by_authority_year f "
        + _in_selection("penalty_year")
        + "group by f.is_current order by f.is_current desc",
        selection_params(codes, years),
    )


def penalties_by_authority(
    db_path: Path,
    codes: Sequence[str],
    years: Sequence[int],
    currency: str = "USD",
    limit: int = AUTHORITY_ROWS,
) -> pl.DataFrame:
    """Current decisions and their total in ``currency`` per authority and colour key (the
    country, else the jurisdiction) for the ``limit`` authorities with the largest totals."""
    return query(
        db_path,
        f"with {SELECTION}, totals as ("
        "select f.authority, coalesce(f.country_code, f.jurisdiction_code) as color_code, "
        "sum(f.decisions)::bigint as decisions, "
        f"sum({_AMOUNT})::double as total "
        "from agg_penalties_by_authority_year f "
        + _in_selection("penalty_year")
        + "where f.is_current group by all), "
        "ranked as (select authority, dense_rank() over (order by authority_total desc, "
        "authority nulls last) as authority_rank from ("
        "select authority, sum(total) as authority_total from totals group by authority)) "
        "select t.authority, t.color_code, t.decisions, t.total from totals t "
        "join ranked r on r.authority is not distinct from t.authority "
        "where r.authority_rank <= ? order by r.authority_rank, t.total desc, t.color_code",
        [*selection_params(codes, years), _currency(currency), int(limit)],
    )


# --- Regulatory actions -----------------------------------------------------------------


def _action_columns(targets: str) -> str:
    return (
        "f.action_id, f.action_type, f.title, f.authority, f.jurisdiction_code, "
        "j.jurisdiction_name, f.country_code, f.action_on, f.action_label, f.action_year, "
        f"f.status, f.description, {targets} as targets, f.source_id, {_SOURCE_COLUMNS}"
    )


# The action-type filter (all types when the list is empty); parameters: types, types.
_ACTION_TYPES = "(len(?) = 0 or list_contains(?, f.action_type))"


def _action_params(codes: Sequence[str], types: Sequence[str], years: Sequence[int]) -> list[Any]:
    return [*selection_params(codes, years), list(types), list(types)]


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
    return query(
        db_path,
        f"with {SELECTION} select {_action_columns('f.targets')} "
        "from agg_latest_regulatory_actions_by_jurisdiction_year_type f "
        + _in_selection("action_year")
        + "join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
        "left join dim_sources s on s.source_id = f.source_id "
        f"where {_ACTION_TYPES} order by f.action_on desc, f.action_id desc limit ?",
        [*_action_params(codes, types, years), min(int(limit), ACTION_ROWS)],
    )


def action_count(
    db_path: Path, codes: Sequence[str], types: Sequence[str], years: Sequence[int]
) -> int:
    """Regulatory actions of the selection."""
    frame = query(
        db_path,
        f"with {SELECTION} select sum(f.actions)::bigint as actions "
        "from agg_regulatory_actions_by_jurisdiction_year_type f "
        + _in_selection("action_year")
        + f"where {_ACTION_TYPES}",
        _action_params(codes, types, years),
    )
    return _count(frame, "actions")


# --- Data page --------------------------------------------------------------------------


def mart_row_counts(db_path: Path) -> pl.DataFrame:
    """Rows per mart: the fact marts' from fact_rows_by_mart_source, the others (small)
    counted (the names are the fixed lists above, never user input)."""
    counted = " union all ".join(
        f"select '{name}' as mart, count(*) as row_count from main.{name}"
        for name in MARTS
        if name not in FACT_MARTS
    )
    facts = query(
        db_path,
        "select mart, sum(fact_rows)::bigint as row_count from fact_rows_by_mart_source "
        "group by mart",
    )
    others = query(db_path, counted)
    rows = dict(zip(facts["mart"], facts["row_count"], strict=True))
    rows |= dict(zip(others["mart"], others["row_count"], strict=True))
    return pl.DataFrame(
        {"mart": list(MARTS), "row_count": [int(rows.get(name) or 0) for name in MARTS]},
        schema={"mart": pl.String, "row_count": pl.Int64},
    )


def fact_date_ranges(db_path: Path) -> pl.DataFrame:
    """First and last date of the breaches, penalties and regulatory actions."""
    return query(
        db_path,
        "select mart, min(first_date) as first_date, max(last_date) as last_date "
        "from fact_rows_by_mart_source "
        "where mart in ('fct_breaches', 'fct_penalties', 'fct_regulatory_actions') "
        "group by mart order by mart",
    )


def sources(db_path: Path) -> pl.DataFrame:
    """Every source with the number of fact rows citing it."""
    return query(
        db_path,
        "with cites as (select source_id, sum(fact_rows) as cited_by "
        "from fact_rows_by_mart_source group by source_id) "
        "select s.source_id, s.source_title, s.publisher, s.source_type, s.published_on, "
        "s.source_url, coalesce(c.cited_by, 0)::bigint as cited_by "
        "from dim_sources s left join cites c using (source_id) order by s.source_id",
    )


def last_refresh(db_path: Path) -> dict[str, Any]:
    """The latest successful refresh and whether the latest run failed, from the run history
    beside the warehouse (``warehouse_api.read_runs``: failed runs never publish, so
    only the history knows them; the ``refresh_runs`` table when the file is on its own),
    else the time the warehouse file was published."""
    runs = read_runs(db_path)
    if runs.height:
        status = refresh_status(runs)
        success = runs.filter(pl.col("run_id") == status.last_success_run_id)
        row = success.row(0, named=True) if success.height else runs.row(0, named=True)
        return {
            "source": "refresh_runs",
            **{k: row[k] for k in ("run_id", "started_at", "finished_at", "status", "error")},
            "last_run_id": status.last_run_id,
            "last_run_status": status.last_run_status,
            "last_run_at": status.last_run_at,
            "last_run_error": status.last_run_error,
            "last_run_failed": status.last_run_failed,
        }
    mtime = datetime.fromtimestamp(os.stat(db_path).st_mtime, tz=UTC)
    return {"source": "file", "finished_at": mtime, "status": "published"}


DATASETS: dict[str, str] = {
    "metrics": "Jurisdiction-year metrics (Compare page)",
    "breaches": "Breaches (Breaches page)",
    "breach_records": "Records by data type, per jurisdiction and year (Breaches page)",
    "penalties": "Fines & settlements, with history (Fines page)",
    "actions": "Regulatory actions and organizations named (Actions page)",
}
# The order of a dataset's preview and download, as the Data page states it.
DATASET_ORDER: dict[str, str] = {
    "metrics": "by jurisdiction and year",
    "breaches": "largest first",
    "breach_records": "largest first",
    "penalties": "largest current decisions first, each followed by its earlier amounts",
    "actions": "latest first",
}

_METRIC_ROWS = (
    "select m.jurisdiction_code, m.jurisdiction_name, m.jurisdiction_level, m.year, "
    f"{_POPULATION}, j.iso_alpha3, {_METRIC_SELECT} "
    "from agg_jurisdiction_year_metrics m join dim_jurisdictions j using (jurisdiction_code) "
    "where list_contains(?, m.jurisdiction_code) and m.year between ? and ? "
    "order by m.jurisdiction_code, m.year limit ?"
)
_RECORD_ROWS = (
    f"with {SELECTION} select f.jurisdiction_code, j.jurisdiction_name, f.breach_year, "
    "f.data_type, f.is_counted, f.records, f.breaches "
    "from agg_breach_records_by_jurisdiction_year_type f "
    + _in_selection("breach_year")
    + "join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
    "order by f.records desc, f.jurisdiction_code, f.breach_year, f.data_type, f.is_counted "
    "limit ?"
)
# Each decision with the current decision of its history (itself when current), so the
# download lists current decisions largest first, each followed by its earlier amounts.
_PENALTY_ROWS = (
    f"with recursive {SELECTION}, "
    "chains(penalty_id, current_penalty_id, versions_back) as ("
    "select penalty_id, penalty_id, 0 from fct_penalties where is_current "
    "union all select p.supersedes_penalty_id, c.current_penalty_id, c.versions_back + 1 "
    "from chains c join fct_penalties p on p.penalty_id = c.penalty_id "
    "where p.supersedes_penalty_id is not null and c.versions_back < 64), "
    "picked as (select f.*, coalesce(h.amount_usd, f.amount_usd) as listed_amount, "
    "coalesce(h.announced_on, f.announced_on) as listed_on, "
    "coalesce(h.penalty_id, f.penalty_id) as listed_id, c.versions_back "
    "from fct_penalties f "
    + _in_selection("penalty_year")
    + "left join chains c on c.penalty_id = f.penalty_id "
    "left join fct_penalties h on h.penalty_id = c.current_penalty_id "
    "order by listed_amount desc nulls last, listed_on, listed_id, c.versions_back limit ?), "
    + _NAME_PICKED
    + f"select {_PENALTY_COLUMNS} from f "
    + _PENALTY_JOINS
    + "order by f.listed_amount desc nulls last, f.listed_on, f.listed_id, f.versions_back"
)
_ACTION_ROWS_SQL = (
    f"with {SELECTION}, named as (select action_id, "
    "organization_name || ' (' || target_role || ')' as target "
    "from bridge_regulatory_action_targets), "
    "targets as (select action_id, string_agg(target, '; ' order by target) as targets "
    "from named group by action_id) "
    f"select {_action_columns('t.targets')} from fct_regulatory_actions f "
    + _in_selection("action_year")
    + "left join targets t on t.action_id = f.action_id "
    "join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
    "left join dim_sources s on s.source_id = f.source_id "
    f"where {_ACTION_TYPES} order by f.action_on desc, f.action_id desc limit ?"
)


def dataset_rows(db_path: Path, name: str, codes: Sequence[str], years: Sequence[int]) -> int:
    """How many rows a dataset has for the filters (from the aggregates, not the facts)."""
    if name == "breaches":
        return int(breach_counts(db_path, codes, years)["breaches"].sum() or 0)
    if name == "breach_records":
        frame = query(
            db_path,
            f"with {SELECTION} select count(*) as n "
            "from agg_breach_records_by_jurisdiction_year_type f " + _in_selection("breach_year"),
            selection_params(codes, years),
        )
        return _count(frame, "n")
    if name == "penalties":
        return int(penalty_counts(db_path, codes, years)["decisions"].sum() or 0)
    if name == "actions":
        return action_count(db_path, codes, (), years)
    low, high = selection_params(codes, years)[:2]
    frame = query(
        db_path,
        "select count(*) as n from agg_jurisdiction_year_metrics m "
        "where list_contains(?, m.jurisdiction_code) and m.year between ? and ?",
        [list(codes), low, high],
    )
    return _count(frame, "n")


def dataset_preview(
    db_path: Path, name: str, codes: Sequence[str], years: Sequence[int]
) -> pl.DataFrame:
    """The first PREVIEW_ROWS rows of a dataset, from the listing marts where the dataset
    is fact rows (the largest breaches; the largest current decisions with their earlier
    amounts; the latest actions)."""
    if name == "breaches":
        return largest_breaches(db_path, codes, years, include_uncounted=True, limit=PREVIEW_ROWS)
    if name == "penalties":
        listed = largest_penalties(db_path, codes, years, "USD", include_history=True)
        return listed.drop("chain_id", "current_penalty_id", "versions_back").head(PREVIEW_ROWS)
    if name == "actions":
        return latest_actions(db_path, codes, (), years, limit=PREVIEW_ROWS)
    return dataset(db_path, name, codes, years, limit=PREVIEW_ROWS)


def dataset(
    db_path: Path,
    name: str,
    codes: Sequence[str],
    years: Sequence[int],
    limit: int = DOWNLOAD_ROWS,
) -> pl.DataFrame:
    """The filtered data behind a page's charts as the CSV download gives it: at most
    ``limit`` rows (capped at DOWNLOAD_ROWS), in DATASET_ORDER. The whole of a table is
    for ``breach-warehouse extract`` or ``breach-warehouse sql``."""
    selected = selection_params(codes, years)
    cap = min(int(limit), DOWNLOAD_ROWS)
    if name == "breaches":
        return query(db_path, _FACT_BREACH_ROWS, [*selected, True, cap])
    if name == "breach_records":
        return query(db_path, _RECORD_ROWS, [*selected, cap])
    if name == "penalties":
        return query(db_path, _PENALTY_ROWS, [*selected, cap])
    if name == "actions":
        return query(db_path, _ACTION_ROWS_SQL, [*_action_params(codes, (), years), cap])
    return query(db_path, _METRIC_ROWS, [list(codes), selected[0], selected[1], cap])
