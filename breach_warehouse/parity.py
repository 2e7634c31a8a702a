"""The parity check: the same dbt project on DuckDB and on Spark gives the same marts.

Both engines build the seeds plus one raw collection (``breach-warehouse generate``); then
every mart of the DuckDB build is compared with the Spark build's, row by row on the mart's
key (its ``unique`` / ``unique_combination_of_columns`` test, else every column): the same
keys on both sides, and for each key the same values. Text, dates, booleans and integers
must be equal; decimals (money) equal to the cent; doubles (rates, per-million figures)
within a relative 1e-9, the only place two engines' arithmetic may differ. A model that
does not build on an engine fails the check with its name and that engine's error.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from breach_warehouse.dbt_runner import DbtRun, NodeOutcome, run_dbt, work_dir_for
from warehouse_api import DuckDBWarehouse, SparkWarehouse, Warehouse

Progress = Callable[[str], None]
DOUBLE_RELATIVE_TOLERANCE = 1e-9
MAX_REPORTED = 5
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class MartComparison:
    mart: str
    key: list[str]
    duckdb_rows: int = 0
    spark_rows: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.differences


@dataclass
class ParityReport:
    marts: list[MartComparison] = field(default_factory=list)
    build_errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.build_errors and all(m.equal for m in self.marts)

    def first_differences(self, limit: int = 20) -> list[str]:
        lines = list(self.build_errors)
        for mart in self.marts:
            lines += [f"{mart.mart}: {d}" for d in mart.differences]
        return lines[:limit]


def failed_models(run: DbtRun, engine: str) -> list[str]:
    """``model <name> failed on <engine>: <error>`` for every node dbt reported as failed."""
    lines = []
    for node in run.failed_nodes():
        name = node.unique_id.split(".", 2)[-1]
        error = _error_for(run, name) or _ANSI.sub("", node.message)
        lines.append(f"{node.resource_type} {name} failed on {engine}: {error}")
    if not lines and not run.success:
        lines.append(f"dbt failed on {engine}: {run.error_message}")
    return lines


def _error_for(run: DbtRun, name: str) -> str:
    short = name.rsplit(".", 1)[-1]
    for i, line in enumerate(run.errors):
        if short in line and ("Error in" in line or "Failure in" in line):
            detail = " ".join(x.strip() for x in run.errors[i : i + 3] if x.strip())
            return _ANSI.sub("", detail)[:2000]
    return ""


def read_manifest(manifest_path: Path) -> dict[str, Any]:
    """dbt's manifest.json, parsed once for mart_keys and run_specific_columns (no nodes
    when the build wrote none)."""
    if not manifest_path.exists():
        return {"nodes": {}}
    return json.loads(manifest_path.read_text())


def mart_keys(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """Each mart's key from its uniqueness tests in dbt's manifest."""
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        model = node["attached_node"].rsplit(".", 1)[-1]
        meta = node.get("test_metadata") or {}
        kwargs = meta.get("kwargs", {})
        # unique_in_refresh_scope: unique over the rows a refresh rewrote (all, when full).
        if meta.get("name") in {"unique", "unique_in_refresh_scope"} and kwargs.get("column_name"):
            keys.setdefault(model, [kwargs["column_name"]])
        elif meta.get("name") == "unique_combination_of_columns":
            keys[model] = list(kwargs.get("combination_of_columns", []))
    return keys


def run_specific_columns(manifest: dict[str, Any]) -> dict[str, set[str]]:
    """Each mart's columns that record the build itself (``meta: {differs_by_run: true}``
    in its YAML, such as the dbt invocation that wrote a row): two builds never agree on
    them, so the comparison leaves them out."""
    columns: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        for name, column in node.get("columns", {}).items():
            meta = {**column.get("meta", {}), **(column.get("config") or {}).get("meta", {})}
            if meta.get("differs_by_run"):
                columns.setdefault(node["name"], set()).add(name)
    return columns


def _normalise(frame: pl.DataFrame) -> pl.DataFrame:
    """One representation per value whatever the engine wrote: naive UTC timestamps,
    decimals as exact strings to the cent, integers as Int64."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:
                col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            exprs.append(col.dt.cast_time_unit("us").alias(name))
        elif isinstance(dtype, pl.Decimal):
            exprs.append(col.cast(pl.Decimal(38, 2)).cast(pl.String).alias(name))
        elif dtype.is_integer():
            exprs.append(col.cast(pl.Int64).alias(name))
        elif dtype.is_float():
            exprs.append(col.cast(pl.Float64).alias(name))
        else:
            exprs.append(col)
    return frame.select(exprs)


def compare_frames(
    mart: str,
    key: list[str],
    left: pl.DataFrame,
    right: pl.DataFrame,
    run_specific: Collection[str] = (),
) -> MartComparison:
    """DuckDB's rows (``left``) against Spark's (``right``), on every column but the
    ``run_specific`` ones."""
    result = MartComparison(mart, key, left.height, right.height)
    left = left.drop([c for c in run_specific if c in left.columns])
    right = right.drop([c for c in run_specific if c in right.columns])
    missing = [c for c in left.columns if c not in right.columns]
    extra = [c for c in right.columns if c not in left.columns]
    if missing or extra:
        result.differences.append(
            f"columns differ: only on DuckDB {missing or '-'}, only on Spark {extra or '-'}"
        )
        return result
    left, right = _normalise(left), _normalise(right.select(left.columns))
    key = [c for c in key if c in left.columns] or list(left.columns)
    for side, frame in (("DuckDB", left), ("Spark", right)):
        dupes = frame.group_by(key).len().filter(pl.col("len") > 1)
        if dupes.height:
            result.differences.append(
                f"key {key} is not unique on {side}: {dupes.row(0, named=True)}"
            )
    if result.differences:
        return result
    joined = left.join(right, on=key, how="full", suffix="__spark", nulls_equal=True)
    right_key = f"{key[0]}__spark"
    only_duckdb = joined.filter(pl.col(right_key).is_null() & pl.col(key[0]).is_not_null())
    only_spark = joined.filter(pl.col(key[0]).is_null() & pl.col(right_key).is_not_null())
    for label, rows, cols in (
        ("only on DuckDB", only_duckdb, key),
        ("only on Spark", only_spark, [f"{k}__spark" for k in key]),
    ):
        if rows.height:
            sample = rows.select(cols).head(MAX_REPORTED).rows()
            result.differences.append(f"{rows.height} key(s) {label}, e.g. {sample}")
    both = joined.filter(pl.col(key[0]).is_not_null() & pl.col(right_key).is_not_null())
    for column in left.columns:
        if column in key:
            continue
        a, b = pl.col(column), pl.col(f"{column}__spark")
        if left.schema[column].is_float():
            close = (a - b).abs() <= DOUBLE_RELATIVE_TOLERANCE * pl.max_horizontal(
                a.abs(), b.abs(), pl.lit(1.0)
            )
            differs = ~((a.is_null() & b.is_null()) | close.fill_null(False))
        else:
            differs = ~a.eq_missing(b)
        bad = both.filter(differs)
        if bad.height:
            first = bad.select([*key, column, f"{column}__spark"]).head(MAX_REPORTED).rows()
            result.differences.append(
                f"column {column}: {bad.height} row(s) differ (key..., DuckDB, Spark): {first}"
            )
    return result


def compare_builds(
    duck: Warehouse,
    spark: Warehouse,
    keys: dict[str, list[str]],
    run_specific: dict[str, set[str]] | None = None,
) -> list[MartComparison]:
    """Every mart of the DuckDB build (``duck``) against the Spark build's (``spark``)."""
    duck_marts = duck.tables()
    spark_marts = set(spark.tables())
    results = []
    for mart in duck_marts:
        if mart not in spark_marts:
            result = MartComparison(mart, keys.get(mart, []))
            result.differences.append("not built on Spark")
            results.append(result)
            continue
        results.append(
            compare_frames(
                mart,
                keys.get(mart, []),
                duck.read_table(mart),
                spark.read_table(mart),
                (run_specific or {}).get(mart, set()),
            )
        )
    for mart in sorted(spark_marts - set(duck_marts)):
        result = MartComparison(mart, [])
        result.differences.append("built on Spark only (missing from the DuckDB build)")
        results.append(result)
    return results


def parity_schema(spark_dir: Path) -> str:
    """The schema a parity build uses on a cluster: its own, so that it never replaces the
    tables of another build in the cluster's catalog."""
    return "bw_parity_" + hashlib.sha1(str(spark_dir).encode()).hexdigest()[:10]


def run_parity(
    *,
    data_dir: Path,
    db_path: Path,
    spark_dir: Path,
    target: str = "spark",
    progress: Progress | None = None,
) -> ParityReport:
    """Build ``data_dir`` on DuckDB and on the Spark ``target`` from nothing and compare
    every mart."""
    from breach_warehouse.spark import check_spark_available
    from breach_warehouse.spark.refresh import clear_build_state, run_spark_dbt
    from ingest.contract import write_empty_contract_files

    say = progress or (lambda _msg: None)
    check_spark_available(target)
    report = ParityReport()
    write_empty_contract_files(data_dir)

    def on_node(engine: str) -> Callable[[NodeOutcome, int], None]:
        def show(node: NodeOutcome, done: int) -> None:
            if node.resource_type in {"model", "seed", "unit_test"} or node.status != "pass":
                name = node.unique_id.split(".", 2)[-1]
                say(
                    f"  {engine:<13} [{done:>3}] {node.status.upper():<7} {name} ({node.seconds:.1f}s)"
                )

        return show

    duck_warehouse = DuckDBWarehouse(db_path)
    spark_warehouse = SparkWarehouse(spark_dir, target)
    duck_warehouse.discard_build(db_path)  # a parity build starts from nothing
    db_path.parent.mkdir(parents=True, exist_ok=True)
    say(f"DuckDB: dbt build into {db_path} ...")
    started = time.perf_counter()
    duck = run_dbt(
        ["build", "--full-refresh"],
        db_path=db_path,
        dbt_vars={"data_dir": str(data_dir)},
        on_node=on_node("duckdb"),
        work_dir=work_dir_for(db_path),
    )
    report.seconds["duckdb"] = time.perf_counter() - started
    report.build_errors += failed_models(duck, "duckdb")

    cluster_env = {} if target == "spark" else {"BW_SPARK_SCHEMA": parity_schema(spark_dir)}
    where = f"{spark_dir}" + (f", schema {cluster_env['BW_SPARK_SCHEMA']}" if cluster_env else "")
    say(f"Spark ({target}): dbt build (models, seeds, unit tests) into {where} ...")
    spark_dir.mkdir(parents=True, exist_ok=True)
    clear_build_state(spark_dir)
    started = time.perf_counter()
    spark = run_spark_dbt(
        ["build", "--full-refresh", "--exclude-resource-type", "test"],
        spark_dir,
        data_dir=data_dir,
        target=target,
        on_node=on_node(target),
        extra_env=cluster_env,
    )
    report.seconds["spark"] = time.perf_counter() - started
    report.build_errors += failed_models(spark, target)

    manifest = read_manifest(work_dir_for(db_path) / "manifest.json")
    if db_path.exists():
        say("Comparing marts ...")
        report.marts = compare_builds(
            duck_warehouse, spark_warehouse, mart_keys(manifest), run_specific_columns(manifest)
        )
    if cluster_env:
        say(f"Dropping the schemas of {cluster_env['BW_SPARK_SCHEMA']} from the cluster's catalog")
        dropped = run_spark_dbt(
            ["run-operation", "drop_build_schemas"],
            spark_dir,
            data_dir=data_dir,
            target=target,
            extra_env=cluster_env,
        )
        report.build_errors += failed_models(dropped, target)
    return report
