"""When the served warehouse was last refreshed, from the run history beside it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from warehouse_api import read_runs, refresh_status


def last_refresh(db_path: Path) -> dict[str, Any]:
    """The latest successful refresh and whether the latest run failed, from the run history
    beside the warehouse (``warehouse_api.read_runs``: failed runs never publish, so
    only the history knows them; the ``refresh_runs`` table when the file is on its own),
    else the time the warehouse file was published."""
    runs = read_runs(db_path)
    if runs.height:
        status = refresh_status(runs)
        success = runs.filter(pl.col("run_id") == status.last_success_run_id)
        row = success.row(0, named=True) if success.height else runs.row(0, named=True)
        return {
            "source": "refresh_runs",
            **{k: row[k] for k in ("run_id", "started_at", "finished_at", "status", "error")},
            "last_run_id": status.last_run_id,
            "last_run_status": status.last_run_status,
            "last_run_at": status.last_run_at,
            "last_run_error": status.last_run_error,
            "last_run_failed": status.last_run_failed,
        }
    mtime = datetime.fromtimestamp(os.stat(db_path).st_mtime, tz=UTC)
    return {"source": "file", "finished_at": mtime, "status": "published"}
