"""Pure figure builders: a small frame in, the right traces and values out."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboards import components as ui
from dashboards import figures
from dashboards.colors import OKABE_ITO, jurisdiction_color
from dashboards.frames import period_values, series
from dashboards.metrics import METRIC_COLUMNS, metric
from dashboards.money import Money, money
from dashboards.population import population_note, wrap, year_spans
from dashboards.urlstate import Param, build_query, parse_query


def metrics_frame() -> pl.DataFrame:
    rows = []
    for code, name, iso3, values in [
        ("US", "United States", "USA", [1.0, 0.0, 2.0]),
        ("GB", "United Kingdom", "GBR", [0.0, 3.0, 0.0]),
    ]:
        cumulative = 0.0
        for year, value in zip((2019, 2020, 2021), values, strict=True):
            cumulative += value
            rows.append(
                {
                    "jurisdiction_code": code,
                    "jurisdiction_name": name,
                    "iso_alpha3": iso3,
                    "year": year,
                    "regulatory_actions": value,
                    "cumulative_regulatory_actions": cumulative,
                    "regulatory_actions_per_million": value / 10,
                }
            )
    return pl.DataFrame(rows)


def test_compare_line_one_trace_per_jurisdiction_with_values_and_units() -> None:
    chosen = metric("regulatory_actions", "total")
    fig = figures.compare_line(series(metrics_frame(), chosen), chosen)
    assert [t.name for t in fig.data] == ["United Kingdom", "United States"]
    us = next(t for t in fig.data if t.meta == "US")
    assert list(us.x) == [2019, 2020, 2021]
    assert list(us.y) == [1.0, 0.0, 2.0]
    assert us.text[2] == "2 actions" and us.text[0] == "1 action"
    assert us.line.color == jurisdiction_color("US")
    assert fig.layout.yaxis.title.text == "Actions"
    assert fig.layout.xaxis.title.text == "Year"
    assert "2019" in fig.layout.title.text and "Regulatory actions" in fig.layout.title.text


def test_compare_line_cumulative_and_per_million() -> None:
    cumulative = metric("regulatory_actions", "cumulative")
    fig = figures.compare_line(series(metrics_frame(), cumulative), cumulative)
    gb = next(t for t in fig.data if t.meta == "GB")
    assert list(gb.y) == [0.0, 3.0, 3.0]
    per_million = metric("regulatory_actions", "per_million")
    fig = figures.compare_line(series(metrics_frame(), per_million), per_million)
    assert fig.layout.yaxis.title.text == "Actions per million inhabitants"
    assert (
        next(t for t in fig.data if t.meta == "GB")
        .text[1]
        .endswith("actions per million inhabitants")
    )


def test_empty_or_all_zero_selection_says_so() -> None:
    chosen = metric("breaches", "total")
    empty = pl.DataFrame(
        schema={
            "jurisdiction_code": pl.String,
            "jurisdiction_name": pl.String,
            "year": pl.Int32,
            "value": pl.Float64,
        }
    )
    fig = figures.compare_line(empty, chosen)
    assert not fig.data and figures.message_of(fig) == figures.NO_DATA
    zeros = metrics_frame().with_columns(breaches=pl.lit(0.0))
    assert (
        figures.message_of(figures.compare_line(series(zeros, chosen), chosen)) == figures.NO_DATA
    )


def test_compare_bar_ranks_and_highlights_the_selection() -> None:
    chosen = metric("regulatory_actions", "total")
    period = period_values(metrics_frame(), chosen)
    fig = figures.compare_bar(period, chosen, (2019, 2021), "country", highlight=["US"])
    bar = fig.data[0]
    assert list(bar.y) == ["United Kingdom", "United States"]
    assert list(bar.x) == [3.0, 3.0]
    colors = dict(zip(bar.customdata, bar.marker.color, strict=True))
    assert colors["US"] == jurisdiction_color("US") and colors["GB"] == figures.NEUTRAL


def test_period_values_cumulative_takes_the_last_year() -> None:
    chosen = metric("regulatory_actions", "cumulative")
    period = period_values(metrics_frame().filter(pl.col("year") <= 2020), chosen)
    assert dict(zip(period["jurisdiction_code"], period["value"], strict=True)) == {
        "GB": 3.0,
        "US": 1.0,
    }


def test_compare_map_uses_iso_alpha3_and_skips_zeros() -> None:
    chosen = metric("regulatory_actions", "total")
    period = period_values(metrics_frame().filter(pl.col("year") == 2019), chosen)
    fig = figures.compare_map(period, chosen, (2019, 2019))
    trace = fig.data[0]
    assert trace.type == "choropleth"
    assert list(trace.locations) == ["USA"] and list(trace.z) == [1.0]
    assert trace.text[0] == "United States: 1 action"


def breaches_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "breach_id": ["a", "b"],
            "organization_name": ["Anthem", "23andMe"],
            "jurisdiction_code": ["US", "US"],
            "jurisdiction_name": ["United States", "United States"],
            "country_code": ["US", "US"],
            "breach_year": [2015, 2023],
            "records_exposed": [78_800_000, 6_900_000],
            "records_unit": ["records", "individuals"],
            "breach_type": ["hacking", "hacking"],
        }
    )


def test_breaches_largest_log_scale_and_units() -> None:
    fig = figures.breaches_largest(breaches_frame(), log_scale=True)
    assert fig.layout.xaxis.type == "log"
    assert list(fig.data[0].x) == [78_800_000, 6_900_000]
    assert fig.data[0].text[1] == "6,900,000 individuals"
    assert "log scale" in fig.layout.xaxis.title.text
    assert fig.layout.title.text == "Largest breaches by records exposed"
    assert figures.breaches_largest(breaches_frame(), log_scale=False).layout.xaxis.type != "log"


def test_listings_say_when_they_show_part_of_the_selection() -> None:
    fig = figures.breaches_largest(breaches_frame(), total=1_234_567)
    assert fig.layout.title.text.endswith(": the 2 largest of 1,234,567 breaches")
    assert figures.breaches_largest(breaches_frame(), total=2).layout.title.text == (
        "Largest breaches by records exposed"
    )
    assert (
        "the 2 largest of 40 decisions"
        in figures.fines_timeline(penalties_frame(), "USD", total=40).layout.title.text
    )
    assert ui.listing_message(25, 1_234_567, "breaches", "largest").startswith(
        "Showing the 25 largest of 1,234,567 breaches. "
    )
    assert "breach-warehouse extract" in ui.listing_message(25, 26, "breaches", "largest")
    assert ui.listing_message(3, 3, "breaches", "largest") == "All 3 breaches, largest first."
    assert ui.listing_message(0, 0, "breaches", "largest") == figures.NO_DATA


def breach_counts_frame() -> pl.DataFrame:
    """breaches per year and type as dashboards.data.breach_counts gives them."""
    return pl.DataFrame(
        {
            "breach_year": [2015, 2023, 2023],
            "breach_type": ["hacking", "hacking", "ransomware"],
            "is_counted": [True, True, True],
            "breaches": [1, 1, 0],
            "records_exposed": [78_800_000, 6_900_000, 0],
        }
    )


def test_breach_types_over_time_counts_per_year() -> None:
    fig = figures.breach_types_over_time(breach_counts_frame())
    assert [t.name for t in fig.data] == ["Hacking"]  # a type with no breaches is no trace
    assert dict(zip(fig.data[0].x, fig.data[0].y, strict=True)) == {2015: 1, 2023: 1}
    assert fig.data[0].marker.color == OKABE_ITO[0]
    assert fig.layout.yaxis.dtick == 1
    many = breach_counts_frame().with_columns(pl.col("breaches") * 50_000)
    assert figures.breach_types_over_time(many).layout.yaxis.dtick is None
    assert figures.message_of(figures.breach_types_over_time(breach_counts_frame().clear()))


def test_breaches_by_data_type_totals_per_type() -> None:
    totals = pl.DataFrame(
        {
            "data_type": ["ssn", "fingerprint", "email"],
            "records": [21_000_000, 5_600_000, 0],
            "breaches": [2, 1, 0],
        }
    )
    fig = figures.breaches_by_data_type(totals)
    [bars] = fig.data
    assert list(bars.y) == ["SSN", "Fingerprint"] and list(bars.x) == [21_000_000, 5_600_000]
    assert bars.text[0] == "21,000,000 records in 2 breaches"
    assert bars.text[1] == "5,600,000 records in 1 breach"
    assert figures.message_of(figures.breaches_by_data_type(totals.clear())) == figures.NO_DATA


def penalties_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "penalty_id": ["p1", "p2", "p3"],
            "supersedes_penalty_id": [None, "p1", None],
            "chain_id": ["p1", "p1", "p3"],
            "is_current": [False, True, True],
            "status": ["proposed", "final", "final"],
            "authority": ["ICO", "ICO", "HHS OCR"],
            "jurisdiction_code": ["GB", "GB", "US"],
            "country_code": ["GB", "GB", "US"],
            "organization_name": ["23andMe", "23andMe", "Anthem"],
            "announced_on": [date(2025, 3, 1), date(2025, 6, 17), date(2018, 10, 15)],
            "announced_label": ["2025-03", "2025-06-17", "2018-10-15"],
            "amount": [4_590_000.0, 2_310_000.0, 16_000_000.0],
            "currency": ["GBP", "GBP", "USD"],
            "amount_usd": [6_051_556.06, 3_045_554.36, 16_000_000.0],
            "amount_eur": [5_359_123.81, 2_697_075.38, 13_561_314.08],
            "amount_usd_constant": [5_896_405.79, 2_967_472.20, 19_987_590.95],
        }
    )


def test_fines_timeline_converted_amounts_and_original_in_hover() -> None:
    fig = figures.fines_timeline(penalties_frame(), "EUR")
    gb = next(t for t in fig.data if t.name == "GB")
    assert list(gb.y) == [5_359_123.81, 2_697_075.38]
    assert list(gb.marker.symbol) == ["circle-open", "circle"]
    assert "Original: 2,310,000.00 GBP" in gb.text[1]
    assert "Converted: 2,697,075.38 EUR" in gb.text[1]
    assert gb.marker.color == jurisdiction_color("GB")


def test_fines_by_authority_one_segment_per_jurisdiction() -> None:
    totals = pl.DataFrame(
        {
            "authority": ["HHS OCR", "ICO", "HHS OCR"],
            "color_code": ["US", "GB", "GB"],
            "decisions": [1, 1, 2],
            "total": [16_000_000.0, 3_045_554.36, 1_000.0],
        }
    )
    fig = figures.fines_by_authority(totals, "USD")
    segments = {(t.name, a): x for t in fig.data for a, x in zip(t.customdata, t.x, strict=True)}
    assert segments == {
        ("US", "HHS OCR"): 16_000_000.0,
        ("GB", "ICO"): 3_045_554.36,
        ("GB", "HHS OCR"): 1_000.0,
    }
    gb = next(t for t in fig.data if t.name == "GB")
    assert gb.text == ("3,045,554.36 USD (1 decision)", "1,000.00 USD (2 decisions)")
    assert fig.layout.title.text == "Current amounts by authority (in USD)"
    top = figures.fines_by_authority(totals, "USD", top=2)
    assert top.layout.title.text == "Current amounts of the 2 largest authorities (in USD)"
    assert figures.message_of(figures.fines_by_authority(totals.clear(), "EUR"))


def test_fines_history_one_line_per_amended_decision() -> None:
    fig = figures.fines_history(penalties_frame(), "USD")
    assert len(fig.data) == 1 and list(fig.data[0].y) == [6_051_556.06, 3_045_554.36]
    only_current = penalties_frame().filter(pl.col("is_current"))
    assert "No amended" in figures.message_of(figures.fines_history(only_current, "USD"))


def test_actions_timeline_traces_per_type_on_jurisdiction_rows() -> None:
    frame = pl.DataFrame(
        {
            "action_id": ["a", "b", "c"],
            "action_type": ["law", "statement", "law"],
            "title": ["Act", "Speech", "Other act"],
            "authority": ["Congress", "White House", "Parliament"],
            "jurisdiction_name": ["United States", "United States", "United Kingdom"],
            "action_on": [date(2018, 8, 13), date(2015, 9, 21), date(2023, 10, 26)],
            "action_label": ["2018-08-13", "2015-09-21", "2023-10-26"],
            "status": ["in_force", "completed", "in_force"],
            "targets": ["Huawei (target)", None, None],
        }
    )
    fig = figures.actions_timeline(frame)
    assert [t.name for t in fig.data] == ["Law", "Statement"]
    law = fig.data[0]
    assert list(law.y) == ["United States", "United Kingdom"]
    assert "Targets: Huawei (target)" in law.text[0]
    assert (
        law.marker.color != fig.data[1].marker.color
        or law.marker.symbol != fig.data[1].marker.symbol
    )
    assert figures.message_of(figures.actions_timeline(frame.clear())) == figures.NO_DATA


def population_frame() -> pl.DataFrame:
    rows = [
        ("US", "United States", 2023, 336, "published", 2023, "ref_world_bank_population"),
        ("US", "United States", 2024, 340, "published", 2024, "ref_world_bank_population"),
        ("US", "United States", 2025, 340, "carried_forward", 2024, "ref_world_bank_population"),
        ("US", "United States", 2026, None, "missing", None, None),
        ("US-IL", "Illinois", 2019, 12, "published", 2019, "ref_census_state_estimates_khnews"),
        ("US-IL", "Illinois", 2020, 12, "published", 2020, "ref_us_census_nst_est2024"),
        ("CN-ZJ", "Zhejiang", 2020, 64, "static", None, "ref_china_census_2020"),
        ("EU", "European Union", 2025, 450, "sum_of_members", 2024, "ref_world_bank_population"),
        ("TW", "Taiwan", 2024, None, "missing", None, None),
        ("TW", "Taiwan", 2025, None, "missing", None, None),
    ]
    columns = ["jurisdiction_code", "jurisdiction_name", "year", "population", "population_basis",
               "population_year", "population_source_id"]  # fmt: skip
    return pl.DataFrame(rows, schema=columns, orient="row")


def test_population_note_names_series_years_and_flags() -> None:
    note = population_note(population_frame())
    assert note == (
        "Per million inhabitants of each year: US states: earlier Census estimates 2019; "
        "US states: Census V2024 2020; World Bank SP.POP.TOTL 2023\u20132024; "
        "European Union: sum of the member countries of each year (World Bank SP.POP.TOTL); "
        "2025: the 2024 figure carried forward; "
        "one static figure for every year (2020 census): Zhejiang; "
        "no population, shown as gaps: 2026; Taiwan"
    )
    assert population_note(population_frame().clear()) == ""
    assert year_spans([2026, 2000, 2001, 2002, 2010]) == "2000\u20132002, 2010, 2026"
    assert wrap("a b c d", 3) == "a b<br>c d"


def test_per_million_period_value_is_a_gap_when_a_year_has_no_population() -> None:
    frame = metrics_frame().with_columns(
        pl.when((pl.col("jurisdiction_code") == "GB") & (pl.col("year") == 2021))
        .then(None)
        .otherwise(pl.col("regulatory_actions_per_million"))
        .alias("regulatory_actions_per_million")
    )
    per_million = metric("regulatory_actions", "per_million")
    period = dict(period_values(frame, per_million).select("jurisdiction_code", "value").rows())
    assert period == {"US": pytest.approx(0.3), "GB": None}
    line = figures.compare_line(series(frame, per_million), per_million, "Per million ...")
    gb = next(t for t in line.data if t.meta == "GB")
    assert list(gb.y) == [0.0, 0.3, None] and line.layout.title.subtitle.text == "Per million ..."
    gaps = period_values(frame.filter(pl.col("jurisdiction_code") == "GB"), per_million)
    bar = figures.compare_bar(gaps, per_million, (2019, 2021), "country")
    assert figures.message_of(bar) == figures.NO_POPULATION


def test_constant_dollar_metric_and_money_labels() -> None:
    constant = metric("penalties_usd", "per_million", "constant", 2024)
    assert constant.column == "penalties_usd_constant_per_million"
    assert constant.label == "Penalties in constant 2024 USD (CPI-U) per million inhabitants"
    assert metric("penalties_usd", "total", "constant", None).column == "penalties_usd"
    assert metric("penalties_eur", "total", "constant", 2024).column == "penalties_eur"
    assert money("USD", "constant", 2024) == Money("USD", True, 2024)
    assert money("EUR", "constant", 2024).column == "amount_eur"
    fig = figures.fines_timeline(penalties_frame(), money("USD", "constant", 2024))
    assert "constant 2024 USD" in fig.layout.title.text
    assert "In 2024 prices (CPI-U)" in fig.data[0].text[0]


def test_every_metric_column_is_known() -> None:
    assert "cumulative_penalties_usd" in METRIC_COLUMNS
    assert "records_exposed_per_million" in METRIC_COLUMNS
    assert metric("nope", "nope").column == "regulatory_actions"


@pytest.mark.parametrize(
    "query",
    [
        "?j=US,GB&metric=penalties_usd&flag=1&n=2015",
        "?j=US&j=GB&metric=penalties_usd&flag=yes&n=2015",
    ],
)
def test_url_query_round_trip(query: str) -> None:
    spec = (
        Param("j", "list", ("CN",)),
        Param("metric", "choice", "breaches", ("breaches", "penalties_usd")),
        Param("flag", "bool", False),
        Param("n", "int", 2010, minimum=2000, maximum=2026),
    )
    values = parse_query(query, spec)
    assert values == {"j": ["US", "GB"], "metric": "penalties_usd", "flag": True, "n": 2015}
    assert parse_query(build_query(values, spec), spec) == values
    assert parse_query("?metric=drop%20table&n=9999", spec) == {
        "j": ["CN"],
        "metric": "breaches",
        "flag": False,
        "n": 2026,
    }


def every_figure() -> dict[str, go.Figure]:
    """One figure of every builder, with data and empty."""
    chosen = metric("regulatory_actions", "total")
    per_million = metric("regulatory_actions", "per_million")
    period = period_values(metrics_frame(), chosen)
    actions = pl.DataFrame(
        {
            "action_id": ["a"],
            "action_type": ["law"],
            "title": ["Act"],
            "authority": ["Congress"],
            "jurisdiction_name": ["United States"],
            "action_on": [date(2018, 8, 13)],
            "action_label": ["2018-08-13"],
            "status": ["in_force"],
            "targets": [None],
        }
    )
    authorities = pl.DataFrame(
        {"authority": ["ICO"], "color_code": ["GB"], "decisions": [1], "total": [3.5]}
    )
    records = pl.DataFrame({"data_type": ["ssn"], "records": [5], "breaches": [1]})
    return {
        "compare_line": figures.compare_line(series(metrics_frame(), chosen), chosen),
        "compare_bar": figures.compare_bar(period, chosen, (2019, 2021), "country", ["US"]),
        "compare_map": figures.compare_map(period, chosen, (2019, 2021)),
        "breaches_largest": figures.breaches_largest(breaches_frame(), total=10),
        "breaches_largest_linear": figures.breaches_largest(breaches_frame(), log_scale=False),
        "breaches_by_data_type": figures.breaches_by_data_type(records),
        "breach_types_over_time": figures.breach_types_over_time(breach_counts_frame()),
        "fines_timeline": figures.fines_timeline(penalties_frame(), "EUR", total=9),
        "fines_by_authority": figures.fines_by_authority(authorities, "USD", top=15),
        "fines_history": figures.fines_history(penalties_frame(), "USD"),
        "fines_timeline_constant": figures.fines_timeline(
            penalties_frame(), money("USD", "constant", 2024), note="A note"
        ),
        "compare_line_per_million": figures.compare_line(
            series(metrics_frame(), per_million), per_million, wrap("Per million " * 20, 40)
        ),
        "empty_with_note": figures.empty_figure("Nothing", subtitle="A note"),
        "actions_timeline": figures.actions_timeline(actions, total=3),
        "empty": figures.empty_figure("Nothing"),
    }


@pytest.mark.parametrize("name", list(every_figure()))
def test_every_figure_is_valid_plotly(name: str) -> None:
    """Figures are built without plotly's per-property validation (it costs more than the
    rest of a callback): validating their JSON here catches a misspelt property."""
    fig = every_figure()[name]
    go.Figure(fig.to_plotly_json())  # raises ValueError on an invalid property
    assert fig.layout.title.text
    assert fig.layout.template.layout.paper_bgcolor == "white"  # plotly_white
