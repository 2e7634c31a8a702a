"""Data access for where the figures come from: which sources cover a comparison
(``source_coverage``) and where every row of every load went (``source_reconciliation``).
Fixed SQL with parameters on the dashboard's read-only connection (``dashboards.data``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from dashboards.data import jurisdictions, query

# The coverage a metric of the Compare page stands on (records exposed are the breaches').
COVERAGE_METRIC: dict[str, str] = {
    "breaches": "breaches",
    "records_exposed": "breaches",
    "penalties": "penalties",
    "penalties_usd": "penalties",
    "penalties_eur": "penalties",
    "regulatory_actions": "regulatory_actions",
}


def coverage_metric(base: str) -> str:
    return COVERAGE_METRIC.get(base, "breaches")


def jurisdiction_names(db_path: Path) -> dict[str, str]:
    """jurisdiction_code -> name."""
    frame = jurisdictions(db_path).select("jurisdiction_code", "jurisdiction_name")
    return dict(frame.iter_rows())


def coverage(
    db_path: Path, codes: Sequence[str], years: Sequence[int], metric: str
) -> pl.DataFrame:
    """Per selected jurisdiction and contributing source, over the years: the facts the
    source reports, its first and last year, and its share of the jurisdiction's facts."""
    return query(
        db_path,
        "with picked as (select * from source_coverage "
        "where list_contains(?, jurisdiction_code) and year between ? and ? and metric = ?), "
        "totals as (select jurisdiction_code, sum(metric_facts) as metric_facts from "
        "(select distinct jurisdiction_code, year, metric_facts from picked) "
        "group by jurisdiction_code) "
        "select p.jurisdiction_code, j.jurisdiction_name, p.source_name, "
        "sum(p.facts)::bigint as facts, min(p.year) as first_year, max(p.year) as last_year, "
        "sum(p.facts)::double / max(t.metric_facts) as share "
        "from picked p join totals t using (jurisdiction_code) "
        "join dim_jurisdictions j using (jurisdiction_code) "
        "group by p.jurisdiction_code, j.jurisdiction_name, p.source_name "
        "order by p.jurisdiction_code, facts desc, p.source_name",
        [list(codes), int(min(years)), int(max(years)), metric],
    )


def level_coverage(
    db_path: Path, levels: Sequence[str], years: Sequence[int], metric: str
) -> pl.DataFrame:
    """Per source: how many jurisdictions of the levels it reports facts for, over the
    years, and how many of those jurisdictions have facts at all."""
    return query(
        db_path,
        "with picked as (select * from source_coverage "
        "where list_contains(?, jurisdiction_level) and year between ? and ? and metric = ?) "
        "select source_name, count(distinct jurisdiction_code)::bigint as jurisdictions, "
        "sum(facts)::bigint as facts, "
        "(select count(distinct jurisdiction_code) from picked)::bigint as with_facts "
        "from picked group by source_name order by jurisdictions desc, source_name",
        [list(levels), int(min(years)), int(max(years)), metric],
    )


def reconciliation(db_path: Path) -> pl.DataFrame:
    """Every load of every source: rows and records read, loaded, quarantined, duplicate."""
    return query(
        db_path,
        "select source_name, source_file, as_of, loaded_at, rows_read, rows_loaded, "
        "rows_quarantined, rows_duplicate, rows_excluded, records_unit, records_read, "
        "records_loaded, records_quarantined, records_duplicate, records_excluded, "
        "records_merged, amount_currency, amount_read::double as amount_read, "
        "amount_loaded::double as amount_loaded, versions_new, "
        "versions_updated, versions_unchanged, versions_older, load_input "
        "from source_reconciliation order by source_name, as_of desc, loaded_at desc",
    )
