"""One hand-written fixture per bad input: the row is quarantined with its reason, never
dropped and never fatal; a structurally broken file fails the load naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.core import IngestFormatError
from tests.ingest_helpers import FIXTURES, load, quarantine, raw


@pytest.mark.parametrize(
    ("case", "field", "values", "reason"),
    [
        (
            "unparseable_number",
            "Individuals Affected",
            ["Unknown", "n/a", "1,2 million"],
            "unparseable number",
        ),
        ("negative_value", "Individuals Affected", ["-500"], "negative value"),
        ("absurd_value", "Individuals Affected", ["9999999999999"], "absurd value"),
        (
            "impossible_date",
            "Breach Submission Date",
            ["02/30/2019"],
            "impossible or malformed date",
        ),
        ("future_date", "Breach Submission Date", ["12/31/2099"], "future date"),
        ("unknown_jurisdiction", "State", ["XX"], "unknown jurisdiction code"),
        ("missing_required", "Name of Covered Entity", [None], "missing required field"),
        ("broken_encoding", "Name of Covered Entity", ["Cl\ufffdnica Broken"], "broken encoding"),
    ],
)
def test_hhs_bad_rows_are_quarantined(
    tmp_path: Path, case: str, field: str, values: list[str | None], reason: str
) -> None:
    path = FIXTURES / "hhs_ocr" / "bad" / f"{case}.csv"
    summary = load("hhs_ocr", path, tmp_path, allow_empty=True)
    rows = quarantine(tmp_path, "hhs_ocr", summary.load_id)
    assert rows["field"].to_list() == [field] * len(values)
    assert rows["value"].to_list() == values
    assert all(r.startswith(reason) for r in rows["reason"])
    assert summary.quarantined == len(values)
    assert summary.read == summary.loaded + summary.quarantined  # nothing lost
    if case == "broken_encoding":  # the valid UTF-8 row of the file loads
        assert raw(tmp_path, "hhs_ocr", "breaches")["organization_name"].to_list() == [
            "Clínica São Paulo"
        ]
    # The whole source record travels with the reason.
    assert all('"State"' in r for r in rows["raw_record"])
    assert set(rows["source_file"]) == {path.name}
    loaded = raw(tmp_path, "hhs_ocr", "breaches")
    assert loaded.height == summary.loaded


@pytest.mark.parametrize(
    ("case", "field", "reason"),
    [
        ("impossible_date", "timeline.incident", "impossible date"),
        ("future_date", "timeline.incident", "future date"),
        ("missing_required", "incident_id", "missing required field"),
        ("negative_value", "attribute.confidentiality.data_total", "negative value"),
        ("unknown_jurisdiction", "victim.country", "unknown jurisdiction code"),
        ("broken_encoding", "(file)", "broken encoding"),
    ],
)
def test_vcdb_bad_incidents_are_quarantined(
    tmp_path: Path, case: str, field: str, reason: str
) -> None:
    summary = load("vcdb", FIXTURES / "vcdb" / "bad" / case, tmp_path, allow_empty=True)
    rows = quarantine(tmp_path, "vcdb", summary.load_id)
    assert rows.select("field", "reason").rows() == [
        (field, reason + rows["reason"][0][len(reason) :])
    ]
    assert rows["reason"][0].startswith(reason)
    assert rows["record_locator"][0].endswith(".json")
    assert (summary.read, summary.loaded, summary.quarantined) == (1, 0, 1)


def test_hibp_unparseable_count_and_missing_name(tmp_path: Path) -> None:
    summary = load("hibp", FIXTURES / "hibp" / "bad" / "unparseable_number.json", tmp_path)
    rows = quarantine(tmp_path, "hibp", summary.load_id)
    assert rows.select("record_locator", "field", "value", "reason").rows() == [
        ("[0] CountlessSite", "PwnCount", "n/a", "unparseable number")
    ]
    assert (summary.loaded, summary.quarantined) == (1, 1)
    summary = load(
        "hibp", FIXTURES / "hibp" / "bad" / "missing_required.json", tmp_path, allow_empty=True
    )
    rows = quarantine(tmp_path, "hibp", summary.load_id)
    assert rows.select("field", "reason").rows() == [("Name", "missing required field")]


@pytest.mark.parametrize(
    ("encoding", "note"),
    [("cp1252", "read as Windows-1252"), ("utf-16", "read as UTF-16")],  # utf-16: with a BOM
)
def test_hhs_exports_in_other_encodings_load(tmp_path: Path, encoding: str, note: str) -> None:
    """A legacy 8-bit export (no byte above ASCII is UTF-8) and a UTF-16 one with its
    byte-order mark are read as what they are, and the load says so."""
    text = (
        (FIXTURES / "hhs_ocr" / "bad" / "broken_encoding.csv").read_text(errors="replace")
    ).splitlines()[0] + "\nClínica Toledo,PR,Healthcare Provider,700,01/15/2020,Theft,Laptop,No,\n"
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    summary = load("hhs_ocr", path, tmp_path / "data")
    assert (summary.loaded, summary.quarantined) == (1, 0)
    assert note in summary.line()
    names = raw(tmp_path / "data", "hhs_ocr", "breaches")["organization_name"].to_list()
    assert names == ["Clínica Toledo"]


def test_a_state_code_that_is_a_country_alias_is_no_state(tmp_path: Path) -> None:
    """ "UK" and "EL" are aliases of countries for every source, never US states."""
    header = (FIXTURES / "hhs_ocr" / "bad" / "absurd_value.csv").read_text().splitlines()[0]
    path = tmp_path / "export.csv"
    path.write_text(
        header + "\n"
        "Clinic A,UK,Healthcare Provider,700,01/15/2020,Theft,Laptop,No,\n"
        "Clinic B,EL,Healthcare Provider,700,01/15/2020,Theft,Laptop,No,\n"
    )
    summary = load("hhs_ocr", path, tmp_path / "data", allow_empty=True)
    rows = quarantine(tmp_path / "data", "hhs_ocr", summary.load_id)
    assert summary.quarantined == 2
    assert set(rows["reason"]) == {"unknown jurisdiction code (not a US state or territory)"}


def test_gdpr_unknown_country(tmp_path: Path) -> None:
    summary = load("gdpr_fines", FIXTURES / "gdpr_fines" / "enforcement_tracker.csv", tmp_path)
    rows = quarantine(tmp_path, "gdpr_fines", summary.load_id).sort("record_locator")
    # An "Unknown" fine is a fact the tracker states (kept without an amount); an unknown
    # country is not a jurisdiction.
    assert rows.select("record_locator", "field", "value", "reason").rows() == [
        ("row 8 (ETid-700)", "Country", "NARNIA", "unknown jurisdiction code"),
    ]


def test_gdpr_fine_text_that_is_no_statement_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "tracker.csv"
    header = (FIXTURES / "gdpr_fines" / "enforcement_tracker.csv").read_text().splitlines()[0]
    path.write_text(
        header + "\n"
        "ETid-9,SPAIN,AEPD,2021-01-01,about a million,X,Y,Art. 5 GDPR,T,S,https://x.invalid\n"
        "ETid-10,SPAIN,AEPD,2021-01-01,Fine in four-digit amount,X,Y,Art. 5 GDPR,T,S,u\n"
    )
    summary = load("gdpr_fines", path, tmp_path / "data")
    rows = quarantine(tmp_path / "data", "gdpr_fines", summary.load_id)
    assert rows.select("record_locator", "field", "reason").rows() == [
        ("row 1 (ETid-9)", "Fine", "unparseable number")
    ]
    kept = raw(tmp_path / "data", "gdpr_fines", "penalties")
    assert kept.select("source_record_id", "amount", "quality_flags").rows() == [
        ("ETid-10", None, "amount_range")
    ]


def test_ecb_bad_cells(tmp_path: Path) -> None:
    summary = load("ecb_fx", FIXTURES / "ecb_fx" / "bad_values.csv", tmp_path)
    rows = quarantine(tmp_path, "ecb_fx", summary.load_id)
    got = {(r["record_locator"], r["field"], r["reason"]) for r in rows.iter_rows(named=True)}
    # Named by row (a day) and column (a currency); a bad date takes the whole day.
    assert got == {
        ("row 2 (2023-05-12)", "USD", "unparseable number"),
        ("row 4 (2023-05-11)", "USD", "negative or zero rate"),
        ("row 3 (2023-02-30)", "Date", "impossible or malformed date (expected YYYY-MM-DD)"),
    }
    assert (summary.read, summary.quarantined, summary.loaded) == (3, 3, 0)
    # The days' good rates still load: GBP of 2023-05-12 and 2023-05-11.
    assert (summary.records_read, summary.records_quarantined, summary.records_loaded) == (6, 4, 2)
    summary = load("ecb_fx", FIXTURES / "ecb_fx" / "eurofxref-hist.csv", tmp_path)
    rows = quarantine(tmp_path, "ecb_fx", summary.load_id)
    assert set(rows["reason"]) == {"unknown currency code (not ISO 4217)"}
    assert set(rows["field"]) == {"XYZ"}


@pytest.mark.parametrize(
    ("source", "path", "message"),
    [
        (
            "hhs_ocr",
            FIXTURES / "hhs_ocr" / "bad" / "wrong_columns.csv",
            "missing ['Name of Covered Entity'",
        ),
        ("vcdb", FIXTURES / "vcdb" / "bad" / "not_json", "broken.json: not JSON"),
        ("hibp", FIXTURES / "hibp" / "bad" / "not_json.json", "not_json.json: not JSON"),
        (
            "ecb_fx",
            FIXTURES / "hhs_ocr" / "bad" / "wrong_columns.csv",
            "expected the ECB eurofxref-hist CSV",
        ),
        ("gdpr_fines", FIXTURES / "hibp" / "bad" / "not_json.json", "not_json.json: not JSON"),
    ],
)
def test_structurally_broken_file_fails_the_load(
    tmp_path: Path, source: str, path: Path, message: str
) -> None:
    with pytest.raises(IngestFormatError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load(source, path, tmp_path)
    assert not (tmp_path / "raw").exists()  # nothing half-written
