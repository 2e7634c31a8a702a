"""The bundled snapshots of the public sources (``ingest/bundled/manifest.yml``).

The default build holds them: :func:`load_bundled` loads every snapshot the data
directory does not hold yet, each as its published file (decompressed, its checksum
verified against the manifest) with the manifest's as-of date. A snapshot already loaded
is skipped without being read, so a refresh pays for this once.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.loader import LoadSummary, earlier_load, load_source

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
MANIFEST = BUNDLED_DIR / "manifest.yml"
AS_OF_BASIS = "bundled snapshot manifest"


class SnapshotError(RuntimeError):
    """A bundled file is missing or not the file the manifest names."""


@dataclass(frozen=True)
class Snapshot:
    source: str
    file: str
    rows: int
    published_name: str
    title: str
    address: str
    as_of: dt.date
    covers: str
    license: str
    attribution: str
    sha256: str
    stored_sha256: str

    @property
    def path(self) -> Path:
        return BUNDLED_DIR / self.file

    @property
    def label(self) -> str:
        return f"bundled:{self.file}"


def read_manifest(path: Path = MANIFEST) -> list[Snapshot]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [Snapshot(**entry) for entry in doc.get("snapshots", [])]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def published_copy(snapshot: Snapshot, folder: Path) -> Path:
    """The published file, restored under its published name in ``folder`` and verified."""
    if not snapshot.path.exists():
        raise SnapshotError(f"{snapshot.path}: bundled snapshot missing")
    if sha256_of(snapshot.path) != snapshot.stored_sha256:
        raise SnapshotError(f"{snapshot.path}: not the file the manifest names (checksum)")
    target = folder / snapshot.published_name
    if snapshot.file.endswith(".gz"):
        with gzip.open(snapshot.path, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    else:
        shutil.copyfile(snapshot.path, target)
    if sha256_of(target) != snapshot.sha256:
        raise SnapshotError(f"{snapshot.path}: does not restore the published file (checksum)")
    return target


def load_bundled(
    data_dir: Path,
    *,
    sources: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[LoadSummary]:
    """Load every bundled snapshot ``data_dir`` does not hold yet (of ``sources``)."""
    summaries: list[LoadSummary] = []
    for snapshot in read_manifest():
        if sources is not None and snapshot.source not in sources:
            continue
        if earlier_load(data_dir, snapshot.source, snapshot.sha256) is not None:
            continue
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".bundled-", dir=data_dir) as tmp:
            path = published_copy(snapshot, Path(tmp))
            summary = load_source(
                snapshot.source,
                data_dir=data_dir,
                path=path,
                as_of=snapshot.as_of,
                as_of_basis=AS_OF_BASIS,
                label=snapshot.label,
            )
        summaries.append(summary)
        if progress is not None:
            progress(f"Loaded bundled {snapshot.published_name}: {summary.line()}")
    return summaries
