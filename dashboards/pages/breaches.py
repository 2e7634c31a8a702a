"""Breaches: the largest ones, records by data type, breach types over time, sources."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, callback, dcc, html

from dashboards import components as ui
from dashboards import data, figures
from dashboards.context import db_path
from dashboards.urlstate import Param, build_query, data_page_query, parse_query, year_range

PAGE = "breaches"
SPEC: tuple[Param, ...] = (
    Param("j", "list", ("US", "CN", "GB", "EU")),
    Param("from", "int", ui.FIRST_YEAR, minimum=ui.FIRST_YEAR, maximum=ui.LAST_YEAR),
    Param("to", "int", ui.LAST_YEAR, minimum=ui.FIRST_YEAR, maximum=ui.LAST_YEAR),
    Param("scale", "choice", "log", ("log", "linear")),
    Param("alleged", "bool", False),
)
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

dash.register_page(__name__, path="/breaches", name="Breaches", title="Breaches", order=1)


def layout(**query: Any) -> html.Div:
    values = parse_query(query, SPEC)
    return html.Div(
        [
            ui.header(
                "Breaches",
                "Largest breaches by records exposed, the kinds of data exposed and how "
                "breaches happened. Every row cites its source.",
            ),
            html.Div(
                [
                    ui.field(
                        "Jurisdictions",
                        ui.jurisdiction_dropdown(f"{PAGE}-jurisdictions", values["j"]),
                        "3",
                    ),
                    ui.field(
                        "Years reported", ui.year_slider(f"{PAGE}-years", year_range(values)), "3"
                    ),
                ],
                className="filters",
            ),
            html.Div(
                [
                    ui.field(
                        "Records axis",
                        dcc.RadioItems(
                            id=f"{PAGE}-scale",
                            options=[
                                {"label": "Log scale", "value": "log"},
                                {"label": "Linear", "value": "linear"},
                            ],
                            value=values["scale"],
                            inline=True,
                        ),
                    ),
                    ui.field(
                        "Include",
                        dcc.Checklist(
                            id=f"{PAGE}-alleged",
                            options=[
                                {
                                    "label": "alleged and excluded breaches (table only, not counted)",
                                    "value": "yes",
                                }
                            ],
                            value=["yes"] if values["alleged"] else [],
                        ),
                    ),
                    html.A(
                        "Data behind these charts (CSV)",
                        id=f"{PAGE}-data-link",
                        href="/data",
                        className="data-link",
                    ),
                ],
                className="filters",
            ),
            ui.graph(f"{PAGE}-largest", 380),
            html.Div(
                [
                    html.Div(ui.graph(f"{PAGE}-datatypes", 380), className="half"),
                    html.Div(ui.graph(f"{PAGE}-types", 380), className="half"),
                ],
                className="row",
            ),
            html.H3("Breaches and their sources", className="section-title"),
            html.Div(id=f"{PAGE}-table-message", className="intro"),
            ui.table(f"{PAGE}-table"),
            dcc.Store(id=f"{PAGE}-init", data=0),
            *ui.url_sync(PAGE),
        ]
    )


@callback(Output(f"{PAGE}-jurisdictions", "options"), Input(f"{PAGE}-init", "data"))
def fill_jurisdictions(_init: int) -> list[dict[str, str]]:
    return ui.jurisdiction_options(data.jurisdictions(db_path()))


@callback(
    Output(f"{PAGE}-query", "data"),
    Output(f"{PAGE}-data-link", "href"),
    Input(f"{PAGE}-jurisdictions", "value"),
    Input(f"{PAGE}-years", "value"),
    Input(f"{PAGE}-scale", "value"),
    Input(f"{PAGE}-alleged", "value"),
)
def sync_url(
    codes: list[str] | None, years: list[int], scale: str, alleged: list[str] | None
) -> tuple[str, str]:
    values = {
        "j": codes or [],
        "from": min(years),
        "to": max(years),
        "scale": scale,
        "alleged": bool(alleged),
    }
    link = data_page_query("breaches", values["j"], year_range(values))
    return build_query(values, SPEC), dash.get_relative_path("/data") + link


@callback(
    Output(f"{PAGE}-largest", "figure"),
    Output(f"{PAGE}-datatypes", "figure"),
    Output(f"{PAGE}-types", "figure"),
    Output(f"{PAGE}-table", "data"),
    Output(f"{PAGE}-table", "columns"),
    Output(f"{PAGE}-table-message", "children"),
    Input(f"{PAGE}-jurisdictions", "value"),
    Input(f"{PAGE}-years", "value"),
    Input(f"{PAGE}-scale", "value"),
    Input(f"{PAGE}-alleged", "value"),
)
def update_charts(
    codes: list[str] | None, years: list[int], scale: str, alleged: list[str] | None
) -> tuple[go.Figure, go.Figure, go.Figure, list[dict[str, Any]], list[dict[str, Any]], str]:
    span = (min(years), max(years))
    path = db_path()
    counted = data.breaches(path, codes or [], span)
    records = data.breach_records(path, codes or [], span)
    listed = data.breaches(path, codes or [], span, include_uncounted=bool(alleged))
    listed = listed.with_columns(
        status=pl.Series(
            breach_status(listed["is_alleged"].to_list(), listed["is_excluded"].to_list()),
            dtype=pl.String,
        )
    )
    rows, columns = ui.table_payload(listed, TABLE_COLUMNS)
    message = "" if rows else figures.NO_DATA
    return (
        figures.breaches_largest(counted, log_scale=scale != "linear"),
        figures.breaches_by_data_type(records),
        figures.breach_types_over_time(counted),
        rows,
        columns,
        message,
    )


def breach_status(alleged: list[bool], excluded: list[bool]) -> list[str]:
    return [
        "alleged (not counted)" if a else "excluded" if e else "counted"
        for a, e in zip(alleged, excluded, strict=True)
    ]


ui.register_url_sync(PAGE)
