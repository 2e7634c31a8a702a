"""Row checks for the tabular sources (polars): a bad field quarantines its row with a
reason instead of failing the load, and the rows are counted as they are split."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from ingest.core import (
    ABSURD_COUNT,
    AMOUNT,
    EARLIEST_DATE,
    LOCATOR,
    RECORDS,
    Accounting,
    IngestFormatError,
)
from ingest.textfile import BROKEN_MARK

QUARANTINE_COLUMNS = ["record_locator", "field", "value", "reason", "raw_record"]
BROKEN_ENCODING = "broken encoding (bytes that are not valid UTF-8)"


@dataclass(frozen=True)
class Check:
    """A reason (String, null when the row is fine) attached to the source field it is about."""

    field: str
    reason: pl.Expr
    value: pl.Expr | None = None
    field_expr: pl.Expr | None = None  # the field's name per row, when it varies


def blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column).str.strip_chars() == "")


def required(column: str) -> Check:
    return Check(column, pl.when(blank(column)).then(pl.lit("missing required field")))


def encoding_checks(columns: Iterable[str]) -> list[Check]:
    """Fields that held bytes that are not valid UTF-8 (marked by ingest.textfile)."""
    return [
        Check(
            c,
            pl.when(pl.col(c).str.contains(BROKEN_MARK, literal=True)).then(
                pl.lit(BROKEN_ENCODING)
            ),
        )
        for c in columns
    ]


def parse_count(column: str) -> pl.Expr:
    """A whole number as exports write it: '1234', '1,234,567', ' 42 '; null otherwise."""
    text = pl.col(column).str.strip_chars()
    cleaned = (
        pl.when(text.str.contains(r"^\d{1,3}(,\d{3})+$"))
        .then(text.str.replace_all(",", "", literal=True))
        .otherwise(text)
    )
    return (
        pl.when(cleaned.str.contains(r"^-?\d+$"))
        .then(cleaned.cast(pl.Int64, strict=False))
        .otherwise(pl.lit(None, dtype=pl.Int64))
    )


def count_checks(
    column: str,
    parsed: pl.Expr,
    *,
    is_required: bool = True,
    floor: tuple[int, str] | None = None,
) -> list[Check]:
    """A count's checks: readable, not negative, not absurd, and not below ``floor``
    (the smallest count the source can publish, with the reason to give)."""
    checks = [required(column)] if is_required else []
    reason = (
        pl.when(~blank(column) & parsed.is_null())
        .then(pl.lit("unparseable number"))
        .when(parsed < 0)
        .then(pl.lit("negative value"))
        .when(parsed > ABSURD_COUNT)
        .then(pl.lit(f"absurd value (more than {ABSURD_COUNT:,})"))
    )
    if floor is not None:
        reason = reason.when(parsed < floor[0]).then(pl.lit(floor[1]))
    checks.append(Check(column, reason))
    return checks


def date_checks(
    column: str, parsed: pl.Expr, today: dt.date, expected: str, *, is_required: bool = True
) -> list[Check]:
    checks = [required(column)] if is_required else []
    checks.append(
        Check(
            column,
            pl.when(~blank(column) & parsed.is_null())
            .then(pl.lit(f"impossible or malformed date (expected {expected})"))
            .when(parsed > pl.lit(today))
            .then(pl.lit("future date"))
            .when(parsed < pl.lit(EARLIEST_DATE))
            .then(pl.lit(f"implausible date (before {EARLIEST_DATE.isoformat()})")),
        )
    )
    return checks


@dataclass
class CheckedRows:
    """The rows that passed every check (with the accounting columns), one quarantine row
    per failed field, and the accounting of every row read."""

    good: pl.LazyFrame
    quarantine: pl.LazyFrame
    accounting: Accounting


def apply_checks(
    frame: pl.LazyFrame,
    checks: list[Check],
    *,
    locator: pl.Expr,
    raw_record: pl.Expr,
    records: pl.Expr | None = None,
    amount: pl.Expr | None = None,
    amount_currency: str | None = None,
) -> CheckedRows:
    """Split ``frame`` into the rows that pass every check and one quarantine row per
    failure, and count every row (``records``/``amount``: what the row states)."""
    names = [f"__reason_{i}" for i in range(len(checks))]
    tagged = frame.with_columns(
        locator.cast(pl.String).alias(LOCATOR),
        raw_record.cast(pl.String).str.replace_all(BROKEN_MARK, "", literal=True).alias("__raw"),
        (records if records is not None else pl.lit(None)).cast(pl.Int64).alias(RECORDS),
        (amount if amount is not None else pl.lit(None)).cast(pl.Decimal(18, 2)).alias(AMOUNT),
        *[check.reason.alias(name) for check, name in zip(checks, names, strict=True)],
        *[
            (check.value if check.value is not None else pl.col(check.field))
            .cast(pl.String)
            .str.replace_all(BROKEN_MARK, "", literal=True)
            .alias(f"{name}_value")
            for check, name in zip(checks, names, strict=True)
        ],
    )
    is_bad = pl.any_horizontal([pl.col(n).is_not_null() for n in names]) if names else pl.lit(False)
    tagged = tagged.with_columns(is_bad.alias("__bad"))
    good = tagged.filter(~pl.col("__bad")).drop(
        ["__raw", "__bad", *names, *[f"{n}_value" for n in names]]
    )
    bad = (
        pl.concat(
            [
                tagged.filter(pl.col(name).is_not_null()).select(
                    pl.col(LOCATOR).alias("record_locator"),
                    (check.field_expr if check.field_expr is not None else pl.lit(check.field))
                    .cast(pl.String)
                    .alias("field"),
                    pl.col(f"{name}_value").alias("value"),
                    pl.col(name).alias("reason"),
                    pl.col("__raw").alias("raw_record"),
                )
                for check, name in zip(checks, names, strict=True)
            ]
        )
        if checks
        else empty_quarantine()
    )
    return CheckedRows(good, bad, _account(tagged, amount_currency))


def _account(tagged: pl.LazyFrame, amount_currency: str | None) -> Accounting:
    bad = pl.col("__bad")
    wide = pl.Decimal(38, 2)
    totals = (
        tagged.select(
            pl.len().alias("rows"),
            bad.sum().alias("rows_bad"),
            pl.col(RECORDS).sum().alias("records"),
            pl.col(RECORDS).filter(bad).sum().alias("records_bad"),
            pl.col(AMOUNT).cast(wide).sum().alias("amount"),
            pl.col(AMOUNT).cast(wide).filter(bad).sum().alias("amount_bad"),
        )
        .collect(engine="streaming")
        .row(0, named=True)
    )
    return Accounting(
        rows_read=int(totals["rows"]),
        rows_quarantined=int(totals["rows_bad"] or 0),
        records_read=int(totals["records"] or 0),
        records_quarantined=int(totals["records_bad"] or 0),
        amount_read=Decimal(totals["amount"] or 0),
        amount_quarantined=Decimal(totals["amount_bad"] or 0),
        amount_currency=amount_currency,
    )


def empty_quarantine() -> pl.LazyFrame:
    return pl.LazyFrame(schema=dict.fromkeys(QUARANTINE_COLUMNS, pl.String()))


def check_columns(path_label: str, found: list[str], expected: list[str], what: str) -> None:
    missing = [c for c in expected if c not in found]
    if missing:
        raise IngestFormatError(
            f"{path_label}: not a {what}: expected columns {expected}, "
            f"missing {missing} (found {found[:12]})"
        )
