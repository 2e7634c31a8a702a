"""`breach-warehouse serve`: the Dash dashboard over the warehouse (read-only)."""

from __future__ import annotations

import argparse
import sys

from breach_warehouse.commands.common import add_db_argument, say
from breach_warehouse.paths import resolve_db_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the dashboard (reads the warehouse only)")
    add_db_argument(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--debug", action="store_true", help="Dash dev tools: callback errors shown in the page"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db_path = resolve_db_path(args.db)
    if not db_path.is_file():
        print(
            f"no warehouse at {db_path}: build it first with "
            f"`breach-warehouse refresh --db {db_path}` (or `make run`)",
            file=sys.stderr,
        )
        return 1
    from dashboards.app import create_app

    app = create_app(db_path)
    say(f"Serving {db_path} on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    # No reloader: it would fork a second server process and re-import the pages.
    app.run(
        host=args.host,
        port=args.port,
        debug=args.debug,
        use_reloader=False,
        dev_tools_disable_version_check=True,  # no call home to plotly.com
    )
    return 0
