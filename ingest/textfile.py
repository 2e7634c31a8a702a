"""Published text as it is: valid UTF-8 read unchanged, broken bytes marked where they are.

A file that is valid UTF-8 is read as it is, even where its text holds a literal U+FFFD
(the replacement character a publisher's own earlier lossy conversion left in a name: HHS
has "St. Mary\ufffd\ufffd\ufffds"): that is the published value, not an encoding error.
A file with a UTF-16 byte-order mark is UTF-16 (a spreadsheet's "Unicode text" export),
and a file whose bytes above ASCII are never a UTF-8 sequence is a legacy 8-bit export,
read as Windows-1252 (the encoding such US and EU exports use); the load says so.

Otherwise only bytes that are not valid UTF-8 are broken. They are decoded to U+FFFD
followed by :data:`BROKEN_MARK` (a noncharacter no published text holds), so a check can
name exactly the rows and fields that held them; :func:`unmark` drops the mark from a kept
value.
"""

from __future__ import annotations

import codecs
from pathlib import Path

BROKEN_MARK = "\ufdd0"  # a Unicode noncharacter: never in published text
REPLACEMENT = "\ufffd" + BROKEN_MARK
_ERROR_HANDLER = "breach-warehouse-mark"
CHUNK = 1 << 20
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
LEGACY = "cp1252"  # the 8-bit encoding of legacy US and EU spreadsheet exports


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
    """The text of ``data`` (a UTF-8 BOM dropped; UTF-16 with its byte-order mark) and
    whether any bytes were broken."""
    if data[:2] in UTF16_BOMS:
        return data.decode("utf-16", errors=_ERROR_HANDLER), False
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", errors=_ERROR_HANDLER), True


def _utf8_sequences(path: Path) -> int:
    """How many valid multi-byte UTF-8 sequences the file holds (its broken bytes apart)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def count(text: str) -> int:
        return sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")

    found = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            found += count(decoder.decode(chunk))
    return found + count(decoder.decode(b"", final=True))


def _transcode(path: Path, target: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors=_ERROR_HANDLER)
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(CHUNK):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))


def readable_utf8(path: Path, work_dir: Path) -> tuple[Path, str]:
    """The file to scan, as UTF-8, and how it was read: ``utf-8`` (``path`` itself),
    ``utf-16`` or ``cp1252`` (a transcoded copy in ``work_dir``) or ``broken`` (a copy
    with its bytes that are not UTF-8 marked)."""
    with path.open("rb") as handle:
        head = handle.read(2)
    target = work_dir / f"utf8-{path.name}"
    if head in UTF16_BOMS:
        _transcode(path, target, "utf-16")
        return target, "utf-16"
    if is_valid_utf8(path):
        return path, "utf-8"
    if _utf8_sequences(path) == 0:
        _transcode(path, target, LEGACY)
        return target, LEGACY
    _transcode(path, target, "utf-8")
    return target, "broken"


def encoding_note(encoding: str) -> str | None:
    """What a load says about how it read a file that was not UTF-8."""
    return {
        "utf-16": "read as UTF-16 (the file has a UTF-16 byte-order mark)",
        LEGACY: "read as Windows-1252 (the file is not UTF-8 and holds no UTF-8 sequence)",
        "broken": "bytes that are not valid UTF-8: the rows holding them are quarantined",
    }.get(encoding)


def has_broken_bytes(text: str | None) -> bool:
    return text is not None and BROKEN_MARK in text


def unmark(text: str | None) -> str | None:
    return None if text is None else text.replace(BROKEN_MARK, "")
