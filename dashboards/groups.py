"""Data access for the "by organization group" tables: breaches and fines summed per group
(a subsidiary rolls up to its parent company) over a selection of jurisdictions and years,
from agg_organization_groups_by_jurisdiction_year (dashboards/queries/group_totals.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from dashboards.data import run, selection_params

GROUP_ROWS = 15
# What a table ranks by: the Breaches page by records exposed, the Fines page by money.
ORDERS = ("breaches", "penalties_usd", "penalties_eur")


def group_totals(
    db_path: Path, codes: Sequence[str], years: Sequence[int], order: str
) -> pl.DataFrame:
    """The GROUP_ROWS largest organization groups of the selection, with their totals."""
    if order not in ORDERS:
        raise KeyError(order)
    return run(
        db_path,
        "group_totals",
        **selection_params(codes, years),
        order=order,
        row_limit=GROUP_ROWS,
    )
