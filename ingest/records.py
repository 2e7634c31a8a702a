"""What the record-by-record (JSON) sources share: field checks that return an issue
instead of failing, and a spool that writes their rows to Parquet in batches and counts
every record read."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ingest.checks import QUARANTINE_COLUMNS, empty_quarantine
from ingest.contract import business_schema, conform
from ingest.core import (
    AMOUNT,
    EARLIEST_DATE,
    LOCATOR,
    RECORDS,
    Accounting,
    ParseResult,
)
from ingest.jsondoc import load_bytes
from ingest.textfile import unmark


@dataclass
class Issue:
    field: str
    value: object
    reason: str


def _as_text(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return unmark(text) or ""


@dataclass
class RecordSpool:
    """Collects the rows of record-by-record sources and spools them to Parquet in
    batches, so a folder of many JSON files never sits in memory as a whole; counts every
    record read (:meth:`add_primary`, :meth:`quarantine`, :meth:`duplicate`)."""

    work_dir: Path
    primary_table: str = "breaches"
    batch_size: int = 5_000
    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    quarantined: list[dict[str, object]] = field(default_factory=list)
    accounting: Accounting = field(default_factory=Accounting)
    parts: int = 0

    def add_primary(
        self, locator: str, row: dict[str, object], records: int | None, amount: object = None
    ) -> None:
        """An accepted record's primary row, with where it was and what it states."""
        self.accounting.add_row("accepted", records, amount)
        self.add(self.primary_table, {**row, LOCATOR: locator, RECORDS: records, AMOUNT: amount})

    def add(self, table: str, row: dict[str, object]) -> None:
        self.rows.setdefault(table, []).append(row)
        if len(self.rows[table]) >= self.batch_size:
            self._flush_table(table)

    def add_organization(
        self, key: str, name: str, jurisdiction: str | None, sector: str | None
    ) -> None:
        """The organization a record names, keyed by its normalized name."""
        self.add(
            "organizations",
            {
                "source_record_id": key,
                "organization_name": name,
                "organization_key": key,
                "jurisdiction_code": jurisdiction,
                "sector_raw": sector,
            },
        )

    def quarantine(
        self, locator: str, issues: list[Issue], raw_record: str, records: int | None = None
    ) -> None:
        """A rejected record: one quarantine row per issue."""
        self.accounting.add_row("quarantined", records)
        raw = unmark(raw_record)
        for issue in issues:
            self.quarantined.append(
                {
                    "record_locator": locator,
                    "field": issue.field,
                    "value": None if issue.value is None else _as_text(issue.value),
                    "reason": issue.reason,
                    "raw_record": raw,
                }
            )
        if len(self.quarantined) >= self.batch_size:
            self._flush_quarantine()

    def duplicate(self, records: int | None = None) -> None:
        """A record that repeats an earlier one of the input exactly."""
        self.accounting.add_row("duplicate", records)

    def _flush_table(self, table: str) -> None:
        rows = self.rows.pop(table, [])
        if rows:
            self.parts += 1
            out = self.work_dir / table / f"part-{self.parts:06d}.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            schema = dict(business_schema(table))
            if table == self.primary_table:
                schema |= {LOCATOR: pl.String(), RECORDS: pl.Int64(), AMOUNT: pl.Decimal(18, 2)}
            pl.DataFrame(rows, schema=schema, strict=False).write_parquet(out)

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

    def result(
        self,
        tables: Iterable[str],
        as_of_hint: dt.date | None,
        as_of_basis: str,
        notes: list[str] | None = None,
    ) -> ParseResult:
        """What the parser returns: the spooled ``tables``, the quarantine and the
        accounting, with the as-of date the input describes."""
        frames, quarantine = self.finish(tables)
        return ParseResult(
            self.primary_table,
            frames,
            quarantine,
            self.accounting,
            as_of_hint=as_of_hint,
            as_of_basis=as_of_basis,
            notes=notes if notes is not None else [],
        )


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


def load_json(name: str, data: bytes, expected: str) -> tuple[object, str, bool]:
    """Parse a published JSON document strictly (ingest.jsondoc): (the document, its text,
    whether any bytes were not valid UTF-8: those are marked, see ingest.textfile). A file
    that is not JSON, or is over a limit, fails the load naming the file and ``expected``."""
    return load_bytes(name, data, expected)
