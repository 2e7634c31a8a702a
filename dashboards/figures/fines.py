"""The Fines & settlements page's figures: decisions over time, amounts by authority, histories."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboards.colors import jurisdiction_color
from dashboards.figures.base import (
    BELOW,
    DASH,
    chart,
    empty_figure,
    listing_title,
    money_text,
    shorten,
)
from dashboards.frames import color_key
from dashboards.money import Money, as_money


def _penalty_hover(rows: pl.DataFrame, money: Money) -> list[str]:
    def converted(r: dict[str, Any]) -> str:
        if not money.constant:
            return f"Converted: {money_text(r[money.column], money.currency)}"
        return (
            f"At the decision's rate: {money_text(r['amount_usd'], 'USD')}<br>"
            f"In {money.base_year} prices (CPI-U): {money_text(r[money.column], 'USD')}"
        )

    return [
        f"<b>{r['organization_name']}</b> ({r['announced_label']}, {r['status']})<br>"
        f"{r['authority']}<br>"
        f"Original: {money_text(r['amount'], r['currency'])}<br>{converted(r)}"
        for r in rows.iter_rows(named=True)
    ]


def fines_timeline(
    penalties: pl.DataFrame,
    currency: Money | str = "USD",
    total: int | None = None,
    note: str = "",
) -> go.Figure:
    """Each decision at its date and converted amount, coloured by jurisdiction; superseded
    amounts as open markers (``penalties``: the largest decisions of the selection and
    their earlier amounts; ``total``: how many current decisions the selection has;
    ``currency``: a currency code, or Money for constant dollars)."""
    money = as_money(currency)
    shown = int(penalties["is_current"].sum()) if penalties.height else 0
    basis = (
        f"in constant {money.base_year} USD: the decision's USD deflated by CPI-U"
        if money.constant
        else f"in {money.currency} at the decision year's rate"
    )
    title = listing_title(
        f"Fines and settlements over time ({basis})",
        shown,
        total,
        "decisions",
        "largest",
    )
    if penalties.is_empty():
        return empty_figure(title, subtitle=note)
    column = money.column
    ordered = penalties.sort("announced_on", maintain_order=True)  # in time order
    rows = ordered.with_columns(color_key(ordered).alias("_color"))
    traces = []
    for code in rows["_color"].unique(maintain_order=True).to_list():
        part = rows.filter(pl.col("_color") == code)
        traces.append(
            {
                "type": "scatter",
                "x": part["announced_on"].to_list(),
                "y": part[column].to_list(),
                "mode": "markers",
                "name": code,
                "marker": {
                    "color": jurisdiction_color(code),
                    "size": 13,
                    "symbol": ["circle" if c else "circle-open" for c in part["is_current"]],
                    "line": {"width": 2, "color": jurisdiction_color(code)},
                },
                "text": _penalty_hover(part, money),
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    return chart(
        traces,
        title,
        "Date of decision",
        f"Amount ({money.unit}, log scale)",
        legend_title="Jurisdiction",
        yaxis={"type": "log"},
        subtitle=note,
    )


def fines_by_authority(
    totals: pl.DataFrame, currency: Money | str = "USD", top: int | None = None
) -> go.Figure:
    """Current amounts per authority, one bar segment per jurisdiction (columns authority,
    color_code, decisions, total: already summed over the selection; ``top``: how many
    authorities the data module keeps, named in the title when the frame has that many)."""
    money = as_money(currency)
    title = f"Current amounts by authority (in {money.label})"
    if top is not None and totals["authority"].n_unique() >= top:
        title = f"Current amounts of the {top} largest authorities (in {money.label})"
    rows = totals.rename({"color_code": "_color"}).sort("total", descending=True)
    if rows.is_empty():
        return empty_figure(title)
    traces = []
    for code in rows["_color"].unique(maintain_order=True).to_list():
        part = rows.filter(pl.col("_color") == code)
        traces.append(
            {
                "type": "bar",
                "x": part["total"].to_list(),
                "y": [shorten(a) for a in part["authority"]],
                "orientation": "h",
                "name": code,
                "marker": {"color": jurisdiction_color(code)},
                "text": [
                    f"{money_text(t, money.unit)} ({d} decision{'s' * (d != 1)})"
                    for t, d in zip(part["total"], part["decisions"], strict=True)
                ],
                "customdata": part["authority"].to_list(),
                "hovertemplate": "<b>%{customdata}</b><br>%{text}<extra></extra>",
            }
        )
    return chart(
        traces,
        title,
        f"Amount ({money.unit})",
        "",
        legend_title="Jurisdiction",
        barmode="stack",
        legend=BELOW,
        yaxis={"autorange": "reversed"},
    )


def fines_history(penalties: pl.DataFrame, currency: Money | str = "USD") -> go.Figure:
    """Decisions that were provisional, amended or appealed: each history as a line from
    the first amount to the current one (``chain_id``: the history, as the listing mart
    agg_largest_penalties_by_jurisdiction_year gives it from agg_penalty_versions)."""
    money = as_money(currency)
    title = f"Amended, appealed and provisional amounts (in {money.label})"
    if penalties.is_empty():
        return empty_figure(title)
    column = money.column
    sizes = penalties.group_by("chain_id").len()
    multi = sizes.filter(pl.col("len") > 1)["chain_id"].to_list()
    if not multi:
        return empty_figure(title, "No amended or appealed amounts for this selection")
    traces = []
    for chain in multi:
        part = penalties.filter(pl.col("chain_id") == chain).sort("announced_on")
        code = color_key(part)[0]
        traces.append(
            {
                "type": "scatter",
                "x": part["announced_on"].to_list(),
                "y": part[column].to_list(),
                "mode": "lines+markers",
                "name": f"{part['organization_name'][0]} {DASH} {shorten(part['authority'][0], 30)}",
                "line": {"color": jurisdiction_color(code), "dash": "dot"},
                "marker": {"size": 11, "color": jurisdiction_color(code)},
                "hovertext": _penalty_hover(part, money),
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return chart(
        traces,
        title,
        "Date of decision",
        f"Amount ({money.unit})",
        legend_title="Decision",
        legend=BELOW,
    )
