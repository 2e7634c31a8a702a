"""Synthetic raw data at any scale, in the shape the ingest layer writes.

``generate`` writes the raw contract's tables (``ingest/contract.py``) for one notional
source, ``synthetic``, as Parquet files ``<out>/raw/synthetic/<table>/<load_id>-<part>.parquet``,
one file per batch of rows, so memory stays bounded whatever the row count. Distributions
follow the real collections: heavy-tailed records exposed and amounts (most small, a few
huge), jurisdictions weighted like the real data (US states, the US, the UK, EU members,
China), more events in recent years, amended penalties (a later load with a new version of
the same ``source_record_id``, as the loader writes a changed record) and missing values
where real sources have them. The same seed gives the same files.

With ``append_fraction`` it writes only an increment: that fraction of new breaches,
penalties and actions (ids after the base rows) as one new, later load.

The ``synthetic`` source's raw values map through the mapping seeds like any source's
(``seeds/map_breach_types.csv``, ``seeds/map_data_types.csv``, source ``synthetic``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from breach_warehouse.bench.batches import (
    Load,
    action_batch,
    amend,
    breach_batch,
    lineage,
    make_load,
    penalty_batch,
    table_rng,
)
from breach_warehouse.bench.synthetic import (
    BASE_LOADED_AT,
    SOURCE,
    Progress,
    action_types,
    load_geography,
    org_key,
    org_name,
)
from ingest.accounting import LoadAccount
from ingest.contract import (
    atomic_write_parquet,
    conform,
    table_schema,
    write_empty_contract_files,
)


@dataclass(frozen=True)
class GenerateSpec:
    breaches: int
    penalties: int
    actions: int
    seed: int
    out: Path
    batch_rows: int = 500_000
    append_fraction: float = 0.0  # > 0: write only an increment of this fraction, as a new load
    append_number: int = 1  # which increment (ids and load id differ per increment)


@dataclass
class GenerateSummary:
    out: Path
    load_ids: list[str]
    rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


# ---------------------------------------------------------------- writing


def _parts(start: int, total: int, batch: int) -> Iterator[tuple[int, int, int]]:
    for part, offset in enumerate(range(0, total, batch)):
        yield part, start + offset, min(batch, total - offset)


class _Writer:
    """Writes each batch with its lineage, and keeps every load's accounting: a generated
    load reads exactly the rows it writes, each a new (or, for amendments, updated)
    version of its record."""

    PRIMARY = ("breaches", "penalties", "regulatory_actions")

    def __init__(self, out: Path, summary: GenerateSummary) -> None:
        self.out = out
        self.summary = summary
        self.accounts: dict[str, LoadAccount] = {}

    def write(self, table: str, frame: pl.DataFrame, load: Load, part: int) -> None:
        if frame.height == 0:
            return
        path = self.out / "raw" / SOURCE / table / f"{load.load_id}-{part:04d}.parquet"
        data = conform(lineage(frame, table, load), table_schema(table)).collect()
        atomic_write_parquet(data, path)
        self.summary.files.append(path)
        self.summary.rows[table] = self.summary.rows.get(table, 0) + frame.height
        if table in self.PRIMARY:
            self._account(table, data, load)

    def _account(self, table: str, data: pl.DataFrame, load: Load) -> None:
        account = self.accounts.setdefault(
            load.load_id,
            LoadAccount(
                source_name=SOURCE,
                load_id=load.load_id,
                loaded_at=load.loaded_at.isoformat(),
                as_of=load.loaded_at.date().isoformat(),
                as_of_basis="generated",
                input="breach-warehouse generate",
                source_file="",
                file_sha256=load.file_sha256,
                primary_table=table,
                records_unit="records" if table == "breaches" else None,
            ),
        )
        records = int(data["records_exposed"].sum() or 0) if table == "breaches" else 0
        account.rows_read += data.height
        account.rows_loaded += data.height
        account.records_read += records
        account.records_loaded += records
        if load.tag.startswith("amend"):
            account.versions_updated += data.height
        else:
            account.versions_new += data.height

    def write_accounts(self) -> None:
        for account in self.accounts.values():
            self.summary.files.append(account.write(self.out))


def n_organizations(spec: GenerateSpec) -> int:
    return max(50, spec.breaches * 6 // 10 + spec.penalties // 4)


def generate(spec: GenerateSpec, progress: Progress | None = None) -> GenerateSummary:
    """Write the synthetic raw tables (or one increment) under ``spec.out``."""
    say = progress or (lambda _m: None)
    out = Path(spec.out)
    write_empty_contract_files(out)
    geo = load_geography()
    types = action_types()
    n_orgs = n_organizations(spec)
    increment = spec.append_number if spec.append_fraction > 0 else 0
    if increment:
        sizes = {
            name: math.ceil(total * spec.append_fraction)
            for name, total in (("b", spec.breaches), ("p", spec.penalties), ("a", spec.actions))
        }
        starts = {
            name: base + (increment - 1) * sizes[name]
            for name, base in (("b", spec.breaches), ("p", spec.penalties), ("a", spec.actions))
        }
        tag, loaded_at = f"append{increment}", BASE_LOADED_AT + dt.timedelta(days=increment)
        amendments = None
    else:
        sizes = {"b": spec.breaches, "p": spec.penalties, "a": spec.actions}
        starts = {"b": 0, "p": 0, "a": 0}
        tag, loaded_at = "base", BASE_LOADED_AT
        amendments = make_load(spec.seed, "amend-p", BASE_LOADED_AT + dt.timedelta(hours=1))
    # One load per primary table (its accounting names one table), as a real source's.
    loads = {name: make_load(spec.seed, f"{tag}-{name}", loaded_at) for name in ("b", "p", "a")}
    summary = GenerateSummary(
        out=out,
        load_ids=[load.load_id for load in loads.values()]
        + ([amendments.load_id] if amendments else []),
    )
    writer = _Writer(out, summary)
    batch = spec.batch_rows

    if not increment:
        for part, start, n in _parts(0, n_orgs, batch):
            idx = pl.int_range(start, start + n, eager=True).alias("i")
            orgs = pl.DataFrame(idx).select(
                ("O" + pl.col("i").cast(pl.String).str.zfill(8)).alias("source_record_id"),
                org_name(pl.col("i")).alias("organization_name"),
                org_key(pl.col("i")).alias("organization_key"),
                pl.lit(None, pl.String).alias("jurisdiction_code"),
                pl.lit(None, pl.String).alias("sector_raw"),
            )
            writer.write("organizations", orgs, loads["b"], part)
        say(f"  organizations: {n_orgs:,}")

    for part, start, n in _parts(starts["b"], sizes["b"], batch):
        rng = table_rng(spec.seed, "breaches", part, increment)
        breaches, children = breach_batch(start, n, n_orgs, geo, rng)
        writer.write("breaches", breaches, loads["b"], part)
        writer.write("breach_records", children, loads["b"], part)
        say(f"  breaches: {start - starts['b'] + n:,} / {sizes['b']:,}")

    for part, start, n in _parts(starts["p"], sizes["p"], batch):
        rng = table_rng(spec.seed, "penalties", part, increment)
        penalties = penalty_batch(start, n, n_orgs, geo, rng)
        writer.write("penalties", penalties, loads["p"], part)
        if amendments is not None:
            writer.write("penalties", amend(penalties, rng), amendments, part)
        say(f"  penalties: {start - starts['p'] + n:,} / {sizes['p']:,}")

    for part, start, n in _parts(starts["a"], sizes["a"], batch):
        rng = table_rng(spec.seed, "regulatory_actions", part, increment)
        writer.write(
            "regulatory_actions", action_batch(start, n, geo, types, rng), loads["a"], part
        )
    say(f"  regulatory actions: {sizes['a']:,}")
    writer.write_accounts()
    return summary
