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
    BenchReport,
    Progress,
    Scale,
    Step,
    StepResult,
    run_alternating,
    run_step,
)
from warehouse_api import DuckDBWarehouse

BIN = Path(sys.executable).parent


# Run as a script, so the step times pandas and not the import of this package.
PANDAS_BASELINE = Path(__file__).with_name("pandas_baseline.py")


def run_bench(
    scale: Scale,
    *,
    work_dir: Path | None = None,
    repeat: int = 3,
    seed: int = 7,
    requests: int = 200,
    dashboard_budget: float = 600.0,
    skip: frozenset[str] = frozenset(),
    progress: Progress | None = None,
    keep: bool = False,
) -> BenchReport:
    say = progress or (lambda _m: None)
    root = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix=f"bw-bench-{scale.name}-"))
    root.mkdir(parents=True, exist_ok=True)
    data_dir, db = root / "data", root / "warehouse" / "bench.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    report = BenchReport(scale)
    spec = GenerateSpec(scale.breaches, scale.penalties, scale.actions, seed, data_dir)
    cli = str(BIN / "breach-warehouse")
    py = sys.executable
    try:
        if "default build" not in skip:
            from breach_warehouse.bench.default import default_build_steps

            say("Default build (seeds + bundled snapshots), then a refresh with nothing new ...")
            for result in run_alternating(default_build_steps(root, cli), repeat=repeat, say=say):
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
            report.steps["full refresh"] = run_alternating([full], repeat=repeat, say=say)[0]
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
            )
            for result in run_alternating([full, incremental], repeat=repeat, say=say):
                report.steps[result.step] = result
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
        )

        say("agg_jurisdiction_year_metrics: dbt vs pandas ...")
        mart_db = root / "mart.duckdb"
        dbt_out, pandas_out = root / "mart-dbt.parquet", root / "mart-pandas.parquet"
        pandas = Step(
            "mart (pandas)",
            [py, str(PANDAS_BASELINE), "--data-dir", str(data_dir), "--out", str(pandas_out)],
            scale.rows,
        )
        if "mart (dbt)" in skip:
            # CI: compare the full refresh's mart instead of rebuilding it with dbt.
            mart = DuckDBWarehouse(served).read_table("agg_jurisdiction_year_metrics")
            mart.write_parquet(dbt_out)
            report.steps[pandas.name] = run_alternating([pandas], repeat=repeat, say=say)[0]
        else:
            mart = [py, "-m", "breach_warehouse.bench.steps", "mart", "--db", str(mart_db)]
            mart += ["--data-dir", str(data_dir)]
            dbt_mart = Step(
                "mart (dbt)",
                [*mart, "--out", str(dbt_out)],
                scale.rows,
                before=lambda: shutil.copy2(served, mart_db),
            )
            for result in run_alternating([dbt_mart, pandas], repeat=repeat, say=say):
                report.steps[result.step] = result
            report.paired.add(frozenset((dbt_mart.name, pandas.name)))
            report.steps["mart (dbt, model alone)"] = run_step(
                "mart (dbt, model alone)",
                [*mart, "--alone"],
                rows=scale.rows,
                repeat=repeat,
                say=say,
                before=lambda: shutil.copy2(served, mart_db),
            )
        report.agreement = compare_metrics(pl.read_parquet(dbt_out), pl.read_parquet(pandas_out))
        say(
            f"  agreement: {'identical' if report.agreement.identical else report.agreement.differences}"
        )

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
        )
        report.dashboard = json.loads(dash_out.read_text())

    finally:
        if not keep and work_dir is None:
            shutil.rmtree(root, ignore_errors=True)
    return report


# ---------------------------------------------------------------- the table
