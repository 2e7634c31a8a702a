"""Run jobs (the refresh, each extract) on cron schedules, each slot once.

A job is *due* when the latest time its cron expression names (its slot) is at or before
now and that slot has not run yet; slots missed while nothing was running collapse into
one run, so a job that never ran runs at once. The state file records the last slot each
job ran, so a restart or a second ``--once`` in the same minute does not run a job twice.

A failed job is retried with exponential backoff up to ``RetryPolicy.attempts`` times;
then its slot is recorded as failed and the job waits for its next slot. ``stop()`` (from
SIGINT/SIGTERM) lets the running job finish and stops before the next one.

The clock and the sleeper are injectable, so tests drive the scheduler through simulated
time.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from croniter import croniter

from groundwork.atomic import atomic_write_text

Clock = Callable[[], datetime]
Sleeper = Callable[[float], None]

MAX_NAP_SECONDS = 60.0  # wake at least this often, so clock changes are noticed

log = logging.getLogger("breach_warehouse.schedule")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Job:
    """``action`` runs the job and raises on failure."""

    name: str
    schedule: str
    action: Callable[[], None]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff_seconds: float = 60.0
    max_backoff_seconds: float = 900.0

    def delay(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure: 1x, 2x, 4x ... capped."""
        return min(self.backoff_seconds * 2 ** (failures - 1), self.max_backoff_seconds)


@dataclass(frozen=True)
class JobOutcome:
    job: str
    slot: datetime
    status: str  # "success", "failed" or "stopped"
    attempts: int
    error: str | None = None


def latest_slot(expression: str, now: datetime, tz: ZoneInfo) -> datetime:
    """The latest time at or before ``now`` (to the minute) that ``expression`` names."""
    local = now.astimezone(tz).replace(second=0, microsecond=0) + timedelta(minutes=1)
    return croniter(expression, local).get_prev(datetime)


def next_slot(expression: str, now: datetime, tz: ZoneInfo) -> datetime:
    """The first time after ``now`` that ``expression`` names."""
    return croniter(expression, now.astimezone(tz)).get_next(datetime)


class ScheduleState:
    """``{job: {last_slot, status, finished_at, attempts, error}}`` in a JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.jobs: dict[str, dict[str, object]] = {}
        if path.exists():
            self.jobs = json.loads(path.read_text() or "{}").get("jobs", {})

    def last_slot(self, job: str) -> datetime | None:
        value = self.jobs.get(job, {}).get("last_slot")
        return datetime.fromisoformat(str(value)) if value else None

    def record(self, outcome: JobOutcome, finished_at: datetime) -> None:
        self.jobs[outcome.job] = {
            "last_slot": outcome.slot.isoformat(),
            "status": outcome.status,
            "attempts": outcome.attempts,
            "finished_at": finished_at.isoformat(),
            "error": outcome.error,
        }
        self.save()

    def save(self) -> None:
        atomic_write_text(self.path, json.dumps({"jobs": self.jobs}, indent=2) + "\n")


class Scheduler:
    def __init__(
        self,
        jobs: Sequence[Job],
        *,
        state_path: Path,
        clock: Clock = utc_now,
        sleep: Sleeper | None = None,
        retry: RetryPolicy | None = None,
        timezone: str = "UTC",
    ) -> None:
        self.jobs = list(jobs)
        self.state = ScheduleState(state_path)
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.tz = ZoneInfo(timezone)
        self._stop = threading.Event()
        self._sleep = sleep or (lambda seconds: self._stop.wait(seconds))

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Finish the running job (if any), then stop."""
        self._stop.set()

    def due(self, now: datetime) -> list[tuple[Job, datetime]]:
        """Jobs whose latest slot has not run, in the order given (the refresh first)."""
        found = []
        for job in self.jobs:
            slot = latest_slot(job.schedule, now, self.tz)
            last = self.state.last_slot(job.name)
            if last is None or slot > last:
                found.append((job, slot))
        return found

    def run_pending(self) -> list[JobOutcome]:
        """Run every due job once (with retries); what ``--once`` does."""
        outcomes = []
        for job, slot in self.due(self.clock()):
            if self.stopping:
                break
            outcome = self._run(job, slot)
            outcomes.append(outcome)
            if outcome.status != "stopped":
                self.state.record(outcome, self.clock())
        return outcomes

    def run_forever(self) -> None:
        """Run due jobs, sleep until the next slot, repeat until ``stop()``."""
        log.info(
            "scheduler started: %s",
            ", ".join(f"{j.name} [{j.schedule}]" for j in self.jobs) or "no jobs",
        )
        while not self.stopping:
            self.run_pending()
            if self.stopping:
                break
            now = self.clock()
            wake = min((next_slot(j.schedule, now, self.tz) for j in self.jobs), default=None)
            nap = MAX_NAP_SECONDS if wake is None else (wake - now).total_seconds()
            self._sleep(max(0.0, min(nap, MAX_NAP_SECONDS)))
        log.info("scheduler stopped")

    def _run(self, job: Job, slot: datetime) -> JobOutcome:
        error = None
        for attempt in range(1, self.retry.attempts + 1):
            log.info("%s: starting (slot %s, attempt %d)", job.name, slot.isoformat(), attempt)
            started = self.clock()
            try:
                job.action()
            except Exception as exc:
                error = str(exc) or type(exc).__name__
                log.error("%s: failed: %s", job.name, error)
            else:
                seconds = (self.clock() - started).total_seconds()
                log.info("%s: succeeded in %.1fs", job.name, seconds)
                return JobOutcome(job.name, slot, "success", attempt)
            if self.stopping:
                return JobOutcome(job.name, slot, "stopped", attempt, error)
            if attempt < self.retry.attempts:
                delay = self.retry.delay(attempt)
                log.info("%s: retrying in %.0fs", job.name, delay)
                self._sleep(delay)
                if self.stopping:
                    return JobOutcome(job.name, slot, "stopped", attempt, error)
        log.error("%s: giving up on slot %s after %d attempts", job.name, slot, attempt)
        return JobOutcome(job.name, slot, "failed", attempt, error)
