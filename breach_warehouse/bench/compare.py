"""Does the warehouse's agg_jurisdiction_year_metrics agree with the pandas baseline's?

Counts must be equal, money equal to the cent (the baseline writes money as whole cents),
per-million figures equal to floating-point rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

KEYS = ["jurisdiction_code", "year"]
MONEY = {
    "penalties_usd",
    "penalties_eur",
    "largest_penalty_usd",
    "cumulative_penalties_usd",
    "cumulative_penalties_eur",
    "penalties_usd_constant",
    "cumulative_penalties_usd_constant",
}


@dataclass
class Agreement:
    rows: int
    columns: int
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def compare_metrics(warehouse: pl.DataFrame, baseline: pl.DataFrame) -> Agreement:
    """Compare every column the two marts share, row by row on (jurisdiction, year)."""
    shared = [c for c in warehouse.columns if c in baseline.columns and c not in KEYS]
    missing = [c for c in warehouse.columns if c not in baseline.columns]
    agreement = Agreement(rows=warehouse.height, columns=len(shared))
    if missing:
        agreement.differences.append(f"columns missing from the baseline: {missing}")
    if warehouse.height != baseline.height:
        agreement.differences.append(
            f"rows: warehouse {warehouse.height}, baseline {baseline.height}"
        )
    w = warehouse.with_columns(pl.col("year").cast(pl.Int64)).select(KEYS + shared)
    b = baseline.with_columns(pl.col("year").cast(pl.Int64)).select(KEYS + shared)
    joined = w.join(b, on=KEYS, how="full", suffix="__b", coalesce=True)
    for column in shared:
        left, right = pl.col(column), pl.col(f"{column}__b")
        if column in MONEY:
            left = (left.cast(pl.Decimal(38, 2)) * 100).cast(pl.Int64)
            right = right.cast(pl.Int64)
        elif column.endswith("_per_million"):
            left, right = left.cast(pl.Float64), right.cast(pl.Float64)
            same = (left.is_null() & right.is_null()) | (
                (left - right).abs()
                <= 1e-9 * pl.max_horizontal(left.abs(), right.abs(), pl.lit(1.0))
            )
            bad = joined.filter(~same.fill_null(False))
            _note(agreement, column, bad, column)
            continue
        elif warehouse.schema[column].is_numeric():
            left, right = left.cast(pl.Int64), right.cast(pl.Int64)
        else:
            left, right = left.cast(pl.String), right.cast(pl.String)
        bad = joined.filter(~left.eq_missing(right))
        _note(agreement, column, bad, column)
    return agreement


def _note(agreement: Agreement, column: str, bad: pl.DataFrame, name: str) -> None:
    if bad.height:
        first = bad.row(0, named=True)
        agreement.differences.append(
            f"{name}: {bad.height} rows differ, e.g. {first['jurisdiction_code']} {first['year']}: "
            f"warehouse {first[column]!r}, baseline {first[f'{column}__b']!r}"
        )
