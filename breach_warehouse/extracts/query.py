"""Turn an extract definition into parameterised SQL, and check it against the warehouse."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from breach_warehouse.extracts.config import Condition, ExtractDefinition, ExtractsConfig

_OPERATORS = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
# Types that do not survive the round trip through every format: HUGEINT (what sum() of a
# BIGINT returns) becomes a double in Parquet; nested types have no CSV/XLSX cell.
_WIDE_INTEGERS = {"HUGEINT", "UHUGEINT"}
_NESTED_PREFIXES = ("STRUCT", "MAP", "UNION")


@dataclass(frozen=True)
class ExtractQuery:
    sql: str
    params: list[object]


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _conditions(column: str, value: object) -> tuple[list[str], list[object]]:
    col = quote(column)
    if isinstance(value, Condition):
        clauses: list[str] = []
        params: list[object] = []
        for key, op in _OPERATORS.items():
            operand = getattr(value, key)
            if operand is not None:
                clauses.append(f"{col} {op} ?")
                params.append(operand)
        for key, negate in (("in_", ""), ("not_in", "not ")):
            items = getattr(value, key)
            if items is not None:
                more, more_params = _in_list(col, items, negate)
                clauses.append(more)
                params += more_params
        if value.is_null is not None:
            clauses.append(f"{col} is {'' if value.is_null else 'not '}null")
        return clauses, params
    if isinstance(value, list):
        clause, params = _in_list(col, value, "")
        return [clause], params
    return [f"{col} = ?"], [value]


def _in_list(col: str, items: list[object], negate: str) -> tuple[str, list[object]]:
    if not items:
        return ("true" if negate else "false"), []
    return f"{col} {negate}in ({', '.join('?' for _ in items)})", list(items)


def build_query(definition: ExtractDefinition) -> ExtractQuery:
    """``select <columns> from <mart or (sql)> where <filters> order by <order_by>``."""
    source = (
        f"main.{quote(definition.mart)}"
        if definition.mart is not None
        else f"(\n{definition.sql}\n) as extract_source"
    )
    columns = ", ".join(quote(c) for c in definition.columns) if definition.columns else "*"
    clauses: list[str] = []
    params: list[object] = []
    for column, value in definition.filters.items():
        more, more_params = _conditions(column, value)
        clauses += more
        params += more_params
    sql = f"select {columns} from {source}"
    if clauses:
        sql += " where " + " and ".join(clauses)
    if definition.order_by:
        sql += " order by " + ", ".join(quote(c) for c in definition.order_by)
    return ExtractQuery(sql, params)


def mart_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables of the warehouse's ``main`` schema: the marts (and ``refresh_runs``)."""
    rows = con.sql(
        "select table_name from information_schema.tables "
        "where table_schema = 'main' and table_type in ('BASE TABLE', 'VIEW')"
    ).fetchall()
    return {name for (name,) in rows}


def column_types(con: duckdb.DuckDBPyConnection, query: ExtractQuery) -> list[tuple[str, str]]:
    """The (name, DuckDB type) of every column the query returns, without running it."""
    relation = con.sql(f"select * from ({query.sql}) as q limit 0", params=query.params)
    return [(name, str(kind)) for name, kind in zip(relation.columns, relation.types, strict=True)]


def problems(
    definition: ExtractDefinition, con: duckdb.DuckDBPyConnection, marts: set[str]
) -> str | None:
    """Why ``definition`` cannot run against this warehouse, or None."""
    if definition.mart is not None and definition.mart not in marts:
        return f"unknown mart {definition.mart!r} (marts: {', '.join(sorted(marts))})"
    if definition.sql is not None:
        try:
            plain = con.get_table_names(definition.sql, qualified=False)
            qualified = con.get_table_names(definition.sql, qualified=True)
        except duckdb.Error as exc:
            return f"sql does not bind: {exc}"
        outside = sorted(n for n in plain if n not in marts)
        other_schemas = sorted(
            q.split(" AS ")[0]
            for q in qualified
            if "." in q.split(" AS ")[0] and not q.lower().startswith("main.")
        )
        if outside or other_schemas:
            return f"sql may only read the marts; it reads {', '.join(outside + other_schemas)}"
    try:
        types = column_types(con, build_query(definition))
    except duckdb.Error as exc:
        return f"query does not bind: {str(exc).splitlines()[0]}"
    for name, kind in types:
        upper = kind.upper()
        if upper in _WIDE_INTEGERS:
            return (
                f"column {name!r} is {kind}, which Parquet stores as a double: "
                "cast it in the SQL (e.g. sum(x)::bigint)"
            )
        nested = upper.startswith(_NESTED_PREFIXES) or upper.endswith("]")
        flat_formats = [f for f in definition.formats if f != "parquet"]
        if nested and flat_formats:
            return f"column {name!r} is {kind}, which {'/'.join(flat_formats)} cannot hold"
    return None


def check_against_warehouse(config: ExtractsConfig, con: duckdb.DuckDBPyConnection) -> None:
    """Move every extract that cannot run against this warehouse to ``config.errors``."""
    marts = mart_tables(con)
    for definition in list(config.extracts):
        reason = problems(definition, con, marts)
        if reason is not None:
            config.reject(definition, reason)
