"""Dates written with slashes, read in the order the file proves.

``04/05/2020`` is the 5th of April month-first and the 4th of May day-first. A file
proves its order where a date cannot be read the other way (``04/25/2020`` only
month-first, ``25/04/2020`` only day-first): a file whose dates prove one order is read in
that order, with a note when it is not the order the source publishes; a file whose
dates prove both orders cannot be read and is refused, naming a date of each; a file with
no proof is read in the source's published order.
"""

from __future__ import annotations

import polars as pl

from ingest.core import IngestFormatError

SLASH_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
MONTH_FIRST = "%m/%d/%Y"
DAY_FIRST = "%d/%m/%Y"
ROW = "__row"


def _first_proof(frame: pl.LazyFrame, column: str, part: int) -> tuple[int, int, str] | None:
    text = pl.col(column).str.strip_chars()
    number = text.str.extract(SLASH_DATE, part).cast(pl.Int32, strict=False)
    proof = frame.select(
        (number > 12).sum().alias("n"),
        pl.col(ROW).filter(number > 12).first().alias("row"),
        text.filter(number > 12).first().alias("value"),
    ).collect()
    n, row, value = proof.row(0)
    return (int(n), int(row), str(value)) if n else None


def slash_date_order(
    frame: pl.LazyFrame, column: str, label: str, published: str = MONTH_FIRST
) -> tuple[str, str | None]:
    """The strptime format of ``column``'s slash dates and a note when the file proves an
    order other than ``published``; refuses a file whose dates prove both."""
    day_first = _first_proof(frame, column, 1)
    month_first = _first_proof(frame, column, 2)
    if day_first and month_first:
        raise IngestFormatError(
            f"{label}: column {column!r}: the dates prove both orders (row {day_first[1]} "
            f"{day_first[2]!r} is day-first, row {month_first[1]} {month_first[2]!r} "
            "month-first), so a date such as 04/05/2020 cannot be read: refused"
        )
    found = DAY_FIRST if day_first else MONTH_FIRST if month_first else published
    proof = day_first or month_first
    if found == published or proof is None:
        return found, None
    order = "day first (DD/MM/YYYY)" if found == DAY_FIRST else "month first (MM/DD/YYYY)"
    return found, (
        f"{column} read {order}, as {proof[0]:,} of its dates prove (row {proof[1]} {proof[2]!r})"
    )


def slash_or_iso_date(column: str, order: str) -> pl.Expr:
    """The date of a field written in ``order`` or YYYY-MM-DD, whole (no trailing text)."""
    text = pl.col(column).str.strip_chars()
    return (
        pl.when(text.str.contains(SLASH_DATE))
        .then(text.str.to_date(order, strict=False))
        .when(text.str.contains(ISO_DATE))
        .then(text.str.to_date("%Y-%m-%d", strict=False))
    )
