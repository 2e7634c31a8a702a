"""What every figure shares: the layout (title, axis titles with units, legend, colours),
the figure for an empty selection, stable colours of the fixed taxonomies, and text
helpers.

Figures are built from plain dicts and wrapped in ``go.Figure`` without plotly's
per-property validation (``figure``): validating costs ten times as much as the rest of
a callback. tests/test_dashboard_figures.py validates what every builder returns instead.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from dashboards.colors import OKABE_ITO, SYMBOLS

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


def figure(traces: list[Spec], layout: Spec) -> go.Figure:
    """A figure of plain-dict traces and layout, not validated property by property."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def title_spec(text: str, subtitle: str = "") -> Spec:
    """A title, with a smaller second line (what a per-capita chart divided by) if any."""
    title: Spec = {"text": text, "x": 0.01, "xanchor": "left"}
    if subtitle:
        title["subtitle"] = {"text": subtitle, "font": {"size": 11, "color": "#444444"}}
    return title


def top_margin(subtitle: str) -> int:
    return 60 + 14 * (subtitle.count("<br>") + 1) if subtitle else 60


def chart(
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
    return figure(
        traces,
        {
            "title": title_spec(title, subtitle),
            "colorway": list(OKABE_ITO),
            "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 13},
            "margin": {"l": 70, "r": 20, "t": top_margin(subtitle), "b": 60},
            "legend": {"title": {"text": legend_title}, **(legend or {})},
            "hoverlabel": {"namelength": -1},
            "xaxis": {"title": {"text": x_title}, **(xaxis or {})},
            "yaxis": {"title": {"text": y_title}, **(yaxis or {})},
            **extra,
        },
    )


def empty_figure(title: str, message: str = NO_DATA, subtitle: str = "") -> go.Figure:
    """A figure that states there is nothing to show, never blank axes."""
    return figure(
        [],
        {
            "title": title_spec(title, subtitle),
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
            "margin": {"l": 20, "r": 20, "t": top_margin(subtitle), "b": 20},
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


def year_span(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return ""
    low, high = frame["year"].min(), frame["year"].max()
    return f"{low}" if low == high else f"{low}{DASH}{high}"


def shorten(text: str | None, width: int = 45) -> str:
    if not text:
        return "Unknown"
    return text if len(text) <= width else text[: width - 1] + "…"


def money_text(value: float | None, currency: str) -> str:
    return "n/a" if value is None else f"{value:,.2f} {currency}"
