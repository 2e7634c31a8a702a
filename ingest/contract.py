"""The raw contract: the tables every ingest source maps to, declared once.

Every source writes the same six raw tables (any of them may be empty for a source) as
Parquet files ``<data_dir>/raw/<source>/<table>/<load_id>.parquet``, the rows it could
not accept to ``<data_dir>/quarantine/<source>/<load_id>.parquet`` and the accounting of
the load to ``<data_dir>/reconciliation/<source>/<load_id>.parquet``. dbt reads them as
sources (``models/staging/raw/_raw__sources.yml``, which declares the same columns in the same
order and types; tests/test_raw_contract.py keeps the two equal) with a glob;
:func:`write_empty_contract_files` writes one empty, correctly typed file per table under
``raw/_contract/`` so that the glob always matches and the columns always have their
declared types.

Each row carries its lineage: the source's name, the source's own id for the record, the
load that wrote it, when, the checksum of the input file and a hash of the row's business
columns (a changed hash for a known ``source_record_id`` is a new version of the record).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from groundwork.atomic import atomic_path

MONEY = pl.Decimal(18, 2)

LINEAGE: dict[str, pl.DataType] = {
    "source_name": pl.String(),
    "source_record_id": pl.String(),
    "load_id": pl.String(),
    "loaded_at": pl.Datetime("us"),
    "file_sha256": pl.String(),
    "record_hash": pl.String(),
    # The date the input describes (its export or snapshot date): versions of a record are
    # ordered by it, so an older snapshot loaded later fills history, never the present.
    "as_of": pl.Date(),
}

# Business columns per raw table (source values are kept as published in *_raw columns;
# the seeds map them to the warehouse taxonomies in dbt).
TABLES: dict[str, dict[str, pl.DataType]] = {
    "breaches": {
        "organization_name": pl.String(),
        "organization_key": pl.String(),
        "jurisdiction_code": pl.String(),
        "location_raw": pl.String(),
        "breach_type_raw": pl.String(),  # source values, '|'-joined in source order
        "reported_on": pl.Date(),
        "reported_precision": pl.String(),
        "occurred_on": pl.Date(),
        "occurred_precision": pl.String(),
        # when the source says the breach was made known, where it says so apart from the
        # reported date (VCDB's plus.timeline.notification; its reported date is the incident's)
        "notified_on": pl.Date(),
        "notified_precision": pl.String(),
        "records_exposed": pl.Int64(),
        "records_unit": pl.String(),
        "sector_raw": pl.String(),
        "exclusion_reason": pl.String(),
        "quality_flags": pl.String(),  # '|'-joined facts that need care (see README)
        "description": pl.String(),
        "source_url": pl.String(),
    },
    "breach_records": {
        "breach_source_record_id": pl.String(),
        "data_type_raw": pl.String(),
        "records": pl.Int64(),
        "figure_as_stated": pl.String(),
    },
    "penalties": {
        "organization_name": pl.String(),
        "organization_key": pl.String(),
        "authority": pl.String(),
        "jurisdiction_code": pl.String(),
        "location_raw": pl.String(),
        "legal_basis": pl.String(),
        "announced_on": pl.Date(),
        "announced_precision": pl.String(),
        "amount": MONEY,
        "currency": pl.String(),
        "figure_as_stated": pl.String(),
        "penalty_kind": pl.String(),
        "penalty_status": pl.String(),
        "sector_raw": pl.String(),
        "quality_flags": pl.String(),
        "description": pl.String(),
        "source_url": pl.String(),
    },
    "regulatory_actions": {
        "action_type": pl.String(),
        "title": pl.String(),
        "authority": pl.String(),
        "jurisdiction_code": pl.String(),
        "action_on": pl.Date(),
        "action_precision": pl.String(),
        "action_status": pl.String(),
        "description": pl.String(),
        "source_url": pl.String(),
    },
    "organizations": {
        "organization_name": pl.String(),
        "organization_key": pl.String(),
        "jurisdiction_code": pl.String(),
        "sector_raw": pl.String(),
    },
    "fx_rates": {
        "currency": pl.String(),
        "rate_date": pl.Date(),
        "units_per_eur": pl.Float64(),
    },
}

# Child tables are versioned with their parent: a child row belongs to the load of its
# parent's version (dbt takes the children of the parent's latest version).
PARENTS: dict[str, tuple[str, str]] = {"breach_records": ("breaches", "breach_source_record_id")}

QUARANTINE: dict[str, pl.DataType] = {
    "source_name": pl.String(),
    "load_id": pl.String(),
    "loaded_at": pl.Datetime("us"),
    "file_sha256": pl.String(),
    "source_file": pl.String(),
    "record_locator": pl.String(),  # "row 12" of a CSV, "incident-id.json" of a folder/zip
    "field": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),
    "raw_record": pl.String(),  # the record as read, JSON-encoded
}

# One row per load: where every row the load read went (the loader's accounting), read by
# dbt as the source of the source_reconciliation mart. ``versions_*`` count primary-table
# rows (for ecb_fx, whose input rows are days, its rates).
LOAD_ACCOUNT: dict[str, pl.DataType] = {
    "source_name": pl.String(),
    "load_id": pl.String(),
    "loaded_at": pl.Datetime("us"),
    "as_of": pl.Date(),
    "as_of_basis": pl.String(),
    "input": pl.String(),
    "source_file": pl.String(),
    "file_sha256": pl.String(),
    "primary_table": pl.String(),
    "rows_read": pl.Int64(),
    "rows_loaded": pl.Int64(),
    "rows_quarantined": pl.Int64(),
    "rows_duplicate": pl.Int64(),
    "rows_excluded": pl.Int64(),
    "records_unit": pl.String(),
    "records_read": pl.Int64(),
    "records_loaded": pl.Int64(),
    "records_quarantined": pl.Int64(),
    "records_duplicate": pl.Int64(),
    "records_excluded": pl.Int64(),
    "amount_currency": pl.String(),
    "amount_read": pl.Decimal(20, 2),
    "amount_loaded": pl.Decimal(20, 2),
    "amount_quarantined": pl.Decimal(20, 2),
    "amount_duplicate": pl.Decimal(20, 2),
    "versions_new": pl.Int64(),
    "versions_updated": pl.Int64(),
    "versions_unchanged": pl.Int64(),
    "versions_older": pl.Int64(),
}

CONTRACT_SOURCE = "_contract"


def business_schema(table: str) -> pl.Schema:
    """source_record_id plus the table's business columns: what a parser produces."""
    return pl.Schema({"source_record_id": pl.String(), **TABLES[table]})


def table_schema(table: str) -> pl.Schema:
    """The full Parquet schema of a raw table: lineage first, then business columns."""
    return pl.Schema({**LINEAGE, **TABLES[table]})


def quarantine_schema() -> pl.Schema:
    return pl.Schema(QUARANTINE)


def load_account_schema() -> pl.Schema:
    return pl.Schema(LOAD_ACCOUNT)


def empty_business_frame(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=business_schema(table))


def conform(frame: pl.LazyFrame | pl.DataFrame, schema: pl.Schema) -> pl.LazyFrame:
    """Select the schema's columns in order, cast to their types (missing ones as nulls)."""
    lazy = frame.lazy()
    present = set(lazy.collect_schema().names())
    return lazy.select(
        [
            (pl.col(name) if name in present else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )


def atomic_write_parquet(frame: pl.DataFrame | pl.LazyFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` through a temp name and a rename: readers never see half a file."""
    with atomic_path(path) as tmp:
        if isinstance(frame, pl.LazyFrame):
            frame.sink_parquet(tmp)
        else:
            frame.write_parquet(tmp)


def write_empty_contract_files(data_dir: Path) -> list[Path]:
    """One empty, typed Parquet file per raw table and for the quarantine (idempotent)."""
    written: list[Path] = []
    targets = [
        (data_dir / "raw" / CONTRACT_SOURCE / table / "empty.parquet", table_schema(table))
        for table in TABLES
    ]
    targets.append(
        (data_dir / "quarantine" / CONTRACT_SOURCE / "empty.parquet", quarantine_schema())
    )
    targets.append(
        (data_dir / "reconciliation" / CONTRACT_SOURCE / "empty.parquet", load_account_schema())
    )
    for path, schema in targets:
        if path.exists():
            try:
                if pl.read_parquet_schema(path) == dict(schema):
                    continue
            except Exception:  # an unreadable file is replaced
                pass
        atomic_write_parquet(pl.DataFrame(schema=schema), path)
        written.append(path)
    return written
