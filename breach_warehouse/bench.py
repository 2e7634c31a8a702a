"""The benchmark: synthetic data at a scale, each step in its own process, one table.

Steps (each run ``repeat`` times; the table shows the median wall time and the largest
peak RSS, summed over the step's process tree and sampled every 20 ms):

- default build: ``breach-warehouse refresh`` into an empty data folder (the seeds and the
  bundled public snapshots, as ``make run`` builds them), then the same refresh again
- generate: the synthetic raw Parquet (once, not repeated)
- full refresh: ``breach-warehouse refresh --full-refresh`` (dbt build: seeds, models, tests)
- incremental refresh: +1% new rows as a new load, ``breach-warehouse refresh`` starting
  from the full refresh just served
- dashboard: 200 callback calls in-process against the built warehouse (p95 reported)
- mart (dbt): agg_jurisdiction_year_metrics and its upstream models from the raw Parquet
- mart (pandas): ``bench/pandas_baseline.py``, the same mart in pandas
- floor: one DuckDB aggregate over the raw Parquet

The steps a target compares run in alternation (full refresh, incremental refresh, full
refresh, ...; mart (dbt), mart (pandas), ...) and their ratio is the median of the ratios
of each pair: the machine's speed drifts over minutes, and each pair shares its minute.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import polars as pl
import psutil

from breach_warehouse.bench_compare import Agreement, compare_metrics
from breach_warehouse.generate import GenerateSpec, generate
from breach_warehouse.paths import PROJECT_DIR

BIN = Path(sys.executable).parent
PANDAS_BASELINE = PROJECT_DIR / "bench" / "pandas_baseline.py"


@dataclass(frozen=True)
class Scale:
    name: str
    breaches: int
    penalties: int
    actions: int

    @property
    def rows(self) -> int:
        return self.breaches + self.penalties + self.actions


SCALES = {
    "tiny": Scale("tiny", 20_000, 2_000, 200),
    "small": Scale("small", 100_000, 10_000, 1_000),
    "medium": Scale("medium", 1_000_000, 100_000, 10_000),
    "large": Scale("large", 10_000_000, 1_000_000, 100_000),
}


@dataclass
class StepResult:
    step: str
    seconds: list[float]
    peak_rss: int
    rows: int
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.median if self.median > 0 else 0.0


@dataclass
class BenchReport:
    scale: Scale
    steps: dict[str, StepResult] = field(default_factory=dict)
    dashboard: dict[str, float] = field(default_factory=dict)
    agreement: Agreement | None = None
    # Steps run in alternation, one run of each per round: their ratio pairs the rounds.
    paired: set[frozenset[str]] = field(default_factory=set)

    def ratio(self, a: str, b: str) -> float | None:
        """``a``'s time over ``b``'s: the median of the rounds' ratios when the two ran in
        alternation, else the ratio of their medians."""
        if a not in self.steps or b not in self.steps:
            return None
        first, second = self.steps[a], self.steps[b]
        if frozenset((a, b)) in self.paired and len(first.seconds) == len(second.seconds):
            if all(t > 0 for t in second.seconds):
                return statistics.median(
                    x / y for x, y in zip(first.seconds, second.seconds, strict=True)
                )
            return None
        return first.median / second.median if second.median > 0 else None


Progress = Callable[[str], None]


class StepFailedError(RuntimeError):
    pass


def measure(
    argv: Sequence[str], *, label: str, check: bool = True, output: list[str] | None = None
) -> tuple[float, int]:
    """Run one process; its wall seconds and the peak RSS of its process tree (``check``:
    a failed process raises; ``output`` receives its lines)."""
    started = time.perf_counter()
    proc = psutil.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    output = output if output is not None else []
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            rss = 0
            for p in tree:
                with contextlib.suppress(psutil.Error):
                    rss += p.memory_info().rss
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    reader.join()
    if check and proc.returncode != 0:
        tail = "".join(output[-30:])
        raise StepFailedError(f"{label} failed (exit {proc.returncode}):\n{tail}")
    return seconds, peak


@dataclass(frozen=True)
class Step:
    """One step of a round: what to run, and what to do before and after each run."""

    name: str
    argv: Sequence[str]
    rows: int
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None


def run_alternating(steps: Sequence[Step], *, repeat: int, say: Progress) -> list[StepResult]:
    """``repeat`` rounds of one run of each step, in order."""
    seconds: dict[str, list[float]] = {step.name: [] for step in steps}
    peaks = dict.fromkeys(seconds, 0)
    for i in range(repeat):
        for step in steps:
            if step.before is not None:
                step.before()
            wall, rss = measure(step.argv, label=step.name)
            if step.after is not None:
                step.after()
            seconds[step.name].append(wall)
            peaks[step.name] = max(peaks[step.name], rss)
            say(f"  {step.name} [{i + 1}/{repeat}]: {wall:.1f}s, peak {rss / 2**20:,.0f} MiB")
    return [StepResult(s.name, seconds[s.name], peaks[s.name], s.rows) for s in steps]


def run_step(
    name: str,
    argv: Sequence[str],
    *,
    rows: int,
    repeat: int,
    say: Progress,
    before: Callable[[], None] | None = None,
) -> StepResult:
    return run_alternating([Step(name, argv, rows, before)], repeat=repeat, say=say)[0]


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
            from breach_warehouse.bench_default import default_build_steps

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
            [py, "-m", "breach_warehouse.bench_steps", "floor", "--data-dir", str(data_dir)],
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
            with duckdb.connect(str(served), read_only=True) as con:
                con.sql("select * from agg_jurisdiction_year_metrics").pl().write_parquet(dbt_out)
            report.steps[pandas.name] = run_alternating([pandas], repeat=repeat, say=say)[0]
        else:
            mart = [py, "-m", "breach_warehouse.bench_steps", "mart", "--db", str(mart_db)]
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
                "breach_warehouse.bench_steps",
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


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def format_report(report: BenchReport) -> str:
    lines = [
        "| scale | step | wall s (median) | runs | peak RSS MiB | rows/s |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for step in report.steps.values():
        lines.append(
            f"| {report.scale.name} | {step.step} | {step.median:.2f} | {len(step.seconds)} | "
            f"{_mib(step.peak_rss)} | {step.rows_per_second:,.0f} |"
        )
    lines.append("")
    full = report.steps.get("full refresh")
    inc = report.ratio("incremental refresh", "full refresh")
    speedup = report.ratio("mart (pandas)", "mart (dbt)")
    floor = report.ratio("full refresh", "floor")
    dbt_mem = report.steps.get("mart (dbt)")
    pandas_mem = report.steps.get("mart (pandas)")
    alone = report.ratio("mart (pandas)", "mart (dbt, model alone)")
    # The targets are set for the large scale (10M breaches); at other scales the column
    # says so instead of judging.
    at_target_scale = report.scale.name == "large"

    def row(
        measure: str, value: str, target: str, met: bool | None = None, any_scale: bool = False
    ) -> None:
        if met is None:
            verdict = ""
        elif not (at_target_scale or any_scale):
            verdict = "(target is for the large scale)"
        else:
            verdict = "yes" if met else "**no**"
        lines.append(f"| {measure} | {value} | {target} | {verdict} |")

    lines.append("| measure | value | target | met? |")
    lines.append("| --- | ---: | --- | --- |")
    default = report.steps.get("default build (seeds + bundled snapshots)")
    if default:
        row(
            "default build (seeds + bundled snapshots) wall",
            f"{default.median:.1f} s",
            "<= 60 s",
            default.median <= 60,
            any_scale=True,
        )
    if full:
        row("full refresh wall", f"{full.median:.1f} s", "<= 90 s", full.median <= 90)
        rss_gib = full.peak_rss / 2**30
        row("full refresh peak RSS", f"{rss_gib:.2f} GiB", "<= 4 GiB", rss_gib <= 4)
    if inc is not None:
        row("incremental / full refresh", f"{inc:.1%}", "<= 15%", inc <= 0.15)
    if report.dashboard:
        done, asked = int(report.dashboard["requests"]), int(report.dashboard.get("requested", 0))
        calls = f"{done} calls" + (f" of {asked}, time budget spent" if asked > done else "")
        p95 = report.dashboard["p95_ms"]
        row(f"dashboard callback p95 ({calls})", f"{p95:.0f} ms", "<= 150 ms", p95 <= 150)
        slowest = {
            k.removeprefix("p95_ms_"): v
            for k, v in report.dashboard.items()
            if k.startswith("p95_ms_")
        }
        row(
            "dashboard p95 by page",
            ", ".join(f"{k} {v:.0f} ms" for k, v in slowest.items()),
            "<= 150 ms",
            all(v <= 150 for v in slowest.values()),
        )
    if speedup is not None:
        row("mart: pandas time / dbt time", f"{speedup:.2f}x", ">= 5x", speedup >= 5)
    if alone is not None:
        row("mart: pandas time / dbt time (model alone, facts built)", f"{alone:.2f}x", "(info)")
    if dbt_mem and pandas_mem and pandas_mem.peak_rss:
        share = dbt_mem.peak_rss / pandas_mem.peak_rss
        row("mart: dbt peak RSS / pandas peak RSS", f"{share:.2f}", "<= 0.33", share <= 1 / 3)
    if report.agreement is not None:
        verdict = (
            "identical"
            if report.agreement.identical
            else "DIFFERENT: " + "; ".join(report.agreement.differences)
        )
        row(
            f"mart: warehouse vs pandas ({report.agreement.rows:,} rows, "
            f"{report.agreement.columns} columns)",
            verdict,
            "identical",
            report.agreement.identical,
            any_scale=True,
        )
    if floor is not None:
        row("full refresh / floor (one DuckDB aggregate)", f"{floor:.1f}x", "report")
    return "\n".join(lines)


def report_json(report: BenchReport) -> str:
    return json.dumps(
        {
            "scale": asdict(report.scale),
            "steps": {k: {**asdict(v), "median": v.median} for k, v in report.steps.items()},
            "dashboard": report.dashboard,
            "agreement": asdict(report.agreement) if report.agreement else None,
        },
        indent=2,
    )
