"""Run history of `breach-warehouse refresh`.

Every refresh is recorded, successful or not, in a store beside the warehouse
(``<db>.runs.parquet``, rewritten atomically under the refresh lock). A failed run never
publishes, so the store is the only place it shows; a successful build gets a copy of the
whole history (itself included) as the ``refresh_runs`` table before it is published, so
analysts can query it from the warehouse. ``read_runs`` reads the store (the warehouse
interface, ``warehouse_api``, falls back to the table of a warehouse copied on its own).

A run is written as ``running`` when it starts. A run whose process died without finishing
(killed, power cut) stays ``running`` in the store; ``read_runs`` reports it as ``failed``
once its process is gone, and the next refresh records it so.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import psutil

from groundwork.atomic import atomic_path
from groundwork.provenance import InputFile

RUNS_TABLE = "refresh_runs"

RUNS_SCHEMA: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "status": pl.String(),
    "started_at": pl.Datetime("us", "UTC"),
    "finished_at": pl.Datetime("us", "UTC"),
    "seconds": pl.Float64(),
    "error": pl.String(),
    "published": pl.Boolean(),
    "db_path": pl.String(),
    "host": pl.String(),
    "pid": pl.Int64(),
    "git_revision": pl.String(),
    "seeds": pl.Int64(),
    "models": pl.Int64(),
    "tests_passed": pl.Int64(),
    "tests_failed": pl.Int64(),
    "tests_warned": pl.Int64(),
    "tests_skipped": pl.Int64(),
    "mart_rows": pl.List(pl.Struct({"mart": pl.String(), "row_count": pl.Int64()})),
    "input_files": pl.List(
        pl.Struct(
            {
                "path": pl.String(),
                "bytes": pl.Int64(),
                "sha256": pl.String(),
                "modified_ns": pl.Int64(),
            }
        )
    ),
}

# The status of a run that found the served warehouse built by the same project from the
# same input files: it ran no build and published nothing.
UP_TO_DATE = "up_to_date"

INTERRUPTED = "interrupted: the refresh process ended before the run finished (killed or crashed)"


def runs_store_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.runs.parquet")


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: ``20250101T050000Z-1a2b3c``."""
    now = now or datetime.now(UTC)
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"


@dataclass
class RunRecord:
    """One refresh run, as stored."""

    run_id: str
    started_at: datetime
    db_path: str
    status: str = "running"
    finished_at: datetime | None = None
    seconds: float | None = None
    error: str | None = None
    published: bool = False
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    git_revision: str | None = None
    seeds: int | None = None
    models: int | None = None
    tests_passed: int | None = None
    tests_failed: int | None = None
    tests_warned: int | None = None
    tests_skipped: int | None = None
    mart_rows: dict[str, int] = field(default_factory=dict)
    input_files: list[InputFile] = field(default_factory=list)

    @classmethod
    def begin(cls, db_path: Path) -> RunRecord:
        now = datetime.now(UTC)
        return cls(run_id=new_run_id(now), started_at=now, db_path=str(db_path))

    def finish(self, status: str, error: str | None = None) -> None:
        self.status = status
        self.error = error
        self.finished_at = datetime.now(UTC)
        self.seconds = (self.finished_at - self.started_at).total_seconds()

    def to_frame(self) -> pl.DataFrame:
        row = asdict(self)
        row["mart_rows"] = [{"mart": k, "row_count": v} for k, v in self.mart_rows.items()]
        row["input_files"] = [asdict(f) for f in self.input_files]
        return pl.DataFrame([row], schema=RUNS_SCHEMA)


def empty_runs() -> pl.DataFrame:
    return pl.DataFrame(schema=RUNS_SCHEMA)


class RunStore:
    """The run history beside one warehouse file. Write only while holding the refresh lock."""

    def __init__(self, db_path: Path) -> None:
        self.path = runs_store_path(db_path)

    def load(self) -> pl.DataFrame:
        if not self.path.exists():
            return empty_runs()
        return conform(pl.read_parquet(self.path))

    def with_record(self, record: RunRecord) -> pl.DataFrame:
        """The history with ``record`` added or replacing the row with its run id, oldest first."""
        history = self.load().filter(pl.col("run_id") != record.run_id)
        return pl.concat([history, record.to_frame()]).sort("started_at")

    def last_input_files(self) -> dict[str, InputFile]:
        """The input files of the latest run that recorded them, by path."""
        recorded = self.load().filter(pl.col("input_files").list.len() > 0)
        if recorded.is_empty():
            return {}
        latest = recorded.sort("started_at").row(-1, named=True)
        return {f["path"]: InputFile(**f) for f in latest["input_files"]}

    def save(self, record: RunRecord) -> None:
        self._write(self.with_record(record))

    def close_interrupted(self) -> list[str]:
        """Mark ``running`` rows failed (the caller holds the lock, so none is really running)."""
        history = self.load()
        stale = history.filter(pl.col("status") == "running")
        if stale.is_empty():
            return []
        self._write(_mark_interrupted(history, pl.col("status") == "running"))
        return stale["run_id"].to_list()

    def _write(self, frame: pl.DataFrame) -> None:
        with atomic_path(self.path) as tmp:
            frame.write_parquet(tmp)


def _mark_interrupted(frame: pl.DataFrame, condition: pl.Expr) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(condition).then(pl.lit("failed")).otherwise(pl.col("status")).alias("status"),
        pl.when(condition).then(pl.lit(INTERRUPTED)).otherwise(pl.col("error")).alias("error"),
    )


def _process_gone(host: str | None, pid: int | None) -> bool:
    return host == socket.gethostname() and pid is not None and not psutil.pid_exists(pid)


def read_runs(db_path: Path, fallback: Callable[[], pl.DataFrame] | None = None) -> pl.DataFrame:
    """Every recorded refresh of ``db_path``, newest first (columns: ``RUNS_SCHEMA``).

    Reads the store beside the warehouse; when there is none (a warehouse file copied on
    its own), what ``fallback`` returns (the warehouse interface passes its
    ``refresh_runs`` table). A ``running`` row whose process no longer exists is reported
    as ``failed``.
    """
    store = RunStore(db_path)
    frame = store.load()
    if frame.is_empty() and not store.path.exists() and fallback is not None:
        frame = conform(fallback())
    if frame.is_empty():
        return frame
    gone = [
        status == "running" and _process_gone(host, pid)
        for status, host, pid in frame.select("status", "host", "pid").iter_rows()
    ]
    frame = _mark_interrupted(frame, pl.Series(gone, dtype=pl.Boolean))
    return frame.sort("started_at", descending=True)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the columns of ``RUNS_SCHEMA`` (missing ones null)."""
    return frame.select(
        [
            pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
            for c, t in RUNS_SCHEMA.items()
        ]
    )


@dataclass(frozen=True)
class RefreshStatus:
    """When the data was last refreshed and whether the latest run failed."""

    last_success_run_id: str | None
    last_success_at: datetime | None
    last_run_id: str | None
    last_run_status: str | None
    last_run_at: datetime | None
    last_run_error: str | None

    @property
    def last_run_failed(self) -> bool:
        return self.last_run_status == "failed"

    def describe(self) -> str:
        if self.last_run_id is None:
            return "No refresh has been recorded."
        parts = []
        if self.last_success_at is not None:
            parts.append(
                f"Last refreshed {self.last_success_at:%Y-%m-%d %H:%M:%S} UTC "
                f"(run {self.last_success_run_id})."
            )
        else:
            parts.append("No refresh has succeeded yet.")
        if self.last_run_failed:
            reason = " | ".join(
                line.strip() for line in (self.last_run_error or "").splitlines() if line.strip()
            )
            parts.append(
                f"The latest run {self.last_run_id} FAILED" + (f": {reason}" if reason else ".")
            )
        elif self.last_run_status == UP_TO_DATE:
            parts.append(
                f"The latest run {self.last_run_id} found nothing new: the served data is up to date."
            )
        elif self.last_run_status == "running":
            parts.append(f"Run {self.last_run_id} is running.")
        return " ".join(parts)


def refresh_status(runs: pl.DataFrame) -> RefreshStatus:
    """Summarise ``read_runs`` output (newest first)."""
    latest = runs.row(0, named=True) if not runs.is_empty() else None
    successes = runs.filter(pl.col("status") == "success")
    success = successes.row(0, named=True) if not successes.is_empty() else None
    return RefreshStatus(
        last_success_run_id=success["run_id"] if success else None,
        last_success_at=success["finished_at"] if success else None,
        last_run_id=latest["run_id"] if latest else None,
        last_run_status=latest["status"] if latest else None,
        last_run_at=(latest["finished_at"] or latest["started_at"]) if latest else None,
        last_run_error=latest["error"] if latest else None,
    )
