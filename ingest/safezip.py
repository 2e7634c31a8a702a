"""Zip archives read member by member, never trusted.

A member is streamed in chunks and refused once it expands past a size cap, or past
``MAX_ZIP_RATIO`` times its compressed size (a zip bomb), whatever its header claims.
Members are taken from the archive's directory entry by entry (two members of one name
are two members) and their names are only ever text: nothing is extracted to a path.
An archive that is damaged, encrypted or compressed in a way Python cannot read is
refused with one line.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.core import IngestFormatError
from ingest.limits import MAX_ZIP_RATIO, RATIO_FLOOR, MiB, size_text

CHUNK = 1 * MiB
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestFormatError(f"{path.name}: not a readable zip archive ({exc})") from exc
    with archive:
        yield archive


def members(archive: zipfile.ZipFile, wanted: Callable[[str], bool]) -> list[zipfile.ZipInfo]:
    """The archive's file members whose name ``wanted`` accepts, in name order (then in
    archive order for members that share a name)."""
    infos = [i for i in archive.infolist() if not i.is_dir() and wanted(i.filename)]
    return sorted(infos, key=lambda i: i.filename)


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, label: str, what: str
) -> bytes:
    """A member's bytes, streamed and refused past ``cap`` bytes or the ratio cap."""
    where = f"{label}: member {info.filename!r}"
    if info.flag_bits & 0x1:
        raise IngestFormatError(f"{where}: encrypted: refused")
    compressed = max(info.compress_size, 1)
    parts: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(CHUNK):
                total += len(chunk)
                if total > cap:
                    raise IngestFormatError(
                        f"{where}: expands past {size_text(cap)}, more than {what} may "
                        "have: refused"
                    )
                if total > RATIO_FLOOR and total > MAX_ZIP_RATIO * compressed:
                    raise IngestFormatError(
                        f"{where}: expands more than {MAX_ZIP_RATIO} times its compressed "
                        f"size ({size_text(compressed)}): a zip bomb, refused"
                    )
                parts.append(chunk)
    except _READ_ERRORS as exc:
        raise IngestFormatError(f"{where}: cannot be read ({exc}): refused") from exc
    return b"".join(parts)
