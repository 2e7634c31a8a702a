"""The dashboard's only data access: parameterized SQL on the marts, read-only.

Every query opens a short-lived read-only DuckDB connection and closes it at once, so the
dashboard never holds the file: a refresh publishes a new warehouse by renaming it over
the served path and the next query reads the new file. Results are cached per warehouse
file version, keyed on (device, inode, mtime, size) of the path: a published refresh
changes the key and so invalidates the cache without a restart. The SQL text is fixed;
user choices only ever travel as parameters.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from breach_warehouse.runs import read_runs, refresh_status
from dashboards.metrics import METRIC_COLUMNS

MARTS: tuple[str, ...] = (
    "dim_jurisdictions",
    "dim_jurisdiction_hierarchy",
    "dim_organizations",
    "dim_sources",
    "fct_breaches",
    "fct_breach_records",
    "fct_penalties",
    "fct_regulatory_actions",
    "bridge_regulatory_action_targets",
    "jurisdiction_year_metrics",
)

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


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def query(db_path: Path, sql: str, params: Sequence[Any] = ()) -> pl.DataFrame:
    """Run fixed SQL with parameters on a short-lived read-only connection, cached per
    warehouse version. Polars frames are immutable, so sharing cached ones is safe."""
    before = file_stamp(db_path)
    key = (str(db_path), before, sql, _freeze(list(params)))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    with duckdb.connect(str(db_path), read_only=True) as con:
        frame = con.sql(sql, params=list(params)).pl()
    if file_stamp(db_path) == before:  # not replaced while we read: safe to cache
        with _lock:
            _cache[key] = frame
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
        db_path, "select distinct action_type from fct_regulatory_actions order by action_type"
    )
    return frame["action_type"].to_list()


# --- Compare ----------------------------------------------------------------------------

_METRIC_SELECT = ", ".join(f"m.{c}::double as {c}" for c in METRIC_COLUMNS)


def metric_series(db_path: Path, codes: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """jurisdiction_year_metrics rows of the given jurisdictions and years."""
    return query(
        db_path,
        "select m.jurisdiction_code, m.jurisdiction_name, m.jurisdiction_level, m.year, "
        f"m.population, j.iso_alpha3, {_METRIC_SELECT} "
        "from jurisdiction_year_metrics m join dim_jurisdictions j using (jurisdiction_code) "
        "where list_contains(?, m.jurisdiction_code) and m.year between ? and ? "
        "order by m.jurisdiction_code, m.year",
        [list(codes), int(years[0]), int(years[1])],
    )


def level_metrics(db_path: Path, levels: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """jurisdiction_year_metrics rows of every jurisdiction at the given levels."""
    return query(
        db_path,
        "select m.jurisdiction_code, m.jurisdiction_name, m.jurisdiction_level, m.year, "
        f"m.population, j.iso_alpha3, {_METRIC_SELECT} "
        "from jurisdiction_year_metrics m join dim_jurisdictions j using (jurisdiction_code) "
        "where list_contains(?, m.jurisdiction_level) and m.year between ? and ? "
        "order by m.jurisdiction_code, m.year",
        [list(levels), int(years[0]), int(years[1])],
    )


# --- facts ------------------------------------------------------------------------------

# A fact is in a selected jurisdiction when its own jurisdiction rolls up into it (US
# includes Illinois; the EU includes a member state for the years it was a member).
_IN_SELECTION = (
    "exists (select 1 from dim_jurisdiction_hierarchy h "
    "where h.jurisdiction_code = f.jurisdiction_code and list_contains(?, h.rollup_code) "
    "and (h.member_from_year is null or {year} >= h.member_from_year) "
    "and (h.member_to_year is null or {year} <= h.member_to_year))"
)

_SOURCE_COLUMNS = "s.source_title, s.publisher, s.source_url"


def breaches(
    db_path: Path, codes: Sequence[str], years: Sequence[int], include_uncounted: bool = False
) -> pl.DataFrame:
    """Breaches in the selection, largest first, with their source."""
    return query(
        db_path,
        "select f.breach_id, f.organization_name, f.jurisdiction_code, j.jurisdiction_name, "
        "f.country_code, f.reported_on, f.reported_label, f.breach_year, f.records_exposed, "
        "f.records_unit, f.breach_type, f.is_alleged, f.is_excluded, f.is_counted, "
        f"f.breach_description, f.source_id, {_SOURCE_COLUMNS} "
        "from fct_breaches f join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
        "left join dim_sources s on s.source_id = f.source_id "
        "where f.breach_year between ? and ? and (? or f.is_counted) and "
        + _IN_SELECTION.format(year="f.breach_year")
        + " order by f.records_exposed desc nulls last, f.reported_on",
        [int(years[0]), int(years[1]), bool(include_uncounted), list(codes)],
    )


def breach_records(
    db_path: Path, codes: Sequence[str], years: Sequence[int], include_uncounted: bool = False
) -> pl.DataFrame:
    """Records exposed per breach and data type, for the breaches in the selection."""
    return query(
        db_path,
        "select r.breach_id, f.organization_name, f.jurisdiction_code, f.country_code, "
        "f.breach_year, f.records_unit, r.data_type, r.records, r.figure_as_stated, r.source_id, "
        f"{_SOURCE_COLUMNS} "
        "from fct_breach_records r join fct_breaches f on f.breach_id = r.breach_id "
        "left join dim_sources s on s.source_id = r.source_id "
        "where f.breach_year between ? and ? and (? or f.is_counted) and "
        + _IN_SELECTION.format(year="f.breach_year")
        + " order by r.records desc",
        [int(years[0]), int(years[1]), bool(include_uncounted), list(codes)],
    )


def penalties(
    db_path: Path, codes: Sequence[str], years: Sequence[int], include_history: bool = True
) -> pl.DataFrame:
    """Fines, penalties and settlements in the selection (superseded rows on request)."""
    return query(
        db_path,
        "select f.penalty_id, f.penalty_kind, f.status, f.is_current, f.authority, "
        "f.jurisdiction_code, j.jurisdiction_name, f.country_code, f.organization_name, "
        "f.breach_id, f.legal_basis, f.announced_on, f.announced_label, f.penalty_year, "
        "f.amount::double as amount, f.currency, f.amount_usd::double as amount_usd, "
        "f.amount_eur::double as amount_eur, f.supersedes_penalty_id, f.figure_as_stated, "
        f"f.penalty_description, f.source_id, {_SOURCE_COLUMNS} "
        "from fct_penalties f join dim_jurisdictions j on j.jurisdiction_code = f.jurisdiction_code "
        "left join dim_sources s on s.source_id = f.source_id "
        "where f.penalty_year between ? and ? and (? or f.is_current) and "
        + _IN_SELECTION.format(year="f.penalty_year")
        + " order by f.announced_on, f.penalty_id",
        [int(years[0]), int(years[1]), bool(include_history), list(codes)],
    )


def actions(
    db_path: Path, codes: Sequence[str], types: Sequence[str], years: Sequence[int]
) -> pl.DataFrame:
    """Regulatory actions in the selection (all types when ``types`` is empty), with the
    organizations each names."""
    return query(
        db_path,
        "select f.action_id, f.action_type, f.title, f.authority, f.jurisdiction_code, "
        "j.jurisdiction_name, f.country_code, f.action_on, f.action_label, f.action_year, "
        "f.status, f.description, "
        "(select string_agg(t.organization_name || ' (' || t.target_role || ')', '; ' "
        "order by t.organization_name) from bridge_regulatory_action_targets t "
        "where t.action_id = f.action_id) as targets, "
        f"f.source_id, {_SOURCE_COLUMNS} "
        "from fct_regulatory_actions f join dim_jurisdictions j "
        "on j.jurisdiction_code = f.jurisdiction_code "
        "left join dim_sources s on s.source_id = f.source_id "
        "where f.action_year between ? and ? and (len(?) = 0 or list_contains(?, f.action_type)) "
        "and " + _IN_SELECTION.format(year="f.action_year") + " order by f.action_on, f.action_id",
        [int(years[0]), int(years[1]), list(types), list(types), list(codes)],
    )


# --- Data page --------------------------------------------------------------------------


def mart_row_counts(db_path: Path) -> pl.DataFrame:
    """Rows per mart (the names are the fixed list above, never user input)."""
    union = " union all ".join(
        f"select '{name}' as mart, count(*) as row_count from main.{name}" for name in MARTS
    )
    return query(db_path, union)


def fact_date_ranges(db_path: Path) -> pl.DataFrame:
    return query(
        db_path,
        "select 'fct_breaches' as mart, min(reported_on) as first_date, max(reported_on) as last_date "
        "from fct_breaches union all "
        "select 'fct_penalties', min(announced_on), max(announced_on) from fct_penalties union all "
        "select 'fct_regulatory_actions', min(action_on), max(action_on) from fct_regulatory_actions",
    )


def sources(db_path: Path) -> pl.DataFrame:
    """Every source with the number of fact rows citing it."""
    return query(
        db_path,
        "with cites as ("
        "select source_id from fct_breaches union all select source_id from fct_breach_records "
        "union all select source_id from fct_penalties "
        "union all select source_id from fct_regulatory_actions "
        "union all select source_id from bridge_regulatory_action_targets) "
        "select s.source_id, s.source_title, s.publisher, s.source_type, s.published_on, "
        "s.source_url, (select count(*) from cites c where c.source_id = s.source_id) as cited_by "
        "from dim_sources s order by s.source_id",
    )


def last_refresh(db_path: Path) -> dict[str, Any]:
    """The latest successful refresh and whether the latest run failed, from the run history
    beside the warehouse (``breach_warehouse.runs.read_runs``: failed runs never publish, so
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
    "breach_records": "Records by data type (Breaches page)",
    "penalties": "Fines & settlements, with history (Fines page)",
    "actions": "Regulatory actions and organizations named (Actions page)",
}


def dataset(db_path: Path, name: str, codes: Sequence[str], years: Sequence[int]) -> pl.DataFrame:
    """The filtered data behind a page's charts, as the CSV download gives it."""
    span = (min(years), max(years))
    if name == "breaches":
        return breaches(db_path, codes, span, include_uncounted=True)
    if name == "breach_records":
        return breach_records(db_path, codes, span, include_uncounted=True)
    if name == "penalties":
        return penalties(db_path, codes, span, include_history=True)
    if name == "actions":
        return actions(db_path, codes, (), span)
    return metric_series(db_path, codes, span)
