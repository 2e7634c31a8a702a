"""Fines & settlements: amounts over time by authority and jurisdiction, their history."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, callback, dcc, html

from dashboards import components as ui
from dashboards import data, figures
from dashboards.context import db_path
from dashboards.urlstate import Param, build_query, data_page_query, parse_query, year_range

PAGE = "fines"
SPEC: tuple[Param, ...] = (
    Param("j", "list", ("US", "CN", "GB", "EU")),
    Param("from", "int", ui.FIRST_YEAR, minimum=ui.FIRST_YEAR, maximum=ui.LAST_YEAR),
    Param("to", "int", ui.LAST_YEAR, minimum=ui.FIRST_YEAR, maximum=ui.LAST_YEAR),
    Param("currency", "choice", "USD", ("USD", "EUR")),
    Param("history", "bool", True),
)
TABLE_COLUMNS = {
    "announced_label": "Decided",
    "organization_name": "Organization",
    "authority": "Authority",
    "jurisdiction_name": "Jurisdiction",
    "penalty_kind": "Kind",
    "status": "Status",
    "is_current": "Current",
    "amount": "Amount (original)",
    "currency": "Currency",
    "amount_usd": "Amount (USD)",
    "amount_eur": "Amount (EUR)",
    "legal_basis": "Legal basis",
    "source": "Source",
}

dash.register_page(
    __name__, path="/fines", name="Fines & settlements", title="Fines & settlements", order=2
)


def layout(**query: Any) -> html.Div:
    values = parse_query(query, SPEC)
    return html.Div(
        [
            ui.header(
                "Fines & settlements",
                "Amounts as decided and converted at the annual average ECB rate of the "
                "decision year. Provisional, amended and appealed amounts stay as history.",
            ),
            html.Div(
                [
                    ui.field(
                        "Jurisdictions",
                        ui.jurisdiction_dropdown(f"{PAGE}-jurisdictions", values["j"]),
                        "3",
                    ),
                    ui.field(
                        "Years decided", ui.year_slider(f"{PAGE}-years", year_range(values)), "3"
                    ),
                ],
                className="filters",
            ),
            html.Div(
                [
                    ui.field(
                        "Convert to",
                        dcc.RadioItems(
                            id=f"{PAGE}-currency",
                            options=[
                                {"label": "USD", "value": "USD"},
                                {"label": "EUR", "value": "EUR"},
                            ],
                            value=values["currency"],
                            inline=True,
                        ),
                    ),
                    ui.field(
                        "Include",
                        dcc.Checklist(
                            id=f"{PAGE}-history",
                            options=[{"label": "superseded amounts (history)", "value": "yes"}],
                            value=["yes"] if values["history"] else [],
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
            ui.graph(f"{PAGE}-timeline", 400),
            html.Div(
                [
                    html.Div(ui.graph(f"{PAGE}-authority", 380), className="half"),
                    html.Div(ui.graph(f"{PAGE}-history-chart", 380), className="half"),
                ],
                className="row",
            ),
            html.H3("Decisions and their sources", className="section-title"),
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
    Input(f"{PAGE}-currency", "value"),
    Input(f"{PAGE}-history", "value"),
)
def sync_url(
    codes: list[str] | None, years: list[int], currency: str, history: list[str] | None
) -> tuple[str, str]:
    values = {
        "j": codes or [],
        "from": min(years),
        "to": max(years),
        "currency": currency,
        "history": bool(history),
    }
    link = data_page_query("penalties", values["j"], year_range(values))
    return build_query(values, SPEC), dash.get_relative_path("/data") + link


@callback(
    Output(f"{PAGE}-timeline", "figure"),
    Output(f"{PAGE}-authority", "figure"),
    Output(f"{PAGE}-history-chart", "figure"),
    Output(f"{PAGE}-table", "data"),
    Output(f"{PAGE}-table", "columns"),
    Output(f"{PAGE}-table-message", "children"),
    Input(f"{PAGE}-jurisdictions", "value"),
    Input(f"{PAGE}-years", "value"),
    Input(f"{PAGE}-currency", "value"),
    Input(f"{PAGE}-history", "value"),
)
def update_charts(
    codes: list[str] | None, years: list[int], currency: str, history: list[str] | None
) -> tuple[go.Figure, go.Figure, go.Figure, list[dict[str, Any]], list[dict[str, Any]], str]:
    span = (min(years), max(years))
    currency = currency if currency in ("USD", "EUR") else "USD"
    rows = data.penalties(db_path(), codes or [], span, include_history=bool(history))
    everything = data.penalties(db_path(), codes or [], span, include_history=True)
    table_rows, columns = ui.table_payload(rows, TABLE_COLUMNS)
    return (
        figures.fines_timeline(rows, currency),
        figures.fines_by_authority(rows, currency),
        figures.fines_history(everything, currency),
        table_rows,
        columns,
        "" if table_rows else figures.NO_DATA,
    )


ui.register_url_sync(PAGE)
