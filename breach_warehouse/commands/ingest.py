"""`breach-warehouse ingest`: load one public source into the data directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from breach_warehouse.commands.common import add_data_dir_argument, say
from breach_warehouse.paths import resolve_data_dir

SOURCE_NAMES = ["hhs_ocr", "vcdb", "hibp", "gdpr_fines", "ecb_fx"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="load one public source (a file, folder or URL) into the data directory",
        description=(
            "Parse one source into the raw tables (data/raw/<source>/<table>/<load_id>.parquet), "
            "quarantine rejected rows (data/quarantine/<source>/<load_id>.parquet) and record the "
            "load (data/loads/<source>.jsonl). Loading the same input twice adds nothing; a newer "
            "version adds new rows and new versions of changed ones. Without --path or --url the "
            "source's official download address is fetched."
        ),
    )
    parser.add_argument("source", choices=SOURCE_NAMES, help="the source to load")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--path", type=Path, help="a local file or folder in the published format")
    where.add_argument("--url", help="download from this address instead of the default")
    add_data_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ingest.core import IngestFormatError
    from ingest.fetch import DownloadError
    from ingest.loader import load_source

    data_dir = resolve_data_dir(args.data_dir)
    try:
        summary = load_source(args.source, data_dir=data_dir, path=args.path, url=args.url)
    except (IngestFormatError, DownloadError, FileNotFoundError) as exc:
        print(f"ingest {args.source} failed: {exc}", file=sys.stderr)
        return 1
    say(summary.line())
    say(f"  load {summary.load_id} into {data_dir}")
    return 0


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
    from breach_warehouse.paths import PROJECT_DIR
    from ingest.loader import read_sources_config, run_configured

    config = args.sources or PROJECT_DIR / "sources.yml"
    data_dir = resolve_data_dir(args.data_dir)
    failed = 0
    for name in read_sources_config(config):
        try:
            for summary in run_configured(config, data_dir, only=[name]):
                say(f"Ingested {summary.line()}")
        except Exception as exc:  # a source that fails must not hide the others
            print(f"ingest {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
    return failed
