"""What every source parser returns, and the limits and hashing they share.

A parser reads one input and returns a :class:`ParseResult`: its rows per raw table, the
fields it rejected (the quarantine) and an :class:`Accounting` of every row it read: how
many it accepted, quarantined or found to repeat another row exactly, with the records
(or money) those rows state. The loader adds what it finds across the accepted rows (exact
repeats, conflicting rows of one id) and checks that the rows balance before it writes
anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import polars as pl

# More records than any source has ever stated for one breach (the largest real
# statements are in the tens of billions): a typo, not a fact.
ABSURD_COUNT = 1_000_000_000_000
# A count a source really states but that needs care in any comparison (HIBP and VCDB
# list leaks of 10 and more billion records): kept, and flagged `very_large_count`.
VERY_LARGE_COUNT = 1_000_000_000
ABSURD_AMOUNT = 100_000_000_000  # a fine above 100 billion in any currency
EARLIEST_DATE = dt.date(1970, 1, 1)

# Columns a parser adds to its primary table for the loader's accounting; never written.
LOCATOR = "__locator"  # where the row is in the input ("row 12", "<file>.json")
RECORDS = "__records"  # the records the row states (null: none stated or not readable)
AMOUNT = "__amount"  # the money the row states (penalty sources)
ACCOUNTING_COLUMNS = (LOCATOR, RECORDS, AMOUNT)


class IngestFormatError(ValueError):
    """The input is refused (wrong columns, not JSON, unsafe or over a limit): the load
    fails, writing nothing."""


class IngestEmptyError(ValueError):
    """The input holds no usable row (none read, or every row quarantined or a duplicate):
    the load writes nothing unless empty loads are allowed."""


@dataclass(frozen=True)
class ParseContext:
    source_name: str
    source_file: str
    today: dt.date
    work_dir: Path  # scratch space for spooled batches, removed after the load


@dataclass
class Accounting:
    """Where every row a parser read went, in rows and in what the rows state.

    ``records`` are the records exposed a breach source states (the rates for ECB), and
    ``amount`` the money a penalty source states in ``amount_currency``; a row whose
    figure could not be read counts as a row but adds no records.
    """

    rows_read: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    records_read: int = 0
    records_quarantined: int = 0
    records_duplicate: int = 0
    amount_read: Decimal = Decimal(0)
    amount_quarantined: Decimal = Decimal(0)
    amount_duplicate: Decimal = Decimal(0)
    amount_currency: str | None = None

    def merge(self, other: Accounting) -> Accounting:
        """This accounting plus ``other``'s (rows a reader set aside before the checks)."""
        for name in (
            "rows_read",
            "rows_quarantined",
            "rows_duplicate",
            "records_read",
            "records_quarantined",
            "records_duplicate",
            "amount_read",
            "amount_quarantined",
            "amount_duplicate",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def add_row(self, outcome: str, records: int | None = None, amount: object = None) -> None:
        """Count one row read: ``accepted``, ``quarantined`` or ``duplicate``."""
        number = records or 0
        money = Decimal(str(amount)) if amount is not None else Decimal(0)
        self.rows_read += 1
        self.records_read += number
        self.amount_read += money
        if outcome == "quarantined":
            self.rows_quarantined += 1
            self.records_quarantined += number
            self.amount_quarantined += money
        elif outcome == "duplicate":
            self.rows_duplicate += 1
            self.records_duplicate += number
            self.amount_duplicate += money


@dataclass
class ParseResult:
    """Business rows per raw table (lazy), the quarantined fields and the accounting.

    The primary table's rows carry :data:`LOCATOR`, :data:`RECORDS` and :data:`AMOUNT`.
    ``rows_are_primary``: one input row is one primary row (false for ECB, whose input row
    is a day and whose primary rows are that day's rates).
    """

    primary_table: str
    tables: dict[str, pl.LazyFrame]
    quarantine: pl.LazyFrame
    accounting: Accounting
    as_of_hint: dt.date | None = None
    as_of_basis: str = ""
    rows_are_primary: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return self.accounting.rows_read


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_expr(expr: pl.Expr, length: int = 64) -> pl.Expr:
    """A stable SHA-256 (hex) of a string expression; polars' own hash is not stable."""
    return expr.map_batches(
        lambda s: pl.Series(
            [None if v is None else sha256_hex(v)[:length] for v in s.to_list()],
            dtype=pl.String,
        ),
        return_dtype=pl.String,
    )


def row_text(columns: Iterable[str]) -> pl.Expr:
    """One string per row from the given columns, nulls distinct from empty strings."""
    return pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("\x00") for c in columns], separator="\x1f"
    )


def map_str(expr: pl.Expr, fn: Callable[[str], str | None]) -> pl.Expr:
    """Apply a Python string function element-wise (nulls stay null)."""
    return expr.map_elements(fn, return_dtype=pl.String, skip_nulls=True)


def join_flags(flags: Iterable[str | None]) -> str | None:
    """Data-quality flags as stored: '|'-joined in the given order, null when none."""
    kept = [f for f in flags if f]
    return "|".join(kept) or None


def flags_expr(*conditions: tuple[pl.Expr, str]) -> pl.Expr:
    """The polars form of :func:`join_flags`: each flag whose condition holds."""
    parts = [pl.when(cond).then(pl.lit(flag)) for cond, flag in conditions]
    joined = pl.concat_str(parts, separator="|", ignore_nulls=True)
    return pl.when(joined == "").then(pl.lit(None, dtype=pl.String)).otherwise(joined)


def organization_rows(rows: pl.LazyFrame, sector: pl.Expr) -> pl.LazyFrame:
    """The organizations table of a source's rows: one row per row that names an
    organization, keyed by its normalized name, with the sector as the source states it."""
    return rows.filter(pl.col("organization_key").is_not_null()).select(
        pl.col("organization_key").alias("source_record_id"),
        "organization_name",
        "organization_key",
        "jurisdiction_code",
        sector.str.strip_chars().alias("sector_raw"),
    )
