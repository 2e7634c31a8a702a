"""The sizes an input may have, and how they are refused.

Every cap is far above what the sources publish (the largest real file of each, its
largest field and its deepest JSON are in the comments), so a published file never meets
one; an input that does is refused with one line naming the file, the place and the cap,
before it can take the machine's memory.
"""

from __future__ import annotations

MiB = 1 << 20

# A CSV field or a JSON string: the longest real one is an HHS Web Description of about
# 4,000 characters.
MAX_FIELD_CHARS = 1 * MiB
# JSON nesting: a VERIS incident is 5 levels deep, HIBP's array 3, data.json 3.
MAX_JSON_DEPTH = 32
# A JSON document read whole (the HIBP array is 1.1 MB, data.json 1.5 MB, a VERIS incident
# at most 20 kB): larger is no export of these sources.
MAX_JSON_BYTES = 256 * MiB
MAX_INCIDENT_BYTES = 16 * MiB  # one VERIS incident file (folder or zip member)
# The ECB history is read whole: 1.9 MB as published.
MAX_ECB_BYTES = 128 * MiB
# A zip member may expand to at most this many times its compressed size once it is past
# RATIO_FLOOR (real members expand 3.8 times at most; text rarely compresses past 20).
MAX_ZIP_RATIO = 100
RATIO_FLOOR = 1 * MiB


def size_text(size: int) -> str:
    """A byte count as a reader says it: 16 MiB, 900 kB."""
    if size >= MiB and size % MiB == 0:
        return f"{size // MiB:,} MiB"
    if size >= MiB:
        return f"{size / MiB:,.1f} MiB"
    return f"{size:,} bytes"
