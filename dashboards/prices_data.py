"""The CPI-U base year the pages label constant-dollar figures with (dim_cpi_deflators), read
through the data module's cached, read-only queries."""

from __future__ import annotations

from pathlib import Path

from dashboards.data import run


def constant_usd_base_year(db_path: Path) -> int | None:
    """The year whose prices constant dollars are in; None when the warehouse has none."""
    frame = run(db_path, "constant_usd_base_year")
    value = frame["base_year"][0] if frame.height else None
    return None if value is None else int(value)
