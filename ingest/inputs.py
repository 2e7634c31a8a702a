"""What a load may read: one regular file, or the regular files of one folder.

The path a user gives is followed wherever it leads (it is their choice), but it must be a
regular file or a folder: a device, a FIFO or a socket is refused (reading ``/dev/zero``
never ends). Inside a folder nothing leads out of it: a symbolic link whose target is
outside the folder, or is no regular file or folder, refuses the load, naming the link; a
link to a file inside the folder is not read twice (its target is read under its own
name). File extensions are compared without regard to case (``.JSON`` is ``.json``).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.core import IngestFormatError
from ingest.limits import size_text


def suffix(path: Path | str) -> str:
    """The file's extension in lower case: ``.json`` for ``a.JSON``."""
    return Path(path).suffix.lower()


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input(path: Path) -> os.stat_result:
    """Refuse an input that is neither a regular file nor a folder."""
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"{path}: no such file or folder") from exc
    except OSError as exc:
        raise IngestFormatError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise IngestFormatError(f"{path}: {_kind(st.st_mode)}, not a file or folder: refused")
    return st


@dataclass
class Listing:
    """A folder's regular files (sorted by their path in it) and what was left aside."""

    root: Path
    files: list[Path] = field(default_factory=list)
    links_inside: int = 0

    def note(self) -> str | None:
        if not self.links_inside:
            return None
        return (
            f"{self.links_inside} symbolic link(s) to files inside the folder not read twice "
            "(their targets are read)"
        )


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def list_folder(root: Path, suffixes: tuple[str, ...] | None = None) -> Listing:
    """Every regular file under ``root`` (with one of ``suffixes``, any case), never
    following a link out of it; refuses devices, FIFOs, sockets and links leading out."""
    real_root = root.resolve()
    listing = Listing(root)
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            entry = here / name
            if entry.is_symlink():
                _check_link(entry, root, real_root)
                listing.links_inside += 1  # its target is walked under its own name
        for name in names:
            entry = here / name
            if suffixes is not None and suffix(name) not in suffixes:
                if entry.is_symlink():
                    _check_link(entry, root, real_root)
                continue
            st = entry.lstat()
            if stat.S_ISLNK(st.st_mode):
                _check_link(entry, root, real_root)
                listing.links_inside += 1
                continue
            if not stat.S_ISREG(st.st_mode):
                raise IngestFormatError(
                    f"{entry.relative_to(root)}: {_kind(st.st_mode)} in the input folder: refused"
                )
            listing.files.append(entry)
    listing.files.sort(key=lambda p: str(p.relative_to(root)))
    return listing


def _check_link(entry: Path, root: Path, real_root: Path) -> None:
    shown = entry.relative_to(root)
    try:
        target = entry.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise IngestFormatError(
            f"{shown}: a symbolic link that leads nowhere ({exc}): refused"
        ) from exc
    if not _inside(target, real_root):
        raise IngestFormatError(
            f"{shown}: a symbolic link leading out of the input folder (to {target}): refused"
        )
    mode = target.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise IngestFormatError(f"{shown}: a symbolic link to {_kind(mode)}: refused")


def read_capped(path: Path, cap: int, label: str, what: str) -> bytes:
    """The bytes of a regular file read whole, refused past ``cap`` bytes (checked while
    reading too: a file that grows is not read past the cap)."""
    if path.is_dir():
        raise IngestFormatError(f"{label}: a folder, not a file: expected {what}")
    with path.open("rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise IngestFormatError(f"{label}: {_kind(st.st_mode)}, not a file: refused")
        if st.st_size > cap:
            raise _too_large(label, st.st_size, cap, what)
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise _too_large(label, len(data), cap, what)
    return data


def _too_large(label: str, size: int, cap: int, what: str) -> IngestFormatError:
    return IngestFormatError(
        f"{label}: {size_text(size)}, more than the {size_text(cap)} {what} may have: refused"
    )
