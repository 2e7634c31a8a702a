"""An analyst's read-write DuckDB session on the served file, held by a second process:
the warehouse is published read-only on disk, and the dashboard, the extracts and `sql`
report the held lock in one line and read the file again once it is released. Also: the
server `serve` runs is gunicorn."""

from __future__ import annotations

import json
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from breach_warehouse.cli import main
from dashboards import data
from warehouse_api import WarehouseLockedError
from warehouse_api.duckdb_file import PUBLISHED_MODE

pytestmark = pytest.mark.slow

HOLD = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])  # DuckDB's default: read-write, an exclusive lock\n"
    "print('holding', flush=True)\n"
    "sys.stdin.readline()\n"
)


@contextmanager
def analyst_session(db: Path) -> Iterator[int]:
    """A second process holding ``db`` open read-write until the block ends; its pid."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "holding"
        yield process.pid
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


@pytest.fixture()
def served(warehouse_path: Path, tmp_path: Path) -> Path:
    db = tmp_path / "served.duckdb"
    shutil.copy(warehouse_path, db)
    data.close_connections()
    yield db
    data.close_connections()


def test_the_published_warehouse_is_read_only_on_disk(warehouse_path: Path) -> None:
    assert stat.S_IMODE(warehouse_path.stat().st_mode) == PUBLISHED_MODE == 0o444


def test_dashboard_reports_a_held_lock_once_and_recovers(served: Path, capsys) -> None:
    with analyst_session(served) as pid:
        for _ in range(3):
            with pytest.raises(WarehouseLockedError) as info:
                data.query(served, "select count(*) as n from dim_sources")
        message = str(info.value)
        assert f"locked by process {pid}" in message
        assert "duckdb -readonly" in message and "(READ_ONLY)" in message
        assert data.warehouse_problem(served) == message
        said = [line for line in capsys.readouterr().err.splitlines() if "dashboard:" in line]
        assert said == [f"dashboard: {message}"]  # one line, however many queries met it
    frame = data.query(served, "select count(*) as n from dim_sources")
    assert frame["n"][0] > 0
    assert data.warehouse_problem(served) is None
    assert "the lock was released" in capsys.readouterr().err


def test_dashboard_callbacks_answer_503_with_the_line_while_locked(served: Path) -> None:
    from dashboards.app import create_app

    client = create_app(served).server.test_client()
    status = {
        "output": "app-status.children",
        "outputs": {"id": "app-status", "property": "children"},
        "inputs": [{"id": "app-status-poll", "property": "n_intervals", "value": 1}],
        "changedPropIds": ["app-status-poll.n_intervals"],
    }
    options = {
        "output": "compare-jurisdictions.options",
        "outputs": {"id": "compare-jurisdictions", "property": "options"},
        "inputs": [{"id": "compare-init", "property": "data", "value": 1}],
        "changedPropIds": ["compare-init.data"],
    }
    with analyst_session(served):
        answer = client.post("/_dash-update-component", json=options)
        assert answer.status_code == 503
        assert "locked by process" in answer.get_json()["error"]
        banner = client.post("/_dash-update-component", json=status).get_json()
        assert "locked by process" in json.dumps(banner)
    assert client.post("/_dash-update-component", json=options).status_code == 200
    banner = client.post("/_dash-update-component", json=status).get_json()
    assert "locked" not in json.dumps(banner)


def test_extracts_and_sql_report_the_lock_and_work_once_released(
    served: Path, tmp_path: Path, capsys
) -> None:
    extract = ["extract", "current_penalties", "--db", str(served), "--out", str(tmp_path / "x")]
    with analyst_session(served) as pid:
        assert main(extract) == 75
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"locked by process {pid}" in err[0], err
        assert not (tmp_path / "x").exists() or not any((tmp_path / "x").rglob("*.parquet"))
        assert main(["sql", "select 1", "--db", str(served)]) == 75
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "duckdb -readonly" in err[0], err
    assert main(extract) == 0
    assert main(["sql", "select 1 as one", "--db", str(served), "--format", "csv"]) == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_on_gunicorn(served: Path, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    command = [
        str(Path(sys.executable).with_name("breach-warehouse")),
        "serve", "--db", str(served), "--port", str(port), "--workers", "2", "--threads", "2",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    server, status = answer.headers.get("Server"), answer.status
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"serve did not start:\n{log.read_text()}")
                time.sleep(0.3)
        assert (status, server) == (200, "gunicorn")
        assert "gunicorn, 2 worker process(es) x 2 threads" in log.read_text()
        assert "development server" not in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)
