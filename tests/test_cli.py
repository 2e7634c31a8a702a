"""The CLI: read-only SQL, output formats, refresh that publishes only a good build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from breach_warehouse import refresh as refresh_module
from breach_warehouse.cli import main
from breach_warehouse.dbt_runner import DbtRun
from breach_warehouse.refresh import RefreshError, refresh

pytestmark = pytest.mark.slow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "statement",
    [
        "delete from fct_penalties",
        "drop table fct_breaches",
        "create table x as select 1",
        "insert into dim_sources (source_id) values ('x')",
        "update fct_penalties set amount = 0",
        "select 1; delete from fct_penalties",
        "copy fct_penalties to '/tmp/out.csv'",
        "attach 'other.duckdb'",
    ],
)
def test_sql_refuses_writes(warehouse_path: Path, statement: str, capsys) -> None:
    before = sha256(warehouse_path)
    assert main(["sql", statement, "--db", str(warehouse_path)]) == 2
    err = capsys.readouterr().err
    assert "refused" in err and "only reads" in err
    assert sha256(warehouse_path) == before


def test_sql_formats(warehouse_path: Path, capsys) -> None:
    query = "select jurisdiction_code, population from dim_jurisdictions where jurisdiction_code in ('US', 'GB') order by 1"
    assert main(["sql", query, "--db", str(warehouse_path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["jurisdiction_code"] for r in rows] == ["GB", "US"]
    assert main(["sql", query, "--db", str(warehouse_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "jurisdiction_code,population"
    assert main(["sql", query, "--db", str(warehouse_path)]) == 0
    table = capsys.readouterr().out
    assert "GB" in table and "(2 rows)" in table


def test_sql_reports_a_bad_query_and_a_missing_warehouse(
    warehouse_path: Path, tmp_path: Path, capsys
) -> None:
    assert main(["sql", "select nope from fct_breaches", "--db", str(warehouse_path)]) == 1
    assert "query failed" in capsys.readouterr().err
    assert main(["sql", "select 1", "--db", str(tmp_path / "missing.duckdb")]) == 1
    assert "breach-warehouse refresh" in capsys.readouterr().err


def test_failed_dbt_test_leaves_served_warehouse_intact(
    warehouse_path: Path, tmp_path: Path
) -> None:
    """A real dbt test failure (the action-type columns no longer match the taxonomy)."""
    served = tmp_path / "served.duckdb"
    served.write_bytes(warehouse_path.read_bytes())
    before = sha256(served)
    with pytest.raises(RefreshError) as info:
        refresh(served, data_dir=tmp_path / "data", extra_vars={"regulatory_action_types": ["law"]})
    assert "assert_action_type_columns_match_taxonomy" in str(info.value)
    assert sha256(served) == before
    assert [p.name for p in tmp_path.iterdir() if "building" in p.name] == []
    with duckdb.connect(str(served), read_only=True) as con:
        assert con.sql("select count(*) from fct_penalties").fetchall()[0][0] > 0


def test_publish_happens_only_after_success(tmp_path: Path, monkeypatch) -> None:
    served = tmp_path / "served.duckdb"
    with duckdb.connect(str(served)) as con:
        con.execute("create table marker as select 42 as answer")
    before = sha256(served)

    def failing_dbt(*_args, **kwargs) -> DbtRun:
        db_path: Path = kwargs["db_path"]
        with duckdb.connect(str(db_path)) as con:  # a half-written build file
            con.execute("create table partial as select 1 as x")
        return DbtRun(success=False, errors=["Database Error in model fct_breaches"])

    monkeypatch.setattr(refresh_module, "run_dbt", failing_dbt)
    with pytest.raises(RefreshError, match="fct_breaches"):
        refresh(served, data_dir=tmp_path / "data")
    assert sha256(served) == before
    # only the served file, its lock and its run history (the failed run) remain
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "served.duckdb",
        "served.duckdb.lock",
        "served.duckdb.runs.parquet",
    ]


def test_refresh_command_reports_failure(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(
        refresh_module,
        "run_dbt",
        lambda *a, **k: DbtRun(success=False, errors=["Compilation Error in model x"]),
    )
    code = main(
        [
            "refresh",
            "--db",
            str(tmp_path / "w.duckdb"),
            "--data-dir",
            str(tmp_path / "data"),
            "--no-bundled",
        ]
    )
    assert code == 1
    assert "Compilation Error in model x" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()
