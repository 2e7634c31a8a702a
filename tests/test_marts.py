"""The documents' figures, checked through the marts of a warehouse built from the seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import read_seed

pytestmark = pytest.mark.slow

DOC_OPM_ANTHEM = "001_ef68335a6c917527.txt"
DOC_23ANDME = "003_871be56f077f3e05.txt"
DOC_BIPA = "004_454712b2a0958f61.txt"


def gbp_rate(year: int, column: str) -> float:
    rows = [r for r in read_seed("fx_rates") if r["currency"] == "GBP" and int(r["year"]) == year]
    assert len(rows) == 1
    return float(rows[0][column])


def test_anthem_records_exposed(q) -> None:
    row = q(
        "select records_exposed, source_id, jurisdiction_code from fct_breaches "
        "where organization_id = 'anthem'"
    ).row(0, named=True)
    assert row["records_exposed"] == 78_800_000
    assert row["source_id"] == DOC_OPM_ANTHEM
    assert row["jurisdiction_code"] == "US"


def test_opm_records_by_data_type_are_three_rows(q) -> None:
    frame = q(
        "select r.data_type, r.records from fct_breach_records r "
        "join fct_breaches b using (breach_id) where b.organization_id = 'us_opm' order by r.records desc"
    )
    assert frame["records"].to_list() == [21_000_000, 19_700_000, 5_600_000]
    assert set(frame["data_type"]) == {"ssn", "background_investigation_form", "fingerprint"}


def test_23andme_fine_in_gbp_and_converted(q) -> None:
    row = q(
        "select amount, currency, amount_usd, amount_eur, penalty_year, is_current, authority "
        "from fct_penalties where organization_id = '23andme' and source_id = ? ",
        [DOC_23ANDME],
    ).row(0, named=True)
    assert row["amount"] == Decimal("2310000.00")
    assert row["currency"] == "GBP"
    assert row["is_current"] is True
    year = row["penalty_year"]
    expected_usd = round(2_310_000 * gbp_rate(year, "rate_to_usd"), 2)
    expected_eur = round(2_310_000 * gbp_rate(year, "rate_to_eur"), 2)
    assert float(row["amount_usd"]) == pytest.approx(expected_usd, abs=0.01)
    assert float(row["amount_eur"]) == pytest.approx(expected_eur, abs=0.01)


def test_superseded_amount_is_history_and_counted_once(q) -> None:
    chains = q(
        "select p.penalty_id, p.is_current, s.penalty_id as successor "
        "from fct_penalties p left join fct_penalties s on s.supersedes_penalty_id = p.penalty_id"
    )
    for row in chains.iter_rows(named=True):
        assert row["is_current"] == (row["successor"] is None)
    facebook = q(
        "select amount, status, is_current from fct_penalties where organization_id = 'facebook' "
        "order by announced_on"
    )
    assert Decimal("550000000.00") in facebook["amount"].to_list()
    current = facebook.filter(facebook["is_current"])
    assert current.height == 1
    assert current["amount"][0] != Decimal("550000000.00")
    # US-IL's metric counts only the current Facebook amount.
    year_total = q(
        "select sum(penalties_usd) as usd from agg_jurisdiction_year_metrics where jurisdiction_code = 'US-IL'"
    )["usd"][0]
    expected = q(
        "select sum(amount_usd) as usd from fct_penalties where jurisdiction_code = 'US-IL' and is_current"
    )["usd"][0]
    assert year_total == expected


def test_rollups_subdivision_country_region_world(q) -> None:
    frame = q(
        "select jurisdiction_code, sum(penalties) as penalties, sum(regulatory_actions) as actions "
        "from agg_jurisdiction_year_metrics "
        "where jurisdiction_code in ('CN-ZJ', 'CN', 'R-ASIA', 'WORLD', 'US-IL', 'US') "
        "group by jurisdiction_code"
    )
    by = {r["jurisdiction_code"]: r for r in frame.iter_rows(named=True)}
    assert by["CN-ZJ"]["actions"] >= 1
    assert by["CN"]["actions"] >= by["CN-ZJ"]["actions"] + 1
    assert by["R-ASIA"]["actions"] >= by["CN"]["actions"]
    assert by["WORLD"]["actions"] >= by["R-ASIA"]["actions"] + by["US"]["actions"]
    assert by["US"]["penalties"] >= by["US-IL"]["penalties"] >= 1


def test_every_jurisdiction_has_every_year(q) -> None:
    counts = q(
        "select count(*) as n, count(distinct jurisdiction_code) as j, min(year) as lo, max(year) as hi "
        "from agg_jurisdiction_year_metrics"
    ).row(0, named=True)
    assert (counts["lo"], counts["hi"]) == (2000, 2026)
    assert counts["n"] == counts["j"] * 27
    assert counts["j"] == len(read_seed("jurisdictions"))


def test_metric_columns_are_plain_integers_not_hugeint(q) -> None:
    types = dict(
        q(
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'agg_jurisdiction_year_metrics'"
        ).iter_rows()
    )
    assert types["breaches"] == "BIGINT"
    assert types["records_exposed"] == "BIGINT"
    assert types["cumulative_records_exposed"] == "BIGINT"
    assert types["penalties_usd"] == "DECIMAL(18,2)"


def test_every_fact_row_cites_a_known_source(q) -> None:
    for table in ("fct_breaches", "fct_penalties", "fct_regulatory_actions", "fct_breach_records"):
        missing = q(
            f"select count(*) as n from {table} f left join dim_sources s using (source_id) "
            "where s.source_id is null"
        )["n"][0]
        assert missing == 0, table


def test_every_document_fact_reaches_the_marts(q) -> None:
    """Every seed fact row is in its mart: nothing dropped between seed and mart."""
    for seed, mart, key in (
        ("breaches", "fct_breaches", "breach_id"),
        ("penalties", "fct_penalties", "penalty_id"),
        ("regulatory_actions", "fct_regulatory_actions", "action_id"),
    ):
        seed_ids = {r[key] for r in read_seed(seed)}
        mart_ids = set(q(f"select {key} from {mart}")[key].to_list())
        assert seed_ids <= mart_ids, (mart, seed_ids - mart_ids)


def test_far_rule_targets_the_five_companies(q) -> None:
    frame = q(
        "select t.organization_id from bridge_regulatory_action_targets t "
        "join fct_regulatory_actions a using (action_id) "
        "where a.action_type = 'procurement_rule' and a.jurisdiction_code = 'US' "
        "and a.source_id = '003_871be56f077f3e05.txt' and t.target_role = 'target'"
    )
    assert {"huawei", "zte", "hytera", "hikvision", "dahua"} <= set(frame["organization_id"])


def test_bipa_settlement_in_illinois(q) -> None:
    row = q(
        "select jurisdiction_code, country_code, currency, amount_usd from fct_penalties "
        "where source_id = ? and organization_id = 'facebook'",
        [DOC_BIPA],
    ).row(0, named=True)
    assert row["jurisdiction_code"] == "US-IL"
    assert row["country_code"] == "US"
    assert row["amount_usd"] == Decimal("550000000.00")


def test_dashboard_marts_hold_the_seed_facts(q) -> None:
    """The marts the dashboard reads instead of the facts: the documents' figures are there."""
    us = q(
        "select sum(breaches) as breaches, sum(records_exposed) as records "
        "from agg_breaches_by_jurisdiction_year_type where country_code = 'US' and is_counted"
    ).row(0, named=True)
    assert us == {"breaches": 3, "records": 78_800_000 + 21_000_000 + 6_900_000}
    opm = dict(
        q(
            "select data_type, records from agg_breach_records_by_jurisdiction_year_type "
            "where jurisdiction_code = 'US' and breach_year = 2015 and is_counted"
        ).iter_rows()
    )
    assert opm["ssn"] == 21_000_000 and opm["fingerprint"] == 5_600_000
    # Facebook's BIPA settlement: the final amount listed with both earlier versions.
    chain = q(
        "select penalty_id, versions_back, chain_id, is_current "
        "from agg_largest_penalties_by_jurisdiction_year "
        "where current_penalty_id = 'fb_bipa_2021_650m_final' order by versions_back"
    )
    assert chain["penalty_id"].to_list() == [
        "fb_bipa_2021_650m_final",
        "fb_bipa_2020_650m_amended",
        "fb_bipa_2020_550m",
    ]
    assert set(chain["chain_id"]) == {"fb_bipa_2020_550m"}
    assert chain["is_current"].to_list() == [True, False, False]
    gb = q(
        "select decisions, amount_usd from agg_penalties_by_authority_year "
        "where jurisdiction_code = 'GB' and is_current"
    ).row(0, named=True)
    expected = q("select amount_usd from fct_penalties where penalty_id = 'ico_23andme_2025'")[
        "amount_usd"
    ][0]
    assert gb == {"decisions": 1, "amount_usd": expected}
    targets = q(
        "select targets from agg_latest_regulatory_actions_by_jurisdiction_year_type "
        "where action_type = 'procurement_rule' and jurisdiction_code = 'US' "
        "and source_id = '003_871be56f077f3e05.txt'"
    )["targets"][0]
    assert "Huawei" in targets and targets.count("; ") >= 4
    rows = dict(
        q(
            "select mart, sum(fact_rows) as n from fact_rows_by_mart_source group by mart"
        ).iter_rows()
    )
    assert rows == {
        "fct_breaches": 5,
        "fct_breach_records": 5,
        "fct_penalties": 6,
        "fct_regulatory_actions": 39,
        "bridge_regulatory_action_targets": 37,
    }
