"""The ECB history's wide table read for the ingest, with every column's identity checked.

The file (``eurofxref-hist.csv``, or the one ``.csv`` member of ``eurofxref-hist.zip``,
streamed within caps) is read strictly (ingest.csvrows): a day whose row has another
number of fields than the header is quarantined whole, so a currency's values never slide
under another currency's name. The header's columns are verified on every row: a value
under the trailing comma's nameless column means the row is shifted (quarantined), and a
header repeated inside the file is set aside when it names the same columns, or refuses
the file when it names others (the columns' identity changes mid-file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest.core import Accounting, IngestFormatError
from ingest.csvrows import BLANK, ROW, read_csv_strict
from ingest.inputs import suffix
from ingest.limits import MAX_ECB_BYTES
from ingest.safezip import members, open_zip, read_member

DATE_COLUMN = "Date"
SHIFTED = "a value under the header's nameless last column: the row's values are shifted"
REPEATED_HEADER = "a repeated header line"


@dataclass
class WideTable:
    frame: pl.DataFrame  # __row, Date, one column per currency, __row_reason
    currencies: list[str]
    misfits: pl.LazyFrame
    accounting: Accounting
    encoding: str


def _csv_file(path: Path, work_dir: Path) -> Path:
    if suffix(path) == ".zip":
        with open_zip(path) as archive:
            infos = members(archive, lambda name: suffix(name) == ".csv")
            if len(infos) != 1:
                found = [i.filename for i in infos]
                raise IngestFormatError(
                    f"{path.name}: expected exactly one .csv member in the zip, found {found}"
                )
            data = read_member(archive, infos[0], MAX_ECB_BYTES, path.name, "the ECB history")
        target = work_dir / "ecb-member.csv"
        target.write_bytes(data)
        return target
    if suffix(path) not in (".csv", ".txt"):
        raise IngestFormatError(
            f"{path.name}: expected the ECB eurofxref-hist.csv or eurofxref-hist.zip"
        )
    return path


def read_wide(path: Path, work_dir: Path) -> WideTable:
    table = read_csv_strict(_csv_file(path, work_dir), work_dir, label=path.name)
    names = table.header
    if len(names) < 2 or names[0] != DATE_COLUMN or all(n.startswith(BLANK) for n in names[1:]):
        raise IngestFormatError(
            f"{path.name}: expected the ECB eurofxref-hist CSV (a '{DATE_COLUMN}' column, then "
            f"one column per currency), got columns {names[:6]}"
        )
    currencies = [n for n in names[1:] if not n.startswith(BLANK)]
    nameless = [n for n in names[1:] if n.startswith(BLANK)]
    wide = table.frame.with_columns(pl.col(c).str.strip_chars() for c in names).collect()
    repeated = pl.col(DATE_COLUMN) == DATE_COLUMN
    same_header = pl.all_horizontal([pl.col(c).fill_null("") == c for c in currencies])
    other = wide.filter(repeated & ~same_header)
    if other.height:
        raise IngestFormatError(
            f"{path.name}: row {other[ROW][0]}: a second header naming other columns "
            f"({', '.join(str(v) for v in other.row(0)[1:7] if v)}, ...): the columns' identity "
            "changes mid-file: refused"
        )
    shifted = (
        pl.any_horizontal([pl.col(c).is_not_null() & (pl.col(c) != "") for c in nameless])
        if nameless
        else pl.lit(False)
    )
    reason = (
        pl.when(repeated)
        .then(pl.lit(REPEATED_HEADER))
        .when(shifted)
        .then(pl.lit(SHIFTED))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    frame = wide.with_columns(reason.alias("__row_reason")).select(
        ROW, DATE_COLUMN, *currencies, "__row_reason"
    )
    return WideTable(frame, currencies, table.misfits, table.accounting, table.encoding)
