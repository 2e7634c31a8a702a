"""Have I Been Pwned: the breach list of API v3 (``GET /api/v3/breaches``, no key needed).

A JSON array of breach objects: Name (the id), Title, Domain, BreachDate, AddedDate,
ModifiedDate, PwnCount, Description, DataClasses[], IsVerified, IsFabricated, IsSensitive,
IsRetired, IsSpamList, IsMalware, IsStealerLog, ... Each lands as a breach of accounts
(``records_unit = accounts``) at world level (HIBP gives no country), dated by BreachDate,
with one breach_records row per data class (mapped by seeds/map_data_types.csv).
Fabricated breaches and spam lists are kept with an ``exclusion_reason`` and are never
counted in the metrics. The input's as-of date is the latest AddedDate or ModifiedDate of
its breaches.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl

from ingest.core import VERY_LARGE_COUNT, IngestFormatError, ParseContext, ParseResult, join_flags
from ingest.records import (
    Issue,
    RecordSpool,
    check_count,
    check_date,
    load_json,
    stated_count,
)
from ingest.reference import normalize_org_name, resolve_country
from ingest.textfile import has_broken_bytes

SOURCE_NAME = "hibp"
DEFAULT_URL = "https://haveibeenpwned.com/api/v3/breaches"
LOCATION = "Global"
RECORDS_UNIT = "accounts"  # what the accounting's records are for this source
# Fabricated breaches and spam lists: loaded, never counted.
EXCLUDED = pl.col("exclusion_reason").is_not_null()


def _load_array(path: Path) -> tuple[list, bool]:
    doc, _text, broken = load_json(path.name, path.read_bytes(), "the HIBP API v3 breaches array")
    if not isinstance(doc, list):
        raise IngestFormatError(
            f"{path.name}: expected a JSON array of HIBP breach objects, got {type(doc).__name__}"
        )
    return doc, broken


def _date(value: object, field: str, issues: list[Issue], today: dt.date) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        issues.append(Issue(field, value, "missing required field"))
        return None
    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        issues.append(Issue(field, value, "impossible or malformed date (expected YYYY-MM-DD)"))
        return None
    return check_date(day, value, field, issues, today)


def _changed_on(item: dict, today: dt.date) -> dt.date | None:
    """The latest of the breach's AddedDate and ModifiedDate (not after today)."""
    days = []
    for key in ("AddedDate", "ModifiedDate"):
        value = item.get(key)
        try:
            day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day and day <= today:
            days.append(day)
    return max(days, default=None)


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    items, broken_file = _load_array(path)
    spool = RecordSpool(ctx.work_dir)
    jurisdiction = resolve_country(SOURCE_NAME, LOCATION)
    latest: dt.date | None = None
    for index, item in enumerate(items):
        raw = json.dumps(item, ensure_ascii=False)
        if not isinstance(item, dict):
            spool.quarantine(f"[{index}]", [Issue("(record)", item, "not a breach object")], raw)
            continue
        changed = _changed_on(item, ctx.today)
        if changed and (latest is None or changed > latest):
            latest = changed
        name = item.get("Name")
        locator = f"[{index}] {name}" if isinstance(name, str) else f"[{index}]"
        stated = stated_count(item.get("PwnCount"))
        issues: list[Issue] = []
        if broken_file and any(
            has_broken_bytes(v)
            for v in [*item.values(), *(item.get("DataClasses") or [])]
            if isinstance(v, str)
        ):
            issues.append(
                Issue("(record)", name, "broken encoding (bytes that are not valid UTF-8)")
            )
        if not isinstance(name, str) or not name.strip():
            issues.append(Issue("Name", name, "missing required field"))
        title = item.get("Title") or name
        breach_date = _date(item.get("BreachDate"), "BreachDate", issues, ctx.today)
        count = check_count(item.get("PwnCount"), "PwnCount", issues, required_=True)
        classes = item.get("DataClasses")
        if classes is not None and not isinstance(classes, list):
            issues.append(Issue("DataClasses", classes, "not a list"))
        if issues:
            spool.quarantine(locator, issues, raw, stated)
            continue
        assert isinstance(name, str)
        flags = [
            reason
            for key, reason in (("IsFabricated", "fabricated"), ("IsSpamList", "spam_list"))
            if item.get(key) is True
        ]
        types = (
            ["stealer_log" if item.get("IsStealerLog") else "malware"]
            if (item.get("IsMalware") or item.get("IsStealerLog"))
            else ["breach"]
        )
        key = normalize_org_name(str(title))
        spool.add_primary(
            locator,
            {
                "source_record_id": name,
                "organization_name": str(title),
                "organization_key": key,
                "jurisdiction_code": jurisdiction,
                "location_raw": LOCATION,
                "breach_type_raw": "|".join(types),
                "reported_on": breach_date,
                "reported_precision": "day",
                "occurred_on": breach_date,
                "occurred_precision": "day",
                "records_exposed": count,
                "records_unit": "accounts",
                "sector_raw": None,
                "exclusion_reason": "|".join(flags) or None,
                "quality_flags": join_flags(
                    [
                        None if key else "unnamed_organization",
                        "very_large_count" if (count or 0) > VERY_LARGE_COUNT else None,
                    ]
                ),
                "description": item.get("Description"),
                "source_url": f"https://haveibeenpwned.com/Breach/{name}",
            },
            count,
        )
        for data_class in classes or []:
            spool.add(
                "breach_records",
                {
                    "source_record_id": f"{name}|{data_class}",
                    "breach_source_record_id": name,
                    "data_type_raw": str(data_class),
                    "records": count,
                    "figure_as_stated": f"{count} accounts ({data_class})",
                },
            )
        if key:
            spool.add(
                "organizations",
                {
                    "source_record_id": key,
                    "organization_name": str(title),
                    "organization_key": key,
                    "jurisdiction_code": jurisdiction,
                    "sector_raw": None,
                },
            )
    tables, quarantine = spool.finish(["breaches", "breach_records", "organizations"])
    return ParseResult(
        "breaches",
        tables,
        quarantine,
        spool.accounting,
        as_of_hint=latest,
        as_of_basis="latest AddedDate or ModifiedDate of the breaches",
    )
