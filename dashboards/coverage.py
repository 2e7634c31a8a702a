"""The coverage note beside every comparison chart: which sources the figures stand on.

Comparisons across jurisdictions mostly reflect which sources cover which country (US
breaches from HHS, EU fines from the GDPR tracker, HIBP only at world level), so each
comparison says, per jurisdiction, which sources contribute and how much. Pure functions
from the frames of ``dashboards.sources`` to Dash components.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from dash import html

SOURCE_LABELS: dict[str, str] = {
    "seed": "source documents",
    "hhs_ocr": "HHS OCR",
    "vcdb": "VCDB",
    "hibp": "HIBP",
    "gdpr_fines": "GDPR Enforcement Tracker",
    "ecb_fx": "ECB",
    "synthetic": "synthetic data",
}
METRIC_NOUNS: dict[str, str] = {
    "breaches": "breaches",
    "penalties": "penalties",
    "regulatory_actions": "regulatory actions",
}
CAUTION = (
    "Differences between jurisdictions mostly reflect which sources cover them, not how "
    "often things happen there."
)


def source_label(name: str) -> str:
    return SOURCE_LABELS.get(name, name)


def _share(value: float) -> str:
    return "<1%" if 0 < value < 0.005 else f"{value:.0%}"


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def selection_coverage(
    frame: pl.DataFrame,
    codes: Sequence[str],
    names: dict[str, str],
    metric: str,
    years: Sequence[int],
) -> list[html.Div | html.P | html.Ul]:
    """Per selected jurisdiction, its sources with their facts and share; the selected
    jurisdictions no source covers are named."""
    noun = METRIC_NOUNS.get(metric, metric)
    items = []
    for code in codes:
        rows = frame.filter(pl.col("jurisdiction_code") == code)
        name = names.get(code, code)
        if rows.is_empty():
            items.append(html.Li(f"{name}: no source reports {noun} in these years."))
            continue
        parts = [
            f"{source_label(r['source_name'])} {r['facts']:,} ({_share(r['share'])}, "
            f"{_span(r['first_year'], r['last_year'])})"
            for r in rows.iter_rows(named=True)
        ]
        items.append(html.Li(f"{name}: " + "; ".join(parts)))
    return [
        html.P(
            f"Sources behind these {noun}, {_span(min(years), max(years))} "
            "(a fact several sources report counts for each). " + CAUTION,
            className="coverage-title",
        ),
        html.Ul(items),
    ]


def level_coverage_note(frame: pl.DataFrame, level_label: str, metric: str) -> html.P:
    """One line on the ranking and the map: how many jurisdictions each source covers."""
    noun = METRIC_NOUNS.get(metric, metric)
    if frame.is_empty():
        return html.P(f"No source reports {noun} for any {level_label} in these years.")
    with_facts = int(frame["with_facts"][0])
    parts = [
        f"{source_label(r['source_name'])} {r['jurisdictions']:,}"
        for r in frame.iter_rows(named=True)
    ]
    text = (
        f"Ranking and map: {with_facts:,} {level_label} jurisdictions have {noun}; sources "
        f"reporting them, by jurisdictions covered: {', '.join(parts)}."
    )
    if metric == "breaches":
        text += " HIBP states no country: its breaches count at world level only."
    return html.P(text, className="coverage-level")
