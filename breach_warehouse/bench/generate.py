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

import numpy as np
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
from breach_warehouse.bench.sources import (
    FX_SOURCE,
    SourceShape,
    daily_fx_rates,
    extra_sources,
    shape_breaches,
    shape_penalties,
)
from breach_warehouse.bench.synthetic import (
    BASE_LOADED_AT,
    Geography,
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
    sources: int = 1  # synthetic alone, or with 1-4 overlapping sources (sources.py)


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

    PRIMARY = ("breaches", "penalties", "regulatory_actions", "fx_rates")

    def __init__(self, out: Path, summary: GenerateSummary) -> None:
        self.out = out
        self.summary = summary
        self.accounts: dict[str, LoadAccount] = {}

    def write(self, table: str, frame: pl.DataFrame, load: Load, part: int) -> None:
        if frame.height == 0:
            return
        path = self.out / "raw" / load.source / table / f"{load.load_id}-{part:04d}.parquet"
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
                source_name=load.source,
                load_id=load.load_id,
                loaded_at=load.loaded_at.isoformat(),
                as_of=load.loaded_at.date().isoformat(),
                as_of_basis="generated",
                input="breach-warehouse generate",
                source_file="",
                file_sha256=load.file_sha256,
                primary_table=table,
                records_unit={"breaches": "records", "fx_rates": "rates"}.get(table),
            ),
        )
        rows, records, versions = data.height, 0, data.height
        if table == "breaches":
            records = int(data["records_exposed"].sum() or 0)
        elif table == "fx_rates":  # an ECB input row is a day; its records are its rates
            rows, records = data["rate_date"].n_unique(), data.height
        account.rows_read += rows
        account.rows_loaded += rows
        account.records_read += records
        account.records_loaded += records
        if load.tag.startswith("amend"):
            account.versions_updated += versions
        else:
            account.versions_new += versions

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

    others = extra_sources(spec.sources) if not increment else ()
    for part, start, n in _parts(starts["b"], sizes["b"], batch):
        rng = table_rng(spec.seed, "breaches", part, increment)
        breaches, children = breach_batch(start, n, n_orgs, geo, rng)
        writer.write("breaches", breaches, loads["b"], part)
        writer.write("breach_records", children, loads["b"], part)
        for shape in others:
            _write_reports(spec, writer, shape, breaches, start, n, n_orgs, geo, part)
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
    if not increment and spec.sources > 1:
        _write_other_sources(spec, writer, geo, n_orgs, say)
    writer.write_accounts()
    return summary


# ---------------------------------------------------------------- other sources


def _loaded_at(shape: SourceShape) -> dt.datetime:
    return BASE_LOADED_AT + dt.timedelta(
        minutes=10 + [s.name for s in extra_sources(5)].index(shape.name)
    )


def _us(geo: Geography, with_country: bool = False) -> pl.Series:
    states = sorted(c for c in geo.breaches.values if c.startswith("US-"))
    return pl.Series((["US"] if with_country else []) + states)


def _write_reports(
    spec: GenerateSpec,
    writer: _Writer,
    shape: SourceShape,
    breaches: pl.DataFrame,
    start: int,
    n: int,
    n_orgs: int,
    geo: Geography,
    part: int,
) -> None:
    """The synthetic breaches of this batch that ``shape``'s source also reports, and
    breaches of its own."""
    if shape.share <= 0 and shape.own <= 0:
        return
    rng = table_rng(spec.seed, f"{shape.name}:breaches", part, 0)
    load = make_load(spec.seed, f"{shape.name}-base-b", _loaded_at(shape), shape.name)
    eligible = (
        breaches["jurisdiction_code"].str.starts_with("US").to_numpy()
        if shape.jurisdiction == "us"
        else np.ones(breaches.height, dtype=bool)
    )
    picked = breaches.filter(pl.Series(eligible & (rng.random(breaches.height) < shape.share)))
    n_own = math.ceil(n * shape.own)
    own, _ = breach_batch(start, n_own, n_orgs, geo, rng)
    own = own.with_columns(("N" + pl.col("source_record_id")).alias("source_record_id"))
    frame, children = shape_breaches(pl.concat([picked, own]), shape, rng, _us(geo))
    writer.write("breaches", frame, load, part)
    writer.write("breach_records", children, load, part)


def _write_other_sources(
    spec: GenerateSpec, writer: _Writer, geo: Geography, n_orgs: int, say: Progress
) -> None:
    """The other sources' penalties (in their currencies) and the ECB's daily rates."""
    for shape in extra_sources(spec.sources):
        if shape.penalties <= 0:
            continue
        load = make_load(spec.seed, f"{shape.name}-base-p", _loaded_at(shape), shape.name)
        total = math.ceil(spec.penalties * shape.penalties)
        for part, start, n in _parts(0, total, spec.batch_rows):
            rng = table_rng(spec.seed, f"{shape.name}:penalties", part, 0)
            frame = penalty_batch(start, n, n_orgs, geo, rng)
            frame = shape_penalties(frame, shape, geo.eu_members, _us(geo, True), rng)
            writer.write("penalties", frame, load, part)
        say(f"  {shape.name} penalties: {total:,}")
    rng = table_rng(spec.seed, "fx_rates", 0, 0)
    load = make_load(spec.seed, "ecb-base", BASE_LOADED_AT + dt.timedelta(minutes=5), FX_SOURCE)
    rates = daily_fx_rates(rng)
    writer.write("fx_rates", rates, load, 0)
    say(f"  {FX_SOURCE} daily rates: {rates.height:,}")
