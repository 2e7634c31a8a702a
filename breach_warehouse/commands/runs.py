"""`breach-warehouse runs`: the refresh history, failed runs included."""

from __future__ import annotations

import argparse
import json
import sys

from breach_warehouse.commands.common import (
    add_db_argument,
    add_target_arguments,
    resolve_warehouse,
)

TABLE_COLUMNS = [
    "run_id",
    "status",
    "started_at",
    "finished_at",
    "seconds",
    "tests_passed",
    "tests_failed",
    "git_revision",
    "error",
]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "runs", help="list refresh runs: when the data was last refreshed, what failed"
    )
    add_db_argument(parser)
    add_target_arguments(parser)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--limit", type=int, default=20, help="newest N runs (0: all)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import polars as pl

    from breach_warehouse.output import render
    from warehouse_api import refresh_status

    runs = resolve_warehouse(args).runs()
    status = refresh_status(runs)
    shown = runs.head(args.limit) if args.limit > 0 else runs
    if args.format == "json":
        payload = {
            "last_success_run_id": status.last_success_run_id,
            "last_success_at": status.last_success_at,
            "last_run_failed": status.last_run_failed,
            "runs": shown.to_dicts(),
        }
        sys.stdout.write(json.dumps(payload, default=str, indent=2) + "\n")
        return 0
    print(status.describe())
    if shown.is_empty():
        return 0
    table = shown.select(TABLE_COLUMNS).with_columns(
        pl.col("started_at", "finished_at").dt.strftime("%Y-%m-%d %H:%M:%S"),
        pl.col("seconds").round(1),
        pl.col("git_revision").str.slice(0, 12),
        pl.col("error").str.replace_all(r"\s*\n\s*", " | ").str.slice(0, 120),
    )
    sys.stdout.write(render(table, "table"))
    return 0
