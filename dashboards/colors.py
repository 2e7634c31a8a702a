"""Colour-blind-safe colours (Okabe & Ito 2008), one stable colour per jurisdiction.

Jurisdictions that appear in the facts have a fixed colour; any other gets one derived
from its code, so a jurisdiction has the same colour on every page and in every session.
"""

from __future__ import annotations

import zlib

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: weak on white)
)
NEUTRAL = "#BBBBBB"

PINNED: dict[str, str] = {
    "US": OKABE_ITO[0],
    "CN": OKABE_ITO[1],
    "GB": OKABE_ITO[2],
    "EU": OKABE_ITO[3],
    "ZA": OKABE_ITO[4],
    "ID": OKABE_ITO[5],
    "WORLD": OKABE_ITO[6],
    "US-IL": "#56B4E9",
    "CN-ZJ": "#CC79A7",
    "R-AMERICAS": OKABE_ITO[0],
    "R-ASIA": OKABE_ITO[1],
    "R-EUROPE": OKABE_ITO[2],
    "R-AFRICA": OKABE_ITO[4],
    "R-OCEANIA": OKABE_ITO[5],
}

LINE_DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot")
SYMBOLS: tuple[str, ...] = ("circle", "diamond", "square", "triangle-up")


def _hash(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))


def jurisdiction_color(code: str) -> str:
    """The colour of a jurisdiction, the same on every page."""
    if code in PINNED:
        return PINNED[code]
    return OKABE_ITO[_hash(code) % 7]  # never yellow for an unpinned line


def jurisdiction_dash(code: str) -> str:
    """A line style that tells apart jurisdictions sharing a colour."""
    if code in PINNED:
        return "solid"
    return LINE_DASHES[(_hash(code) // 7) % len(LINE_DASHES)]
