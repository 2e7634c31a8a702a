"""Read-only SQL against the warehouse file, which is all it can read: statements that
write are refused before they run, and the connection has DuckDB's external access off,
so reading any other file (``read_csv``, ``read_text``, ``glob``, installing or loading an
extension) is refused too."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

READ_ONLY_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


class WriteRefusedError(ValueError):
    """The statement would change the warehouse; it was not run."""


class FileAccessRefusedError(WriteRefusedError):
    """The statement reads a file other than the warehouse; it was refused."""


def ensure_read_only(query: str) -> None:
    """Raise WriteRefusedError unless every statement in ``query`` only reads."""
    statements = duckdb.extract_statements(query)
    if not statements:
        raise WriteRefusedError("no SQL statement given")
    for statement in statements:
        if statement.type not in READ_ONLY_STATEMENTS:
            kind = statement.type.name
            raise WriteRefusedError(
                f"refused: {kind} statements change the warehouse; `breach-warehouse sql` "
                "only reads (SELECT, WITH ... SELECT, EXPLAIN). Rebuild with `breach-warehouse refresh`."
            )


def query(db_path: Path, sql: str, params: list[object] | None = None) -> pl.DataFrame:
    """Run a read-only query on a short-lived read-only connection and return a polars frame."""
    ensure_read_only(sql)
    from warehouse_api import DuckDBWarehouse

    with DuckDBWarehouse(db_path).connect() as con:
        try:
            return con.sql(sql, params=params).pl()
        except duckdb.PermissionException as exc:
            detail = str(exc).split(" - ")[0].removeprefix("Permission Error: ")
            raise FileAccessRefusedError(
                f"refused: `breach-warehouse sql` reads the warehouse only, and file access "
                f"is off ({detail})"
            ) from exc
