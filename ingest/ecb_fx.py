"""Parse the ECB euro foreign exchange reference rate history (eurofxref-hist).

The ECB publishes ``eurofxref-hist.csv`` (also inside ``eurofxref-hist.zip``): a header row
``Date,USD,JPY,...`` (usually with a trailing comma, hence a trailing empty column), then one row
per business day, newest first, with units of each currency per one euro and ``N/A`` for gaps.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl

DATE_COLUMN = "Date"
MISSING_MARKERS = ("N/A", "")
SIGNIFICANT_DIGITS = 8
YEAR_END_CUTOFF_DAY = 15  # a final year whose data ends before 15 December is year-to-date


def _read_bytes(path: Path) -> bytes:
    """Return the CSV bytes of ``path``, a ``.csv`` file or a ``.zip`` holding exactly one CSV."""
    if path.suffix.lower() != ".zip":
        return path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        members = [name for name in archive.namelist() if name.lower().endswith(".csv")]
        if len(members) != 1:
            raise ValueError(
                f"{path}: expected exactly one .csv member in the zip, found {members}"
            )
        return archive.read(members[0])


def _wide_frame(path: Path) -> pl.DataFrame:
    """Read the wide ECB table as strings, with blank (trailing-comma) columns dropped."""
    wide = pl.read_csv(io.BytesIO(_read_bytes(path)), infer_schema=False)
    wide = wide.rename({name: name.strip() for name in wide.columns})
    if DATE_COLUMN not in wide.columns:
        raise ValueError(
            f"{path}: expected an ECB eurofxref-hist CSV whose header starts with a "
            f"'{DATE_COLUMN}' column, got columns {wide.columns[:5]}"
        )
    return wide.select([name for name in wide.columns if name])


def read_ecb_history(path: Path) -> pl.DataFrame:
    """Read an ECB eurofxref-hist ``.csv`` or ``.zip`` into long format.

    Returns columns ``date`` (Date), ``currency`` (Utf8) and ``per_eur`` (Float64, units of the
    currency per euro), one row per quoted day and currency, gaps dropped, sorted by currency
    and date.
    """
    wide = _wide_frame(path)
    return (
        wide.unpivot(index=DATE_COLUMN, variable_name="currency", value_name="per_eur")
        .with_columns(pl.col("per_eur").str.strip_chars(), pl.col(DATE_COLUMN).str.strip_chars())
        .filter(pl.col("per_eur").is_not_null() & ~pl.col("per_eur").is_in(MISSING_MARKERS))
        .select(
            pl.col(DATE_COLUMN).str.to_date("%Y-%m-%d").alias("date"),
            pl.col("currency").cast(pl.Utf8),
            pl.col("per_eur").cast(pl.Float64),
        )
        .sort("currency", "date")
    )


def _with_euro(daily: pl.DataFrame) -> pl.DataFrame:
    """Add EUR at 1 per euro on every day USD is quoted (unless EUR is already present)."""
    if daily.filter(pl.col("currency") == "EUR").height:
        return daily
    euro = daily.filter(pl.col("currency") == "USD").with_columns(
        currency=pl.lit("EUR"), per_eur=pl.lit(1.0)
    )
    return pl.concat([daily, euro])


def _daily_rates(daily: pl.DataFrame) -> pl.DataFrame:
    """Per-day rate_to_eur and rate_to_usd for every currency on days USD is also quoted."""
    usd = daily.filter(pl.col("currency") == "USD").select("date", usd_per_eur="per_eur")
    return (
        _with_euro(daily)
        .join(usd, on="date", how="inner")
        .select(
            "currency",
            "date",
            pl.col("date").dt.year().alias("year"),
            (1.0 / pl.col("per_eur")).alias("rate_to_eur"),
            (pl.col("usd_per_eur") / pl.col("per_eur")).alias("rate_to_usd"),
        )
    )


def _final_partial_year(daily: pl.DataFrame) -> int | None:
    """The last year in the data if its last quoted day is before 15 December, else None."""
    last = daily.get_column("date").max()
    if last is None or (last.month, last.day) >= (12, YEAR_END_CUTOFF_DAY):
        return None
    return last.year


def annual_averages(daily: pl.DataFrame, first_year: int, last_year: int) -> pl.DataFrame:
    """Average the daily ECB rates per currency and year, ``first_year``..``last_year``.

    ``daily`` is the output of :func:`read_ecb_history`. For each day USD is quoted,
    rate_to_eur = 1 / per_eur and rate_to_usd = per_eur(USD) / per_eur(currency); these are then
    averaged per currency and year (EUR is 1 per euro on each such day; USD's rate_to_usd is 1).
    ``observations`` is the number of days averaged. The last year in the data is a
    ``year_to_date_average`` if it ends before 15 December, otherwise years are
    ``annual_average``. Only currencies with observations in every year of the range are kept.
    Rates are rounded to 8 significant digits.
    """
    partial_year = _final_partial_year(daily)
    is_partial = pl.lit(False) if partial_year is None else pl.col("year") == partial_year
    n_years = last_year - first_year + 1
    annual = (
        _daily_rates(daily)
        .filter(pl.col("year").is_between(first_year, last_year))
        .group_by("currency", "year")
        .agg(
            pl.col("rate_to_usd").mean(),
            pl.col("rate_to_eur").mean(),
            pl.len().cast(pl.Int32).alias("observations"),
        )
    )
    return (
        annual.filter(pl.col("year").n_unique().over("currency") == n_years)
        .select(
            "currency",
            pl.col("year").cast(pl.Int32),
            pl.col("rate_to_usd").round_sig_figs(SIGNIFICANT_DIGITS),
            pl.col("rate_to_eur").round_sig_figs(SIGNIFICANT_DIGITS),
            "observations",
            pl.when(is_partial)
            .then(pl.lit("year_to_date_average"))
            .otherwise(pl.lit("annual_average"))
            .alias("rate_basis"),
        )
        .sort("currency", "year")
    )


# ---------------------------------------------------------------- ingest: raw fx_rates

SOURCE_NAME = "ecb_fx"
DEFAULT_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
ABSURD_RATE = 1_000_000_000.0
RECORDS_UNIT = "rates"  # an input row is a day; its records are its quoted rates
EXCLUDED = None


MIN_RATE = 0.0001  # units per euro: the smallest real rate is 0.3883 (CYP, MTL, KWD ~0.3)
RATE_TEXT = r"^\d+(\.\d+)?$"  # the ECB writes plain decimals: 1.0823, 20275.17


def parse(path: Path, ctx):
    """Raw fx_rates for the ingest layer: one row per quoted day and currency.

    An input row is a day; its records are its quoted rates. Gaps (``N/A``, empty) are the
    format, not values. A day whose date is impossible or in the future, a day that
    appears twice with other rates, a row of another width and a row whose values are
    shifted (ingest.ecb_wide) are quarantined with every rate; a rate that is not a plain
    positive decimal within bounds (no exponent, NaN or Infinity), or of a column that is
    no ISO 4217 code, is quarantined on its own (the day's other rates load). A day that
    repeats another exactly is a duplicate.
    """
    from ingest.checks import date_checks, empty_quarantine
    from ingest.core import Accounting, ParseResult
    from ingest.dates import ISO_DATE
    from ingest.ecb_wide import read_wide
    from ingest.reference import is_currency
    from ingest.textfile import encoding_note

    table = read_wide(path, ctx.work_dir)
    wide, currencies = table.frame, table.currencies
    content = [DATE_COLUMN, *currencies]
    wide = wide.with_columns(
        pl.int_range(pl.len()).over(content).alias("__copy"),
        pl.struct(content).n_unique().over(DATE_COLUMN).alias("__versions"),
    )
    text = pl.col(DATE_COLUMN)
    day = pl.when(text.str.contains(ISO_DATE)).then(text.str.to_date("%Y-%m-%d", strict=False))
    date_reason = pl.coalesce(
        [pl.col("__row_reason")]
        + [c.reason for c in date_checks(DATE_COLUMN, day, ctx.today, "YYYY-MM-DD")]
        + [pl.when(pl.col("__versions") > 1).then(pl.lit("conflicting rows for this date"))]
    )
    long = (
        wide.with_columns(date_reason.alias("__date_reason"))
        .unpivot(
            index=["__row", DATE_COLUMN, "__copy", "__date_reason"],
            on=currencies,
            variable_name="currency",
            value_name="rate",
        )
        .filter(pl.col("rate").is_not_null() & ~pl.col("rate").is_in(MISSING_MARKERS))
    )
    known = {c: is_currency(c) for c in currencies}
    rate = pl.when(pl.col("rate").str.contains(RATE_TEXT)).then(
        pl.col("rate").cast(pl.Float64, strict=False)
    )
    cell_reason = (
        pl.when(~pl.col("currency").replace_strict(known, return_dtype=pl.Boolean))
        .then(pl.lit("unknown currency code (not ISO 4217)"))
        .when(pl.col("rate").str.contains(r"^-\d+(\.\d+)?$"))
        .then(pl.lit("negative or zero rate"))
        .when(rate.is_null())
        .then(pl.lit("unparseable number"))
        .when(rate <= 0)
        .then(pl.lit("negative or zero rate"))
        .when(rate < MIN_RATE)
        .then(pl.lit(f"implausible rate (below {MIN_RATE} units per euro)"))
        .when(rate > ABSURD_RATE)
        .then(pl.lit("absurd value"))
    )
    long = long.with_columns(
        pl.format("row {} ({})", pl.col("__row"), pl.col(DATE_COLUMN)).alias("__locator"),
        cell_reason.alias("__cell_reason"),
    )
    duplicate = pl.col("__copy") > 0
    bad = (
        pl.col("__date_reason").is_not_null() | pl.col("__cell_reason").is_not_null()
    ) & ~duplicate
    accepted = long.filter(~duplicate & ~bad)
    raw_record = pl.struct(DATE_COLUMN, "currency", "rate").struct.json_encode()
    date_problems = (
        long.filter(pl.col("__date_reason").is_not_null() & ~duplicate)
        .group_by("__row", maintain_order=True)
        .first()
        .select(
            pl.col("__locator").alias("record_locator"),
            pl.lit(DATE_COLUMN).alias("field"),
            pl.col(DATE_COLUMN).alias("value"),
            pl.col("__date_reason").alias("reason"),
            raw_record.alias("raw_record"),
        )
    )
    cell_problems = long.filter(
        pl.col("__date_reason").is_null() & pl.col("__cell_reason").is_not_null() & ~duplicate
    ).select(
        pl.col("__locator").alias("record_locator"),
        pl.col("currency").alias("field"),
        pl.col("rate").alias("value"),
        pl.col("__cell_reason").alias("reason"),
        raw_record.alias("raw_record"),
    )
    quarantine = pl.concat(
        [empty_quarantine().collect(), date_problems, cell_problems, table.misfits.collect()]
    )
    bad_days = long.filter(bad).select("__row").unique().height
    rates = accepted.select(
        pl.format("{}|{}", pl.col("currency"), pl.col(DATE_COLUMN)).alias("source_record_id"),
        "__locator",
        pl.lit(1, dtype=pl.Int64).alias("__records"),
        pl.lit(None, dtype=pl.Decimal(18, 2)).alias("__amount"),
        "currency",
        day.alias("rate_date"),
        rate.alias("units_per_eur"),
    )
    accounting = Accounting(
        rows_read=wide.height,
        rows_quarantined=bad_days,
        rows_duplicate=wide.filter(pl.col("__copy") > 0).height,
        records_read=long.height,
        records_quarantined=long.filter(bad).height,
        records_duplicate=long.filter(duplicate).height,
    ).merge(table.accounting)
    latest = rates.select(pl.col("rate_date").max()).item()
    return ParseResult(
        "fx_rates",
        {"fx_rates": rates.lazy()},
        quarantine.lazy(),
        accounting,
        as_of_hint=latest,
        as_of_basis="latest quoted day in the file",
        rows_are_primary=False,
        notes=[note] if (note := encoding_note(table.encoding)) else [],
    )
