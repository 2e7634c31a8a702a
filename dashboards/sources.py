"""Data access for where the figures come from: which sources cover a comparison
(``source_coverage``) and where every row of every load went (``source_reconciliation``).
Query files of ``dashboards/queries`` run by ``dashboards.data``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from dashboards.data import jurisdictions, run, selection_params

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
    return run(
        db_path,
        "source_coverage",
        **selection_params(codes, years),
        metric=metric,
    )


def level_coverage(
    db_path: Path, levels: Sequence[str], years: Sequence[int], metric: str
) -> pl.DataFrame:
    """Per source: how many jurisdictions of the levels it reports facts for, over the
    years, and how many of those jurisdictions have facts at all."""
    return run(
        db_path,
        "level_coverage",
        levels=list(levels),
        first_year=int(min(years)),
        last_year=int(max(years)),
        metric=metric,
    )


def reconciliation(db_path: Path) -> pl.DataFrame:
    """Every load of every source: rows and records read, loaded, quarantined, duplicate."""
    return run(db_path, "reconciliation")
