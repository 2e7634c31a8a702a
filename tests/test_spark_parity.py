"""The Spark target: the same marts as DuckDB, and a clear failure when Spark cannot run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from breach_warehouse.cli import main
from breach_warehouse.dbt_runner import DbtRun, NodeOutcome
from breach_warehouse.parity import (
    compare_frames,
    failed_models,
    mart_keys,
    run_specific_columns,
)
from breach_warehouse.spark import SparkUnavailableError, check_spark_available
from tests.spark_helpers import assert_parity, assert_same_extracts, generate_collection

# Small enough for 2 shared cores (a few minutes), large enough that every mart has rows
# from the generated source, amended penalties, cross-source matches and quarantine-free
# loads of several batches.
PARITY_BREACHES = 20_000


def spark_missing_reason() -> str | None:
    try:
        check_spark_available()
    except SparkUnavailableError as exc:
        return str(exc)
    return None


@pytest.mark.standalone
@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.timeout(1200)
def test_duckdb_and_spark_build_the_same_marts(tmp_path: Path) -> None:
    reason = spark_missing_reason()
    if reason:
        pytest.fail(f"the Spark target cannot run here: {reason}")
    from breach_warehouse.parity import run_parity

    generate_collection(tmp_path / "data", PARITY_BREACHES)
    report = run_parity(
        data_dir=tmp_path / "data", db_path=tmp_path / "parity.duckdb", spark_dir=tmp_path / "spark"
    )
    assert_parity(report, PARITY_BREACHES)

    # An extract reads its mart from either engine and writes the same file.
    assert_same_extracts(
        tmp_path, {"duckdb": tmp_path / "parity.duckdb", "spark": tmp_path / "spark"}
    )


def test_spark_target_without_java_fails_at_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    monkeypatch.delenv("JAVA_HOME", raising=False)
    status = main(
        [
            "refresh",
            "--target",
            "spark",
            "--spark-dir",
            str(tmp_path / "spark"),
            "--data-dir",
            str(tmp_path / "data"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "Java" in err and "openjdk-17-jre-headless" in err
    assert not (tmp_path / "spark").exists()  # nothing started, nothing written


def test_spark_target_without_pyspark_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import breach_warehouse.spark as spark

    monkeypatch.setattr(spark, "_find_spec", lambda module: None)
    with pytest.raises(
        SparkUnavailableError, match=r"pyspark and dbt-spark not installed.*\[spark\]"
    ):
        spark.check_spark_available()


def test_a_model_failing_on_one_engine_is_named_with_the_engine_error() -> None:
    run = DbtRun(
        success=False,
        nodes=[NodeOutcome("model.breach_warehouse.fct_breaches", "model", "error", 1.0)],
        errors=[
            "Runtime Error in model fct_breaches (models/marts/core/fct_breaches.sql)",
            "[UNRESOLVED_ROUTINE] Cannot resolve routine `strip_accents`",
        ],
    )
    [line] = failed_models(run, "spark")
    assert line.startswith("model fct_breaches failed on spark: ")
    assert "strip_accents" in line


def test_compare_frames_reports_keys_and_values_that_differ() -> None:
    duck = pl.DataFrame(
        {
            "id": ["a", "b", "c"],
            "amount": [Decimal("1.00"), Decimal("2.00"), Decimal("3.00")],
            "rate": [0.1, 0.2, 0.3],
        }
    )
    spark = pl.DataFrame(
        {
            "id": ["a", "b", "d"],
            "amount": [Decimal("1.00"), Decimal("2.01"), Decimal("3.00")],
            "rate": [0.1 + 1e-15, 0.2, 0.3],
        }
    )
    result = compare_frames("m", ["id"], duck, spark)
    text = "\n".join(result.differences)
    assert "1 key(s) only on DuckDB, e.g. [('c',)]" in text
    assert "1 key(s) only on Spark, e.g. [('d',)]" in text
    assert "column amount: 1 row(s) differ" in text and "2.01" in text
    assert "column rate" not in text  # doubles agree within 1e-9 relative
    assert compare_frames("m", ["id"], duck, duck).equal


def test_columns_that_record_the_build_are_left_out_of_the_comparison() -> None:
    manifest = {
        "nodes": {
            "model.p.dim_x": {
                "resource_type": "model",
                "name": "dim_x",
                "columns": {
                    "id": {"meta": {}, "config": {"meta": {}}},
                    "written_by": {"config": {"meta": {"differs_by_run": True}}},
                },
            },
            "test.p.t": {"resource_type": "test", "name": "t", "columns": {}},
        }
    }
    run_specific = run_specific_columns(manifest)
    assert run_specific == {"dim_x": {"written_by"}}
    duck = pl.DataFrame({"id": ["a"], "name": ["A"], "written_by": ["run-1"]})
    spark = pl.DataFrame({"id": ["a"], "name": ["A"], "written_by": ["run-2"]})
    assert compare_frames("dim_x", ["id"], duck, spark, run_specific["dim_x"]).equal
    differing = compare_frames("dim_x", ["id"], duck, spark)
    assert "column written_by: 1 row(s) differ" in "\n".join(differing.differences)


def test_a_marts_key_comes_from_its_uniqueness_tests() -> None:
    """A mart unique over the rows a refresh rewrote (unique_in_refresh_scope) is keyed on
    that column, like one with a plain unique test: keyed, its doubles compare within a
    tolerance instead of as part of an all-column key."""

    def test(model: str, name: str, **kwargs: object) -> dict:
        return {
            "resource_type": "test",
            "attached_node": f"model.p.{model}",
            "test_metadata": {"name": name, "kwargs": kwargs},
        }

    manifest = {
        "nodes": {
            "test.p.a": test("fct_x", "unique", column_name="x_id"),
            "test.p.b": test("matches", "unique_in_refresh_scope", column_name="source_id"),
            "test.p.c": test(
                "agg_y", "unique_combination_of_columns", combination_of_columns=["k", "y"]
            ),
            "test.p.d": test("agg_z", "not_null", column_name="z"),
        }
    }
    assert mart_keys(manifest) == {
        "fct_x": ["x_id"],
        "matches": ["source_id"],
        "agg_y": ["k", "y"],
    }
