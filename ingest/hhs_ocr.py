"""US HHS Office for Civil Rights breach portal ("Wall of Shame") CSV export.

The portal (https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf) exports the breaches
under investigation and the archive as CSV with these columns::

    Name of Covered Entity, State, Covered Entity Type, Individuals Affected,
    Breach Submission Date (MM/DD/YYYY), Type of Breach (comma-joined, e.g.
    "Hacking/IT Incident, Theft"), Location of Breached Information (comma-joined),
    Business Associate Present (Yes/No), Web Description

The export is a button on the page (a form post), so the default URL is the page itself;
download the CSV and pass ``--path``. Each row lands as a breach in the US subdivision of
its State (territories via seeds/map_jurisdictions.csv; a filing with a blank State, as
several Puerto Rico and Virgin Islands filings have, in the US as a whole, flagged
``state_not_stated``) with the individuals affected as records exposed (unit
``individuals``; a blank count is kept as unknown, flagged ``count_not_stated``) and one
breach_records row of protected health information.

The source has no id of its own. A filing is keyed by a hash of the entity name, state and
submission date; when one entity files several breaches on one day (a business associate
files one per covered entity), its distinct filings are ranked by their content
(individuals affected, then every other column) and the second and later ones get
``-2``, ``-3``... after the key. Rows that repeat another row exactly are one filing. The
ids do not depend on the order of the rows, and a later export that revises a filing's
count (or moves it from "under investigation" to the archive) versions the same record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from ingest.checks import (
    Check,
    apply_checks,
    blank,
    check_columns,
    count_checks,
    date_checks,
    encoding_checks,
    parse_count,
    required,
)
from ingest.core import (
    ABSURD_COUNT,
    ACCOUNTING_COLUMNS,
    VERY_LARGE_COUNT,
    IngestFormatError,
    ParseContext,
    ParseResult,
    flags_expr,
    hash_expr,
    map_str,
    organization_rows,
)
from ingest.csvrows import ROW, CsvTable, read_csv_strict
from ingest.dates import MONTH_FIRST, slash_date_order, slash_or_iso_date
from ingest.inputs import suffix
from ingest.reference import normalize_org_name, resolve_subdivision
from ingest.textfile import encoding_note

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
# Columns some exports leave out (an older export has no Web Description): read as blank.
OPTIONAL = (LOCATION, BUSINESS_ASSOCIATE, DESCRIPTION)
PHI = "Protected health information"
RECORDS_UNIT = "individuals"  # what the accounting's records are for this source
EXCLUDED = None  # no filing is kept out of the counts
# The portal lists breaches of 500 or more individuals: a smaller count is no filing of it.
FLOOR = 500
YES_NO = ("Yes", "No")


def _state_code(value: str) -> str | None:
    return resolve_subdivision(SOURCE_NAME, "US", value)


def _scan(path: Path, work_dir: Path) -> tuple[pl.LazyFrame, CsvTable]:
    """The export's columns as strings (rows of another width set aside, see
    ingest.csvrows), with each row's number."""
    if suffix(path) not in (".csv", ".txt"):
        raise IngestFormatError(f"{path.name}: expected the HHS OCR breach report CSV export")
    table = read_csv_strict(path, work_dir)
    required_columns = [c for c in COLUMNS if c not in OPTIONAL]
    check_columns(path.name, table.header, required_columns, "HHS OCR breach report CSV")
    absent = [c for c in OPTIONAL if c not in table.header]
    frame = table.frame.with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in absent])
    return frame.select(ROW, *COLUMNS), table


def _filing_ids(submitted: pl.Expr, individuals: pl.Expr) -> pl.Expr:
    """The filing's id: a hash of name, state and submission date, then ``-<rank>`` for
    the second and later distinct filings with that key (ranked by content)."""
    name = pl.col(NAME).str.strip_chars()
    key = hash_expr(
        pl.concat_str(
            [
                name.str.to_lowercase(),
                pl.col(STATE).str.strip_chars().fill_null(""),
                pl.coalesce(submitted.cast(pl.String), pl.col(SUBMITTED).str.strip_chars()),
            ],
            separator="|",
            ignore_nulls=True,
        ),
        length=20,
    )
    content = [
        individuals.fill_null(-1),
        *[pl.col(c).fill_null("") for c in COLUMNS if c not in (INDIVIDUALS,)],
    ]
    rank = pl.struct(content).rank(method="dense").over(key)
    return pl.when(rank == 1).then(key).otherwise(pl.format("{}-{}", key, rank))


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    raw, table = _scan(path, ctx.work_dir)
    # MM/DD/YYYY as the portal exports it (DD/MM/YYYY when the file proves it, see
    # ingest.dates); YYYY-MM-DD as a spreadsheet may re-save it.
    order, date_note = slash_date_order(raw, SUBMITTED, path.name, MONTH_FIRST)
    submitted = slash_or_iso_date(SUBMITTED, order)
    individuals = parse_count(INDIVIDUALS)
    state = map_str(pl.col(STATE).str.strip_chars(), _state_code)
    no_state = blank(STATE)
    checks: list[Check] = [
        *encoding_checks(COLUMNS),
        required(NAME),
        Check(
            STATE,
            pl.when(~no_state & state.is_null()).then(
                pl.lit("unknown jurisdiction code (not a US state or territory)")
            ),
        ),
        *count_checks(
            INDIVIDUALS,
            individuals,
            is_required=False,
            floor=(
                FLOOR,
                f"below {FLOOR} individuals (the portal lists breaches of {FLOOR} or more)",
            ),
        ),
        *date_checks(
            SUBMITTED, submitted, ctx.today, "MM/DD/YYYY" if order == MONTH_FIRST else "DD/MM/YYYY"
        ),
        Check(
            BUSINESS_ASSOCIATE,
            pl.when(
                ~blank(BUSINESS_ASSOCIATE)
                & ~pl.col(BUSINESS_ASSOCIATE).str.strip_chars().is_in(YES_NO)
            ).then(pl.lit("not Yes or No (the portal publishes Yes or No)")),
        ),
    ]
    checked = apply_checks(
        raw.with_columns(_filing_ids(submitted, individuals).alias("source_record_id")),
        checks,
        locator=pl.format("row {}", pl.col("__row")),
        raw_record=pl.struct(COLUMNS).struct.json_encode(),
        records=pl.when(individuals <= ABSURD_COUNT).then(individuals),
    )
    name = pl.col(NAME).str.strip_chars()
    rows = checked.good.with_columns(
        name.alias("organization_name"),
        map_str(name, normalize_org_name).alias("organization_key"),
        pl.when(no_state).then(pl.lit("US")).otherwise(state).alias("jurisdiction_code"),
        individuals.alias("records_exposed"),
        submitted.alias("reported_on"),
    )
    breaches = rows.select(
        "source_record_id",
        *ACCOUNTING_COLUMNS,
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
        flags_expr(
            (no_state, "state_not_stated"),
            (pl.col("records_exposed").is_null(), "count_not_stated"),
            (pl.col("records_exposed") > VERY_LARGE_COUNT, "very_large_count"),
        ).alias("quality_flags"),
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
    records = rows.filter(pl.col("records_exposed").is_not_null()).select(
        (pl.col("source_record_id") + "|phi").alias("source_record_id"),
        pl.col("source_record_id").alias("breach_source_record_id"),
        pl.lit(PHI).alias("data_type_raw"),
        pl.col("records_exposed").alias("records"),
        pl.col(INDIVIDUALS).str.strip_chars().alias("figure_as_stated"),
    )
    organizations = organization_rows(rows, pl.col(ENTITY_TYPE))
    latest: dt.date | None = (
        raw.select(submitted.filter(submitted <= pl.lit(ctx.today)).max()).collect().item()
    )
    return ParseResult(
        primary_table="breaches",
        tables={"breaches": breaches, "breach_records": records, "organizations": organizations},
        quarantine=pl.concat([checked.quarantine, table.misfits]),
        accounting=checked.accounting.merge(table.accounting),
        as_of_hint=latest,
        as_of_basis="latest submission date in the file",
        notes=[n for n in (encoding_note(table.encoding), date_note) if n],
    )
