"""The scheduler on a simulated clock: right times, never twice, retries, clean stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from breach_warehouse.cli import main
from breach_warehouse.scheduler import Job, RetryPolicy, Scheduler, latest_slot


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class FakeTime:
    """A clock that moves only when the scheduler sleeps or a job takes time."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.naps: list[float] = []
        self.until: datetime | None = None
        self.scheduler: Scheduler | None = None

    def clock(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.now += timedelta(seconds=seconds)
        if self.until is not None and self.now >= self.until and self.scheduler:
            self.scheduler.stop()

    def job(self, name: str, log: list[tuple[str, datetime]], takes: float = 0.0):
        def action() -> None:
            log.append((name, self.now))
            self.now += timedelta(seconds=takes)

        return action


def test_latest_slot_is_inclusive_and_follows_the_time_zone() -> None:
    utc = ZoneInfo("UTC")
    assert latest_slot("0 5 * * *", at("2025-01-02T05:00:00"), utc) == at("2025-01-02T05:00:00")
    assert latest_slot("0 5 * * *", at("2025-01-02T04:59:59"), utc) == at("2025-01-01T05:00:00")
    paris = latest_slot("0 5 * * *", at("2025-01-02T04:30:00"), ZoneInfo("Europe/Paris"))
    assert paris == at("2025-01-02T04:00:00")  # 05:00 in Paris is 04:00 UTC in winter


def test_foreground_runs_each_job_at_its_times_and_never_twice(tmp_path: Path) -> None:
    fake = FakeTime(at("2025-01-01T04:58:30"))
    runs: list[tuple[str, datetime]] = []
    jobs = [
        Job("refresh", "0 * * * *", fake.job("refresh", runs, takes=90)),
        Job("extract:x", "*/30 * * * *", fake.job("extract:x", runs, takes=10)),
    ]
    scheduler = Scheduler(
        jobs, state_path=tmp_path / "state.json", clock=fake.clock, sleep=fake.sleep
    )
    fake.scheduler, fake.until = scheduler, at("2025-01-01T06:10:00")
    scheduler.run_forever()

    assert runs == [
        # never ran: the latest slots (04:00, 04:30) run at once, the refresh first
        ("refresh", at("2025-01-01T04:58:30")),
        ("extract:x", at("2025-01-01T05:00:00")),
        # the 05:00 slots came while they ran: each runs once, on the next pass
        ("refresh", at("2025-01-01T05:01:10")),
        ("extract:x", at("2025-01-01T05:02:40")),
        ("extract:x", at("2025-01-01T05:30:00")),
        ("refresh", at("2025-01-01T06:00:00")),
        ("extract:x", at("2025-01-01T06:01:30")),
    ]
    assert max(fake.naps) <= 60  # wakes at least every minute
    state = json.loads((tmp_path / "state.json").read_text())["jobs"]
    assert state["refresh"]["last_slot"] == "2025-01-01T06:00:00+00:00"
    assert state["extract:x"]["last_slot"] == "2025-01-01T06:00:00+00:00"
    assert state["refresh"]["status"] == "success"


def test_once_runs_what_is_due_and_not_twice_for_the_same_slot(tmp_path: Path) -> None:
    fake = FakeTime(at("2025-01-01T05:00:20"))
    runs: list[tuple[str, datetime]] = []
    state = tmp_path / "state.json"

    def once(now: str) -> list[str]:
        fake.now = at(now)
        scheduler = Scheduler(
            [
                Job("refresh", "0 5 * * *", fake.job("refresh", runs)),
                Job("extract:x", "30 5 * * *", fake.job("extract:x", runs)),
            ],
            state_path=state,
            clock=fake.clock,
            sleep=fake.sleep,
        )
        return [o.job for o in scheduler.run_pending()]

    assert once("2025-01-01T05:00:20") == ["refresh", "extract:x"]  # first run: catch up
    assert once("2025-01-01T05:00:40") == []  # same minute, new process
    assert once("2025-01-01T05:29:00") == []
    assert once("2025-01-01T05:30:00") == ["extract:x"]
    assert once("2025-01-01T05:35:00") == []
    assert once("2025-01-02T07:00:00") == ["refresh", "extract:x"]  # missed slots run once
    assert once("2025-01-02T07:05:00") == []
    assert len(runs) == 5


def test_a_failed_job_is_retried_with_backoff_and_the_others_still_run(tmp_path: Path) -> None:
    fake = FakeTime(at("2025-01-01T05:00:00"))
    runs: list[tuple[str, datetime]] = []
    failures = {"flaky": 2, "broken": 99}

    def failing(name: str):
        def action() -> None:
            runs.append((name, fake.now))
            if failures[name] > 0:
                failures[name] -= 1
                raise RuntimeError(f"{name} went wrong")

        return action

    scheduler = Scheduler(
        [
            Job("broken", "0 5 * * *", failing("broken")),
            Job("flaky", "0 5 * * *", failing("flaky")),
            Job("fine", "0 5 * * *", fake.job("fine", runs)),
        ],
        state_path=tmp_path / "state.json",
        clock=fake.clock,
        sleep=fake.sleep,
        retry=RetryPolicy(attempts=3, backoff_seconds=10, max_backoff_seconds=15),
    )
    outcomes = {o.job: o for o in scheduler.run_pending()}
    assert (outcomes["broken"].status, outcomes["broken"].attempts) == ("failed", 3)
    assert "broken went wrong" in outcomes["broken"].error
    assert (outcomes["flaky"].status, outcomes["flaky"].attempts) == ("success", 3)
    assert outcomes["fine"].status == "success"
    assert fake.naps == [10, 15, 10, 15]  # 10 s, then 20 s capped at 15 s; per job
    assert [t for name, t in runs if name == "broken"] == [
        at("2025-01-01T05:00:00"),
        at("2025-01-01T05:00:10"),
        at("2025-01-01T05:00:25"),
    ]
    assert scheduler.run_pending() == []  # the failed slot is not retried forever
    state = json.loads((tmp_path / "state.json").read_text())["jobs"]
    assert state["broken"]["status"] == "failed" and "went wrong" in state["broken"]["error"]
    fake.now = at("2025-01-02T05:00:00")
    assert "broken" in [o.job for o in scheduler.run_pending()]  # next slot: tries again


def test_stop_lets_the_running_job_finish_and_starts_no_other(tmp_path: Path) -> None:
    fake = FakeTime(at("2025-01-01T05:00:00"))
    runs: list[tuple[str, datetime]] = []
    scheduler: Scheduler

    def stopping_job() -> None:
        runs.append(("first", fake.now))
        scheduler.stop()  # SIGTERM arrives while the job runs

    scheduler = Scheduler(
        [
            Job("first", "0 5 * * *", stopping_job),
            Job("second", "0 5 * * *", fake.job("second", runs)),
        ],
        state_path=tmp_path / "state.json",
        clock=fake.clock,
        sleep=fake.sleep,
    )
    scheduler.run_forever()
    assert runs == [("first", at("2025-01-01T05:00:00"))]
    state = json.loads((tmp_path / "state.json").read_text())["jobs"]
    assert list(state) == ["first"]  # the second is still due next time


def write_config(path: Path, extracts: str = "[]", refresh: str = "null") -> Path:
    path.write_text(f"refresh: {{schedule: {refresh}}}\nextracts: {extracts}\n")
    return path


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_schedule_command_stops_cleanly_on_signals(tmp_path: Path, sig: signal.Signals) -> None:
    config = write_config(tmp_path / "extracts.yml")
    log_file = tmp_path / "schedule.log"
    command = [sys.executable, "-m", "breach_warehouse.cli", "schedule"]
    command += ["--db", str(tmp_path / "w.duckdb"), "--config", str(config)]
    command += ["--log-file", str(log_file)]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while "scheduler started" not in (log_file.read_text() if log_file.exists() else ""):
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.1)
    os.kill(proc.pid, sig)
    assert proc.wait(timeout=30) == 0
    proc.stderr.close()
    text = log_file.read_text()
    assert f"{sig.name}: stopping" in text and "scheduler stopped" in text


@pytest.mark.slow
def test_schedule_once_writes_due_extracts_then_nothing(
    warehouse_path: Path, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path / "extracts.yml",
        extracts='[{name: sources, mart: dim_sources, formats: [parquet], schedule: "0 6 * * *"}]',
    )
    args = ["schedule", "--once", "--db", str(warehouse_path), "--config", str(config)]
    args += ["--out", str(tmp_path / "out"), "--state", str(tmp_path / "state.json")]
    args += ["--log-file", str(tmp_path / "schedule.log")]
    assert main(args) == 0
    assert (tmp_path / "out" / "sources" / "latest.json").exists()
    assert main(args) == 0
    log = (tmp_path / "schedule.log").read_text()
    assert log.count("extract:sources: succeeded") == 1 and "nothing due" in log


def test_schedule_once_reports_a_failed_job(tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "extracts.yml",
        extracts='[{name: sources, mart: dim_sources, formats: [csv], schedule: "0 6 * * *"}]',
    )
    config.write_text(config.read_text() + "retry: {attempts: 1}\n")
    args = ["schedule", "--once", "--db", str(tmp_path / "missing.duckdb")]
    args += ["--config", str(config), "--log-file", str(tmp_path / "schedule.log")]
    assert main(args) == 1
    log = (tmp_path / "schedule.log").read_text()
    assert "extract:sources: failed" in log and "no warehouse at" in log
