"""`breach-warehouse generate`: synthetic raw Parquet for the benchmark."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from breach_warehouse.commands.common import say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="write synthetic raw Parquet (breaches, penalties, actions) in the ingest layer's shape",
    )
    parser.add_argument("--breaches", type=int, required=True)
    parser.add_argument("--penalties", type=int, required=True)
    parser.add_argument("--actions", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="data folder (raw/synthetic/...)")
    parser.add_argument("--batch-rows", type=int, default=500_000, help="rows per Parquet file")
    parser.add_argument(
        "--append-fraction",
        type=float,
        default=0.0,
        help="write only an increment of this fraction of new rows, as a new load (e.g. 0.01)",
    )
    parser.add_argument(
        "--append-number", type=int, default=1, help="which increment (1, 2, ...): new ids each"
    )
    parser.add_argument(
        "--sources",
        type=int,
        default=1,
        help="1: the synthetic source alone; 2-5: with overlapping sources (hhs_ocr, hibp, "
        "gdpr_fines, vcdb: re-reported breaches under name variants, local currencies) and "
        "the ECB's daily rates",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.bench.generate import GenerateSpec, generate

    spec = GenerateSpec(
        breaches=args.breaches,
        penalties=args.penalties,
        actions=args.actions,
        seed=args.seed,
        out=args.out.resolve(),
        batch_rows=args.batch_rows,
        append_fraction=args.append_fraction,
        append_number=args.append_number,
        sources=args.sources,
    )
    started = time.perf_counter()
    summary = generate(spec, progress=say)
    say(
        f"Wrote {len(summary.files)} files under {summary.out} in {time.perf_counter() - started:.1f}s"
    )
    for table, rows in summary.rows.items():
        say(f"  {table:<20} {rows:>12,} rows")
    say(f"  loads: {', '.join(summary.load_ids)}")
    return 0
