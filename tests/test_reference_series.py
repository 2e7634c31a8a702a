"""The population and CPI-U seeds: what the script regenerates from the published files in
../shared/data/reference equals what is committed, the published figures are there, and a
file that cannot be read as expected fails with file, row and column named."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from breach_warehouse import reference_series as rs
from groundwork.paths import SEEDS_DIR
from groundwork.provenance import sha256_file

SOURCE_DIR = Path(os.environ.get("BW_REFERENCE_DATA", rs.DEFAULT_SOURCE_DIR))
GENERATED = ("population_by_year.csv", "cpi_u_annual.csv", rs.PROVENANCE_FILE)


@pytest.fixture(scope="module")
def source_dir() -> Path:
    """The published files sit in ../shared/data/reference beside the repo; CI must have them."""
    if not SOURCE_DIR.is_dir():
        message = f"published reference files not found at {SOURCE_DIR}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SOURCE_DIR


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    """A seeds folder holding only the jurisdictions seed the script maps codes with."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEEDS_DIR / "jurisdictions.csv", folder)
    return folder


def seed_rows(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_committed_seeds_equal_what_the_script_regenerates(
    source_dir: Path, seeds_copy: Path
) -> None:
    rs.write_series(source_dir, seeds_copy)
    for name in GENERATED:
        assert (seeds_copy / name).read_bytes() == (SEEDS_DIR / name).read_bytes(), name


def test_provenance_names_each_file_with_its_checksum_and_license(source_dir: Path) -> None:
    record = json.loads((SEEDS_DIR / rs.PROVENANCE_FILE).read_text())
    sources = {row["source_id"] for row in seed_rows("sources.csv")}
    assert [i["source_id"] for i in record["inputs"]] == [s.source_id for s in rs.SERIES]
    for item in record["inputs"]:
        path = source_dir / item["file"].removeprefix("reference/")
        assert item["sha256"] == sha256_file(path) and item["bytes"] == path.stat().st_size
        assert item["license"] and item["release"] and item["source_id"] in sources
    assert "WLD" in record["world_bank_codes_left_out"]["aggregates"]
    assert "TW" in record["countries_without_a_yearly_series"]


def population(code: str, year: int) -> int:
    rows = [
        r
        for r in seed_rows("population_by_year.csv")
        if r["jurisdiction_code"] == code and int(r["year"]) == year
    ]
    assert len(rows) == 1, (code, year, rows)
    return int(rows[0]["population"])


def test_published_figures_are_in_the_seeds() -> None:
    """Figures as SOURCES.md of the data folder states them, computed independently."""
    assert population("US", 2020) == 331_577_720
    assert population("CN", 2020) == 1_411_100_000
    rows = seed_rows("population_by_year.csv")
    states_and_dc = [r for r in rows if r["jurisdiction_code"].startswith("US-")]
    states_and_dc = [r for r in states_and_dc if r["jurisdiction_code"] != "US-PR"]

    def total(year: int) -> int:
        return sum(int(r["population"]) for r in states_and_dc if int(r["year"]) == year)

    assert total(2024) == 340_110_988 == population("US", 2024)
    assert round(total(2000) / 1e6, 2) == 282.16
    assert round(total(2010) / 1e6, 2) == 309.32
    assert {r["source_id"] for r in states_and_dc if int(r["year"]) >= 2020} == {
        rs.CENSUS_V2024.source_id
    }
    assert {r["source_id"] for r in states_and_dc if int(r["year"]) < 2020} == {
        rs.CENSUS_EARLIER.source_id
    }
    assert not [r for r in rows if r["jurisdiction_code"] in ("WLD", "EU", "WORLD")]
    cpi = {int(r["year"]): r for r in seed_rows("cpi_u_annual.csv")}
    assert cpi[2020]["cpi_u"] == "258.811" and cpi[2020]["cpi_basis"] == "annual_average"
    assert (cpi[2025]["months"], cpi[2025]["cpi_basis"]) == ("11", "incomplete_year_average")
    assert (cpi[2026]["months"], cpi[2026]["cpi_basis"]) == ("5", "year_to_date_average")


# --- bad input ----------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def jurisdictions() -> object:
    return rs._jurisdictions(SEEDS_DIR)


def test_unknown_world_bank_code_names_file_row_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "population.csv",
        "Country Name,Country Code,Year,Value\nWorld,WLD,2020,1\nAtlantis,ATL,2020,5\n",
    )
    with pytest.raises(rs.ReferenceInputError) as caught:
        rs.world_bank_population(path, jurisdictions())
    message = str(caught.value)
    assert str(path) in message and "row 2 (line 3)" in message and "Country Code" in message
    assert "'ATL'" in message and "\n" not in message


def test_world_bank_drops_aggregates_and_keeps_blank_values_as_gaps(tmp_path: Path) -> None:
    path = write(
        tmp_path / "population.csv",
        "Country Name,Country Code,Year,Value\n"
        "World,WLD,2020,7800000000\nKosovo,XKX,2020,1790000\n"
        "France,FRA,1999,60000000\nFrance,FRA,2020,67571107\nFrance,FRA,2021,\n",
    )
    frame = rs.world_bank_population(path, jurisdictions())
    assert frame.rows() == [("FR", 2020, 67_571_107, rs.WORLD_BANK.source_id)]


def test_unreadable_number_names_file_row_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "population.csv",
        "Country Name,Country Code,Year,Value\nFrance,FRA,2020,67.5 million\n",
    )
    with pytest.raises(rs.ReferenceInputError, match=r"row 1 \(line 2\), column Value"):
        rs.world_bank_population(path, jurisdictions())


def test_missing_column_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "cpiai.csv", "Date,Value\n2020-01-01,257.971\n")
    with pytest.raises(rs.ReferenceInputError, match=r"header, column Index: missing column"):
        rs.build_cpi_u(path)


def test_census_states_must_add_up_to_the_united_states(source_dir: Path, tmp_path: Path) -> None:
    original = (source_dir / rs.CENSUS_V2024.file).read_text(encoding="utf-8")
    lines = original.splitlines()
    at = next(i for i, line in enumerate(lines) if ",Illinois," in line)
    lines[at] = lines[at].replace(",12799088,", ",12799089,", 1)
    path = write(tmp_path / "NST-EST2024-ALLDATA.csv", "\n".join(lines) + "\n")
    with pytest.raises(rs.ReferenceInputError, match=r"POPESTIMATE2020: states and DC sum to"):
        rs.census_v2024_population(path, jurisdictions())


def test_cpi_averages_round_half_up_and_say_how_many_months(tmp_path: Path) -> None:
    months = [f"2023-{m:02d}-01,{100 + (0.0005 if m == 1 else 0) * 12:.3f}," for m in range(1, 13)]
    body = "\n".join(
        [
            "Date,Index,Inflation",
            *months,
            *(f"2024-{m:02d}-01,200," for m in range(1, 13) if m != 10),
            "2025-01-01,300,",
            "2025-02-01,301,",
        ]
    )
    frame = rs.build_cpi_u(write(tmp_path / "cpiai.csv", body + "\n"))
    by_year = {row["year"]: row for row in frame.iter_rows(named=True)}
    # 2023: eleven months of 100 and one of 100.006: mean 100.0005, half up to 100.001.
    assert by_year[2023]["cpi_u"] == "100.001" and by_year[2023]["cpi_basis"] == "annual_average"
    assert (by_year[2024]["months"], by_year[2024]["cpi_basis"]) == (11, "incomplete_year_average")
    assert (by_year[2025]["cpi_u"], by_year[2025]["cpi_basis"]) == (
        "300.500",
        "year_to_date_average",
    )


def test_a_file_that_is_not_utf8_csv_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cpiai.csv"
    path.write_bytes(b"Date,Index\n2020-01-01,\xff\xfe1\n")
    with pytest.raises(rs.ReferenceInputError, match=r"cpiai\.csv: not a readable UTF-8 CSV"):
        rs.build_cpi_u(path)


def test_cpi_month_given_twice_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "cpiai.csv", "Date,Index\n2020-01-01,1\n2020-01-01,2\n")
    with pytest.raises(rs.ReferenceInputError, match=r"row 1 \(line 2\), column Date: month given"):
        rs.build_cpi_u(path)
