"""Breaches: the largest ones, records by data type, breach types over time, sources.

Figures come from the pre-aggregated marts (agg_breaches_by_jurisdiction_year_type,
agg_breach_records_by_jurisdiction_year_type) and the largest-breaches listing, never from
fct_breaches: a callback reads a few hundred rows whatever the size of the warehouse."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Output, callback, html

from dashboards import components as ui
from dashboards import data, figures, filters
from dashboards.callbacks import (
    group_section,
    register_group_table,
    register_jurisdiction_options,
    register_selection_coverage,
)
from dashboards.context import db_path
from dashboards.page_factory import PageSpec

PAGE = "breaches"
FILTERS = PageSpec(
    PAGE,
    (
        filters.jurisdictions(),
        filters.years("Years reported"),
        filters.choice("scale", "Records axis", {"log": "Log scale", "linear": "Linear"}, "log"),
        filters.flag(
            "alleged",
            "Include",
            "alleged and excluded breaches (table only, not counted)",
            False,
        ),
    ),
    rows=(("jurisdictions", "years"), ("scale", "alleged")),
    dataset="breaches",
)
SPEC = FILTERS.params
TABLE_COLUMNS = {
    "organization_name": "Organization",
    "jurisdiction_name": "Jurisdiction",
    "reported_label": "Reported",
    "records_exposed": "Records exposed",
    "records_unit": "Unit",
    "breach_type": "Breach type",
    "status": "Status",
    "breach_description": "What happened",
    "source": "Source",
}

# How the table labels a breach: counted in the metrics, or kept for reference only.
BREACH_STATUS = (
    pl.when(pl.col("is_alleged"))
    .then(pl.lit("alleged (not counted)"))
    .when(pl.col("is_excluded"))
    .then(pl.lit("excluded"))
    .otherwise(pl.lit("counted"))
)

dash.register_page(__name__, path="/breaches", name="Breaches", title="Breaches", order=1)


def layout(**query: Any) -> html.Div:
    return FILTERS.layout(
        query,
        "Breaches",
        "Largest breaches by records exposed, the kinds of data exposed and how "
        "breaches happened. Every row cites its source.",
        [
            ui.graph(f"{PAGE}-largest", 560),  # up to data.LISTING_ROWS bars
            ui.graph_pair(f"{PAGE}-datatypes", f"{PAGE}-types", 380),
            html.Div(id=f"{PAGE}-coverage", className="coverage"),
            *ui.table_section(PAGE, "The largest breaches and their sources"),
            *group_section(PAGE, "By organization group (the largest by records exposed)"),
        ],
    )


fill_jurisdictions = register_jurisdiction_options(PAGE)
fill_coverage = register_selection_coverage(PAGE, "breaches")
fill_groups = register_group_table(PAGE, "breaches")


sync_url = FILTERS.register_url_sync()


@callback(
    Output(f"{PAGE}-largest", "figure"),
    Output(f"{PAGE}-datatypes", "figure"),
    Output(f"{PAGE}-types", "figure"),
    *ui.table_section_outputs(PAGE),
    *FILTERS.inputs(),
)
def update_charts(
    codes: list[str] | None, years: list[int], scale: str, alleged: list[str] | None
) -> tuple[go.Figure, go.Figure, go.Figure, list[dict[str, Any]], list[dict[str, Any]], str]:
    """Counts and records by type from the pre-aggregated marts; the largest breaches
    (at most data.LISTING_ROWS) for the chart and the table."""
    span = (min(years), max(years))
    path, chosen = db_path(), codes or []
    counts = data.breach_counts(path, chosen, span)
    counted = counts.filter(pl.col("is_counted"))
    if alleged:
        both = data.largest_breaches_per_status(path, chosen, span)
        largest, listed = both.filter(pl.col("is_counted")), both.head(data.LISTING_ROWS)
        total, noun = int(counts["breaches"].sum()), "breaches (alleged and excluded included)"
    else:
        largest = listed = data.largest_breaches(path, chosen, span)
        total, noun = int(counted["breaches"].sum()), "breaches"
    records = data.breach_records_by_type(path, chosen, span)
    message = ui.listing_message(listed.height, total, noun, "largest")
    return (
        figures.breaches_largest(
            largest, log_scale=scale != "linear", total=int(counted["breaches"].sum())
        ),
        figures.breaches_by_data_type(records),
        figures.breach_types_over_time(counted),
        *ui.table_outputs(listed.with_columns(status=BREACH_STATUS), TABLE_COLUMNS, message),
    )
