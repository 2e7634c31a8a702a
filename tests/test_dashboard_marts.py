"""The dashboard's pre-aggregated and listing marts against the fact tables they replace,
on a generated warehouse: every total the data module reads from the marts equals the same
aggregate computed from fct_* for the same selection, and every bounded listing is the
selection's true top N."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from dashboards import data
from groundwork.paths import PROJECT_DIR
from warehouse_api.engine import open_read_only

pytestmark = pytest.mark.slow

# Selections like the pages': a country with its subdivisions, a supranational group over
# its membership years, overlapping picks, the world; whole and partial year ranges.
SELECTIONS: list[tuple[list[str], tuple[int, int]]] = [
    (["WORLD"], (2000, 2026)),
    (["US"], (2000, 2026)),
    (["EU"], (2000, 2026)),
    (["EU", "DE", "R-EUROPE"], (2010, 2020)),
    (["US-CA", "GB", "CN"], (2018, 2026)),
    (["GB"], (2025, 2025)),
    (["AQ"], (2000, 2026)),  # nothing there
]

# The selection rule written independently of dashboards/data.py: the fact rows whose own
# jurisdiction has a hierarchy path to a selected code, within its membership years.
SELECTED = (
    "select distinct f.{key} from {table} f join dim_jurisdiction_hierarchy h "
    "on h.jurisdiction_code = f.jurisdiction_code "
    "where h.rollup_code in (select unnest(?)) and f.{year} between ? and ? "
    "and f.{year} >= coalesce(h.member_from_year, f.{year}) "
    "and f.{year} <= coalesce(h.member_to_year, f.{year})"
)


@pytest.fixture(scope="module")
def facts(generated_warehouse_path: Path):
    """Run SQL on the generated warehouse's fact tables (a connection of its own)."""
    with open_read_only(generated_warehouse_path) as con:

        def run(sql: str, params: list[object] | None = None) -> pl.DataFrame:
            return con.sql(sql, params=params).pl()

        yield run
    data.close_connections()


def selected(table: str, key: str, year: str) -> str:
    return SELECTED.format(table=table, key=key, year=year)


def test_the_generated_warehouse_is_big_enough_to_cut_listings(facts) -> None:
    busiest = facts(
        "select max(n) as n from (select count(*) as n from fct_breaches "
        "group by jurisdiction_code, breach_year, is_counted)"
    )["n"][0]
    assert busiest > data.LISTING_ROWS  # the listing mart keeps part of a group
    assert facts("select count(*) as n from fct_regulatory_actions")["n"][0] > data.ACTION_ROWS


def test_listing_sizes_match_the_dbt_vars() -> None:
    """The data module lists at most as many rows as the listing marts keep per group."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    listing, actions = (
        project["vars"]["dashboard_top_n"],
        project["vars"]["dashboard_top_n_actions"],
    )
    assert (listing, actions) == (data.LISTING_ROWS, data.ACTION_ROWS)
    assert max(data.PREVIEW_ROWS, data.AUTHORITY_ROWS) <= min(listing, actions)


@pytest.mark.parametrize(("codes", "years"), SELECTIONS)
def test_breach_aggregates_equal_the_facts(generated_warehouse_path, facts, codes, years):
    path = generated_warehouse_path
    ids = selected("fct_breaches", "breach_id", "breach_year")
    expected = facts(
        "select breach_year, breach_type, is_counted, count(*) as breaches, "
        "sum(coalesce(records_exposed, 0)) as records_exposed from fct_breaches "
        f"where breach_id in ({ids}) group by all",
        [codes, *years],
    )
    got = data.breach_counts(path, codes, years)
    key = ["breach_year", "breach_type", "is_counted"]
    assert_same(got, expected, key)

    for include_uncounted in (False, True):
        expected = facts(
            "select r.data_type, sum(r.records) as records, "
            "count(distinct r.breach_id) as breaches "
            "from fct_breach_records r join fct_breaches f using (breach_id) "
            f"where f.breach_id in ({ids}) and (? or f.is_counted) group by r.data_type",
            [codes, *years, include_uncounted],
        )
        got = data.breach_records_by_type(path, codes, years, include_uncounted)
        assert_same(got, expected, ["data_type"])
        assert got["records"].is_sorted(descending=True)


@pytest.mark.parametrize(("codes", "years"), SELECTIONS)
def test_penalty_aggregates_equal_the_facts(generated_warehouse_path, facts, codes, years):
    path = generated_warehouse_path
    ids = selected("fct_penalties", "penalty_id", "penalty_year")
    expected = facts(
        "select is_current, count(*) as decisions, sum(coalesce(amount_usd, 0))::double "
        "as amount_usd, sum(coalesce(amount_eur, 0))::double as amount_eur "
        f"from fct_penalties where penalty_id in ({ids}) group by is_current",
        [codes, *years],
    )
    assert_same(data.penalty_counts(path, codes, years), expected, ["is_current"])
    for currency in ("USD", "EUR"):
        expected = facts(
            "select authority, coalesce(country_code, jurisdiction_code) as color_code, "
            f"count(*) as decisions, sum(coalesce(amount_{currency.lower()}, 0))::double "
            f"as total from fct_penalties where is_current and penalty_id in ({ids}) "
            "group by all",
            [codes, *years],
        )
        got = data.penalties_by_authority(path, codes, years, currency, limit=100_000)
        assert_same(got, expected, ["authority", "color_code"])
        top = data.penalties_by_authority(path, codes, years, currency)
        assert top["authority"].n_unique() <= data.AUTHORITY_ROWS
        largest = (
            expected.group_by("authority")
            .agg(pl.col("total").sum())
            .sort("total", "authority", descending=[True, False], nulls_last=True)
            .head(data.AUTHORITY_ROWS)
        )
        assert set(top["authority"]) == set(largest["authority"])


@pytest.mark.parametrize(("codes", "years"), SELECTIONS)
def test_action_counts_equal_the_facts(generated_warehouse_path, facts, codes, years):
    ids = selected("fct_regulatory_actions", "action_id", "action_year")
    for types in ([], ["law", "regulation"]):
        expected = facts(
            f"select count(*) as n from fct_regulatory_actions where action_id in ({ids}) "
            "and (len(?) = 0 or list_contains(?, action_type))",
            [codes, *years, types, types],
        )["n"][0]
        assert data.action_count(generated_warehouse_path, codes, types, years) == expected


def test_data_page_counts_equal_the_facts(generated_warehouse_path, facts) -> None:
    path = generated_warehouse_path
    counts = dict(data.mart_row_counts(path).iter_rows())
    # The marts the dashboard lists are the dbt project's: every model under models/marts/.
    marts = {p.stem for p in (PROJECT_DIR / "models" / "marts").rglob("*.sql")}
    assert set(data.marts(path)["mart"]) == marts == set(counts)
    for mart in marts:
        assert counts[mart] == facts(f"select count(*) as n from {mart}")["n"][0], mart
    cites = facts(
        "select source_id, count(*) as cited_by from ("
        "select source_id from fct_breaches union all select source_id from fct_breach_records "
        "union all select source_id from fct_penalties "
        "union all select source_id from fct_regulatory_actions "
        "union all select source_id from bridge_regulatory_action_targets) group by source_id"
    )
    got = data.sources(path).filter(pl.col("cited_by") > 0).select("source_id", "cited_by")
    assert_same(got, cites, ["source_id"])
    ranges = facts(
        "select 'fct_breaches' as mart, min(reported_on) as first_date, "
        "max(reported_on) as last_date from fct_breaches union all "
        "select 'fct_penalties', min(announced_on), max(announced_on) from fct_penalties "
        "union all select 'fct_regulatory_actions', min(action_on), max(action_on) "
        "from fct_regulatory_actions"
    )
    assert_same(data.fact_date_ranges(path), ranges, ["mart"])


@pytest.mark.parametrize(("codes", "years"), SELECTIONS)
def test_listings_are_the_true_top_n(generated_warehouse_path, facts, codes, years) -> None:
    path = generated_warehouse_path
    ids = selected("fct_breaches", "breach_id", "breach_year")
    for include_uncounted in (False, True):
        expected = facts(
            f"select breach_id from fct_breaches where breach_id in ({ids}) "
            "and (? or is_counted) "
            "order by records_exposed desc nulls last, reported_on, breach_id limit ?",
            [codes, *years, include_uncounted, data.LISTING_ROWS],
        )["breach_id"].to_list()
        got = data.largest_breaches(path, codes, years, include_uncounted)
        assert got["breach_id"].to_list() == expected

    ids = selected("fct_penalties", "penalty_id", "penalty_year")
    for currency in ("USD", "EUR"):
        amount = f"amount_{currency.lower()}"
        expected = facts(
            f"select penalty_id from fct_penalties where is_current and penalty_id in ({ids}) "
            f"order by {amount} desc nulls last, announced_on, penalty_id limit ?",
            [codes, *years, data.LISTING_ROWS],
        )["penalty_id"].to_list()
        got = data.largest_penalties(path, codes, years, currency, include_history=True)
        assert got.filter(pl.col("is_current"))["penalty_id"].to_list() == expected
        # Each listed decision comes with every earlier version in the selection.
        history = facts(
            f"select p.penalty_id from fct_penalties p where p.penalty_id in ({ids}) "
            "and not p.is_current",
            [codes, *years],
        )["penalty_id"].to_list()
        chains = dict(zip(got["penalty_id"], got["current_penalty_id"], strict=True))
        for penalty_id in history:
            head = facts(
                "with recursive up(id, head) as (select ?, ? union all "
                "select p.penalty_id, up.head from up join fct_penalties p "
                "on p.supersedes_penalty_id = up.id) "
                "select up.id from up join fct_penalties p on p.penalty_id = up.id "
                "where p.is_current",
                [penalty_id, penalty_id],
            )["id"].to_list()
            if head and head[0] in expected:
                assert chains.get(penalty_id) == head[0]

    ids = selected("fct_regulatory_actions", "action_id", "action_year")
    expected = facts(
        f"select action_id from fct_regulatory_actions where action_id in ({ids}) "
        "order by action_on desc, action_id desc limit ?",
        [codes, *years, data.ACTION_ROWS],
    )["action_id"].to_list()
    assert data.latest_actions(path, codes, [], years)["action_id"].to_list() == expected


def test_downloads_and_previews_follow_the_same_order(generated_warehouse_path) -> None:
    """The preview (from the listing marts) is the head of the capped download (from the
    facts) for the fact datasets."""
    path = generated_warehouse_path
    for name in ("breaches", "actions", "breach_records", "metrics"):
        preview = data.dataset_preview(path, name, ["US", "GB"], (2000, 2026))
        download = data.dataset(path, name, ["US", "GB"], (2000, 2026))
        assert 0 < preview.height <= data.PREVIEW_ROWS
        assert download.head(preview.height).equals(preview), name
        assert download.height == min(
            data.DOWNLOAD_ROWS, data.dataset_rows(path, name, ["US", "GB"], (2000, 2026))
        )
    preview = data.dataset_preview(path, "penalties", ["US", "GB"], (2000, 2026))
    download = data.dataset(path, "penalties", ["US", "GB"], (2000, 2026))
    assert preview.columns == download.columns
    current = download.filter(pl.col("is_current")).head(preview["is_current"].sum())
    assert preview.filter(pl.col("is_current"))["penalty_id"].equals(current["penalty_id"])


def assert_same(got: pl.DataFrame, expected: pl.DataFrame, key: list[str]) -> None:
    """Same rows on the key, same values (numbers compared as floats, to the cent)."""
    columns = expected.columns
    got = got.select(columns).sort(key, nulls_last=True)
    expected = expected.sort(key, nulls_last=True)
    assert got.height == expected.height, (got, expected)
    for column in columns:
        left, right = got[column], expected[column]
        if left.dtype.is_numeric():
            assert left.cast(pl.Float64).round(2).to_list() == pytest.approx(
                right.cast(pl.Float64).round(2).to_list()
            ), column
        else:
            assert left.to_list() == right.to_list(), column


@pytest.mark.parametrize(("codes", "years"), SELECTIONS)
def test_largest_breaches_per_status_holds_both_listings(
    generated_warehouse_path, codes, years
) -> None:
    path = generated_warehouse_path
    both = data.largest_breaches_per_status(path, codes, years)
    counted = data.largest_breaches(path, codes, years)
    every = data.largest_breaches(path, codes, years, include_uncounted=True)
    assert both.filter(pl.col("is_counted")).equals(counted)
    assert both.head(data.LISTING_ROWS).equals(every)
