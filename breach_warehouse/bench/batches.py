"""One batch of synthetic rows per raw table, with the lineage columns a load writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from breach_warehouse.bench.synthetic import (
    ACTION_STATUSES,
    AMENDED_SHARE,
    BREACH_TYPES,
    DATA_TYPES,
    EPOCH,
    FIRST_DAY,
    PENALTY_KINDS,
    SOURCE,
    Choice,
    Geography,
    date_series,
    event_days,
    lognormal_int,
    org_key,
    org_name,
    truncate_days,
    with_nulls,
    with_nulls_mask,
)
from ingest.contract import (
    table_schema,
)


@dataclass(frozen=True)
class Load:
    load_id: str
    loaded_at: dt.datetime
    file_sha256: str
    tag: str
    source: str = SOURCE


def make_load(seed: int, tag: str, loaded_at: dt.datetime, source: str = SOURCE) -> Load:
    load_id = f"{loaded_at:%Y%m%dT%H%M%S}Z-syn{seed}-{tag}"
    digest = hashlib.sha256(f"{source}:{load_id}".encode()).hexdigest()
    return Load(load_id, loaded_at, digest, tag, source)


def lineage(frame: pl.DataFrame, table: str, load: Load) -> pl.DataFrame:
    business = [c for c in table_schema(table).names() if c not in _LINEAGE_FILLED]
    text = pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("\x00") for c in business if c in frame.columns],
        separator="\x1f",
    )
    return frame.with_columns(
        pl.lit(load.source).alias("source_name"),
        pl.lit(load.load_id).alias("load_id"),
        pl.lit(load.loaded_at).cast(pl.Datetime("us")).alias("loaded_at"),
        pl.lit(load.file_sha256).alias("file_sha256"),
        text.hash(seed=0).cast(pl.String).alias("record_hash"),
        pl.lit(load.loaded_at.date()).alias("as_of"),
    )


_LINEAGE_FILLED = {"source_name", "load_id", "loaded_at", "file_sha256", "record_hash", "as_of"}


def table_rng(seed: int, table: str, part: int, increment: int) -> np.random.Generator:
    code = int(hashlib.sha256(table.encode()).hexdigest()[:8], 16)
    return np.random.default_rng([seed, code, part, increment])


def breach_batch(
    start: int, n: int, n_orgs: int, geo: Geography, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = np.arange(start, start + n)
    org = rng.integers(0, n_orgs, n)
    reported = event_days(rng, n, growth=0.14)
    r_prec = rng.choice(["day", "month", "year"], size=n, p=[0.9, 0.07, 0.03])
    delay = np.minimum(rng.lognormal(3.5, 1.2, n).astype(np.int64), 3 * 365)
    occurred = np.maximum(reported - delay, (FIRST_DAY - EPOCH).days)
    o_prec = rng.choice(["day", "month"], size=n, p=[0.8, 0.2])
    records = lognormal_int(rng, n, 7.0, 2.6, 3_000_000_000)
    records_null = rng.random(n) < 0.15
    btype = BREACH_TYPE_CHOICE.draw(rng, n)
    second = BREACH_TYPE_CHOICE.draw(rng, n)
    two = rng.random(n) < 0.15
    btype = np.where(two & (second != btype), btype + "|" + second, btype)
    excluded = rng.random(n) < 0.005
    frame = pl.DataFrame(
        {
            "source_record_id": pl.Series(ids).cast(pl.String).str.zfill(9),
            "org": org,
            # A source that gives no location (HIBP) files the breach under the world.
            "jurisdiction_code": np.where(
                rng.random(n) < 0.04, "WORLD", geo.breaches.draw(rng, n)
            ).tolist(),
            "breach_type_raw": btype.tolist(),
            "reported_precision": r_prec.tolist(),
            "occurred_precision": o_prec.tolist(),
            "records_exposed": with_nulls_mask(records, records_null),
            "records_unit": rng.choice(["records", "individuals"], size=n, p=[0.6, 0.4]).tolist(),
            "exclusion_reason": np.where(excluded, "spam list", None).tolist(),
        }
    ).with_columns(
        date_series("reported_on", truncate_days(reported, r_prec)),
        date_series("occurred_on", truncate_days(occurred, o_prec), rng.random(n) < 0.35),
        ("B" + pl.col("source_record_id")).alias("source_record_id"),
        org_name(pl.col("org")).alias("organization_name"),
        org_key(pl.col("org")).alias("organization_key"),
    )
    # Records per data class for ~30% of breaches (all of those whose total is missing
    # have at least one, so the per-type figure stands in for the headline number).
    has_children = records_null | (rng.random(n) < 0.25)
    parent_idx = np.flatnonzero(has_children)
    k = rng.integers(1, 4, len(parent_idx))
    child_parent = np.repeat(parent_idx, k)
    m = len(child_parent)
    base = np.where(
        records_null[child_parent], lognormal_int(rng, m, 7.0, 2.6, 3e9), records[child_parent]
    )
    child_records = np.maximum(1, (base * rng.uniform(0.2, 1.0, m)).astype(np.int64))
    children = pl.DataFrame(
        {
            "breach_source_record_id": frame["source_record_id"].gather(child_parent),
            "data_type_raw": DATA_TYPE_CHOICE.draw(rng, m).tolist(),
            "records": with_nulls(child_records, rng, 0.05),
        }
    ).with_columns(
        (
            pl.col("breach_source_record_id")
            + "-"
            + pl.int_range(pl.len()).over("breach_source_record_id").cast(pl.String)
        ).alias("source_record_id"),
        pl.col("records").cast(pl.String).alias("figure_as_stated"),
    )
    # One data class per breach at most once: duplicates would be max()ed by dbt anyway,
    # but keep the rows distinct like a real source's.
    children = children.unique(
        ["breach_source_record_id", "data_type_raw"], keep="first", maintain_order=True
    )
    return frame.drop("org"), children


def penalty_batch(
    start: int, n: int, n_orgs: int, geo: Geography, rng: np.random.Generator
) -> pl.DataFrame:
    ids = np.arange(start, start + n)
    juris = geo.penalties.draw(rng, n)
    currency = np.where(
        np.isin(juris, list(geo.eu_members)), "EUR", np.where(juris == "GB", "GBP", "USD")
    )
    cents = np.minimum(rng.lognormal(math.log(2_000_000), 2.3, n), 5e12).astype(np.int64)
    prec = rng.choice(["day", "month"], size=n, p=[0.95, 0.05])
    announced = truncate_days(event_days(rng, n, growth=0.18, from_year=2000), prec)
    amount_null = rng.random(n) < 0.01
    return (
        pl.DataFrame(
            {
                "source_record_id": ["P" + str(i).zfill(9) for i in ids],
                "org": rng.integers(0, n_orgs, n),
                "jurisdiction_code": juris.tolist(),
                "currency": currency.tolist(),
                "cents": with_nulls_mask(cents, amount_null),
                "announced_precision": prec.tolist(),
                "penalty_kind": PENALTY_KIND_CHOICE.draw(rng, n).tolist(),
                "penalty_status": rng.choice(
                    ["final", "proposed", "appealed"], size=n, p=[0.85, 0.1, 0.05]
                ).tolist(),
                "legal_basis": with_nulls(
                    rng.choice(
                        ["GDPR Art. 32", "GDPR Art. 5", "GDPR Art. 6", "HIPAA", "State law"], size=n
                    ),
                    rng,
                    0.2,
                ),
            }
        )
        .with_columns(
            date_series("announced_on", announced),
            (pl.col("cents").cast(pl.Decimal(20, 0)) / 100).cast(pl.Decimal(18, 2)).alias("amount"),
            pl.format("Data protection authority of {}", pl.col("jurisdiction_code")).alias(
                "authority"
            ),
            org_name(pl.col("org")).alias("organization_name"),
            org_key(pl.col("org")).alias("organization_key"),
        )
        .drop("org", "cents")
    )


def amend(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """New versions of about 5% of penalties: reduced on appeal or amended."""
    picked = frame.filter(pl.Series(rng.random(frame.height) < AMENDED_SHARE))
    n = picked.height
    factor = rng.uniform(0.2, 1.0, n)
    status = rng.choice(["reduced_on_appeal", "amended", "overturned"], size=n, p=[0.6, 0.3, 0.1])
    return picked.with_columns(
        (pl.col("amount").cast(pl.Float64) * pl.Series(factor))
        .round(2)
        .cast(pl.Decimal(18, 2))
        .alias("amount"),
        pl.Series("penalty_status", status),
    )


def action_batch(
    start: int, n: int, geo: Geography, types: list[str], rng: np.random.Generator
) -> pl.DataFrame:
    ids = np.arange(start, start + n)
    prec = rng.choice(["day", "month", "quarter", "year"], size=n, p=[0.7, 0.2, 0.05, 0.05])
    type_weights = np.linspace(2.0, 0.5, len(types))
    return pl.DataFrame(
        {
            "source_record_id": ["A" + str(i).zfill(9) for i in ids],
            "action_type": rng.choice(types, size=n, p=type_weights / type_weights.sum()).tolist(),
            "jurisdiction_code": geo.actions.draw(rng, n).tolist(),
            "action_precision": prec.tolist(),
            "action_status": ACTION_STATUS_CHOICE.draw(rng, n).tolist(),
        }
    ).with_columns(
        date_series("action_on", truncate_days(event_days(rng, n, growth=0.1), prec)),
        pl.format("Synthetic {} {}", pl.col("action_type"), pl.col("source_record_id")).alias(
            "title"
        ),
        pl.format("Authority of {}", pl.col("jurisdiction_code")).alias("authority"),
    )


BREACH_TYPE_CHOICE = Choice.of(BREACH_TYPES)
DATA_TYPE_CHOICE = Choice.of(DATA_TYPES)
PENALTY_KIND_CHOICE = Choice.of(PENALTY_KINDS)
ACTION_STATUS_CHOICE = Choice.of(ACTION_STATUSES)
