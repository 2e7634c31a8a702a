"""What a refresh was built from: the git revision and a checksum of every input file."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from groundwork.paths import PROJECT_DIR


@dataclass(frozen=True)
class InputFile:
    """One file a build read: its path (relative to the project when inside it), size,
    sha256, and modification time (nanoseconds; None in runs recorded before it was)."""

    path: str
    bytes: int
    sha256: str
    modified_ns: int | None = None


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path.resolve())


def input_files(
    folders: Iterable[Path],
    suffixes: tuple[str, ...] = (".csv", ".parquet"),
    known: Mapping[str, InputFile] | None = None,
) -> list[InputFile]:
    """Every data file under ``folders`` (recursively), sorted by path; missing folders are skipped.

    A file with the path, size and modification time of one in ``known`` (the previous
    refresh's inputs) keeps that file's checksum instead of being read again, as git's
    index does: the raw loads are written once and never changed, so a refresh reads only
    the new ones. A file rewritten in place gets a new modification time, and is read.
    """
    known = known or {}
    found: list[InputFile] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in suffixes and not path.name.startswith("."):
                shown, stat = _display_path(path), path.stat()
                before = known.get(shown)
                if before is not None and (before.bytes, before.modified_ns) == (
                    stat.st_size,
                    stat.st_mtime_ns,
                ):
                    digest = before.sha256
                else:
                    digest = sha256_file(path)
                found.append(InputFile(shown, stat.st_size, digest, stat.st_mtime_ns))
    return found


def git_revision(repo: Path = PROJECT_DIR) -> str | None:
    """``HEAD``'s commit, with ``-dirty`` when tracked files differ from it; None outside git."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    revision = head.stdout.strip()
    return f"{revision}-dirty" if dirty.returncode == 0 and dirty.stdout.strip() else revision
