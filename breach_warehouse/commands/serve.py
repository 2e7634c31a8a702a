"""`breach-warehouse serve`: the Dash dashboard over the warehouse (read-only), on the
gunicorn production WSGI server (never Flask's development server): ``--workers``
processes (one per core by default, so the figures, built under each process's GIL, use
every core), each with ``--threads`` threads (DuckDB's queries run outside the GIL)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from breach_warehouse.commands.common import add_db_argument, say
from groundwork.paths import resolve_db_path

DEFAULT_THREADS = 4


def default_workers() -> int:
    return int(os.environ.get("BW_SERVE_WORKERS") or os.cpu_count() or 1)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the dashboard (reads the warehouse only)")
    add_db_argument(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help="server processes (default $BW_SERVE_WORKERS, else one per core)",
    )
    parser.add_argument(
        "--threads",
        type=_positive,
        default=int(os.environ.get("BW_SERVE_THREADS") or DEFAULT_THREADS),
        help=f"threads per process (default $BW_SERVE_THREADS or {DEFAULT_THREADS})",
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


def warm_up(server) -> None:
    """Render the index page once in this worker before it serves. Dash registers the
    JavaScript bundles it may serve (its renderer, React, the components) only while
    rendering the index, so a browser's script requests reaching a worker that has not
    rendered one were refused with 500 and the page never drew."""
    response = server.test_client().get("/")
    if response.status_code != 200:
        raise RuntimeError(f"the dashboard's index page failed ({response.status_code})")


def _server(db_path: Path, options: dict[str, object], debug: bool):
    """gunicorn's application: each worker process builds the Dash app itself."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from dashboards.app import create_app

            app = create_app(db_path)
            if debug:
                app.enable_dev_tools(
                    debug=True, dev_tools_hot_reload=False, dev_tools_disable_version_check=True
                )
            warm_up(app.server)
            return app.server

    return Server()


def run(args: argparse.Namespace) -> int:
    db_path = resolve_db_path(args.db)
    if not db_path.is_file():
        print(
            f"no warehouse at {db_path}: build it first with "
            f"`breach-warehouse refresh --db {db_path}` (or `make run`)",
            file=sys.stderr,
        )
        return 1
    workers = args.workers or default_workers()
    options = {
        "bind": f"{args.host}:{args.port}",
        "workers": workers,
        "threads": args.threads,
        "worker_class": "gthread",
        "timeout": 120,
        "graceful_timeout": 10,
        "loglevel": "warning",
        "accesslog": None,
        "errorlog": "-",
        "proc_name": "breach-warehouse-serve",
    }
    say(
        f"Serving {db_path} on http://{args.host}:{args.port}/ (gunicorn, {workers} worker "
        f"process(es) x {args.threads} threads; Ctrl+C to stop)"
    )
    _server(db_path, options, args.debug).run()
    return 0
