"""Tests for the ECB FX parser and the committed reference seeds."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import polars as pl
import pytest

from ingest.ecb_fx import annual_averages, read_ecb_history

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"

# The ECB's published layout: trailing comma, N/A for gaps, newest day first.
ECB_FIXTURE = """Date,USD,JPY,GBP,
2025-03-03,1.25,N/A,0.8,
2025-01-02,1.0,160,0.75,
2024-12-31,1.1,150,0.85,
2024-12-30,1.2,140,0.9,
"""


@pytest.fixture
def ecb_csv(tmp_path: Path) -> Path:
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(ECB_FIXTURE)
    return path


def _row(frame: pl.DataFrame, currency: str, year: int) -> dict:
    rows = frame.filter((pl.col("currency") == currency) & (pl.col("year") == year))
    assert rows.height == 1, (currency, year)
    return rows.row(0, named=True)


def test_read_ecb_history_long_format(ecb_csv: Path) -> None:
    daily = read_ecb_history(ecb_csv)
    assert daily.schema == pl.Schema({"date": pl.Date, "currency": pl.Utf8, "per_eur": pl.Float64})
    assert daily.height == 11  # 4 days x 3 currencies, minus one N/A
    assert set(daily.get_column("currency")) == {"USD", "JPY", "GBP"}
    jpy = daily.filter(pl.col("currency") == "JPY")
    assert dt.date(2025, 3, 3) not in jpy.get_column("date").to_list()
    gbp = daily.filter((pl.col("currency") == "GBP") & (pl.col("date") == dt.date(2024, 12, 30)))
    assert gbp.get_column("per_eur").to_list() == [0.9]


def test_read_ecb_history_accepts_zip(ecb_csv: Path, tmp_path: Path) -> None:
    archive = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(ecb_csv, "eurofxref-hist.csv")
    assert read_ecb_history(archive).equals(read_ecb_history(ecb_csv))


def test_read_ecb_history_rejects_missing_date_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Day,USD,\n2024-01-02,1.1,\n")
    with pytest.raises(ValueError, match=r"bad\.csv.*Date"):
        read_ecb_history(path)


def test_annual_averages_hand_computed(ecb_csv: Path) -> None:
    annual = annual_averages(read_ecb_history(ecb_csv), 2024, 2025)
    assert annual.columns == [
        "currency", "year", "rate_to_usd", "rate_to_eur", "observations", "rate_basis",
    ]  # fmt: skip
    assert annual.height == 8  # EUR, GBP, JPY, USD x 2024, 2025

    gbp_2024 = _row(annual, "GBP", 2024)
    assert gbp_2024["rate_to_usd"] == pytest.approx(1.3137255, rel=1e-7)  # (1.1/.85+1.2/.9)/2
    assert gbp_2024["rate_to_eur"] == pytest.approx(1.1437908, rel=1e-7)  # (1/.85+1/.9)/2
    assert gbp_2024["observations"] == 2
    assert gbp_2024["rate_basis"] == "annual_average"

    gbp_2025 = _row(annual, "GBP", 2025)
    assert gbp_2025["rate_to_usd"] == pytest.approx(1.4479167, rel=1e-7)  # (1.25/.8+1/.75)/2
    assert gbp_2025["rate_to_eur"] == pytest.approx(1.2916667, rel=1e-7)  # (1/.8+1/.75)/2
    assert gbp_2025["rate_basis"] == "year_to_date_average"  # data end 3 March

    jpy_2024 = _row(annual, "JPY", 2024)
    assert jpy_2024["rate_to_usd"] == pytest.approx(0.0079523810, rel=1e-7)  # (1.1/150+1.2/140)/2
    assert jpy_2024["rate_to_eur"] == pytest.approx(0.0069047619, rel=1e-7)  # (1/150+1/140)/2
    jpy_2025 = _row(annual, "JPY", 2025)
    assert jpy_2025["observations"] == 1  # N/A on 3 March dropped
    assert jpy_2025["rate_to_usd"] == pytest.approx(0.00625, rel=1e-7)  # 1.0/160

    usd_2024 = _row(annual, "USD", 2024)
    assert usd_2024["rate_to_usd"] == 1
    assert usd_2024["rate_to_eur"] == pytest.approx(0.87121212, rel=1e-7)  # (1/1.1+1/1.2)/2

    eur_2025 = _row(annual, "EUR", 2025)
    assert eur_2025["rate_to_eur"] == 1
    assert eur_2025["rate_to_usd"] == pytest.approx(1.125, rel=1e-7)  # (1.25+1.0)/2
    assert eur_2025["observations"] == 2


def test_annual_averages_drops_incomplete_currencies(ecb_csv: Path) -> None:
    daily = read_ecb_history(ecb_csv).filter(
        ~((pl.col("currency") == "JPY") & (pl.col("date").dt.year() == 2025))
    )
    annual = annual_averages(daily, 2024, 2025)
    assert set(annual.get_column("currency")) == {"EUR", "GBP", "USD"}


def test_annual_averages_full_year_is_annual(ecb_csv: Path) -> None:
    daily = read_ecb_history(ecb_csv).filter(pl.col("date").dt.year() == 2024)
    annual = annual_averages(daily, 2024, 2024)
    assert set(annual.get_column("rate_basis")) == {"annual_average"}


# --- committed seeds ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def jurisdictions() -> pl.DataFrame:
    return pl.read_csv(
        SEEDS_DIR / "jurisdictions.csv",
        schema_overrides={"iso_numeric": pl.Utf8, "population": pl.Int64},
    )


def test_jurisdictions_has_expected_codes(jurisdictions: pl.DataFrame) -> None:
    codes = set(jurisdictions.get_column("jurisdiction_code"))
    expected = {"US", "CN", "GB", "US-IL", "CN-ZJ", "EU", "WORLD"}
    expected |= {f"R-{r}" for r in ("AFRICA", "AMERICAS", "ASIA", "EUROPE", "OCEANIA")}
    assert expected <= codes


def test_jurisdiction_codes_unique_and_parents_exist(jurisdictions: pl.DataFrame) -> None:
    codes = jurisdictions.get_column("jurisdiction_code")
    assert codes.n_unique() == jurisdictions.height
    parents = set(jurisdictions.get_column("parent_code").drop_nulls())
    assert parents <= set(codes)


def test_region_population_is_sum_of_countries(jurisdictions: pl.DataFrame) -> None:
    countries = jurisdictions.filter(pl.col("jurisdiction_level") == "country")
    regions = jurisdictions.filter(pl.col("jurisdiction_level") == "region")
    for region in regions.iter_rows(named=True):
        members = countries.filter(pl.col("parent_code") == region["jurisdiction_code"])
        assert members.height > 0
        known = members.get_column("population").drop_nulls()
        expected = int(known.sum()) if known.len() else None
        assert region["population"] == expected, region["jurisdiction_code"]


def test_fx_rates_cover_2000_to_2026() -> None:
    fx = pl.read_csv(SEEDS_DIR / "fx_rates.csv")
    for currency in ("USD", "EUR", "GBP"):
        years = set(fx.filter(pl.col("currency") == currency).get_column("year"))
        assert years == set(range(2000, 2027)), currency
    gbp_2025 = fx.filter((pl.col("currency") == "GBP") & (pl.col("year") == 2025))
    assert gbp_2025.get_column("rate_to_usd").item() == pytest.approx(1.3, abs=0.1)
