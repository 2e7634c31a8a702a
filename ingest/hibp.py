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
from pathlib import Path

import polars as pl

from ingest import jsonfields as field
from ingest.core import VERY_LARGE_COUNT, IngestFormatError, ParseContext, ParseResult, join_flags
from ingest.inputs import read_capped
from ingest.jsondoc import dumps
from ingest.limits import MAX_JSON_BYTES
from ingest.records import Issue, RecordSpool, check_date, load_json
from ingest.reference import normalize_org_name, resolve_country
from ingest.textfile import has_broken_bytes

SOURCE_NAME = "hibp"
DEFAULT_URL = "https://haveibeenpwned.com/api/v3/breaches"
LOCATION = "Global"
RECORDS_UNIT = "accounts"  # what the accounting's records are for this source
# Fabricated breaches and spam lists: loaded, never counted.
EXCLUDED = pl.col("exclusion_reason").is_not_null()
FLAGS = (
    "IsVerified",
    "IsFabricated",
    "IsSensitive",
    "IsRetired",
    "IsSpamList",
    "IsMalware",
    "IsSubscriptionFree",
    "IsStealerLog",
)
TEXTS = ("Title", "Domain", "Description", "LogoPath")


def _load_array(path: Path) -> tuple[list, bool]:
    data = read_capped(path, MAX_JSON_BYTES, path.name, "an HIBP breaches array")
    doc, _text, broken = load_json(path.name, data, "the HIBP API v3 breaches array")
    if not isinstance(doc, list):
        raise IngestFormatError(
            f"{path.name}: expected a JSON array of HIBP breach objects, got {field.json_type(doc)}"
        )
    return doc, broken


def _checked(item: dict, today: dt.date, issues: list[Issue]) -> dict[str, object]:
    """Every published field with the JSON type HIBP publishes it as (issues otherwise)."""
    values: dict[str, object] = {
        "Name": field.text(item.get("Name"), "Name", issues, required=True),
        **{key: field.text(item.get(key), key, issues) for key in TEXTS},
        **{key: field.flag(item.get(key), key, issues) for key in FLAGS},
        "DataClasses": field.strings(item.get("DataClasses"), "DataClasses", issues),
        "PwnCount": field.count(item.get("PwnCount"), "PwnCount", issues, required=True),
    }
    breach_date = field.day(item.get("BreachDate"), "BreachDate", issues, required=True)
    values["BreachDate"] = check_date(
        breach_date, item.get("BreachDate"), "BreachDate", issues, today
    )
    for key in ("AddedDate", "ModifiedDate"):
        values[key] = field.instant(item.get(key), key, issues)
    return values


def _changed_on(values: dict[str, object], today: dt.date) -> dt.date | None:
    """The latest of the breach's AddedDate and ModifiedDate (not after today)."""
    days = [values[k] for k in ("AddedDate", "ModifiedDate")]
    return max((d for d in days if isinstance(d, dt.date) and d <= today), default=None)


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    items, broken_file = _load_array(path)
    spool = RecordSpool(ctx.work_dir)
    jurisdiction = resolve_country(SOURCE_NAME, LOCATION)
    latest: dt.date | None = None
    for index, item in enumerate(items):
        raw = dumps(item)
        if not isinstance(item, dict):
            issue = field.wrong_type("(record)", item, "a breach object")
            spool.quarantine(f"[{index}]", [issue], raw)
            continue
        name = item.get("Name")
        locator = f"[{index}] {name}" if isinstance(name, str) else f"[{index}]"
        stated = field.stated(item.get("PwnCount"))
        issues: list[Issue] = []
        values = _checked(item, ctx.today, issues)
        if broken_file and has_broken_bytes(raw):
            issues.append(
                Issue("(record)", name, "broken encoding (bytes that are not valid UTF-8)")
            )
        if issues:
            spool.quarantine(locator, issues, raw, stated)
            continue
        changed = _changed_on(values, ctx.today)
        if changed and (latest is None or changed > latest):
            latest = changed
        name = str(values["Name"])
        title = values["Title"] or name
        breach_date = values["BreachDate"]
        count = values["PwnCount"]
        classes = values["DataClasses"]
        assert isinstance(classes, list) and isinstance(count, int)
        flags = [
            reason
            for key, reason in (("IsFabricated", "fabricated"), ("IsSpamList", "spam_list"))
            if values[key]
        ]
        types = (
            ["stealer_log" if values["IsStealerLog"] else "malware"]
            if (values["IsMalware"] or values["IsStealerLog"])
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
                "description": values["Description"],
                "source_url": f"https://haveibeenpwned.com/Breach/{name}",
            },
            count,
        )
        for data_class in classes:
            spool.add(
                "breach_records",
                {
                    "source_record_id": f"{name}|{data_class}",
                    "breach_source_record_id": name,
                    "data_type_raw": data_class,
                    "records": count,
                    "figure_as_stated": f"{count} accounts ({data_class})",
                },
            )
        if key:
            spool.add_organization(key, str(title), jurisdiction, None)
    tables = ["breaches", "breach_records", "organizations"]
    return spool.result(tables, latest, "latest AddedDate or ModifiedDate of the breaches")
