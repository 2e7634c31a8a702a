"""dbt's unit tests (models/**/_*__unit_tests.yml): the logic that matters (currency
conversion, date precision, dedupe, matching) on fixed inputs.

A refresh builds with the data tests only (refresh.WITHOUT_UNIT_TESTS), so the suite runs
the unit tests here, against a copy of the session's warehouse (dbt reads the column types
of each model's inputs from it)."""

from __future__ import annotations

import shutil
from pathlib import Path

from breach_warehouse.dbt_runner import run_dbt
from breach_warehouse.parity import read_manifest
from breach_warehouse.refresh import RefreshSummary


def test_every_dbt_unit_test_passes(built_warehouse: RefreshSummary, tmp_path: Path) -> None:
    db_path = tmp_path / "unit_tests.duckdb"
    shutil.copyfile(built_warehouse.db_path, db_path)
    work_dir = tmp_path / "dbt"
    run = run_dbt(
        ["test", "--select", "test_type:unit"],
        db_path=db_path,
        dbt_vars={"data_dir": str(built_warehouse.db_path.parent / "data")},
        work_dir=work_dir,
    )
    assert run.success, run.error_message
    passed = {n.unique_id for n in run.nodes if n.resource_type == "unit_test"}
    assert {n.status for n in run.nodes} == {"pass"}
    # Every unit test the project declares ran, and there are some.
    assert passed == set(read_manifest(work_dir / "manifest.json")["unit_tests"])
    assert len(passed) >= 7
