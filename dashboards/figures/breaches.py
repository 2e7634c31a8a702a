"""The Breaches page's figures: the largest breaches, records by data type, types over time."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboards.colors import OKABE_ITO, jurisdiction_color
from dashboards.figures.base import (
    BELOW,
    BREACH_TYPES,
    category_style,
    chart,
    empty_figure,
    listing_title,
)
from dashboards.frames import color_key, humanize


def breaches_largest(
    breaches: pl.DataFrame, log_scale: bool = True, total: int | None = None
) -> go.Figure:
    """Largest breaches by records exposed, one bar each, coloured by jurisdiction
    (``breaches``: the largest of the selection; ``total``: how many the selection has)."""
    rows = breaches.filter(pl.col("records_exposed").is_not_null()).sort(
        "records_exposed", descending=True
    )
    title = listing_title(
        "Largest breaches by records exposed", rows.height, total, "breaches", "largest"
    )
    if rows.is_empty():
        return empty_figure(title)
    traces = []
    rows = rows.with_columns(color_key(rows).alias("_color"))
    for code in rows["_color"].unique(maintain_order=True).to_list():
        part = rows.filter(pl.col("_color") == code)
        traces.append(
            {
                "type": "bar",
                "x": part["records_exposed"].to_list(),
                "y": [
                    f"{o} ({y})"
                    for o, y in zip(part["organization_name"], part["breach_year"], strict=True)
                ],
                "orientation": "h",
                "name": part["jurisdiction_name"][0]
                if code == part["jurisdiction_code"][0]
                else code,
                "marker": {"color": jurisdiction_color(code)},
                "text": [
                    f"{v:,} {u or 'records'}"
                    for v, u in zip(part["records_exposed"], part["records_unit"], strict=True)
                ],
                "textposition": "auto",
                "hovertemplate": "<b>%{y}</b><br>%{text} exposed<extra></extra>",
            }
        )
    order = [
        f"{o} ({y})" for o, y in zip(rows["organization_name"], rows["breach_year"], strict=True)
    ]
    scale = " (log scale)" if log_scale else ""
    return chart(
        traces,
        title,
        f"Records exposed (records or individuals){scale}",
        "",
        legend_title="Jurisdiction",
        xaxis={"type": "log"} if log_scale else {},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1]},
    )


def breaches_by_data_type(totals: pl.DataFrame) -> go.Figure:
    """Records exposed per data type over the selection's breaches, one bar per type
    (columns data_type, records, breaches)."""
    title = "Records exposed by data type"
    rows = totals.filter(pl.col("records") > 0).sort(
        "records", "data_type", descending=[True, False]
    )
    if rows.is_empty():
        return empty_figure(title)
    bar = {
        "type": "bar",
        "x": rows["records"].to_list(),
        "y": [humanize(t) for t in rows["data_type"]],
        "orientation": "h",
        "name": "Records exposed",
        "marker": {"color": OKABE_ITO[0]},
        "text": [
            f"{r:,} records in {b:,} breach{'es' * (b != 1)}"
            for r, b in zip(rows["records"], rows["breaches"], strict=True)
        ],
        "customdata": rows["data_type"].to_list(),
        "hovertemplate": "<b>%{y}</b><br>%{text}<extra></extra>",
    }
    return chart(
        [bar],
        title,
        "Records exposed (records or individuals)",
        "",
        yaxis={"autorange": "reversed"},
        showlegend=False,
    )


def breach_types_over_time(counts: pl.DataFrame) -> go.Figure:
    """Breaches per year, stacked by breach type (columns breach_year, breach_type,
    breaches: counts already rolled up over the selection)."""
    title = "Breach types over time"
    counts = (
        counts.group_by("breach_year", "breach_type")
        .agg(pl.col("breaches").sum().alias("len"))
        .filter(pl.col("len") > 0)
        .sort("breach_year", "breach_type")
    )
    if counts.is_empty():
        return empty_figure(title)
    traces = []
    present = counts["breach_type"].unique().to_list()
    for code in sorted(
        present,
        key=lambda c: (c not in BREACH_TYPES, BREACH_TYPES.index(c) if c in BREACH_TYPES else 0, c),
    ):
        part = counts.filter(pl.col("breach_type") == code)
        color, _ = category_style(code, BREACH_TYPES)
        traces.append(
            {
                "type": "bar",
                "x": part["breach_year"].to_list(),
                "y": part["len"].to_list(),
                "name": humanize(code),
                "marker": {"color": color},
                "hovertemplate": "<b>%{fullData.name}</b><br>%{x}: %{y:,} breaches<extra></extra>",
            }
        )
    most = counts.group_by("breach_year").agg(pl.col("len").sum())["len"].max()
    return chart(
        traces,
        title,
        "Year reported",
        "Breaches (count)",
        barmode="stack",
        legend_title="Breach type",
        legend={**BELOW, "y": -0.4},  # below the year labels, which turn on a long axis
        xaxis={"type": "category", "categoryorder": "category ascending"},
        # Whole breaches on a short axis; plotly picks the ticks of a long one.
        yaxis={"dtick": 1} if most is not None and int(most) <= 10 else {},
    )
