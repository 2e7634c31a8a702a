"""The default build in the benchmark: the seeds plus every bundled public snapshot, as
`make run` builds it on a fresh machine, and the same refresh again with nothing new."""

from __future__ import annotations

import shutil
from pathlib import Path

from breach_warehouse.bench.measure import Step
from ingest.snapshots import read_manifest

BUILD = "default build (seeds + bundled snapshots)"
AGAIN = "default refresh, nothing new"


def bundled_rows() -> int:
    """Rows the bundled snapshots hold (their SOURCES.md counts)."""
    return sum(snapshot.rows for snapshot in read_manifest())


def default_build_steps(root: Path, cli: str) -> list[Step]:
    """A build from an empty data folder (loading the snapshots, then `dbt build`), then
    a refresh of it that finds nothing new."""
    folder = root / "default"
    refresh = [
        cli,
        "refresh",
        "--db",
        str(folder / "warehouse.duckdb"),
        "--data-dir",
        str(folder / "data"),
    ]
    rows = bundled_rows()
    return [
        Step(BUILD, refresh, rows, before=lambda: shutil.rmtree(folder, ignore_errors=True)),
        Step(AGAIN, refresh, rows),
    ]
