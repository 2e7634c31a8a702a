"""`breach-warehouse sql`: read-only SQL against the warehouse."""

from __future__ import annotations

import argparse
import sys

from breach_warehouse.commands.common import add_db_argument
from groundwork.paths import resolve_db_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sql", help="run a read-only SQL query against the warehouse")
    parser.add_argument("query", help="a SELECT statement")
    add_db_argument(parser)
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from breach_warehouse.errors import EXIT_FAILED, EXIT_USAGE, one_line
    from breach_warehouse.output import render
    from breach_warehouse.sql import WriteRefusedError, query

    try:
        frame = query(resolve_db_path(args.db), args.query)
    except WriteRefusedError as exc:  # a write, or a file other than the warehouse
        print(one_line(str(exc)), file=sys.stderr)
        return EXIT_USAGE
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    except duckdb.Error as exc:  # an error in the user's SQL (a held lock: exit status 75)
        print(f"query failed: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    sys.stdout.write(render(frame, args.format))
    return 0
