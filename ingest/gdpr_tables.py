"""The GDPR Enforcement Tracker's tables as published: its site's ``data.json``
(positional rows, HTML in some fields) and exports of its table (CSV, JSON objects), read
into one frame of text columns with each row's number.

A data.json row of another width, a field that is no JSON string, or a row without an
ETid-N id is kept with the reason it cannot be read (``__issue``, ``__issue_field``) and
its JSON as published (``__raw_json``), for the parser to quarantine; a file none of whose
rows has the layout is refused. A CSV export is read strictly (ingest.csvrows).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl

from ingest import jsonfields as field
from ingest.checks import check_columns
from ingest.core import Accounting, IngestFormatError
from ingest.csvrows import ROW, read_csv_strict
from ingest.inputs import read_capped, suffix
from ingest.jsondoc import dumps
from ingest.limits import MAX_JSON_BYTES
from ingest.records import load_json

ENTRY_URL = "https://www.enforcementtracker.com/{}"

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

ISSUE = "__issue"  # why a JSON row cannot be read (another width, a field of another type)
ISSUE_FIELD = "__issue_field"
RAW_JSON = "__raw_json"  # a JSON row as published, for the quarantine
EXTRA = (ISSUE_FIELD, ISSUE, RAW_JSON)
# Names the tracker uses for controllers it does not name: no organization row for them.


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


def _frame(columns: dict[str, list[object]]) -> pl.DataFrame:
    schema = {ROW: pl.Int64, **dict.fromkeys(COLUMNS, pl.String), **dict.fromkeys(EXTRA, pl.String)}
    return pl.DataFrame(columns, schema=schema)


def _add_row(
    columns: dict[str, list[object]], index: int, issue: tuple[str, str] | None, raw: object
) -> None:
    """A row's number, why it cannot be read (if so) and its JSON as published."""
    columns[ROW].append(index)
    columns[ISSUE_FIELD].append(issue[0] if issue else None)
    columns[ISSUE].append(issue[1] if issue else None)
    columns[RAW_JSON].append(dumps(raw))


def _positional_frame(name: str, rows: list[object]) -> pl.DataFrame:
    """data.json's positional rows as the table's columns (HTML reduced to text/links). A
    row of another width, with a field that is no string, or without an ETid-N id is
    quarantined (``__issue``); a file none of whose rows has the layout is refused."""
    width = len(POSITIONAL)
    if rows and not any(isinstance(r, list) and len(r) == width for r in rows):
        first = rows[0]
        got = f"{len(first)} fields" if isinstance(first, list) else field.json_type(first)
        raise IngestFormatError(
            f"{name}: data row 1: expected {width} positional fields (the tracker's data.json "
            f"layout), got {got}, and no row has that layout: refused"
        )
    columns: dict[str, list[object]] = {c: [] for c in [ROW, *COLUMNS, *EXTRA]}
    for index, row in enumerate(rows, start=1):
        issue = _positional_issue(row, width)
        values = dict(zip(POSITIONAL, row, strict=True)) if issue is None else {}
        _add_row(columns, index, issue, row)
        for column in COLUMNS:
            value = values.get(column)
            if column == SOURCE and issue is None:
                value = html_link(value) or ENTRY_URL.format(str(values[ID]).strip())
            elif value is not None:
                value = html_text(value)
            columns[column].append(value)
    return _frame(columns)


def _positional_issue(row: object, width: int) -> tuple[str, str] | None:
    if not isinstance(row, list):
        return "(row)", f"not a list of positional fields (got {field.json_type(row)})"
    if len(row) != width:
        return "(row)", (
            f"a data row of {len(row)} positional fields, the layout has {width}: its values "
            "cannot be matched to columns"
        )
    for position, value in zip(POSITIONAL, row, strict=True):
        if value is not None and not isinstance(value, str):
            return position or "(control)", f"not a JSON string (got {field.json_type(value)})"
    if not ETID.match(str(row[1]).strip()):
        return ID, "not an ETid-N id"
    return None


def _object_frame(items: list[dict]) -> pl.DataFrame:
    """An export's JSON objects: a field must be a string (or a number, as an export may
    write a fine); anything else is quarantined."""
    columns: dict[str, list[object]] = {c: [] for c in [ROW, *COLUMNS, *EXTRA]}
    for index, item in enumerate(items, start=1):
        named = {ALIASES.get(k.strip(), k.strip()): v for k, v in item.items()}
        issue = None
        for key, value in named.items():
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, str | int | float)
            ):
                issue = (key, f"not a JSON string or number (got {field.json_type(value)})")
                break
        _add_row(columns, index, issue, item)
        for column in COLUMNS:
            value = named.get(column)
            columns[column].append(None if value is None or issue else str(value))
    missing = [c for c in COLUMNS if not any(c in i or _alias_of(i, c) for i in items)]
    if items and missing:
        found = sorted({k for i in items for k in i})[:12]
        raise IngestFormatError(
            f"{items and 'the file'}: not a GDPR enforcement tracker export: expected columns "
            f"{COLUMNS}, missing {missing} (found {found})"
        )
    return _frame(columns)


def _alias_of(item: dict, column: str) -> bool:
    return any(ALIASES.get(k.strip(), k.strip()) == column for k in item)


def _json_frame(path: Path) -> pl.LazyFrame:
    data = read_capped(path, MAX_JSON_BYTES, path.name, "the tracker's data.json")
    doc, _text, _broken = load_json(path.name, data, "the tracker's data.json")
    items = doc.get("data") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise IngestFormatError(
            f'{path.name}: expected the tracker\'s data.json ({{"data": [[...], ...]}}) or a '
            "JSON array of fine objects"
        )
    if all(isinstance(i, dict) for i in items) and items:
        try:
            return _object_frame(items).lazy()
        except IngestFormatError as exc:
            raise IngestFormatError(str(exc).replace("the file", path.name, 1)) from exc
    return _positional_frame(path.name, items).lazy()


def read_table(
    path: Path, work_dir: Path
) -> tuple[pl.LazyFrame, pl.LazyFrame | None, Accounting, str]:
    """The table's columns as strings with each row's number, the rows of a CSV export
    that do not fit its header (quarantined) and their accounting, and how its bytes were
    read."""
    kind = suffix(path)
    if kind == ".json":
        return _json_frame(path), None, Accounting(), "utf-8"
    if kind not in (".csv", ".txt"):
        raise IngestFormatError(
            f"{path.name}: expected the enforcement tracker's data.json or an export (.csv, .json)"
        )
    table = read_csv_strict(path, work_dir, first_row=1)
    renamed = {n: ALIASES.get(n, n) for n in table.header}
    check_columns(path.name, list(renamed.values()), COLUMNS, "GDPR enforcement tracker export")
    frame = (
        table.frame.rename(renamed)
        .select(ROW, *COLUMNS)
        .with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in EXTRA])
    )
    return frame, table.misfits, table.accounting, table.encoding
