"""Reference lookups the parsers validate against: jurisdictions (ISO 3166-1/-2 via pycountry
and the warehouse's jurisdictions seed), ISO 4217 currencies and organization-name keys.

Location names a source spells its own way ("THE NETHERLANDS", VCDB's "Unknown") map to
codes through ``seeds/map_jurisdictions.csv``, not through code here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache

import pycountry
import yaml

from groundwork.paths import PROJECT_DIR, SEEDS_DIR

ANY_SOURCE = "*"

# ISO 4217 codes withdrawn since 1999 that the ECB history still quotes (ISO 4217 list
# three): the euro's predecessors (CYP, EEK, LTL, LVL, MTL, SIT, SKK, HRK, GRD, and BGN,
# withdrawn when Bulgaria adopted the euro on 2026-01-01: installed pycountry releases
# already drop it) and redenominated currencies (ROL, TRL, BGL).
ISO4217_HISTORIC = frozenset(
    {"CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL", "HRK", "GRD", "BGL", "BGN"}
)


def _seed_rows(name: str) -> list[dict[str, str]]:
    path = SEEDS_DIR / f"{name}.csv"
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def jurisdiction_levels() -> dict[str, str]:
    """jurisdiction_code -> level, from the jurisdictions seed (built from pycountry)."""
    return {r["jurisdiction_code"]: r["jurisdiction_level"] for r in _seed_rows("jurisdictions")}


@cache
def jurisdiction_aliases() -> dict[tuple[str, str], str]:
    """(source_name, lower-cased source value) -> jurisdiction code, from map_jurisdictions."""
    return {
        (r["source_name"], r["source_value"].strip().lower()): r["jurisdiction_code"]
        for r in _seed_rows("map_jurisdictions")
    }


def _alias(source: str, value: str) -> str | None:
    aliases = jurisdiction_aliases()
    key = value.strip().lower()
    return aliases.get((source, key)) or aliases.get((ANY_SOURCE, key))


@cache
def resolve_country(source: str, value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code (or a warehouse code such as WORLD) for a code or name."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    alias = _alias(source, value)
    if alias:
        return alias
    levels = jurisdiction_levels()
    if len(value) == 2 and levels.get(value.upper()) == "country":
        return value.upper()
    try:
        country = pycountry.countries.lookup(value)
    except LookupError:
        return None
    return country.alpha_2 if levels.get(country.alpha_2) == "country" else None


@cache
def resolve_subdivision(source: str, country: str, value: str | None) -> str | None:
    """ISO 3166-2 code of a subdivision given by its code within ``country`` (e.g. CA -> US-CA).

    Only the source's own aliases apply (HHS's territories with their own ISO 3166-1
    code): a code every source shares is a country's ("UK", "EL"), never a state's."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    alias = jurisdiction_aliases().get((source, value.lower()))
    if alias:
        return alias
    code = f"{country}-{value.upper()}"
    if code in jurisdiction_levels() and pycountry.subdivisions.get(code=code) is not None:
        return code
    return None


@cache
def is_currency(code: str | None) -> bool:
    """An ISO 4217 code, current (pycountry) or withdrawn but still quoted by the ECB."""
    if not code or len(code) != 3 or not code.isalpha() or code != code.upper():
        return False
    return pycountry.currencies.get(alpha_3=code) is not None or code in ISO4217_HISTORIC


@cache
def legal_suffixes() -> tuple[str, ...]:
    """Legal-form words dropped from the end of organization names (dbt var, shared with SQL)."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return tuple(project["vars"]["organization_legal_suffixes"])


# Anything but a letter or digit of any script separates words (the SQL macro's
# [^\p{L}\p{N}]+): Cyrillic, Greek, Korean and Chinese names keep their words.
_NON_ALNUM = re.compile(r"[\W_]+")


def normalize_org_name(name: str | None) -> str | None:
    """The key organizations are matched on: case, accents, punctuation and legal suffixes
    removed ("Anthem, Inc." and "ANTHEM INC" -> "anthem"); names in other scripts keep
    their letters (HIBP's Cyrillic and Korean titles).
    The Python twin of the dbt macro ``normalize_org_name`` (macros/org_names.sql) used
    for the seeds' names and aliases, held equal to it by tests/test_org_names.py:
    accents are dropped as DuckDB's strip_accents drops them (canonical decomposition,
    combining marks removed, composed again)."""
    if name is None:
        return None
    text = unicodedata.normalize("NFD", name)
    text = unicodedata.normalize("NFC", "".join(ch for ch in text if not unicodedata.combining(ch)))
    text = text.lower().replace("&", " and ").replace(".", "")
    tokens = _NON_ALNUM.sub(" ", text).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    suffixes = set(legal_suffixes())
    while len(tokens) > 1 and tokens[-1] in suffixes:
        tokens.pop()
    key = " ".join(tokens)
    return key or None
