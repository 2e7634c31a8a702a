"""The marts' not_null contract constraints: DuckDB enforces them on every write, and the
not_null_constraints data test (built where an engine does not enforce them) finds nulls."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from breach_warehouse.dbt_runner import run_dbt, work_dir_for
from breach_warehouse.parity import read_manifest
from breach_warehouse.refresh import RefreshSummary
from groundwork.paths import PROJECT_DIR


def _declared_not_null(manifest: dict) -> set[tuple[str, str]]:
    return {
        (node["alias"], column["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        for column in node["columns"].values()
        if any(c["type"] == "not_null" for c in column.get("constraints", []))
    }


@pytest.fixture(scope="module")
def manifest(built_warehouse: RefreshSummary) -> dict:
    """The manifest of the dbt build that made the session's warehouse."""
    return read_manifest(work_dir_for(built_warehouse.db_path) / "manifest.json")


def test_every_declared_not_null_is_a_not_null_column(
    built_warehouse: RefreshSummary, manifest: dict
) -> None:
    declared = _declared_not_null(manifest)
    assert len(declared) > 100
    with duckdb.connect(str(built_warehouse.db_path), read_only=True) as con:
        not_nullable = set(
            con.sql(
                "select table_name, column_name from information_schema.columns "
                "where table_schema = 'main' and is_nullable = 'NO'"
            ).fetchall()
        )
    assert declared <= not_nullable, sorted(declared - not_nullable)


def test_a_null_in_a_constrained_column_is_refused(
    built_warehouse: RefreshSummary, tmp_path: Path
) -> None:
    db_path = tmp_path / "w.duckdb"
    shutil.copyfile(built_warehouse.db_path, db_path)
    with (
        duckdb.connect(str(db_path)) as con,
        pytest.raises(duckdb.ConstraintException, match=r"fct_penalties\.status"),
    ):
        con.execute("update fct_penalties set status = null")


def test_the_not_null_check_finds_a_null_where_nothing_enforces_it(
    built_warehouse: RefreshSummary, tmp_path: Path
) -> None:
    db_path = tmp_path / "w.duckdb"
    shutil.copyfile(built_warehouse.db_path, db_path)

    def check() -> dict[str, str]:
        run = run_dbt(
            ["test", "--select", "test_name:not_null_constraints"],
            db_path=db_path,
            dbt_vars={
                "data_dir": str(built_warehouse.db_path.parent / "data"),
                "check_enforced_constraints": True,
            },
            work_dir=tmp_path / "dbt",
        )
        return {n.unique_id.split(".")[2]: n.status for n in run.nodes}

    clean = check()
    assert len(clean) == len(list((PROJECT_DIR / "models" / "marts").rglob("*.sql")))  # one a mart
    assert set(clean.values()) == {"pass"}

    # As on an engine that does not enforce it: the constraint gone, a null written.
    with duckdb.connect(str(db_path)) as con:
        con.execute("alter table fct_penalties alter column status drop not null")
        con.execute(
            "update fct_penalties set status = null "
            "where penalty_id = (select min(penalty_id) from fct_penalties)"
        )
    statuses = check()
    failed = {name for name, status in statuses.items() if status != "pass"}
    assert failed == {"not_null_constraints_fct_penalties_"}
