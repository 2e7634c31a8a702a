"""`breach-warehouse extract`: write extracts of the served warehouse."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from breach_warehouse.commands.common import (
    add_db_argument,
    add_target_arguments,
    resolve_warehouse,
    say,
)
from groundwork.paths import PROJECT_DIR

DEFAULT_OUT_DIR = PROJECT_DIR / "extracts"


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="extract definitions (default $BW_EXTRACTS_CONFIG or extracts.yml)",
    )


def resolve_out_dir(out: str | os.PathLike[str] | None) -> Path:
    """The extracts folder: the given path, else $BW_EXTRACTS_DIR, else extracts/."""
    if out is None:
        out = os.environ.get("BW_EXTRACTS_DIR") or DEFAULT_OUT_DIR
    return Path(out).expanduser().resolve()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="write extracts (Parquet, CSV, XLSX) with a manifest; all, or the named ones",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="extracts to write (default all)")
    add_db_argument(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default $BW_EXTRACTS_DIR or extracts/)",
    )
    add_config_argument(parser)
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.errors import EXIT_LOCKED, one_line
    from breach_warehouse.extracts.config import ConfigError, resolve_config_path
    from breach_warehouse.extracts.runner import run_extracts
    from warehouse_api import WarehouseLockedError

    try:
        report = run_extracts(
            resolve_config_path(args.config),
            resolve_warehouse(args),
            resolve_out_dir(args.out),
            args.names,
            progress=say,
        )
    except (ConfigError, FileNotFoundError) as exc:
        print(f"extract failed: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except WarehouseLockedError as exc:  # nothing written: the scheduler retries later
        print(f"extract not started: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    for error in report.definition_errors:
        print(f"rejected: {error}", file=sys.stderr)
    failed = [r for r in report.results if not r.ok]
    for result in failed:
        print(f"extract {result.name!r} failed: {result.error}", file=sys.stderr)
    written = len(report.results) - len(failed)
    say(f"{written} extract(s) written, {len(failed) + len(report.definition_errors)} failed")
    return 0 if report.ok else 1
