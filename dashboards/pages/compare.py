"""Home page: compare jurisdictions over time on one metric."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, callback, dcc, html

from dashboards import components as ui
from dashboards import coverage, data, figures, sources
from dashboards.callbacks import register_jurisdiction_options
from dashboards.context import db_path
from dashboards.frames import period_values, series
from dashboards.metrics import BASES, MODES, metric
from dashboards.money import PRICES
from dashboards.population import population_note, wrap
from dashboards.prices_data import constant_usd_base_year
from dashboards.urlstate import Param, build_query, parse_query, year_range

PAGE = "compare"
LEVELS: dict[str, tuple[str, ...]] = {
    "subdivision": ("subdivision",),
    "country": ("country",),
    "region": ("region", "supranational"),
}
SPEC: tuple[Param, ...] = (
    Param("j", "list", ("US", "CN", "GB", "EU")),
    Param("metric", "choice", "regulatory_actions", tuple(BASES)),
    Param("mode", "choice", "total", tuple(MODES)),
    Param("from", "int", 2010, minimum=ui.FIRST_YEAR, maximum=ui.LAST_YEAR),
    Param("to", "int", 2026, minimum=ui.FIRST_YEAR, maximum=ui.LAST_YEAR),
    Param("level", "choice", "country", tuple(LEVELS)),
    Param("money", "choice", "nominal", tuple(PRICES)),
)

dash.register_page(__name__, path="/", name="Compare", title="Compare jurisdictions", order=0)


def layout(**query: Any) -> html.Div:
    values = parse_query(query, SPEC)
    return html.Div(
        [
            ui.header(
                "Compare jurisdictions over time",
                "Breaches, records exposed, penalties and regulatory actions per jurisdiction "
                "and year. Facts roll up from subdivisions to countries, the EU (while a "
                "member), regions and the world.",
            ),
            html.Div(
                [
                    ui.field(
                        "Jurisdictions",
                        ui.jurisdiction_dropdown(f"{PAGE}-jurisdictions", values["j"]),
                        "3",
                    ),
                    ui.field(
                        "Metric",
                        dcc.Dropdown(
                            id=f"{PAGE}-metric",
                            options=[{"label": b.label, "value": b.key} for b in BASES.values()],
                            value=values["metric"],
                            clearable=False,
                        ),
                        "1.4",
                    ),
                    ui.field(
                        "Figure",
                        dcc.RadioItems(
                            id=f"{PAGE}-mode",
                            options=[
                                {"label": label, "value": key} for key, label in MODES.items()
                            ],
                            value=values["mode"],
                        ),
                        "1.2",
                    ),
                ],
                className="filters",
            ),
            html.Div(
                [
                    ui.field("Years", ui.year_slider(f"{PAGE}-years", year_range(values)), "3"),
                    ui.field(
                        "Ranking level",
                        dcc.RadioItems(
                            id=f"{PAGE}-level",
                            options=[
                                {"label": "Subdivision", "value": "subdivision"},
                                {"label": "Country", "value": "country"},
                                {"label": "Region / EU", "value": "region"},
                            ],
                            value=values["level"],
                            inline=True,
                        ),
                        "1.2",
                    ),
                    ui.money_field(PAGE, values["money"]),
                    ui.data_link(PAGE),
                ],
                className="filters",
            ),
            ui.graph(f"{PAGE}-line", 430),
            html.Div(id=f"{PAGE}-coverage", className="coverage"),
            html.Div(
                [
                    html.Div(ui.graph(f"{PAGE}-bar", 460), className="half"),
                    html.Div(ui.graph(f"{PAGE}-map", 460), className="half"),
                ],
                className="row",
            ),
            html.Div(id=f"{PAGE}-coverage-level", className="coverage"),
            *ui.page_state(PAGE),
        ]
    )


fill_jurisdictions = register_jurisdiction_options(PAGE)


def filters_of(
    codes: list[str] | None,
    base: str,
    mode: str,
    years: list[int],
    level: str,
    money: str = "nominal",
) -> dict[str, Any]:
    return {
        "j": list(codes or []),
        "metric": base,
        "mode": mode,
        "from": years[0],
        "to": years[1],
        "level": level,
        "money": money,
    }


# The page's filters, in the order of the callbacks' arguments.
FILTERS = (
    Input(f"{PAGE}-jurisdictions", "value"),
    Input(f"{PAGE}-metric", "value"),
    Input(f"{PAGE}-mode", "value"),
    Input(f"{PAGE}-years", "value"),
    Input(f"{PAGE}-level", "value"),
    Input(f"{PAGE}-money", "value"),
)


@callback(
    Output(f"{PAGE}-query", "data"),
    Output(f"{PAGE}-data-link", "href"),
    *FILTERS,
)
def sync_url(
    codes: list[str] | None,
    base: str,
    mode: str,
    years: list[int],
    level: str,
    money: str = "nominal",
) -> tuple[str, str]:
    """The page's query string and the Data page link carrying the same filters."""
    filters = filters_of(codes, base, mode, years, level, money)
    values = parse_query(build_query(filters, SPEC), SPEC)
    return build_query(values, SPEC), ui.data_link_href("metrics", values["j"], year_range(values))


@callback(
    Output(f"{PAGE}-line", "figure"),
    Output(f"{PAGE}-bar", "figure"),
    Output(f"{PAGE}-map", "figure"),
    *FILTERS,
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
    Input(f"{PAGE}-jurisdictions", "value"),
    Input(f"{PAGE}-metric", "value"),
    Input(f"{PAGE}-years", "value"),
    Input(f"{PAGE}-level", "value"),
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


ui.register_url_sync(PAGE)
