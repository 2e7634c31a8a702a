"""US HHS Office for Civil Rights breach portal ("Wall of Shame") CSV export.

The portal (https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf) exports the breaches
under investigation and the archive as CSV with these columns::

    Name of Covered Entity, State, Covered Entity Type, Individuals Affected,
    Breach Submission Date (MM/DD/YYYY), Type of Breach (comma-joined, e.g.
    "Hacking/IT Incident, Theft"), Location of Breached Information (comma-joined),
    Business Associate Present (Yes/No), Web Description

The export is a button on the page (a form post), so the default URL is the page itself;
download the CSV and pass ``--path``. Each row lands as a breach in the US subdivision of
its State (territories via seeds/map_jurisdictions.csv) with the individuals affected as
records exposed (unit ``individuals``) and one breach_records row of protected health
information. The source has no id of its own: a row's id is a hash of the entity name,
state and submission date, so a later export that revises the individuals affected
updates the same record.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingest.core import (
    Check,
    IngestFormatError,
    ParseContext,
    ParseResult,
    apply_checks,
    blank,
    check_columns,
    count_checks,
    date_checks,
    encoding_checks,
    hash_expr,
    map_str,
    parse_count,
    required,
)
from ingest.reference import normalize_org_name, resolve_subdivision

SOURCE_NAME = "hhs_ocr"
DEFAULT_URL = "https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf"
NAME = "Name of Covered Entity"
STATE = "State"
ENTITY_TYPE = "Covered Entity Type"
INDIVIDUALS = "Individuals Affected"
SUBMITTED = "Breach Submission Date"
BREACH_TYPE = "Type of Breach"
LOCATION = "Location of Breached Information"
BUSINESS_ASSOCIATE = "Business Associate Present"
DESCRIPTION = "Web Description"
COLUMNS = [
    NAME,
    STATE,
    ENTITY_TYPE,
    INDIVIDUALS,
    SUBMITTED,
    BREACH_TYPE,
    LOCATION,
    BUSINESS_ASSOCIATE,
    DESCRIPTION,
]
PHI = "Protected health information"


def _state_code(value: str) -> str | None:
    return resolve_subdivision(SOURCE_NAME, "US", value)


def _scan(path: Path) -> pl.LazyFrame:
    if path.suffix.lower() not in (".csv", ".txt"):
        raise IngestFormatError(f"{path.name}: expected the HHS OCR breach report CSV export")
    frame = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True)
    try:
        found = frame.collect_schema().names()
    except pl.exceptions.PolarsError as exc:
        raise IngestFormatError(f"{path.name}: not a readable CSV file: {exc}") from exc
    cleaned = {name: name.strip().lstrip("\ufeff").strip() for name in found}
    check_columns(path.name, list(cleaned.values()), COLUMNS, "HHS OCR breach report CSV")
    return frame.rename(cleaned).select(COLUMNS)


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    raw = _scan(path).with_row_index("__row", offset=1)
    submitted = pl.col(SUBMITTED).str.strip_chars().str.to_date("%m/%d/%Y", strict=False)
    individuals = parse_count(INDIVIDUALS)
    state = map_str(pl.col(STATE).str.strip_chars(), _state_code)
    checks: list[Check] = [
        *encoding_checks(COLUMNS),
        required(NAME),
        required(STATE),
        Check(
            STATE,
            pl.when(~blank(STATE) & state.is_null()).then(
                pl.lit("unknown jurisdiction code (not a US state or territory)")
            ),
        ),
        *count_checks(INDIVIDUALS, individuals),
        *date_checks(SUBMITTED, submitted, ctx.today, "MM/DD/YYYY"),
    ]
    good, quarantine = apply_checks(
        raw,
        checks,
        locator=pl.format("row {}", pl.col("__row")),
        raw_record=pl.struct(COLUMNS).struct.json_encode(),
    )
    name = pl.col(NAME).str.strip_chars()
    record_id = hash_expr(
        pl.concat_str(
            [name.str.to_lowercase(), pl.col(STATE).str.strip_chars(), submitted.cast(pl.String)],
            separator="|",
        ),
        length=20,
    )
    rows = good.with_columns(
        record_id.alias("source_record_id"),
        name.alias("organization_name"),
        map_str(name, normalize_org_name).alias("organization_key"),
        state.alias("jurisdiction_code"),
        individuals.alias("records_exposed"),
        submitted.alias("reported_on"),
    )
    breaches = rows.select(
        "source_record_id",
        "organization_name",
        "organization_key",
        "jurisdiction_code",
        pl.col(STATE).str.strip_chars().alias("location_raw"),
        pl.col(BREACH_TYPE)
        .str.split(",")
        .list.eval(pl.element().str.strip_chars())
        .list.join("|")
        .alias("breach_type_raw"),
        "reported_on",
        pl.lit("day").alias("reported_precision"),
        pl.lit(None, dtype=pl.Date).alias("occurred_on"),
        pl.lit(None, dtype=pl.String).alias("occurred_precision"),
        "records_exposed",
        pl.lit("individuals").alias("records_unit"),
        pl.col(ENTITY_TYPE).str.strip_chars().alias("sector_raw"),
        pl.lit(None, dtype=pl.String).alias("exclusion_reason"),
        pl.concat_str(
            [
                pl.format(
                    "Location of breached information: {}. Business associate present: {}.",
                    pl.col(LOCATION).fill_null("not stated"),
                    pl.col(BUSINESS_ASSOCIATE).fill_null("not stated"),
                ),
                pl.col(DESCRIPTION).str.strip_chars(),
            ],
            separator=" ",
            ignore_nulls=True,
        ).alias("description"),
        pl.lit(DEFAULT_URL).alias("source_url"),
    )
    records = rows.select(
        (pl.col("source_record_id") + "|phi").alias("source_record_id"),
        pl.col("source_record_id").alias("breach_source_record_id"),
        pl.lit(PHI).alias("data_type_raw"),
        pl.col("records_exposed").alias("records"),
        pl.col(INDIVIDUALS).str.strip_chars().alias("figure_as_stated"),
    )
    organizations = rows.select(
        pl.col("organization_key").alias("source_record_id"),
        "organization_name",
        "organization_key",
        "jurisdiction_code",
        pl.col(ENTITY_TYPE).str.strip_chars().alias("sector_raw"),
    ).unique(subset="source_record_id", keep="first", maintain_order=True)
    rows_read = raw.select(pl.len()).collect().item()
    return ParseResult(
        primary_table="breaches",
        tables={"breaches": breaches, "breach_records": records, "organizations": organizations},
        quarantine=quarantine,
        rows_read=int(rows_read),
    )
