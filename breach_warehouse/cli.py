"""`breach-warehouse`: build, query, serve and extract the warehouse."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

from breach_warehouse.commands import COMMANDS
from breach_warehouse.errors import guarded


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breach-warehouse",
        description="Analytics warehouse for data breaches, fines and regulatory actions.",
        epilog="Exit codes: 0 done, 1 failed, 2 usage or refused statement, 3 input refused, "
        "4 nothing usable in the input, 70 internal error, 75 busy or locked, 130 "
        "interrupted (README: Exit codes).",
    )
    parser.add_argument(
        "--debug",
        dest="traceback",
        action="store_true",
        help="show the Python traceback of an error (default: one line; also BW_DEBUG=1)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"breach_warehouse.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the command inside the error boundary
    (breach_warehouse.errors): its exit code, or one line on stderr and a documented code."""
    args = build_parser().parse_args(argv)
    debug = bool(args.traceback or (args.command == "serve" and getattr(args, "debug", False)))
    label = f"{args.command} {args.source}" if args.command == "ingest" else args.command
    return guarded(label, lambda: args.func(args), debug=debug)


if __name__ == "__main__":
    raise SystemExit(main())
