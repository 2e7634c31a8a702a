"""`breach-warehouse`: build, query and serve the warehouse."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from breach_warehouse.paths import resolve_data_dir, resolve_db_path


def _print(msg: str) -> None:
    print(msg, flush=True)


def cmd_refresh(args: argparse.Namespace) -> int:
    from breach_warehouse.refresh import RefreshError, refresh
    from breach_warehouse.seed_check import SeedValidationError

    db_path = resolve_db_path(args.db)
    try:
        summary = refresh(db_path, data_dir=resolve_data_dir(args.data_dir), progress=_print)
    except (RefreshError, SeedValidationError) as exc:
        print(f"refresh failed: {exc}", file=sys.stderr)
        return 1
    _print("")
    _print(f"Published {summary.db_path} in {summary.seconds:.1f}s")
    _print(
        f"  {summary.seeds} seeds, {summary.models} models, "
        f"{summary.tests_passed} tests passed, {summary.tests_failed} failed"
    )
    width = max(len(name) for name in summary.mart_rows) if summary.mart_rows else 10
    for name, rows in summary.mart_rows.items():
        _print(f"  {name:<{width}}  {rows:>8,} rows")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from breach_warehouse.output import render
    from breach_warehouse.sql import WriteRefusedError, query

    try:
        frame = query(resolve_db_path(args.db), args.query)
    except WriteRefusedError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except Exception as exc:  # a DuckDB error in the user's SQL
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(render(frame, args.format))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breach-warehouse",
        description="Analytics warehouse for data breaches, fines and regulatory actions.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add_db(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db",
            type=Path,
            default=None,
            help="warehouse file (default warehouse/breach_warehouse.duckdb)",
        )

    p = sub.add_parser(
        "refresh", help="build the warehouse from the seeds and loaded data, publish it atomically"
    )
    add_db(p)
    p.add_argument("--data-dir", type=Path, default=None, help="ingest data folder (default data/)")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("sql", help="run a read-only SQL query against the warehouse")
    p.add_argument("query", help="a SELECT statement")
    add_db(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_sql)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
