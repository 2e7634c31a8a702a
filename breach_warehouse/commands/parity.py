"""`breach-warehouse parity`: build the same collection on DuckDB and on Spark, compare."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from breach_warehouse.commands.common import say
from warehouse_api import SPARK_TARGETS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "parity",
        help="build the seeds plus a generated collection on DuckDB and on Spark and compare "
        "every mart row by row (needs the spark extra; Java 17+ for the in-process target)",
    )
    parser.add_argument("--breaches", type=int, default=20_000)
    parser.add_argument("--penalties", type=int, default=2_000)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="compare this data folder instead of generating one",
    )
    parser.add_argument(
        "--target",
        choices=SPARK_TARGETS,
        default="spark",
        help="the Spark target to compare with DuckDB: spark (default, in-process), "
        "spark_thrift or spark_connect (a cluster's Thrift or Spark Connect server)",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help="where the two builds go (default a new temporary folder)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.bench.generate import GenerateSpec, generate
    from breach_warehouse.parity import run_parity
    from breach_warehouse.spark import SparkUnavailableError, check_spark_available

    try:
        check_spark_available(args.target)
    except SparkUnavailableError as exc:
        print(f"parity failed: {exc}", file=sys.stderr)
        return 2
    work = (args.work_dir or Path(tempfile.mkdtemp(prefix="bw-parity-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    data_dir = args.data_dir.resolve() if args.data_dir else work / "data"
    if args.data_dir is None:
        say(
            f"Generating {args.breaches:,} breaches, {args.penalties:,} penalties, "
            f"{args.actions:,} actions into {data_dir} ..."
        )
        generate(
            GenerateSpec(args.breaches, args.penalties, args.actions, args.seed, data_dir),
            progress=None,
        )
    started = time.perf_counter()
    report = run_parity(
        data_dir=data_dir,
        db_path=work / "parity.duckdb",
        spark_dir=work / args.target,
        target=args.target,
        progress=say,
    )
    say("")
    for mart in report.marts:
        verdict = "equal" if mart.equal else "DIFFERENT"
        say(
            f"  {mart.mart:<34} {mart.duckdb_rows:>9,} rows DuckDB {mart.spark_rows:>9,} rows Spark"
            f"  key {','.join(mart.key) or '(all columns)'}  {verdict}"
        )
    say(
        f"DuckDB build {report.seconds.get('duckdb', 0):.1f}s, Spark ({args.target}) build "
        f"{report.seconds.get('spark', 0):.1f}s, total {time.perf_counter() - started:.1f}s"
    )
    if report.ok:
        say(f"PARITY OK: {len(report.marts)} marts equal on DuckDB and Spark ({args.target})")
        return 0
    print("PARITY FAILED; first differences:", file=sys.stderr)
    for line in report.first_differences():
        print(f"  {line}", file=sys.stderr)
    return 1
