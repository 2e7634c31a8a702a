"""Regulatory actions: a timeline per jurisdiction coloured by type, with their targets.

The timeline and table show the latest actions of the selection
(agg_latest_regulatory_actions_by_jurisdiction_year_type, targets already joined); the count
comes from agg_regulatory_actions_by_jurisdiction_year_type."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, callback, html

from dashboards import components as ui
from dashboards import data, figures, filters
from dashboards.context import db_path
from dashboards.frames import humanize
from dashboards.page_factory import PageSpec

PAGE = "actions"
FILTERS = PageSpec(
    PAGE,
    (
        filters.jurisdictions(),
        filters.tags("types", "Action types", "All types", width="2"),
        filters.years(),
    ),
    rows=(("jurisdictions", "types"), ("years",)),
    dataset="actions",
)
SPEC = FILTERS.params
TABLE_COLUMNS = {
    "action_label": "Date",
    "jurisdiction_name": "Jurisdiction",
    "action_type": "Type",
    "title": "Title",
    "authority": "Authority",
    "status": "Status",
    "targets": "Organizations named",
    "source": "Source",
}

dash.register_page(
    __name__, path="/actions", name="Regulatory actions", title="Regulatory actions", order=3
)


def layout(**query: Any) -> html.Div:
    return FILTERS.layout(
        query,
        "Regulatory actions",
        "Laws, regulations, standards, bans, procurement rules, sanctions lists, "
        "campaigns, guidance and agreements, with the organizations they name.",
        [
            ui.graph(f"{PAGE}-timeline", None),
            *ui.table_section(PAGE, "Actions, organizations named and sources", page_size=15),
        ],
        extra=[ui.data_link(PAGE, "Data behind this chart (CSV)")],
    )


@callback(
    Output(f"{PAGE}-jurisdictions", "options"),
    Output(f"{PAGE}-types", "options"),
    Input(f"{PAGE}-init", "data"),
)
def fill_options(_init: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    path = db_path()
    types = [{"label": humanize(t), "value": t} for t in data.action_types(path)]
    return ui.jurisdiction_options(data.jurisdictions(path)), types


sync_url = FILTERS.register_url_sync()


@callback(
    Output(f"{PAGE}-timeline", "figure"),
    *ui.table_section_outputs(PAGE),
    *FILTERS.inputs(),
)
def update_charts(
    codes: list[str] | None, types: list[str] | None, years: list[int]
) -> tuple[go.Figure, list[dict[str, Any]], list[dict[str, Any]], str]:
    """The latest actions of the selection (at most data.ACTION_ROWS) and their count."""
    span = (min(years), max(years))
    path, chosen, kinds = db_path(), codes or [], types or []
    rows = data.latest_actions(path, chosen, kinds, span)
    total = data.action_count(path, chosen, kinds, span)
    shown = rows.with_columns(pl.col("action_type").map_elements(humanize, return_dtype=pl.String))
    message = ui.listing_message(rows.height, total, "actions", "latest")
    return (
        figures.actions_timeline(rows, total=total),
        *ui.table_outputs(shown, TABLE_COLUMNS, message),
    )
