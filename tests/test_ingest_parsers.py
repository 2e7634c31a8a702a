"""Each parser against its fixture: counts and totals equal a plain independent reading."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl
import pytest

from ingest.contract import business_schema, table_schema
from tests.ingest_helpers import FIXTURES, current, load, quarantine, raw

HHS = FIXTURES / "hhs_ocr" / "breach_report.csv"
VCDB = FIXTURES / "vcdb" / "validated"
HIBP = FIXTURES / "hibp" / "breaches.json"
GDPR = FIXTURES / "gdpr_fines" / "enforcement_tracker.csv"
ECB = FIXTURES / "ecb_fx" / "eurofxref-hist.csv"


def test_hhs_counts_and_individuals_per_year(tmp_path: Path) -> None:
    with HHS.open(newline="", encoding="utf-8") as handle:
        rows = [tuple(r.items()) for r in csv.DictReader(handle)]
    distinct = [dict(r) for r in dict.fromkeys(rows)]  # the export repeats one line verbatim
    expected: Counter[int] = Counter()
    for r in distinct:
        year = dt.datetime.strptime(r["Breach Submission Date"], "%m/%d/%Y").year
        expected[year] += int(r["Individuals Affected"])

    summary = load("hhs_ocr", HHS, tmp_path)

    assert (summary.read, summary.loaded, summary.duplicates, summary.quarantined) == (
        len(rows),
        len(distinct),
        len(rows) - len(distinct),
        0,
    )
    breaches = raw(tmp_path, "hhs_ocr", "breaches")
    got = breaches.group_by(pl.col("reported_on").dt.year()).agg(pl.col("records_exposed").sum())
    assert dict(got.iter_rows()) == dict(expected)
    assert breaches.schema == table_schema("breaches")
    premera = breaches.filter(pl.col("organization_name") == "Premera Blue Cross").row(
        0, named=True
    )
    assert premera["jurisdiction_code"] == "US-WA"
    assert premera["records_unit"] == "individuals"
    assert premera["reported_on"] == dt.date(2015, 3, 17)
    assert "discovered on January 29, 2015" in premera["description"]  # embedded newline kept
    chs = breaches.filter(pl.col("organization_name").str.starts_with("Community Health"))
    assert chs["breach_type_raw"].to_list() == ["Hacking/IT Incident|Theft"]
    # Territories with their own ISO 3166-1 code map through seeds/map_jurisdictions.csv.
    assert "GU" in breaches["jurisdiction_code"].to_list()
    records = raw(tmp_path, "hhs_ocr", "breach_records")
    assert records["records"].sum() == sum(expected.values())
    assert set(records["data_type_raw"]) == {"Protected health information"}
    # Every row carries its lineage.
    for column in ("source_name", "source_record_id", "load_id", "file_sha256", "record_hash"):
        assert breaches[column].null_count() == 0
    assert set(breaches["load_id"]) == {summary.load_id}
    assert set(breaches["file_sha256"]) == {summary.file_sha256}


def test_vcdb_incidents_records_and_partial_dates(tmp_path: Path) -> None:
    docs = [json.loads(p.read_text()) for p in sorted(VCDB.glob("*.json"))]
    summary = load("vcdb", VCDB, tmp_path)
    assert (summary.read, summary.loaded, summary.quarantined) == (len(docs), len(docs), 0)

    breaches = raw(tmp_path, "vcdb", "breaches")
    assert set(breaches["source_record_id"]) == {d["incident_id"] for d in docs}
    expected_total = sum(d["attribute"]["confidentiality"].get("data_total") or 0 for d in docs)
    assert breaches["records_exposed"].fill_null(0).sum() == expected_total
    by_id = {r["source_record_id"]: r for r in breaches.iter_rows(named=True)}
    for d in docs:
        row = by_id[d["incident_id"]]
        incident = d["timeline"]["incident"]
        precision = "day" if "day" in incident else "month" if "month" in incident else "year"
        assert row["reported_precision"] == precision
        assert row["reported_on"] == dt.date(
            incident["year"], incident.get("month", 1), incident.get("day", 1)
        )
        assert row["organization_name"] == d["victim"]["victim_id"]
    premera = by_id["3F5A9C1E-2B7D-4E8A-9C0F-1A2B3C4D5E6F"]
    assert premera["jurisdiction_code"] == "US-WA"
    assert premera["sector_raw"] == "52"
    assert "motive.Espionage" in premera["breach_type_raw"].split("|")
    assert by_id["A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4D"]["jurisdiction_code"] == "WORLD"

    expected_records = {
        (d["incident_id"], item["variety"]): item["amount"]
        for d in docs
        for item in d["attribute"]["confidentiality"].get("data", [])
        if "amount" in item
    }
    records = raw(tmp_path, "vcdb", "breach_records")
    got = {
        (r["breach_source_record_id"], r["data_type_raw"]): r["records"]
        for r in records.iter_rows(named=True)
    }
    assert got == expected_records


def test_vcdb_reads_the_repository_zip(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "VCDB-master.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted(VCDB.glob("*.json")):
            zf.write(p, f"VCDB-master/data/json/validated/{p.name}")
        zf.writestr("VCDB-master/data/joined/other.json", "not an incident")
    summary = load("vcdb", archive, tmp_path / "data")
    assert (summary.read, summary.loaded) == (3, 3)


def test_hibp_accounts_data_classes_and_flags(tmp_path: Path) -> None:
    items = json.loads(HIBP.read_text())
    summary = load("hibp", HIBP, tmp_path)
    assert (summary.read, summary.loaded, summary.quarantined) == (len(items), len(items), 0)
    breaches = raw(tmp_path, "hibp", "breaches")
    assert breaches["records_exposed"].sum() == sum(i["PwnCount"] for i in items)
    assert set(breaches["records_unit"]) == {"accounts"}
    flags = dict(zip(breaches["source_record_id"], breaches["exclusion_reason"], strict=True))
    for item in items:
        expected = (
            "fabricated" if item["IsFabricated"] else "spam_list" if item["IsSpamList"] else None
        )
        assert flags[item["Name"]] == expected
    records = raw(tmp_path, "hibp", "breach_records")
    assert records.height == sum(len(i["DataClasses"]) for i in items)


def test_gdpr_fines_total_in_eur(tmp_path: Path) -> None:
    with GDPR.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    numeric = {
        r["id"]: float(r["Fine"].replace(",", ""))
        for r in rows
        if r["Fine"].replace(",", "").isdigit() and r["Country"] != "NARNIA"
    }
    intention = [r["id"] for r in rows if r["Fine"] == "Only intention to issue fine"]
    unknown = [r["id"] for r in rows if r["Fine"] == "Unknown"]

    summary = load("gdpr_fines", GDPR, tmp_path)

    assert summary.read == len(rows)
    # Every fine with a known country is a fact: an amount, a proposal, or "Unknown".
    assert summary.loaded == len(numeric) + len(intention) + len(unknown)
    assert summary.quarantined == 1  # NARNIA
    assert summary.amount_read == sum(
        int(r["Fine"].replace(",", "")) for r in rows if r["Fine"].replace(",", "").isdigit()
    )
    assert summary.amount_loaded == sum(numeric.values())
    penalties = raw(tmp_path, "gdpr_fines", "penalties")
    assert float(penalties["amount"].cast(pl.Float64).sum()) == pytest.approx(sum(numeric.values()))
    assert set(penalties["currency"]) == {"EUR"}
    by_id = {r["source_record_id"]: r for r in penalties.iter_rows(named=True)}
    assert by_id["ETid-300"]["penalty_status"] == "proposed"
    assert by_id["ETid-300"]["amount"] is None
    assert (by_id["ETid-600"]["amount"], by_id["ETid-600"]["quality_flags"]) == (
        None,
        "amount_not_stated",
    )
    assert by_id["ETid-600"]["figure_as_stated"] == "Unknown"
    assert by_id["ETid-200"]["jurisdiction_code"] == "NL"  # "THE NETHERLANDS" via the seed
    assert by_id["ETid-200"]["announced_precision"] == "month"
    assert by_id["ETid-1"]["legal_basis"].startswith("GDPR: Art. 13 GDPR")
    assert by_id["ETid-1"]["authority"] == "French Data Protection Authority (CNIL)"


def test_gdpr_fines_json_export(tmp_path: Path) -> None:
    with GDPR.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    path = tmp_path / "tracker.json"
    path.write_text(json.dumps({"data": rows}))
    summary = load("gdpr_fines", path, tmp_path / "data")
    assert (summary.read, summary.loaded, summary.quarantined) == (8, 7, 1)


def test_ecb_daily_rates(tmp_path: Path) -> None:
    with ECB.open(newline="") as handle:
        reader = csv.reader(handle)
        header = [h for h in next(reader) if h]
        days = 0
        cells = defaultdict(dict)
        for line in reader:
            days += 1
            for currency, value in zip(header[1:], line[1:], strict=False):
                if value and value != "N/A":
                    cells[currency][line[0]] = float(value)
    summary = load("ecb_fx", ECB, tmp_path)
    rates = raw(tmp_path, "ecb_fx", "fx_rates")
    valid = {c: v for c, v in cells.items() if c != "XYZ"}
    # An input row is a day; its records are its quoted rates.
    assert summary.read == days
    assert summary.records_read == sum(len(v) for v in cells.values())
    assert rates.height == summary.records_loaded == sum(len(v) for v in valid.values())
    assert summary.records_quarantined == len(cells["XYZ"])
    assert summary.quarantined == len({d for d in cells["XYZ"]})  # the days with an XYZ rate
    got = rates.filter(pl.col("currency") == "GBP")
    assert (
        dict(zip(got["rate_date"].cast(pl.String), got["units_per_eur"], strict=True))
        == valid["GBP"]
    )
    assert "CYP" in set(rates["currency"])  # a withdrawn ISO 4217 code the ECB still quotes


def test_business_schema_is_what_parsers_write(tmp_path: Path) -> None:
    load("hhs_ocr", HHS, tmp_path)
    organizations = current(tmp_path, "hhs_ocr", "organizations")
    assert set(business_schema("organizations").names()) <= set(organizations.columns)
    # "Walgreen Co." and its repeated line are one organization keyed "walgreen".
    assert organizations.filter(pl.col("organization_key") == "walgreen").height == 1
    assert quarantine(tmp_path, "hhs_ocr", "none").is_empty()


@pytest.mark.parametrize(
    ("notification", "notified", "flagged"),
    [
        ({"year": 2021, "month": 4, "day": 2}, (dt.date(2021, 4, 2), "day"), False),
        ({"year": 2021, "month": 5}, (dt.date(2021, 5, 1), "month"), False),
        ({"year": 2022}, (dt.date(2022, 1, 1), "year"), False),
        ({}, (None, None), False),  # the repository's empty object: no date stated
        ({"year": 2021, "month": 13}, (None, None), True),  # impossible
        ({"year": 2103, "month": 1}, (None, None), True),  # in the future
        ({"year": 2019, "month": 6}, (None, None), True),  # before the incident's year
        ({"year": 2021, "month": 2, "day": 30}, (None, None), True),  # a day February lacks
        ({"month": 4, "day": 2}, (None, None), True),  # no year
    ],
)
def test_vcdb_notification_dates_load_or_are_flagged(
    tmp_path: Path, notification: dict, notified: tuple, flagged: bool
) -> None:
    """plus.timeline.notification (when the breach was made known) lands as notified_on,
    to its precision; a value that cannot be this incident's notice is left out and the
    row flagged, the incident loaded."""
    doc = json.loads((VCDB / "7C1D2E3F-4A5B-4C6D-8E9F-0A1B2C3D4E5F.json").read_text())
    doc.setdefault("plus", {})["timeline"] = {"notification": notification}
    folder = tmp_path / "validated"
    folder.mkdir()
    (folder / "7C1D2E3F-4A5B-4C6D-8E9F-0A1B2C3D4E5F.json").write_text(json.dumps(doc))
    summary = load("vcdb", folder, tmp_path / "data")
    assert (summary.loaded, summary.quarantined) == (1, 0)
    row = raw(tmp_path / "data", "vcdb", "breaches").row(0, named=True)
    assert (row["notified_on"], row["notified_precision"]) == notified
    assert row["reported_on"] == dt.date(2021, 3, 14)  # the incident's date, as before
    assert ("notification_date_unusable" in (row["quality_flags"] or "")) == flagged


def test_vcdb_notification_date_of_another_type_is_quarantined(tmp_path: Path) -> None:
    doc = json.loads((VCDB / "7C1D2E3F-4A5B-4C6D-8E9F-0A1B2C3D4E5F.json").read_text())
    doc["plus"] = {"timeline": {"notification": {"year": "2021", "month": 4}}}
    folder = tmp_path / "validated"
    folder.mkdir()
    (folder / "incident.json").write_text(json.dumps(doc))
    summary = load("vcdb", folder, tmp_path / "data", allow_empty=True)
    rows = quarantine(tmp_path / "data", "vcdb", summary.load_id)
    assert rows.select("field", "reason").rows()[0][0] == "plus.timeline.notification.year"
    assert (summary.loaded, summary.quarantined) == (0, 1)
