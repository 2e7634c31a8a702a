"""The fields of a VERIS incident, each with the JSON type VERIS 1.3 gives it.

A field of another type (a country code that is a number, an object where a list of
varieties is published, a year written as text, a data entry that is no object) is an
:class:`~ingest.records.Issue`: the incident is quarantined naming the field, never read
by a guess and never skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ingest import jsonfields as field
from ingest.records import Issue, check_date
from ingest.reference import resolve_country, resolve_subdivision

SOURCE_NAME = "vcdb"
UNNAMED = frozenset({"", "unknown"})


def get(doc: dict, *keys: str) -> object:
    node: object = doc
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def section(doc: dict, path: str, issues: list[Issue]) -> dict:
    """An object the incident may leave out (null or absent: empty)."""
    value = get(doc, *path.split("."))
    if value is None:
        return {}
    if not isinstance(value, dict):
        issues.append(field.wrong_type(path, value, "a JSON object"))
        return {}
    return value


def _date_parts(value: object, name: str, issues: list[Issue]) -> dict[str, int] | None:
    """The year, month and day a VERIS date object gives, each a JSON integer: another
    type is an issue (and None)."""
    if not isinstance(value, dict):
        issues.append(field.wrong_type(name, value, "a JSON object"))
        return None
    parts: dict[str, int] = {}
    for key in ("year", "month", "day"):
        part = value.get(key)
        if part is None:
            continue
        if isinstance(part, bool) or not isinstance(part, int):
            issues.append(field.wrong_type(f"{name}.{key}", part, "a JSON integer"))
            return None
        parts[key] = part
    return parts


def partial_date(
    incident: object,
    issues: list[Issue],
    flags: list[str],
    today: dt.date,
    name: str = "timeline.incident",
) -> tuple[dt.date | None, str | None]:
    """A VERIS date (``name``: its field, the incident's by default) and its precision. A
    day the month does not have (29 February of a common year) is kept to the month and a
    day without a month to the year, flagged."""
    if incident is None or (isinstance(incident, dict) and incident.get("year") in (None, "")):
        issues.append(Issue(f"{name}.year", None, "missing required field"))
        return None, None
    parts = _date_parts(incident, name, issues)
    if parts is None:
        return None, None
    if (
        not 1 <= parts.get("month", 1) <= 12
        or not 1 <= parts["year"] <= 9999
        or not 1 <= parts.get("day", 1) <= 31
    ):
        issues.append(Issue(name, incident, "impossible date"))
        return None, None
    if "day" in parts and "month" not in parts:
        flags.append("day_without_month")
        del parts["day"]
    if "day" in parts:
        try:
            dt.date(parts["year"], parts["month"], parts["day"])
        except ValueError:
            flags.append("impossible_day")
            del parts["day"]
    precision = "day" if "day" in parts else "month" if "month" in parts else "year"
    start = dt.date(parts["year"], parts.get("month", 1), parts.get("day", 1))
    checked = check_date(start, incident, name, issues, today)
    return checked, precision if checked else None


NOTIFICATION = "plus.timeline.notification"


def notification_date(
    doc: dict, incident_on: dt.date | None, issues: list[Issue], flags: list[str], today: dt.date
) -> tuple[dt.date | None, str | None]:
    """When the breach was made known (``plus.timeline.notification``, optional), to the
    precision stated. Its JSON types are checked like every field's (an object; year, month
    and day integers): another type is an issue. A value of the right types that cannot be
    this incident's notice (the repository has months of 13, years such as 2, 2103 and
    20020, days the month does not have, and dates before the incident's year) is left out
    and the row flagged ``notification_date_unusable``: the incident is loaded, its
    notification date unknown."""
    value = get(doc, *NOTIFICATION.split("."))
    if value is None or value == {}:
        return None, None
    if _date_parts(value, NOTIFICATION, issues) is None:
        return None, None
    unusable: list[Issue] = []
    partial: list[str] = []
    day, precision = partial_date(value, unusable, partial, today, NOTIFICATION)
    if unusable or partial or day is None or (incident_on and day.year < incident_on.year):
        flags.append("notification_date_unusable")
        return None, None
    return day, precision


def listed(doc: dict, name: str, key: str, issues: list[Issue]) -> Iterator[tuple[str, list[str]]]:
    """Each entry of the ``name`` section with the strings of its ``key`` list (none when
    the entry is null, or is not a JSON object: an issue then)."""
    for entry, detail in section(doc, name, issues).items():
        if detail is None:
            yield entry, []
        elif not isinstance(detail, dict):
            issues.append(field.wrong_type(f"{name}.{entry}", detail, "a JSON object"))
            yield entry, []
        else:
            yield entry, field.strings(detail.get(key), f"{name}.{entry}.{key}", issues)


def breach_type_tokens(doc: dict, issues: list[Issue]) -> list[str]:
    """Action categories and varieties (``hacking``, ``malware.Ransomware``) and motives."""
    tokens: list[str] = []
    for action, varieties in listed(doc, "action", "variety", issues):
        tokens.append(action)
        tokens.extend(f"{action}.{variety}" for variety in varieties)
    for _actor, motives in listed(doc, "actor", "motive", issues):
        for motive in motives:
            token = f"motive.{motive}"
            if token not in tokens:
                tokens.append(token)
    return tokens


def jurisdiction(doc: dict, issues: list[Issue]) -> tuple[str | None, str | None]:
    countries = get(doc, "victim", "country")
    if isinstance(countries, str):
        countries = [countries]
    before = len(issues)
    countries = field.strings(countries, "victim.country", issues)
    if not countries:
        if len(issues) == before:
            issues.append(Issue("victim.country", None, "missing required field"))
        return None, None
    first = countries[0]
    country = resolve_country(SOURCE_NAME, first)
    if country is None:
        issues.append(Issue("victim.country", countries, "unknown jurisdiction code"))
        return None, first
    state = field.text(get(doc, "victim", "state"), "victim.state", issues)
    if state and state.strip() and len(country) == 2:
        sub = resolve_subdivision(SOURCE_NAME, country, state)
        if sub:
            return sub, f"{first}/{state}"
    return country, first


def victim_name(doc: dict, issues: list[Issue]) -> str | None:
    victim = field.text(get(doc, "victim", "victim_id"), "victim.victim_id", issues)
    if victim is None or victim.strip().lower() in UNNAMED:
        return None
    return victim.strip()


def data_varieties(
    confidentiality: dict, issues: list[Issue]
) -> list[tuple[str, int | None, object]]:
    """(variety, amount, the amount as stated) of each ``attribute.confidentiality.data``
    entry: every entry must be an object naming its variety."""
    where = "attribute.confidentiality.data"
    items = confidentiality.get("data")
    if items is None:
        return []
    if not isinstance(items, list):
        issues.append(field.wrong_type(where, items, "a list of data objects"))
        return []
    found: list[tuple[str, int | None, object]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            issues.append(field.wrong_type(f"{where}[{i}]", item, "a data object"))
            continue
        variety = field.text(item.get("variety"), f"{where}[{i}].variety", issues, required=True)
        amount = field.count(item.get("amount"), f"{where}[{i}].amount", issues, required=False)
        if variety is not None:
            found.append((variety, amount, item.get("amount")))
    return found


def modified(doc: dict) -> dt.date | None:
    """``plus.modified``'s day, when it is a well-formed timestamp (the as-of hint only)."""
    value = get(doc, "plus", "modified")
    try:
        return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None
