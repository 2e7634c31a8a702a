"""Home page: compare jurisdictions over time on one metric."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Output, callback, html

from dashboards import components as ui
from dashboards import coverage, data, figures, filters, sources
from dashboards.callbacks import register_jurisdiction_options
from dashboards.context import db_path
from dashboards.frames import period_values, series
from dashboards.metrics import BASES, MODES, metric
from dashboards.money import PRICES
from dashboards.page_factory import PageSpec
from dashboards.population import population_note, wrap
from dashboards.prices_data import constant_usd_base_year

PAGE = "compare"
LEVELS: dict[str, tuple[str, ...]] = {
    "subdivision": ("subdivision",),
    "country": ("country",),
    "region": ("region", "supranational"),
}
FILTERS = PageSpec(
    PAGE,
    (
        filters.jurisdictions(),
        filters.choice(
            "metric",
            "Metric",
            {b.key: b.label for b in BASES.values()},
            "regulatory_actions",
            dropdown=True,
            width="1.4",
        ),
        filters.choice("mode", "Figure", MODES, "total", inline=False, width="1.2"),
        filters.years(first=2010, last=2026),
        filters.choice(
            "level",
            "Ranking level",
            {"subdivision": "Subdivision", "country": "Country", "region": "Region / EU"},
            "country",
            width="1.2",
        ),
        filters.choice("money", "Money", PRICES, "nominal"),
    ),
    rows=(("jurisdictions", "metric", "mode"), ("years", "level", "money")),
    dataset="metrics",
)
SPEC = FILTERS.params

dash.register_page(__name__, path="/", name="Compare", title="Compare jurisdictions", order=0)


def layout(**query: Any) -> html.Div:
    return FILTERS.layout(
        query,
        "Compare jurisdictions over time",
        "Breaches, records exposed, penalties and regulatory actions per jurisdiction "
        "and year. Facts roll up from subdivisions to countries, the EU (while a "
        "member), regions and the world.",
        [
            ui.graph(f"{PAGE}-line", 430),
            html.Div(id=f"{PAGE}-coverage", className="coverage"),
            ui.graph_pair(f"{PAGE}-bar", f"{PAGE}-map", 460),
            html.Div(id=f"{PAGE}-coverage-level", className="coverage"),
        ],
    )


fill_jurisdictions = register_jurisdiction_options(PAGE)


sync_url = FILTERS.register_url_sync()


@callback(
    Output(f"{PAGE}-line", "figure"),
    Output(f"{PAGE}-bar", "figure"),
    Output(f"{PAGE}-map", "figure"),
    *FILTERS.inputs(),
)
def update_charts(
    codes: list[str] | None,
    base: str,
    mode: str,
    years: list[int],
    level: str,
    money: str = "nominal",
) -> tuple[go.Figure, go.Figure, go.Figure]:
    """The charts of the metric; a per-capita chart says which populations it divided by
    (each year's own; a year without one is a gap)."""
    path = db_path()
    chosen = metric(base, mode, money, constant_usd_base_year(path))
    span = (min(years), max(years))

    def note(frame: pl.DataFrame, width: int) -> str:
        return wrap(population_note(frame), width) if mode == "per_million" else ""

    selected = data.metric_series(path, codes or [], span)
    line = figures.compare_line(series(selected, chosen), chosen, note(selected, 190))
    levels = LEVELS.get(level, LEVELS["country"])
    level_rows = data.level_metrics(path, levels, span)
    bar = figures.compare_bar(
        period_values(level_rows, chosen),
        chosen,
        span,
        level if level in LEVELS else "country",
        codes or [],
        note=note(level_rows, 80),
    )
    country_rows = (
        level_rows if levels == ("country",) else data.level_metrics(path, ("country",), span)
    )
    world = figures.compare_map(
        period_values(country_rows, chosen), chosen, span, note(country_rows, 80)
    )
    return line, bar, world


@callback(
    Output(f"{PAGE}-coverage", "children"),
    Output(f"{PAGE}-coverage-level", "children"),
    *FILTERS.inputs("jurisdictions", "metric", "years", "level"),
)
def update_coverage(
    codes: list[str] | None, base: str, years: list[int], level: str
) -> tuple[list[Any], Any]:
    """Which sources the line chart's jurisdictions, and the ranking's, stand on."""
    path, chosen = db_path(), codes or []
    kind = sources.coverage_metric(base)
    names = sources.jurisdiction_names(path)
    selection = coverage.selection_coverage(
        sources.coverage(path, chosen, years, kind), chosen, names, kind, years
    )
    levels = LEVELS.get(level, LEVELS["country"])
    ranking = coverage.level_coverage_note(
        sources.level_coverage(path, levels, years, kind), "/".join(levels), kind
    )
    return selection, ranking
