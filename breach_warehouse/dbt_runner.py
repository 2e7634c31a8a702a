"""Run dbt against a chosen database file, in a child process, with progress.

dbt runs as its own process (``python -m dbt.cli.main``) so that a failed or killed build
cannot leave state behind in the caller, and its structured JSON log is read line by line
to report progress and to surface dbt's own error messages.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from groundwork.paths import PROFILES_DIR, PROJECT_DIR


@dataclass(frozen=True)
class NodeOutcome:
    """One finished dbt node: a seed, model, data test or unit test."""

    unique_id: str
    resource_type: str
    status: str
    seconds: float
    message: str = ""


@dataclass
class DbtRun:
    """What one dbt invocation did."""

    success: bool
    nodes: list[NodeOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Nodes dbt skipped because a node before them failed, by name.
    skipped: list[str] = field(default_factory=list)
    # A failed node's error as dbt's summary reports it (its RunResultError event), by
    # unique id: "Runtime Error in model x ..." or, for an error dbt did not handle, the
    # error alone ("Out of Memory Error: ...", after a separate "Failure in test x").
    node_errors: dict[str, str] = field(default_factory=dict)

    def count(self, resource_type: str, statuses: Sequence[str] | None = None) -> int:
        return sum(
            1
            for n in self.nodes
            if n.resource_type == resource_type and (statuses is None or n.status in statuses)
        )

    @property
    def error_message(self) -> str:
        return "\n".join(self.errors) or "dbt failed without an error message"

    def failed_nodes(self) -> list[NodeOutcome]:
        return [n for n in self.nodes if n.status in _FAILED]

    def out_of_memory_retry(self) -> list[str]:
        """When every failure of this run is a model or test that ran out of memory
        (``_OUT_OF_MEMORY`` in the node's own error): the names of those nodes and of every
        node skipped because of them, to run again; else none."""
        failed = self.failed_nodes()
        if not failed or not all(
            _out_of_memory(self.node_errors.get(n.unique_id, "")) for n in failed
        ):
            return []
        return sorted({*(node_name(n) for n in failed), *self.skipped})

    def retried_with(self, retry: DbtRun) -> DbtRun:
        """This run's outcome once ``retry`` ran its failed nodes again: its nodes that the
        retry did not run, then the retry's."""
        again = {n.unique_id for n in retry.nodes} | {n.unique_id for n in self.failed_nodes()}
        kept = [n for n in self.nodes if n.unique_id not in again]
        return DbtRun(
            success=retry.success and not any(n.status in _FAILED for n in kept),
            nodes=[*kept, *retry.nodes],
            errors=list(retry.errors),
            skipped=list(retry.skipped),
            node_errors=dict(retry.node_errors),
        )


ProgressCallback = Callable[[NodeOutcome, int], None]

_PR_SET_PDEATHSIG = 1


def _dies_with_parent() -> Callable[[], None] | None:
    """On Linux, a pre-exec hook that has the kernel kill dbt when its parent dies, so a
    killed refresh does not leave dbt writing to an abandoned build file."""
    if not sys.platform.startswith("linux"):
        return None
    parent = os.getpid()

    def hook() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return hook


_FAILED = {"error", "fail", "runtime error"}
# DuckDB's errors for a node out of memory: its "Out of Memory Error", and a commit that
# could not allocate ("TransactionContext Error: Failed to commit: could not allocate block
# of size 1.9 KiB (15.2 MiB/15.2 MiB used)"), which a model's last step meets as often.
_OUT_OF_MEMORY = ("Out of Memory Error", "Failed to commit: could not allocate block")


def _out_of_memory(error: str) -> bool:
    return any(marker in error for marker in _OUT_OF_MEMORY)


# Skipped nodes worth running again (exposures, also reported as skipped, run nothing).
_RUNNABLE = {"model", "seed", "snapshot", "test"}


def node_name(node: NodeOutcome) -> str:
    """A node's name as dbt's --select takes it (``model.project.name`` -> ``name``)."""
    return node.unique_id.split(".")[2] if node.unique_id.count(".") >= 2 else node.unique_id


# Beside dbt's manifest.json in a work folder: the build fingerprint
# (breach_warehouse.build_fingerprint) of the run that wrote that manifest, when the
# caller gave one.
MANIFEST_FINGERPRINT = "manifest.fingerprint"


def manifest_describes(work_dir: Path, fingerprint: str) -> bool:
    """Whether dbt's manifest.json in ``work_dir`` was written by a run of ``fingerprint``."""
    marker = work_dir / MANIFEST_FINGERPRINT
    return (
        (work_dir / "manifest.json").exists()
        and marker.exists()
        and marker.read_text() == fingerprint
    )


def work_dir_for(key: Path) -> Path:
    """dbt's target/ and logs/ for builds of one warehouse, inside the project.

    Builds of different warehouse files (tests, benchmarks, the default) get their own
    folder so that they can run side by side without sharing dbt's partial-parse state.
    """
    digest = hashlib.sha1(str(key).encode()).hexdigest()[:10]
    return PROJECT_DIR / "target" / f"build-{digest}"


def dbt_env(
    db_path: Path,
    target: str = "duckdb",
    work_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> dict[str, str]:
    """Environment for a dbt child process: absolute paths, no usage statistics."""
    work_dir = work_dir or work_dir_for(db_path)
    env = dict(os.environ)
    env.update(
        {
            "BW_DB_PATH": str(db_path),
            "BW_DBT_TARGET": target,
            "BW_PROJECT_DIR": str(PROJECT_DIR),
            "DBT_PROFILES_DIR": str(PROFILES_DIR),
            "DBT_PROJECT_DIR": str(PROJECT_DIR),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_LOG_PATH": str(work_dir / "logs"),
            "DBT_TARGET_PATH": str(work_dir),
            **(extra_env or {}),
        }
    )
    return env


def run_dbt(
    args: Sequence[str],
    *,
    db_path: Path,
    dbt_vars: dict[str, object] | None = None,
    target: str = "duckdb",
    on_node: ProgressCallback | None = None,
    work_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
    fingerprint: str | None = None,
) -> DbtRun:
    """Run ``dbt <args>`` and return its outcome; never raises for a dbt failure.

    A run that writes dbt's artifacts (no ``--no-write-json``) starts without a manifest
    and its marker in the work folder, and leaves a marker only when dbt wrote a manifest
    and ``fingerprint`` is given (manifest_describes), so a manifest is never taken for
    one it replaced. A run with ``--no-write-json`` leaves both as they were.
    """
    work_dir = work_dir or work_dir_for(db_path)
    writes_manifest = "--no-write-json" not in args
    if writes_manifest:
        for name in (MANIFEST_FINGERPRINT, "manifest.json"):
            (work_dir / name).unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "dbt.cli.main",
        *args,
        "--log-format",
        "json",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROFILES_DIR),
        "--target",
        target,
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    run = DbtRun(success=False)
    with subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=dbt_env(db_path, target, work_dir, extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_dies_with_parent(),
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            _read_log_line(line, run, on_node)
        returncode = proc.wait()
    run.success = returncode == 0 and not any(n.status in _FAILED for n in run.nodes)
    if not run.success and not run.errors:
        run.errors.append(f"dbt exited with status {returncode}")
    if writes_manifest and fingerprint is not None and (work_dir / "manifest.json").exists():
        (work_dir / MANIFEST_FINGERPRINT).write_text(fingerprint)
    return run


def _read_log_line(line: str, run: DbtRun, on_node: ProgressCallback | None) -> None:
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        if line.strip():
            run.errors.append(line.rstrip())
        return
    info = event.get("info", {})
    data = event.get("data", {})
    name = str(info.get("name", ""))
    if name.startswith("Log") and name.endswith("Result") and "node_info" in data:
        node_info = data["node_info"]
        outcome = NodeOutcome(
            unique_id=node_info.get("unique_id", ""),
            resource_type=node_info.get("resource_type", ""),
            status=str(data.get("status") or node_info.get("node_status", "")).lower(),
            seconds=float(data.get("execution_time", 0.0) or 0.0),
            message=str(info.get("msg") or ""),
        )
        run.nodes.append(outcome)
        if on_node is not None:
            on_node(outcome, len(run.nodes))
    elif name == "SkippingDetails" and data.get("resource_type") in _RUNNABLE:
        run.skipped.append(str(data.get("node_name", "")))
    elif name == "RunResultError" and data.get("node_info", {}).get("unique_id"):
        run.node_errors[data["node_info"]["unique_id"]] = str(data.get("msg", ""))
        if msg := str(info.get("msg", "")).strip():
            run.errors.append(msg)
    elif name == "LogSkipBecauseError":  # a model after a skipped ephemeral one
        run.skipped.append(str(data.get("relation", "")))
        run.errors.append(str(info.get("msg", "")).strip())
    elif info.get("level") == "error":
        msg = info.get("msg", "").strip()
        if msg:
            run.errors.append(msg)
