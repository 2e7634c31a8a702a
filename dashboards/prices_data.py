"""The CPI-U base year the pages label constant-dollar figures with (dim_cpi_deflators), read
through the data module's cached, read-only query."""

from __future__ import annotations

from pathlib import Path

from dashboards.data import query


def constant_usd_base_year(db_path: Path) -> int | None:
    """The year whose prices constant dollars are in; None when the warehouse has none."""
    frame = query(db_path, "select max(base_year) as base_year from dim_cpi_deflators")
    value = frame["base_year"][0] if frame.height else None
    return None if value is None else int(value)
