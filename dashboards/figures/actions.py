"""The Regulatory actions page's figure: a timeline per jurisdiction, coloured by type."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboards.figures.base import (
    ACTION_TYPES,
    category_style,
    chart,
    empty_figure,
    listing_title,
    shorten,
)
from dashboards.frames import humanize


def actions_timeline(actions: pl.DataFrame, total: int | None = None) -> go.Figure:
    """Each action at its date on its jurisdiction's row, coloured by type (``actions``:
    the latest of the selection; ``total``: how many the selection has)."""
    title = listing_title(
        "Regulatory actions by jurisdiction, coloured by type",
        actions.height,
        total,
        "actions",
        "latest",
    )
    if actions.is_empty():
        return empty_figure(title)
    traces = []
    present = actions["action_type"].unique().to_list()
    ordered = sorted(
        present,
        key=lambda c: (c not in ACTION_TYPES, ACTION_TYPES.index(c) if c in ACTION_TYPES else 0, c),
    )
    for code in ordered:
        part = actions.filter(pl.col("action_type") == code)
        color, symbol = category_style(code, ACTION_TYPES)
        hover = [
            f"<b>{shorten(r['title'], 80)}</b><br>{humanize(r['action_type'])}, {r['status']}, {r['action_label']}<br>"
            f"{shorten(r['authority'], 80)}"
            + (f"<br>Targets: {shorten(r['targets'], 120)}" if r["targets"] else "")
            for r in part.iter_rows(named=True)
        ]
        traces.append(
            {
                "type": "scatter",
                "x": part["action_on"].to_list(),
                "y": part["jurisdiction_name"].to_list(),
                "mode": "markers",
                "name": humanize(code),
                "marker": {
                    "color": color,
                    "symbol": symbol,
                    "size": 12,
                    "opacity": 0.85,
                    "line": {"width": 1, "color": "#333333"},
                },
                "text": hover,
                "customdata": part["action_id"].to_list(),
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    names = (
        actions.sort("jurisdiction_name")["jurisdiction_name"].unique(maintain_order=True).to_list()
    )
    height = max(380, 110 + 45 * len(names))
    return chart(
        traces,
        title,
        "Date of action",
        "Jurisdiction",
        legend_title="Action type",
        height=height,
        yaxis={"categoryorder": "array", "categoryarray": names[::-1]},
    )
