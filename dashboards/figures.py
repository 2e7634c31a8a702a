"""Pure figure builders: a small polars frame in, a plotly figure out. No data access.

Every chart has a title, axis titles with units and hover text with the exact figure and
its unit. A selection without data gets a figure that says so instead of empty axes.

Figures are built from plain dicts and wrapped in ``go.Figure`` without plotly's
per-property validation (``_figure``): validating costs ten times as much as the rest of a
callback. tests/test_dashboard_figures.py validates what every builder returns instead.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from dashboards.colors import (
    NEUTRAL,
    OKABE_ITO,
    SYMBOLS,
    jurisdiction_color,
    jurisdiction_dash,
)
from dashboards.frames import color_key, has_values, humanize, penalty_chains
from dashboards.metrics import Metric
from dashboards.money import Money, as_money

NO_DATA = "No data for this selection"
DASH = "\u2013"  # en dash for ranges

# Fixed taxonomies (seeds/breach_types.csv, seeds/regulatory_action_types.csv) so a type
# keeps its colour whatever the selection.
BREACH_TYPES: tuple[str, ...] = (
    "hacking", "malware", "ransomware", "phishing_social", "insider_misuse",
    "unauthorized_access", "theft", "loss", "improper_disposal", "accidental_exposure",
    "physical", "espionage", "unknown", "other",
)  # fmt: skip
ACTION_TYPES: tuple[str, ...] = (
    "law", "regulation", "standard", "ban", "procurement_rule", "sanctions_list",
    "campaign", "enforcement_action", "guidance", "agreement", "industry_code",
    "consultation", "petition", "statement",
)  # fmt: skip


# Every figure's template, applied by plotly to each new figure (setting it per figure
# with update_layout(template=...) costs tens of milliseconds a figure).
pio.templates.default = "plotly_white"


def category_style(code: str, taxonomy: tuple[str, ...]) -> tuple[str, str]:
    """(colour, marker symbol) of a taxonomy code: 8 colours x 4 symbols, stable."""
    index = taxonomy.index(code) if code in taxonomy else len(taxonomy)
    return OKABE_ITO[index % len(OKABE_ITO)], SYMBOLS[(index // len(OKABE_ITO)) % len(SYMBOLS)]


BELOW = {"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0}


Spec = dict[str, Any]  # a trace or a layout as plotly's JSON has it


def _figure(traces: list[Spec], layout: Spec) -> go.Figure:
    """A figure of plain-dict traces and layout, not validated property by property."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def _title(text: str, subtitle: str = "") -> Spec:
    """A title, with a smaller second line (what a per-capita chart divided by) if any."""
    title: Spec = {"text": text, "x": 0.01, "xanchor": "left"}
    if subtitle:
        title["subtitle"] = {"text": subtitle, "font": {"size": 11, "color": "#444444"}}
    return title


def _top_margin(subtitle: str) -> int:
    return 60 + 14 * (subtitle.count("<br>") + 1) if subtitle else 60


def _layout(
    traces: list[Spec],
    title: str,
    x_title: str,
    y_title: str,
    *,
    legend_title: str = "",
    legend: Spec | None = None,
    xaxis: Spec | None = None,
    yaxis: Spec | None = None,
    subtitle: str = "",
    **extra: Any,
) -> go.Figure:
    """The figure of ``traces`` with the shared layout: title, axis titles, legend below or
    beside, the Okabe-Ito colours and full trace names on hover."""
    return _figure(
        traces,
        {
            "title": _title(title, subtitle),
            "colorway": list(OKABE_ITO),
            "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 13},
            "margin": {"l": 70, "r": 20, "t": _top_margin(subtitle), "b": 60},
            "legend": {"title": {"text": legend_title}, **(legend or {})},
            "hoverlabel": {"namelength": -1},
            "xaxis": {"title": {"text": x_title}, **(xaxis or {})},
            "yaxis": {"title": {"text": y_title}, **(yaxis or {})},
            **extra,
        },
    )


def empty_figure(title: str, message: str = NO_DATA, subtitle: str = "") -> go.Figure:
    """A figure that states there is nothing to show, never blank axes."""
    return _figure(
        [],
        {
            "title": _title(title, subtitle),
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {
                    "text": message,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "showarrow": False,
                    "font": {"size": 16, "color": "#444444"},
                }
            ],
            "margin": {"l": 20, "r": 20, "t": _top_margin(subtitle), "b": 20},
        },
    )


def message_of(fig: go.Figure) -> str | None:
    """The empty-selection message of a figure built by empty_figure, else None."""
    if fig.data or not fig.layout.annotations:
        return None
    return fig.layout.annotations[0].text


def listing_title(title: str, shown: int, total: int | None, noun: str, which: str) -> str:
    """'<title>: the 25 largest of 1,234 breaches' when a listing shows part of the
    selection, else the title."""
    if total is None or total <= shown:
        return title
    return f"{title}: the {shown:,} {which} of {total:,} {noun}"


def _years(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return ""
    low, high = frame["year"].min(), frame["year"].max()
    return f"{low}" if low == high else f"{low}{DASH}{high}"


# --- Compare ----------------------------------------------------------------------------


def compare_line(series: pl.DataFrame, metric: Metric, note: str = "") -> go.Figure:
    """One line per jurisdiction over the years (columns jurisdiction_code,
    jurisdiction_name, year, value; a null value is a gap in its line); ``note``: the
    populations a per-capita figure divided by."""
    title = f"{metric.label}, {_years(series)}".rstrip(", ")
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
    return _layout(
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
    return _layout(
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
    margin = {"l": 10, "r": 10, "t": _top_margin(note), "b": 10}
    return _figure([choropleth], {"title": _title(title, note), "geo": geo, "margin": margin})


# --- Breaches ---------------------------------------------------------------------------


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
    return _layout(
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
    return _layout(
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
    return _layout(
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


# --- Fines & settlements ----------------------------------------------------------------


def _money(value: float | None, currency: str) -> str:
    return "n/a" if value is None else f"{value:,.2f} {currency}"


def _penalty_hover(rows: pl.DataFrame, money: Money) -> list[str]:
    def converted(r: dict[str, Any]) -> str:
        if not money.constant:
            return f"Converted: {_money(r[money.column], money.currency)}"
        return (
            f"At the decision's rate: {_money(r['amount_usd'], 'USD')}<br>"
            f"In {money.base_year} prices (CPI-U): {_money(r[money.column], 'USD')}"
        )

    return [
        f"<b>{r['organization_name']}</b> ({r['announced_label']}, {r['status']})<br>"
        f"{r['authority']}<br>"
        f"Original: {_money(r['amount'], r['currency'])}<br>{converted(r)}"
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
    return _layout(
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
                "y": [_short(a) for a in part["authority"]],
                "orientation": "h",
                "name": code,
                "marker": {"color": jurisdiction_color(code)},
                "text": [
                    f"{_money(t, money.unit)} ({d} decision{'s' * (d != 1)})"
                    for t, d in zip(part["total"], part["decisions"], strict=True)
                ],
                "customdata": part["authority"].to_list(),
                "hovertemplate": "<b>%{customdata}</b><br>%{text}<extra></extra>",
            }
        )
    return _layout(
        traces,
        title,
        f"Amount ({money.unit})",
        "",
        legend_title="Jurisdiction",
        barmode="stack",
        legend=BELOW,
        yaxis={"autorange": "reversed"},
    )


def _short(text: str | None, width: int = 45) -> str:
    if not text:
        return "Unknown"
    return text if len(text) <= width else text[: width - 1] + "…"


def fines_history(penalties: pl.DataFrame, currency: Money | str = "USD") -> go.Figure:
    """Decisions that were provisional, amended or appealed: each history as a line from
    the first amount to the current one."""
    money = as_money(currency)
    title = f"Amended, appealed and provisional amounts (in {money.label})"
    if penalties.is_empty():
        return empty_figure(title)
    column = money.column
    chained = penalty_chains(penalties)
    sizes = chained.group_by("chain_id").len()
    multi = sizes.filter(pl.col("len") > 1)["chain_id"].to_list()
    if not multi:
        return empty_figure(title, "No amended or appealed amounts for this selection")
    traces = []
    for chain in multi:
        part = chained.filter(pl.col("chain_id") == chain).sort("announced_on")
        code = color_key(part)[0]
        traces.append(
            {
                "type": "scatter",
                "x": part["announced_on"].to_list(),
                "y": part[column].to_list(),
                "mode": "lines+markers",
                "name": f"{part['organization_name'][0]} {DASH} {_short(part['authority'][0], 30)}",
                "line": {"color": jurisdiction_color(code), "dash": "dot"},
                "marker": {"size": 11, "color": jurisdiction_color(code)},
                "hovertext": _penalty_hover(part, money),
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return _layout(
        traces,
        title,
        "Date of decision",
        f"Amount ({money.unit})",
        legend_title="Decision",
        legend=BELOW,
    )


# --- Regulatory actions -----------------------------------------------------------------


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
            f"<b>{_short(r['title'], 80)}</b><br>{humanize(r['action_type'])}, {r['status']}, {r['action_label']}<br>"
            f"{_short(r['authority'], 80)}"
            + (f"<br>Targets: {_short(r['targets'], 120)}" if r["targets"] else "")
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
    return _layout(
        traces,
        title,
        "Date of action",
        "Jurisdiction",
        legend_title="Action type",
        height=height,
        yaxis={"categoryorder": "array", "categoryarray": names[::-1]},
    )
