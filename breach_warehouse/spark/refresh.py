"""`refresh --target spark|spark_thrift|spark_connect`: the same dbt project on Apache Spark.

There is no file to build beside the served one and rename: Spark builds its tables in
place under the Spark warehouse folder (``warehouse_api.SparkWarehouse``), each mart replaced as
its model finishes. Otherwise the run is the DuckDB refresh's: one refresh of a Spark
warehouse at a time (``<spark dir>/warehouse.lock``), the seeds checked first, and every run
recorded in the run history (``<spark dir>/warehouse.runs.parquet``), failed ones with
dbt's message. ``full_refresh`` starts from an empty catalog (on a cluster, whose catalog
is the cluster's: dbt's ``--full-refresh`` replaces every table); otherwise incremental
models add to the tables of the last build, as long as the seeds and models are the ones
that built it (``build_fingerprint``; else everything is rebuilt).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from breach_warehouse.build_fingerprint import project_fingerprint
from breach_warehouse.dbt_runner import (
    DbtRun,
    ProgressCallback,
    run_dbt,
    work_dir_for,
)
from breach_warehouse.refresh import (
    Progress,
    RefreshError,
    RefreshSummary,
    check_inputs,
    node_printer,
    record_dbt_counts,
    recorded_run,
)
from breach_warehouse.spark import check_spark_available, spark_env
from groundwork.provenance import InputFile
from groundwork.runs import RunRecord
from warehouse_api import SparkWarehouse
from warehouse_api.spark_folder import FINGERPRINT_FILE, runs_key

# What a full refresh clears: the catalog and every table; the run history stays.
BUILD_STATE = ("metastore_db", "tables", "marts", "derby.log", FINGERPRINT_FILE)


def clear_build_state(spark_dir: Path) -> None:
    for name in BUILD_STATE:
        path = spark_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def run_spark_dbt(
    args: list[str],
    spark_dir: Path,
    *,
    data_dir: Path,
    target: str = "spark",
    extra_vars: dict[str, object] | None = None,
    on_node: ProgressCallback | None = None,
    extra_env: dict[str, str] | None = None,
) -> DbtRun:
    """``dbt <args>`` against the Spark ``target`` writing under ``spark_dir``."""
    key = runs_key(spark_dir)
    return run_dbt(
        args,
        db_path=key,
        target=target,
        dbt_vars={"data_dir": str(data_dir), **(extra_vars or {})},
        on_node=on_node,
        work_dir=work_dir_for(key),
        extra_env={**spark_env(spark_dir), **(extra_env or {})},
    )


def refresh_spark(
    warehouse: SparkWarehouse | Path,
    *,
    data_dir: Path,
    target: str = "spark",
    progress: Progress | None = None,
    extra_vars: dict[str, object] | None = None,
    wait: bool = False,
    full_refresh: bool = False,
    data_tests: bool = True,
) -> RefreshSummary:
    """Seeds + ``dbt build`` on the Spark ``target`` into the warehouse's folder (a
    ``SparkWarehouse``, or the folder for ``target``); fails at once when the target
    cannot run here.

    ``data_tests=False`` skips the data tests (the parity check runs them on DuckDB);
    unit tests always run.
    """
    if not isinstance(warehouse, SparkWarehouse):
        warehouse = SparkWarehouse(Path(warehouse), target)
    target, spark_dir = warehouse.target, warehouse.location
    check_spark_available(target)
    say = progress or (lambda _msg: None)
    spark_dir.mkdir(parents=True, exist_ok=True)
    with recorded_run(
        warehouse,
        what=f"a Spark refresh of {spark_dir}",
        wait=wait,
        say=say,
        label=f" ({target}, {spark_dir})",
    ) as (record, store):
        return _build(
            warehouse,
            record,
            known_inputs=store.last_input_files(),
            data_dir=data_dir,
            say=say,
            extra_vars=extra_vars,
            full_refresh=full_refresh,
            data_tests=data_tests,
        )


def _build(
    warehouse: SparkWarehouse,
    record: RunRecord,
    *,
    known_inputs: dict[str, InputFile],
    data_dir: Path,
    say: Progress,
    extra_vars: dict[str, object] | None,
    full_refresh: bool,
    data_tests: bool,
) -> RefreshSummary:
    started = time.perf_counter()
    target, spark_dir = warehouse.target, warehouse.location
    check_inputs(record, data_dir, say, known=known_inputs)
    fingerprint = project_fingerprint({"data_dir": str(data_dir), **(extra_vars or {})})
    if target != "spark":  # the tables live in that cluster's catalog, not in spark_dir
        fingerprint = f"{target}:{fingerprint}"
    built_with = warehouse.fingerprint()
    if not full_refresh and built_with != fingerprint:
        if built_with is not None:
            say(
                "Seeds, models, dbt variables or the target changed since the last Spark build: "
                "rebuilding everything"
            )
        full_refresh = True
    if full_refresh:
        clear_build_state(spark_dir)

    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    if not data_tests:
        args += ["--exclude-resource-type", "test"]
    say(f"Building on Spark ({target}) into {spark_dir} ...")
    run = run_spark_dbt(
        args,
        spark_dir,
        data_dir=data_dir,
        target=target,
        extra_vars=extra_vars,
        on_node=node_printer(say),
    )
    record_dbt_counts(record, run)
    if not run.success:
        raise RefreshError(f"dbt build on Spark ({target}) failed.\n{run.error_message}")
    record.mart_rows = warehouse.row_counts()
    record.published = True
    record.finish("success")
    warehouse.stamp(spark_dir, fingerprint, history=record.to_frame())
    warehouse.publish(spark_dir)
    return RefreshSummary.of_run(spark_dir, record, started)
