"""A refresh with nothing to do: the served warehouse was built by the same project (seeds,
models, macros, data tests, profile, dbt variables, engines) from the same input files.
Then it runs no dbt, publishes nothing and records itself as up to date; anything changed,
or --full-refresh, builds."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from breach_warehouse import build_fingerprint
from breach_warehouse import refresh as refresh_module
from breach_warehouse.cli import main
from breach_warehouse.dbt_runner import DbtRun, NodeOutcome
from breach_warehouse.refresh import RefreshError, RefreshSummary, refresh
from groundwork.paths import PROJECT_DIR
from groundwork.runs import UP_TO_DATE, runs_store_path
from warehouse_api import read_runs


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CountingDbt:
    """Stands in for dbt: counts its runs, writes one table into the build, and succeeds
    unless told to fail."""

    def __init__(self) -> None:
        self.runs = 0
        self.fail = False

    def __call__(self, *_args: object, **kwargs: object) -> DbtRun:
        self.runs += 1
        with duckdb.connect(str(kwargs["db_path"])) as con:
            con.execute("create or replace table main.fct_fake as select 1 as x")
        nodes = [NodeOutcome("model.breach_warehouse.fct_fake", "model", "success", 0.1)]
        return DbtRun(success=not self.fail, nodes=nodes, errors=["a model failed"])


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the dbt project's files the fingerprint covers, used by refresh for its
    seeds and its fingerprint, so a test can change them."""
    copy = tmp_path / "project"
    for part in build_fingerprint.PARTS:
        source = PROJECT_DIR / part
        if source.is_file():
            (copy / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy / part)
        else:
            shutil.copytree(source, copy / part)
    monkeypatch.setattr(refresh_module, "SEEDS_DIR", copy / "seeds")
    monkeypatch.setattr(
        refresh_module,
        "project_fingerprint",
        functools.partial(build_fingerprint.project_fingerprint, project_dir=copy),
    )
    return copy


@pytest.fixture()
def dbt(monkeypatch: pytest.MonkeyPatch) -> CountingDbt:
    fake = CountingDbt()
    monkeypatch.setattr(refresh_module, "run_dbt", fake)
    return fake


def write_load(data: Path, name: str, value: int) -> Path:
    load = data / "raw" / "vcdb" / "breaches" / f"{name}.parquet"
    load.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"x": [value]}).write_parquet(load)
    return load


def test_only_a_refresh_with_nothing_changed_skips_the_build(
    project: Path, dbt: CountingDbt, tmp_path: Path
) -> None:
    db, data = tmp_path / "wh" / "bw.duckdb", tmp_path / "data"
    first = write_load(data, "20260101T000000Z-l1", 1)

    def builds(**kwargs: object) -> bool:
        """Refresh; whether it built (ran dbt and published) rather than found nothing new."""
        before = dbt.runs
        summary: RefreshSummary = refresh(db, data_dir=data, **kwargs)  # type: ignore[arg-type]
        built = dbt.runs > before
        assert built == (summary.up_to_date_with is None)
        return built

    assert builds()  # nothing served yet
    served = sha256(db)
    assert not builds()
    assert sha256(db) == served  # nothing published
    latest = read_runs(db).row(0, named=True)
    assert (latest["status"], latest["published"]) == (UP_TO_DATE, False)
    assert latest["input_files"]  # its inputs are recorded, as every run's

    assert builds(full_refresh=True)
    assert not builds()

    # A dbt variable given on the command line, then the same again, then none.
    assert builds(extra_vars={"dashboard_top_n": 5})
    assert not builds(extra_vars={"dashboard_top_n": 5})
    assert builds()

    # A new load; a load rewritten in place; a load deleted.
    second = write_load(data, "20260102T000000Z-l2", 2)
    assert builds()
    assert not builds()
    write_load(data, first.stem, 3)
    assert builds()
    second.unlink()
    assert builds()
    assert not builds()

    # A seed changed (the same rows, other line endings), a model changed, the profile changed.
    seed = project / "seeds" / "sources.csv"
    seed.write_bytes(seed.read_bytes().replace(b"\n", b"\r\n"))
    assert builds()
    assert not builds()
    model = next((project / "models" / "marts").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- changed\n")
    assert builds()
    profile = project / "profiles" / "profiles.yml"
    profile.write_text(profile.read_text() + "\n# changed\n")
    assert builds()
    assert not builds()


def test_a_failed_build_leaves_the_next_refresh_to_compare_with_what_is_served(
    project: Path, dbt: CountingDbt, tmp_path: Path
) -> None:
    """A failed run published nothing, so the served warehouse still reflects the inputs
    before it: the next refresh builds while the new load is there, and is up to date
    once it is gone."""
    db, data = tmp_path / "wh" / "bw.duckdb", tmp_path / "data"
    write_load(data, "20260101T000000Z-l1", 1)
    refresh(db, data_dir=data)
    served = sha256(db)
    load = write_load(data, "20260102T000000Z-l2", 2)
    dbt.fail = True
    with pytest.raises(RefreshError):
        refresh(db, data_dir=data)
    runs = dbt.runs
    with pytest.raises(RefreshError):
        refresh(db, data_dir=data)  # still a new load: built again, failed again
    assert dbt.runs == runs + 1 and sha256(db) == served
    load.unlink()
    assert refresh(db, data_dir=data).up_to_date_with is not None
    assert dbt.runs == runs + 1 and sha256(db) == served


def test_a_warehouse_without_its_build_record_is_built(
    project: Path, dbt: CountingDbt, tmp_path: Path
) -> None:
    """A served file whose refresh_runs table names no published run (a file from before
    the run history) is built, not taken as up to date."""
    db, data = tmp_path / "wh" / "bw.duckdb", tmp_path / "data"
    refresh(db, data_dir=data)
    os.chmod(db, 0o644)
    with duckdb.connect(str(db)) as con:
        con.execute("update refresh_runs set published = false")
    runs = dbt.runs
    assert refresh(db, data_dir=data).up_to_date_with is None
    assert dbt.runs == runs + 1


@pytest.mark.slow
def test_the_built_warehouse_refreshed_again_runs_no_dbt(
    built_warehouse: RefreshSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The session's warehouse (built by dbt from the seeds), refreshed from the command
    line with the same data folder: up to date, dbt never started, the file untouched."""
    session = built_warehouse.db_path
    db = tmp_path / "wh" / session.name
    db.parent.mkdir()
    shutil.copyfile(session, db)
    shutil.copyfile(runs_store_path(session), runs_store_path(db))
    before = sha256(db)

    def no_dbt(*_args: object, **_kwargs: object) -> DbtRun:
        raise AssertionError("dbt started for a refresh with nothing to do")

    monkeypatch.setattr(refresh_module, "run_dbt", no_dbt)
    command = ["refresh", "--db", str(db), "--data-dir", str(session.parent / "data")]
    assert main([*command, "--no-bundled"]) == 0
    assert f"is up to date (built by run {built_warehouse.run_id})" in capsys.readouterr().out
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == sorted(
        [db.name, runs_store_path(db).name, f"{db.name}.lock"]
    )
    assert read_runs(db).row(0, named=True)["status"] == UP_TO_DATE
    assert main(["runs", "--db", str(db)]) == 0
    assert "found nothing new" in capsys.readouterr().out

    monkeypatch.setattr(refresh_module, "run_dbt", CountingDbt())
    refresh_module.run_dbt.fail = True  # type: ignore[attr-defined]
    assert main([*command, "--no-bundled", "--full-refresh"]) == 1  # built (and failed)
    assert refresh_module.run_dbt.runs == 1  # type: ignore[attr-defined]
    assert sha256(db) == before
