"""Snapshots over time and identity, on exports derived from the real HHS files: an older
export never rolls newer values back, a filing that moves from one export to another stays
one breach, ids do not depend on row order; and the bundle ships only what may be shipped."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
from pathlib import Path

import polars as pl
import pytest

from ingest.loader import load_source
from ingest.snapshots import BUNDLED_DIR, read_manifest
from tests import real_data as real
from tests.ingest_helpers import raw


def write_export(path: Path, rows: list[dict[str, str]]) -> Path:
    """An export in the portal's layout (every field quoted, the real header)."""
    columns = list(real.csv_rows(real.HHS_OPEN)[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


def current_of(data: Path) -> pl.DataFrame:
    """The current version of each record, as dbt's current_versions picks it."""
    return (
        raw(data, "hhs_ocr", "breaches")
        .sort("as_of", "loaded_at", "load_id")
        .group_by("source_record_id", maintain_order=True)
        .last()
    )


def test_an_older_export_loaded_later_never_rolls_values_back(tmp_path: Path) -> None:
    real.require_shared()
    newer = [dict(r) for r in real.csv_rows(real.HHS_ARCHIVE)]
    # The older export: the 300 latest filings not made yet, and one count later revised.
    older = [dict(r) for r in newer[300:]]
    revised = older[500]
    newer_count = int(revised["Individuals Affected"])
    revised["Individuals Affected"] = str(newer_count - 123)
    data = tmp_path / "data"
    first = load_source("hhs_ocr", data_dir=data, path=real.HHS_ARCHIVE)
    second = load_source(
        "hhs_ocr",
        data_dir=data,
        path=write_export(tmp_path / "breach_report_2023-06-30.csv", older),
    )
    assert second.as_of == "2023-06-30" and second.as_of_basis == "date in the file name"
    assert (second.versions_new, second.versions_updated) == (0, 0)
    assert second.versions_older == 1  # only the revised count is history
    assert second.versions_unchanged == second.rows_loaded - 1
    current = current_of(data)
    assert current.height == first.versions_new
    name = revised["Name of Covered Entity"].strip()
    kept = current.filter(pl.col("organization_name") == name)["records_exposed"].to_list()
    assert newer_count in kept and newer_count - 123 not in kept
    history = raw(data, "hhs_ocr", "breaches").filter(pl.col("organization_name") == name)
    assert newer_count - 123 in history["records_exposed"].to_list()


def test_a_filing_that_moves_to_the_archive_stays_one_breach(tmp_path: Path) -> None:
    real.require_shared()
    open_rows = [dict(r) for r in real.csv_rows(real.HHS_OPEN)[:50]]
    moved = dict(open_rows[7])
    moved["Web Description"] = "The covered entity reported a hacking incident."
    data = tmp_path / "data"
    load_source(
        "hhs_ocr",
        data_dir=data,
        path=write_export(tmp_path / "breach_report_under_investigation_2024-08-07.csv", open_rows),
    )
    later = load_source(
        "hhs_ocr",
        data_dir=data,
        path=write_export(tmp_path / "breach_report_archive_2024-12-01.csv", [moved]),
    )
    assert (later.versions_new, later.versions_updated) == (0, 1)
    current = current_of(data)
    assert current.height == 50
    row = current.filter(pl.col("organization_name") == moved["Name of Covered Entity"].strip())
    assert row.height == 1 and "hacking incident" in row["description"][0]


def test_filing_ids_do_not_depend_on_row_order(tmp_path: Path) -> None:
    real.require_shared()
    rows = [dict(r) for r in real.csv_rows(real.HHS_ARCHIVE)]
    forward = load_source("hhs_ocr", data_dir=tmp_path / "a", path=real.HHS_ARCHIVE)
    backward = load_source(
        "hhs_ocr",
        data_dir=tmp_path / "b",
        path=write_export(tmp_path / "reversed_2024-08-07.csv", list(reversed(rows))),
    )
    assert (forward.versions_new, forward.rows_duplicate) == (backward.versions_new, 1)

    def ids(data: Path) -> set[tuple[str, str]]:
        frame = raw(data, "hhs_ocr", "breaches")
        return set(frame.select("source_record_id", "record_hash").iter_rows())

    assert ids(tmp_path / "a") == ids(tmp_path / "b")


def test_reloading_a_bundled_snapshot_is_a_no_op(tmp_path: Path) -> None:
    from ingest.snapshots import load_bundled

    first = load_bundled(tmp_path / "data", sources=["hibp"])
    assert [s.status for s in first] == ["loaded"]
    assert first[0].input == "bundled:hibp/breaches_2025-03-15.json.gz"
    assert first[0].as_of == "2025-03-15"
    assert load_bundled(tmp_path / "data", sources=["hibp"]) == []


def _sources_md_bundle_no() -> list[str]:
    """The files SOURCES.md marks `bundle: no`."""
    marked = []
    for line in real.SOURCES_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > 3 and re.search(r"\bno\b", cells[-1]) and cells[0].startswith("`"):
            marked.append(cells[0].strip("`"))
    return marked


def test_no_file_marked_bundle_no_is_shipped() -> None:
    real.require_shared()
    excluded = _sources_md_bundle_no()
    assert excluded == ["gdpr_fines/enforcementtracker_data_etid_1-1100.json"]
    digests = {hashlib.sha256((real.SHARED / f).read_bytes()).hexdigest() for f in excluded}
    repo = Path(__file__).resolve().parents[1]
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=repo, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        path = repo / name.decode()
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in digests, path
    shipped = {s.source for s in read_manifest()}
    assert "gdpr_fines" not in shipped
    assert {p.parent.name for p in BUNDLED_DIR.rglob("*") if p.is_file()} == shipped | {"bundled"}


@pytest.mark.parametrize("snapshot", read_manifest(), ids=lambda s: s.file)
def test_every_bundled_snapshot_states_its_provenance(snapshot) -> None:
    assert snapshot.address.startswith("https://")
    assert snapshot.license and snapshot.attribution
    assert snapshot.path.exists()
    assert re.fullmatch(r"[0-9a-f]{64}", snapshot.sha256)


@pytest.mark.standalone
@pytest.mark.slow
def test_other_exports_of_the_same_sources_load_and_reconcile(tmp_path: Path) -> None:
    """Exports the bundle does not hold: an older VCDB repository (a subset of its files, one
    incident revised), a newer HIBP list (a breach added, a count revised), an older and a
    newer HHS archive, loaded after the default ones: every load balances and the refresh
    builds, with the newer values current and the older ones history."""
    import json
    import zipfile

    import duckdb

    from breach_warehouse.cli import main

    real.require_shared()
    data, db = tmp_path / "data", tmp_path / "bw.duckdb"
    assert main(["ingest", "bundled", "--data-dir", str(data)]) == 0

    older_vcdb = tmp_path / "VCDB-master_2021-06-30.zip"
    with zipfile.ZipFile(real.VCDB) as source, zipfile.ZipFile(older_vcdb, "w") as target:
        names = [n for n in source.namelist() if n.lower().endswith(".json")][:2000]
        for i, name in enumerate(names):
            doc = json.loads(source.read(name))
            if i == 7:
                doc["summary"] = "An earlier summary of this incident."
            target.writestr(name, json.dumps(doc))
    items = [dict(i) for i in real.hibp_items()]
    items[0]["PwnCount"] += 1000
    items[0]["ModifiedDate"] = "2025-09-01T00:00:00Z"
    items.append({**items[1], "Name": "NewBreach2025", "Title": "New Breach", "PwnCount": 12345})
    newer_hibp = tmp_path / "breaches.json"  # no date in the name: as of its latest change
    newer_hibp.write_text(json.dumps(items))
    archive = [dict(r) for r in real.csv_rows(real.HHS_ARCHIVE)]
    older_hhs = write_export(tmp_path / "breach_report_archive_2023-01-31.csv", archive[400:])
    newer_hhs = write_export(
        tmp_path / "breach_report_archive_2024-12-31.csv",
        [{**archive[0], "Individuals Affected": "99999"}, *archive[1:]],
    )
    for source, path in (
        ("vcdb", older_vcdb),
        ("hibp", newer_hibp),
        ("hhs_ocr", older_hhs),
        ("hhs_ocr", newer_hhs),
    ):
        assert main(["ingest", source, "--path", str(path), "--data-dir", str(data)]) == 0
    assert main(["refresh", "--db", str(db), "--data-dir", str(data)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        loads = con.sql(
            "select source_file, as_of, rows_read, rows_loaded, rows_quarantined, rows_duplicate, "
            "versions_new, versions_updated, versions_older from source_reconciliation"
        ).pl()
        hibp = con.sql(
            "select source_record_id, records_exposed from main_intermediate.int_raw_breaches_mapped "
            "where source_name = 'hibp' and source_record_id in (?, 'NewBreach2025')",
            params=[items[0]["Name"]],
        ).pl()
        first_hhs = con.sql(
            "select records_exposed from main_intermediate.int_raw_breaches_mapped "
            "where source_name = 'hhs_ocr' and organization_id = 'org_bayoralsurgeryandimplantcenter'"
        ).pl()
    assert loads.height == 9
    for row in loads.iter_rows(named=True):
        assert (
            row["rows_read"] == row["rows_loaded"] + row["rows_quarantined"] + row["rows_duplicate"]
        )
    by_file = {r["source_file"]: r for r in loads.iter_rows(named=True)}
    assert str(by_file[newer_hibp.name]["as_of"]) == "2025-09-01"
    assert (
        by_file[newer_hibp.name]["versions_new"],
        by_file[newer_hibp.name]["versions_updated"],
    ) == (1, 1)
    assert by_file[older_vcdb.name]["versions_older"] == 1  # the revised summary is history
    assert by_file[older_hhs.name]["versions_updated"] == 0
    assert dict(hibp.iter_rows()) == {
        items[0]["Name"]: items[0]["PwnCount"],
        "NewBreach2025": 12345,
    }
    assert first_hhs["records_exposed"].to_list() == [99999]  # the newer archive's figure
