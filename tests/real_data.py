"""The real public files beside the repository (``../shared/data``, see its SOURCES.md),
read independently of the warehouse (stdlib csv, json, zipfile) for the tests to compare
with what the warehouse loaded."""

from __future__ import annotations

import csv
import json
import zipfile
from functools import cache
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
HHS_ARCHIVE = SHARED / "hhs_ocr" / "breach_report_archive_2024-08-07.csv"
HHS_OPEN = SHARED / "hhs_ocr" / "breach_report_under_investigation_2024-08-07.csv"
HIBP = SHARED / "hibp" / "breaches_2025-03-15.json"
VCDB = SHARED / "vcdb" / "VCDB-master_2023-11-13.zip"
ECB = SHARED / "ecb_fx" / "eurofxref-hist.zip"
TRACKER = SHARED / "gdpr_fines" / "enforcementtracker_data_etid_1-1100.json"
SOURCES_MD = SHARED / "SOURCES.md"


def require_shared() -> None:
    """The real files are part of the test suite: their absence is a failure, not a skip."""
    missing = [p for p in (HHS_ARCHIVE, HHS_OPEN, HIBP, VCDB, ECB, TRACKER) if not p.exists()]
    if missing:
        raise FileNotFoundError(
            f"the real data files are missing ({', '.join(str(p) for p in missing)}): "
            "the tests read ../shared/data beside the repository"
        )


@cache
def csv_rows(path: Path) -> tuple[dict[str, str], ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@cache
def hibp_items() -> tuple[dict, ...]:
    return tuple(json.loads(HIBP.read_text(encoding="utf-8")))


@cache
def vcdb_documents() -> dict[str, dict]:
    """Member name -> incident document, for every JSON member whatever its case."""
    with zipfile.ZipFile(VCDB) as archive:
        return {
            name: json.loads(archive.read(name))
            for name in archive.namelist()
            if name.lower().endswith(".json")
        }


@cache
def tracker_rows() -> tuple[list[str], ...]:
    return tuple(json.loads(TRACKER.read_text(encoding="utf-8"))["data"])


def stated_sum(rows: tuple[dict[str, str], ...], column: str) -> int:
    return sum(int(r[column]) for r in rows if r[column].strip())
