"""Per-capita figures divide by the population of their own year, and money converts to
constant dollars of the CPI-U base year: checked in the built warehouses against the seeds
as the csv module reads them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from tests.conftest import read_seed
from warehouse_api.engine import open_read_only

pytestmark = pytest.mark.slow


def seed_population(code: str, year: int) -> int:
    rows = [
        r
        for r in read_seed("population_by_year")
        if r["jurisdiction_code"] == code and int(r["year"]) == year
    ]
    assert len(rows) == 1, (code, year)
    return int(rows[0]["population"])


def cpi(year: int) -> Decimal:
    [row] = [r for r in read_seed("cpi_u_annual") if int(r["year"]) == year]
    return Decimal(row["cpi_u"])


def test_per_million_figures_of_2000_and_2024_use_the_population_of_each_year(
    generated_warehouse_path: Path,
) -> None:
    with open_read_only(generated_warehouse_path) as con:
        rows = con.sql(
            "select jurisdiction_code, year, population, breaches, breaches_per_million "
            "from agg_jurisdiction_year_metrics where jurisdiction_code in ('US', 'CN') "
            "and year in (2000, 2024) order by all"
        ).pl()
    assert rows.height == 4
    for row in rows.iter_rows(named=True):
        population = seed_population(row["jurisdiction_code"], row["year"])
        assert row["population"] == population
        assert row["breaches_per_million"] == pytest.approx(row["breaches"] * 1e6 / population)
    us = {r["year"]: r for r in rows.iter_rows(named=True) if r["jurisdiction_code"] == "US"}
    assert us[2000]["breaches"] > 0 and us[2024]["breaches"] > 0
    assert (us[2000]["population"], us[2024]["population"]) == (282_162_411, 340_110_988)
    ratio = {y: us[y]["breaches_per_million"] / us[y]["breaches"] for y in (2000, 2024)}
    assert ratio[2000] == pytest.approx(1e6 / 282_162_411) != ratio[2024]


def test_a_year_without_population_is_a_gap_not_a_zero(q) -> None:
    rows = q(
        "select jurisdiction_code, year, population, population_basis, population_year, "
        "regulatory_actions, regulatory_actions_per_million from agg_jurisdiction_year_metrics "
        "where (jurisdiction_code in ('US', 'TW') and year in (2024, 2025, 2026)) "
        "or (jurisdiction_code = 'CN-ZJ' and year = 2000) order by all"
    )
    by = {(r["jurisdiction_code"], r["year"]): r for r in rows.iter_rows(named=True)}
    assert by[("US", 2024)]["population_basis"] == "published"
    carried = by[("US", 2025)]
    assert (carried["population_basis"], carried["population_year"]) == ("carried_forward", 2024)
    assert carried["population"] == seed_population("US", 2024)
    for key in (("US", 2026), ("TW", 2024), ("TW", 2025)):
        assert by[key]["population"] is None and by[key]["population_basis"] == "missing"
        assert by[key]["regulatory_actions_per_million"] is None, key
    static = by[("CN-ZJ", 2000)]
    assert (static["population_basis"], static["population"]) == ("static", 64_567_588)


def test_eu_population_is_the_sum_of_the_members_of_the_year(q) -> None:
    members = {
        r["member_code"]: (int(r["member_from_year"]), int(r["member_to_year"] or 9999))
        for r in read_seed("jurisdiction_memberships")
        if r["group_code"] == "EU"
    }
    eu = dict(
        q(
            "select year, population from dim_jurisdiction_populations "
            "where jurisdiction_code = 'EU' and year in (2000, 2020, 2024)"
        ).iter_rows()
    )
    for year in (2000, 2020, 2024):
        expected = sum(
            seed_population(code, year)
            for code, (start, end) in members.items()
            if start <= year <= end
        )
        assert eu[year] == expected, year
    assert eu[2020] - eu[2024] > 60_000_000  # the United Kingdom counts through 2020


def test_constant_dollars_of_the_latest_full_cpi_year(q) -> None:
    base = max(int(r["year"]) for r in read_seed("cpi_u_annual") if r["months"] == "12")
    assert base == 2024
    rows = q(
        "select penalty_id, penalty_year, amount, currency, amount_usd, amount_usd_constant, "
        "constant_usd_base_year, cpi_basis from fct_penalties order by penalty_id"
    )
    assert rows.height == len(read_seed("penalties"))
    for row in rows.iter_rows(named=True):
        factor = cpi(base) / cpi(row["penalty_year"])
        expected = (row["amount_usd"] * factor).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert abs(row["amount_usd_constant"] - expected) <= Decimal("0.01"), row
        assert row["constant_usd_base_year"] == base
    bipa = rows.filter(rows["penalty_id"] == "fb_bipa_2020_550m").row(0, named=True)
    assert (bipa["amount"], bipa["currency"]) == (Decimal("550000000.00"), "USD")
    assert bipa["amount_usd_constant"] == Decimal("666621395.54")  # 550M x 313.689 / 258.811
    ico = rows.filter(rows["penalty_id"] == "ico_23andme_2025").row(0, named=True)
    assert ico["cpi_basis"] == "incomplete_year_average"  # no October 2025 index
    totals = q(
        "select sum(penalties_usd_constant) as metrics from agg_jurisdiction_year_metrics "
        "where jurisdiction_code = 'WORLD'"
    )["metrics"][0]
    current = q("select sum(amount_usd_constant) as s from fct_penalties where is_current")["s"][0]
    assert totals == current
