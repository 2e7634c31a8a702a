"""Generate the yearly reference series: population by jurisdiction and year, and CPI-U.

Run ``python -m breach_warehouse.reference_series [--source-dir DIR]`` to rewrite
``seeds/population_by_year.csv``, ``seeds/cpi_u_annual.csv`` and their provenance,
``seeds/reference_series_provenance.json``, deterministically from the files as published
(default: ``../shared/data/reference`` beside the repository; its SOURCES.md):

- World Bank SP.POP.TOTL (``population_world_bank/population.csv``): countries, from
  POPULATION_FIRST_YEAR. The World Bank's aggregates (WLD, EUU, income groups, ...) are
  not jurisdictions and are left out, as are the two economies without an ISO 3166-1 code
  (Kosovo, the Channel Islands); any other code the jurisdictions seed does not know is an
  error.
- US states, DC and Puerto Rico: the Census Bureau's vintage 2024 estimates
  (``NST-EST2024-ALLDATA.csv``) from 2020, the Census estimates compiled by khnews
  (``state_population_1970-2022_khnews.csv``) before 2020 (its 2020-2022 rows are an older
  vintage). The 50 states and DC must add up to the file's United States row.
- BLS CPI-U, all items, monthly (``cpi_us/cpiai.csv``): the average of each year's
  published months, rounded to three decimals as BLS publishes annual averages.

Only published figures land in the seeds; what dbt derives from them (a year carried
forward, static figures, sums over members) is in models/marts/core/dim_jurisdiction_populations.sql.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from groundwork.paths import PROJECT_DIR, SEEDS_DIR
from groundwork.provenance import sha256_file

DEFAULT_SOURCE_DIR = PROJECT_DIR.parent / "shared" / "data" / "reference"
PROVENANCE_FILE = "reference_series_provenance.json"
POPULATION_FIRST_YEAR = 2000
CENSUS_V2024_FIRST_YEAR = 2020
CENSUS_V2024_YEARS = range(CENSUS_V2024_FIRST_YEAR, 2025)


@dataclass(frozen=True)
class Series:
    """One published file and what the warehouse records about it (seeds/sources.csv)."""

    source_id: str
    file: str  # relative to the source folder
    publisher: str
    release: str
    license: str
    url: str


WORLD_BANK = Series(
    "ref_world_bank_population",
    "population_world_bank/population.csv",
    "World Bank (World Development Indicators SP.POP.TOTL), via datasets/population",
    "datasets/population as of 2026-03: 1960-2024",
    "World Bank data CC BY 4.0; the repackaging ODC-PDDL-1.0",
    "https://data.worldbank.org/indicator/SP.POP.TOTL",
)
CENSUS_V2024 = Series(
    "ref_us_census_nst_est2024",
    "population_us_states/NST-EST2024-ALLDATA.csv",
    "U.S. Census Bureau, Population Estimates Program",
    "Vintage 2024 (NST-EST2024-ALLDATA): 1 July 2020-2024",
    "Public domain (US federal government work)",
    "https://www.census.gov/data/tables/time-series/demo/popest/2020s-state-total.html",
)
CENSUS_EARLIER = Series(
    "ref_census_state_estimates_khnews",
    "population_us_states/state_population_1970-2022_khnews.csv",
    "U.S. Census Bureau estimates compiled by khnews/reference-data",
    "1970-2022 compilation (intercensal estimates); used for 2000-2019",
    "Public domain (Census Bureau figures)",
    "https://github.com/khnews/reference-data",
)
CPI_U = Series(
    "ref_bls_cpi_u",
    "cpi_us/cpiai.csv",
    "U.S. Bureau of Labor Statistics (CPI-U CUUR0000SA0), via datasets/cpi-us",
    "monthly 1913-01 to 2026-05",
    "Public domain (BLS); the repackaging ODC-PDDL-1.0",
    "https://www.bls.gov/cpi/",
)
SERIES: tuple[Series, ...] = (WORLD_BANK, CENSUS_V2024, CENSUS_EARLIER, CPI_U)

# World Bank codes that are not economies: regions, income and lending groups, and the like.
WORLD_BANK_AGGREGATES = frozenset({
    "AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU",
    "FCS", "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "LAC", "LCN", "LDC", "LIC",
    "LMC", "LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST",
    "SAS", "SSA", "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD",
})  # fmt: skip
# Economies the World Bank lists that have no ISO 3166-1 code, hence no jurisdiction here.
WORLD_BANK_WITHOUT_ISO_CODE = {"CHI": "Channel Islands", "XKX": "Kosovo"}

POPULATION_SCHEMA = {
    "jurisdiction_code": pl.String,
    "year": pl.Int32,
    "population": pl.Int64,
    "source_id": pl.String,
}


class ReferenceInputError(ValueError):
    """A published file that cannot be read as expected; the message names file, row, column."""


def _fail(path: Path, row: int, column: str, reason: str, value: object = None) -> None:
    where = f"row {row} (line {row + 1})" if row else "header"
    shown = "" if value is None else f" (value {value!r})"
    raise ReferenceInputError(f"{path}, {where}, column {column}: {reason}{shown}")


def read_table(path: Path, columns: tuple[str, ...]) -> pl.DataFrame:
    """The file as strings with its data row number (``row``, 1-based); the columns must exist."""
    if not path.is_file():
        raise ReferenceInputError(f"{path}: file not found (see SOURCES.md of the data folder)")
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except pl.exceptions.PolarsError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReferenceInputError(f"{path}: not a readable UTF-8 CSV ({first_line})") from None
    for column in columns:
        if column not in frame.columns:
            _fail(path, 0, column, f"missing column (found {', '.join(frame.columns)})")
    return frame.select(columns).with_row_index("row", offset=1)


def integers(frame: pl.DataFrame, column: str, path: Path, *, optional: bool = False) -> pl.Series:
    """A column as whole, non-negative numbers; blank is null where ``optional``."""
    text = frame.get_column(column).str.strip_chars()
    parsed = text.cast(pl.Int64, strict=False)
    wrong = parsed.is_null() | (parsed < 0).fill_null(False)
    if optional:
        wrong = wrong & ~(text.is_null() | (text == "")).fill_null(True)
    bad = frame.filter(wrong)
    if bad.height:
        first = bad.row(0, named=True)
        _fail(path, first["row"], column, "not a whole non-negative number", first[column])
    return parsed


def _jurisdictions(seeds_dir: Path) -> pl.DataFrame:
    return pl.read_csv(seeds_dir / "jurisdictions.csv", infer_schema=False)


# --- population ---------------------------------------------------------------------------


def world_bank_population(path: Path, jurisdictions: pl.DataFrame) -> pl.DataFrame:
    """Countries' populations from POPULATION_FIRST_YEAR (blank values are gaps, no row)."""
    frame = read_table(path, ("Country Code", "Year", "Value"))
    frame = frame.with_columns(
        year=integers(frame, "Year", path), population=integers(frame, "Value", path, optional=True)
    )
    countries = jurisdictions.filter(pl.col("jurisdiction_level") == "country")
    by_alpha3 = dict(zip(countries["iso_alpha3"], countries["jurisdiction_code"], strict=True))
    left_out = WORLD_BANK_AGGREGATES | set(WORLD_BANK_WITHOUT_ISO_CODE)
    unknown = frame.filter(~pl.col("Country Code").is_in([*by_alpha3, *left_out]))
    if unknown.height:
        first = unknown.row(0, named=True)
        _fail(
            path,
            first["row"],
            "Country Code",
            "neither an ISO 3166-1 alpha-3 code in seeds/jurisdictions.csv nor a known "
            "World Bank aggregate",
            first["Country Code"],
        )
    return (
        frame.filter(
            pl.col("Country Code").is_in(list(by_alpha3))
            & (pl.col("year") >= POPULATION_FIRST_YEAR)
            & pl.col("population").is_not_null()
        )
        .select(
            pl.col("Country Code").replace_strict(by_alpha3).alias("jurisdiction_code"),
            "year",
            "population",
            pl.lit(WORLD_BANK.source_id).alias("source_id"),
        )
        .cast(POPULATION_SCHEMA)
    )


def _us_subdivisions(jurisdictions: pl.DataFrame) -> pl.DataFrame:
    return jurisdictions.filter(
        (pl.col("jurisdiction_level") == "subdivision") & (pl.col("parent_code") == "US")
    )


def census_v2024_population(path: Path, jurisdictions: pl.DataFrame) -> pl.DataFrame:
    """States, DC and Puerto Rico, 2020-2024; the states and DC must sum to the US row."""
    estimates = tuple(f"POPESTIMATE{year}" for year in CENSUS_V2024_YEARS)
    frame = read_table(path, ("SUMLEV", "NAME", *estimates))
    frame = frame.with_columns(integers(frame, column, path) for column in estimates)
    states = frame.filter(pl.col("SUMLEV") == "040")
    by_name = dict(
        zip(
            _us_subdivisions(jurisdictions)["jurisdiction_name"],
            _us_subdivisions(jurisdictions)["jurisdiction_code"],
            strict=True,
        )
    )
    unknown = states.filter(~pl.col("NAME").is_in(list(by_name)))
    if unknown.height:
        first = unknown.row(0, named=True)
        _fail(path, first["row"], "NAME", "not a US subdivision of seeds/jurisdictions.csv",
              first["NAME"])  # fmt: skip
    nation = frame.filter(pl.col("SUMLEV") == "010")
    if nation.height != 1:
        _fail(path, 0, "SUMLEV", f"expected one United States row (010), found {nation.height}")
    states_and_dc = states.filter(pl.col("NAME") != "Puerto Rico")
    if states_and_dc.height != 51:
        _fail(path, 0, "NAME", f"expected the 50 states and DC, found {states_and_dc.height}")
    for column in estimates:
        total, us = int(states_and_dc[column].sum()), int(nation[column][0])
        if total != us:
            _fail(path, nation["row"][0], column, f"states and DC sum to {total:,}", us)
    long = states.unpivot(index=["NAME"], on=list(estimates), variable_name="estimate")
    return long.select(
        pl.col("NAME").replace_strict(by_name).alias("jurisdiction_code"),
        pl.col("estimate").str.strip_prefix("POPESTIMATE").cast(pl.Int32).alias("year"),
        pl.col("value").alias("population"),
        pl.lit(CENSUS_V2024.source_id).alias("source_id"),
    ).cast(POPULATION_SCHEMA)


def census_earlier_population(path: Path, jurisdictions: pl.DataFrame) -> pl.DataFrame:
    """States, DC and Puerto Rico from POPULATION_FIRST_YEAR to 2019."""
    frame = read_table(path, ("year", "state_code", "population"))
    frame = frame.with_columns(
        year=integers(frame, "year", path), population=integers(frame, "population", path)
    )
    codes = set(_us_subdivisions(jurisdictions)["jurisdiction_code"])
    unknown = frame.filter(~("US-" + pl.col("state_code")).is_in(list(codes)))
    if unknown.height:
        first = unknown.row(0, named=True)
        _fail(path, first["row"], "state_code", "not a US subdivision of seeds/jurisdictions.csv",
              first["state_code"])  # fmt: skip
    return (
        frame.filter(pl.col("year").is_between(POPULATION_FIRST_YEAR, CENSUS_V2024_FIRST_YEAR - 1))
        .select(
            ("US-" + pl.col("state_code")).alias("jurisdiction_code"),
            "year",
            "population",
            pl.lit(CENSUS_EARLIER.source_id).alias("source_id"),
        )
        .cast(POPULATION_SCHEMA)
    )


def build_population(source_dir: Path, seeds_dir: Path = SEEDS_DIR) -> pl.DataFrame:
    """Every published population figure: one row per jurisdiction and year."""
    jurisdictions = _jurisdictions(seeds_dir)
    frame = pl.concat(
        [
            world_bank_population(source_dir / WORLD_BANK.file, jurisdictions),
            census_v2024_population(source_dir / CENSUS_V2024.file, jurisdictions),
            census_earlier_population(source_dir / CENSUS_EARLIER.file, jurisdictions),
        ]
    ).sort("jurisdiction_code", "year")
    twice = frame.filter(pl.struct("jurisdiction_code", "year").is_duplicated())
    if twice.height:
        raise ReferenceInputError(f"population given twice: {twice.head(3).to_dicts()}")
    return frame


# --- CPI-U --------------------------------------------------------------------------------


def _average(values: list[str]) -> Decimal:
    """The mean of published index values, rounded half up to three decimals (as BLS)."""
    total = sum((Decimal(v) for v in values), Decimal(0))
    return (total / len(values)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def build_cpi_u(path: Path) -> pl.DataFrame:
    """CPI-U annual averages: annual_average over 12 months, year_to_date_average for the
    last year of the file when it is not complete, incomplete_year_average for a year
    missing a month BLS did not publish (October 2025)."""
    frame = read_table(path, ("Date", "Index"))
    dates = frame.get_column("Date").str.to_date("%Y-%m-%d", strict=False)
    index = frame.get_column("Index").cast(pl.Float64, strict=False)
    for column, wrong, reason in (
        ("Date", dates.is_null(), "not a YYYY-MM-DD date"),
        ("Index", index.is_null() | (index <= 0).fill_null(False), "not a positive number"),
    ):
        bad = frame.filter(wrong)
        if bad.height:
            first = bad.row(0, named=True)
            _fail(path, first["row"], column, reason, first[column])
    frame = frame.with_columns(date=dates)
    twice = frame.filter(pl.col("date").dt.truncate("1mo").is_duplicated())
    if twice.height:
        first = twice.row(0, named=True)
        _fail(path, first["row"], "Date", "month given twice", first["Date"])
    months = frame.group_by(year=pl.col("date").dt.year()).agg(
        pl.col("Index"), pl.col("date").dt.month().alias("months")
    )
    last_year = int(months["year"].max())
    rows = []
    for year, values, month_numbers in months.sort("year").iter_rows():
        if len(values) == 12:
            basis = "annual_average"
        elif year == last_year and sorted(month_numbers) == list(range(1, len(values) + 1)):
            basis = "year_to_date_average"
        else:
            basis = "incomplete_year_average"
        rows.append(
            {
                "year": year,
                "cpi_u": str(_average(values)),
                "months": len(values),
                "cpi_basis": basis,
                "source_id": CPI_U.source_id,
            }
        )
    schema = {"year": pl.Int32, "cpi_u": pl.String, "months": pl.Int32, "cpi_basis": pl.String,
              "source_id": pl.String}  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


# --- provenance and output ----------------------------------------------------------------


def provenance(source_dir: Path, seeds: dict[str, pl.DataFrame], seeds_dir: Path) -> dict:
    """What the seeds were built from: each input's checksum, size, release and license,
    the rows of each seed, and what was left out on purpose."""
    jurisdictions = _jurisdictions(seeds_dir)
    population = seeds["population_by_year"]
    with_series = set(population["jurisdiction_code"])
    countries = jurisdictions.filter(pl.col("jurisdiction_level") == "country")
    inputs = []
    for series in SERIES:
        path = source_dir / series.file
        inputs.append(
            {
                **asdict(series),
                "file": f"reference/{series.file}",
                "bytes": path.stat().st_size,
                "sha256": sha256_file(path),
            }
        )
    return {
        "generated_by": "python -m breach_warehouse.reference_series",
        "population_first_year": POPULATION_FIRST_YEAR,
        "inputs": inputs,
        "seeds": {f"{name}.csv": {"rows": frame.height} for name, frame in seeds.items()},
        "world_bank_codes_left_out": {
            "aggregates": sorted(WORLD_BANK_AGGREGATES),
            "economies_without_an_iso_3166_1_code": WORLD_BANK_WITHOUT_ISO_CODE,
        },
        "countries_without_a_yearly_series": sorted(
            set(countries["jurisdiction_code"]) - with_series
        ),
    }


def write_series(source_dir: Path = DEFAULT_SOURCE_DIR, seeds_dir: Path = SEEDS_DIR) -> dict:
    """Rewrite the two seeds and the provenance file; returns the provenance."""
    seeds = {
        "population_by_year": build_population(source_dir, seeds_dir),
        "cpi_u_annual": build_cpi_u(source_dir / CPI_U.file),
    }
    for name, frame in seeds.items():
        frame.write_csv(seeds_dir / f"{name}.csv", null_value="")
    record = provenance(source_dir, seeds, seeds_dir)
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    (seeds_dir / PROVENANCE_FILE).write_text(text, encoding="utf-8")
    return record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE_DIR)
    args = parser.parse_args(argv)
    try:
        record = write_series(args.source_dir.resolve())
    except ReferenceInputError as exc:
        raise SystemExit(f"error: {exc}") from None
    for name, seed in record["seeds"].items():
        print(f"seeds/{name}: {seed['rows']} rows")


if __name__ == "__main__":
    main()
