"""Load one source into the data directory: idempotent, incremental, nothing lost.

A load reads one input (a file, a folder or a downloaded URL), parses it with the source's
module into the raw contract's tables and writes, for each table, the rows that are new or
changed as versions of their records (``ingest.versions``), every rejected row to the
quarantine, and the accounting of every row it read:

    <data_dir>/raw/<source>/<table>/<load_id>.parquet
    <data_dir>/quarantine/<source>/<load_id>.parquet
    <data_dir>/reconciliation/<source>/<load_id>.parquet   where every row read went
    <data_dir>/loads/<source>.jsonl                        the load registry

Every row read is loaded, quarantined with its reason or counted as a duplicate, and the
load checks that they balance (rows, records and money) before any of its files is moved
into the data directory. Each load
has an as-of date: the date the input describes (given, else from its file name, else from
its contents, else the load's date). Loading an input whose checksum a finished load
already has is a no-op. Every file is written under a temporary name and renamed into
place, so a crashed load leaves no partial Parquet file for dbt to read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import re
import shutil
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType

import polars as pl
import yaml
from filelock import FileLock

from ingest.accounting import LoadAccount, account_for
from ingest.contract import atomic_write_parquet, conform, quarantine_schema
from ingest.core import IngestEmptyError, IngestFormatError, ParseContext, ParseResult
from ingest.inputs import check_input, list_folder
from ingest.versions import LoadWriter, publish_staged, staging_root

SOURCES: dict[str, str] = {
    "hhs_ocr": "ingest.hhs_ocr",
    "vcdb": "ingest.vcdb",
    "hibp": "ingest.hibp",
    "gdpr_fines": "ingest.gdpr_fines",
    "ecb_fx": "ingest.ecb_fx",
}
# A date written in a file or folder name: 2024-08-07 or 20240807.
NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


class UnknownSourceError(KeyError):
    pass


def source_module(name: str) -> ModuleType:
    if name not in SOURCES:
        raise UnknownSourceError(f"unknown source {name!r}; known sources: {', '.join(SOURCES)}")
    return importlib.import_module(SOURCES[name])


@dataclass
class LoadSummary(LoadAccount):
    """A load's registry entry: its accounting, and whether it read anything new."""

    status: str = "loaded"  # loaded | already_loaded
    started_at: str = ""
    finished_at: str = ""
    notes: list[str] = field(default_factory=list)  # how the input was read, if unusual

    @property
    def read(self) -> int:
        return self.rows_read

    @property
    def loaded(self) -> int:
        return self.rows_loaded

    @property
    def quarantined(self) -> int:
        return self.rows_quarantined

    @property
    def duplicates(self) -> int:
        return self.rows_duplicate

    def line(self) -> str:
        """What the load did, in rows (never distinct ids), then records."""
        text = (
            f"{self.source_name}: read {self.rows_read:,} rows: loaded {self.rows_loaded:,}, "
            f"quarantined {self.rows_quarantined:,}, duplicates {self.rows_duplicate:,}"
        )
        if self.rows_excluded:
            text += f", of the loaded excluded from counts {self.rows_excluded:,}"
        if self.records_unit:
            text += (
                f"; {self.records_unit} read {self.records_read:,}: loaded "
                f"{self.records_loaded:,}, quarantined {self.records_quarantined:,}, "
                f"duplicates {self.records_duplicate:,}"
            )
        if self.amount_currency:
            text += (
                f"; {self.amount_currency} read {self.amount_read:,}: loaded "
                f"{self.amount_loaded:,}, quarantined {self.amount_quarantined:,}"
            )
        text += (
            f"; {self.primary_table} versions: new {self.versions_new:,}, updated "
            f"{self.versions_updated:,}, unchanged {self.versions_unchanged:,}, older "
            f"{self.versions_older:,}; as of {self.as_of} ({self.as_of_basis})"
        )
        if self.notes:
            text += "; " + "; ".join(self.notes)
        if self.status == "already_loaded":
            text += " (input already loaded: nothing new)"
        return text


def file_checksum(path: Path) -> str:
    """SHA-256 of a file, or of a folder's relative file names and contents in name order."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else list_folder(path).files
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode() + b"\0")
        with file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def registry_path(data_dir: Path, source_name: str) -> Path:
    return data_dir / "loads" / f"{source_name}.jsonl"


def read_registry(data_dir: Path, source_name: str) -> list[dict[str, object]]:
    path = registry_path(data_dir, source_name)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _append_registry(data_dir: Path, summary: LoadSummary) -> None:
    path = registry_path(data_dir, summary.source_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(summary), default=str) + "\n")


def earlier_load(data_dir: Path, source_name: str, sha256: str) -> dict[str, object] | None:
    """The finished load of an input with this checksum, if any."""
    for earlier in reversed(read_registry(data_dir, source_name)):
        if earlier.get("file_sha256") == sha256 and earlier.get("status") == "loaded":
            return earlier
    return None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_load_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:6]}"


def date_in_name(name: str, today: dt.date) -> dt.date | None:
    """The last valid date written in a file name (not after today)."""
    found = None
    for year, month, day in NAME_DATE.findall(name):
        try:
            candidate = dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        if candidate <= today:
            found = candidate
    return found


def resolve_as_of(
    given: tuple[dt.date, str] | None, name: str, parsed: ParseResult, today: dt.date
) -> tuple[dt.date, str]:
    """The date the input describes, and where it came from."""
    if given is not None:
        return given
    named = date_in_name(name, today)
    if named is not None:
        return named, "date in the file name"
    if parsed.as_of_hint is not None:
        return parsed.as_of_hint, parsed.as_of_basis
    return today, "load date (the input states none)"


def load_source(
    source_name: str,
    *,
    data_dir: Path,
    path: Path | None = None,
    url: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    as_of_basis: str = "given (--as-of)",
    label: str | None = None,
    allow_empty: bool = False,
) -> LoadSummary:
    """Load one input of ``source_name`` into ``data_dir``; see the module docstring.

    An input with no usable row (none read, or every row quarantined or a duplicate) is
    refused (:class:`IngestEmptyError`, nothing written) unless ``allow_empty``."""
    module = source_module(source_name)
    data_dir = Path(data_dir)
    (data_dir / "loads").mkdir(parents=True, exist_ok=True)
    with FileLock(str(data_dir / "loads" / f"{source_name}.lock")):
        if path is None:
            from ingest.fetch import download

            path = download(url or module.DEFAULT_URL, data_dir / "downloads" / source_name)
        path = Path(path)
        check_input(path)
        given = (as_of, as_of_basis) if as_of is not None else None
        return _load(module, source_name, path, data_dir, label or url, today, given, allow_empty)


def _load(
    module: ModuleType,
    source_name: str,
    path: Path,
    data_dir: Path,
    label: str | None,
    today: dt.date | None,
    given: tuple[dt.date, str] | None,
    allow_empty: bool = False,
) -> LoadSummary:
    started = _now()
    sha = file_checksum(path)
    earlier = earlier_load(data_dir, source_name, sha)
    if earlier is not None:
        fields = {k: v for k, v in earlier.items() if k in LoadSummary.__dataclass_fields__}
        summary = LoadSummary(**fields)
        summary.status = "already_loaded"
        summary.input = label or str(path)
        summary.started_at = started.isoformat()
        summary.finished_at = _now().isoformat()
        _append_registry(data_dir, summary)
        return summary

    load_id = new_load_id(started)
    day = today or started.date()
    work_dir = Path(tempfile.mkdtemp(prefix=f".{source_name}-", dir=data_dir / "loads"))
    try:
        ctx = ParseContext(source_name, path.name, day, work_dir)
        parsed: ParseResult = module.parse(path, ctx)
        as_of, basis = resolve_as_of(given, path.name, parsed, day)
        lineage = {
            "source_name": source_name,
            "load_id": load_id,
            "loaded_at": started,
            "file_sha256": sha,
        }
        writer = LoadWriter(data_dir, work_dir, lineage, as_of)
        counts, _ = writer.write_tables(
            parsed.tables, parsed.primary_table, getattr(module, "EXCLUDED", None)
        )
        quarantine = pl.concat(
            [parsed.quarantine, *([counts.conflicts] if counts.conflicts is not None else [])],
            how="diagonal_relaxed",
        )
        quarantined_rows = _write_quarantine(quarantine, work_dir, lineage, path.name)
        account = account_for(
            parsed,
            counts,
            quarantined_rows,
            source_name=source_name,
            load_id=load_id,
            loaded_at=started,
            as_of=as_of,
            as_of_basis=basis,
            input_label=label or str(path),
            source_file=path.name,
            file_sha256=sha,
            records_unit=getattr(module, "RECORDS_UNIT", None),
        )
        notes = list(parsed.notes)
        if not sum(counts.statuses.values()):
            if not allow_empty:
                raise IngestEmptyError(_nothing_usable(path.name, account, work_dir))
            notes.append("nothing usable: recorded as asked (--allow-empty)")
        account.write(staging_root(work_dir))
        publish_staged(work_dir, data_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    summary = LoadSummary(**asdict(account), notes=notes)
    summary.started_at = started.isoformat()
    summary.finished_at = _now().isoformat()
    _append_registry(data_dir, summary)
    return summary


def _nothing_usable(name: str, account: LoadAccount, work_dir: Path) -> str:
    """Why a load has nothing to load, in one line."""
    if not account.rows_read:
        return f"{name}: no rows to load (read 0 rows); nothing was written"
    text = (
        f"{name}: nothing usable: read {account.rows_read:,} rows, quarantined "
        f"{account.rows_quarantined:,}, duplicates {account.rows_duplicate:,}"
    )
    staged = work_dir / "_quarantine.parquet"
    if staged.exists():
        first = pl.scan_parquet(staged).select("record_locator", "field", "reason").head(1)
        for locator, column, reason in first.collect().iter_rows():
            text += f" (first: {locator}, {column}: {reason})"
    return text + "; nothing was written (--allow-empty records such a load)"


def _write_quarantine(
    quarantine: pl.LazyFrame,
    work_dir: Path,
    lineage: dict[str, object],
    source_file: str,
) -> int:
    """Stage the quarantined fields; return how many input rows they name."""
    staged = work_dir / "_quarantine.parquet"
    conform(
        quarantine.with_columns(
            pl.lit(lineage["source_name"]).alias("source_name"),
            pl.lit(lineage["load_id"]).alias("load_id"),
            pl.lit(lineage["loaded_at"], dtype=pl.Datetime("us")).alias("loaded_at"),
            pl.lit(lineage["file_sha256"]).alias("file_sha256"),
            pl.lit(source_file).alias("source_file"),
        ),
        quarantine_schema(),
    ).sink_parquet(staged)
    frame = pl.scan_parquet(staged)
    rows, records = frame.select(pl.len(), pl.col("record_locator").n_unique()).collect().row(0)
    if rows:
        target = (
            staging_root(work_dir)
            / "quarantine"
            / str(lineage["source_name"])
            / f"{lineage['load_id']}.parquet"
        )
        atomic_write_parquet(frame, target)
    return int(records)


# ---------------------------------------------------------------- sources.yml


def read_sources_config(config_path: Path) -> dict[str, dict[str, object]]:
    doc = yaml.safe_load(Path(config_path).read_text()) or {}
    return dict(doc.get("sources", {}))


def run_configured(
    config_path: Path, data_dir: Path, only: list[str] | None = None
) -> list[LoadSummary]:
    """Load every enabled source of a ``sources.yml`` (``path`` relative to the file, else ``url``)."""
    config_path = Path(config_path)
    summaries = []
    for name, entry in read_sources_config(config_path).items():
        entry = entry or {}
        if not entry.get("enabled", True) or (only is not None and name not in only):
            continue
        path = entry.get("path")
        summaries.append(
            load_source(
                name,
                data_dir=data_dir,
                path=(config_path.parent / str(path)) if path else None,
                url=str(entry["url"]) if entry.get("url") and not path else None,
            )
        )
    return summaries


__all__ = ["IngestFormatError", "LoadSummary", "load_source", "read_registry"]
