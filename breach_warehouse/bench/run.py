"""`breach-warehouse bench`: generate the data at a scale, then run and measure each step."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import psutil

from breach_warehouse.bench.compare import compare_metrics
from breach_warehouse.bench.generate import GenerateSpec, generate
from breach_warehouse.bench.measure import (
    NOTHING_NEW,
    BenchReport,
    Progress,
    Scale,
    Step,
    StepResult,
    run_alternating,
    run_step,
)
from breach_warehouse.bench.steps import decisions
from warehouse_api import DuckDBWarehouse

BIN = Path(sys.executable).parent


PEERS = {
    "pandas": "breach_warehouse.bench.pandas_baseline",
    "polars": "breach_warehouse.bench.polars_peer",
}


def run_bench(
    scale: Scale,
    *,
    work_dir: Path | None = None,
    repeat: int = 3,
    seed: int = 7,
    sources: int = 5,
    requests: int = 200,
    dashboard_budget: float = 600.0,
    skip: frozenset[str] = frozenset(),
    progress: Progress | None = None,
    keep: bool = False,
) -> BenchReport:
    say = progress or (lambda _m: None)
    root = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix=f"bw-bench-{scale.name}-"))
    logs = logs_dir(root)
    root.mkdir(parents=True, exist_ok=True)
    data_dir, db = root / "data", root / "warehouse" / "bench.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    report = BenchReport(scale)
    spec = GenerateSpec(
        scale.breaches, scale.penalties, scale.actions, seed, data_dir, sources=sources
    )
    cli = str(BIN / "breach-warehouse")
    py = sys.executable
    try:
        if "default build" not in skip:
            from breach_warehouse.bench.default import default_build_steps

            say("Default build (seeds + bundled snapshots), then a refresh with nothing new ...")
            for result in run_alternating(
                default_build_steps(root, cli), repeat=repeat, say=say, log_dir=logs
            ):
                report.steps[result.step] = result
        say(
            f"Generating {scale.name}: {scale.breaches:,} breaches, {scale.penalties:,} penalties, {scale.actions:,} actions"
        )
        if data_dir.exists():
            shutil.rmtree(data_dir)
        started = time.perf_counter()
        generate(spec, progress=say)
        report.steps["generate"] = StepResult(
            "generate",
            [time.perf_counter() - started],
            psutil.Process().memory_info().rss,
            scale.rows,
            "in-process",
        )

        # The synthetic collection alone: no bundled public snapshots in it.
        refresh = [cli, "refresh", "--db", str(db), "--data-dir", str(data_dir), "--no-bundled"]
        served = root / "served-before-increment.duckdb"
        full = Step(
            "full refresh",
            [*refresh, "--full-refresh"],
            scale.rows,
            after=lambda: shutil.copy2(db, served),
        )
        if "incremental refresh" in skip:
            say("Full refresh ...")
            report.steps["full refresh"] = run_alternating(
                [full], repeat=repeat, say=say, log_dir=logs
            )[0]
        else:
            say("Full refresh, then incremental refresh after +1%, in turn ...")
            # The increment is written once beside the data and copied in for each
            # incremental refresh, then taken out again: every full refresh reads the base.
            increment_dir = root / "increment"
            if increment_dir.exists():
                shutil.rmtree(increment_dir)
            written = generate(
                GenerateSpec(
                    scale.breaches,
                    scale.penalties,
                    scale.actions,
                    seed,
                    increment_dir,
                    append_fraction=0.01,
                )
            ).files
            increment = [(f, data_dir / f.relative_to(increment_dir)) for f in written]

            def add_increment() -> None:
                for source, target in increment:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target)

            def remove_increment() -> None:
                for _, target in increment:
                    target.unlink(missing_ok=True)

            incremental = Step(
                "incremental refresh",
                refresh,
                max(1, scale.rows // 100),
                before=add_increment,
                after=remove_increment,
                may_fail=True,
            )
            for result in run_alternating(
                [full, incremental], repeat=repeat, say=say, log_dir=logs
            ):
                report.steps[result.step] = result
            if not report.steps["incremental refresh"].failed:
                # The served file holds the increment now: with it back in the data
                # folder, a refresh finds nothing new.
                say("Refresh with nothing new ...")
                report.steps[NOTHING_NEW] = run_step(
                    NOTHING_NEW,
                    refresh,
                    rows=scale.rows,
                    repeat=repeat,
                    say=say,
                    before=add_increment,
                    after=remove_increment,
                    log_dir=logs,
                    may_fail=True,
                    expect="Up to date",
                )
            report.paired.add(frozenset((full.name, incremental.name)))
            # The dashboard and the marts below read the full refresh's warehouse.
            shutil.copy2(served, db)

        say("Floor: one DuckDB aggregate over the raw Parquet ...")
        report.steps["floor"] = run_step(
            "floor",
            [py, "-m", "breach_warehouse.bench.steps", "floor", "--data-dir", str(data_dir)],
            rows=scale.rows,
            repeat=repeat,
            say=say,
            log_dir=logs,
        )

        _bench_mart(report, root, data_dir, served, scale, repeat, skip, say)

        if "dashboard" in skip:
            return report
        say(f"Dashboard: {requests} callback calls ...")
        dash_out = root / "dashboard.json"
        report.steps["dashboard"] = run_step(
            "dashboard",
            [
                py,
                "-m",
                "breach_warehouse.bench.steps",
                "dashboard",
                "--db",
                str(db),
                "--requests",
                str(requests),
                "--budget",
                str(dashboard_budget),
                "--out",
                str(dash_out),
            ],
            rows=requests,
            repeat=1,
            say=say,
            log_dir=logs,
        )
        report.dashboard = json.loads(dash_out.read_text())

    finally:
        if not keep and work_dir is None:
            shutil.rmtree(root, ignore_errors=True)
    return report


# ---------------------------------------------------------------- the table


def logs_dir(root: Path) -> Path:
    """Where the bench keeps every run's output (measure.step_log names each file)."""
    return root / "logs"


def fresh_copy(served: Path, target: Path) -> None:
    """``target`` as a copy of the ``served`` warehouse, without the file and write-ahead
    log an interrupted run in a reused work folder left there (DuckDB would replay that
    log into the copy and refuse it)."""
    DuckDBWarehouse(target).discard_build(target)
    shutil.copy2(served, target)


def _bench_mart(
    report: BenchReport,
    root: Path,
    data_dir: Path,
    served: Path,
    scale: Scale,
    repeat: int,
    skip: frozenset[str],
    say: Progress,
) -> None:
    """agg_jurisdiction_year_metrics from the raw Parquet: dbt, the pandas peer and the
    polars peer in turn, on equal work: the linkage's decisions (breach_source_matches of
    the full refresh) are every one's input, and the linkage models are timed alone."""
    logs = logs_dir(root)
    py = sys.executable
    matches = root / "decisions.parquet"
    say(f"  linkage decisions: {decisions(served, matches):,} matched source rows")
    outs = {name: root / f"mart-{name}.parquet" for name in ("dbt", *PEERS)}
    peers = [
        Step(
            f"mart ({name})",
            [
                py,
                "-m",
                module,
                "--data-dir",
                str(data_dir),
                "--decisions",
                str(matches),
                "--out",
                str(outs[name]),
            ],
            scale.rows,
        )
        for name, module in PEERS.items()
    ]
    mart_db = root / "mart.duckdb"

    def copy() -> None:
        fresh_copy(served, mart_db)

    step = [py, "-m", "breach_warehouse.bench.steps"]
    if "mart (dbt)" in skip:
        # CI: compare the full refresh's mart instead of rebuilding it with dbt.
        say("agg_jurisdiction_year_metrics: the peers ...")
        mart = DuckDBWarehouse(served).read_table("agg_jurisdiction_year_metrics")
        mart.write_parquet(outs["dbt"])
        for result in run_alternating(peers, repeat=repeat, say=say, log_dir=logs):
            report.steps[result.step] = result
    else:
        say("agg_jurisdiction_year_metrics: dbt, pandas, polars in turn ...")
        mart = [*step, "mart", "--db", str(mart_db), "--data-dir", str(data_dir)]
        dbt_mart = Step(
            "mart (dbt)", [*mart, "--out", str(outs["dbt"])], scale.rows, before=copy, may_fail=True
        )
        for result in run_alternating([dbt_mart, *peers], repeat=repeat, say=say, log_dir=logs):
            report.steps[result.step] = result
        for peer in peers:
            report.paired.add(frozenset((dbt_mart.name, peer.name)))
        for name, extra in (
            ("mart (dbt, model alone)", "--alone"),
            ("mart (dbt, with linkage)", "--with-linkage"),
        ):
            report.steps[name] = run_step(
                name,
                [*mart, extra],
                rows=scale.rows,
                repeat=repeat,
                say=say,
                before=copy,
                log_dir=logs,
                may_fail=True,
            )
        if report.steps["mart (dbt)"].failed:
            # The peers are still compared, with the full refresh's mart.
            say("  (dbt's mart build failed: the peers are compared with the full refresh's mart)")
            DuckDBWarehouse(served).read_table("agg_jurisdiction_year_metrics").write_parquet(
                outs["dbt"]
            )
    if "linkage" not in skip:
        report.steps["linkage (dbt)"] = run_step(
            "linkage (dbt)",
            [*step, "linkage", "--db", str(mart_db), "--data-dir", str(data_dir)],
            rows=scale.breaches,
            repeat=repeat,
            say=say,
            log_dir=logs,
            before=copy,
            may_fail=True,
        )
    warehouse = pl.read_parquet(outs["dbt"])
    report.agreement = compare_metrics(warehouse, pl.read_parquet(outs["pandas"]))
    report.agreement_polars = compare_metrics(warehouse, pl.read_parquet(outs["polars"]))
    for peer, agreement in report.agreements.items():
        verdict = "identical" if agreement.identical else agreement.differences
        say(f"  warehouse vs {peer}: {verdict}")
