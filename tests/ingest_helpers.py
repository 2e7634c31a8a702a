"""Shared helpers of the ingest tests: fixture paths, a fixed 'today', raw-table readers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from ingest.loader import LoadSummary, load_source

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2025, 6, 1)  # fixtures are dated on or before this day


def load(source: str, path: Path, data_dir: Path, *, allow_empty: bool = False) -> LoadSummary:
    """Load a fixture; ``allow_empty``: record a load whose every row is quarantined (a
    fixture of one bad row), which a load refuses by default."""
    return load_source(source, data_dir=data_dir, path=path, today=TODAY, allow_empty=allow_empty)


def raw(data_dir: Path, source: str, table: str) -> pl.DataFrame:
    files = sorted((data_dir / "raw" / source / table).glob("*.parquet"))
    return pl.read_parquet(files) if files else pl.DataFrame()


def current(data_dir: Path, source: str, table: str) -> pl.DataFrame:
    """The latest version of each record, as the dbt models pick it."""
    return (
        raw(data_dir, source, table)
        .sort("loaded_at", "load_id")
        .group_by("source_record_id", maintain_order=True)
        .last()
    )


def quarantine(data_dir: Path, source: str, load_id: str) -> pl.DataFrame:
    path = data_dir / "quarantine" / source / f"{load_id}.parquet"
    return pl.read_parquet(path) if path.exists() else pl.DataFrame()
