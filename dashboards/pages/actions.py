"""Regulatory actions: a timeline per jurisdiction coloured by type, with their targets.

The timeline and table show the latest actions of the selection
(agg_latest_regulatory_actions_by_jurisdiction_year_type, targets already joined); the count
comes from agg_regulatory_actions_by_jurisdiction_year_type."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, callback, dcc, html

from dashboards import components as ui
from dashboards import data, figures
from dashboards.context import db_path
from dashboards.frames import humanize
from dashboards.urlstate import Param, build_query, parse_query, year_range

PAGE = "actions"
SPEC: tuple[Param, ...] = (
    Param("j", "list", ("US", "CN", "GB", "EU")),
    Param("types", "list", ()),
    Param("from", "int", ui.FIRST_YEAR, minimum=ui.FIRST_YEAR, maximum=ui.LAST_YEAR),
    Param("to", "int", ui.LAST_YEAR, minimum=ui.FIRST_YEAR, maximum=ui.LAST_YEAR),
)
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
    values = parse_query(query, SPEC)
    return html.Div(
        [
            ui.header(
                "Regulatory actions",
                "Laws, regulations, standards, bans, procurement rules, sanctions lists, "
                "campaigns, guidance and agreements, with the organizations they name.",
            ),
            html.Div(
                [
                    ui.field(
                        "Jurisdictions",
                        ui.jurisdiction_dropdown(f"{PAGE}-jurisdictions", values["j"]),
                        "3",
                    ),
                    ui.field(
                        "Action types",
                        dcc.Dropdown(
                            id=f"{PAGE}-types",
                            options=[{"label": humanize(t), "value": t} for t in values["types"]],
                            value=values["types"],
                            multi=True,
                            placeholder="All types",
                        ),
                        "2",
                    ),
                ],
                className="filters",
            ),
            html.Div(
                [
                    ui.field("Years", ui.year_slider(f"{PAGE}-years", year_range(values)), "3"),
                    ui.data_link(PAGE, "Data behind this chart (CSV)"),
                ],
                className="filters",
            ),
            ui.graph(f"{PAGE}-timeline", None),
            *ui.table_section(PAGE, "Actions, organizations named and sources", page_size=15),
            *ui.page_state(PAGE),
        ]
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


@callback(
    Output(f"{PAGE}-query", "data"),
    Output(f"{PAGE}-data-link", "href"),
    Input(f"{PAGE}-jurisdictions", "value"),
    Input(f"{PAGE}-types", "value"),
    Input(f"{PAGE}-years", "value"),
)
def sync_url(codes: list[str] | None, types: list[str] | None, years: list[int]) -> tuple[str, str]:
    values = {"j": codes or [], "types": types or [], "from": min(years), "to": max(years)}
    return build_query(values, SPEC), ui.data_link_href("actions", values["j"], year_range(values))


@callback(
    Output(f"{PAGE}-timeline", "figure"),
    Output(f"{PAGE}-table", "data"),
    Output(f"{PAGE}-table", "columns"),
    Output(f"{PAGE}-table-message", "children"),
    Input(f"{PAGE}-jurisdictions", "value"),
    Input(f"{PAGE}-types", "value"),
    Input(f"{PAGE}-years", "value"),
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


ui.register_url_sync(PAGE)
