"""CSV exports read strictly: every row has the header's width, or it is quarantined.

The file is read in blocks with pyarrow's CSV reader (quoted fields may hold line
breaks; every column is text; an unquoted empty field is null, a quoted one ``""`` is the
empty string, as polars reads them). A row with fewer or more fields than the header is
never null-filled, truncated or shifted: it is quarantined whole, with its row number
(records counted from the header, row 1) and its text. Blank lines hold no row.

Refused, with one line naming the file and the place: a file without a header, a header
that names a column twice, a file that ends inside a quoted field (cut short, or a stray
quote swallowed the rows after it) or a field longer than
:data:`~ingest.limits.MAX_FIELD_CHARS` (the line where it starts is named; the check reads
one field at a time, so a 50 MB field never sits in memory), and a row longer than
:data:`BLOCK_SIZE`. The rows are spooled to Parquet block by block, so memory
stays bounded whatever the file's size.
"""

from __future__ import annotations

import collections
import csv
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from ingest.checks import QUARANTINE_COLUMNS, empty_quarantine
from ingest.core import Accounting, IngestFormatError
from ingest.limits import MAX_FIELD_CHARS, MiB, size_text
from ingest.textfile import BROKEN_MARK, readable_utf8

BLOCK_SIZE = 16 * MiB  # a row longer than this is refused
ROW = "__row"  # the row's number in the file (the header is row 1)
BLANK = "__blank_"  # a header field without a name (the ECB's trailing comma)
MISFIT = (
    "a row of {actual} field(s), the header has {expected}: its values cannot be matched to columns"
)
_FLUSH = 10_000


@dataclass
class CsvTable:
    """The rows that fit (``__row`` then the header's columns, all text), the rows that
    did not (as quarantine rows) and the accounting of those (read and quarantined)."""

    frame: pl.LazyFrame
    header: list[str]
    misfits: pl.LazyFrame
    accounting: Accounting
    encoding: str


def clean_name(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip()


def _header(path: Path, label: str) -> list[str]:
    csv.field_size_limit(MAX_FIELD_CHARS)
    with path.open(newline="", encoding="utf-8") as handle:
        try:
            first = next(csv.reader(handle), None)
        except csv.Error as exc:
            raise IngestFormatError(f"{label}: line 1: not a CSV header ({exc})") from exc
    if not first or not any(f.strip() for f in first):
        raise IngestFormatError(f"{label}: empty file: no header row")
    if any("\x00" in f for f in first):
        raise IngestFormatError(
            f"{label}: line 1: NUL bytes in the header: not a text CSV file (UTF-16 without "
            "its byte-order mark?)"
        )
    names = [clean_name(f) or f"{BLANK}{i}" for i, f in enumerate(first)]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise IngestFormatError(f"{label}: the header names column(s) {twice} more than once")
    if any(len(n) > 1000 for n in names):
        raise IngestFormatError(f"{label}: a header field longer than 1,000 characters: refused")
    return names


def _check_quoting(path: Path, label: str) -> None:
    """Refuse a file with a quoted field that never closes, or a field longer than
    MAX_FIELD_CHARS, naming the line where it starts: the standard csv module's strict
    reading, a pass at about 200 MB/s that never holds more than one field."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        while True:
            try:
                if next(reader, None) is None:
                    return
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    raise IngestFormatError(
                        f"{label}: line {start}: a quoted field opens here and never closes "
                        "(the file is cut short, or a stray quote swallows the rows after it)"
                    ) from exc
                if "field larger than field limit" in str(exc):
                    raise IngestFormatError(
                        f"{label}: line {start}: a field longer than the {MAX_FIELD_CHARS:,} "
                        "characters a field may have"
                    ) from exc
            start = reader.line_num + 1


class _Misfits:
    """The rows of another width, spooled to Parquet as quarantine rows."""

    def __init__(self, folder: Path, label: str, shift: int) -> None:
        self.folder = folder
        self.label = label
        self.shift = shift  # from the file's row numbers (header: 1) to the source's
        self.rows: list[dict[str, str]] = []
        self.pending: collections.deque[int] = collections.deque()  # not yet numbered past
        self.count = 0
        self.parts = 0

    def __call__(self, row: pacsv.InvalidRow) -> str:
        text = row.text.replace(BROKEN_MARK, "")
        if len(text) > MAX_FIELD_CHARS:
            raise IngestFormatError(
                f"{self.label}: row {row.number + self.shift}: a row of {len(text):,} characters that does "
                "not fit the header: refused"
            )
        self.count += 1
        self.pending.append(row.number)
        self.rows.append(
            {
                "record_locator": f"row {row.number + self.shift}",
                "field": "(row)",
                "value": f"{row.actual_columns} fields",
                "reason": MISFIT.format(actual=row.actual_columns, expected=row.expected_columns),
                "raw_record": text,
            }
        )
        if len(self.rows) >= _FLUSH:
            self.flush()
        return "skip"

    def flush(self) -> None:
        if self.rows:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.parts += 1
            pl.DataFrame(
                self.rows, schema=dict.fromkeys(QUARANTINE_COLUMNS, pl.String())
            ).write_parquet(self.folder / f"part-{self.parts:06d}.parquet")
            self.rows = []

    def frame(self) -> pl.LazyFrame:
        self.flush()
        if not self.parts:
            return empty_quarantine()
        return pl.scan_parquet(self.folder / "*.parquet")


def read_csv_strict(
    path: Path, work_dir: Path, label: str | None = None, first_row: int = 2
) -> CsvTable:
    """Read a CSV export strictly (see the module docstring). ``first_row``: the number
    the source's locators give the first row after the header (2: the header is row 1;
    1: data rows are counted from 1)."""
    label = label or path.name
    readable, encoding = readable_utf8(path, work_dir)
    names = _header(readable, label)
    _check_quoting(readable, label)
    shift = first_row - 2
    misfits = _Misfits(work_dir / "_csv_misfits", label, shift)
    reader = _open(readable, names, misfits, label)
    out = work_dir / "_csv_rows"
    out.mkdir(parents=True, exist_ok=True)
    parts = 0
    next_row = 2
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as exc:
            raise _refusal(label, exc) from exc
        numbers = []
        while len(numbers) < batch.num_rows:
            if misfits.pending and misfits.pending[0] == next_row:
                misfits.pending.popleft()
            else:
                numbers.append(next_row + shift)
            next_row += 1
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        frame = frame.select(pl.Series(ROW, numbers, dtype=pl.Int64), *names)
        _check_lengths(frame, names, label)
        parts += 1
        frame.write_parquet(out / f"part-{parts:06d}.parquet")
    quarantined = misfits.count
    # The misfits' accounting: the rows that fit are counted by the parser's checks.
    accounting = Accounting(rows_read=quarantined, rows_quarantined=quarantined)
    schema = {ROW: pl.Int64(), **{n: pl.String() for n in names}}
    table = pl.scan_parquet(out / "*.parquet") if parts else pl.LazyFrame(schema=schema)
    return CsvTable(table, names, misfits.frame(), accounting, encoding)


def _open(path: Path, names: list[str], misfits: _Misfits, label: str) -> pacsv.CSVStreamingReader:
    try:
        return pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                block_size=BLOCK_SIZE, use_threads=False, skip_rows=1, column_names=names
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=misfits),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _refusal(label, exc) from exc


def _refusal(label: str, exc: Exception) -> IngestFormatError:
    if "straddl" in str(exc):
        return IngestFormatError(
            f"{label}: a row longer than {size_text(BLOCK_SIZE)} (past the size a field may "
            "have): refused"
        )
    return IngestFormatError(f"{label}: not a readable CSV file ({exc})")


def _check_lengths(frame: pl.DataFrame, names: list[str], label: str) -> None:
    lengths = frame.select(pl.col(names).str.len_chars().max())
    for name in names:
        longest = lengths[name][0]
        if longest is not None and longest > MAX_FIELD_CHARS:
            row = frame.filter(pl.col(name).str.len_chars() == longest)[ROW][0]
            raise IngestFormatError(
                f"{label}: row {row}, column {name!r}: a field of {longest:,} characters, more "
                f"than the {MAX_FIELD_CHARS:,} a field may have: refused"
            )
