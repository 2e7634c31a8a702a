"""Pure polars transforms between the data module's frames and the figures."""

from __future__ import annotations

import polars as pl

from dashboards.metrics import Metric

ACRONYMS = {"ssn": "SSN", "ip_address": "IP address"}


def humanize(code: str | None) -> str:
    """'procurement_rule' -> 'Procurement rule'."""
    if not code:
        return "Unknown"
    if code in ACRONYMS:
        return ACRONYMS[code]
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


def series(frame: pl.DataFrame, metric: Metric) -> pl.DataFrame:
    """One row per jurisdiction and year with the metric's value."""
    return frame.select(
        "jurisdiction_code",
        "jurisdiction_name",
        "year",
        pl.col(metric.column).cast(pl.Float64).alias("value"),
    ).sort("jurisdiction_code", "year")


def period_values(frame: pl.DataFrame, metric: Metric) -> pl.DataFrame:
    """The metric over the whole period per jurisdiction: the sum of the yearly figures,
    or for a cumulative metric its value in the last year. A per-million figure is null
    unless every year of the period has a population (a gap, not a partial sum)."""
    col = pl.col(metric.column).cast(pl.Float64)
    if metric.mode == "cumulative":
        value = col.sort_by("year").last()
    elif metric.mode == "per_million":
        value = pl.when(col.is_null().any()).then(None).otherwise(col.sum())
    else:
        value = pl.when(col.is_null().all()).then(None).otherwise(col.sum())
    return (
        frame.group_by("jurisdiction_code", "jurisdiction_name", "iso_alpha3")
        .agg(value.alias("value"))
        .sort("value", "jurisdiction_code", descending=[True, False], nulls_last=True)
    )


def has_values(frame: pl.DataFrame, column: str = "value") -> bool:
    """Whether any row has a non-zero, non-null figure."""
    if frame.is_empty() or column not in frame.columns:
        return False
    return bool(frame.select((pl.col(column).fill_null(0) != 0).any()).item())


def color_key(frame: pl.DataFrame) -> pl.Series:
    """The jurisdiction a fact row is coloured by: its country, else its own code (EU)."""
    return frame.select(pl.coalesce("country_code", "jurisdiction_code")).to_series()
