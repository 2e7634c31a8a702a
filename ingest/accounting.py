"""The accounting of one load: where every row it read went, checked to balance.

``rows_read = rows_loaded + rows_quarantined + rows_duplicate``, and the same for the
records and the money the rows state. A load that does not balance is refused (nothing is
recorded), so a row can neither vanish nor be counted twice between the input and the raw
tables. The account is written beside the raw tables, where dbt reads it
(``source_reconciliation``) and checks it against the rows the load wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from pathlib import Path

import polars as pl

from ingest.contract import atomic_write_parquet, load_account_schema
from ingest.core import ParseResult
from ingest.versions import PrimaryCounts


class IngestAccountingError(RuntimeError):
    """A load's rows do not balance: a defect of the parser or the loader."""


@dataclass
class LoadAccount:
    source_name: str = ""
    load_id: str = ""
    loaded_at: str = ""
    as_of: str = ""
    as_of_basis: str = ""
    input: str = ""
    source_file: str = ""
    file_sha256: str = ""
    primary_table: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    rows_excluded: int = 0
    records_unit: str | None = None
    records_read: int = 0
    records_loaded: int = 0
    records_quarantined: int = 0
    records_duplicate: int = 0
    records_excluded: int = 0
    amount_currency: str | None = None
    amount_read: Decimal = Decimal(0)
    amount_loaded: Decimal = Decimal(0)
    amount_quarantined: Decimal = Decimal(0)
    amount_duplicate: Decimal = Decimal(0)
    versions_new: int = 0
    versions_updated: int = 0
    versions_unchanged: int = 0
    versions_older: int = 0

    def __post_init__(self) -> None:
        for name in ("amount_read", "amount_loaded", "amount_quarantined", "amount_duplicate"):
            setattr(self, name, Decimal(str(getattr(self, name) or 0)))

    def write(self, root: Path) -> Path:
        """One row, ``<root>/reconciliation/<source>/<load_id>.parquet``."""
        schema = load_account_schema()
        row = {name: getattr(self, name) for name in schema.names()}
        row["loaded_at"] = dt.datetime.fromisoformat(self.loaded_at)
        row["as_of"] = dt.date.fromisoformat(self.as_of)
        target = root / "reconciliation" / self.source_name / f"{self.load_id}.parquet"
        atomic_write_parquet(pl.DataFrame([row], schema=schema), target)
        return target


def account_for(
    parsed: ParseResult,
    counts: PrimaryCounts,
    quarantined_rows: int,
    *,
    source_name: str,
    load_id: str,
    loaded_at: dt.datetime,
    as_of: dt.date,
    as_of_basis: str,
    input_label: str,
    source_file: str,
    file_sha256: str,
    records_unit: str | None,
) -> LoadAccount:
    """The load's account from the parser's and the loader's counts; refuses a load whose
    rows, records or money do not balance, or whose quarantine names other rows."""
    acc = parsed.accounting
    statuses = counts.statuses
    account = LoadAccount(
        source_name=source_name,
        load_id=load_id,
        loaded_at=loaded_at.isoformat(),
        as_of=as_of.isoformat(),
        as_of_basis=as_of_basis,
        input=input_label,
        source_file=source_file,
        file_sha256=file_sha256,
        primary_table=parsed.primary_table,
        rows_read=acc.rows_read,
        rows_quarantined=acc.rows_quarantined + counts.conflict_rows,
        rows_duplicate=acc.rows_duplicate + counts.duplicate_rows,
        records_unit=records_unit,
        records_read=acc.records_read,
        records_loaded=counts.loaded_records,
        records_quarantined=acc.records_quarantined + counts.conflict_records,
        records_duplicate=acc.records_duplicate + counts.duplicate_records,
        records_excluded=counts.excluded_records,
        rows_excluded=counts.excluded_rows,
        amount_currency=acc.amount_currency,
        amount_read=acc.amount_read,
        amount_loaded=Decimal(counts.loaded_amount),
        amount_quarantined=acc.amount_quarantined + Decimal(counts.conflict_amount),
        amount_duplicate=acc.amount_duplicate + Decimal(counts.duplicate_amount),
        versions_new=statuses.get("new", 0),
        versions_updated=statuses.get("updated", 0),
        versions_unchanged=statuses.get("unchanged", 0),
        versions_older=statuses.get("older", 0),
    )
    accepted = sum(statuses.values())
    account.rows_loaded = (
        accepted
        if parsed.rows_are_primary
        else account.rows_read - account.rows_quarantined - account.rows_duplicate
    )
    _check(account, accepted, quarantined_rows, parsed.rows_are_primary)
    return account


def _check(account: LoadAccount, accepted: int, quarantined_rows: int, primary: bool) -> None:
    problems = []
    for measure in ("rows", "records", "amount"):
        read = getattr(account, f"{measure}_read")
        parts = [getattr(account, f"{measure}_{p}") for p in ("loaded", "quarantined", "duplicate")]
        if read != sum(parts):
            problems.append(
                f"{measure}: read {read} != loaded {parts[0]} + quarantined {parts[1]} "
                f"+ duplicate {parts[2]}"
            )
    if account.rows_loaded < 0:
        problems.append(f"rows: {account.rows_loaded} loaded")
    if quarantined_rows != account.rows_quarantined:
        problems.append(
            f"the quarantine names {quarantined_rows} rows, the accounting "
            f"{account.rows_quarantined}"
        )
    if not primary and account.records_unit is not None and account.records_loaded != accepted:
        problems.append(f"records: {account.records_loaded} loaded, {accepted} accepted")
    if problems:
        raise IngestAccountingError(
            f"{account.source_file}: the load does not balance ({'; '.join(problems)}); "
            "nothing was written"
        )


def account_fields() -> list[str]:
    return [f.name for f in fields(LoadAccount)]


__all__ = ["IngestAccountingError", "LoadAccount", "account_fields", "account_for", "asdict"]
