"""Fixtures of every source ingested into a data directory, built with `refresh`, checked
through the marts: one scale across sources, nothing counted twice, nothing lost."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from breach_warehouse.refresh import refresh
from tests.ingest_helpers import FIXTURES, load

pytestmark = pytest.mark.slow

PREMERA_VCDB = "3F5A9C1E-2B7D-4E8A-9C0F-1A2B3C4D5E6F"


@pytest.fixture(scope="module")
def ingested_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ingested")
    data = root / "data"
    for source, path in [
        ("hhs_ocr", FIXTURES / "hhs_ocr" / "breach_report.csv"),
        ("hhs_ocr", FIXTURES / "hhs_ocr" / "bad" / "unparseable_number.csv"),
        ("vcdb", FIXTURES / "vcdb" / "validated"),
        ("hibp", FIXTURES / "hibp" / "breaches.json"),
        ("gdpr_fines", FIXTURES / "gdpr_fines" / "enforcement_tracker.csv"),
        ("ecb_fx", FIXTURES / "ecb_fx" / "eurofxref-hist.csv"),
        ("hhs_ocr", FIXTURES / "hhs_ocr" / "breach_report.csv"),  # a reload adds nothing
    ]:
        load(source, path, data)
    return refresh(root / "bw.duckdb", data_dir=data).db_path


@pytest.fixture()
def q(ingested_warehouse: Path):
    def run(sql: str, params: list[object] | None = None) -> pl.DataFrame:
        with duckdb.connect(str(ingested_warehouse), read_only=True) as con:
            return con.sql(sql, params=params).pl()

    return run


def test_hhs_breach_lands_in_its_us_state(q) -> None:
    row = q(
        "select f.* from fct_breaches f join dim_organizations o using (organization_id) "
        "where f.source_name = 'hhs_ocr' and o.organization_name = 'Banner Health'"
    ).row(0, named=True)
    assert row["jurisdiction_code"] == "US-AZ"
    assert row["country_code"] == "US"
    assert row["records_exposed"] == 2_814_049
    assert row["records_unit"] == "individuals"
    assert row["breach_type"] == "hacking"
    assert row["source_id"] == "ds_hhs_ocr"
    assert row["is_counted"]


def test_same_breach_in_hhs_and_vcdb_is_one_breach(q) -> None:
    breaches = q(
        "select f.* from fct_breaches f join dim_organizations o using (organization_id) "
        "where o.organization_name = 'Premera Blue Cross'"
    )
    assert breaches.height == 1
    breach = breaches.row(0, named=True)
    assert breach["source_name"] == "hhs_ocr"  # the higher-priority source is the anchor
    assert breach["source_count"] == 2
    # The anchor is the breach's own row; the other source's row is listed as its match.
    matches = q(
        "select source_name, source_record_id, match_rule, matched_source_name, "
        "matched_source_record_id from breach_source_matches where breach_id = ?",
        [breach["breach_id"]],
    )
    assert matches.rows() == [
        (
            "vcdb",
            PREMERA_VCDB,
            "model",
            "hhs_ocr",
            breach["source_record_id"],
        )
    ]
    assert (
        q(
            "select count(*) from fct_breaches where source_name = 'vcdb' and source_record_id = ?",
            [PREMERA_VCDB],
        ).item()
        == 0
    )
    # VCDB's per-variety records attach to the one breach, next to HHS's health records.
    records = q(
        "select data_type, source_name from fct_breach_records where breach_id = ?",
        [breach["breach_id"]],
    )
    assert {("health", "hhs_ocr"), ("health", "vcdb"), ("financial", "vcdb")} <= set(records.rows())
    # Counted once in the metrics: the state's 2015 breaches and records.
    metrics = q(
        "select breaches, records_exposed from agg_jurisdiction_year_metrics "
        "where jurisdiction_code = 'US-WA' and year = 2015"
    ).row(0)
    assert metrics == (1, 11_000_000)


def test_hhs_row_for_a_seed_breach_joins_it(q) -> None:
    anthem = q("select breach_id, source_count from fct_breaches where organization_id = 'anthem'")
    assert anthem.rows() == [("anthem_2015", 2)]
    match = q(
        "select organization_match, days_apart from breach_source_matches "
        "where breach_id = 'anthem_2015' and source_name = 'hhs_ocr'"
    ).row(0)
    assert match == ("seed_name", 9)


def test_fabricated_and_spam_lists_are_kept_but_not_counted(q) -> None:
    flagged = q(
        "select breach_id, is_excluded, exclusion_reason, is_counted, jurisdiction_code, breach_year "
        "from fct_breaches where source_name = 'hibp' and is_excluded order by breach_id"
    )
    assert flagged.select("breach_id", "exclusion_reason").rows() == [
        ("hibp:FakeSocial2019", "fabricated"),
        ("hibp:SpamBotList", "spam_list"),
    ]
    assert not any(flagged["is_counted"])
    world_2019 = q(
        "select breaches, records_exposed from agg_jurisdiction_year_metrics "
        "where jurisdiction_code = 'WORLD' and year = 2019"
    ).row(0)
    counted_2019 = q(
        "select count(*), coalesce(sum(records_exposed), 0) from fct_breaches "
        "where is_counted and breach_year = 2019"
    ).row(0)
    assert world_2019 == counted_2019
    assert (
        q("select count(*) from fct_breaches where breach_id = 'hibp:FakeSocial2019'").item() == 1
    )


def test_quarantined_rows_are_in_the_quarantine_mart(q) -> None:
    rows = q(
        "select source_name, record_locator, source_field, source_value, reason, is_latest_load "
        "from quarantine where source_name = 'hhs_ocr' order by record_locator"
    )
    assert rows.select("source_value", "reason").rows() == [
        ("Unknown", "unparseable number"),
        ("n/a", "unparseable number"),
        ("1,2 million", "unparseable number"),
    ]
    assert set(q("select source_name from quarantine")["source_name"]) == {
        "hhs_ocr",
        "gdpr_fines",
        "ecb_fx",
    }


def test_nothing_counted_twice_after_reload(q) -> None:
    # Every source row is once either a breach's anchor (fct_breaches) or matched to one.
    source_rows = q(
        "select source_name, source_record_id from fct_breaches "
        "union all select source_name, source_record_id from breach_source_matches"
    )
    hhs = source_rows.filter(pl.col("source_name") == "hhs_ocr")
    assert hhs.height == 9  # 8 distinct rows of the export + 1 good row of the second file
    assert not source_rows.is_duplicated().any()


def test_gdpr_fines_in_eur_with_decision_date_rate(q) -> None:
    meta = q(
        "select amount, currency, fx_rate_basis, fx_rate_date, amount_eur, amount_usd, legal_basis, "
        "jurisdiction_code from fct_penalties where penalty_id = 'gdpr_fines:ETid-100'"
    ).row(0, named=True)
    assert meta["currency"] == "EUR"
    assert meta["fx_rate_basis"] == "decision_date"
    assert str(meta["fx_rate_date"]) == "2023-05-12"
    assert float(meta["amount_eur"]) == 1_200_000_000
    assert float(meta["amount_usd"]) == pytest.approx(1_200_000_000 * 1.0916, abs=0.01)
    assert meta["legal_basis"] == "GDPR: Art. 46 (1) GDPR"
    fallback = q(
        "select fx_rate_basis from fct_penalties where penalty_id = 'gdpr_fines:ETid-200'"
    ).item()
    assert fallback == "annual_average"  # known to the month only
    ie_2023 = q(
        "select penalties, penalties_eur from agg_jurisdiction_year_metrics "
        "where jurisdiction_code = 'IE' and year = 2023"
    ).row(0)
    assert ie_2023[0] == 1 and float(ie_2023[1]) == 1_200_000_000


def test_ingested_organizations_and_sectors(q) -> None:
    premera = q(
        "select sector_code, jurisdiction_code, source_name from dim_organizations "
        "where organization_name = 'Premera Blue Cross'"
    ).row(0)
    assert premera == ("52", "US-WA", "hhs_ocr")
    assert q("select count(*) from dim_organizations where organization_id = 'anthem'").item() == 1
