"""GDPR Enforcement Tracker (CMS): fines imposed under the GDPR.

Read as the tracker publishes it, in either form:

- its site's ``data.json``: ``{"data": [[13 positional strings], ...]}``. The positions
  are: a blank control column, ``ETid-N``, the country (HTML: a flag image and the name),
  the authority, the date of decision, the fine, the controller/processor, the sector, the
  quoted articles, the type, the summary (may hold links), the source (an HTML link to the
  authority's document) and the tracker's own entry (HTML links);
- an exported table, CSV or JSON objects, with the columns ``id`` (ETid-NNN),
  ``Country``, ``Authority``, ``Date of Decision``, ``Fine``, ``Controller/Processor``,
  ``Sector``, ``Quoted Articles``, ``Type``, ``Summary`` and ``Source``.

HTML is reduced to its text (and a link to its address). Each row lands as a penalty in
EUR with the authority and the quoted GDPR articles as legal basis. Dates are YYYY-MM-DD,
YYYY-MM or YYYY (kept with that precision) or "Unknown" (kept without a date, flagged
``date_not_stated``). Fines are amounts ("4,800"), or statements the tracker makes instead
of an amount, all kept with their words in ``figure_as_stated`` and no amount: "Only
intention to issue fine" (a proposed fine), "Unknown" (``amount_not_stated``) and ranges
such as "Fine amount between EUR 50 and EUR 100" or "Fine in four-digit amount"
(``amount_range``). Any other fine text is quarantined.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from ingest.checks import (
    Check,
    apply_checks,
    blank,
    date_checks,
    encoding_checks,
    required,
)
from ingest.contract import MONEY
from ingest.core import (
    ABSURD_AMOUNT,
    ACCOUNTING_COLUMNS,
    ParseContext,
    ParseResult,
    flags_expr,
    map_str,
    organization_rows,
)
from ingest.csvrows import ROW
from ingest.gdpr_tables import (
    ARTICLES,
    AUTHORITY,
    COLUMNS,
    CONTROLLER,
    COUNTRY,
    DATE,
    FINE,
    ID,
    ISSUE,
    ISSUE_FIELD,
    RAW_JSON,
    SECTOR,
    SOURCE,
    SUMMARY,
    TYPE,
    read_table,
)
from ingest.reference import normalize_org_name, resolve_country
from ingest.textfile import encoding_note

SOURCE_NAME = "gdpr_fines"
DEFAULT_URL = "https://www.enforcementtracker.com/data.json"
RECORDS_UNIT = None  # fines state money, not records
# A fine without a date of decision: loaded, but in no year's counts.
EXCLUDED = pl.col("announced_on").is_null()
INTENTION_ONLY = "only intention to issue fine"
NOT_STATED = "unknown"
RANGE = r"(?i)^fine (amount between eur [\d.,]+ and eur [\d.,]+|in [a-z-]+ amount)$"
# The tracker writes amounts the English way: 4800, 4,800, 1,240,000 (cents after a '.').
ENGLISH_AMOUNT = r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$"
# A '.' before three digits (1.200) or a ',' before one or two (1.200,50) separates
# thousands or decimals the other way: 1.200 read the English way would be a thousand
# times too small, so such an amount is quarantined, never guessed.
AMBIGUOUS = r"^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$|^-?\d+,\d{1,2}$"
AMBIGUOUS_REASON = (
    "ambiguous amount: '.' or ',' may separate thousands or decimals (the tracker writes 4,800.50)"
)
UNNAMED = frozenset(
    {"unknown", "private individual", "individual", "unknown company", "not disclosed"}
)


def _amount_text() -> pl.Expr:
    """The fine without its currency, its English thousands separators removed; null
    when it is written another way (see :data:`AMBIGUOUS`)."""
    text = pl.col(FINE).str.strip_chars().str.replace_all(r"(?i)(€|eur)", "").str.strip_chars()
    return (
        pl.when(text.str.contains(ENGLISH_AMOUNT))
        .then(text.str.replace_all(",", "", literal=True))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def _announced(date_text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The decision date (first day of the period) and its precision."""
    announced = pl.coalesce(
        date_text.str.to_date("%Y-%m-%d", strict=False),
        pl.when(date_text.str.contains(r"^\d{4}-\d{2}$")).then(
            (date_text + "-01").str.to_date("%Y-%m-%d", strict=False)
        ),
        pl.when(date_text.str.contains(r"^\d{4}$")).then(
            (date_text + "-01-01").str.to_date("%Y-%m-%d", strict=False)
        ),
    )
    precision = (
        pl.when(date_text.str.contains(r"^\d{4}-\d{2}-\d{2}$"))
        .then(pl.lit("day"))
        .when(date_text.str.contains(r"^\d{4}-\d{2}$"))
        .then(pl.lit("month"))
        .when(date_text.str.contains(r"^\d{4}$"))
        .then(pl.lit("year"))
    )
    return announced, precision


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    raw, misfits, misfit_accounting, encoding = read_table(path, ctx.work_dir)
    fine = pl.col(FINE).str.strip_chars().str.to_lowercase()
    intention = fine == INTENTION_ONLY
    not_stated = fine == NOT_STATED
    in_range = pl.col(FINE).str.strip_chars().str.contains(RANGE)
    statement = intention | not_stated | in_range
    amount = _amount_text().cast(pl.Float64, strict=False)
    ambiguous = (
        pl.col(FINE).str.strip_chars().str.replace_all(r"(?i)(€|eur)", "").str.strip_chars()
    ).str.contains(AMBIGUOUS)
    date_text = pl.col(DATE).str.strip_chars()
    date_unknown = date_text.str.to_lowercase() == NOT_STATED
    announced, precision = _announced(date_text)
    country = map_str(pl.col(COUNTRY), lambda v: resolve_country(SOURCE_NAME, v))
    checks: list[Check] = [
        *encoding_checks(COLUMNS),
        required(ID),
        required(COUNTRY),
        Check(
            COUNTRY,
            pl.when(~blank(COUNTRY) & country.is_null()).then(pl.lit("unknown jurisdiction code")),
        ),
        *date_checks(
            DATE,
            pl.when(date_unknown).then(pl.lit(dt.date(2000, 1, 1))).otherwise(announced),
            ctx.today,
            "YYYY-MM-DD, YYYY-MM, YYYY or Unknown",
        ),
        required(FINE),
        Check(
            FINE,
            pl.when(~blank(FINE) & ~statement & ambiguous)
            .then(pl.lit(AMBIGUOUS_REASON))
            .when(~blank(FINE) & ~statement & amount.is_null())
            .then(pl.lit("unparseable number"))
            .when(amount < 0)
            .then(pl.lit("negative value"))
            .when(amount > ABSURD_AMOUNT)
            .then(pl.lit(f"absurd value (more than {ABSURD_AMOUNT:,} EUR)")),
        ),
    ]
    # A row of data.json that cannot be read (another width, a field of another type) is
    # quarantined with that reason alone.
    readable = pl.col(ISSUE).is_null()
    checks = [
        Check(ISSUE, pl.col(ISSUE), pl.col(RAW_JSON), field_expr=pl.col(ISSUE_FIELD)),
        *(Check(c.field, pl.when(readable).then(c.reason), c.value) for c in checks),
    ]
    money = pl.when(amount.abs() <= ABSURD_AMOUNT).then(amount).round(2).cast(MONEY)
    checked = apply_checks(
        raw,
        checks,
        locator=pl.when(pl.col(ID).is_null())
        .then(pl.format("row {}", pl.col(ROW)))
        .otherwise(pl.format("row {} ({})", pl.col(ROW), pl.col(ID))),
        raw_record=pl.coalesce(pl.col(RAW_JSON), pl.struct(COLUMNS).struct.json_encode()),
        amount=money,
        amount_currency="EUR",
    )
    controller = pl.col(CONTROLLER).str.strip_chars()
    key = map_str(
        controller,
        lambda v: None if v.strip().lower() in UNNAMED else normalize_org_name(v),
    )
    rows = checked.good.with_columns(
        pl.col(ID).str.strip_chars().alias("source_record_id"),
        controller.alias("organization_name"),
        key.alias("organization_key"),
        country.alias("jurisdiction_code"),
    )
    penalties = rows.select(
        "source_record_id",
        *ACCOUNTING_COLUMNS,
        "organization_name",
        "organization_key",
        pl.col(AUTHORITY).str.strip_chars().alias("authority"),
        "jurisdiction_code",
        pl.col(COUNTRY).str.strip_chars().alias("location_raw"),
        pl.concat_str([pl.lit("GDPR:"), pl.col(ARTICLES).str.strip_chars()], separator=" ").alias(
            "legal_basis"
        ),
        announced.alias("announced_on"),
        precision.alias("announced_precision"),
        money.alias("amount"),
        pl.lit("EUR").alias("currency"),
        pl.col(FINE).str.strip_chars().alias("figure_as_stated"),
        pl.lit("fine").alias("penalty_kind"),
        pl.when(intention)
        .then(pl.lit("proposed"))
        .otherwise(pl.lit("final"))
        .alias("penalty_status"),
        pl.col(SECTOR).str.strip_chars().alias("sector_raw"),
        flags_expr(
            (date_unknown, "date_not_stated"),
            (not_stated, "amount_not_stated"),
            (in_range, "amount_range"),
        ).alias("quality_flags"),
        pl.concat_str(
            [pl.col(TYPE).str.strip_chars(), pl.col(SUMMARY).str.strip_chars()],
            separator=": ",
            ignore_nulls=True,
        ).alias("description"),
        pl.col(SOURCE).str.strip_chars().alias("source_url"),
    )
    organizations = organization_rows(rows, pl.col(SECTOR))
    latest = (
        raw.filter(readable)
        .select(announced.filter(announced <= pl.lit(ctx.today)).max())
        .collect()
        .item()
    )
    return ParseResult(
        primary_table="penalties",
        tables={"penalties": penalties, "organizations": organizations},
        quarantine=pl.concat([checked.quarantine, *([misfits] if misfits is not None else [])]),
        accounting=checked.accounting.merge(misfit_accounting),
        as_of_hint=latest,
        as_of_basis="latest date of decision in the file",
        notes=[note] if (note := encoding_note(encoding)) else [],
    )
