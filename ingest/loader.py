"""Load one source into the data directory: idempotent, incremental, nothing lost.

A load reads one input (a file, a folder or a downloaded URL), parses it with the source's
module into the raw contract's tables and writes, for each table, only the rows that are
new or changed since the source's earlier loads (a changed row is a new version of its
``source_record_id``; earlier versions stay), plus every rejected row to the quarantine:

    <data_dir>/raw/<source>/<table>/<load_id>.parquet
    <data_dir>/quarantine/<source>/<load_id>.parquet
    <data_dir>/loads/<source>.jsonl          one line per load (the load registry)

Loading an input whose checksum a finished load already has is a no-op. Every file is
written under a temporary name and renamed into place, so a crashed load leaves no partial
Parquet file for dbt to read (and a rerun writes whatever the crash left unwritten).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import shutil
import tempfile
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType

import polars as pl
import yaml
from filelock import FileLock

from ingest.contract import (
    PARENTS,
    TABLES,
    atomic_write_parquet,
    business_schema,
    conform,
    empty_business_frame,
    quarantine_schema,
    table_schema,
)
from ingest.core import ParseContext, ParseResult, empty_quarantine, hash_expr, row_text

SOURCES: dict[str, str] = {
    "hhs_ocr": "ingest.hhs_ocr",
    "vcdb": "ingest.vcdb",
    "hibp": "ingest.hibp",
    "gdpr_fines": "ingest.gdpr_fines",
    "ecb_fx": "ingest.ecb_fx",
}


class UnknownSourceError(KeyError):
    pass


def source_module(name: str) -> ModuleType:
    if name not in SOURCES:
        raise UnknownSourceError(f"unknown source {name!r}; known sources: {', '.join(SOURCES)}")
    return importlib.import_module(SOURCES[name])


@dataclass
class LoadSummary:
    source_name: str
    load_id: str
    status: str  # loaded | already_loaded
    input: str
    file_sha256: str
    started_at: str
    finished_at: str
    read: int = 0
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    duplicates: int = 0

    def line(self) -> str:
        return (
            f"{self.source_name}: read {self.read:,}, loaded {self.loaded:,}, "
            f"updated {self.updated:,}, unchanged {self.unchanged:,}, "
            f"quarantined {self.quarantined:,}"
            + (f", duplicates {self.duplicates:,}" if self.duplicates else "")
            + (" (input already loaded)" if self.status == "already_loaded" else "")
        )


def file_checksum(path: Path) -> str:
    """SHA-256 of a file, or of a folder's relative file names and contents in name order."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode() + b"\0")
        with file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def registry_path(data_dir: Path, source_name: str) -> Path:
    return data_dir / "loads" / f"{source_name}.jsonl"


def read_registry(data_dir: Path, source_name: str) -> list[dict[str, object]]:
    path = registry_path(data_dir, source_name)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _append_registry(data_dir: Path, summary: LoadSummary) -> None:
    path = registry_path(data_dir, summary.source_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(summary)) + "\n")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_load_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:6]}"


def load_source(
    source_name: str,
    *,
    data_dir: Path,
    path: Path | None = None,
    url: str | None = None,
    today: dt.date | None = None,
) -> LoadSummary:
    """Load one input of ``source_name`` into ``data_dir``; see the module docstring."""
    module = source_module(source_name)
    data_dir = Path(data_dir)
    (data_dir / "loads").mkdir(parents=True, exist_ok=True)
    with FileLock(str(data_dir / "loads" / f"{source_name}.lock")):
        if path is None:
            from ingest.fetch import download

            path = download(url or module.DEFAULT_URL, data_dir / "downloads" / source_name)
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
        return _load(module, source_name, path, data_dir, url, today)


def _load(
    module: ModuleType,
    source_name: str,
    path: Path,
    data_dir: Path,
    url: str | None,
    today: dt.date | None,
) -> LoadSummary:
    started = _now()
    sha = file_checksum(path)
    for earlier in reversed(read_registry(data_dir, source_name)):
        if earlier.get("file_sha256") == sha and earlier.get("status") == "loaded":
            accepted = int(earlier["read"]) - int(earlier["quarantined"])  # type: ignore[arg-type]
            summary = LoadSummary(
                source_name=source_name,
                load_id=str(earlier["load_id"]),
                status="already_loaded",
                input=url or str(path),
                file_sha256=sha,
                started_at=started.isoformat(),
                finished_at=_now().isoformat(),
                read=int(earlier["read"]),  # type: ignore[arg-type]
                unchanged=accepted - int(earlier.get("duplicates", 0)),  # type: ignore[arg-type]
                quarantined=int(earlier["quarantined"]),  # type: ignore[arg-type]
            )
            _append_registry(data_dir, summary)
            return summary

    load_id = new_load_id(started)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{source_name}-", dir=data_dir / "loads"))
    try:
        ctx = ParseContext(
            source_name=source_name,
            source_file=path.name,
            today=today or started.date(),
            work_dir=work_dir,
        )
        parsed: ParseResult = module.parse(path, ctx)
        lineage = {
            "source_name": source_name,
            "load_id": load_id,
            "loaded_at": started,
            "file_sha256": sha,
        }
        summary = LoadSummary(
            source_name=source_name,
            load_id=load_id,
            status="loaded",
            input=url or str(path),
            file_sha256=sha,
            started_at=started.isoformat(),
            finished_at="",
            read=parsed.rows_read,
        )
        extra_quarantine = _write_tables(parsed, data_dir, work_dir, lineage, summary)
        quarantine = pl.concat([parsed.quarantine, extra_quarantine], how="diagonal_relaxed")
        _write_quarantine(quarantine, data_dir, work_dir, lineage, path.name, summary)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    summary.finished_at = _now().isoformat()
    _append_registry(data_dir, summary)
    return summary


def _latest_hashes(data_dir: Path, source_name: str, table: str) -> pl.LazyFrame:
    folder = data_dir / "raw" / source_name / table
    files = sorted(folder.glob("*.parquet")) if folder.exists() else []
    if not files:
        return pl.LazyFrame(schema={"source_record_id": pl.String, "previous_hash": pl.String})
    return (
        pl.scan_parquet(files)
        .select("source_record_id", "record_hash", "loaded_at", "load_id")
        .sort("loaded_at", "load_id")
        .group_by("source_record_id")
        .agg(pl.col("record_hash").last().alias("previous_hash"))
    )


def _hashed(table: str, frame: pl.LazyFrame, children: pl.LazyFrame | None) -> pl.LazyFrame:
    columns = list(business_schema(table).names())
    text = row_text(columns)
    if children is None:
        return frame.with_columns(hash_expr(text).alias("record_hash"))
    _, link = PARENTS_BY_PARENT[table]
    digest = (
        children.sort("source_record_id")
        .group_by(link)
        .agg(pl.col("record_hash").str.join("|").alias("__children"))
        .rename({link: "source_record_id"})
    )
    return (
        frame.join(digest, on="source_record_id", how="left", maintain_order="left")
        .with_columns(
            hash_expr(
                pl.concat_str([text, pl.col("__children").fill_null("")], separator="\x1e")
            ).alias("record_hash")
        )
        .drop("__children")
    )


PARENTS_BY_PARENT = {parent: (child, link) for child, (parent, link) in PARENTS.items()}


def _write_tables(
    parsed: ParseResult,
    data_dir: Path,
    work_dir: Path,
    lineage: dict[str, object],
    summary: LoadSummary,
) -> pl.LazyFrame:
    """Write each table's new and changed rows; return quarantine rows for conflicting ids."""
    source_name = str(lineage["source_name"])
    load_id = str(lineage["load_id"])
    conflicts = empty_quarantine()
    hashed_children: dict[str, pl.LazyFrame] = {}
    for child, (_parent, _link) in PARENTS.items():
        frame = conform(
            parsed.tables.get(child, empty_business_frame(child).lazy()), business_schema(child)
        )
        spooled = work_dir / f"_hashed_{child}.parquet"
        _hashed(child, frame, None).unique(
            subset=["source_record_id"], keep="first", maintain_order=True
        ).sink_parquet(spooled)
        hashed_children[child] = pl.scan_parquet(spooled)

    written_ids: dict[str, pl.LazyFrame] = {}
    order = [t for t in TABLES if t not in PARENTS] + list(PARENTS)
    for table in order:
        target = data_dir / "raw" / source_name / table / f"{load_id}.parquet"
        if table in PARENTS:
            parent, link = PARENTS[table]
            if parent not in written_ids:
                continue
            rows = hashed_children[table].join(
                written_ids[parent].rename({"source_record_id": link}), on=link, how="semi"
            )
            _sink_with_lineage(rows, table, lineage, target, work_dir)
            continue
        if table not in parsed.tables:
            continue
        frame = conform(parsed.tables[table], business_schema(table))
        child = PARENTS_BY_PARENT.get(table, (None, None))[0]
        hashed = _hashed(table, frame, hashed_children.get(child) if child else None)
        staged = work_dir / f"_staged_{table}.parquet"
        (
            hashed.with_columns(pl.int_range(pl.len()).alias("__position"))
            .unique(subset=["source_record_id", "record_hash"], keep="first", maintain_order=True)
            .with_columns(pl.int_range(pl.len()).over("source_record_id").alias("__occurrence"))
            .join(
                _latest_hashes(data_dir, source_name, table),
                on="source_record_id",
                how="left",
                maintain_order="left",
            )
            .with_columns(
                pl.when(pl.col("__occurrence") > 0)
                .then(pl.lit("conflict"))
                .when(pl.col("previous_hash").is_null())
                .then(pl.lit("new"))
                .when(pl.col("previous_hash") != pl.col("record_hash"))
                .then(pl.lit("updated"))
                .otherwise(pl.lit("unchanged"))
                .alias("__status")
            )
            .sink_parquet(staged)
        )
        total = hashed.select(pl.len()).collect().item()
        staged_frame = pl.scan_parquet(staged)
        counts = dict(staged_frame.group_by("__status").agg(pl.len()).collect().iter_rows())
        to_write = staged_frame.filter(pl.col("__status").is_in(["new", "updated"]))
        if counts.get("new", 0) + counts.get("updated", 0):
            _sink_with_lineage(to_write, table, lineage, target, work_dir)
            written_ids[table] = pl.scan_parquet(target).select("source_record_id")
        if table == parsed.primary_table:
            summary.loaded = counts.get("new", 0)
            summary.updated = counts.get("updated", 0)
            summary.unchanged = counts.get("unchanged", 0)
            summary.duplicates = total - sum(counts.values())
            conflicts = staged_frame.filter(pl.col("__status") == "conflict").select(
                pl.col("source_record_id").alias("record_locator"),
                pl.lit("source_record_id").alias("field"),
                pl.col("source_record_id").alias("value"),
                pl.lit("conflicting duplicate: the input has another row with this id").alias(
                    "reason"
                ),
                pl.struct(list(business_schema(table).names()))
                .struct.json_encode()
                .alias("raw_record"),
            )
            conflicts = conflicts.collect().lazy()
    return conflicts


def _sink_with_lineage(
    rows: pl.LazyFrame, table: str, lineage: dict[str, object], target: Path, work_dir: Path
) -> None:
    frame = rows.with_columns(
        pl.lit(lineage["source_name"]).alias("source_name"),
        pl.lit(lineage["load_id"]).alias("load_id"),
        pl.lit(lineage["loaded_at"], dtype=pl.Datetime("us")).alias("loaded_at"),
        pl.lit(lineage["file_sha256"]).alias("file_sha256"),
    )
    atomic_write_parquet(conform(frame, table_schema(table)), target)


def _write_quarantine(
    quarantine: pl.LazyFrame,
    data_dir: Path,
    work_dir: Path,
    lineage: dict[str, object],
    source_file: str,
    summary: LoadSummary,
) -> None:
    staged = work_dir / "_quarantine.parquet"
    conform(
        quarantine.with_columns(
            pl.lit(lineage["source_name"]).alias("source_name"),
            pl.lit(lineage["load_id"]).alias("load_id"),
            pl.lit(lineage["loaded_at"], dtype=pl.Datetime("us")).alias("loaded_at"),
            pl.lit(lineage["file_sha256"]).alias("file_sha256"),
            pl.lit(source_file).alias("source_file"),
        ),
        quarantine_schema(),
    ).sink_parquet(staged)
    frame = pl.scan_parquet(staged)
    records = frame.select(pl.col("record_locator").n_unique()).collect().item()
    rows = frame.select(pl.len()).collect().item()
    if rows:
        target = (
            data_dir / "quarantine" / str(lineage["source_name"]) / f"{lineage['load_id']}.parquet"
        )
        atomic_write_parquet(frame, target)
    summary.quarantined = int(records)


# ---------------------------------------------------------------- sources.yml


def read_sources_config(config_path: Path) -> dict[str, dict[str, object]]:
    doc = yaml.safe_load(Path(config_path).read_text()) or {}
    return dict(doc.get("sources", {}))


def run_configured(
    config_path: Path, data_dir: Path, only: list[str] | None = None
) -> list[LoadSummary]:
    """Load every enabled source of a ``sources.yml`` (``path`` relative to the file, else ``url``)."""
    config_path = Path(config_path)
    summaries = []
    for name, entry in read_sources_config(config_path).items():
        entry = entry or {}
        if not entry.get("enabled", True) or (only is not None and name not in only):
            continue
        path = entry.get("path")
        summaries.append(
            load_source(
                name,
                data_dir=data_dir,
                path=(config_path.parent / str(path)) if path else None,
                url=str(entry["url"]) if entry.get("url") and not path else None,
            )
        )
    return summaries
