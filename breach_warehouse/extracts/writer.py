"""Write one extract version so that no reader ever sees it half-written.

Layout under ``<out>/<name>/``::

    20250101T053000Z.partial/   being written (removed if the write fails)
    20250101T053000Z/           complete: <name>.parquet, <name>.csv, <name>.xlsx, manifest.json
    latest.json                 names the newest complete version (atomically replaced)
    latest -> 20250101T053000Z  the same, as a symlink, where the platform has them

Files go into the ``.partial`` folder, ``manifest.json`` (checksums of the others) last;
the folder is renamed only when all of them are complete and synced, and ``latest`` moves
only after that. Old versions beyond the retention count are pruned.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from groundwork.atomic import atomic_path, atomic_write_text, fsync_path
from groundwork.provenance import sha256_file

VERSION_RE = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
PARTIAL_SUFFIX = ".partial"
EXCEL_MAX_ROWS = 1_048_575  # a sheet holds 1,048,576 rows, one of them the header


@dataclass(frozen=True)
class FileEntry:
    format: str
    file: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class SourceRun:
    """The refresh that built the warehouse an extract read."""

    warehouse: str
    run_id: str | None
    refreshed_at: datetime | None
    git_revision: str | None

    @property
    def data_as_of(self) -> str | None:
        return self.refreshed_at.date().isoformat() if self.refreshed_at else None


def version_name(now: datetime, extract_dir: Path) -> str:
    base = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    name, n = base, 1
    while (extract_dir / name).exists() or (extract_dir / (name + PARTIAL_SUFFIX)).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _excel_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Excel has no time zones: aware timestamps are written as UTC wall time."""
    aware = [c for c, t in frame.schema.items() if isinstance(t, pl.Datetime) and t.time_zone]
    return frame.with_columns(
        pl.col(c).dt.convert_time_zone("UTC").dt.replace_time_zone(None) for c in aware
    )


def write_format(frame: pl.DataFrame, fmt: str, path: Path, sheet: str) -> None:
    if fmt == "parquet":
        frame.write_parquet(path)
    elif fmt == "csv":
        frame.write_csv(path)
    elif fmt == "xlsx":
        if frame.height > EXCEL_MAX_ROWS:
            raise ValueError(f"{frame.height:,} rows do not fit in one XLSX sheet")
        _excel_frame(frame).write_excel(path, worksheet=sheet[:31])
    else:  # pragma: no cover - formats are validated at load time
        raise ValueError(f"unknown format {fmt!r}")


def write_version(
    frame: pl.DataFrame,
    *,
    name: str,
    extract_dir: Path,
    formats: list[str],
    manifest: dict[str, object],
    now: datetime,
) -> Path:
    """Write every format and the manifest; return the completed version folder."""
    extract_dir.mkdir(parents=True, exist_ok=True)
    version = version_name(now, extract_dir)
    partial = extract_dir / (version + PARTIAL_SUFFIX)
    partial.mkdir()
    try:
        files = []
        for fmt in formats:
            path = partial / f"{name}.{fmt}"
            write_format(frame, fmt, path, sheet=name)
            fsync_path(path)
            files.append(FileEntry(fmt, path.name, path.stat().st_size, sha256_file(path)))
        manifest = {
            **manifest,
            "version": version,
            "row_count": frame.height,
            "files": [asdict(f) for f in files],
        }
        manifest_path = partial / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        fsync_path(manifest_path)
        fsync_path(partial)
        final = extract_dir / version
        os.rename(partial, final)
        fsync_path(extract_dir)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def update_latest(extract_dir: Path, version_dir: Path, manifest: dict[str, object]) -> None:
    """Point ``latest.json`` (and the ``latest`` symlink) at a complete version."""
    pointer = {
        "version": version_dir.name,
        "path": version_dir.name,
        "manifest": f"{version_dir.name}/manifest.json",
        "row_count": manifest.get("row_count"),
        "source_run_id": manifest.get("source", {}).get("run_id"),  # type: ignore[union-attr]
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    atomic_write_text(extract_dir / "latest.json", json.dumps(pointer, indent=2) + "\n")
    try:
        with atomic_path(extract_dir / "latest") as link_tmp:
            os.symlink(version_dir.name, link_tmp)
    except (OSError, NotImplementedError):  # no symlinks here: latest.json is the pointer
        pass


def latest_version(extract_dir: Path) -> Path | None:
    """The version ``latest.json`` names, if any."""
    try:
        pointer = json.loads((extract_dir / "latest.json").read_text())
    except (OSError, ValueError):
        return None
    return extract_dir / pointer["path"]


def complete_versions(extract_dir: Path) -> list[Path]:
    """Complete version folders, oldest first."""
    if not extract_dir.is_dir():
        return []
    return sorted(
        (p for p in extract_dir.iterdir() if p.is_dir() and VERSION_RE.match(p.name)),
        key=lambda p: (p.name[:16], int(p.name[17:] or 1)),
    )


def remove_partials(extract_dir: Path) -> list[Path]:
    """Remove ``.partial`` folders left by writes that died (call holding the extract lock)."""
    if not extract_dir.is_dir():
        return []
    stale = [p for p in extract_dir.iterdir() if p.name.endswith(PARTIAL_SUFFIX)]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def prune(extract_dir: Path, keep: int) -> list[Path]:
    """Remove complete versions beyond the newest ``keep``, never the one ``latest`` names."""
    versions = complete_versions(extract_dir)
    latest = latest_version(extract_dir)
    doomed = [v for v in versions[: max(len(versions) - keep, 0)] if v != latest]
    for path in doomed:
        shutil.rmtree(path)
    return doomed
