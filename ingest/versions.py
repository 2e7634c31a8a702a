"""Write a load's rows as versions of the source's records, ordered by the date the input
describes (``as_of``), never by when it was loaded.

Each accepted row is compared with the version of its record that was current at the
load's as-of date: the same content is ``unchanged`` (nothing written); otherwise the row
is written, as ``new`` (the record was never seen), ``updated`` (no stored version is
newer) or ``older`` (a newer snapshot is already stored: the row fills history and the
newer version stays current). Rows that repeat another row of the input exactly are one
row (``duplicate``); rows of one input that share an id but differ (``conflict``) cannot
both be right, so every one of them is quarantined, whatever their order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ingest.contract import (
    PARENTS,
    TABLES,
    atomic_write_parquet,
    business_schema,
    conform,
    empty_business_frame,
    table_schema,
)
from ingest.core import ACCOUNTING_COLUMNS, AMOUNT, LOCATOR, RECORDS, hash_expr, row_text

PARENTS_BY_PARENT = {parent: (child, link) for child, (parent, link) in PARENTS.items()}
WRITTEN = ("new", "updated", "older")
CONFLICT_REASON = "conflicting rows: the input has {} different rows with this id"


@dataclass
class PrimaryCounts:
    """What the loader found among the primary table's accepted rows."""

    statuses: dict[str, int] = field(default_factory=dict)
    duplicate_rows: int = 0
    duplicate_records: int = 0
    duplicate_amount: object = 0
    conflict_rows: int = 0
    conflict_records: int = 0
    conflict_amount: object = 0
    excluded_rows: int = 0
    excluded_records: int = 0
    loaded_records: int = 0
    loaded_amount: object = 0
    conflicts: pl.LazyFrame | None = None


def stored_versions(data_dir: Path, source_name: str, table: str) -> pl.LazyFrame:
    """Every stored version of the source's records: id, hash and its ordering keys."""
    folder = data_dir / "raw" / source_name / table
    files = sorted(folder.glob("*.parquet")) if folder.exists() else []
    schema = {
        "source_record_id": pl.String,
        "record_hash": pl.String,
        "as_of": pl.Date,
        "loaded_at": pl.Datetime("us"),
        "load_id": pl.String,
    }
    if not files:
        return pl.LazyFrame(schema=schema)
    return pl.scan_parquet(files, missing_columns="insert", extra_columns="ignore").select(
        "source_record_id",
        "record_hash",
        pl.coalesce(pl.col("as_of"), pl.col("loaded_at").dt.date()).alias("as_of"),
        "loaded_at",
        "load_id",
    )


def classify(rows: pl.LazyFrame, stored: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """``rows`` (unique per id) with ``__status``: new, updated, older or unchanged.

    A row is compared with the stored version in effect at ``as_of`` (the latest with an
    as-of date on or before it), or, when every stored version is later, with the
    earliest of them: an older snapshot that agrees with it adds nothing.
    """
    order = ["as_of", "loaded_at", "load_id"]
    in_effect = (
        stored.filter(pl.col("as_of") <= pl.lit(as_of))
        .sort(order)
        .group_by("source_record_id")
        .agg(pl.col("record_hash").last().alias("__hash_at"))
    )
    later = (
        stored.filter(pl.col("as_of") > pl.lit(as_of))
        .sort(order)
        .group_by("source_record_id")
        .agg(pl.col("record_hash").first().alias("__hash_next"))
    )
    return (
        rows.join(in_effect, on="source_record_id", how="left", maintain_order="left")
        .join(later, on="source_record_id", how="left", maintain_order="left")
        .with_columns(
            pl.when(
                pl.coalesce(pl.col("__hash_at"), pl.col("__hash_next")) == pl.col("record_hash")
            )
            .then(pl.lit("unchanged"))
            .when(pl.col("__hash_at").is_null() & pl.col("__hash_next").is_null())
            .then(pl.lit("new"))
            .when(pl.col("__hash_next").is_not_null())
            .then(pl.lit("older"))
            .otherwise(pl.lit("updated"))
            .alias("__status")
        )
        .drop("__hash_at", "__hash_next")
    )


def hashed(table: str, frame: pl.LazyFrame, children: pl.LazyFrame | None) -> pl.LazyFrame:
    """``frame`` with ``record_hash``: its business columns and, for a parent, its
    children's hashes (a changed child is a new version of the parent)."""
    text = row_text(list(business_schema(table).names()))
    if children is None:
        return frame.with_columns(hash_expr(text).alias("record_hash"))
    _, link = PARENTS_BY_PARENT[table]
    digest = (
        children.sort("source_record_id")
        .group_by(link)
        .agg(pl.col("record_hash").str.join("|").alias("__children"))
        .rename({link: "source_record_id"})
    )
    return (
        frame.join(digest, on="source_record_id", how="left", maintain_order="left")
        .with_columns(
            hash_expr(
                pl.concat_str([text, pl.col("__children").fill_null("")], separator="\x1e")
            ).alias("record_hash")
        )
        .drop("__children")
    )


def staging_root(work_dir: Path) -> Path:
    """The load's files before it is accounted for, laid out as in the data directory."""
    return work_dir / "out"


def publish_staged(work_dir: Path, data_dir: Path) -> None:
    """Move every staged file into the data directory (each an atomic rename)."""
    root = staging_root(work_dir)
    if not root.exists():
        return
    for file in sorted(root.rglob("*.parquet")):
        target = data_dir / file.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        file.replace(target)


def one_per_id(frame: pl.LazyFrame) -> pl.LazyFrame:
    """One row per id, the same whatever the input's order (the first by content)."""
    columns = frame.collect_schema().names()
    return frame.sort(["source_record_id", *columns], nulls_last=True).unique(
        subset=["source_record_id"], keep="first", maintain_order=True
    )


@dataclass
class LoadWriter:
    data_dir: Path
    work_dir: Path
    lineage: dict[str, object]
    as_of: dt.date

    @property
    def source_name(self) -> str:
        return str(self.lineage["source_name"])

    def target(self, table: str) -> Path:
        """Where the load's rows of ``table`` are staged (``publish_staged`` moves them)."""
        return (
            staging_root(self.work_dir)
            / "raw"
            / self.source_name
            / table
            / f"{self.lineage['load_id']}.parquet"
        )

    def write_tables(
        self, tables: dict[str, pl.LazyFrame], primary_table: str, excluded: pl.Expr | None
    ) -> tuple[PrimaryCounts, dict[str, dict[str, int]]]:
        """Write each table's new, updated and older rows; count the primary table's."""
        children = {
            child: self._spool(
                hashed(child, one_per_id(self._conform(tables, child)), None), f"_hashed_{child}"
            )
            for child in PARENTS
        }
        written: dict[str, pl.LazyFrame] = {}
        counts = PrimaryCounts()
        statuses: dict[str, dict[str, int]] = {}
        order = [t for t in TABLES if t not in PARENTS] + list(PARENTS)
        for table in order:
            if table in PARENTS:
                parent, link = PARENTS[table]
                if parent in written:
                    rows = children[table].join(
                        written[parent].rename({"source_record_id": link}), on=link, how="semi"
                    )
                    self._sink(rows, table)
                continue
            if table not in tables:
                continue
            child = PARENTS_BY_PARENT.get(table, (None, None))[0]
            frame = self._conform(tables, table, keep_accounting=table == primary_table)
            rows = hashed(table, frame, children.get(child) if child else None)
            rows = self._primary_rows(rows, counts) if table == primary_table else one_per_id(rows)
            staged = self._spool(
                classify(rows, stored_versions(self.data_dir, self.source_name, table), self.as_of),
                f"_staged_{table}",
            )
            statuses[table] = dict(staged.group_by("__status").agg(pl.len()).collect().iter_rows())
            to_write = staged.filter(pl.col("__status").is_in(WRITTEN))
            if any(statuses[table].get(s, 0) for s in WRITTEN):
                self._sink(to_write, table)
                written[table] = pl.scan_parquet(self.target(table)).select("source_record_id")
            if table == primary_table:
                counts.statuses = statuses[table]
                self._count_loaded(staged, excluded, counts)
        return counts, statuses

    def _conform(
        self, tables: dict[str, pl.LazyFrame], table: str, *, keep_accounting: bool = False
    ) -> pl.LazyFrame:
        schema = business_schema(table)
        if keep_accounting:
            schema = pl.Schema(
                {**schema, LOCATOR: pl.String(), RECORDS: pl.Int64(), AMOUNT: pl.Decimal(18, 2)}
            )
        return conform(tables.get(table, empty_business_frame(table).lazy()), schema)

    def _primary_rows(self, rows: pl.LazyFrame, counts: PrimaryCounts) -> pl.LazyFrame:
        """Exact repeats collapse to their first row (counted); every row of an id with
        several different rows is a conflict (quarantined); the rest, one per id."""
        staged = self._spool(
            rows.with_columns(
                pl.int_range(pl.len()).over("source_record_id", "record_hash").alias("__copy"),
                pl.col("record_hash").n_unique().over("source_record_id").alias("__variants"),
            ),
            "_primary_rows",
        )
        wide = pl.Decimal(38, 2)
        repeats = staged.filter(pl.col("__copy") > 0)
        conflicts = staged.filter((pl.col("__copy") == 0) & (pl.col("__variants") > 1))
        for kind, frame in (("duplicate", repeats), ("conflict", conflicts)):
            n, records, amount = (
                frame.select(pl.len(), pl.col(RECORDS).sum(), pl.col(AMOUNT).cast(wide).sum())
                .collect()
                .row(0)
            )
            setattr(counts, f"{kind}_rows", int(n))
            setattr(counts, f"{kind}_records", int(records or 0))
            setattr(counts, f"{kind}_amount", amount or 0)
        counts.conflicts = (
            conflicts.select(
                pl.col(LOCATOR).alias("record_locator"),
                pl.lit("source_record_id").alias("field"),
                pl.col("source_record_id").alias("value"),
                pl.format(CONFLICT_REASON.format("{}"), pl.col("__variants")).alias("reason"),
                pl.struct(list(business_schema_names(rows)))
                .struct.json_encode()
                .alias("raw_record"),
            )
            .collect()
            .lazy()
        )
        return staged.filter((pl.col("__copy") == 0) & (pl.col("__variants") == 1)).drop(
            "__copy", "__variants"
        )

    def _count_loaded(
        self, staged: pl.LazyFrame, excluded: pl.Expr | None, counts: PrimaryCounts
    ) -> None:
        wide = pl.Decimal(38, 2)
        is_excluded = excluded if excluded is not None else pl.lit(False)
        records, amount, excluded_rows, excluded_records = (
            staged.select(
                pl.col(RECORDS).sum().alias("records"),
                pl.col(AMOUNT).cast(wide).sum().alias("amount"),
                is_excluded.sum().alias("excluded_rows"),
                pl.col(RECORDS).filter(is_excluded).sum().alias("excluded_records"),
            )
            .collect()
            .row(0)
        )
        counts.loaded_records = int(records or 0)
        counts.loaded_amount = amount or 0
        counts.excluded_rows = int(excluded_rows or 0)
        counts.excluded_records = int(excluded_records or 0)

    def _spool(self, frame: pl.LazyFrame, name: str) -> pl.LazyFrame:
        path = self.work_dir / f"{name}.parquet"
        frame.sink_parquet(path)
        return pl.scan_parquet(path)

    def _sink(self, rows: pl.LazyFrame, table: str) -> None:
        frame = rows.with_columns(
            pl.lit(self.lineage["source_name"]).alias("source_name"),
            pl.lit(self.lineage["load_id"]).alias("load_id"),
            pl.lit(self.lineage["loaded_at"], dtype=pl.Datetime("us")).alias("loaded_at"),
            pl.lit(self.lineage["file_sha256"]).alias("file_sha256"),
            pl.lit(self.as_of, dtype=pl.Date).alias("as_of"),
        )
        atomic_write_parquet(conform(frame, table_schema(table)), self.target(table))


def business_schema_names(rows: pl.LazyFrame) -> list[str]:
    names = rows.collect_schema().names()
    return [n for n in names if n not in ACCOUNTING_COLUMNS and n != "record_hash"]
