"""Read-only SQL against the warehouse file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

READ_ONLY_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


class WriteRefusedError(ValueError):
    """The statement would change the warehouse; it was not run."""


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
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `breach-warehouse refresh` first")
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(sql, params=params).pl()
