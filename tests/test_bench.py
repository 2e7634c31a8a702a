"""The synthetic generator and the benchmark: deterministic data, and the pandas and polars
peers agree with the warehouse's agg_jurisdiction_year_metrics on multi-source data (the
bench's default). No timing asserts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from breach_warehouse.bench import SCALES, BenchReport, StepResult, format_report
from breach_warehouse.bench.compare import Agreement
from breach_warehouse.bench.generate import GenerateSpec, generate, org_key, org_name
from breach_warehouse.bench.measure import (
    NOTHING_NEW,
    Step,
    StepFailedError,
    failure_reason,
    run_alternating,
)
from breach_warehouse.bench.run import fresh_copy
from ingest.contract import TABLES, table_schema
from ingest.reference import normalize_org_name


def _read(out: Path, table: str) -> pl.DataFrame:
    files = sorted((out / "raw" / "synthetic" / table).glob("*.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files]) if files else pl.DataFrame()


def test_generate_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    a = generate(GenerateSpec(3_000, 300, 30, 11, tmp_path / "a", batch_rows=1_000))
    # Another process, with other string hashing: the data must not depend on it.
    subprocess.run(
        [
            str(Path(sys.executable).parent / "breach-warehouse"),
            "generate",
            *("--breaches", "3000", "--penalties", "300", "--actions", "30"),
            *("--seed", "11", "--batch-rows", "1000", "--out", str(tmp_path / "b")),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    generate(GenerateSpec(3_000, 300, 30, 12, tmp_path / "c", batch_rows=1_000))
    assert a.rows["breaches"] == 3_000 and a.rows["regulatory_actions"] == 30
    for table in ("breaches", "breach_records", "penalties", "regulatory_actions"):
        assert _read(tmp_path / "a", table).equals(_read(tmp_path / "b", table)), table
    assert not _read(tmp_path / "a", "breaches").equals(_read(tmp_path / "c", "breaches"))


def test_generated_files_follow_the_raw_contract(tmp_path: Path) -> None:
    generate(GenerateSpec(2_000, 400, 20, 3, tmp_path, batch_rows=1_000))
    for table in ("breaches", "breach_records", "penalties", "regulatory_actions", "organizations"):
        for path in (tmp_path / "raw" / "synthetic" / table).glob("*.parquet"):
            assert pl.read_parquet_schema(path) == dict(table_schema(table)), path
    assert set(TABLES) <= {p.name for p in (tmp_path / "raw" / "_contract").iterdir()}
    breaches = _read(tmp_path, "breaches")
    assert breaches["source_record_id"].is_unique().all()
    assert breaches["records_exposed"].null_count() > 0  # missing where real data has gaps
    assert breaches["records_exposed"].max() > 100 * breaches["records_exposed"].median()
    penalties = _read(tmp_path, "penalties")
    versions = penalties.group_by("source_record_id").agg(pl.col("load_id").n_unique())
    assert versions["load_id"].max() == 2  # amended penalties: a later load's new version
    assert set(penalties["currency"]) <= {"EUR", "USD", "GBP"}


def test_organization_keys_match_the_ingest_normalization() -> None:
    frame = pl.DataFrame({"i": [0, 7, 123_456, 9_999_999]}).select(
        org_name(pl.col("i")).alias("name"), org_key(pl.col("i")).alias("key")
    )
    for name, key in frame.iter_rows():
        assert normalize_org_name(name) == key


def test_an_increment_is_a_new_later_load_of_new_records(tmp_path: Path) -> None:
    base = generate(GenerateSpec(5_000, 500, 50, 5, tmp_path))
    more = generate(GenerateSpec(5_000, 500, 50, 5, tmp_path, append_fraction=0.01))
    assert more.rows["breaches"] == 50 and more.rows["penalties"] == 5
    assert set(more.load_ids).isdisjoint(base.load_ids)
    breaches = _read(tmp_path, "breaches")
    assert breaches["source_record_id"].is_unique().all()
    new = breaches.filter(pl.col("load_id") == more.load_ids[0])
    assert (
        new["loaded_at"].min()
        > breaches.filter(pl.col("load_id") == base.load_ids[0])["loaded_at"].max()
    )


@pytest.mark.standalone
@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bench_small_scale_runs_and_the_baseline_agrees(tmp_path: Path) -> None:
    """What CI runs: the benchmark at the small scale, once per step. The dbt rebuild of
    the mart alone is skipped (it is one more dbt run); the full refresh's mart is compared
    with the pandas baseline instead."""
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "breach-warehouse"),
            "bench",
            "--scale",
            "small",
            "--repeat",
            "1",
            "--requests",
            "20",
            "--dashboard-budget",
            "60",
            "--skip",
            "mart (dbt)",
            "--work-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = result.stdout
    steps = ("full refresh", "incremental refresh", "dashboard", "mart (pandas)", "mart (polars)")
    for step in (*steps, "floor", "linkage (dbt)"):
        assert f"| small | {step} |" in table, step
    for peer in ("pandas", "polars"):
        (line,) = [r for r in table.splitlines() if r.startswith(f"| mart: warehouse vs {peer} ")]
        assert "| identical | identical |" in line, line
    # Each run's output is kept: dbt's per-node timings, for a profile of a missed target.
    log = (tmp_path / "logs" / "incremental-refresh-1.log").read_text()
    assert "model     fct_breaches (" in log, log[-2000:]
    # Then the served file, increment included, is refreshed with nothing new.
    assert "Up to date" in (tmp_path / "logs" / "refresh-nothing-new-1.log").read_text()
    (line,) = [r for r in table.splitlines() if r.startswith("| refresh with nothing new wall ")]
    assert line.startswith("| refresh with nothing new wall (small) | ") and "| <= 3 s |" in line


def test_a_run_without_its_expected_line_does_not_count(tmp_path: Path) -> None:
    """A refresh meant to find nothing new that built something is a failed run, not a
    fast no-op."""
    built = Step(
        NOTHING_NEW,
        [sys.executable, "-c", "print('Published x')"],
        1,
        may_fail=True,
        expect="Up to date",
    )
    (result,) = run_alternating([built], repeat=2, say=lambda _: None, log_dir=tmp_path)
    assert result.failed == "its output does not say 'Up to date'" and result.seconds == []
    report = BenchReport(SCALES["large"], {NOTHING_NEW: result})
    assert _verdict(format_report(report), "refresh with nothing new wall (large)") == "**no**"
    up_to_date = Step(
        NOTHING_NEW, [sys.executable, "-c", "print('Up to date: w')"], 1, expect="Up to date"
    )
    (result,) = run_alternating([up_to_date], repeat=1, say=lambda _: None)
    assert not result.failed and len(result.seconds) == 1
    report = BenchReport(SCALES["large"], {NOTHING_NEW: result})
    assert _verdict(format_report(report), "refresh with nothing new wall (large)") == "yes"


def test_a_failed_run_keeps_its_output(tmp_path: Path) -> None:
    failing = Step(
        "mart (dbt)", [sys.executable, "-c", "print('node x failed'); raise SystemExit(3)"], 1
    )
    with pytest.raises(StepFailedError, match="exit 3"):
        run_alternating([failing], repeat=1, say=lambda _: None, log_dir=tmp_path)
    assert (tmp_path / "mart-dbt-1.log").read_text() == "node x failed\n"


def _report(scale: str, full_s: float, incremental_s: float, differences: list[str]) -> BenchReport:
    steps = {
        "full refresh": StepResult("full refresh", [full_s], peak_rss=3 * 2**30, rows=1),
        "incremental refresh": StepResult("incremental refresh", [incremental_s], 2**30, 1),
    }
    return BenchReport(SCALES[scale], steps, agreement=Agreement(9, 3, differences))


def _verdict(table: str, measure: str) -> str:
    (line,) = [row for row in table.splitlines() if row.startswith(f"| {measure} ")]
    return line.rstrip(" |").rsplit("|", 1)[1].strip()


def test_the_table_says_which_targets_are_met() -> None:
    table = format_report(_report("large", full_s=120.0, incremental_s=12.0, differences=[]))
    assert _verdict(table, "full refresh wall") == "**no**"  # 120 s > 90 s
    assert _verdict(table, "full refresh peak RSS") == "yes"  # 3 GiB <= 4 GiB
    assert _verdict(table, "incremental / full refresh") == "yes"  # 10% <= 15%
    assert _verdict(table, "mart: warehouse vs pandas (9 rows, 3 columns)") == "yes"

    # At another scale the timing targets are not judged; the agreement is.
    small = format_report(_report("small", 60.0, 30.0, differences=["money_usd: 2 rows"]))
    assert _verdict(small, "full refresh wall") == "yes (target set for the large scale)"
    assert _verdict(small, "mart: warehouse vs pandas (9 rows, 3 columns)") == "**no**"


def test_steps_run_in_turn_are_compared_round_by_round() -> None:
    """Steps run in alternation are compared within each round, so a round run while the
    machine was slow does not pair one step's fast run with the other's slow one."""
    full = StepResult("full refresh", [100.0, 150.0, 200.0], 2**30, 1)
    incremental = StepResult("incremental refresh", [10.0, 60.0, 30.0], 2**30, 1)
    steps = {s.step: s for s in (full, incremental)}
    in_turn = BenchReport(SCALES["large"], steps, paired={frozenset(steps)})
    separate = BenchReport(SCALES["large"], steps)
    # Rounds: 10/100, 60/150, 30/200 = 0.1, 0.4, 0.15; their median is 0.15.
    assert in_turn.ratio("incremental refresh", "full refresh") == pytest.approx(0.15)
    assert _verdict(format_report(in_turn), "incremental / full refresh") == "yes"
    # Steps run apart: the ratio of the medians, 30/150.
    assert separate.ratio("incremental refresh", "full refresh") == pytest.approx(0.2)
    assert _verdict(format_report(separate), "incremental / full refresh") == "**no**"


OOM_OUTPUT = [
    "  [162] PASS    test      unique_source_coverage (0.04s)\n",
    "refresh failed: dbt build failed; /w/bench.duckdb was left as it was.\n",
    "Failure in model agg_organization_groups_by_jurisdiction_year (models/marts/x.sql)\n",
    "Runtime Error in model agg_organization_groups_by_jurisdiction_year (models/marts/x.sql)\n",
    "  Out of Memory Error: could not allocate block of size 256.0 KiB (3.2 GiB/3.2 GiB used)\n",
]


def test_a_failed_run_is_named_by_its_model_and_error() -> None:
    assert failure_reason(OOM_OUTPUT, 1) == (
        "agg_organization_groups_by_jurisdiction_year: Out of Memory Error: could not "
        "allocate block of size 256.0 KiB (3.2 GiB/3.2 GiB used)"
    )
    assert failure_reason(["Killed\n"], -9) == "exit -9"


def test_a_step_that_may_fail_is_reported_and_the_bench_goes_on(tmp_path: Path) -> None:
    lines = "".join(OOM_OUTPUT)
    fails = [sys.executable, "-c", f"import sys; sys.stdout.write({lines!r}); sys.exit(1)"]
    passes = [sys.executable, "-c", "pass"]
    after: list[str] = []
    steps = [
        Step("full refresh", passes, 1),
        Step("incremental refresh", fails, 1, after=lambda: after.append("removed"), may_fail=True),
    ]
    said: list[str] = []
    full, incremental = run_alternating(steps, repeat=2, say=said.append, log_dir=tmp_path)
    assert len(full.seconds) == 2 and not full.failed
    # Failed in round 1, not run again; its after-hook ran (the increment taken out).
    assert incremental.seconds == [] and after == ["removed"]
    assert incremental.failed.startswith("agg_organization_groups_by_jurisdiction_year: Out of")
    assert any("FAILED" in line for line in said)
    report = BenchReport(SCALES["large"], {s.step: s for s in (full, incremental)})
    table = format_report(report)
    assert _verdict(table, "incremental / full refresh") == "**no**"
    assert "| large | incremental refresh: FAILED (agg_organization_groups" in table
    # A step that may not fail still stops the bench.
    with pytest.raises(StepFailedError):
        run_alternating([Step("full refresh", fails, 1)], repeat=1, say=said.append)


def test_the_mart_copy_replaces_what_an_interrupted_run_left(tmp_path: Path) -> None:
    """A reused work folder can hold the mart copy and its write-ahead log from a run that
    was killed; the next run's copy must open as the served file, not replay that log."""
    served, target = tmp_path / "served.duckdb", tmp_path / "mart.duckdb"
    with duckdb.connect(str(served)) as con:
        con.execute("create table t as select 1 as x")
    with duckdb.connect(str(target)) as con:
        con.execute("create table old as select 2 as y")
    (tmp_path / "mart.duckdb.wal").write_bytes(b"left by a killed run" * 100)
    fresh_copy(served, target)
    assert not (tmp_path / "mart.duckdb.wal").exists()
    with duckdb.connect(str(target)) as con:
        assert con.sql("select x from t").fetchall() == [(1,)]
