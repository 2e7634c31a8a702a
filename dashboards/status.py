"""What the server finds when it opens the warehouse, said once and shown on every page.

A read-write session of another process (an analyst's ``duckdb FILE``) holds the file's
lock, and a read-only open fails. The server then logs one line naming the holder when
the lock is first met and one when it is released, callbacks answer 503 with that line,
and a banner on every page says it until the file is read again (checked every
:data:`POLL_MS`). Nothing is cached about the failure: the next query opens the file anew.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import dash
from dash import Input, Output, dcc, html

from warehouse_api import WarehouseLockedError

POLL_MS = 15_000
_guard = threading.Lock()
_held: dict[str, str] = {}  # warehouse path -> the line said when its lock was met


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def report_locked(db_path: Path, message: str) -> None:
    """A read-only open found the file locked: say so once per episode."""
    with _guard:
        if _held.get(str(db_path)) != message:
            _held[str(db_path)] = message
            _say(f"dashboard: {message}")


def report_opened(db_path: Path) -> None:
    """A read-only open succeeded: if a lock was reported, say it is gone."""
    with _guard:
        if _held.pop(str(db_path), None) is not None:
            _say(f"dashboard: {db_path}: the lock was released; serving it again")


def banner() -> html.Div:
    return html.Div(
        [
            html.Div(id="app-status", className="app-status"),
            dcc.Interval(id="app-status-poll", interval=POLL_MS),
        ]
    )


def register(app: dash.Dash) -> None:
    """The banner's callback and the 503 answer to a callback that met the lock."""
    from dashboards import data
    from dashboards.context import db_path

    @app.callback(Output("app-status", "children"), Input("app-status-poll", "n_intervals"))
    def show_status(_n: int | None) -> str:
        return data.warehouse_problem(db_path()) or ""

    @app.server.errorhandler(WarehouseLockedError)
    def locked(exc: WarehouseLockedError):
        return app.server.response_class(
            json.dumps({"error": str(exc)}), status=503, mimetype="application/json"
        )
