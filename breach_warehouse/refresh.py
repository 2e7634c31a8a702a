"""Build the warehouse into a new file and publish it only when every dbt test passed.

The served database is never written to: dbt builds ``.<name>.building`` beside it, and an
atomic rename replaces the served file once the build and all its tests succeed.
Readers that already had the old file open keep reading it; new connections see the new
one. A failure at any step (a seed or ingest error, a dbt model or test failure, a full
disk, an interrupt) removes the partial build and leaves the served file untouched; a run
killed outright leaves its build file behind, and the next refresh removes it.

Only one refresh of a warehouse runs at a time (``<db>.lock``), and every run is recorded
in the run history (``groundwork.runs``), which is copied into each published build
as the ``refresh_runs`` table. The file itself (build, stamp, publish, stale builds) is
handled by its ``warehouse_api.DuckDBWarehouse``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from breach_warehouse.build_fingerprint import project_fingerprint, served_build_is_current
from breach_warehouse.build_retry import retry_out_of_memory
from breach_warehouse.dbt_runner import (
    DbtRun,
    NodeOutcome,
    ProgressCallback,
    manifest_describes,
    run_dbt,
    work_dir_for,
)
from breach_warehouse.faults import pause_point
from breach_warehouse.locking import exclusive_lock
from breach_warehouse.seed_check import check_seeds
from groundwork.paths import SEEDS_DIR
from groundwork.provenance import InputFile, git_revision, input_files
from groundwork.runs import UP_TO_DATE, RunRecord, RunStore
from ingest.contract import write_empty_contract_files
from warehouse_api import DuckDBWarehouse, Warehouse, as_warehouse
from warehouse_api.duckdb_file import file_row_counts


class RefreshError(RuntimeError):
    """The refresh failed; the served warehouse was left as it was."""


@dataclass
class RefreshSummary:
    db_path: Path
    seconds: float
    models: int
    seeds: int
    tests_passed: int
    tests_failed: int
    mart_rows: dict[str, int] = field(default_factory=dict)
    run_id: str = ""
    # The run that built the served warehouse, when this one found nothing new to build.
    up_to_date_with: str | None = None

    @classmethod
    def of_run(cls, db_path: Path, record: RunRecord, started: float) -> RefreshSummary:
        """The summary of a finished run, from its record (``started``: perf_counter)."""
        return cls(
            db_path=db_path,
            seconds=time.perf_counter() - started,
            models=record.models or 0,
            seeds=record.seeds or 0,
            tests_passed=record.tests_passed or 0,
            tests_failed=record.tests_failed or 0,
            mart_rows=record.mart_rows,
            run_id=record.run_id,
        )


Progress = Callable[[str], None]


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.lock")


# No refresh runs dbt's unit tests: they test the models' code on fixed inputs, not the
# data, so the test suite runs them (tests/test_dbt_unit_tests.py), as dbt advises for
# production builds. A refresh runs the data tests.
WITHOUT_UNIT_TESTS = ("--exclude", "resource_type:unit_test")

# What an incremental build runs: every model downstream of the ingested data (sources)
# and its data tests. The rest is the same as in the served file the build starts from,
# because the fingerprint matched: the seeds, the models built from seeds alone and their
# tests.
INCREMENTAL_SELECTION = ("--select", "source:*+", *WITHOUT_UNIT_TESTS)


def incremental_build_args(work_dir: Path, fingerprint: str) -> list[str]:
    """dbt's arguments for an incremental build.

    When the manifest in ``work_dir`` was written by a build of this fingerprint (the one
    that built the served file, as the build before normally was), it still describes the
    project, and the build does not write its artifacts again (``--no-write-json``:
    manifest.json at its start and end, run_results.json), which costs about a second per
    refresh at any size. Otherwise (a failed build of another project version since, a
    dbt run of another command in the folder, a folder cleaned by hand) the build writes
    them.
    """
    args = ["build", *INCREMENTAL_SELECTION]
    if manifest_describes(work_dir, fingerprint):
        args.append("--no-write-json")
    return args


def build_path_for(db_path: Path) -> Path:
    """The build file beside the served database (``DuckDBWarehouse.build_path``)."""
    return DuckDBWarehouse(db_path).build_path


def remove_stale_builds(db_path: Path) -> list[Path]:
    """Remove build files beside ``db_path`` left by refreshes that did not finish (call
    with the refresh lock held)."""
    return DuckDBWarehouse(db_path).remove_stale_builds()


def _finalize(
    warehouse: Warehouse, build_path: Path, store: RunStore, record: RunRecord, fingerprint: str
) -> None:
    """Add the run history (this run included, as a success) and the project fingerprint
    to the build."""
    warehouse.stamp(build_path, fingerprint, store.with_record(record))


def _describe_failure(exc: BaseException) -> str:
    if isinstance(exc, RefreshError):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (SIGINT/SIGTERM)"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def refresh(
    warehouse: DuckDBWarehouse | Path,
    *,
    data_dir: Path,
    progress: Progress | None = None,
    extra_vars: dict[str, object] | None = None,
    wait: bool = False,
    full_refresh: bool = False,
) -> RefreshSummary:
    """Seeds + ``dbt build`` into a new file, published over the warehouse file on success
    (``warehouse``: a ``DuckDBWarehouse``, or the path of its file).

    Holds ``<db>.lock`` for the run: if another refresh holds it, raises
    ``LockBusyError`` at once, or with ``wait`` waits for it. Every run that got the lock
    is recorded in the run history, failed ones with the reason.
    """
    say = progress or (lambda _msg: None)
    warehouse = as_warehouse(warehouse)
    if not isinstance(warehouse, DuckDBWarehouse):
        raise TypeError(f"{warehouse} is not a DuckDB warehouse: use refresh_spark")
    db_path = warehouse.location
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with recorded_run(warehouse, what=f"a refresh of {db_path}", wait=wait, say=say) as (
        record,
        store,
    ):
        return _build_and_publish(
            warehouse,
            record,
            store,
            data_dir=data_dir,
            say=say,
            extra_vars=extra_vars,
            full_refresh=full_refresh,
        )


@contextmanager
def recorded_run(
    warehouse: Warehouse, *, what: str, wait: bool, say: Progress, label: str = ""
) -> Iterator[tuple[RunRecord, RunStore]]:
    """Hold the refresh lock of ``warehouse`` and record the run in its history.

    Runs that ended without finishing are closed as failed first; a run that raises is
    recorded as failed with the reason, one that returns as it left its record. What
    builds that did not finish left behind is removed while the lock is held.
    """
    key = warehouse.runs_key
    with exclusive_lock(
        lock_path_for(key),
        what=what,
        wait=wait,
        hint="Wait for it to finish, or pass --wait to queue behind it.",
    ):
        for stale in warehouse.remove_stale_builds():
            say(f"Removed {stale.name}, left by a refresh that did not finish")
        store = warehouse.run_store()
        for run_id in store.close_interrupted():
            say(f"Recorded run {run_id} as failed: it ended without finishing")
        record = RunRecord.begin(key)
        store.save(record)
        say(f"Run {record.run_id}{label}")
        try:
            yield record, store
        except BaseException as exc:
            record.published = False
            record.finish("failed", _describe_failure(exc))
            store.save(record)
            raise
        store.save(record)


def check_inputs(
    record: RunRecord, data_dir: Path, say: Progress, known: dict[str, InputFile] | None = None
) -> None:
    """Check the seeds, make sure every raw table has a file, and record the inputs (the
    checksums of files ``known`` from the previous run and unchanged since are reused)."""
    record.git_revision = git_revision()
    say("Checking seeds ...")
    check_seeds(SEEDS_DIR)
    write_empty_contract_files(data_dir)
    record.input_files = input_files([SEEDS_DIR, data_dir], known=known)


def node_printer(
    say: Progress, after: Callable[[NodeOutcome], None] | None = None
) -> ProgressCallback:
    """A dbt progress callback printing one line per finished node."""

    def on_node(node: NodeOutcome, done: int) -> None:
        name = node.unique_id.split(".", 2)[-1]
        say(
            f"  [{done:>3}] {node.status.upper():<7} {node.resource_type:<9} {name} ({node.seconds:.2f}s)"
        )
        if after is not None:
            after(node)

    return on_node


def _build_and_publish(
    warehouse: DuckDBWarehouse,
    record: RunRecord,
    store: RunStore,
    *,
    data_dir: Path,
    say: Progress,
    extra_vars: dict[str, object] | None,
    full_refresh: bool = False,
) -> RefreshSummary:
    started = time.perf_counter()
    db_path = warehouse.location
    check_inputs(record, data_dir, say, known=store.last_input_files())
    build_path = warehouse.build_path

    def pause_mid_build(node: NodeOutcome) -> None:
        if node.resource_type == "model":
            pause_point("mid_build")

    dbt_vars = {"data_dir": str(data_dir), **(extra_vars or {})}
    fingerprint = project_fingerprint(dbt_vars)
    # Nothing to do: the served file was built by this project, these dbt variables and
    # engines, from exactly these input files. No dbt runs and nothing is published;
    # --full-refresh always builds.
    current = (
        None
        if full_refresh
        else served_build_is_current(warehouse, fingerprint, record.input_files)
    )
    if current is not None:
        say(
            f"Up to date: {db_path.name} was built by run {current} from these same inputs and project; nothing to build"
        )
        record.finish(UP_TO_DATE)
        summary = RefreshSummary.of_run(db_path, record, started)
        summary.up_to_date_with = current
        return summary
    try:
        # Incremental: start from a copy of the served file, so incremental models only
        # process new rows; --full-refresh, no served file yet, or a served file built by
        # other seeds, models or dbt variables (build_fingerprint) builds from nothing.
        incremental = not full_refresh and warehouse.fingerprint() == fingerprint
        if not full_refresh and db_path.exists() and not incremental:
            say(
                "Seeds, models or dbt variables changed since the served build: rebuilding everything"
            )
        if incremental:
            say(f"Copying {db_path.name} to build incrementally ...")
        warehouse.start_build(incremental)
        pause_point("after_build_file")
        say(f"Building into {build_path.name} ...")
        work_dir = work_dir_for(db_path)

        def build(args: list[str]) -> DbtRun:
            return run_dbt(
                args,
                db_path=build_path,
                dbt_vars=dbt_vars,
                on_node=node_printer(say, pause_mid_build),
                work_dir=work_dir,
                fingerprint=fingerprint,
                # The largest marts' unique and relationships tests then check the rows
                # this build rewrote (macros/tests/refresh_scope_tests.sql); set either
                # way, so a value in the caller's environment never decides it.
                extra_env={"BW_INCREMENTAL_BUILD": "1" if incremental else "0"},
            )

        args = (
            incremental_build_args(work_dir, fingerprint)
            if incremental
            else ["build", "--full-refresh", *WITHOUT_UNIT_TESTS]
        )

        def start_again() -> None:
            warehouse.discard_build(build_path)
            warehouse.start_build(incremental)

        run = retry_out_of_memory(
            build(args), build, args=args, incremental=incremental, restart=start_again, say=say
        )
        record_dbt_counts(record, run)
        if not run.success:
            raise RefreshError(
                f"dbt build failed; {db_path} was left as it was.\n{run.error_message}"
            )
        record.mart_rows = file_row_counts(build_path)
        record.published = True
        record.finish("success")
        _finalize(warehouse, build_path, store, record, fingerprint)
        # Published read-only on disk: an analyst's default (read-write) open fails at once
        # instead of locking the dashboard and the extracts out (warehouse_api.engine).
        warehouse.seal(build_path)
        pause_point("before_publish")
        warehouse.publish(build_path)
    except BaseException:
        record.published = False
        raise
    finally:
        warehouse.discard_build(build_path)
    return RefreshSummary.of_run(db_path, record, started)


def record_dbt_counts(record: RunRecord, run: DbtRun) -> None:
    def tests(statuses: list[str]) -> int:
        return run.count("test", statuses) + run.count("unit_test", statuses)

    record.models = run.count("model", ["success", "ok"])
    record.seeds = run.count("seed", ["success"])
    record.tests_passed = tests(["pass"])
    record.tests_failed = tests(["fail", "error"])
    record.tests_warned = tests(["warn"])
    record.tests_skipped = tests(["skipped"])
