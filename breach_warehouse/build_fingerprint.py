"""Which project a warehouse file was built by: a checksum of the seeds, models, macros, data
tests and dbt_project.yml, stored in each published build. An incremental refresh reuses the
served file's tables only when the fingerprint is unchanged; otherwise (a mapping seed, a
model, a test or a variable changed) it rebuilds everything, so no row keeps a stale mapping
and every test runs on what it tests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import duckdb

from breach_warehouse.paths import PROJECT_DIR

PARTS = ("seeds", "models", "macros", "tests/dbt", "dbt_project.yml")
SCHEMA = "refresh_meta"
TABLE = f"{SCHEMA}.build_fingerprint"


def project_fingerprint(
    dbt_vars: Mapping[str, object] | None = None, project_dir: Path = PROJECT_DIR
) -> str:
    """Checksum of the project's files and of the variables the build passes to dbt (the
    data folder, and any variable given on the command line)."""
    digest = hashlib.sha256()
    digest.update(json.dumps(dict(dbt_vars or {}), sort_keys=True, default=str).encode() + b"\0")
    for part in PARTS:
        root = project_dir / part
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for file in files:
            digest.update(str(file.relative_to(project_dir)).encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def stored_fingerprint(db_path: Path) -> str | None:
    """The fingerprint a warehouse file was built with (None: unknown, or no file)."""
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            rows = con.sql(f"select fingerprint from {TABLE}").fetchall()
    except duckdb.Error:
        return None
    return str(rows[0][0]) if rows else None


def store_fingerprint(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(f"create or replace table {TABLE} as select ? as fingerprint", [fingerprint])
