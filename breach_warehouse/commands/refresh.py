"""`breach-warehouse refresh`: build and publish the warehouse."""

from __future__ import annotations

import argparse
import sys

from breach_warehouse.commands.common import add_data_dir_argument, add_db_argument, say
from breach_warehouse.paths import resolve_data_dir, resolve_db_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "refresh",
        help="build the warehouse from the seeds and loaded data, publish it atomically",
    )
    add_db_argument(parser)
    add_data_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.refresh import RefreshError, refresh
    from breach_warehouse.seed_check import SeedValidationError

    try:
        summary = refresh(
            resolve_db_path(args.db), data_dir=resolve_data_dir(args.data_dir), progress=say
        )
    except (RefreshError, SeedValidationError) as exc:
        print(f"refresh failed: {exc}", file=sys.stderr)
        return 1
    say("")
    say(f"Published {summary.db_path} in {summary.seconds:.1f}s")
    say(
        f"  {summary.seeds} seeds, {summary.models} models, "
        f"{summary.tests_passed} tests passed, {summary.tests_failed} failed"
    )
    width = max((len(name) for name in summary.mart_rows), default=10)
    for name, rows in summary.mart_rows.items():
        say(f"  {name:<{width}}  {rows:>10,} rows")
    return 0
