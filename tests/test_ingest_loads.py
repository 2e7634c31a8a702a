"""Loads are idempotent and incremental; the CLI prints the summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from breach_warehouse.cli import main
from ingest.contract import TABLES, table_schema, write_empty_contract_files
from ingest.loader import read_registry, run_configured
from tests.ingest_helpers import FIXTURES, current, load, raw

HEADER = (
    "Name of Covered Entity,State,Covered Entity Type,Individuals Affected,Breach Submission Date,"
    "Type of Breach,Location of Breached Information,Business Associate Present,Web Description\n"
)


def test_reloading_the_same_file_adds_nothing(tmp_path: Path) -> None:
    path = FIXTURES / "hhs_ocr" / "breach_report.csv"
    first = load("hhs_ocr", path, tmp_path)
    files = sorted(p.relative_to(tmp_path) for p in (tmp_path / "raw").rglob("*.parquet"))
    second = load("hhs_ocr", path, tmp_path)
    assert second.status == "already_loaded"
    assert (second.read, second.loaded) == (first.read, first.loaded)
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "raw").rglob("*.parquet")) == files
    # A copy under another name has the same checksum: still nothing new.
    copy = tmp_path / "copy.csv"
    shutil.copy(path, copy)
    assert load("hhs_ocr", copy, tmp_path).status == "already_loaded"
    # Same rows in a different file (another order): a load that writes no rows.
    lines = path.read_text().splitlines(keepends=True)
    reordered = tmp_path / "reordered.csv"
    reordered.write_text(lines[0] + "".join(reversed(lines[1:2] + lines[4:])) + "".join(lines[2:4]))
    third = load("hhs_ocr", reordered, tmp_path)
    assert (third.status, third.versions_new, third.versions_updated) == ("loaded", 0, 0)
    assert third.versions_unchanged == third.loaded == first.loaded
    assert raw(tmp_path, "hhs_ocr", "breaches").height == first.versions_new
    assert [r["status"] for r in read_registry(tmp_path, "hhs_ocr")] == [
        "loaded",
        "already_loaded",
        "already_loaded",
        "loaded",
    ]


def test_newer_version_adds_new_rows_and_versions_changed_ones(tmp_path: Path) -> None:
    v1 = tmp_path / "v1.csv"
    v1.write_text(
        HEADER
        + "Alpha Clinic,CA,Healthcare Provider,1000,01/10/2024,Theft,Laptop,No,\n"
        + "Beta Health Plan,TX,Health Plan,2000,02/10/2024,Hacking/IT Incident,Email,No,\n"
    )
    v2 = tmp_path / "v2.csv"
    v2.write_text(
        HEADER
        + "Alpha Clinic,CA,Healthcare Provider,1000,01/10/2024,Theft,Laptop,No,\n"
        + "Beta Health Plan,TX,Health Plan,2500,02/10/2024,Hacking/IT Incident,Email,No,\n"
        + "Gamma Dental,NY,Healthcare Provider,700,03/10/2024,Loss,Paper/Films,No,\n"
    )
    data = tmp_path / "data"
    first = load("hhs_ocr", v1, data)
    second = load("hhs_ocr", v2, data)
    assert (first.versions_new, first.versions_updated) == (2, 0)
    assert (second.versions_new, second.versions_updated, second.versions_unchanged) == (1, 1, 1)
    assert second.loaded == 3

    history = raw(data, "hhs_ocr", "breaches")
    beta = history.filter(pl.col("organization_name") == "Beta Health Plan").sort("loaded_at")
    assert beta["records_exposed"].to_list() == [2000, 2500]  # history kept
    assert beta["source_record_id"].n_unique() == 1
    latest = current(data, "hhs_ocr", "breaches")
    assert dict(zip(latest["organization_name"], latest["records_exposed"], strict=True)) == {
        "Alpha Clinic": 1000,
        "Beta Health Plan": 2500,
        "Gamma Dental": 700,
    }
    # The changed breach's children come with its new version, in the same load.
    records = raw(data, "hhs_ocr", "breach_records").filter(pl.col("load_id") == second.load_id)
    assert sorted(records["records"].to_list()) == [700, 2500]


def test_contract_files_are_typed_and_idempotent(tmp_path: Path) -> None:
    written = write_empty_contract_files(tmp_path)
    assert len(written) == len(TABLES) + 2  # the raw tables, the quarantine, the accounting
    assert write_empty_contract_files(tmp_path) == []
    for table in TABLES:
        path = tmp_path / "raw" / "_contract" / table / "empty.parquet"
        assert pl.read_parquet_schema(path) == dict(table_schema(table))


def test_no_temp_files_left_behind(tmp_path: Path) -> None:
    load("vcdb", FIXTURES / "vcdb" / "validated", tmp_path)
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".")]
    assert leftovers == []


def test_sources_yml_paths_and_enabled(tmp_path: Path) -> None:
    config = tmp_path / "sources.yml"
    shutil.copy(FIXTURES / "hibp" / "breaches.json", tmp_path / "hibp.json")
    config.write_text(
        "sources:\n"
        "  hibp:\n    path: hibp.json\n"
        "  vcdb:\n    url: https://example.invalid/never-fetched.zip\n    enabled: false\n"
    )
    summaries = run_configured(config, tmp_path / "data")
    assert [(s.source_name, s.loaded) for s in summaries] == [("hibp", 4)]


def test_cli_ingest_prints_summary(tmp_path: Path, capsys) -> None:
    path = FIXTURES / "hhs_ocr" / "bad" / "unparseable_number.csv"
    status = main(["ingest", "hhs_ocr", "--path", str(path), "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0
    assert "hhs_ocr: read 4 rows: loaded 1, quarantined 3, duplicates 0" in out
    assert "breaches versions: new 1, updated 0, unchanged 0, older 0" in out
    status = main(
        [
            "ingest",
            "hhs_ocr",
            "--path",
            str(FIXTURES / "hhs_ocr" / "bad" / "wrong_columns.csv"),
            "--data-dir",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert status == 3  # an input refused
    assert "wrong_columns.csv" in err and "Name of Covered Entity" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
