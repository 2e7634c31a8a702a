"""An incremental refresh (new loads on top of the served warehouse) publishes exactly the
marts a full rebuild of the same loads publishes: the incremental models recompute every
organization and breach the new loads touch, and only those. The largest marts' unique and
relationships tests (macros/tests/refresh_scope_tests.sql) still catch a rewritten row that
collides with an old one, or a copied breach attribute that differs from its breach."""

from __future__ import annotations

import csv
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from breach_warehouse import dbt_runner
from breach_warehouse.dbt_runner import (
    MANIFEST_FINGERPRINT,
    manifest_describes,
    run_dbt,
    work_dir_for,
)
from breach_warehouse.parity import read_manifest, run_specific_columns
from breach_warehouse.refresh import RefreshError, incremental_build_args, refresh
from ingest.accounting import LoadAccount
from tests.ingest_helpers import FIXTURES, load

pytestmark = pytest.mark.slow

HHS = FIXTURES / "hhs_ocr" / "breach_report.csv"
GDPR = FIXTURES / "gdpr_fines" / "enforcement_tracker.csv"
ECB = FIXTURES / "ecb_fx" / "eurofxref-hist.csv"
GDPR_PENALTIES = (
    "select penalty_id, cast(amount as bigint), fx_rate_basis from fct_penalties "
    "where source_name = 'gdpr_fines' and penalty_id in "
    "('gdpr_fines:ETid-1', 'gdpr_fines:ETid-100', 'gdpr_fines:ETid-500') order by penalty_id"
)
NAME, INDIVIDUALS = "Name of Covered Entity", "Individuals Affected"
# Tables of the build itself, not of the data.
NOT_DATA = {"refresh_runs", "refresh_meta"}
# Listings of one breach per group, so a group's top can change hands.
VARS = {"dashboard_top_n": 1}
ARIZONA_2016_TOP = (
    "select organization_name, records_exposed from agg_largest_breaches_by_jurisdiction_year "
    "where jurisdiction_code = 'US-AZ' and breach_year = 2016 and is_counted"
)


def _hhs_first_export(out: Path) -> Path:
    """The HHS export as it stood before the fixture's: without Premera (so VCDB's Premera
    row is its own breach until HHS reports it), with an earlier Anthem count (a record
    that gets a new version), one entity's name in capitals (same record, renamed), and
    Banner Health's count overstated beside a smaller breach of the same state and year
    (the top of its group until the corrected count loads: the group is ranked again)."""
    with HHS.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = [r for r in reader if not r[NAME].startswith("Premera")]
    added = []
    for row in rows:
        if row[NAME].startswith("Anthem"):
            row[INDIVIDUALS] = "78000000"
        if row[NAME].startswith('"Community') or row[NAME].startswith("Community"):
            row[NAME] = row[NAME].upper()
        if row[NAME].startswith("Banner"):
            row[INDIVIDUALS] = "90000000"
            added.append({**row, NAME: "Sonoran Valley Clinic", INDIVIDUALS: "3000000"})
    rows += added
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return out


def _gdpr_first_export(out: Path) -> Path:
    """The enforcement tracker before the fixture's: without the Spanish fine (a new record
    in the later load) and with Google's fine at 40M (a record that gets a new version)."""
    lines = GDPR.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("ETid-500,")]
    out.write_text(
        "".join(line.replace(",2019-01-21,50000000,", ",2019-01-21,40000000,") for line in kept),
        encoding="utf-8",
    )
    return out


def _ecb_first_export(out: Path) -> Path:
    """The ECB history before the fixture's: without 2023-05-11 and 2023-05-12, so the
    Irish fine of 2023-05-12 first converts at the annual average rate, then at that day's."""
    lines = ECB.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text(
        "".join(line for line in lines if not line.startswith("2023-05-1")), encoding="utf-8"
    )
    return out


def _marts(db_path: Path) -> dict[str, pl.DataFrame]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        names = [
            r[0]
            for r in con.sql(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
            if r[0] not in NOT_DATA
        ]
        return {name: con.sql(f'select * from main."{name}"').pl() for name in names}


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _assert_same_marts(incremental: Path, rebuilt: Path) -> None:
    got, want = _marts(incremental), _marts(rebuilt)
    assert sorted(got) == sorted(want)
    # Columns that record which build wrote a row are the only ones allowed to differ.
    manifest = read_manifest(work_dir_for(rebuilt) / "manifest.json")
    run_specific = run_specific_columns(manifest)
    assert run_specific == {
        "dim_organizations": {"mapped_in_run"},
        "fct_penalties": {"mapped_in_run"},
    }
    for name in want:
        assert got[name].schema == want[name].schema, name
        skip = sorted(run_specific.get(name, set()))
        assert _canonical(got[name].drop(skip)).equals(_canonical(want[name].drop(skip))), name


def test_incremental_refresh_equals_a_full_rebuild(tmp_path: Path) -> None:
    data = tmp_path / "data"
    load("hhs_ocr", _hhs_first_export(tmp_path / "hhs_first.csv"), data)
    load("vcdb", FIXTURES / "vcdb" / "validated", data)
    load("gdpr_fines", _gdpr_first_export(tmp_path / "gdpr_first.csv"), data)
    load("ecb_fx", _ecb_first_export(tmp_path / "ecb_first.csv"), data)
    served = tmp_path / "served" / "bw.duckdb"
    refresh(served, data_dir=data, extra_vars=VARS)
    with duckdb.connect(str(served), read_only=True) as con:
        premera_before = con.sql(
            "select count(*) from fct_breaches join dim_organizations using (organization_id) "
            "where organization_name ilike 'premera%'"
        ).fetchall()[0][0]
        arizona_top_before = con.sql(ARIZONA_2016_TOP).fetchall()
        penalties_before = con.sql(GDPR_PENALTIES).fetchall()

    # New loads: the full HHS export (Premera now matches VCDB's row, Anthem's count and
    # the capitalised name change), a new source, the full enforcement tracker (a new fine,
    # a new amount) and the full ECB history (a rate on a fine's decision day).
    load("hhs_ocr", HHS, data)
    load("hibp", FIXTURES / "hibp" / "breaches.json", data)
    load("gdpr_fines", GDPR, data)
    load("ecb_fx", ECB, data)
    manifest = work_dir_for(served) / "manifest.json"
    manifest_before = manifest.stat().st_mtime_ns, manifest.read_bytes()
    said: list[str] = []
    incremental = refresh(served, data_dir=data, extra_vars=VARS, progress=said.append)
    assert any(m.startswith("Copying") for m in said), said  # built on the served file
    # The project did not change, so the incremental build left dbt's manifest as it was.
    assert (manifest.stat().st_mtime_ns, manifest.read_bytes()) == manifest_before
    rebuilt = refresh(
        tmp_path / "rebuilt" / "bw.duckdb", data_dir=data, extra_vars=VARS, full_refresh=True
    )

    _assert_same_marts(incremental.db_path, rebuilt.db_path)

    # The cases the increment was built to exercise really happened.
    with duckdb.connect(str(served), read_only=True) as con:
        premera = con.sql(
            "select source_count from fct_breaches join dim_organizations using (organization_id) "
            "where organization_name ilike 'premera%'"
        ).fetchall()
        arizona_top = con.sql(ARIZONA_2016_TOP).fetchall()
        runs = con.sql(
            "select count(distinct mapped_in_run) from main_intermediate.int_raw_breaches_mapped"
        ).fetchall()[0][0]
        organization_runs = con.sql(
            "select count(distinct mapped_in_run) from dim_organizations"
        ).fetchall()[0][0]
        penalties = con.sql(GDPR_PENALTIES).fetchall()
        penalty_runs = con.sql(
            "select count(*) filter (where mapped_in_run = (select max(mapped_in_run) "
            "from fct_penalties where penalty_id = 'gdpr_fines:ETid-500')), count(*) "
            "from fct_penalties"
        ).fetchall()[0]
    assert premera_before == 1 and premera == [(2,)]  # one breach, two sources, after the load
    assert runs == 2  # rows mapped by the first build kept, the new loads' rows added
    assert organization_runs == 2  # likewise the organizations: only those loads' rewritten
    assert penalties_before == [
        ("gdpr_fines:ETid-1", 40_000_000, "annual_average"),
        ("gdpr_fines:ETid-100", 1_200_000_000, "annual_average"),
    ]
    assert penalties == [
        ("gdpr_fines:ETid-1", 50_000_000, "annual_average"),
        ("gdpr_fines:ETid-100", 1_200_000_000, "decision_date"),
        ("gdpr_fines:ETid-500", 1_000, "annual_average"),
    ]
    # Only those three penalties were rewritten by the incremental run.
    assert penalty_runs[0] == 3 and penalty_runs[1] > 3
    assert arizona_top_before == [("Banner Health", 90_000_000)]
    assert arizona_top == [("Sonoran Valley Clinic", 3_000_000)]


def test_an_incremental_build_writes_dbt_artifacts_unless_its_manifest_is_current(
    tmp_path: Path,
) -> None:
    """Only a manifest written by a build of the same fingerprint is left as it is."""
    assert "--no-write-json" not in incremental_build_args(tmp_path, "fp-1")
    (tmp_path / "manifest.json").write_text("{}")
    assert "--no-write-json" not in incremental_build_args(tmp_path, "fp-1")  # no marker
    (tmp_path / MANIFEST_FINGERPRINT).write_text("fp-0")
    assert "--no-write-json" not in incremental_build_args(tmp_path, "fp-1")  # another build's
    (tmp_path / MANIFEST_FINGERPRINT).write_text("fp-1")
    assert incremental_build_args(tmp_path, "fp-1")[-1] == "--no-write-json"
    assert incremental_build_args(tmp_path, "fp-1")[:3] == ["build", "--select", "source:*+"]


class FakeDbt:
    """Stands in for dbt's process in dbt_runner.run_dbt: exits with ``returncode`` and, if
    ``writes``, writes a manifest into its target folder as dbt does after parsing."""

    def __init__(self, writes: bool, returncode: int) -> None:
        self.writes, self.returncode = writes, returncode

    def __call__(self, command: list[str], *, env: dict[str, str], **_kwargs: object) -> FakeDbt:
        if self.writes:
            (Path(env["DBT_TARGET_PATH"]) / "manifest.json").write_text("{}")
        self.stdout: list[str] = []
        return self

    def __enter__(self) -> FakeDbt:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def wait(self) -> int:
        return self.returncode


def test_the_manifest_marker_names_the_run_that_wrote_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dbt run that writes its artifacts leaves a marker only when dbt wrote a manifest and
    the caller named its fingerprint: a run that stops before (a project that does not parse)
    or another command's run leaves none, so the next incremental build writes the manifest
    again."""
    (tmp_path / "manifest.json").write_text('{"of": "fp-0"}')
    (tmp_path / MANIFEST_FINGERPRINT).write_text("fp-0")

    def dbt(args: list[str], fake: FakeDbt, fingerprint: str | None = "fp-1") -> None:
        monkeypatch.setattr(dbt_runner.subprocess, "Popen", fake)
        run_dbt(args, db_path=tmp_path / "w.duckdb", work_dir=tmp_path, fingerprint=fingerprint)

    dbt(["build"], FakeDbt(writes=False, returncode=2))  # stopped before its manifest
    assert not manifest_describes(tmp_path, "fp-0")
    assert not manifest_describes(tmp_path, "fp-1")
    dbt(["build"], FakeDbt(writes=True, returncode=1))  # parsed, then a model failed
    assert manifest_describes(tmp_path, "fp-1")
    dbt(["build", "--no-write-json"], FakeDbt(writes=False, returncode=0))
    assert manifest_describes(tmp_path, "fp-1")  # left as it was
    dbt(["build", "--no-write-json"], FakeDbt(writes=False, returncode=0), fingerprint="fp-2")
    assert manifest_describes(tmp_path, "fp-1")  # still fp-1's manifest
    dbt(["run"], FakeDbt(writes=True, returncode=0), fingerprint=None)  # another command
    assert not manifest_describes(tmp_path, "fp-1")


def test_a_renamed_organization_is_listed_under_its_new_name(tmp_path: Path) -> None:
    """A load that only renames an organization (a new version of its raw organization
    record: same key, new name) leaves the breach facts alone, since they keep
    organization ids, and the breach listing, which carries names, shows the new one."""
    data = tmp_path / "data"
    load("hhs_ocr", _hhs_first_export(tmp_path / "hhs_first.csv"), data)
    served = tmp_path / "served" / "bw.duckdb"
    refresh(served, data_dir=data, extra_vars=VARS)
    with duckdb.connect(str(served), read_only=True) as con:
        assert con.sql(ARIZONA_2016_TOP).fetchall() == [("Banner Health", 90_000_000)]

    folder = data / "raw" / "hhs_ocr" / "organizations"
    (first_load,) = sorted(folder.glob("*.parquet"))
    renamed = (
        pl.read_parquet(first_load)
        .filter(pl.col("organization_name") == "Banner Health")
        .with_columns(
            pl.lit("20990101T000000Z-rename").alias("load_id"),
            (pl.col("loaded_at") + timedelta(days=1)).alias("loaded_at"),
            pl.lit("Banner Health Network").alias("organization_name"),
            pl.lit("renamed").alias("record_hash"),
        )
    )
    assert renamed.height == 1
    renamed.write_parquet(folder / "20990101T000000Z-rename.parquet")
    LoadAccount(
        source_name="hhs_ocr",
        load_id="20990101T000000Z-rename",
        loaded_at=renamed["loaded_at"][0].isoformat(),
        as_of=renamed["loaded_at"][0].date().isoformat(),
        primary_table="organizations",
        rows_read=1,
        rows_loaded=1,
        versions_updated=1,
    ).write(data)

    refresh(served, data_dir=data, extra_vars=VARS)
    rebuilt = refresh(
        tmp_path / "rebuilt" / "bw.duckdb", data_dir=data, extra_vars=VARS, full_refresh=True
    )
    _assert_same_marts(served, rebuilt.db_path)
    with duckdb.connect(str(served), read_only=True) as con:
        assert con.sql(ARIZONA_2016_TOP).fetchall() == [("Banner Health Network", 90_000_000)]
        # No breach was mapped again: the facts kept every row of the first build.
        runs = con.sql(
            "select count(distinct mapped_in_run) from main_intermediate.int_raw_breaches_mapped"
        ).fetchall()[0][0]
    assert runs == 1


def test_incremental_tests_check_the_rewritten_rows_against_every_row(tmp_path: Path) -> None:
    """In an incremental refresh the largest marts' unique and relationships tests look at
    the rows the refresh rewrote (macros/tests/refresh_scope_tests.sql): a key a rewritten
    row shares with a row left from before fails the build, while a row the refresh did not
    touch is not checked again."""
    data = tmp_path / "data"
    load("hhs_ocr", _hhs_first_export(tmp_path / "hhs_first.csv"), data)
    load("vcdb", FIXTURES / "vcdb" / "validated", data)
    served = tmp_path / "served" / "bw.duckdb"
    refresh(served, data_dir=data)
    # A row outside any refresh's scope (an organization no load names) that shares its
    # breach_id with Anthem's breach, which the next load rewrites.
    with duckdb.connect(str(served)) as con:
        (anthem,) = con.sql(
            "select breach_id from fct_breaches join dim_organizations using (organization_id) "
            "where organization_name ilike 'anthem%'"
        ).fetchall()[0]
        con.execute(
            "insert into fct_breaches select * replace ('org_not_loaded' as organization_id) "
            "from fct_breaches where breach_id = ?",
            [anthem],
        )
    before = served.read_bytes()

    load("hhs_ocr", HHS, data)  # Anthem's record gets a new version
    with pytest.raises(RefreshError) as failed:
        refresh(served, data_dir=data)

    message = str(failed.value)
    assert "unique_in_refresh_scope_fct_breaches_breach_id" in message
    # The planted row's organization is in no dimension, but the row was not rewritten:
    # its relationships test looked at the rewritten rows only, and passed.
    assert "relationships_in_refresh_scope_fct_breaches_organization_id" not in message
    assert served.read_bytes() == before  # the failed refresh published nothing


def test_breach_records_carry_their_breachs_attributes(
    warehouse_path: Path, tmp_path: Path
) -> None:
    """fct_breach_records copies its breach's jurisdiction, date, year and is_counted; the
    relationships test from breach_id checks them against fct_breaches (matching_columns)."""
    copy = tmp_path / "bw.duckdb"
    shutil.copyfile(warehouse_path, copy)
    select = ["--select", "fct_breach_records,test_name:relationships_in_refresh_scope"]
    assert run_dbt(["test", *select], db_path=copy, work_dir=tmp_path / "dbt").success

    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update fct_breach_records set breach_year = breach_year + 1 "
            "where breach_id = (select min(breach_id) from fct_breach_records)"
        )
    run = run_dbt(["test", *select], db_path=copy, work_dir=tmp_path / "dbt")
    assert not run.success
    assert "relationships_in_refresh_scope_fct_breach_records_breach_id" in run.error_message
