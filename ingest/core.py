"""What the source parsers share: the result type, row checks that quarantine instead of
failing, stable hashing and batched Parquet spooling for record-by-record sources."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ingest.contract import business_schema, conform

ABSURD_COUNT = 10_000_000_000  # more records/people/accounts than a breach can expose
ABSURD_AMOUNT = 100_000_000_000  # a fine above 100 billion in any currency
EARLIEST_DATE = dt.date(1970, 1, 1)
REPLACEMENT_CHAR = "\ufffd"  # what a lossy UTF-8 decode puts in place of broken bytes

QUARANTINE_COLUMNS = ["record_locator", "field", "value", "reason", "raw_record"]


class IngestFormatError(ValueError):
    """The input is structurally broken (wrong columns, not JSON): the load fails."""


@dataclass(frozen=True)
class ParseContext:
    source_name: str
    source_file: str
    today: dt.date
    work_dir: Path  # scratch space for spooled batches, removed after the load


@dataclass
class ParseResult:
    """Business rows per raw table (lazy) and the quarantined rows of one input."""

    primary_table: str
    tables: dict[str, pl.LazyFrame]
    quarantine: pl.LazyFrame
    rows_read: int


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_expr(expr: pl.Expr, length: int = 64) -> pl.Expr:
    """A stable SHA-256 (hex) of a string expression; polars' own hash is not stable."""
    return expr.map_batches(
        lambda s: pl.Series(
            [None if v is None else sha256_hex(v)[:length] for v in s.to_list()],
            dtype=pl.String,
        ),
        return_dtype=pl.String,
    )


def row_text(columns: Iterable[str]) -> pl.Expr:
    """One string per row from the given columns, nulls distinct from empty strings."""
    return pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("\x00") for c in columns], separator="\x1f"
    )


def map_str(expr: pl.Expr, fn: Callable[[str], str | None]) -> pl.Expr:
    """Apply a Python string function element-wise (nulls stay null)."""
    return expr.map_elements(fn, return_dtype=pl.String, skip_nulls=True)


# ---------------------------------------------------------------- row checks (polars)


@dataclass(frozen=True)
class Check:
    """A reason (String, null when the row is fine) attached to the source field it is about."""

    field: str
    reason: pl.Expr
    value: pl.Expr | None = None


def blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column).str.strip_chars() == "")


def required(column: str) -> Check:
    return Check(column, pl.when(blank(column)).then(pl.lit("missing required field")))


def encoding_checks(columns: Iterable[str]) -> list[Check]:
    return [
        Check(
            c,
            pl.when(pl.col(c).str.contains(REPLACEMENT_CHAR, literal=True)).then(
                pl.lit("broken encoding (bytes that are not valid UTF-8)")
            ),
        )
        for c in columns
    ]


def parse_count(column: str) -> pl.Expr:
    """A whole number as exports write it: '1234', '1,234,567', ' 42 '; null otherwise."""
    text = pl.col(column).str.strip_chars()
    cleaned = (
        pl.when(text.str.contains(r"^\d{1,3}(,\d{3})+$"))
        .then(text.str.replace_all(",", "", literal=True))
        .otherwise(text)
    )
    return (
        pl.when(cleaned.str.contains(r"^-?\d+$"))
        .then(cleaned.cast(pl.Int64, strict=False))
        .otherwise(pl.lit(None, dtype=pl.Int64))
    )


def count_checks(column: str, parsed: pl.Expr, *, is_required: bool = True) -> list[Check]:
    checks = [required(column)] if is_required else []
    checks.append(
        Check(
            column,
            pl.when(~blank(column) & parsed.is_null())
            .then(pl.lit("unparseable number"))
            .when(parsed < 0)
            .then(pl.lit("negative value"))
            .when(parsed > ABSURD_COUNT)
            .then(pl.lit(f"absurd value (more than {ABSURD_COUNT:,})")),
        )
    )
    return checks


def date_checks(column: str, parsed: pl.Expr, today: dt.date, expected: str) -> list[Check]:
    return [
        required(column),
        Check(
            column,
            pl.when(~blank(column) & parsed.is_null())
            .then(pl.lit(f"impossible or malformed date (expected {expected})"))
            .when(parsed > pl.lit(today))
            .then(pl.lit("future date"))
            .when(parsed < pl.lit(EARLIEST_DATE))
            .then(pl.lit(f"implausible date (before {EARLIEST_DATE.isoformat()})")),
        ),
    ]


def apply_checks(
    frame: pl.LazyFrame, checks: list[Check], *, locator: pl.Expr, raw_record: pl.Expr
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Split ``frame`` into the rows that pass every check and one quarantine row per failure."""
    names = [f"__reason_{i}" for i in range(len(checks))]
    tagged = frame.with_columns(
        locator.cast(pl.String).alias("__locator"),
        raw_record.cast(pl.String).alias("__raw"),
        *[check.reason.alias(name) for check, name in zip(checks, names, strict=True)],
        *[
            (check.value if check.value is not None else pl.col(check.field))
            .cast(pl.String)
            .alias(f"{name}_value")
            for check, name in zip(checks, names, strict=True)
        ],
    )
    if not checks:
        return frame, empty_quarantine()
    is_bad = pl.any_horizontal([pl.col(n).is_not_null() for n in names])
    good = tagged.filter(~is_bad).drop(
        ["__locator", "__raw", *names, *[f"{n}_value" for n in names]]
    )
    bad = pl.concat(
        [
            tagged.filter(pl.col(name).is_not_null()).select(
                pl.col("__locator").alias("record_locator"),
                pl.lit(check.field).alias("field"),
                pl.col(f"{name}_value").alias("value"),
                pl.col(name).alias("reason"),
                pl.col("__raw").alias("raw_record"),
            )
            for check, name in zip(checks, names, strict=True)
        ]
    )
    return good, bad


def empty_quarantine() -> pl.LazyFrame:
    return pl.LazyFrame(schema=dict.fromkeys(QUARANTINE_COLUMNS, pl.String()))


def check_columns(path_label: str, found: list[str], expected: list[str], what: str) -> None:
    missing = [c for c in expected if c not in found]
    if missing:
        raise IngestFormatError(
            f"{path_label}: not a {what}: expected columns {expected}, "
            f"missing {missing} (found {found[:12]})"
        )


# ---------------------------------------------------------------- record-by-record sources


@dataclass
class Issue:
    field: str
    value: object
    reason: str


@dataclass
class RecordSpool:
    """Collects rows of record-by-record sources and spools them to Parquet in batches,
    so a folder of many JSON files never sits in memory as a whole."""

    work_dir: Path
    batch_size: int = 5_000
    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    quarantined: list[dict[str, object]] = field(default_factory=list)
    parts: int = 0

    def add(self, table: str, row: dict[str, object]) -> None:
        self.rows.setdefault(table, []).append(row)
        if len(self.rows[table]) >= self.batch_size:
            self._flush_table(table)

    def quarantine(self, locator: str, issues: list[Issue], raw_record: str) -> None:
        for issue in issues:
            self.quarantined.append(
                {
                    "record_locator": locator,
                    "field": issue.field,
                    "value": None if issue.value is None else _as_text(issue.value),
                    "reason": issue.reason,
                    "raw_record": raw_record,
                }
            )
        if len(self.quarantined) >= self.batch_size:
            self._flush_quarantine()

    def _flush_table(self, table: str) -> None:
        rows = self.rows.pop(table, [])
        if rows:
            self.parts += 1
            out = self.work_dir / table / f"part-{self.parts:06d}.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            pl.DataFrame(rows, schema=business_schema(table), strict=False).write_parquet(out)

    def _flush_quarantine(self) -> None:
        if self.quarantined:
            self.parts += 1
            out = self.work_dir / "_quarantine" / f"part-{self.parts:06d}.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            pl.DataFrame(
                self.quarantined, schema=dict.fromkeys(QUARANTINE_COLUMNS, pl.String())
            ).write_parquet(out)
            self.quarantined = []

    def finish(self, tables: Iterable[str]) -> tuple[dict[str, pl.LazyFrame], pl.LazyFrame]:
        for table in list(self.rows):
            self._flush_table(table)
        self._flush_quarantine()
        frames: dict[str, pl.LazyFrame] = {}
        for table in tables:
            folder = self.work_dir / table
            frames[table] = (
                pl.scan_parquet(folder / "*.parquet")
                if folder.exists()
                else conform(pl.DataFrame(schema=business_schema(table)), business_schema(table))
            )
        qfolder = self.work_dir / "_quarantine"
        quarantine = (
            pl.scan_parquet(qfolder / "*.parquet") if qfolder.exists() else empty_quarantine()
        )
        return frames, quarantine


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def check_count(
    value: object, field_name: str, issues: list[Issue], *, required_: bool
) -> int | None:
    """Validate a count in a JSON record; record an issue and return None when it is bad."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required_:
            issues.append(Issue(field_name, value, "missing required field"))
        return None
    if isinstance(value, bool):
        issues.append(Issue(field_name, value, "unparseable number"))
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    else:
        issues.append(Issue(field_name, value, "unparseable number"))
        return None
    if number < 0:
        issues.append(Issue(field_name, value, "negative value"))
        return None
    if number > ABSURD_COUNT:
        issues.append(Issue(field_name, value, f"absurd value (more than {ABSURD_COUNT:,})"))
        return None
    return number


def check_date(
    day: dt.date | None, raw: object, field_name: str, issues: list[Issue], today: dt.date
) -> dt.date | None:
    if day is None:
        return None
    if day > today:
        issues.append(Issue(field_name, raw, "future date"))
        return None
    if day < EARLIEST_DATE:
        issues.append(Issue(field_name, raw, f"implausible date (before {EARLIEST_DATE})"))
        return None
    return day


def has_broken_encoding(values: Iterable[object]) -> bool:
    return any(isinstance(v, str) and REPLACEMENT_CHAR in v for v in values)


def load_json(name: str, data: bytes, expected: str) -> tuple[object, str, bool]:
    """Parse a published JSON document: (the document, its text, whether the bytes were
    not valid UTF-8 and were decoded with replacement characters). A file that is not JSON
    fails the load naming the file and ``expected``."""
    try:
        text, broken = data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        text, broken = data.decode("utf-8", errors="replace"), True
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestFormatError(
            f"{name}: not JSON ({exc.msg} at line {exc.lineno}); expected {expected}"
        ) from exc
    return doc, text, broken
