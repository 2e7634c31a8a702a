"""What the Spark parity tests share: the same extracts from every engine's build."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from breach_warehouse.parity import ParityReport


def generate_collection(data_dir: Path, breaches: int) -> None:
    """The parity tests' collection: ``breaches`` breaches, a tenth as many penalties and a
    hundredth as many regulatory actions (seed 7)."""
    from breach_warehouse.bench.generate import GenerateSpec, generate

    generate(GenerateSpec(breaches, breaches // 10, breaches // 100, 7, data_dir))


def assert_parity(report: ParityReport, breaches: int) -> None:
    """Every mart built on both engines and equal, and the facts hold the collection."""
    assert not report.build_errors, "\n".join(report.build_errors)
    assert len(report.marts) >= 12, [m.mart for m in report.marts]
    assert report.ok, "\n".join(report.first_differences())
    rows = {m.mart: m.duckdb_rows for m in report.marts}
    assert rows["fct_breaches"] > breaches // 2
    assert rows["fct_penalties"] > 0


def assert_same_extracts(out_root: Path, warehouses: dict[str, Path]) -> None:
    """Every extract of extracts.yml, written from each ``target: warehouse``, gives the
    same Parquet file (schema and rows) as the first one's."""
    from breach_warehouse.extracts.config import resolve_config_path
    from breach_warehouse.extracts.runner import run_extracts

    written: dict[str, dict[str, Path]] = {}
    for target, warehouse in warehouses.items():
        report = run_extracts(
            resolve_config_path(None), warehouse, out_root / f"extracts-{target}", target=target
        )
        assert report.ok, report
        written[target] = {r.name: r.version_dir for r in report.results if r.version_dir}
    first, *others = written
    assert written[first], "no extract written"
    for other in others:
        assert written[first].keys() == written[other].keys(), other
        for name, first_dir in written[first].items():
            [first_file] = first_dir.glob("*.parquet")
            [other_file] = written[other][name].glob("*.parquet")
            expected, got = pl.read_parquet(first_file), pl.read_parquet(other_file)
            assert expected.schema == got.schema, (other, name)
            assert expected.equals(got), (other, name)
