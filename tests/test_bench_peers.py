"""The benchmark's multi-source data and its peers: the other sources re-report synthetic
breaches under name variants and fine in local currencies with daily ECB rates, and the
pandas and polars peers compute the warehouse's agg_jurisdiction_year_metrics cell for
cell from the raw Parquet, the seeds and the linkage's decisions. No timing asserts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from breach_warehouse.bench import pandas_baseline, polars_peer
from breach_warehouse.bench.compare import compare_metrics
from breach_warehouse.bench.generate import GenerateSpec, generate
from breach_warehouse.bench.sources import NAME_VARIANTS, variant_key, variant_name
from breach_warehouse.bench.steps import decisions
from ingest.reference import normalize_org_name
from warehouse_api import DuckDBWarehouse

SOURCES = ("synthetic", "hhs_ocr", "hibp", "gdpr_fines", "vcdb", "ecb_fx")


def _read(out: Path, source: str, table: str) -> pl.DataFrame:
    files = sorted((out / "raw" / source / table).glob("*.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files]) if files else pl.DataFrame()


def test_name_variants_key_to_the_same_organization() -> None:
    frame = pl.DataFrame({"n": ["0000007", "1234567"] * len(NAME_VARIANTS)}).with_columns(
        pl.int_range(pl.len()).mod(len(NAME_VARIANTS)).alias("v")
    )
    named = frame.select(
        variant_name(pl.col("n"), pl.col("v")).alias("name"),
        variant_key(pl.col("n"), pl.col("v")).alias("key"),
        "n",
    )
    for name, key, number in named.iter_rows():
        assert normalize_org_name(name) == key == f"synthetic org {number}", name


def test_other_sources_overlap_the_synthetic_one(tmp_path: Path) -> None:
    spec = GenerateSpec(4_000, 800, 40, 5, tmp_path / "a", batch_rows=2_000, sources=5)
    generate(spec)
    generate(GenerateSpec(**{**spec.__dict__, "out": tmp_path / "b"}))
    for source in SOURCES:
        assert (tmp_path / "a" / "raw" / source).is_dir(), source
    for source, table in (
        ("hhs_ocr", "breaches"),
        ("gdpr_fines", "penalties"),
        ("ecb_fx", "fx_rates"),
    ):
        assert _read(tmp_path / "a", source, table).equals(_read(tmp_path / "b", source, table))

    synthetic = _read(tmp_path / "a", "synthetic", "breaches")
    hhs = _read(tmp_path / "a", "hhs_ocr", "breaches")
    re_reported = hhs.filter(pl.col("source_record_id").str.starts_with("HB"))
    pairs = re_reported.with_columns(pl.col("source_record_id").str.slice(1)).join(
        synthetic, on="source_record_id", suffix="_syn"
    )
    assert pairs.height == re_reported.height > 100
    # The same organization under another spelling, a few days off, in the US.
    assert (pairs["organization_key"] == pairs["organization_key_syn"]).all()
    assert (pairs["organization_name"] != pairs["organization_name_syn"]).mean() > 0.9
    days = (pairs["reported_on"] - pairs["reported_on_syn"]).dt.total_days().abs()
    assert 0 < days.max() <= 45
    assert hhs["jurisdiction_code"].str.starts_with("US").all()
    assert set(hhs["breach_type_raw"]) <= {
        "Hacking/IT Incident",
        "Unauthorized Access/Disclosure",
        "Theft",
        "Loss",
        "Improper Disposal",
        "Other",
        "Unknown",
    }

    fines = _read(tmp_path / "a", "gdpr_fines", "penalties")
    assert {"EUR", "PLN", "GBP"} <= set(fines["currency"])
    rates = _read(tmp_path / "a", "ecb_fx", "fx_rates")
    assert rates["rate_date"].dt.weekday().max() <= 5  # working days only
    assert {"USD", "GBP", "PLN"} <= set(rates["currency"]) and "EUR" not in set(rates["currency"])


@pytest.mark.standalone
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_peers_compute_the_warehouse_mart_on_multi_source_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(GenerateSpec(5_000, 1_000, 100, 3, data, sources=5))
    db = tmp_path / "w.duckdb"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "breach-warehouse"),
            *("refresh", "--db", str(db), "--data-dir", str(data), "--no-bundled"),
            "--full-refresh",
        ],
        check=True,
        capture_output=True,
    )
    warehouse = DuckDBWarehouse(db)
    mart = warehouse.read_table("agg_jurisdiction_year_metrics")
    penalties = warehouse.read_table("fct_penalties")
    assert (penalties["fx_rate_basis"] == "decision_date").sum() > penalties.height / 2
    matches = tmp_path / "decisions.parquet"
    assert decisions(db, matches) > 200  # the linkage found the re-reported breaches

    by_pandas = pl.from_pandas(pandas_baseline.agg_jurisdiction_year_metrics(data, matches))
    by_polars = polars_peer.agg_jurisdiction_year_metrics(data, matches)
    for peer in (by_pandas, by_polars):
        agreement = compare_metrics(mart, peer)
        assert agreement.identical, agreement.differences
        assert agreement.rows > 1_000 and agreement.columns >= 40

    # The decisions matter: without them every source row is its own breach.
    none = tmp_path / "none.parquet"
    pl.read_parquet(matches).head(0).write_parquet(none)
    assert not compare_metrics(
        mart, polars_peer.agg_jurisdiction_year_metrics(data, none)
    ).identical
