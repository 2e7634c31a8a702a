"""Published text as it is: valid UTF-8 read unchanged, broken bytes marked where they are.

A file that is valid UTF-8 is read as it is, even where its text holds a literal U+FFFD
(the replacement character a publisher's own earlier lossy conversion left in a name: HHS
has "St. Mary\ufffd\ufffd\ufffds"): that is the published value, not an encoding error.

Only bytes that are not valid UTF-8 are broken. They are decoded to U+FFFD followed by
:data:`BROKEN_MARK` (a noncharacter no published text holds), so a check can name exactly
the rows and fields that held them; :func:`unmark` drops the mark from a kept value.
"""

from __future__ import annotations

import codecs
from pathlib import Path

BROKEN_MARK = "\ufdd0"  # a Unicode noncharacter: never in published text
REPLACEMENT = "\ufffd" + BROKEN_MARK
_ERROR_HANDLER = "breach-warehouse-mark"
CHUNK = 1 << 20


def _mark(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return REPLACEMENT, error.end


codecs.register_error(_ERROR_HANDLER, _mark)


def is_valid_utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8 (read in chunks: any size)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def decode(data: bytes) -> tuple[str, bool]:
    """The text of ``data`` (a UTF-8 BOM dropped) and whether any bytes were broken."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", errors=_ERROR_HANDLER), True


def marked_copy(path: Path, target: Path) -> None:
    """Write ``path`` to ``target`` as UTF-8 with its broken bytes marked (in chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors=_ERROR_HANDLER)
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(CHUNK):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))


def readable_utf8(path: Path, work_dir: Path) -> tuple[Path, bool]:
    """The file to scan: ``path`` itself when it is valid UTF-8, else a marked copy in
    ``work_dir``; and whether the bytes were broken."""
    if is_valid_utf8(path):
        return path, False
    target = work_dir / f"utf8-{path.name}"
    marked_copy(path, target)
    return target, True


def has_broken_bytes(text: str | None) -> bool:
    return text is not None and BROKEN_MARK in text


def unmark(text: str | None) -> str | None:
    return None if text is None else text.replace(BROKEN_MARK, "")
