"""Data access for the "by organization group" tables: breaches and fines summed per group
(a subsidiary rolls up to its parent company) over a selection of jurisdictions and years,
from agg_organization_groups_by_jurisdiction_year. Fixed SQL with parameters."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from dashboards.data import SELECTION, query, selection_params

GROUP_ROWS = 15
# What a table ranks by: the Breaches page by records exposed, the Fines page by money.
ORDER = {
    "breaches": "records_exposed desc, breaches desc",
    "penalties_usd": "penalties_usd desc, penalties desc",
    "penalties_eur": "penalties_eur desc, penalties desc",
}


def group_totals(
    db_path: Path, codes: Sequence[str], years: Sequence[int], order: str
) -> pl.DataFrame:
    """The GROUP_ROWS largest organization groups of the selection, with their totals."""
    by = ORDER[order]
    counted = "breaches" if order == "breaches" else "penalties"
    return query(
        db_path,
        f"with {SELECTION} select g.group_name, sum(g.breaches)::bigint as breaches, "
        "sum(g.records_exposed)::bigint as records_exposed, sum(g.penalties)::bigint as penalties, "
        "sum(g.penalties_usd)::double as penalties_usd, sum(g.penalties_eur)::double as penalties_eur "
        "from agg_organization_groups_by_jurisdiction_year g semi join selection "
        "on selection.jurisdiction_code = g.jurisdiction_code and selection.year = g.year "
        f"group by g.group_organization_id, g.group_name having sum(g.{counted}) > 0 "
        f"order by {by}, g.group_name limit {GROUP_ROWS}",
        selection_params(codes, years),
    )
