"""VERIS Community Database (VCDB): one VERIS 1.3 JSON file per incident.

Reads a folder of ``*.json`` files (searched recursively; the extension in any case, as the
repository has 266 ``*.JSON`` files) or the repository zip
(``VCDB-master/data/json/validated/*.json``; other JSON members are ignored when that folder
exists). The default URL is the GitHub zip of the repository's main branch.

Each incident lands as a breach: organization ``victim.victim_id`` (none, or "Unknown":
an unnamed victim, kept without an organization and flagged ``unnamed_organization``),
jurisdiction ``victim.country[0]`` (with ``victim.state`` as the ISO 3166-2 subdivision
where it is one), the incident date from ``timeline.incident`` with its precision (year,
month or day; a day the month does not have, or a day without a month, is kept to the
month or the year and flagged), ``attribute.confidentiality.data_total`` as records
exposed and one breach_records row per ``attribute.confidentiality.data[]`` variety with
an amount. Action categories and varieties (``hacking``, ``malware.Ransomware``, ...) and an
espionage motive are kept as source values for seeds/map_breach_types.csv;
``victim.industry`` (NAICS) keeps its two-digit sector.

Identity: a record is a file, keyed by its file name without the extension. VCDB's own
``incident_id`` is not unique: 15 ids recur across 144 files of the 2023-11 repository, and
those files describe different incidents (other victims, dates and summaries: an id copied
with a template), so no file wins over another. Files whose JSON is identical (the same
incident filed twice under two names) are one record: the first by name is kept, the others
count as duplicates.

The input's as-of date is the latest ``plus.modified`` of its incidents. Files are read one
at a time and spooled to Parquet in batches, so memory stays bounded however large the
collection. A file that is not JSON fails the load naming the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ingest.core import VERY_LARGE_COUNT, IngestFormatError, ParseContext, ParseResult, join_flags
from ingest.records import (
    Issue,
    RecordSpool,
    check_count,
    check_date,
    load_json,
    stated_count,
)
from ingest.reference import normalize_org_name, resolve_country, resolve_subdivision

SOURCE_NAME = "vcdb"
DEFAULT_URL = "https://github.com/vz-risk/VCDB/archive/refs/heads/master.zip"
VALIDATED_DIR = "data/json/validated/"
RECORDS_UNIT = "records"  # what the accounting's records are for this source
EXCLUDED = None  # no incident is kept out of the counts


def iter_documents(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each incident file in a folder or zip, in name order."""
    if path.is_dir():
        files = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".json")
        for file in sorted(files):
            yield str(file.relative_to(path)), file.read_bytes()
        return
    if path.suffix.lower() == ".json":
        yield path.name, path.read_bytes()
        return
    if not zipfile.is_zipfile(path):
        raise IngestFormatError(
            f"{path.name}: expected a folder of VERIS JSON files or a zip of them (e.g. the VCDB "
            "repository zip)"
        )
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.lower().endswith(".json"))
        validated = [n for n in names if VALIDATED_DIR in n]
        for name in validated or names:
            yield name, archive.read(name)


def _decode(name: str, data: bytes) -> tuple[dict, str, bool]:
    doc, text, broken = load_json(name, data, "one VERIS incident object per file")
    if not isinstance(doc, dict):
        raise IngestFormatError(
            f"{name}: expected a VERIS incident JSON object, got {type(doc).__name__}"
        )
    return doc, text, broken


def _get(doc: dict, *keys: str) -> object:
    node: object = doc
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _partial_date(
    incident: object, issues: list[Issue], flags: list[str], today: dt.date
) -> tuple[dt.date | None, str | None]:
    """The incident's date and precision. A day the month does not have (29 February of a
    common year) is kept to the month and a day without a month to the year, flagged."""
    field = "timeline.incident"
    if not isinstance(incident, dict) or incident.get("year") in (None, ""):
        issues.append(Issue(f"{field}.year", None, "missing required field"))
        return None, None
    parts = {}
    for key in ("year", "month", "day"):
        value = incident.get(key)
        if value in (None, ""):
            continue
        try:
            parts[key] = int(value)
        except (TypeError, ValueError):
            issues.append(Issue(f"{field}.{key}", value, "unparseable number"))
            return None, None
    if not 1 <= parts.get("month", 1) <= 12 or not 1 <= parts["year"] <= 9999:
        issues.append(Issue(field, incident, "impossible date"))
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
    checked = check_date(start, incident, field, issues, today)
    return checked, precision if checked else None


def _breach_type_tokens(doc: dict) -> list[str]:
    tokens: list[str] = []
    actions = doc.get("action")
    if isinstance(actions, dict):
        for action, detail in actions.items():
            tokens.append(action)
            varieties = detail.get("variety") if isinstance(detail, dict) else None
            for variety in varieties if isinstance(varieties, list) else []:
                tokens.append(f"{action}.{variety}")
    actors = doc.get("actor")
    if isinstance(actors, dict):
        for detail in actors.values():
            motives = detail.get("motive") if isinstance(detail, dict) else None
            for motive in motives if isinstance(motives, list) else []:
                token = f"motive.{motive}"
                if token not in tokens:
                    tokens.append(token)
    return tokens


def _jurisdiction(doc: dict, issues: list[Issue]) -> tuple[str | None, str | None]:
    countries = _get(doc, "victim", "country")
    if isinstance(countries, str):
        countries = [countries]
    if not countries:
        issues.append(Issue("victim.country", None, "missing required field"))
        return None, None
    first = str(countries[0])
    country = resolve_country(SOURCE_NAME, first)
    if country is None:
        issues.append(Issue("victim.country", countries, "unknown jurisdiction code"))
        return None, first
    state = _get(doc, "victim", "state")
    if isinstance(state, str) and state.strip() and len(country) == 2:
        sub = resolve_subdivision(SOURCE_NAME, country, state)
        if sub:
            return sub, f"{first}/{state}"
    return country, first


UNNAMED = frozenset({"", "unknown"})


def _victim_name(doc: dict, issues: list[Issue]) -> str | None:
    victim = _get(doc, "victim", "victim_id")
    if victim is None or (isinstance(victim, str) and victim.strip().lower() in UNNAMED):
        return None
    if not isinstance(victim, str):
        issues.append(Issue("victim.victim_id", victim, "not a text value"))
        return None
    return victim.strip()


def _modified(doc: dict) -> dt.date | None:
    value = _get(doc, "plus", "modified")
    try:
        return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    spool = RecordSpool(ctx.work_dir)
    seen: dict[str, str] = {}
    latest: dt.date | None = None
    for name, data in iter_documents(path):
        doc, text, broken = _decode(name, data)
        confidentiality = _get(doc, "attribute", "confidentiality")
        confidentiality = confidentiality if isinstance(confidentiality, dict) else {}
        stated = stated_count(confidentiality.get("data_total"))
        digest = hashlib.sha256(
            json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        if digest in seen:
            spool.duplicate(stated)
            continue
        seen[digest] = name
        modified = _modified(doc)
        if modified and modified <= ctx.today and (latest is None or modified > latest):
            latest = modified
        issues: list[Issue] = []
        flags: list[str] = []
        if broken:
            issues.append(Issue("(file)", name, "broken encoding (bytes that are not valid UTF-8)"))
        incident_id = doc.get("incident_id")
        if not isinstance(incident_id, str) or not incident_id.strip():
            issues.append(Issue("incident_id", incident_id, "missing required field"))
        org_name = _victim_name(doc, issues)
        jurisdiction, location = _jurisdiction(doc, issues)
        occurred_on, precision = _partial_date(
            _get(doc, "timeline", "incident"), issues, flags, ctx.today
        )
        total = check_count(
            confidentiality.get("data_total"),
            "attribute.confidentiality.data_total",
            issues,
            required_=False,
        )
        records: list[tuple[str, int | None, object]] = []
        data_items = confidentiality.get("data")
        for i, item in enumerate(data_items if isinstance(data_items, list) else []):
            if not isinstance(item, dict) or not item.get("variety"):
                continue
            amount = check_count(
                item.get("amount"),
                f"attribute.confidentiality.data[{i}].amount",
                issues,
                required_=False,
            )
            records.append((str(item["variety"]), amount, item.get("amount")))
        if issues:
            spool.quarantine(name, issues, text, stated)
            continue
        record_id = PurePosixPath(name).stem
        key = normalize_org_name(org_name)
        industry = _get(doc, "victim", "industry")
        sector = str(industry)[:2] if industry not in (None, "") else None
        reference = doc.get("reference")
        quality = join_flags(
            [
                None if key else "unnamed_organization",
                *flags,
                "very_large_count" if (total or 0) > VERY_LARGE_COUNT else None,
            ]
        )
        spool.add_primary(
            name,
            {
                "source_record_id": record_id,
                "organization_name": org_name,
                "organization_key": key,
                "jurisdiction_code": jurisdiction,
                "location_raw": location,
                "breach_type_raw": "|".join(_breach_type_tokens(doc)) or None,
                "reported_on": occurred_on,
                "reported_precision": precision,
                "occurred_on": occurred_on,
                "occurred_precision": precision,
                "records_exposed": total,
                "records_unit": "records",
                "sector_raw": sector,
                "exclusion_reason": None,
                "quality_flags": quality,
                "description": doc.get("summary"),
                "source_url": reference if isinstance(reference, str) else None,
            },
            total,
        )
        for variety, amount, stated_amount in records:
            if amount is None:
                continue
            spool.add(
                "breach_records",
                {
                    "source_record_id": f"{record_id}|{variety}",
                    "breach_source_record_id": record_id,
                    "data_type_raw": variety,
                    "records": amount,
                    "figure_as_stated": str(stated_amount),
                },
            )
        if key:
            spool.add(
                "organizations",
                {
                    "source_record_id": key,
                    "organization_name": org_name,
                    "organization_key": key,
                    "jurisdiction_code": jurisdiction,
                    "sector_raw": sector,
                },
            )
    tables, quarantine = spool.finish(["breaches", "breach_records", "organizations"])
    return ParseResult(
        "breaches",
        tables,
        quarantine,
        spool.accounting,
        as_of_hint=latest,
        as_of_basis="latest plus.modified of the incidents",
    )
