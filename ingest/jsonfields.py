"""Field checks for the JSON sources: each field must have the JSON type its source
publishes. A value of another type (an object where a list of strings is published, the
string "true" where a boolean is, a number written as text, NaN) is an :class:`Issue`,
and the record holding it is quarantined with the field's name and the reason; it is
never converted, guessed at or read as false.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ingest.core import ABSURD_COUNT
from ingest.jsondoc import HugeNumber, NotANumber
from ingest.records import Issue

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")


# What a JSON reader calls each type, checked in this order (a bool is also an int).
JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a decimal number"),
    (HugeNumber, "an integer of more than 30 digits"),
    (str, "a string"),
    (list, "a list"),
    (dict, "an object"),
)


def json_type(value: object) -> str:
    """What a JSON reader calls the value's type."""
    if value is None:
        return "null"
    if isinstance(value, NotANumber):
        return f"{value} (not a JSON number)"
    for kind, name in JSON_TYPES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


def wrong_type(field: str, value: object, expected: str) -> Issue:
    return Issue(field, value, f"not {expected} (got {json_type(value)})")


def missing(
    value: object, field: str, issues: list[Issue], *, required: bool, blank: bool = True
) -> bool:
    """Whether the value is absent (null, or blank text when ``blank``); an absent value
    of a ``required`` field is an issue."""
    absent = value is None or (blank and isinstance(value, str) and not value.strip())
    if absent and required:
        issues.append(Issue(field, value, "missing required field"))
    return absent


def text(value: object, field: str, issues: list[Issue], *, required: bool = False) -> str | None:
    """A JSON string (null allowed unless ``required``; blank counts as missing then)."""
    if missing(value, field, issues, required=required, blank=required):
        return None
    if not isinstance(value, str):
        issues.append(wrong_type(field, value, "a JSON string"))
        return None
    return value


def flag(value: object, field: str, issues: list[Issue]) -> bool:
    """A JSON boolean as the source publishes it (true/false; absent or null: false).
    "true", 1 or "yes" are not booleans: the record is quarantined, never read as false."""
    if value is None or isinstance(value, bool):
        return bool(value)
    issues.append(wrong_type(field, value, "a JSON boolean (true or false)"))
    return False


def strings(value: object, field: str, issues: list[Issue]) -> list[str]:
    """A JSON list of strings (absent or null: none)."""
    if value is None:
        return []
    if not isinstance(value, list):
        issues.append(wrong_type(field, value, "a list of strings"))
        return []
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        issues.append(Issue(field, value, f"not a list of strings (holds {json_type(bad[0])})"))
        return []
    return list(value)


def count(value: object, field: str, issues: list[Issue], *, required: bool) -> int | None:
    """A count published as a JSON integer, 0 to ABSURD_COUNT; None (with an issue when it
    is bad) otherwise."""
    if missing(value, field, issues, required=required):
        return None
    if isinstance(value, HugeNumber):
        issues.append(Issue(field, value, f"absurd value (more than {ABSURD_COUNT:,})"))
        return None
    if isinstance(value, str):
        reason = (
            "a number written as text (the source publishes JSON integers)"
            if value.strip().lstrip("-").isdigit()
            else "unparseable number"
        )
        issues.append(Issue(field, value, reason))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        issues.append(wrong_type(field, value, "a JSON integer"))
        return None
    if value < 0:
        issues.append(Issue(field, value, "negative value"))
        return None
    if value > ABSURD_COUNT:
        issues.append(Issue(field, value, f"absurd value (more than {ABSURD_COUNT:,})"))
        return None
    return value


def stated(value: object) -> int | None:
    """A count as the source states it, when it is one within bounds (the accounting's
    records: a count that cannot be read states none)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= ABSURD_COUNT:
        return value
    return None


def written(
    value: object,
    field: str,
    issues: list[Issue],
    pattern: re.Pattern[str],
    parse: Callable[[str], dt.date],
    *,
    expected: str,
    malformed: str,
) -> dt.date | None:
    """A string written exactly as ``pattern``, read by ``parse``; a value of another type
    (not ``expected``) or one that does not match or parse (``malformed``) is an issue."""
    if not isinstance(value, str):
        issues.append(wrong_type(field, value, expected))
        return None
    try:
        if not pattern.fullmatch(value):
            raise ValueError(value)
        return parse(value)
    except ValueError:
        issues.append(Issue(field, value, malformed))
        return None


def day(value: object, field: str, issues: list[Issue], *, required: bool) -> dt.date | None:
    """A date written YYYY-MM-DD and nothing else ("2019-05-04 or maybe later" is not)."""
    if missing(value, field, issues, required=required):
        return None
    return written(
        value,
        field,
        issues,
        ISO_DAY,
        dt.date.fromisoformat,
        expected="a date string (YYYY-MM-DD)",
        malformed="impossible or malformed date (expected YYYY-MM-DD)",
    )


def _utc_day(value: str) -> dt.date:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()


def instant(value: object, field: str, issues: list[Issue]) -> dt.date | None:
    """The day of a UTC timestamp written YYYY-MM-DDTHH:MM:SSZ (absent or null: none)."""
    if value is None:
        return None
    return written(
        value,
        field,
        issues,
        ISO_INSTANT,
        _utc_day,
        expected="a timestamp string",
        malformed="impossible or malformed timestamp (expected YYYY-MM-DDTHH:MM:SSZ)",
    )
