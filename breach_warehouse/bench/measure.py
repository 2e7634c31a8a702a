"""How a benchmark step is measured: its own process tree, the median wall time of its
runs and the largest peak RSS, sampled every 20 ms; steps compared in alternation."""

from __future__ import annotations

import contextlib
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from breach_warehouse.bench.compare import Agreement

BIN = Path(sys.executable).parent


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
    # Why a run of the step failed (a step that may fail: the bench goes on and reports it).
    failed: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.median if self.median > 0 else 0.0


@dataclass
class BenchReport:
    scale: Scale
    steps: dict[str, StepResult] = field(default_factory=dict)
    dashboard: dict[str, float] = field(default_factory=dict)
    agreement: Agreement | None = None  # warehouse vs the pandas peer
    agreement_polars: Agreement | None = None  # warehouse vs the polars peer
    # Steps run in alternation, one run of each per round: their ratio pairs the rounds.
    paired: set[frozenset[str]] = field(default_factory=set)

    @property
    def agreements(self) -> dict[str, Agreement]:
        pairs = (("pandas", self.agreement), ("polars", self.agreement_polars))
        return {peer: agreement for peer, agreement in pairs if agreement is not None}

    def ratio(self, a: str, b: str) -> float | None:
        """``a``'s time over ``b``'s: the median of the rounds' ratios when the two ran in
        alternation, else the ratio of their medians."""
        if a not in self.steps or b not in self.steps:
            return None
        if self.steps[a].failed or self.steps[b].failed:
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


# The refresh at the bench's scale that finds nothing new (after the incremental one).
NOTHING_NEW = "refresh, nothing new"


class StepFailedError(RuntimeError):
    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message.splitlines()[0]


_FAILED_MODEL = re.compile(r"Failure in model (\S+)")
_ENGINE_ERROR = re.compile(r"\b([A-Z][A-Za-z ]*Error): (.*)")


def failure_reason(output: Sequence[str], returncode: int) -> str:
    """One line for a failed run: the dbt model that failed and the engine's error
    (``agg_x: Out of Memory Error: could not allocate ...``), else the exit status."""
    text = "".join(output)
    model = _FAILED_MODEL.search(text)
    errors = [m for m in _ENGINE_ERROR.finditer(text) if m.group(1) != "Runtime Error"]
    error = f"{errors[0].group(1)}: {errors[0].group(2).strip()}" if errors else ""
    parts = [p for p in (model.group(1) if model else "", error) if p]
    return ": ".join(parts) if parts else f"exit {returncode}"


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
        raise StepFailedError(
            f"{label} failed (exit {proc.returncode}):\n{tail}",
            failure_reason(output, proc.returncode),
        )
    return seconds, peak


@dataclass(frozen=True)
class Step:
    """One step of a round: what to run, and what to do before and after each run."""

    name: str
    argv: Sequence[str]
    rows: int
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None
    # A step whose failure the bench reports (its targets not met) and goes on past; the
    # others (the full refresh every later step reads, the peers) stop the bench.
    may_fail: bool = False
    # A line its output must hold for a run to count (a refresh with nothing new says so).
    expect: str = ""


def step_log(log_dir: Path, name: str, run: int) -> Path:
    """Where run ``run`` of step ``name`` keeps its output (dbt's per-node timings)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return log_dir / f"{slug}-{run}.log"


def run_alternating(
    steps: Sequence[Step], *, repeat: int, say: Progress, log_dir: Path | None = None
) -> list[StepResult]:
    """``repeat`` rounds of one run of each step, in order (``log_dir``: each run's output
    is kept there, failed runs' too)."""
    seconds: dict[str, list[float]] = {step.name: [] for step in steps}
    peaks = dict.fromkeys(seconds, 0)
    failed = dict.fromkeys(seconds, "")
    for i in range(repeat):
        for step in steps:
            if failed[step.name]:
                continue
            if step.before is not None:
                step.before()
            output: list[str] = []
            try:
                wall, rss = measure(step.argv, label=step.name, output=output)
                if step.expect and not any(step.expect in line for line in output):
                    reason = f"its output does not say {step.expect!r}"
                    raise StepFailedError(f"{step.name}: {reason}", reason)
            except StepFailedError as error:
                if not step.may_fail:
                    raise
                failed[step.name] = error.reason
                say(f"  {step.name} [{i + 1}/{repeat}]: FAILED: {error.reason}")
                continue
            finally:
                if log_dir is not None:
                    log_dir.mkdir(parents=True, exist_ok=True)
                    step_log(log_dir, step.name, i + 1).write_text("".join(output))
                if step.after is not None:
                    step.after()
            seconds[step.name].append(wall)
            peaks[step.name] = max(peaks[step.name], rss)
            say(f"  {step.name} [{i + 1}/{repeat}]: {wall:.1f}s, peak {rss / 2**20:,.0f} MiB")
    return [
        StepResult(s.name, seconds[s.name], peaks[s.name], s.rows, failed=failed[s.name])
        for s in steps
    ]


def run_step(
    name: str,
    argv: Sequence[str],
    *,
    rows: int,
    repeat: int,
    say: Progress,
    before: Callable[[], None] | None = None,
    log_dir: Path | None = None,
    may_fail: bool = False,
    after: Callable[[], None] | None = None,
    expect: str = "",
) -> StepResult:
    step = Step(name, argv, rows, before, after, may_fail=may_fail, expect=expect)
    return run_alternating([step], repeat=repeat, say=say, log_dir=log_dir)[0]
