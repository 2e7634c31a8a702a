"""Run extracts against the served warehouse, each on its own so one failure stops no other."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from breach_warehouse.extracts.config import DefinitionError, ExtractDefinition, load_config
from breach_warehouse.extracts.query import build_query, check_against_warehouse, column_types
from breach_warehouse.extracts.writer import (
    SourceRun,
    prune,
    remove_partials,
    update_latest,
    write_version,
)
from breach_warehouse.locking import exclusive_lock
from groundwork.runs import RUNS_TABLE
from warehouse_api import Warehouse, open_warehouse
from warehouse_api.engine import has_table

Progress = Callable[[str], None]
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class ExtractResult:
    name: str
    version_dir: Path | None = None
    rows: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class ExtractReport:
    results: list[ExtractResult] = field(default_factory=list)
    definition_errors: list[DefinitionError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.definition_errors and all(r.ok for r in self.results)


def source_run(con: duckdb.DuckDBPyConnection, db_path: Path) -> SourceRun:
    """The successful refresh that built this warehouse, from its ``refresh_runs`` table."""
    if has_table(con, RUNS_TABLE):
        rows = con.sql(
            f"select run_id, finished_at, git_revision from main.{RUNS_TABLE} "
            "where status = 'success' order by finished_at desc limit 1"
        ).fetchall()
        if rows:
            run_id, finished, revision = rows[0]
            return SourceRun(str(db_path), run_id, finished, revision)
    modified = datetime.fromtimestamp(db_path.stat().st_mtime, UTC)
    return SourceRun(str(db_path), None, modified, None)


def run_extracts(
    config_path: Path,
    warehouse: Warehouse | Path,
    out_dir: Path,
    names: Sequence[str] = (),
    *,
    progress: Progress | None = None,
    clock: Clock | None = None,
    target: str = "duckdb",
) -> ExtractReport:
    """Write the named extracts (all when none are named) from the served warehouse.

    ``warehouse`` is a ``Warehouse``, or a path read with ``target``: with a Spark target
    (``spark``, ``spark_thrift``, ``spark_connect``) a Spark warehouse folder, whose marts
    are read from the Parquet files its build wrote (on a cluster, the files its executors
    wrote); the extract files are the same either way.
    """
    if not isinstance(warehouse, Warehouse):
        warehouse = open_warehouse(warehouse, target)
    db_path = warehouse.location
    say = progress or (lambda _msg: None)
    now = clock or (lambda: datetime.now(UTC))
    config = load_config(config_path)
    report = ExtractReport()
    with warehouse.connect() as con:
        check_against_warehouse(config, con)
        wanted = set(names) if names else None
        known = {e.name for e in config.extracts} | {e.name for e in config.errors}
        report.definition_errors = [e for e in config.errors if wanted is None or e.name in wanted]
        for missing in sorted((wanted or set()) - known):
            report.definition_errors.append(
                DefinitionError(config_path, missing, "no extract of that name is defined")
            )
        for error in report.definition_errors:
            say(f"rejected: {error}")
        source = source_run(con, db_path)
        for definition in config.extracts:
            if wanted is not None and definition.name not in wanted:
                continue
            report.results.append(_run_one(definition, con, source, out_dir, now, say))
    return report


def _run_one(
    definition: ExtractDefinition,
    con: duckdb.DuckDBPyConnection,
    source: SourceRun,
    out_dir: Path,
    now: Clock,
    say: Progress,
) -> ExtractResult:
    extract_dir = out_dir / definition.name
    say(f"{definition.name}: querying ...")
    try:
        extract_dir.mkdir(parents=True, exist_ok=True)
        lock = extract_dir / ".lock"
        with exclusive_lock(lock, what=f"extract {definition.name}", wait=True, timeout=600):
            remove_partials(extract_dir)
            query = build_query(definition)
            types = column_types(con, query)
            frame = con.sql(query.sql, params=query.params).pl()
            started = now()
            manifest: dict[str, object] = {
                "extract": definition.name,
                "description": definition.description,
                "created_at": started.astimezone(UTC).isoformat(timespec="seconds"),
                "source": {
                    "warehouse": source.warehouse,
                    "run_id": source.run_id,
                    "refreshed_at": source.refreshed_at.isoformat()
                    if source.refreshed_at
                    else None,
                    "git_revision": source.git_revision,
                },
                "data_as_of": source.data_as_of,
                "definition": definition.model_dump(exclude_none=True, by_alias=True),
                "query": query.sql,
                "parameters": query.params,
                "columns": [
                    {"name": name, "type": kind, "polars_type": str(frame.schema[name])}
                    for name, kind in types
                ],
            }
            say(
                f"{definition.name}: writing {frame.height:,} rows as {', '.join(definition.formats)}"
            )
            version_dir = write_version(
                frame,
                name=definition.name,
                extract_dir=extract_dir,
                formats=definition.formats,
                manifest=manifest,
                now=started,
            )
            manifest = {**manifest, "row_count": frame.height}
            update_latest(extract_dir, version_dir, manifest)
            for old in prune(extract_dir, definition.retention):
                say(f"{definition.name}: pruned {old.name}")
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        say(f"{definition.name}: FAILED: {reason}")
        return ExtractResult(definition.name, error=reason)
    say(f"{definition.name}: wrote {version_dir}")
    return ExtractResult(definition.name, version_dir=version_dir, rows=frame.height)
