"""The real public files (../shared/data) through the whole warehouse: the bundled snapshots
as the default build loads them, plus the GDPR Enforcement Tracker's own data.json (tests
only: it may not be shipped). Every figure is compared with an independent reading of the
files (stdlib csv/json) and with the totals SOURCES.md states."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from ingest.snapshots import read_manifest
from tests import real_data as real

pytestmark = pytest.mark.slow


@pytest.fixture()
def q(real_q):
    return real_q


def reconciled(q, source_file: str) -> dict:
    frame = q("select * from source_reconciliation where source_file = ?", [source_file])
    assert frame.height == 1, source_file
    return frame.row(0, named=True)


def documented(figure: str) -> None:
    """The figure is the one SOURCES.md states (computed there from the raw files)."""
    assert figure in real.SOURCES_MD.read_text(encoding="utf-8"), figure


# ---------------------------------------------------------------- SOURCES.md totals


@pytest.mark.parametrize(
    ("path", "rows", "total"),
    [
        (real.HHS_ARCHIVE, "5,371", "412,819,504"),
        (real.HHS_OPEN, "908", "167,307,481"),
    ],
)
def test_hhs_exports_reconcile_to_sources_md(q, path: Path, rows: str, total: str) -> None:
    read = real.csv_rows(path)
    row = reconciled(q, path.name)
    assert row["rows_read"] == len(read) == int(rows.replace(",", ""))
    assert row["records_read"] == real.stated_sum(read, "Individuals Affected")
    assert row["records_read"] == int(total.replace(",", ""))
    documented(rows)
    documented(total)
    assert row["rows_read"] == row["rows_loaded"] + row["rows_quarantined"] + row["rows_duplicate"]
    assert row["rows_quarantined"] == 0  # every real row is a fact


def test_hibp_reconciles_to_sources_md(q) -> None:
    items = real.hibp_items()
    row = reconciled(q, real.HIBP.name)
    assert row["rows_read"] == len(items) == 875
    assert row["records_read"] == sum(i["PwnCount"] for i in items) == 14_946_651_318
    counted = sum(i["PwnCount"] for i in items if not i["IsSpamList"] and not i["IsFabricated"])
    assert row["records_read"] - row["records_excluded"] == counted == 13_394_319_197
    documented("14,946,651,318")
    documented("13,394,319,197")


def test_vcdb_reconciles_every_incident_file(q) -> None:
    documents = real.vcdb_documents()
    row = reconciled(q, real.VCDB.name)
    assert row["rows_read"] == len(documents) == 9_427
    documented("9,427 incident files")
    stated = sum(
        d["attribute"]["confidentiality"].get("data_total") or 0
        for d in documents.values()
        if isinstance(d.get("attribute", {}).get("confidentiality"), dict)
    )
    assert row["records_read"] == stated
    assert (row["rows_quarantined"], row["rows_duplicate"]) == (0, 2)  # two exact copies


def test_ecb_days_reconcile(q) -> None:
    row = reconciled(q, real.ECB.name)
    assert row["rows_read"] == row["rows_loaded"] == 7_126
    documented("7,126 days")


def test_tracker_reconciles_to_sources_md(q) -> None:
    rows = real.tracker_rows()
    numeric = [int(r[5].replace(",", "")) for r in rows if re.fullmatch(r"[\d,]+", r[5])]
    row = reconciled(q, real.TRACKER.name)
    assert row["rows_read"] == row["rows_loaded"] == len(rows) == 1_100
    assert row["amount_read"] == row["amount_loaded"] == sum(numeric) == 1_592_667_559
    documented("1,060 numeric fines, sum EUR 1,592,667,559")
    with_amount = q(
        "select count(*) as n from fct_penalties where load_id = ? and amount is not null",
        [row["load_id"]],
    )["n"][0]
    assert with_amount == len(numeric) == 1_060


def test_every_load_balances_and_the_files_hold_it(q) -> None:
    loads = q("select * from source_reconciliation")
    assert loads.height == 6
    bundled = loads.filter(pl.col("load_input").str.starts_with("bundled:"))
    assert sorted(bundled["load_input"]) == sorted(f"bundled:{s.file}" for s in read_manifest())
    assert set(bundled["as_of_basis"]) == {"bundled snapshot manifest"}
    for row in loads.iter_rows(named=True):
        for measure in ("rows", "records", "amount"):
            parts = [row[f"{measure}_{p}"] for p in ("loaded", "quarantined", "duplicate")]
            assert row[f"{measure}_read"] == sum(parts), (row["source_file"], measure)
        assert row["rows_written"] == row["versions_new"] + row["versions_updated"]
        assert row["rows_in_quarantine"] == row["rows_quarantined"]


# ---------------------------------------------------------------- the defects real files show


def test_hibp_titles_in_other_scripts_name_an_organization(q) -> None:
    titles = {i["Name"]: i["Title"] for i in real.hibp_items()}
    rows = q(
        "select b.source_record_id, o.organization_name from fct_breaches b "
        "join dim_organizations o using (organization_id) "
        "where b.source_name = 'hibp' and b.source_record_id in "
        "('Parapa', 'SprashivaiRu', 'DecoratingTheHouse')"
    )
    assert dict(rows.iter_rows()) == {
        k: titles[k] for k in ("Parapa", "SprashivaiRu", "DecoratingTheHouse")
    }


def test_tracker_data_json_is_read_as_published(q, real_warehouse: tuple[Path, Path]) -> None:
    penalties = q("select * from fct_penalties where source_name = 'gdpr_fines'")
    assert penalties.height == 1_100
    raw_rows = pl.read_parquet(real_warehouse[1] / "raw" / "gdpr_fines" / "penalties" / "*.parquet")
    for frame, columns in (
        (penalties, ("authority", "legal_basis", "penalty_description")),
        (raw_rows, ("location_raw", "organization_name", "source_url")),
    ):
        for column in columns:
            assert not frame[column].drop_nulls().str.contains("<a |<img |<br").any(), column
    assert penalties["jurisdiction_code"].null_count() == 0
    austria = penalties.filter(pl.col("penalty_id") == "gdpr_fines:ETid-1").row(0, named=True)
    assert (austria["jurisdiction_code"], float(austria["amount"])) == ("AT", 4800.0)
    link = raw_rows.filter(pl.col("source_record_id") == "ETid-1")["source_url"][0]
    assert link.startswith("https://www.dsb.gv.at/")
    undated = penalties.filter(pl.col("announced_on").is_null())
    assert undated.height == 20
    assert set(undated["announced_label"]) == {"unknown"}


def test_vcdb_upper_case_json_files_are_loaded(q) -> None:
    upper = {
        Path(name).stem: d for name, d in real.vcdb_documents().items() if name.endswith(".JSON")
    }
    assert len(upper) == 266
    documented("266 files end in upper-case `.JSON`")
    loaded = q(
        "select source_record_id, records_exposed from main_intermediate.int_raw_breaches_mapped "
        "where source_name = 'vcdb'"
    )
    found = loaded.filter(pl.col("source_record_id").is_in(list(upper)))
    assert found.height == 266
    stated = sum(
        (d.get("attribute", {}).get("confidentiality") or {}).get("data_total") or 0
        for d in upper.values()
    )
    assert int(found["records_exposed"].fill_null(0).sum()) == stated == 2_850_237_917


def _stated_notification(doc: dict, today: dt.date) -> tuple[dt.date | None, str | None, bool]:
    """A plain reading of plus.timeline.notification: (date, precision, unusable)."""
    value = ((doc.get("plus") or {}).get("timeline") or {}).get("notification")
    if not value:
        return None, None, False
    year, month, day = value.get("year"), value.get("month"), value.get("day")
    try:
        if year is None or (day is not None and month is None):
            raise ValueError
        date = dt.date(year, month or 1, day or 1)
    except ValueError:
        return None, None, True
    incident_year = doc["timeline"]["incident"]["year"]
    if not dt.date(1970, 1, 1) <= date <= today or year < incident_year:
        return None, None, True
    return date, "day" if day else "month" if month else "year", False


def test_vcdb_notification_dates_are_loaded_or_flagged(q) -> None:
    """Every incident's notification date, read plainly from the files: loaded to its
    precision, or left out and flagged when it cannot be the incident's (none quarantined:
    the reconciliation above counts every file loaded)."""
    documents = {Path(name).stem: doc for name, doc in real.vcdb_documents().items()}
    loaded = q(
        "select source_record_id, notified_on, notified_precision, quality_flags "
        "from main_intermediate.int_raw_breaches_mapped where source_name = 'vcdb'"
    )
    assert loaded.height == 9_425
    stated = usable = flagged = 0
    for row in loaded.iter_rows(named=True):
        date, precision, unusable = _stated_notification(
            documents[row["source_record_id"]], dt.date.today()
        )
        assert (row["notified_on"], row["notified_precision"]) == (date, precision), row
        has_flag = "notification_date_unusable" in (row["quality_flags"] or "")
        assert has_flag == unusable, row
        stated += date is not None or unusable
        usable += date is not None
        flagged += unusable
    assert (stated, usable, flagged) == (6_625, 6_560, 65)


def test_vcdb_files_that_reuse_an_incident_id_stay_distinct(q) -> None:
    by_id: dict[str, list[str]] = {}
    for name, doc in real.vcdb_documents().items():
        by_id.setdefault(doc["incident_id"], []).append(Path(name).stem)
    recurring = [stem for stems in by_id.values() if len(stems) > 1 for stem in stems]
    assert len(recurring) == 144
    loaded = q(
        "select count(*) as n from main_intermediate.int_raw_breaches_mapped "
        "where source_name = 'vcdb' and list_contains(?, source_record_id)",
        [recurring],
    )["n"][0]
    assert loaded == 144 - 2  # only the two exact copies collapse


def test_hhs_filings_of_one_entity_on_one_day_stay_distinct(q) -> None:
    alvaria = [
        r
        for r in real.csv_rows(real.HHS_ARCHIVE)
        if r["Name of Covered Entity"] == "Alvaria, Inc."
        and r["Breach Submission Date"] == "05/26/2023"
    ]
    assert len(alvaria) == 13
    rows = q(
        "select records_exposed from main_intermediate.int_raw_breaches_mapped "
        "where source_name = 'hhs_ocr' and organization_id = 'org_alvaria' "
        "and reported_on = date '2023-05-26'"
    )
    assert sorted(rows["records_exposed"]) == sorted(
        int(r["Individuals Affected"]) for r in alvaria
    )


def test_literal_replacement_characters_in_valid_utf8_are_kept(q) -> None:
    rows = q(
        "select o.organization_name from fct_breaches b join dim_organizations o "
        "using (organization_id) where o.organization_name like 'SSM Health Care of Wisconsin%'"
    )
    assert rows.height == 1
    assert "\ufffd" in rows["organization_name"][0]
    assert q("select count(*) as n from quarantine")["n"][0] == 0


def test_facts_that_need_care_are_kept_and_flagged(q) -> None:
    blank_state = [
        r
        for path in (real.HHS_ARCHIVE, real.HHS_OPEN)
        for r in real.csv_rows(path)
        if not r["State"].strip()
    ]
    assert len(blank_state) == 16
    flagged = q(
        "select count(*) as n from main_intermediate.int_raw_breaches_mapped "
        "where source_name = 'hhs_ocr' and quality_flags like '%state_not_stated%' "
        "and jurisdiction_code = 'US'"
    )["n"][0]
    assert flagged == len(blank_state)
    unnamed = q(
        "select count(*) as n from main_intermediate.int_raw_breaches_mapped "
        "where source_name = 'vcdb' and organization_id is null "
        "and quality_flags like '%unnamed_organization%'"
    )["n"][0]
    assert unnamed > 300
    granity = q(
        "select records_exposed, quality_flags from main_intermediate.int_raw_breaches_mapped "
        "where source_name = 'vcdb' and records_exposed = 10880000000"
    )
    assert granity.rows() == [(10_880_000_000, "very_large_count")]


def test_bgn_rates_load_until_the_euro(real_warehouse) -> None:
    # The raw table the ECB load wrote (staging views over raw Parquet are not readable on
    # the warehouse's read-only connections, which have file access off).
    bgn = (
        pl.scan_parquet(real_warehouse[1] / "raw" / "*" / "fx_rates" / "*.parquet")
        .filter(pl.col("currency") == "BGN")
        .select(n=pl.len(), last=pl.col("rate_date").max())
        .collect()
    )
    assert bgn["n"][0] > 6_000
    assert str(bgn["last"][0]) == "2025-12-31"


def test_coverage_says_which_sources_each_comparison_stands_on(q) -> None:
    us = q(
        "select source_name, sum(facts) as facts from source_coverage "
        "where jurisdiction_code = 'US' and metric = 'breaches' group by 1"
    )
    assert {"hhs_ocr", "vcdb"} <= set(us["source_name"])
    # HIBP states no country: its own breaches are at world level; it covers a country
    # only where it reports a breach another source places there.
    own = q("select distinct jurisdiction_code from fct_breaches where source_name = 'hibp'")
    assert own["jurisdiction_code"].to_list() == ["WORLD"]
    by_country = q(
        "select sum(facts) as n from source_coverage where source_name = 'hibp' "
        "and jurisdiction_level = 'country' and metric = 'breaches'"
    )["n"][0]
    matched = q(
        "select count(*) as n from breach_source_matches m join fct_breaches b using (breach_id) "
        "where m.source_name = 'hibp' and b.is_counted and b.jurisdiction_code != 'WORLD'"
    )["n"][0]
    assert 0 < by_country <= matched
    fines = q(
        "select distinct source_name from source_coverage where jurisdiction_code = 'ES' "
        "and metric = 'penalties'"
    )
    assert "gdpr_fines" in fines["source_name"].to_list()


def test_bundled_snapshots_are_the_shared_files() -> None:
    real.require_shared()
    from ingest.snapshots import sha256_of

    shared = {p.name: p for p in real.SHARED.rglob("*") if p.is_file()}
    for snapshot in read_manifest():
        assert snapshot.published_name in shared, snapshot.file
        assert sha256_of(shared[snapshot.published_name]) == snapshot.sha256
        assert sha256_of(snapshot.path) == snapshot.stored_sha256


# ---------------------------------------------------------------- the dashboard on real data


@pytest.fixture(scope="module")
def real_pages(real_warehouse: tuple[Path, Path]):
    from dashboards.app import create_app

    create_app(real_warehouse[0])  # pages register with an app
    from dashboards.pages import breaches, compare, fines
    from dashboards.pages import data as data_page

    return {"compare": compare, "breaches": breaches, "fines": fines, "data": data_page}


def test_data_page_shows_every_load_reconciled(real_pages, q) -> None:
    *_, loads, columns = real_pages["data"].fill_summary(0)
    assert len(loads) == q("select count(*) as n from source_reconciliation")["n"][0] == 6
    archive = next(r for r in loads if r["source_file"] == real.HHS_ARCHIVE.name)
    assert (archive["rows_read"], archive["rows_loaded"], archive["rows_duplicate"]) == (
        5_371,
        5_370,
        1,
    )
    assert {"Rows read", "Quarantined", "Records merged"} <= {c["name"] for c in columns}


def _text(component) -> str:
    """Every string inside a Dash component tree."""
    if isinstance(component, str):
        return component
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else _text(children)


def test_every_comparison_names_the_sources_it_stands_on(real_pages) -> None:
    selection, ranking = real_pages["compare"].update_coverage(
        ["US", "CN", "AQ"], "breaches", [2015, 2020], "country"
    )
    text = _text(selection)
    assert "United States: HHS OCR" in text and "VCDB" in text
    assert "Antarctica: no source reports breaches in these years." in text
    assert "not how often things happen there" in text
    assert "HIBP states no country" in _text(ranking)
    fines = _text(real_pages["fines"].fill_coverage(["ES"], [2019, 2022]))
    assert "Spain: GDPR Enforcement Tracker" in fines
    breaches = _text(real_pages["breaches"].fill_coverage(["GB"], [2010, 2023]))
    assert "United Kingdom: VCDB" in breaches
