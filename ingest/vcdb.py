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
month or the year and flagged), the date the breach was made known from
``plus.timeline.notification`` where stated (``notified_on``: the linkage compares it with
other sources' dates; one that cannot be a date of this incident's notice is left out and
flagged, ``vcdb_fields.notification_date``), ``attribute.confidentiality.data_total`` as records
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
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ingest import jsonfields as field
from ingest import vcdb_fields as veris
from ingest.core import VERY_LARGE_COUNT, IngestFormatError, ParseContext, ParseResult, join_flags
from ingest.inputs import list_folder, read_capped, suffix
from ingest.limits import MAX_INCIDENT_BYTES
from ingest.records import Issue, RecordSpool, load_json
from ingest.reference import normalize_org_name
from ingest.safezip import members, open_zip, read_member

SOURCE_NAME = "vcdb"
DEFAULT_URL = "https://github.com/vz-risk/VCDB/archive/refs/heads/master.zip"
VALIDATED_DIR = "data/json/validated/"
RECORDS_UNIT = "records"  # what the accounting's records are for this source
EXCLUDED = None  # no incident is kept out of the counts
WHAT = "a VERIS incident file"


def iter_documents(path: Path, notes: list[str] | None = None) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each incident file in a folder or zip, in name order. Folders are
    listed without following links out of them; zip members are streamed within caps."""
    if path.is_dir():
        listing = list_folder(path, (".json",))
        if notes is not None and listing.note():
            notes.append(str(listing.note()))
        for file in listing.files:
            name = str(file.relative_to(path))
            yield name, read_capped(file, MAX_INCIDENT_BYTES, name, WHAT)
        return
    if suffix(path) == ".json":
        yield path.name, read_capped(path, MAX_INCIDENT_BYTES, path.name, WHAT)
        return
    if suffix(path) != ".zip":
        raise IngestFormatError(
            f"{path.name}: expected a folder of VERIS JSON files or a zip of them (e.g. the VCDB "
            "repository zip)"
        )
    with open_zip(path) as archive:
        infos = members(archive, lambda n: suffix(n) == ".json")
        validated = [i for i in infos if VALIDATED_DIR in i.filename]
        for info in validated or infos:
            yield info.filename, read_member(archive, info, MAX_INCIDENT_BYTES, path.name, WHAT)


def _decode(name: str, data: bytes) -> tuple[dict, str, bool]:
    doc, text, broken = load_json(name, data, "one VERIS incident object per file")
    if not isinstance(doc, dict):
        raise IngestFormatError(
            f"{name}: expected a VERIS incident JSON object, got {field.json_type(doc)}"
        )
    return doc, text, broken


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    spool = RecordSpool(ctx.work_dir)
    notes: list[str] = []
    seen: dict[str, str] = {}
    latest: dt.date | None = None
    for name, data in iter_documents(path, notes):
        doc, text, broken = _decode(name, data)
        stated = field.stated(veris.get(doc, "attribute", "confidentiality", "data_total"))
        digest = hashlib.sha256(dumps_sorted(doc).encode()).hexdigest()
        if digest in seen:
            spool.duplicate(stated)
            continue
        seen[digest] = name
        modified = veris.modified(doc)
        if modified and modified <= ctx.today and (latest is None or modified > latest):
            latest = modified
        issues: list[Issue] = []
        flags: list[str] = []
        if broken:
            issues.append(Issue("(file)", name, "broken encoding (bytes that are not valid UTF-8)"))
        field.text(doc.get("incident_id"), "incident_id", issues, required=True)
        org_name = veris.victim_name(doc, issues)
        jurisdiction, location = veris.jurisdiction(doc, issues)
        occurred_on, precision = veris.partial_date(
            veris.get(doc, "timeline", "incident"), issues, flags, ctx.today
        )
        notified_on, notified_precision = veris.notification_date(
            doc, occurred_on, issues, flags, ctx.today
        )
        confidentiality = veris.section(doc, "attribute.confidentiality", issues)
        total = field.count(
            confidentiality.get("data_total"),
            "attribute.confidentiality.data_total",
            issues,
            required=False,
        )
        records = veris.data_varieties(confidentiality, issues)
        tokens = veris.breach_type_tokens(doc, issues)
        industry = field.text(veris.get(doc, "victim", "industry"), "victim.industry", issues)
        summary = field.text(doc.get("summary"), "summary", issues)
        reference = field.text(doc.get("reference"), "reference", issues)
        if issues:
            spool.quarantine(name, issues, text, stated)
            continue
        record_id = PurePosixPath(name).stem
        key = normalize_org_name(org_name)
        sector = industry[:2] if industry else None
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
                "breach_type_raw": "|".join(tokens) or None,
                "reported_on": occurred_on,
                "reported_precision": precision,
                "occurred_on": occurred_on,
                "occurred_precision": precision,
                "notified_on": notified_on,
                "notified_precision": notified_precision,
                "records_exposed": total,
                "records_unit": "records",
                "sector_raw": sector,
                "exclusion_reason": None,
                "quality_flags": quality,
                "description": summary,
                "source_url": reference,
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
            spool.add_organization(key, org_name, jurisdiction, sector)
    tables = ["breaches", "breach_records", "organizations"]
    return spool.result(tables, latest, "latest plus.modified of the incidents", notes)


def dumps_sorted(doc: dict) -> str:
    """The incident's JSON with its keys sorted: identical incidents, identical text."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
