"""`breach-warehouse serve`: the Dash dashboard over the warehouse (read-only), on the
waitress production WSGI server, never Flask's development server."""

from __future__ import annotations

import argparse
import os
import sys

from breach_warehouse.commands.common import add_db_argument, say
from breach_warehouse.paths import resolve_db_path

DEFAULT_THREADS = 8  # DuckDB queries run outside the GIL; the figures are built inside it


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the dashboard (reads the warehouse only)")
    add_db_argument(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--threads",
        type=_positive,
        default=int(os.environ.get("BW_SERVE_THREADS") or DEFAULT_THREADS),
        help=f"worker threads of the WSGI server (default $BW_SERVE_THREADS or {DEFAULT_THREADS})",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="Dash dev tools (callback errors shown in the page) and tracebacks of errors",
    )
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def run(args: argparse.Namespace) -> int:
    db_path = resolve_db_path(args.db)
    if not db_path.is_file():
        print(
            f"no warehouse at {db_path}: build it first with "
            f"`breach-warehouse refresh --db {db_path}` (or `make run`)",
            file=sys.stderr,
        )
        return 1
    import waitress

    from dashboards.app import create_app

    app = create_app(db_path)
    if args.debug:
        app.enable_dev_tools(
            debug=True, dev_tools_hot_reload=False, dev_tools_disable_version_check=True
        )
    say(
        f"Serving {db_path} on http://{args.host}:{args.port}/ (waitress, {args.threads} "
        "threads; Ctrl+C to stop)"
    )
    try:
        waitress.serve(
            app.server,
            host=args.host,
            port=args.port,
            threads=args.threads,
            _quiet=True,
        )
    except KeyboardInterrupt:
        say("Stopped")
    return 0
