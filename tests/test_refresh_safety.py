"""Refresh never breaks what is served: kill points, the lock, failures recorded, run history."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import psutil
import pytest

from breach_warehouse import refresh as refresh_module
from breach_warehouse.build_fingerprint import engine_versions, project_fingerprint
from breach_warehouse.cli import main
from breach_warehouse.dbt_runner import DbtRun, NodeOutcome
from breach_warehouse.faults import PAUSE_POINTS
from breach_warehouse.locking import LockBusyError, exclusive_lock
from breach_warehouse.refresh import (
    RefreshSummary,
    lock_path_for,
    refresh,
    remove_stale_builds,
)
from dashboards import data as dashboard_data
from groundwork import provenance
from groundwork.paths import SEEDS_DIR
from groundwork.runs import INTERRUPTED, RunRecord, RunStore, runs_store_path
from warehouse_api import read_runs

pytestmark = pytest.mark.slow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (symlinks as their target) -> its checksum."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = sha256(path)
    return found


@pytest.fixture()
def served(warehouse_path: Path, tmp_path: Path) -> Path:
    """A copy of the session warehouse, its run history and extracts of it."""
    db = tmp_path / "wh" / "served.duckdb"
    db.parent.mkdir()
    shutil.copyfile(warehouse_path, db)
    shutil.copyfile(runs_store_path(warehouse_path), runs_store_path(db))
    out = tmp_path / "extracts"
    assert main(["extract", "current_penalties", "--db", str(db), "--out", str(out)]) == 0
    return db


def fake_dbt(success: bool, error: str = "Database Error in model fct_breaches"):
    def run(*_args, **kwargs) -> DbtRun:
        with duckdb.connect(str(kwargs["db_path"])) as con:
            con.execute("create table main.fct_fake as select 1 as x")
        nodes = [NodeOutcome("model.breach_warehouse.fct_fake", "model", "success", 0.1)]
        return DbtRun(success=success, nodes=nodes, errors=[] if success else [error])

    return run


def build_files(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}.building*"))


@pytest.mark.timeout(300)
@pytest.mark.parametrize("point", PAUSE_POINTS)
def test_killed_refresh_leaves_served_warehouse_and_extracts_intact(
    served: Path, tmp_path: Path, point: str
) -> None:
    db = served
    served_before = sha256(db)
    extracts_before = snapshot(tmp_path / "extracts")
    marker = tmp_path / "paused"
    env = {**os.environ, "BW_PAUSE_AT": point, "BW_PAUSE_FILE": str(marker)}
    command = [sys.executable, "-m", "breach_warehouse.cli", "refresh", "--db", str(db)]
    command += ["--data-dir", str(tmp_path / "data"), "--no-bundled"]
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 240
    while not marker.exists():
        assert proc.poll() is None, f"refresh ended before {point}: {proc.stderr.read()}"
        assert time.monotonic() < deadline, f"refresh never reached {point}"
        time.sleep(0.1)
    assert build_files(db), "the build file exists at every pause point"
    children = psutil.Process(proc.pid).children(recursive=True)
    if point == "mid_build":
        assert children, "dbt is running mid build"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    _, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, "dbt dies with the killed refresh"

    assert sha256(db) == served_before
    assert snapshot(tmp_path / "extracts") == extracts_before
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("select count(*) from fct_penalties").fetchall()[0][0] > 0
    latest = read_runs(db).row(0, named=True)
    assert (latest["status"], latest["error"]) == ("failed", INTERRUPTED)
    # the kernel released the lock with the process; the next refresh removes the orphan
    with exclusive_lock(lock_path_for(db), what="test", wait=False):
        assert remove_stale_builds(db)
    assert build_files(db) == []
    assert sha256(db) == served_before


def test_next_refresh_cleans_up_after_a_killed_one(
    served: Path, tmp_path: Path, monkeypatch
) -> None:
    orphan = refresh_module.build_path_for(served)
    orphan.write_bytes(b"half a database")
    orphan.with_name(orphan.name + ".wal").write_bytes(b"wal")
    older = served.with_name(f".{served.name}.building-12345-abc")  # an earlier version's name
    older.write_bytes(b"")
    built_into: list[Path] = []
    fake = fake_dbt(success=False)

    def run(*args, **kwargs):
        built_into.append(kwargs["db_path"])
        assert not kwargs["db_path"].with_name(orphan.name + ".wal").exists()
        return fake(*args, **kwargs)

    monkeypatch.setattr(refresh_module, "run_dbt", run)
    messages: list[str] = []
    with pytest.raises(refresh_module.RefreshError):
        refresh(served, data_dir=tmp_path / "data", progress=messages.append)
    assert built_into == [orphan], "the next build starts from a new file at the same path"
    assert build_files(served) == []
    for left in (orphan, orphan.with_name(orphan.name + ".wal"), older):
        assert any(m.startswith(f"Removed {left.name},") for m in messages), left.name


def test_refresh_disk_full_goes_down_the_failure_path(
    served: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    before = sha256(served)
    monkeypatch.setattr(refresh_module, "run_dbt", fake_dbt(success=True))

    def disk_full(*_args, **_kwargs) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(refresh_module, "_finalize", disk_full)
    assert (
        main(["refresh", "--db", str(served), "--data-dir", str(tmp_path / "data"), "--no-bundled"])
        == 1
    )
    assert "No space left on device" in capsys.readouterr().err
    assert sha256(served) == before
    assert build_files(served) == []
    latest = read_runs(served).row(0, named=True)
    assert latest["status"] == "failed"
    assert "No space left on device" in latest["error"]
    assert latest["published"] is False


def test_ingest_error_is_recorded_and_runs_lists_it(
    served: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    before = sha256(served)

    def broken_seeds(_folder: Path) -> None:
        raise ValueError("seeds/penalties.csv: row 3 has no currency")

    monkeypatch.setattr(refresh_module, "check_seeds", broken_seeds)
    assert main(["refresh", "--db", str(served), "--no-bundled"]) == 1
    assert sha256(served) == before
    capsys.readouterr()

    assert main(["runs", "--db", str(served)]) == 0
    out = capsys.readouterr().out
    assert "FAILED" in out and "row 3 has no currency" in out
    assert "Last refreshed" in out  # the session build's run, still what is served

    assert main(["runs", "--db", str(served), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["last_run_failed"] is True
    statuses = [r["status"] for r in payload["runs"]]
    assert statuses[0] == "failed" and "success" in statuses
    # the served warehouse's own refresh_runs still has the successful run only
    with duckdb.connect(str(served), read_only=True) as con:
        assert con.sql("select status from refresh_runs").fetchall() == [("success",)]
    # the dashboard's Data page: data from the last success, and a warning that the latest failed
    shown = dashboard_data.last_refresh(served)
    assert shown["status"] == "success" and shown["last_run_failed"] is True
    assert "row 3 has no currency" in shown["last_run_error"]


def test_second_refresh_exits_at_once_naming_the_holder(
    served: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(refresh_module, "run_dbt", fake_dbt(success=False))
    history = read_runs(served).height
    with exclusive_lock(lock_path_for(served), what="test", wait=False):
        assert main(["refresh", "--db", str(served), "--no-bundled"]) == 75
        err = capsys.readouterr().err
        assert "already running" in err and f"process {os.getpid()}" in err
        assert "--wait" in err
        with pytest.raises(LockBusyError):
            refresh(served, data_dir=tmp_path / "data")
    assert read_runs(served).height == history  # a refresh that never started is not a run


def test_refresh_wait_queues_behind_the_running_one(
    served: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(refresh_module, "run_dbt", fake_dbt(success=False))
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with exclusive_lock(lock_path_for(served), what="test", wait=False):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    threading.Timer(1.0, release.set).start()
    started = time.monotonic()
    assert (
        main(["refresh", "--db", str(served), "--wait", "--no-bundled"]) == 1
    )  # ran (and failed) after waiting
    assert time.monotonic() - started >= 0.9
    thread.join()
    assert "Database Error in model fct_breaches" in capsys.readouterr().err


def test_published_warehouse_carries_its_run_history(
    built_warehouse: RefreshSummary, warehouse_path: Path
) -> None:
    assert built_warehouse.run_id
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        runs = con.sql("select * from refresh_runs").pl()
    row = runs.filter(pl.col("run_id") == built_warehouse.run_id).row(0, named=True)
    assert row["status"] == "success" and row["published"] is True and row["error"] is None
    assert row["started_at"] <= row["finished_at"]
    assert row["tests_passed"] == built_warehouse.tests_passed > 0
    assert row["tests_failed"] == 0
    assert {m["mart"]: m["row_count"] for m in row["mart_rows"]} == built_warehouse.mart_rows
    inputs = {f["path"]: f["sha256"] for f in row["input_files"]}
    penalties = SEEDS_DIR / "penalties.csv"
    assert inputs["seeds/penalties.csv"] == sha256(penalties)
    assert row["git_revision"]
    stored = read_runs(warehouse_path)
    assert stored.row(0, named=True)["run_id"] == built_warehouse.run_id


def test_build_fingerprint_covers_the_dbt_variables() -> None:
    """A refresh with another data folder or other dbt variables rebuilds everything."""
    base = project_fingerprint({"data_dir": "/data"})
    assert project_fingerprint({"data_dir": "/data"}) == base
    assert project_fingerprint({"data_dir": "/other"}) != base
    assert project_fingerprint({"data_dir": "/data", "dashboard_top_n": 5}) != base


def test_build_fingerprint_covers_the_engine_versions() -> None:
    """An upgraded dbt, dbt adapter or DuckDB rebuilds everything."""
    installed = engine_versions()
    assert set(installed) == {"dbt-core", "dbt-duckdb", "duckdb"} and all(installed.values())
    base = project_fingerprint({"data_dir": "/data"})
    assert project_fingerprint({"data_dir": "/data"}, engines=installed) == base
    for package in installed:
        upgraded = {**installed, package: installed[package] + ".post1"}
        assert project_fingerprint({"data_dir": "/data"}, engines=upgraded) != base


def _counting_reads(monkeypatch) -> list[str]:
    """Record the name of every file whose checksum is computed from its bytes."""
    read: list[str] = []
    original = provenance.sha256_file

    def counting(path: Path, *args, **kwargs) -> str:
        read.append(path.name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(provenance, "sha256_file", counting)
    return read


def test_a_refresh_reads_only_the_input_files_new_or_changed_since_the_last(
    tmp_path: Path, monkeypatch
) -> None:
    db, data = tmp_path / "warehouse.duckdb", tmp_path / "data"
    load = data / "raw" / "vcdb" / "breaches" / "20260101T000000Z-l1.parquet"
    load.parent.mkdir(parents=True)
    pl.DataFrame({"x": [1]}).write_parquet(load)
    monkeypatch.setattr(refresh_module, "run_dbt", fake_dbt(success=True))
    read = _counting_reads(monkeypatch)

    refresh(db, data_dir=data, full_refresh=True)
    assert load.name in read and "penalties.csv" in read  # the first run reads everything
    read.clear()
    refresh(db, data_dir=data, full_refresh=True)
    assert read == []

    # A new load, and the first one rewritten in place (same size, a later time).
    new = load.with_name("20260102T000000Z-l2.parquet")
    pl.DataFrame({"x": [2]}).write_parquet(new)
    pl.DataFrame({"x": [3]}).write_parquet(load)
    later = load.stat().st_mtime_ns + 1_000_000_000
    os.utime(load, ns=(later, later))
    read.clear()
    refresh(db, data_dir=data, full_refresh=True)
    assert sorted(read) == sorted([load.name, new.name])
    inputs = {f["path"]: f["sha256"] for f in read_runs(db).row(0, named=True)["input_files"]}
    assert inputs[str(load.resolve())] == sha256(load)
    assert inputs[str(new.resolve())] == sha256(new)


def test_run_history_recorded_before_modification_times_still_loads(
    tmp_path: Path, monkeypatch
) -> None:
    """A history written before input files had a modification time: it loads, and its
    checksums are not reused (nothing says the files are unchanged)."""
    db = tmp_path / "warehouse.duckdb"
    seed = tmp_path / "seeds" / "a.csv"
    seed.parent.mkdir()
    seed.write_text("x\n1\n")
    old_file = pl.Struct({"path": pl.String(), "bytes": pl.Int64(), "sha256": pl.String()})
    old = (
        RunRecord.begin(db)
        .to_frame()
        .drop("input_files")
        .with_columns(
            pl.Series(
                "input_files",
                [[{"path": str(seed.resolve()), "bytes": 4, "sha256": "0" * 64}]],
                dtype=pl.List(old_file),
            )
        )
    )
    old.write_parquet(runs_store_path(db))
    known = RunStore(db).last_input_files()
    assert known[str(seed.resolve())].modified_ns is None
    read = _counting_reads(monkeypatch)
    (found,) = provenance.input_files([seed.parent], known=known)
    assert read == ["a.csv"] and found.sha256 == sha256(seed)
