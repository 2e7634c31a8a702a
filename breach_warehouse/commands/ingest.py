"""`breach-warehouse ingest`: load one public source into the data directory."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from breach_warehouse.commands.common import add_data_dir_argument, say
from groundwork.paths import resolve_data_dir

SOURCE_NAMES = ["hhs_ocr", "vcdb", "hibp", "gdpr_fines", "ecb_fx"]
BUNDLED = "bundled"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="load one public source (a file, folder or URL) into the data directory",
        description=(
            "Parse one source into the raw tables (data/raw/<source>/<table>/<load_id>.parquet), "
            "quarantine rejected rows (data/quarantine/<source>/<load_id>.parquet) and record the "
            "load (data/loads/<source>.jsonl) with where every row read went "
            "(data/reconciliation/<source>/<load_id>.parquet). Loading the same input twice adds "
            "nothing; another snapshot adds new rows and new versions of changed ones, ordered "
            "by its as-of date. Without --path or --url the source's official download address "
            "is fetched. `ingest bundled` loads the snapshots shipped with the product."
        ),
    )
    parser.add_argument(
        "source",
        choices=[*SOURCE_NAMES, BUNDLED],
        help="the source to load, or `bundled`: every bundled snapshot not loaded yet",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--path", type=Path, help="a local file or folder in the published format")
    where.add_argument("--url", help="download from this address instead of the default")
    parser.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the date the input describes, YYYY-MM-DD (default: a date in the file name, else "
        "the latest date in the file, else today)",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="record a load with no usable row (none read, or all quarantined or duplicates) "
        "with a warning (default: refuse it, exit status 4, nothing written)",
    )
    add_data_dir_argument(parser)
    parser.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def load_errors() -> tuple[type[Exception], ...]:
    """What a load that cannot be done raises: a bad or empty input, one that does not
    balance, a damaged bundled snapshot, a failed download, a missing file."""
    from ingest.accounting import IngestAccountingError
    from ingest.core import IngestEmptyError, IngestFormatError
    from ingest.fetch import DownloadError
    from ingest.snapshots import SnapshotError

    return (
        IngestFormatError,
        IngestEmptyError,
        IngestAccountingError,
        SnapshotError,
        DownloadError,
        FileNotFoundError,
    )


def run(args: argparse.Namespace) -> int:
    """Load one source. A refused or empty input, like any error, ends in the CLI's error
    boundary: one line naming the file (row, column) and its exit code (3, 4, ...)."""
    from ingest.loader import load_source

    data_dir = resolve_data_dir(args.data_dir)
    if args.source == BUNDLED:
        return _ingest_bundled(args, data_dir)
    summary = load_source(
        args.source,
        data_dir=data_dir,
        path=args.path,
        url=args.url,
        as_of=args.as_of,
        allow_empty=args.allow_empty,
    )
    say(summary.line())
    say(f"  load {summary.load_id} into {data_dir}")
    if summary.status == "loaded" and not summary.rows_loaded:
        print(
            f"warning: {summary.source_file}: nothing usable was loaded (--allow-empty)",
            file=sys.stderr,
        )
    return 0


def _ingest_bundled(args: argparse.Namespace, data_dir: Path) -> int:
    from ingest.snapshots import load_bundled

    if args.path or args.url or args.as_of or args.allow_empty:
        print("ingest bundled takes no --path, --url, --as-of or --allow-empty", file=sys.stderr)
        return 2
    summaries = load_bundled(data_dir, progress=say)
    if not summaries:
        say(f"Every bundled snapshot is already loaded in {data_dir}")
    return 0


def add_bundled_argument(parser: argparse.ArgumentParser) -> None:
    """`refresh --no-bundled`: build without loading the bundled snapshots."""
    parser.add_argument(
        "--no-bundled",
        action="store_true",
        help="do not load the bundled public snapshots into the data directory first "
        "(default: load any not loaded yet, so the build holds them)",
    )


def ingest_bundled_for_refresh(args: argparse.Namespace) -> str | None:
    """Load the bundled snapshots the data directory lacks; the error, if one failed."""
    from ingest.snapshots import load_bundled

    if getattr(args, "no_bundled", False):
        return None
    try:
        load_bundled(resolve_data_dir(args.data_dir), progress=say)
    except (*load_errors(), OSError) as exc:
        return f"bundled snapshots: {exc}"
    return None


def add_refresh_ingest_arguments(parser: argparse.ArgumentParser) -> None:
    """`refresh --ingest [--sources FILE]`: re-run the configured sources before building."""
    parser.add_argument(
        "--ingest",
        action="store_true",
        help="first load every enabled source of sources.yml (a failed source is reported, "
        "the build goes on with the loads already in the data directory, exit status 1)",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        default=None,
        help="sources file for --ingest (default sources.yml at the top of the project)",
    )


def ingest_configured(args: argparse.Namespace) -> int:
    """Load the sources of the sources file; return how many failed."""
    from breach_warehouse.errors import classify
    from groundwork.paths import PROJECT_DIR
    from ingest.loader import read_sources_config, run_configured

    config = args.sources or PROJECT_DIR / "sources.yml"
    data_dir = resolve_data_dir(args.data_dir)
    failed = 0
    for name in read_sources_config(config):
        try:
            for summary in run_configured(config, data_dir, only=[name]):
                say(f"Ingested {summary.line()}")
        except Exception as exc:  # a source that fails must not hide the others
            print(f"ingest {name} failed: {classify(exc)[1]}", file=sys.stderr)
            failed += 1
    return failed
