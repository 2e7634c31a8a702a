"""Pure figure builders: a small polars frame in, a plotly figure out. No data access.

Every chart has a title, axis titles with units and hover text with the exact figure and
its unit. A selection without data gets a figure that says so instead of empty axes.
"""

from __future__ import annotations

from collections.abc import Collection

import plotly.graph_objects as go
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


def category_style(code: str, taxonomy: tuple[str, ...]) -> tuple[str, str]:
    """(colour, marker symbol) of a taxonomy code: 8 colours x 4 symbols, stable."""
    index = taxonomy.index(code) if code in taxonomy else len(taxonomy)
    return OKABE_ITO[index % len(OKABE_ITO)], SYMBOLS[(index // len(OKABE_ITO)) % len(SYMBOLS)]


BELOW = {"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0}


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, **extra: object) -> go.Figure:
    legend = {"title": {"text": extra.pop("legend_title", "")}, **extra.pop("legend", {})}  # type: ignore[dict-item]
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        template="plotly_white",
        colorway=list(OKABE_ITO),
        font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 13},
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
        legend=legend,
        hoverlabel={"namelength": -1},
        **extra,
    )
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return fig


def empty_figure(title: str, message: str = NO_DATA) -> go.Figure:
    """A figure that states there is nothing to show, never blank axes."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        template="plotly_white",
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
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
        margin={"l": 20, "r": 20, "t": 60, "b": 20},
    )
    return fig


def message_of(fig: go.Figure) -> str | None:
    """The empty-selection message of a figure built by empty_figure, else None."""
    if fig.data or not fig.layout.annotations:
        return None
    return fig.layout.annotations[0].text


def _years(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return ""
    low, high = frame["year"].min(), frame["year"].max()
    return f"{low}" if low == high else f"{low}{DASH}{high}"


# --- Compare ----------------------------------------------------------------------------


def compare_line(series: pl.DataFrame, metric: Metric) -> go.Figure:
    """One line per jurisdiction over the years (columns jurisdiction_code,
    jurisdiction_name, year, value)."""
    title = f"{metric.label}, {_years(series)}".rstrip(", ")
    if not has_values(series):
        return empty_figure(title or metric.label)
    fig = go.Figure()
    for code in series["jurisdiction_code"].unique(maintain_order=True).to_list():
        rows = series.filter(pl.col("jurisdiction_code") == code).sort("year")
        values = rows["value"].to_list()
        fig.add_trace(
            go.Scatter(
                x=rows["year"].to_list(),
                y=values,
                name=rows["jurisdiction_name"][0],
                legendgroup=code,
                mode="lines+markers",
                line={"color": jurisdiction_color(code), "dash": jurisdiction_dash(code)},
                marker={"size": 6},
                text=[metric.format(v) for v in values],
                hovertemplate="<b>%{fullData.name}</b><br>%{x}: %{text}<extra></extra>",
                meta=code,
            )
        )
    return _layout(
        fig,
        title,
        "Year",
        metric.unit[:1].upper() + metric.unit[1:],
        legend_title="Jurisdiction",
        hovermode="closest",
    ).update_xaxes(dtick=2 if series["year"].n_unique() > 12 else 1)


def compare_bar(
    period: pl.DataFrame,
    metric: Metric,
    years: tuple[int, int],
    level: str,
    highlight: Collection[str] = (),
    top: int = 15,
) -> go.Figure:
    """The jurisdictions of one level ranked by the metric over the period (columns
    jurisdiction_code, jurisdiction_name, value); selected ones in their colour."""
    period_text = f"{years[0]}{DASH}{years[1]}" if years[0] != years[1] else str(years[0])
    title = f"Ranking by {level}: {metric.period_label(years[1]).lower()}, {period_text}"
    ranked = (
        period.filter(pl.col("value").is_not_null() & (pl.col("value") != 0))
        .sort("value", "jurisdiction_code", descending=[True, False])
        .head(top)
    )
    if ranked.is_empty():
        return empty_figure(title)
    codes = ranked["jurisdiction_code"].to_list()
    values = ranked["value"].to_list()
    fig = go.Figure(
        go.Bar(
            x=values,
            y=ranked["jurisdiction_name"].to_list(),
            orientation="h",
            marker={
                "color": [jurisdiction_color(c) if c in highlight else NEUTRAL for c in codes],
                "line": {"color": "#333333", "width": 0.5},
            },
            text=[metric.format(v) for v in values],
            textposition="auto",
            customdata=codes,
            hovertemplate="<b>%{y}</b><br>%{text}<extra></extra>",
            name=metric.label,
        )
    )
    unit = metric.unit if metric.mode != "cumulative" else f"{metric.unit}, cumulative"
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, unit[:1].upper() + unit[1:], "", showlegend=False)


def compare_map(period: pl.DataFrame, metric: Metric, years: tuple[int, int]) -> go.Figure:
    """World choropleth of the metric over the period by country (columns iso_alpha3,
    jurisdiction_name, value); countries without a figure stay grey."""
    period_text = f"{years[0]}{DASH}{years[1]}" if years[0] != years[1] else str(years[0])
    title = f"{metric.period_label(years[1])} by country, {period_text}"
    shown = period.filter(
        pl.col("iso_alpha3").is_not_null() & pl.col("value").is_not_null() & (pl.col("value") != 0)
    )
    if shown.is_empty():
        return empty_figure(title)
    values = shown["value"].to_list()
    fig = go.Figure(
        go.Choropleth(
            locations=shown["iso_alpha3"].to_list(),
            locationmode="ISO-3",
            z=values,
            text=[
                f"{n}: {metric.format(v)}"
                for n, v in zip(shown["jurisdiction_name"], values, strict=True)
            ],
            hovertemplate="%{text}<extra></extra>",
            colorscale="Cividis",
            marker={"line": {"color": "#ffffff", "width": 0.5}},
            colorbar={"title": {"text": metric.unit}},
        )
    )
    fig.update_geos(
        showframe=False,
        showcoastlines=False,
        showland=True,
        landcolor="#E5E5E5",
        showcountries=True,
        countrycolor="#ffffff",
        showocean=False,
        showlakes=False,
        showrivers=False,
        projection_type="natural earth",
        projection_rotation_lon=0,
        center={"lon": 0, "lat": 15},
        lonaxis_range=[-180, 180],
        lataxis_range=[-58, 84],
    )
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig


# --- Breaches ---------------------------------------------------------------------------


def breaches_largest(breaches: pl.DataFrame, log_scale: bool = True) -> go.Figure:
    """Largest breaches by records exposed, one bar each, coloured by jurisdiction."""
    title = "Largest breaches by records exposed"
    rows = breaches.filter(pl.col("records_exposed").is_not_null()).sort(
        "records_exposed", descending=True
    )
    if rows.is_empty():
        return empty_figure(title)
    fig = go.Figure()
    rows = rows.with_columns(color_key(rows).alias("_color"))
    for code in rows["_color"].unique(maintain_order=True).to_list():
        part = rows.filter(pl.col("_color") == code)
        fig.add_trace(
            go.Bar(
                x=part["records_exposed"].to_list(),
                y=[
                    f"{o} ({y})"
                    for o, y in zip(part["organization_name"], part["breach_year"], strict=True)
                ],
                orientation="h",
                name=part["jurisdiction_name"][0] if code == part["jurisdiction_code"][0] else code,
                marker={"color": jurisdiction_color(code)},
                text=[
                    f"{v:,} {u or 'records'}"
                    for v, u in zip(part["records_exposed"], part["records_unit"], strict=True)
                ],
                textposition="auto",
                hovertemplate="<b>%{y}</b><br>%{text} exposed<extra></extra>",
            )
        )
    order = [
        f"{o} ({y})" for o, y in zip(rows["organization_name"], rows["breach_year"], strict=True)
    ]
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    scale = " (log scale)" if log_scale else ""
    _layout(
        fig,
        title,
        f"Records exposed (records or individuals){scale}",
        "",
        legend_title="Jurisdiction",
    )
    if log_scale:
        fig.update_xaxes(type="log")
    return fig


def breaches_by_data_type(records: pl.DataFrame) -> go.Figure:
    """Records exposed per data type, stacked by breach."""
    title = "Records exposed by data type"
    if records.is_empty():
        return empty_figure(title)
    fig = go.Figure()
    for i, breach in enumerate(records["breach_id"].unique(maintain_order=True).to_list()):
        part = records.filter(pl.col("breach_id") == breach)
        label = f"{part['organization_name'][0]} ({part['breach_year'][0]})"
        fig.add_trace(
            go.Bar(
                x=part["records"].to_list(),
                y=[humanize(t) for t in part["data_type"]],
                orientation="h",
                name=label,
                marker={"color": OKABE_ITO[i % len(OKABE_ITO)]},
                text=[
                    f"{v:,} {u or 'records'}"
                    for v, u in zip(part["records"], part["records_unit"], strict=True)
                ],
                hovertemplate="<b>%{fullData.name}</b><br>%{y}: %{text}<extra></extra>",
            )
        )
    return _layout(
        fig,
        title,
        "Records exposed (records)",
        "",
        barmode="stack",
        legend_title="Breach",
        legend=BELOW,
    )


def breach_types_over_time(breaches: pl.DataFrame) -> go.Figure:
    """Breaches per year, stacked by breach type."""
    title = "Breach types over time"
    if breaches.is_empty():
        return empty_figure(title)
    counts = breaches.group_by("breach_year", "breach_type").len().sort("breach_year")
    fig = go.Figure()
    present = counts["breach_type"].unique().to_list()
    for code in sorted(
        present,
        key=lambda c: (c not in BREACH_TYPES, BREACH_TYPES.index(c) if c in BREACH_TYPES else 0, c),
    ):
        part = counts.filter(pl.col("breach_type") == code)
        color, _ = category_style(code, BREACH_TYPES)
        fig.add_trace(
            go.Bar(
                x=part["breach_year"].to_list(),
                y=part["len"].to_list(),
                name=humanize(code),
                marker={"color": color},
                hovertemplate="<b>%{fullData.name}</b><br>%{x}: %{y} breaches<extra></extra>",
            )
        )
    fig = _layout(
        fig,
        title,
        "Year reported",
        "Breaches (count)",
        barmode="stack",
        legend_title="Breach type",
        legend=BELOW,
    )
    return fig.update_xaxes(type="category", categoryorder="category ascending").update_yaxes(
        dtick=1
    )


# --- Fines & settlements ----------------------------------------------------------------


def _money(value: float | None, currency: str) -> str:
    return "n/a" if value is None else f"{value:,.2f} {currency}"


def _penalty_hover(rows: pl.DataFrame, currency: str) -> list[str]:
    column = f"amount_{currency.lower()}"
    return [
        f"<b>{r['organization_name']}</b> ({r['announced_label']}, {r['status']})<br>"
        f"{r['authority']}<br>"
        f"Original: {_money(r['amount'], r['currency'])}<br>"
        f"Converted: {_money(r[column], currency)}"
        for r in rows.iter_rows(named=True)
    ]


def fines_timeline(penalties: pl.DataFrame, currency: str = "USD") -> go.Figure:
    """Each decision at its date and converted amount, coloured by jurisdiction; superseded
    amounts as open markers."""
    title = f"Fines and settlements over time (in {currency} at the decision year's rate)"
    if penalties.is_empty():
        return empty_figure(title)
    column = f"amount_{currency.lower()}"
    rows = penalties.with_columns(color_key(penalties).alias("_color"))
    fig = go.Figure()
    for code in rows["_color"].unique(maintain_order=True).to_list():
        part = rows.filter(pl.col("_color") == code)
        fig.add_trace(
            go.Scatter(
                x=part["announced_on"].to_list(),
                y=part[column].to_list(),
                mode="markers",
                name=code,
                marker={
                    "color": jurisdiction_color(code),
                    "size": 13,
                    "symbol": ["circle" if c else "circle-open" for c in part["is_current"]],
                    "line": {"width": 2, "color": jurisdiction_color(code)},
                },
                text=_penalty_hover(part, currency),
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig = _layout(
        fig,
        title,
        "Date of decision",
        f"Amount ({currency}, log scale)",
        legend_title="Jurisdiction",
    )
    return fig.update_yaxes(type="log")


def fines_by_authority(penalties: pl.DataFrame, currency: str = "USD") -> go.Figure:
    """Current amounts per authority, one bar segment per jurisdiction."""
    title = f"Current amounts by authority (in {currency})"
    column = f"amount_{currency.lower()}"
    current = penalties.filter(pl.col("is_current"))
    if current.is_empty():
        return empty_figure(title)
    rows = (
        current.with_columns(color_key(current).alias("_color"))
        .group_by("authority", "_color")
        .agg(pl.col(column).sum().alias("total"), pl.len().alias("decisions"))
        .sort("total", descending=True)
    )
    fig = go.Figure()
    for code in rows["_color"].unique(maintain_order=True).to_list():
        part = rows.filter(pl.col("_color") == code)
        fig.add_trace(
            go.Bar(
                x=part["total"].to_list(),
                y=[_short(a) for a in part["authority"]],
                orientation="h",
                name=code,
                marker={"color": jurisdiction_color(code)},
                text=[
                    f"{_money(t, currency)} ({d} decision{'s' * (d != 1)})"
                    for t, d in zip(part["total"], part["decisions"], strict=True)
                ],
                customdata=part["authority"].to_list(),
                hovertemplate="<b>%{customdata}</b><br>%{text}<extra></extra>",
            )
        )
    fig.update_yaxes(autorange="reversed")
    return _layout(
        fig,
        title,
        f"Amount ({currency})",
        "",
        legend_title="Jurisdiction",
        barmode="stack",
        legend=BELOW,
    )


def _short(text: str | None, width: int = 45) -> str:
    if not text:
        return "Unknown"
    return text if len(text) <= width else text[: width - 1] + "…"


def fines_history(penalties: pl.DataFrame, currency: str = "USD") -> go.Figure:
    """Decisions that were provisional, amended or appealed: each history as a line from
    the first amount to the current one."""
    title = f"Amended, appealed and provisional amounts (in {currency})"
    if penalties.is_empty():
        return empty_figure(title)
    column = f"amount_{currency.lower()}"
    chained = penalty_chains(penalties)
    sizes = chained.group_by("chain_id").len()
    multi = sizes.filter(pl.col("len") > 1)["chain_id"].to_list()
    if not multi:
        return empty_figure(title, "No amended or appealed amounts for this selection")
    fig = go.Figure()
    for chain in multi:
        part = chained.filter(pl.col("chain_id") == chain).sort("announced_on")
        code = color_key(part)[0]
        fig.add_trace(
            go.Scatter(
                x=part["announced_on"].to_list(),
                y=part[column].to_list(),
                mode="lines+markers",
                name=f"{part['organization_name'][0]} {DASH} {_short(part['authority'][0], 30)}",
                line={"color": jurisdiction_color(code), "dash": "dot"},
                marker={"size": 11, "color": jurisdiction_color(code)},
                hovertext=_penalty_hover(part, currency),
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return _layout(
        fig,
        title,
        "Date of decision",
        f"Amount ({currency})",
        legend_title="Decision",
        legend=BELOW,
    )


# --- Regulatory actions -----------------------------------------------------------------


def actions_timeline(actions: pl.DataFrame) -> go.Figure:
    """Each action at its date on its jurisdiction's row, coloured by type."""
    title = "Regulatory actions by jurisdiction, coloured by type"
    if actions.is_empty():
        return empty_figure(title)
    fig = go.Figure()
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
        fig.add_trace(
            go.Scatter(
                x=part["action_on"].to_list(),
                y=part["jurisdiction_name"].to_list(),
                mode="markers",
                name=humanize(code),
                marker={
                    "color": color,
                    "symbol": symbol,
                    "size": 12,
                    "opacity": 0.85,
                    "line": {"width": 1, "color": "#333333"},
                },
                text=hover,
                customdata=part["action_id"].to_list(),
                hovertemplate="%{text}<extra></extra>",
            )
        )
    names = (
        actions.sort("jurisdiction_name")["jurisdiction_name"].unique(maintain_order=True).to_list()
    )
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
    height = max(380, 110 + 45 * len(names))
    return _layout(
        fig, title, "Date of action", "Jurisdiction", legend_title="Action type", height=height
    )
