"""The Compare page's figures: a metric over the years, a ranking, a world map."""

from __future__ import annotations

from collections.abc import Collection

import plotly.graph_objects as go
import polars as pl

from dashboards.colors import NEUTRAL, jurisdiction_color, jurisdiction_dash
from dashboards.figures.base import (
    DASH,
    NO_DATA,
    chart,
    empty_figure,
    figure,
    title_spec,
    top_margin,
    year_span,
)
from dashboards.frames import has_values
from dashboards.metrics import Metric


def compare_line(series: pl.DataFrame, metric: Metric, note: str = "") -> go.Figure:
    """One line per jurisdiction over the years (columns jurisdiction_code,
    jurisdiction_name, year, value; a null value is a gap in its line); ``note``: the
    populations a per-capita figure divided by."""
    title = f"{metric.label}, {year_span(series)}".rstrip(", ")
    if not has_values(series):
        return empty_figure(title or metric.label, subtitle=note)
    traces = []
    for code in series["jurisdiction_code"].unique(maintain_order=True).to_list():
        rows = series.filter(pl.col("jurisdiction_code") == code).sort("year")
        values = rows["value"].to_list()
        traces.append(
            {
                "type": "scatter",
                "x": rows["year"].to_list(),
                "y": values,
                "name": rows["jurisdiction_name"][0],
                "legendgroup": code,
                "mode": "lines+markers",
                "line": {"color": jurisdiction_color(code), "dash": jurisdiction_dash(code)},
                "marker": {"size": 6},
                "text": [metric.format(v) for v in values],
                "hovertemplate": "<b>%{fullData.name}</b><br>%{x}: %{text}<extra></extra>",
                "meta": code,
            }
        )
    return chart(
        traces,
        title,
        "Year",
        metric.unit[:1].upper() + metric.unit[1:],
        legend_title="Jurisdiction",
        hovermode="closest",
        xaxis={"dtick": 2 if series["year"].n_unique() > 12 else 1},
        subtitle=note,
    )


NO_POPULATION = "No per-million figure for the whole period: some of its years have no population"


def _gap_message(period: pl.DataFrame, metric: Metric) -> str:
    """Why a period chart is empty: no data, or per-million gaps (years without population)."""
    gaps = metric.mode == "per_million" and period["value"].is_null().any()
    return NO_POPULATION if gaps else NO_DATA


def compare_bar(
    period: pl.DataFrame,
    metric: Metric,
    years: tuple[int, int],
    level: str,
    highlight: Collection[str] = (),
    top: int = 15,
    note: str = "",
) -> go.Figure:
    """The jurisdictions of one level ranked by the metric over the period (columns
    jurisdiction_code, jurisdiction_name, value); selected ones in their colour; ``note``:
    the populations a per-capita figure divided by."""
    period_text = f"{years[0]}{DASH}{years[1]}" if years[0] != years[1] else str(years[0])
    label = metric.period_label(years[1])
    title = f"Ranking by {level}: {label[:1].lower()}{label[1:]}, {period_text}"
    ranked = (
        period.filter(pl.col("value").is_not_null() & (pl.col("value") != 0))
        .sort("value", "jurisdiction_code", descending=[True, False])
        .head(top)
    )
    if ranked.is_empty():
        return empty_figure(title, _gap_message(period, metric), note)
    codes = ranked["jurisdiction_code"].to_list()
    values = ranked["value"].to_list()
    bar = {
        "type": "bar",
        "x": values,
        "y": ranked["jurisdiction_name"].to_list(),
        "orientation": "h",
        "marker": {
            "color": [jurisdiction_color(c) if c in highlight else NEUTRAL for c in codes],
            "line": {"color": "#333333", "width": 0.5},
        },
        "text": [metric.format(v) for v in values],
        "textposition": "auto",
        "customdata": codes,
        "hovertemplate": "<b>%{y}</b><br>%{text}<extra></extra>",
        "name": metric.label,
    }
    unit = metric.unit if metric.mode != "cumulative" else f"{metric.unit}, cumulative"
    return chart(
        [bar],
        title,
        unit[:1].upper() + unit[1:],
        "",
        yaxis={"autorange": "reversed"},
        showlegend=False,
        subtitle=note,
    )


def compare_map(
    period: pl.DataFrame, metric: Metric, years: tuple[int, int], note: str = ""
) -> go.Figure:
    """World choropleth of the metric over the period by country (columns iso_alpha3,
    jurisdiction_name, value); countries without a figure stay grey."""
    period_text = f"{years[0]}{DASH}{years[1]}" if years[0] != years[1] else str(years[0])
    title = f"{metric.period_label(years[1])} by country, {period_text}"
    shown = period.filter(
        pl.col("iso_alpha3").is_not_null() & pl.col("value").is_not_null() & (pl.col("value") != 0)
    )
    if shown.is_empty():
        return empty_figure(title, _gap_message(period, metric), note)
    values = shown["value"].to_list()
    choropleth = {
        "type": "choropleth",
        "locations": shown["iso_alpha3"].to_list(),
        "locationmode": "ISO-3",
        "z": values,
        "text": [
            f"{n}: {metric.format(v)}"
            for n, v in zip(shown["jurisdiction_name"], values, strict=True)
        ],
        "hovertemplate": "%{text}<extra></extra>",
        "colorscale": "Cividis",
        "marker": {"line": {"color": "#ffffff", "width": 0.5}},
        "colorbar": {"title": {"text": metric.unit}},
    }
    geo = {
        "showframe": False,
        "showcoastlines": False,
        "showland": True,
        "landcolor": "#E5E5E5",
        "showcountries": True,
        "countrycolor": "#ffffff",
        "showocean": False,
        "showlakes": False,
        "showrivers": False,
        "projection": {"type": "natural earth", "rotation": {"lon": 0}},
        "center": {"lon": 0, "lat": 15},
        "lonaxis": {"range": [-180, 180]},
        "lataxis": {"range": [-58, 84]},
    }
    margin = {"l": 10, "r": 10, "t": top_margin(note), "b": 10}
    return figure([choropleth], {"title": title_spec(title, note), "geo": geo, "margin": margin})
