"""Synthetic sources beside ``synthetic``, in the shape of the real ones.

Each source re-reports a share of the ``synthetic`` breaches (the duplicates the linkage
must find) and reports breaches of its own: the organization's name spelled otherwise
(case, punctuation, legal form: the same organization key), the date a few days off, the
count a little different or missing, the breach type in the source's own vocabulary
(``seeds/map_breach_types.csv``), per-type counts in its data classes
(``seeds/map_data_types.csv``). Penalty sources report in the local currency.
The source names are the real parsers' (``ingest/<source>.py``), so their raw values map
through the mapping seeds and rank by ``source_priority`` like theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from breach_warehouse.bench.synthetic import (
    EPOCH,
    FIRST_DAY,
    LAST_DAY,
    ORG_NUMBER_PLACEHOLDER,
    date_series,
    lognormal_int,
    truncate_days,
)
from groundwork.paths import SEEDS_DIR
from ingest.reference import normalize_org_name


@dataclass(frozen=True)
class SourceShape:
    name: str
    code: str  # first letter of its record ids
    share: float  # of the eligible synthetic breaches this source also reports
    own: float  # breaches of its own, as a share of the synthetic breaches
    jurisdiction: str  # "same", "us" (US breaches only) or "world" (no location)
    records_unit: str
    jitter_days: int
    month_share: float  # dated to the month only
    penalties: float  # penalties of its own, as a share of the synthetic penalties
    currency: str  # "USD" or "local"


EXTRA_SOURCES = (
    SourceShape("hhs_ocr", "H", 0.35, 0.05, "us", "individuals", 45, 0.0, 0.05, "USD"),
    SourceShape("hibp", "W", 0.15, 0.05, "world", "accounts", 10, 0.02, 0.0, "USD"),
    SourceShape("gdpr_fines", "G", 0.0, 0.0, "same", "records", 0, 0.0, 0.4, "local"),
    SourceShape("vcdb", "V", 0.10, 0.05, "same", "records", 90, 0.25, 0.0, "USD"),
)
MAX_SOURCES = 1 + len(EXTRA_SOURCES)

# Spellings of "Synthetic Org <number> <legal form>" as other sources write it: each keys
# to the same organization (normalize_org_name drops case, punctuation and legal forms).
NAME_VARIANTS = (
    "SYNTHETIC ORG {n}, INC.",
    "synthetic org {n} inc.",
    "Synthetic Org. {n} Incorporated",
    "Synthetic-Org {n} L.L.C.",
    "Synthetic Org {n} Limited",
    "The Synthetic Org {n} Corp.",
    "Synthetic Org {n} Co., Ltd.",
    "Synthetic Org {n} S.A.",
    "Synthetic Org {n} P.L.C.",
    "Synthetic Org {n} Gmbh",
)
LOCAL_CURRENCIES = {
    "PL": "PLN",
    "SE": "SEK",
    "DK": "DKK",
    "CZ": "CZK",
    "HU": "HUF",
    "NO": "NOK",
    "CH": "CHF",
    "GB": "GBP",
}


def extra_sources(n_sources: int) -> tuple[SourceShape, ...]:
    if not 1 <= n_sources <= MAX_SOURCES:
        raise ValueError(f"--sources must be 1 to {MAX_SOURCES}, not {n_sources}")
    return EXTRA_SOURCES[: n_sources - 1]


@cache
def _variant_keys() -> tuple[str, ...]:
    keys = tuple(
        normalize_org_name(v.format(n=ORG_NUMBER_PLACEHOLDER)) or "" for v in NAME_VARIANTS
    )
    if not all(key.count(ORG_NUMBER_PLACEHOLDER) == 1 for key in keys):
        raise ValueError(f"the variant keys lost their numbers: {keys}")
    return keys


def variant_name(number: pl.Expr, variant: pl.Expr) -> pl.Expr:
    """Name variant ``variant`` of the organization whose seven-digit number is ``number``."""
    template = pl.lit(pl.Series(NAME_VARIANTS)).gather(variant)
    return template.str.replace("{n}", number, literal=True)


def variant_key(number: pl.Expr, variant: pl.Expr) -> pl.Expr:
    template = pl.lit(pl.Series(_variant_keys())).gather(variant)
    return template.str.replace(ORG_NUMBER_PLACEHOLDER, number, literal=True)


@cache
def _seed_map(seed: str, target: str) -> dict[str, dict[str, list[str]]]:
    """source -> warehouse value -> the source's raw values for it."""
    frame = pl.read_csv(SEEDS_DIR / f"{seed}.csv", infer_schema_length=0)
    out: dict[str, dict[str, list[str]]] = {}
    for row in frame.iter_rows(named=True):
        out.setdefault(row["source_name"], {}).setdefault(row[target], []).append(
            row["source_value"]
        )
    return out


def _translate(raw: pl.Series, source: str, seed: str, target: str) -> pl.Series:
    """Each synthetic raw value in ``source``'s vocabulary: the first of its values that
    maps to the same warehouse value, else the source's catch-all (its last value)."""
    mapping = _seed_map(seed, target)
    synthetic = {v: k for k, values in mapping["synthetic"].items() for v in values}
    theirs = mapping[source]
    fallback = theirs.get("unknown", theirs.get("other", [next(iter(theirs.values()))[0]]))[0]
    table = {
        value: theirs.get(synthetic.get(value, ""), [fallback])[0]
        for value in raw.unique().drop_nulls()
    }
    return raw.replace_strict(table, default=fallback, return_dtype=pl.String)


def shape_breaches(
    picked: pl.DataFrame, shape: SourceShape, rng: np.random.Generator, geo_us: pl.Series
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``picked`` (synthetic breach rows) as ``shape``'s source reports them, with its
    per-type children."""
    n = picked.height
    day0, day1 = (FIRST_DAY - EPOCH).days, (LAST_DAY - EPOCH).days
    reported = picked["reported_on"].cast(pl.Int32).to_numpy().astype(np.int64)
    jitter = rng.integers(-shape.jitter_days, shape.jitter_days + 1, n)
    precision = np.where(rng.random(n) < shape.month_share, "month", "day")
    days = truncate_days(np.clip(reported + jitter, day0, day1), precision)
    records = picked["records_exposed"].to_numpy().astype(np.float64)
    records = np.where(np.isnan(records), lognormal_int(rng, n, 7.0, 2.6, 3e9), records)
    factor = rng.uniform(0.8, 1.25, n)
    stated = np.maximum(1, np.round(records * factor)).astype(np.int64)
    missing = rng.random(n) < 0.1
    if shape.jurisdiction == "world":
        jurisdiction = pl.Series(["WORLD"] * n)
    elif shape.jurisdiction == "us":
        us = picked["jurisdiction_code"].str.starts_with("US")
        fill = geo_us.gather(rng.integers(0, len(geo_us), n))
        jurisdiction = pl.select(
            pl.when(us).then(picked["jurisdiction_code"]).otherwise(fill)
        ).to_series()
    else:
        jurisdiction = picked["jurisdiction_code"]
    number = pl.col("organization_name").str.extract(r"(\d{7,})", 1)
    variant = pl.Series(rng.integers(0, len(NAME_VARIANTS), n))
    frame = picked.select(
        "source_record_id", "organization_name", "occurred_on", "occurred_precision"
    ).with_columns(
        (shape.code + pl.col("source_record_id")).alias("source_record_id"),
        variant_name(number, pl.lit(variant)).alias("organization_name"),
        variant_key(number, pl.lit(variant)).alias("organization_key"),
        jurisdiction.alias("jurisdiction_code"),
        _translate(
            picked["breach_type_raw"].str.split("|").list.first(),
            shape.name,
            "map_breach_types",
            "breach_type",
        ).alias("breach_type_raw"),
        date_series("reported_on", days),
        pl.Series("reported_precision", precision.tolist()),
        pl.select(pl.when(pl.Series(missing)).then(None).otherwise(pl.Series(stated)))
        .to_series()
        .alias("records_exposed"),
        pl.lit(shape.records_unit).alias("records_unit"),
        pl.Series("exclusion_reason", np.where(rng.random(n) < 0.005, "spam list", None).tolist()),
    )
    has = missing | (rng.random(n) < 0.2)
    parents = np.flatnonzero(has)
    values = [v for vs in _seed_map("map_data_types", "data_type")[shape.name].values() for v in vs]
    kinds = np.asarray(values, dtype=object)[rng.integers(0, len(values), len(parents))]
    child_records = np.maximum(1, (stated[parents] * rng.uniform(0.3, 1.0, len(parents))))
    children = pl.DataFrame(
        {
            "breach_source_record_id": frame["source_record_id"].gather(parents),
            "data_type_raw": kinds.tolist(),
            "records": child_records.astype(np.int64),
        }
    ).with_columns(
        (pl.col("breach_source_record_id") + "-0").alias("source_record_id"),
        pl.col("records").cast(pl.String).alias("figure_as_stated"),
    )
    return frame, children


def local_currency(jurisdiction: pl.Expr, eu_members: frozenset[str]) -> pl.Expr:
    """The currency a national authority fines in."""
    return (
        jurisdiction.replace_strict(LOCAL_CURRENCIES, default=None)
        .fill_null(pl.when(jurisdiction.is_in(sorted(eu_members))).then(pl.lit("EUR")))
        .fill_null(pl.lit("USD"))
    )


@cache
def annual_rate_to_eur() -> dict[str, float]:
    """Each currency's EUR value in 2020 (seeds/fx_rates.csv), to scale local amounts."""
    fx = pl.read_csv(SEEDS_DIR / "fx_rates.csv").filter(pl.col("year") == 2020)
    return dict(zip(fx["currency"], fx["rate_to_eur"], strict=True))


def shape_penalties(
    frame: pl.DataFrame,
    shape: SourceShape,
    eu_members: frozenset[str],
    us: pl.Series,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Penalties (from ``penalty_batch``) as ``shape``'s source reports them: a US
    regulator's in dollars, a national data protection authority's in its own currency
    (the amount scaled by the currency's value)."""
    if shape.currency == "USD":
        jurisdiction = us.gather(rng.integers(0, len(us), frame.height))
        frame = frame.with_columns(
            jurisdiction.alias("jurisdiction_code"), pl.lit("USD").alias("currency")
        )
    else:
        per_eur = {c: 1 / r for c, r in annual_rate_to_eur().items()}
        currency = local_currency(pl.col("jurisdiction_code"), eu_members)
        frame = frame.with_columns(currency.alias("currency")).with_columns(
            (
                pl.col("amount").cast(pl.Float64)
                * pl.col("currency").replace_strict(per_eur, default=1.0, return_dtype=pl.Float64)
            )
            .round(2)
            .cast(pl.Decimal(18, 2))
            .alias("amount")
        )
    return frame.with_columns(
        (shape.code + pl.col("source_record_id")).alias("source_record_id"),
        pl.format("{} ({})", pl.col("authority"), pl.lit(shape.name)).alias("authority"),
    )


FX_SOURCE = "ecb_fx"
FX_GAP = (12, 22)  # no quotes from 22 December through 3 January: the 7-day look-back ends


def daily_fx_rates(rng: np.random.Generator) -> pl.DataFrame:
    """The ECB's daily reference rates as ingest/ecb_fx.py writes them (units of the
    currency per euro, working days only), around each year's annual average
    (seeds/fx_rates.csv) with a seasonal swing and daily noise, so the decision day's rate
    differs from the year's."""
    annual = pl.read_csv(SEEDS_DIR / "fx_rates.csv").filter(pl.col("currency") != "EUR")
    start = np.datetime64("2000-01-03")
    days = np.arange(start, np.datetime64(LAST_DAY) + 1).astype("datetime64[D]")
    weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    gap = ((month == FX_GAP[0]) & (day_of_month >= FX_GAP[1])) | (
        (month == 1) & (day_of_month <= 3)
    )
    days = days[(weekday < 5) & ~gap]
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    frames = []
    for currency in sorted(set(annual["currency"])):
        rates = annual.filter(pl.col("currency") == currency)
        per_eur = dict(zip(rates["year"], 1 / rates["rate_to_eur"], strict=True))
        base = np.array([per_eur.get(int(y), np.nan) for y in year])
        phase = rng.uniform(0, 2 * np.pi)
        swing = 1 + 0.03 * np.sin(2 * np.pi * (days.astype(np.int64) % 365) / 365 + phase)
        units = base * swing * (1 + rng.normal(0, 0.004, len(days)))
        keep = ~np.isnan(units)
        frames.append(
            pl.DataFrame(
                {
                    "source_record_id": [f"{currency}|{d}" for d in days[keep]],
                    "currency": currency,
                    "rate_date": days[keep],
                    "units_per_eur": np.round(units[keep], 4),
                }
            )
        )
    return pl.concat(frames).with_columns(pl.col("rate_date").cast(pl.Date))
