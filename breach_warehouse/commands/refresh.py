"""`breach-warehouse refresh`: build and publish the warehouse."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

from breach_warehouse.commands.common import (
    add_data_dir_argument,
    add_db_argument,
    add_target_arguments,
    resolve_warehouse,
    say,
)
from breach_warehouse.commands.ingest import (
    add_bundled_argument,
    add_refresh_ingest_arguments,
    ingest_bundled_for_refresh,
    ingest_configured,
)
from groundwork.paths import resolve_data_dir
from warehouse_api.spark_folder import is_spark_target

if TYPE_CHECKING:
    from breach_warehouse.refresh import RefreshSummary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "refresh",
        help="build the warehouse from the seeds, the bundled public snapshots and the loaded data, publish it atomically",
    )
    add_db_argument(parser)
    add_data_dir_argument(parser)
    add_target_arguments(parser)
    parser.add_argument(
        "--wait",
        action="store_true",
        help="if another refresh of the same warehouse is running, wait for it "
        "(default: exit at once with status 75, naming the running process)",
    )
    add_refresh_ingest_arguments(parser)
    add_bundled_argument(parser)
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every model from nothing (default: start from a copy of the served "
        "warehouse, so incremental models only process new loads)",
    )
    parser.set_defaults(func=run)


EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.locking import LockBusyError
    from breach_warehouse.refresh import RefreshError
    from breach_warehouse.seed_check import SeedValidationError
    from breach_warehouse.spark import SparkUnavailableError

    if is_spark_target(args.target):
        # Fail before any ingest or lock when Spark cannot run here.
        from breach_warehouse.spark import check_spark_available

        try:
            check_spark_available(args.target)
        except SparkUnavailableError as exc:
            print(f"refresh failed: --target {args.target}: {exc}", file=sys.stderr)
            return 2
    bundled_error = ingest_bundled_for_refresh(args)
    if bundled_error is not None:
        print(
            f"refresh failed: {bundled_error}; the served warehouse was left as it was "
            "(--no-bundled builds without the bundled snapshots)",
            file=sys.stderr,
        )
        return 1
    ingest_failures = ingest_configured(args) if args.ingest else 0
    # SIGTERM (systemd, kill) unwinds like Ctrl-C: the build file is removed and the run
    # is recorded as failed before the process exits.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        summary = _refresh(args)
    except LockBusyError as exc:
        print(f"refresh not started: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except SparkUnavailableError as exc:
        print(f"refresh failed: --target {args.target}: {exc}", file=sys.stderr)
        return 2
    except (RefreshError, SeedValidationError) as exc:
        print(f"refresh failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "refresh failed: interrupted; the served warehouse was left as it was", file=sys.stderr
        )
        return 130
    except Exception as exc:  # disk full, permissions, ...: the run is already recorded
        print(f"refresh failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    say("")
    if is_spark_target(args.target):
        say(
            f"Built the Spark warehouse {summary.db_path} ({args.target}) in "
            f"{summary.seconds:.1f}s (run {summary.run_id})"
        )
    elif summary.up_to_date_with is not None:
        say(
            f"{summary.db_path} is up to date (built by run {summary.up_to_date_with}); "
            f"checked in {summary.seconds:.1f}s, nothing published (run {summary.run_id})"
        )
        return 1 if ingest_failures else 0
    else:
        say(f"Published {summary.db_path} in {summary.seconds:.1f}s (run {summary.run_id})")
    say(
        f"  {summary.seeds} seeds, {summary.models} models, "
        f"{summary.tests_passed} tests passed, {summary.tests_failed} failed"
    )
    width = max((len(name) for name in summary.mart_rows), default=10)
    for name, rows in summary.mart_rows.items():
        say(f"  {name:<{width}}  {rows:>10,} rows")
    return 1 if ingest_failures else 0


def _refresh(args: argparse.Namespace) -> RefreshSummary:
    from breach_warehouse.refresh import refresh

    warehouse = resolve_warehouse(args)
    build: Callable[..., RefreshSummary] = refresh
    if is_spark_target(args.target):
        from breach_warehouse.spark.refresh import refresh_spark

        build = refresh_spark
    return build(
        warehouse,
        data_dir=resolve_data_dir(args.data_dir),
        progress=say,
        wait=args.wait,
        full_refresh=args.full_refresh,
    )
