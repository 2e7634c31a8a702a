"""Build the warehouse into a new file and publish it only when every dbt test passed.

The served database is never written to: dbt builds ``.<name>.building-<id>`` beside it,
and an atomic rename replaces the served file once the build and all its tests succeed.
Readers that already had the old file open keep reading it; new connections see the new
one. A failure at any step removes the partial build and leaves the served file untouched.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from breach_warehouse.dbt_runner import DbtRun, NodeOutcome, run_dbt, work_dir_for
from breach_warehouse.paths import SEEDS_DIR
from breach_warehouse.seed_check import check_seeds

MART_PREFIXES = ("dim_", "fct_", "bridge_")


class RefreshError(RuntimeError):
    """The refresh failed; the served warehouse was left as it was."""


@dataclass
class RefreshSummary:
    db_path: Path
    seconds: float
    models: int
    seeds: int
    tests_passed: int
    tests_failed: int
    mart_rows: dict[str, int] = field(default_factory=dict)


Progress = Callable[[str], None]


def build_path_for(db_path: Path) -> Path:
    """A fresh file name beside the served database for one build."""
    return db_path.with_name(f".{db_path.name}.building-{uuid.uuid4().hex[:12]}")


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def mart_row_counts(db_path: Path) -> dict[str, int]:
    """Row counts of every mart table in a warehouse file."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = [
            name
            for (name,) in con.sql(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        return {
            t: int(con.sql(f'select count(*) from main."{t}"').fetchall()[0][0]) for t in tables
        }


def _finalize(build_path: Path) -> None:
    """Fold the write-ahead log into the file so the rename publishes one complete file."""
    with duckdb.connect(str(build_path)) as con:
        con.execute("checkpoint")


def refresh(
    db_path: Path,
    *,
    data_dir: Path,
    progress: Progress | None = None,
    extra_vars: dict[str, object] | None = None,
) -> RefreshSummary:
    """Seeds + ``dbt build`` into a new file, published over ``db_path`` on success."""
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    say("Checking seeds ...")
    check_seeds(SEEDS_DIR)
    build_path = build_path_for(db_path)

    def on_node(node: NodeOutcome, done: int) -> None:
        name = node.unique_id.split(".", 2)[-1]
        say(
            f"  [{done:>3}] {node.status.upper():<7} {node.resource_type:<9} {name} ({node.seconds:.2f}s)"
        )

    try:
        say(f"Building into {build_path.name} ...")
        run: DbtRun = run_dbt(
            ["build"],
            db_path=build_path,
            dbt_vars={"data_dir": str(data_dir), **(extra_vars or {})},
            on_node=on_node,
            work_dir=work_dir_for(db_path),
        )
        if not run.success:
            raise RefreshError(
                f"dbt build failed; {db_path} was left as it was.\n{run.error_message}"
            )
        _finalize(build_path)
        rows = mart_row_counts(build_path)
        os.replace(build_path, db_path)
    finally:
        _remove_database(build_path)
    return RefreshSummary(
        db_path=db_path,
        seconds=time.perf_counter() - started,
        models=run.count("model", ["success", "ok"]),
        seeds=run.count("seed", ["success"]),
        tests_passed=run.count("test", ["pass"]) + run.count("unit_test", ["pass"]),
        tests_failed=run.count("test", ["fail", "error"])
        + run.count("unit_test", ["fail", "error"]),
        mart_rows=rows,
    )
