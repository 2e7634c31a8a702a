"""Have I Been Pwned: the breach list of API v3 (``GET /api/v3/breaches``, no key needed).

A JSON array of breach objects: Name (the id), Title, Domain, BreachDate, AddedDate,
ModifiedDate, PwnCount, Description, DataClasses[], IsVerified, IsFabricated, IsSensitive,
IsRetired, IsSpamList, IsMalware, IsStealerLog, ... Each lands as a breach of accounts
(``records_unit = accounts``) at world level (HIBP gives no country), dated by BreachDate,
with one breach_records row per data class (mapped by seeds/map_data_types.csv).
Fabricated breaches and spam lists are kept with an ``exclusion_reason`` and are never
counted in the metrics.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ingest.core import (
    IngestFormatError,
    Issue,
    ParseContext,
    ParseResult,
    RecordSpool,
    check_count,
    check_date,
    has_broken_encoding,
    load_json,
)
from ingest.reference import normalize_org_name, resolve_country

SOURCE_NAME = "hibp"
DEFAULT_URL = "https://haveibeenpwned.com/api/v3/breaches"
LOCATION = "Global"


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


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    items, broken_file = _load_array(path)
    spool = RecordSpool(ctx.work_dir)
    jurisdiction = resolve_country(SOURCE_NAME, LOCATION)
    for index, item in enumerate(items):
        raw = json.dumps(item, ensure_ascii=False)
        if not isinstance(item, dict):
            spool.quarantine(f"[{index}]", [Issue("(record)", item, "not a breach object")], raw)
            continue
        name = item.get("Name")
        locator = f"[{index}] {name}" if isinstance(name, str) else f"[{index}]"
        issues: list[Issue] = []
        if broken_file and has_broken_encoding(
            [v for v in item.values() if isinstance(v, str)] + list(item.get("DataClasses") or [])
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
            spool.quarantine(locator, issues, raw)
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
        spool.add(
            "breaches",
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
                "description": item.get("Description"),
                "source_url": f"https://haveibeenpwned.com/Breach/{name}",
            },
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
    tables["organizations"] = tables["organizations"].unique(
        subset="source_record_id", keep="first", maintain_order=True
    )
    return ParseResult("breaches", tables, quarantine, len(items))
