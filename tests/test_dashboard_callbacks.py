"""Dashboard callbacks called directly against the seed warehouse."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl

import dash
import duckdb
import pytest

from breach_warehouse.cli import main
from dashboards import data, figures
from dashboards.app import create_app
from dashboards.context import DB_CONFIG_KEY
from dashboards.urlstate import parse_query
from warehouse_api.engine import open_read_only

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(warehouse_path: Path) -> dash.Dash:
    return create_app(warehouse_path)


@pytest.fixture(scope="module")
def pages(app: dash.Dash):
    from dashboards.pages import actions, breaches, compare, fines
    from dashboards.pages import data as data_page

    return {
        "compare": compare,
        "breaches": breaches,
        "fines": fines,
        "actions": actions,
        "data": data_page,
    }


@contextmanager
def serving(app: dash.Dash, path: Path) -> Iterator[None]:
    """The app's callbacks read ``path`` for the duration."""
    original = app.server.config[DB_CONFIG_KEY]
    app.server.config[DB_CONFIG_KEY] = str(path)
    try:
        yield
    finally:
        app.server.config[DB_CONFIG_KEY] = original


def trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


def test_app_registers_every_page(app: dash.Dash) -> None:
    paths = {page["path"] for page in dash.page_registry.values()}
    assert {"/", "/breaches", "/fines", "/actions", "/data"} <= paths
    assert app.server.config[DB_CONFIG_KEY].endswith(".duckdb")


def test_compare_us_gb_penalties_usd_has_the_converted_23andme_fine(pages, q) -> None:
    line, bar, world = pages["compare"].update_charts(
        ["US", "GB"], "penalties_usd", "total", [2010, 2026], "country"
    )
    expected = q(
        "select p.amount_usd::double as usd from fct_penalties p "
        "join dim_organizations o using (organization_id) "
        "where o.organization_name = '23andMe, Inc.' and p.jurisdiction_code = 'GB' "
        "and p.is_current"
    )["usd"][0]
    gb = trace(line, "United Kingdom")
    by_year = dict(zip(gb.x, gb.y, strict=True))
    assert by_year[2025] == pytest.approx(expected)
    assert sum(v for y, v in by_year.items() if y != 2025) == 0
    assert gb.text[list(gb.x).index(2025)] == f"{expected:,.2f} USD"
    us = dict(zip(trace(line, "United States").x, trace(line, "United States").y, strict=True))
    assert us[2018] == 16_000_000 and us[2021] == 650_000_000  # Illinois rolls up into the US
    ranked = dict(zip(bar.data[0].customdata, bar.data[0].x, strict=True))
    assert ranked["GB"] == pytest.approx(expected)
    locations = dict(zip(world.data[0].locations, world.data[0].z, strict=True))
    assert locations["GBR"] == pytest.approx(expected)


def test_compare_default_view_shows_data(pages) -> None:
    defaults = parse_query({}, pages["compare"].SPEC)
    line, bar, world = pages["compare"].update_charts(
        defaults["j"], defaults["metric"], defaults["mode"], [defaults["from"], defaults["to"]],
        defaults["level"],
    )  # fmt: skip
    assert {t.name for t in line.data} == {
        "United States",
        "China",
        "United Kingdom",
        "European Union",
    }
    assert all(figures.message_of(f) is None for f in (line, bar, world))


def by_year(fig, name: str) -> dict[int, float | None]:
    line = trace(fig, name)
    return dict(zip(line.x, line.y, strict=True))


def test_compare_region_level_and_per_million(pages, q) -> None:
    line, bar, _ = pages["compare"].update_charts(
        ["R-EUROPE", "EU"], "regulatory_actions", "per_million", [2000, 2025], "region"
    )
    assert {t.name for t in line.data} == {"Europe", "European Union"}
    assert "Europe" in bar.data[0].y
    note = line.layout.title.subtitle.text.replace("<br>", " ")
    assert note.startswith("Per million inhabitants of each year")
    assert "sum of the member countries of each year (World Bank SP.POP.TOTL)" in note
    assert "2025: the 2024 figure carried forward" in note
    # Each year divides by its own population: the EU's 2020 (with the United Kingdom)
    # and 2021 (without) figures.
    populations = dict(
        q(
            "select year, population from dim_jurisdiction_populations "
            "where jurisdiction_code = 'EU' and year in (2020, 2021)"
        ).iter_rows()
    )
    actions = dict(
        q(
            "select year, regulatory_actions from agg_jurisdiction_year_metrics "
            "where jurisdiction_code = 'EU' and year in (2020, 2021)"
        ).iter_rows()
    )
    for year in (2020, 2021):
        value = by_year(line, "European Union")[year]
        assert value == pytest.approx(actions[year] * 1e6 / populations[year])


def test_compare_per_million_years_without_population_are_gaps(pages) -> None:
    line, bar, world = pages["compare"].update_charts(
        ["US", "TW"], "regulatory_actions", "per_million", [2019, 2026], "country"
    )
    us = by_year(line, "United States")
    assert us[2026] is None and us[2019] > 0 and us[2025] == 0
    assert all(v is None for v in trace(line, "Taiwan").y)
    note = line.layout.title.subtitle.text.replace("<br>", " ")
    assert "no population, shown as gaps: 2026; Taiwan" in note
    # A period's per-million figure needs every year's population: 2026 has none.
    assert figures.message_of(bar) == figures.NO_POPULATION
    assert figures.message_of(world) == figures.NO_POPULATION
    counts, _, _ = pages["compare"].update_charts(
        ["US"], "regulatory_actions", "total", [2019, 2026], "country"
    )
    assert not counts.layout.title.subtitle.text  # only per-capita charts name a population


def test_compare_constant_dollars(pages, q) -> None:
    nominal, _, _ = pages["compare"].update_charts(
        ["US"], "penalties_usd", "total", [2015, 2025], "country", "nominal"
    )
    constant, bar, _ = pages["compare"].update_charts(
        ["US"], "penalties_usd", "total", [2015, 2025], "country", "constant"
    )
    assert "constant 2024 USD" in constant.layout.title.text
    assert "constant" not in nominal.layout.title.text
    expected = dict(
        q(
            "select penalty_year, sum(amount_usd_constant)::double from fct_penalties "
            "where country_code = 'US' and is_current group by all"
        ).iter_rows()
    )
    us = by_year(constant, "United States")
    assert us[2021] == pytest.approx(expected[2021]) and us[2021] > 650_000_000
    assert by_year(nominal, "United States")[2021] == pytest.approx(650_000_000)
    assert bar.data[0].text[0].endswith("2024 USD")
    eur, _, _ = pages["compare"].update_charts(
        ["US"], "penalties_eur", "total", [2015, 2025], "country", "constant"
    )
    assert "(nominal)" in eur.layout.title.text  # constant prices are USD only


def test_empty_selection_shows_the_message_on_every_page(pages) -> None:
    figs = pages["compare"].update_charts([], "breaches", "total", [2010, 2026], "country")
    assert figures.message_of(figs[0]) == figures.NO_DATA
    breaches = pages["breaches"].update_charts([], [2000, 2026], "log", [])
    assert all(figures.message_of(f) == figures.NO_DATA for f in breaches[:3])
    assert breaches[3] == [] and breaches[5] == figures.NO_DATA
    fines = pages["fines"].update_charts(["GB"], [2000, 2010], "USD", ["yes"])
    assert figures.message_of(fines[0]) == figures.NO_DATA
    actions = pages["actions"].update_charts(["US"], ["ban"], [2000, 2010])
    assert figures.message_of(actions[0]) == figures.NO_DATA and actions[3] == figures.NO_DATA


def test_breaches_page(pages) -> None:
    largest, by_type, types, rows, columns, message = pages["breaches"].update_charts(
        ["US"], [2000, 2026], "log", []
    )
    assert largest.layout.xaxis.type == "log"
    assert sorted(x for t in largest.data for x in t.x) == [6_900_000, 21_000_000, 78_800_000]
    # Records per data type over the US breaches (OPM's three types, Anthem, 23andMe).
    assert dict(zip(by_type.data[0].y, by_type.data[0].x, strict=True)) == {
        "Personal record": 78_800_000,
        "SSN": 21_000_000,
        "Background investigation form": 19_700_000,
        "Genetic": 6_900_000,
        "Fingerprint": 5_600_000,
    }
    assert [t.name for t in types.data] == ["Hacking"]
    assert dict(zip(types.data[0].x, types.data[0].y, strict=True)) == {2015: 2, 2023: 1}
    assert len(rows) == 3 and all(r["source"] for r in rows)
    assert message == "All 3 breaches, largest first."
    assert {"name": "Source", "id": "source", "presentation": "markdown"} in columns
    _, _, _, with_alleged, _, message = pages["breaches"].update_charts(
        ["US"], [2000, 2026], "log", ["yes"]
    )
    assert len(with_alleged) == 4
    assert {r["status"] for r in with_alleged} >= {"counted", "alleged (not counted)"}
    assert message.startswith("All 4 breaches")


def test_fines_page_original_and_converted_side_by_side(pages, q) -> None:
    timeline, _, history, rows, columns, _ = pages["fines"].update_charts(
        ["GB", "US"], [2000, 2026], "EUR", ["yes"]
    )
    headers = [c["name"] for c in columns]
    assert headers.index("Amount (original)") + 1 == headers.index("Currency")
    assert {"Amount (USD)", "Amount (EUR)", "Source"} <= set(headers)
    ico = next(r for r in rows if r["status"] == "final" and r["currency"] == "GBP")
    assert ico["amount"] == 2_310_000 and ico["amount_eur"] == pytest.approx(2_697_075.38)
    assert len(history.data) == 2  # 23andMe provisional -> final, Facebook 550m -> 650m
    assert trace(timeline, "GB").y[-1] == pytest.approx(2_697_075.38)
    assert list(trace(timeline, "GB").marker.symbol) == ["circle-open", "circle"]
    assert len(rows) == 6
    current = pages["fines"].update_charts(["GB", "US"], [2000, 2026], "USD", [])
    assert len(current[3]) == 3 and current[5] == "All 3 current decisions, largest first."
    totals = {a: x for t in current[1].data for a, x in zip(t.customdata, t.x, strict=True)}
    assert totals["UK Information Commissioner's Office"] == pytest.approx(3_045_554.36)
    assert sum(totals.values()) == pytest.approx(
        q("select sum(amount_usd)::double as usd from fct_penalties where is_current")["usd"][0]
    )


def test_fines_page_in_constant_dollars(pages, q) -> None:
    timeline, authority, history, rows, columns, _ = pages["fines"].update_charts(
        ["GB", "US"], [2000, 2026], "USD", ["yes"], "constant"
    )
    assert "constant 2024 USD" in timeline.layout.title.text
    assert timeline.layout.yaxis.title.text == "Amount (2024 USD, log scale)"
    assert "constant 2024 USD, CPI-U" in authority.layout.title.text
    assert "constant 2024 USD, CPI-U" in history.layout.title.text
    assert "Amount (2024 USD, CPI-U)" in [c["name"] for c in columns]
    constant = dict(q("select penalty_id, amount_usd_constant::double from fct_penalties").rows())
    bipa = next(r for r in rows if r["amount"] == 550_000_000)
    assert bipa["amount_usd_constant"] == pytest.approx(constant["fb_bipa_2020_550m"])
    assert trace(timeline, "GB").y[-1] == pytest.approx(constant["ico_23andme_2025"])
    assert "In 2024 prices (CPI-U)" in trace(timeline, "GB").text[-1]
    totals = {a: x for t in authority.data for a, x in zip(t.customdata, t.x, strict=True)}
    assert sum(totals.values()) == pytest.approx(
        q("select sum(amount_usd_constant)::double from fct_penalties where is_current").item()
    )
    # Constant prices are a US index: EUR stays nominal and the chart says so.
    eur = pages["fines"].update_charts(["GB"], [2000, 2026], "EUR", [], "constant")[0]
    assert "in EUR at the decision year's rate" in eur.layout.title.text
    assert "constant prices are in US dollars only" in eur.layout.title.subtitle.text


def test_actions_page_filters_by_type_and_lists_targets(pages) -> None:
    timeline, rows, _, _ = pages["actions"].update_charts(["US"], ["sanctions_list"], [2000, 2026])
    assert [t.name for t in timeline.data] == ["Sanctions list"]
    assert len(rows) == 3 and any("Huawei" in (r["targets"] or "") for r in rows)
    options, types = pages["actions"].fill_options(0)
    assert {"label": "Procurement rule", "value": "procurement_rule"} in types
    assert any(o["value"] == "R-EUROPE" for o in options)


def test_data_page_summary_and_csv_download(pages) -> None:
    _, cards, marts, _, sources, _, loads, load_columns = pages["data"].fill_summary(0)
    assert loads == []  # the seeds alone: no load to reconcile
    assert [c["id"] for c in load_columns][:3] == ["source_name", "source_file", "as_of"]
    counts = {r["mart"]: r["row_count"] for r in marts}
    assert counts["fct_penalties"] == 6 and counts["fct_regulatory_actions"] == 39
    assert len(cards) == 3 and sources
    download = pages["data"].download(1, "penalties", ["GB"], [2000, 2026])
    assert download["filename"] == "penalties_GB_2000-2026.csv"
    lines = download["content"].splitlines()
    assert lines[0].startswith("penalty_id,") and len(lines) == 3


def test_url_sync_serializes_filters_that_parse_back(pages) -> None:
    compare = pages["compare"]
    query, link = compare.sync_url(
        ["US", "GB"], "penalties_usd", "cumulative", [2012, 2020], "region", "constant"
    )
    assert query == (
        "?j=US,GB&metric=penalties_usd&mode=cumulative&from=2012&to=2020&level=region"
        "&money=constant"
    )
    assert parse_query(query, compare.SPEC) == {
        "j": ["US", "GB"],
        "metric": "penalties_usd",
        "mode": "cumulative",
        "from": 2012,
        "to": 2020,
        "level": "region",
        "money": "constant",
    }
    assert link == "/data?dataset=metrics&j=US,GB&from=2012&to=2020"
    layout = compare.layout(
        **{
            "j": "US,GB",
            "metric": "penalties_usd",
            "from": "2012",
            "to": "2020",
            "money": "constant",
        }
    )
    assert layout["compare-metric"].value == "penalties_usd"
    assert layout["compare-money"].value == "constant"
    assert layout["compare-jurisdictions"].value == ["US", "GB"]
    assert layout["compare-years"].value == [2012, 2020]


def test_refresh_while_serving_shows_new_data_without_restart(
    app: dash.Dash, pages, warehouse_path: Path, tmp_path: Path
) -> None:
    served = tmp_path / "served.duckdb"
    shutil.copy(warehouse_path, served)
    before = data.largest_penalties(served, ["GB"], (2025, 2025), include_history=False)
    assert before["amount_usd"].to_list() == [pytest.approx(3_045_554.36)]

    rebuilt = tmp_path / ".served.duckdb.building"
    shutil.copy(warehouse_path, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute(
            "update agg_largest_penalties_by_jurisdiction_year set amount_usd = 1234567.89 "
            "where penalty_id = 'ico_23andme_2025'"
        )
        con.execute(
            "update agg_jurisdiction_year_metrics set penalties_usd = 1234567.89 "
            "where jurisdiction_code = 'GB' and year = 2025"
        )
        con.execute("checkpoint")
    os.replace(rebuilt, served)  # what `breach-warehouse refresh` does to publish

    after = data.largest_penalties(served, ["GB"], (2025, 2025), include_history=False)
    assert after["amount_usd"].to_list() == [pytest.approx(1_234_567.89)]
    original = app.server.config[DB_CONFIG_KEY]
    app.server.config[DB_CONFIG_KEY] = str(served)
    try:
        line, _, _ = pages["compare"].update_charts(
            ["GB"], "penalties_usd", "total", [2025, 2025], "country"
        )
    finally:
        app.server.config[DB_CONFIG_KEY] = original
    assert list(line.data[0].y) == [pytest.approx(1_234_567.89)]


def test_data_module_only_reads(warehouse_path: Path) -> None:
    with pytest.raises(duckdb.Error):
        data.query(warehouse_path, "delete from fct_penalties")
    assert data.query(warehouse_path, "select count(*) as n from fct_penalties")["n"][0] == 6


def test_serve_without_a_warehouse_says_to_refresh(tmp_path: Path, capsys) -> None:
    assert main(["serve", "--db", str(tmp_path / "missing.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "no warehouse" in err and "breach-warehouse refresh" in err


def test_one_connection_per_warehouse_version(warehouse_path: Path, tmp_path: Path) -> None:
    """Queries share one read-only connection (a cursor each) until a refresh publishes a
    new file by rename; then queries still reading the old version finish on it and the
    next ones read the new file."""
    served = tmp_path / "served.duckdb"
    shutil.copy(warehouse_path, served)
    count = "select count(*) as n from fct_penalties where penalty_id <> ?"
    assert data.query(served, count, ["x"])["n"][0] == 6
    reader = data._readers[str(served)]
    assert data.query(served, count, ["y"])["n"][0] == 6
    assert data._readers[str(served)] is reader

    rebuilt = tmp_path / ".served.duckdb.building"
    shutil.copy(warehouse_path, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute("delete from fct_penalties where penalty_id = 'hhs_ocr_anthem_2018'")
        con.execute("checkpoint")

    errors: list[BaseException] = []
    seen: list[int] = []

    def reading(worker: int) -> None:
        try:
            for i in range(40):
                seen.append(int(data.query(served, count, [f"{worker}-{i}"])["n"][0]))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=reading, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    os.replace(rebuilt, served)  # what `breach-warehouse refresh` does to publish
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert set(seen) <= {5, 6}
    assert data.query(served, count, ["z"])["n"][0] == 5
    assert data._readers[str(served)] is not reader
    data.close_connections()


# Every table a page callback may read: the dimensions and the small marts built for the
# dashboard, never a fact table (only the Data page's capped CSV download reads facts).
FACT_TABLE = re.compile(
    r"\b(?:from|join)\s+(?:main\.)?(?:fct_\w+|bridge_regulatory_action_targets)\b", re.I
)


def test_page_callbacks_never_read_fact_tables(pages, monkeypatch) -> None:
    statements: list[str] = []
    real_query = data.query

    def recording(db_path, sql, params=()):
        statements.append(sql)
        return real_query(db_path, sql, params)

    monkeypatch.setattr(data, "query", recording)
    data.clear_cache()
    pages["compare"].update_charts(["US", "GB"], "breaches", "total", [2000, 2026], "country")
    for alleged in ([], ["yes"]):
        pages["breaches"].update_charts(["US", "EU"], [2000, 2026], "log", alleged)
    for history in ([], ["yes"]):
        pages["fines"].update_charts(["US", "GB"], [2000, 2026], "EUR", history)
    pages["actions"].update_charts(["US"], [], [2000, 2026])
    pages["actions"].fill_options(0)
    pages["data"].fill_summary(0)
    for name in data.DATASETS:
        pages["data"].update_preview(name, ["US", "GB"], [2000, 2026])
    assert statements
    readers_of_facts = [sql for sql in statements if FACT_TABLE.search(sql)]
    assert not readers_of_facts, readers_of_facts
    data.clear_cache()


BOUNDED_SELECTIONS = [
    (["WORLD"], [2000, 2026]),
    (["US", "GB", "EU"], [2015, 2026]),
    (["US"], [2025, 2026]),
]


@pytest.mark.parametrize(("codes", "years"), BOUNDED_SELECTIONS)
def test_callbacks_return_bounded_rows_on_a_generated_warehouse(
    app: dash.Dash, pages, generated_warehouse_path: Path, codes, years, monkeypatch
) -> None:
    """However many facts a selection holds, a callback returns at most the listing sizes
    of dashboards/data.py, and says how many there are."""
    path = generated_warehouse_path
    with open_read_only(path) as con:
        in_selection = (
            "exists (select 1 from dim_jurisdiction_hierarchy h where h.jurisdiction_code = "
            "f.jurisdiction_code and list_contains(?, h.rollup_code) and "
            "{y} >= coalesce(h.member_from_year, {y}) and {y} <= coalesce(h.member_to_year, {y}))"
        )
        breaches = con.sql(
            "select count(*) from fct_breaches f where is_counted and breach_year between ? "
            "and ? and " + in_selection.format(y="breach_year"),
            params=[*years, codes],
        ).fetchall()[0][0]
        actions = con.sql(
            "select count(*) from fct_regulatory_actions f where action_year between ? and ? "
            "and " + in_selection.format(y="action_year"),
            params=[*years, codes],
        ).fetchall()[0][0]
    assert breaches > data.LISTING_ROWS  # the selection is larger than the listing

    with serving(app, path):
        for alleged in ([], ["yes"]):
            largest, by_type, types, rows, _, message = pages["breaches"].update_charts(
                codes, years, "log", alleged
            )
            assert len(rows) == data.LISTING_ROWS
            assert sum(len(t.x) for t in largest.data) <= data.LISTING_ROWS
            assert len(by_type.data) == 1 and len(by_type.data[0].x) <= 50
            assert sum(len(t.x) for t in types.data) <= 14 * (years[1] - years[0] + 1)
        assert message.startswith(f"Showing the {data.LISTING_ROWS} largest of ")
        _, _, _, _, _, counted_message = pages["breaches"].update_charts(codes, years, "log", [])
        assert counted_message.startswith(
            f"Showing the {data.LISTING_ROWS} largest of {breaches:,} breaches."
        )
        assert "breach-warehouse extract" in counted_message

        for history in ([], ["yes"]):
            timeline, authority, _, rows, _, _ = pages["fines"].update_charts(
                codes, years, "USD", history
            )
            assert sum(1 for r in rows if r["is_current"]) <= data.LISTING_ROWS
            assert len({a for t in authority.data for a in t.customdata}) <= data.AUTHORITY_ROWS
            assert sum(len(t.x) for t in timeline.data) == len(rows)

        timeline, rows, _, message = pages["actions"].update_charts(codes, [], years)
        assert len(rows) == min(actions, data.ACTION_ROWS)
        assert sum(len(t.x) for t in timeline.data) == len(rows)
        if actions > data.ACTION_ROWS:
            assert message.startswith(f"Showing the {data.ACTION_ROWS} latest of {actions:,}")

        monkeypatch.setattr(data, "DOWNLOAD_ROWS", 100)  # a cap the selection exceeds
        for name in data.DATASETS:
            rows, _, message = pages["data"].update_preview(name, codes, years)
            assert len(rows) <= data.PREVIEW_ROWS, name
            download = pages["data"].download(1, name, codes, years)
            assert len(download["content"].splitlines()) <= 1 + 100, name
        # The last dataset, actions: more rows than the (patched) cap, the preview says so.
        assert ("The CSV holds the first 100." in message) == (actions > 100)
    data.clear_cache()


SHARED_VIEWS = {
    "compare": "?j=US,EU&metric=breaches&mode=per_million&from=2012&to=2020&level=region&money=constant",
    "breaches": "?j=GB&from=2015&to=2024&scale=linear&alleged=1",
    "fines": "?j=US,GB&from=2018&to=2025&currency=EUR&history=0&money=nominal",
    "actions": "?j=US&types=law,ban&from=2001&to=2010",
    "data": "?dataset=penalties&j=GB,FR&from=2010&to=2026",
}


@pytest.mark.parametrize("name", list(SHARED_VIEWS))
def test_a_page_opened_from_its_url_writes_the_same_url(pages, name: str) -> None:
    """Each page's filters, set from a shared URL by its layout, sync back to that URL
    (the page spec builds the controls, the callbacks' inputs and the sync alike)."""
    page = pages[name]
    view = SHARED_VIEWS[name]
    layout = page.layout(**dict(parse_qsl(view.lstrip("?"))))
    controls = [layout[f"{name}-{f.thing}"].value for f in page.FILTERS.filters]
    synced = page.sync_url(*controls)
    query = synced if isinstance(synced, str) else synced[0]
    assert query == view
    assert parse_query(query, page.SPEC) == parse_query(view, page.SPEC)


def test_a_fresh_server_worker_serves_dash_scripts_before_any_page(
    warehouse_path: Path, tmp_path: Path
) -> None:
    """Each gunicorn worker builds its own app, and a browser asks for the page's scripts
    at once. Dash sets an app up on its first request and only then knows the scripts it
    may serve; requests arriving on other threads meanwhile were refused with 500 (React,
    the renderer) and the page never drew. A worker is set up when it loads."""
    from breach_warehouse.commands.serve import _server

    served = tmp_path / "served.duckdb"
    shutil.copy(warehouse_path, served)
    index = create_app(served).server.test_client().get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', index)
    assert scripts, index[:500]
    worker = _server(served, {"workers": 1}, debug=False).load()  # what gunicorn calls
    start = threading.Barrier(len(scripts))
    status: dict[str, int] = {}

    def fetch(url: str) -> None:
        client = worker.test_client()
        start.wait()
        status[url] = client.get(url).status_code

    threads = [threading.Thread(target=fetch, args=(url,)) for url in scripts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert status == dict.fromkeys(scripts, 200)
