"""Where the project's files live. Every path handed to dbt is absolute, so the profile
resolves the same whatever the caller's working directory."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"
PROFILES_DIR = PROJECT_DIR / "profiles"
DEFAULT_DB_PATH = PROJECT_DIR / "warehouse" / "breach_warehouse.duckdb"
DEFAULT_DATA_DIR = PROJECT_DIR / "data"


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    """The warehouse file: the given path, else $BW_DB_PATH, else the default."""
    if db is None:
        db = os.environ.get("BW_DB_PATH") or DEFAULT_DB_PATH
    return Path(db).expanduser().resolve()


def resolve_data_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    """The ingest data folder: the given path, else $BW_DATA_DIR, else the default."""
    if data_dir is None:
        data_dir = os.environ.get("BW_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(data_dir).expanduser().resolve()


@cache
def project_vars() -> dict[str, Any]:
    """The dbt project's variables (dbt_project.yml `vars`), for Python code that must agree
    with the models."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(project["vars"])
