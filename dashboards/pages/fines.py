"""Fines & settlements: amounts over time by authority and jurisdiction, their history.

The timeline, history chart and table show the largest current decisions of the selection
with their earlier amounts (agg_largest_penalties_by_jurisdiction_year); totals by authority
and decision counts come from agg_penalties_by_authority_year, never from fct_penalties."""

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
from dashboards.money import PRICES, money, prices_note
from dashboards.page_factory import PageSpec
from dashboards.prices_data import constant_usd_base_year

PAGE = "fines"
FILTERS = PageSpec(
    PAGE,
    (
        filters.jurisdictions(),
        filters.years("Years decided"),
        filters.choice("currency", "Convert to", {"USD": "USD", "EUR": "EUR"}, "USD"),
        filters.flag("history", "Include", "superseded amounts (history)", True),
        filters.choice("money", "Money", PRICES, "nominal"),
    ),
    rows=(("jurisdictions", "years"), ("currency", "money", "history")),
    dataset="penalties",
)
SPEC = FILTERS.params
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
    "amount_usd_constant": "Amount (constant USD, CPI-U)",
    "legal_basis": "Legal basis",
    "source": "Source",
}

dash.register_page(
    __name__, path="/fines", name="Fines & settlements", title="Fines & settlements", order=2
)


def layout(**query: Any) -> html.Div:
    return FILTERS.layout(
        query,
        "Fines & settlements",
        "Amounts as decided, converted at the ECB rate of the decision day where the "
        "ECB history is loaded, else the annual average of the decision year; in "
        "constant dollars, that USD amount at the prices of the CPI-U base year. "
        "Provisional, amended and appealed amounts stay as history.",
        [
            ui.graph(f"{PAGE}-timeline", 400),
            ui.graph_pair(f"{PAGE}-authority", f"{PAGE}-history-chart", 380),
            html.Div(id=f"{PAGE}-coverage", className="coverage"),
            *ui.table_section(PAGE, "The largest decisions and their sources"),
            *group_section(PAGE, "By organization group (the largest by amount)"),
        ],
    )


fill_jurisdictions = register_jurisdiction_options(PAGE)
fill_coverage = register_selection_coverage(PAGE, "penalties")
fill_groups = register_group_table(PAGE, "penalties")


sync_url = FILTERS.register_url_sync()


@callback(
    Output(f"{PAGE}-timeline", "figure"),
    Output(f"{PAGE}-authority", "figure"),
    Output(f"{PAGE}-history-chart", "figure"),
    *ui.table_section_outputs(PAGE),
    *FILTERS.inputs(),
)
def update_charts(
    codes: list[str] | None,
    years: list[int],
    currency: str,
    history: list[str] | None,
    prices: str = "nominal",
) -> tuple[go.Figure, go.Figure, go.Figure, list[dict[str, Any]], list[dict[str, Any]], str]:
    """The largest current decisions (at most data.LISTING_ROWS) with their earlier
    amounts from the listing mart; totals by authority and counts from
    agg_penalties_by_authority_year. In constant dollars (USD only) the amounts, the order of
    the listing and the totals are at the prices of the CPI-U base year."""
    span = (min(years), max(years))
    path, chosen = db_path(), codes or []
    amounts = money(currency, prices, constant_usd_base_year(path))
    listing = data.largest_penalties(path, chosen, span, amounts.key, include_history=True)
    rows = listing if history else listing.filter(pl.col("is_current"))
    counts = data.penalty_counts(path, chosen, span)
    current = int(counts.filter(pl.col("is_current"))["decisions"].sum())
    shown = int(listing["is_current"].sum())
    detail = ", each with its earlier amounts" if history else ""
    message = ui.listing_message(shown, current, "current decisions", "largest", detail)
    columns = dict(TABLE_COLUMNS)
    columns["amount_usd_constant"] = f"Amount ({amounts.base_year or 'constant'} USD, CPI-U)"
    return (
        figures.fines_timeline(rows, amounts, total=current, note=prices_note(currency, prices)),
        figures.fines_by_authority(
            data.penalties_by_authority(path, chosen, span, amounts.key),
            amounts,
            top=data.AUTHORITY_ROWS,
        ),
        figures.fines_history(listing, amounts),
        *ui.table_outputs(rows, columns, message),
    )
