"""`breach-warehouse bench`: the scale benchmark (see breach_warehouse/bench.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from breach_warehouse.commands.common import say


def register(subparsers: argparse._SubParsersAction) -> None:
    from breach_warehouse.bench import SCALES

    parser = subparsers.add_parser(
        "bench",
        help="generate synthetic data, time each pipeline step in its own process, print the table",
    )
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (median shown)")
    parser.add_argument("--requests", type=int, default=200, help="dashboard callback calls")
    parser.add_argument(
        "--dashboard-budget",
        type=float,
        default=600.0,
        help="seconds the dashboard step may take; it reports the calls made so far",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--sources",
        type=int,
        default=5,
        help="synthetic sources (generate --sources): 1 alone, 5 with four overlapping ones",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help="keep data, warehouses and each run's output (logs/) here (default: temp, removed)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["mart (dbt)", "incremental refresh", "default build", "dashboard", "linkage"],
        help="leave out a step (CI: 'mart (dbt)' compares the full refresh's mart instead)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.bench import (
        SCALES,
        StepFailedError,
        format_report,
        report_json,
        run_bench,
    )

    try:
        report = run_bench(
            SCALES[args.scale],
            work_dir=args.work_dir,
            repeat=args.repeat,
            seed=args.seed,
            sources=args.sources,
            requests=args.requests,
            dashboard_budget=args.dashboard_budget,
            skip=frozenset(args.skip),
            progress=say,
        )
    except StepFailedError as exc:
        say(f"bench failed: {exc}")
        return 1
    say("")
    say(format_report(report))
    if args.json:
        args.json.write_text(report_json(report))
    return 0 if all(a.identical for a in report.agreements.values()) else 2
