"""The Warehouse interface on both implementations, without dbt: a DuckDB file built
beside itself and published by a rename, and a Spark build's folder of Parquet marts."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb
import polars as pl
import pytest

from groundwork.runs import RUNS_TABLE, RunRecord, RunStore
from warehouse_api import DuckDBWarehouse, SparkWarehouse, open_warehouse
from warehouse_api.duckdb_file import PUBLISHED_MODE


def _history(key: Path) -> pl.DataFrame:
    record = RunRecord.begin(key)
    record.finish("success")
    store = RunStore(key)
    store.save(record)
    return store.load()


def _build_duckdb(warehouse: DuckDBWarehouse, rows: int, fingerprint: str) -> None:
    build = warehouse.start_build(incremental=False)
    with duckdb.connect(str(build)) as con:
        con.execute(f"create table main.fct_things as select range as id from range({rows})")
    warehouse.stamp(build, fingerprint, _history(warehouse.runs_key))
    warehouse.publish(build)


def test_duckdb_warehouse_builds_stamps_and_publishes_atomically(tmp_path: Path) -> None:
    warehouse = open_warehouse(tmp_path / "w.duckdb")
    assert isinstance(warehouse, DuckDBWarehouse)
    assert not warehouse.exists() and warehouse.fingerprint() is None
    _build_duckdb(warehouse, 3, "first")
    assert stat.S_IMODE(warehouse.location.stat().st_mode) == PUBLISHED_MODE
    assert not warehouse.build_path.exists()
    assert warehouse.tables() == ["fct_things"]  # the run history is not a mart
    assert warehouse.row_counts() == {"fct_things": 3}
    assert warehouse.fingerprint() == "first"
    assert warehouse.read_table("fct_things").height == 3
    assert warehouse.runs()["status"].to_list() == ["success"]

    build = warehouse.start_build(incremental=True)  # a copy of the served file
    with duckdb.connect(str(build)) as con:
        con.execute("insert into main.fct_things values (99)")
    assert warehouse.row_counts() == {"fct_things": 3}  # the served file is untouched
    warehouse.discard_build(build)
    assert not build.exists()


def test_duckdb_warehouse_reads_the_history_inside_a_copied_file(tmp_path: Path) -> None:
    warehouse = DuckDBWarehouse(tmp_path / "w.duckdb")
    _build_duckdb(warehouse, 1, "f")
    RunStore(warehouse.runs_key).path.unlink()  # the file copied on its own
    assert warehouse.runs()["status"].to_list() == ["success"]


def test_duckdb_connections_read_the_warehouse_and_no_other_file(tmp_path: Path) -> None:
    (tmp_path / "secret.csv").write_text("a\n1\n")
    warehouse = DuckDBWarehouse(tmp_path / "w.duckdb")
    _build_duckdb(warehouse, 1, "f")
    with warehouse.connect() as con:
        with pytest.raises(duckdb.PermissionException):
            con.sql(f"select * from read_csv('{tmp_path / 'secret.csv'}')").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("create table main.x as select 1")  # read-only


def test_duckdb_warehouse_removes_builds_left_by_killed_refreshes(tmp_path: Path) -> None:
    warehouse = DuckDBWarehouse(tmp_path / "w.duckdb")
    left = [warehouse.build_path, tmp_path / f"{warehouse.build_path.name}.wal"]
    for path in left:
        path.write_bytes(b"partial")
    assert warehouse.remove_stale_builds() == sorted(left)
    assert not any(p.exists() for p in left)


def _spark_folder(root: Path) -> SparkWarehouse:
    marts = root / "marts" / "fct_things"
    marts.mkdir(parents=True)
    pl.DataFrame({"id": [1, 2]}).write_parquet(marts / "part-0.parquet")
    return SparkWarehouse(root, "spark")


def test_spark_warehouse_reads_its_marts_and_history_through_duckdb(tmp_path: Path) -> None:
    warehouse = open_warehouse(tmp_path / "spark", "spark_thrift")
    assert isinstance(warehouse, SparkWarehouse) and not warehouse.exists()
    warehouse = _spark_folder(tmp_path / "spark")
    _history(warehouse.runs_key)
    assert warehouse.tables() == ["fct_things"]
    assert warehouse.row_counts() == {"fct_things": 2}
    with warehouse.connect() as con:
        assert con.sql(f"select count(*) from main.{RUNS_TABLE}").fetchall() == [(1,)]
        with pytest.raises(duckdb.PermissionException):
            con.sql("select * from read_csv('/etc/hostname')").fetchall()
    assert warehouse.runs()["status"].to_list() == ["success"]


def test_spark_warehouse_is_built_in_place(tmp_path: Path) -> None:
    warehouse = _spark_folder(tmp_path / "spark")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert warehouse.remove_stale_builds() == []  # a folder, never a build file beside it
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    warehouse.stamp(warehouse.location, "fp", pl.DataFrame())
    warehouse.publish(warehouse.location)
    assert warehouse.fingerprint() == "fp"
    with pytest.raises(ValueError, match="in place"):
        warehouse.publish(tmp_path / "elsewhere")
