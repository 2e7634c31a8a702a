"""GDPR Enforcement Tracker (CMS) export: fines imposed under the GDPR.

CSV or JSON (an array of objects, or an object whose ``data`` holds that array) with the
columns ``id`` (ETid-NNN), ``Country``, ``Authority``, ``Date of Decision`` (YYYY-MM-DD,
sometimes only YYYY-MM or YYYY), ``Fine`` (EUR; sometimes "Unknown" or "Only intention to
issue fine"), ``Controller/Processor``, ``Sector``, ``Quoted Articles``, ``Type``,
``Summary`` and ``Source``. Each row lands as a penalty in EUR with the authority and the
quoted GDPR articles as legal basis. "Only intention to issue fine" is a proposed fine of no
stated amount; "Unknown" and any other amount that is not a number is quarantined.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingest.contract import MONEY
from ingest.core import (
    ABSURD_AMOUNT,
    Check,
    IngestFormatError,
    ParseContext,
    ParseResult,
    apply_checks,
    blank,
    check_columns,
    date_checks,
    encoding_checks,
    load_json,
    map_str,
    required,
)
from ingest.reference import normalize_org_name, resolve_country

SOURCE_NAME = "gdpr_fines"
DEFAULT_URL = "https://www.enforcementtracker.com/data.json"
ID = "id"
COUNTRY = "Country"
AUTHORITY = "Authority"
DATE = "Date of Decision"
FINE = "Fine"
CONTROLLER = "Controller/Processor"
SECTOR = "Sector"
ARTICLES = "Quoted Articles"
TYPE = "Type"
SUMMARY = "Summary"
SOURCE = "Source"
COLUMNS = [ID, COUNTRY, AUTHORITY, DATE, FINE, CONTROLLER, SECTOR, ARTICLES, TYPE, SUMMARY, SOURCE]
ALIASES = {"ETid": ID, "ID": ID, "Date": DATE, "Fine [€]": FINE, "Fine (EUR)": FINE}
INTENTION_ONLY = "only intention to issue fine"
# Names the tracker uses for controllers it does not name: no organization row for them.
UNNAMED = frozenset(
    {"unknown", "private individual", "individual", "unknown company", "not disclosed"}
)


def _read(path: Path) -> pl.LazyFrame:
    suffix = path.suffix.lower()
    if suffix == ".json":
        doc, _text, _broken = load_json(
            path.name, path.read_bytes(), "an array of enforcement tracker fine objects"
        )
        items = doc.get("data") if isinstance(doc, dict) else doc
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise IngestFormatError(
                f'{path.name}: expected a JSON array of fine objects (or {{"data": [...]}})'
            )
        columns = list(dict.fromkeys(k for item in items for k in item))
        frame = pl.DataFrame(
            {c: [None if i.get(c) is None else str(i.get(c)) for i in items] for c in columns},
            schema=dict.fromkeys(columns, pl.String),
        ).lazy()
    elif suffix in (".csv", ".txt"):
        frame = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy")
    else:
        raise IngestFormatError(
            f"{path.name}: expected the enforcement tracker export (.csv or .json)"
        )
    try:
        found = frame.collect_schema().names()
    except pl.exceptions.PolarsError as exc:
        raise IngestFormatError(f"{path.name}: not a readable CSV file: {exc}") from exc
    renamed = {
        n: ALIASES.get(n.strip().lstrip("\ufeff"), n.strip().lstrip("\ufeff")) for n in found
    }
    check_columns(path.name, list(renamed.values()), COLUMNS, "GDPR enforcement tracker export")
    return frame.rename(renamed).select(COLUMNS)


def _amount_text() -> pl.Expr:
    text = pl.col(FINE).str.strip_chars().str.replace_all(r"(?i)(€|eur)", "").str.strip_chars()
    return (
        pl.when(text.str.contains(r"^\d{1,3}(,\d{3})+(\.\d+)?$"))
        .then(text.str.replace_all(",", "", literal=True))
        .otherwise(text)
    )


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    raw = _read(path).with_row_index("__row", offset=1)
    intention = pl.col(FINE).str.strip_chars().str.to_lowercase() == INTENTION_ONLY
    amount_text = _amount_text()
    amount = (
        pl.when(amount_text.str.contains(r"^-?\d+(\.\d+)?$"))
        .then(amount_text.cast(pl.Float64, strict=False))
        .otherwise(pl.lit(None, dtype=pl.Float64))
    )
    date_text = pl.col(DATE).str.strip_chars()
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
        .otherwise(pl.lit("year"))
    )
    country = map_str(pl.col(COUNTRY), lambda v: resolve_country(SOURCE_NAME, v))
    checks: list[Check] = [
        *encoding_checks(COLUMNS),
        required(ID),
        required(COUNTRY),
        Check(
            COUNTRY,
            pl.when(~blank(COUNTRY) & country.is_null()).then(pl.lit("unknown jurisdiction code")),
        ),
        *date_checks(DATE, announced, ctx.today, "YYYY-MM-DD"),
        required(FINE),
        Check(
            FINE,
            pl.when(~blank(FINE) & ~intention & amount.is_null())
            .then(pl.lit("unparseable number"))
            .when(amount < 0)
            .then(pl.lit("negative value"))
            .when(amount > ABSURD_AMOUNT)
            .then(pl.lit(f"absurd value (more than {ABSURD_AMOUNT:,} EUR)")),
        ),
    ]
    good, quarantine = apply_checks(
        raw,
        checks,
        locator=pl.format("row {} ({})", pl.col("__row"), pl.col(ID)),
        raw_record=pl.struct(COLUMNS).struct.json_encode(),
    )
    controller = pl.col(CONTROLLER).str.strip_chars()
    key = map_str(
        controller,
        lambda v: None if v.strip().lower() in UNNAMED else normalize_org_name(v),
    )
    rows = good.with_columns(
        pl.col(ID).str.strip_chars().alias("source_record_id"),
        controller.alias("organization_name"),
        key.alias("organization_key"),
        country.alias("jurisdiction_code"),
    )
    penalties = rows.select(
        "source_record_id",
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
        amount.round(2).cast(MONEY).alias("amount"),
        pl.lit("EUR").alias("currency"),
        pl.col(FINE).str.strip_chars().alias("figure_as_stated"),
        pl.lit("fine").alias("penalty_kind"),
        pl.when(intention)
        .then(pl.lit("proposed"))
        .otherwise(pl.lit("final"))
        .alias("penalty_status"),
        pl.col(SECTOR).str.strip_chars().alias("sector_raw"),
        pl.concat_str(
            [pl.col(TYPE).str.strip_chars(), pl.col(SUMMARY).str.strip_chars()],
            separator=": ",
            ignore_nulls=True,
        ).alias("description"),
        pl.col(SOURCE).str.strip_chars().alias("source_url"),
    )
    organizations = (
        rows.filter(pl.col("organization_key").is_not_null())
        .select(
            pl.col("organization_key").alias("source_record_id"),
            "organization_name",
            "organization_key",
            "jurisdiction_code",
            pl.col(SECTOR).str.strip_chars().alias("sector_raw"),
        )
        .unique(subset="source_record_id", keep="first", maintain_order=True)
    )
    rows_read = raw.select(pl.len()).collect().item()
    return ParseResult(
        primary_table="penalties",
        tables={"penalties": penalties, "organizations": organizations},
        quarantine=quarantine,
        rows_read=int(rows_read),
    )
