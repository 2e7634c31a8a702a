"""What a per-capita chart divided by: the population series, their years and flags, from
the population columns of agg_jurisdiction_year_metrics (population, population_basis,
population_year, population_source_id). Pure: a polars frame in, a sentence out."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

DASH = "\u2013"
# Short names of the population series (seeds/sources.csv); others show their source id.
SERIES: dict[str, str] = {
    "ref_world_bank_population": "World Bank SP.POP.TOTL",
    "ref_us_census_nst_est2024": "US states: Census V2024",
    "ref_census_state_estimates_khnews": "US states: earlier Census estimates",
    "ref_china_census_2020": "2020 census",
}
NAMED = 3  # jurisdictions named before a note counts them instead


def year_spans(years: Iterable[int]) -> str:
    """'2000-2019, 2026' (en dashes) from the years, consecutive ones as a range."""
    ordered = sorted(set(years))
    spans: list[str] = []
    start = previous = None
    for year in [*ordered, None]:
        if year is not None and previous is not None and year == previous + 1:
            previous = year
            continue
        if start is not None:
            spans.append(str(start) if start == previous else f"{start}{DASH}{previous}")
        start = previous = year
    return ", ".join(spans)


def _names(frame: pl.DataFrame) -> str:
    names = frame["jurisdiction_name"].unique(maintain_order=True).to_list()
    if len(names) <= NAMED:
        return ", ".join(names)
    return f"{len(names)} jurisdictions ({', '.join(names[:NAMED])}, ...)"


def _series(source: str | None) -> str:
    return SERIES.get(source or "", source or "several series")


def population_note(frame: pl.DataFrame) -> str:
    """'Per million inhabitants of each year: World Bank SP.POP.TOTL 2010-2024; ...'."""
    if frame.is_empty() or "population_basis" not in frame.columns:
        return ""
    parts: list[str] = []
    known = frame.filter(pl.col("population").is_not_null())
    published = known.filter(pl.col("population_basis") == "published")
    for source, years in (
        published.group_by("population_source_id")
        .agg(pl.col("year"))
        .sort(pl.col("year").list.min(), "population_source_id")
        .iter_rows()
    ):
        parts.append(f"{_series(source)} {year_spans(years)}")
    sums = known.filter(pl.col("population_basis") == "sum_of_members")
    if sums.height:
        sources = sorted({_series(s) for s in sums["population_source_id"]})
        parts.append(
            f"{_names(sums)}: sum of the member countries of each year ({', '.join(sources)})"
        )
    carried = known.filter(pl.col("population_year") < pl.col("year"))
    for (year, figure), _ in carried.group_by("year", "population_year", maintain_order=True):
        parts.append(f"{year}: the {figure} figure carried forward")
    static = known.filter(pl.col("population_basis") == "static")
    if static.height:
        sources = sorted({_series(s) for s in static["population_source_id"]})
        parts.append(f"one static figure for every year ({', '.join(sources)}): {_names(static)}")
    missing = frame.filter(pl.col("population").is_null())
    if missing.height:
        always = (
            missing.group_by("jurisdiction_code")
            .len()
            .join(frame.group_by("jurisdiction_code").len(), on="jurisdiction_code")
        )
        never = always.filter(pl.col("len") == pl.col("len_right"))["jurisdiction_code"]
        some = missing.filter(~pl.col("jurisdiction_code").is_in(never.implode()))
        gaps = []
        if some.height:
            gaps.append(year_spans(some["year"].to_list()))
        if never.len():
            gaps.append(_names(missing.filter(pl.col("jurisdiction_code").is_in(never.implode()))))
        parts.append(f"no population, shown as gaps: {'; '.join(gaps)}")
    return "Per million inhabitants of each year: " + "; ".join(parts)


def wrap(text: str, width: int = 110) -> str:
    """Plotly text with <br> breaks so a long note fits the chart."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line])
