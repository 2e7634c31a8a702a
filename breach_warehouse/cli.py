"""`breach-warehouse`: build, query, serve and extract the warehouse."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

from breach_warehouse.commands import COMMANDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breach-warehouse",
        description="Analytics warehouse for data breaches, fines and regulatory actions.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"breach_warehouse.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
