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
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl

from ingest.checks import (
    Check,
    apply_checks,
    blank,
    check_columns,
    date_checks,
    encoding_checks,
    required,
)
from ingest.contract import MONEY
from ingest.core import (
    ABSURD_AMOUNT,
    IngestFormatError,
    ParseContext,
    ParseResult,
    flags_expr,
    map_str,
)
from ingest.records import load_json
from ingest.reference import normalize_org_name, resolve_country
from ingest.textfile import encoding_note, readable_utf8

SOURCE_NAME = "gdpr_fines"
DEFAULT_URL = "https://www.enforcementtracker.com/data.json"
ENTRY_URL = "https://www.enforcementtracker.com/{}"
RECORDS_UNIT = None  # fines state money, not records
# A fine without a date of decision: loaded, but in no year's counts.
EXCLUDED = pl.col("announced_on").is_null()
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
# data.json's positions: a control column, then the table's columns, then the entry links.
POSITIONAL = ["", *COLUMNS, "Entry"]
ETID = re.compile(r"^ETid-\d+$")
INTENTION_ONLY = "only intention to issue fine"
NOT_STATED = "unknown"
RANGE = r"(?i)^fine (amount between eur [\d.,]+ and eur [\d.,]+|in [a-z-]+ amount)$"
# Names the tracker uses for controllers it does not name: no organization row for them.
UNNAMED = frozenset(
    {"unknown", "private individual", "individual", "unknown company", "not disclosed"}
)


class _Text(HTMLParser):
    """The text of an HTML fragment (entities decoded) and its first link's address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: str | None = None
        self.alt: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and self.href is None and values.get("href"):
            self.href = values["href"]
        if tag == "img" and self.alt is None and values.get("alt"):
            self.alt = values["alt"]
        if tag == "br":
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html(value: str | None) -> _Text:
    reader = _Text()
    if value:
        reader.feed(value)
        reader.close()
    return reader


def html_text(value: str | None) -> str | None:
    """An HTML fragment's text, whitespace collapsed (a plain value stays as it is)."""
    if value is None or "<" not in value:
        return None if value is None else html.unescape(value)
    reader = _html(value)
    text = " ".join("".join(reader.parts).split())
    return text or reader.alt or ""


def html_link(value: str | None) -> str | None:
    """The first link's address in an HTML fragment, or the value when it is an address."""
    if value is None:
        return None
    if "<" not in value:
        return value.strip() or None
    return _html(value).href


def _positional_frame(name: str, rows: list[object]) -> pl.DataFrame:
    """data.json's positional rows as the table's columns (HTML reduced to text/links)."""
    width = len(POSITIONAL)
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != width:
            got = f"{len(row)} fields" if isinstance(row, list) else type(row).__name__
            raise IngestFormatError(
                f"{name}: data row {index}: expected {width} positional fields "
                f"(the tracker's data.json layout), got {got}"
            )
        if not isinstance(row[1], str) or not ETID.match(row[1].strip()):
            raise IngestFormatError(
                f"{name}: data row {index}, field 2: expected an ETid-N id, got {row[1]!r}"
            )
    columns: dict[str, list[str | None]] = {c: [] for c in COLUMNS}
    for row in rows:
        assert isinstance(row, list)
        values = dict(zip(POSITIONAL, row, strict=True))
        text = {c: None if values[c] is None else str(values[c]) for c in COLUMNS}
        for column in COLUMNS:
            value = text[column]
            if column == SOURCE:
                columns[column].append(
                    html_link(value) or ENTRY_URL.format(str(values[ID]).strip())
                )
            else:
                columns[column].append(html_text(value))
    return pl.DataFrame(columns, schema=dict.fromkeys(COLUMNS, pl.String))


def _json_frame(path: Path) -> pl.LazyFrame:
    doc, _text, _broken = load_json(path.name, path.read_bytes(), "the tracker's data.json")
    items = doc.get("data") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise IngestFormatError(
            f'{path.name}: expected the tracker\'s data.json ({{"data": [[...], ...]}}) or a '
            "JSON array of fine objects"
        )
    if items and all(isinstance(i, list) for i in items):
        return _positional_frame(path.name, items).lazy()
    if not all(isinstance(i, dict) for i in items):
        kinds = sorted({type(i).__name__ for i in items})
        raise IngestFormatError(
            f"{path.name}: expected rows that are all positional lists (data.json) or all "
            f"objects (an export), got {', '.join(kinds)}"
        )
    columns = list(dict.fromkeys(k for item in items for k in item))
    return pl.DataFrame(
        {c: [None if i.get(c) is None else str(i.get(c)) for i in items] for c in columns},
        schema=dict.fromkeys(columns, pl.String),
    ).lazy()


def _read(path: Path, work_dir: Path) -> tuple[pl.LazyFrame, str]:
    """The table's columns as strings, and how its bytes were read."""
    suffix = path.suffix.lower()
    encoding = "utf-8"
    if suffix == ".json":
        frame = _json_frame(path)
    elif suffix in (".csv", ".txt"):
        readable, encoding = readable_utf8(path, work_dir)
        frame = pl.scan_csv(readable, infer_schema=False)
    else:
        raise IngestFormatError(
            f"{path.name}: expected the enforcement tracker's data.json or an export (.csv, .json)"
        )
    try:
        found = frame.collect_schema().names()
    except pl.exceptions.PolarsError as exc:
        raise IngestFormatError(f"{path.name}: not a readable CSV file: {exc}") from exc
    renamed = {
        n: ALIASES.get(n.strip().lstrip("\ufeff"), n.strip().lstrip("\ufeff")) for n in found
    }
    check_columns(path.name, list(renamed.values()), COLUMNS, "GDPR enforcement tracker export")
    return frame.rename(renamed).select(COLUMNS), encoding


def _amount_text() -> pl.Expr:
    text = pl.col(FINE).str.strip_chars().str.replace_all(r"(?i)(€|eur)", "").str.strip_chars()
    return (
        pl.when(text.str.contains(r"^\d{1,3}(,\d{3})+(\.\d+)?$"))
        .then(text.str.replace_all(",", "", literal=True))
        .otherwise(text)
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
    table, encoding = _read(path, ctx.work_dir)
    raw = table.with_row_index("__row", offset=1)
    fine = pl.col(FINE).str.strip_chars().str.to_lowercase()
    intention = fine == INTENTION_ONLY
    not_stated = fine == NOT_STATED
    in_range = pl.col(FINE).str.strip_chars().str.contains(RANGE)
    statement = intention | not_stated | in_range
    amount_text = _amount_text()
    amount = (
        pl.when(amount_text.str.contains(r"^-?\d+(\.\d+)?$"))
        .then(amount_text.cast(pl.Float64, strict=False))
        .otherwise(pl.lit(None, dtype=pl.Float64))
    )
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
            pl.when(~blank(FINE) & ~statement & amount.is_null())
            .then(pl.lit("unparseable number"))
            .when(amount < 0)
            .then(pl.lit("negative value"))
            .when(amount > ABSURD_AMOUNT)
            .then(pl.lit(f"absurd value (more than {ABSURD_AMOUNT:,} EUR)")),
        ),
    ]
    money = amount.round(2).cast(MONEY)
    checked = apply_checks(
        raw,
        checks,
        locator=pl.format("row {} ({})", pl.col("__row"), pl.col(ID)),
        raw_record=pl.struct(COLUMNS).struct.json_encode(),
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
        "__locator",
        "__records",
        "__amount",
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
    organizations = rows.filter(pl.col("organization_key").is_not_null()).select(
        pl.col("organization_key").alias("source_record_id"),
        "organization_name",
        "organization_key",
        "jurisdiction_code",
        pl.col(SECTOR).str.strip_chars().alias("sector_raw"),
    )
    latest = raw.select(announced.filter(announced <= pl.lit(ctx.today)).max()).collect().item()
    return ParseResult(
        primary_table="penalties",
        tables={"penalties": penalties, "organizations": organizations},
        quarantine=checked.quarantine,
        accounting=checked.accounting,
        as_of_hint=latest,
        as_of_basis="latest date of decision in the file",
        notes=[note] if (note := encoding_note(encoding)) else [],
    )
