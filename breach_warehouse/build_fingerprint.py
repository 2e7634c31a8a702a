"""Which project a warehouse file was built by: a checksum of the seeds, models, macros, data
tests and dbt_project.yml and of the versions of dbt and DuckDB that ran them, stored in
each published build. An incremental refresh reuses the served file's tables only when the
fingerprint is unchanged (each ``Warehouse`` stores and reads it: ``fingerprint()``); otherwise (a mapping seed, a model, a test or a variable changed,
or dbt, its adapter or DuckDB was upgraded) it rebuilds everything, so no row keeps a stale
mapping and every test runs on what it tests. The same fingerprint beside dbt's manifest
tells an incremental build whether that manifest still describes the project
(dbt_runner.manifest_describes).

A refresh has nothing to do when the served warehouse was built by this fingerprint from
exactly the input files there are now (``served_build_is_current``): then it runs no dbt
and publishes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from groundwork.paths import PROJECT_DIR
from groundwork.provenance import InputFile
from warehouse_api import Warehouse

PARTS = ("seeds", "models", "macros", "tests/dbt", "dbt_project.yml", "profiles/profiles.yml")
# The packages whose versions decide what a build writes.
ENGINES = ("dbt-core", "dbt-duckdb", "duckdb")


def engine_versions() -> dict[str, str]:
    """The installed version of each package in ENGINES ("" when it is not installed)."""
    found = {}
    for package in ENGINES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = ""
    return found


def project_fingerprint(
    dbt_vars: Mapping[str, object] | None = None,
    project_dir: Path = PROJECT_DIR,
    engines: Mapping[str, str] | None = None,
) -> str:
    """Checksum of the project's files, of the variables the build passes to dbt (the data
    folder, and any variable given on the command line) and of the engines' versions
    (``engines``; default: the installed ones)."""
    digest = hashlib.sha256()
    digest.update(json.dumps(dict(dbt_vars or {}), sort_keys=True, default=str).encode() + b"\0")
    engines = engine_versions() if engines is None else engines
    digest.update(json.dumps(dict(engines), sort_keys=True).encode() + b"\0")
    for part in PARTS:
        root = project_dir / part
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for file in files:
            digest.update(str(file.relative_to(project_dir)).encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def _contents(files: Iterable[InputFile | Mapping[str, object]]) -> set[tuple[object, ...]]:
    """Each input file as (path, bytes, sha256): what it holds, not when it was written."""
    return {
        (f["path"], f["bytes"], f["sha256"])
        if isinstance(f, Mapping)
        else (f.path, f.bytes, f.sha256)
        for f in files
    }


def served_build_is_current(
    warehouse: Warehouse, fingerprint: str, inputs: Iterable[InputFile]
) -> str | None:
    """The id of the run that built the served ``warehouse`` when that run was of
    ``fingerprint`` (the same seeds, models, macros, tests, dbt variables and engines) and
    read exactly ``inputs`` (the same paths with the same sizes and checksums: no load
    added, removed or rewritten); else None, and the warehouse must be built."""
    if warehouse.fingerprint() != fingerprint:
        return None
    built = warehouse.built_by()
    if built is None or not built.get("input_files"):
        return None
    if _contents(built["input_files"]) != _contents(inputs):  # type: ignore[arg-type]
        return None
    return str(built["run_id"])
