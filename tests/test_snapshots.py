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
