"""The raw contract is declared twice, once for each reader: ingest/contract.py (the ingest
writes the Parquet files from it) and models/staging/raw/_raw__sources.yml (dbt's sources,
for the docs and the analysts). These tests keep the two equal, column by column, in
order and type, so neither can drift from the other or from the files the ingest writes."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml

from ingest.contract import LINEAGE, TABLES, write_empty_contract_files

PROJECT = Path(__file__).resolve().parent.parent
SOURCES_YML = PROJECT / "models" / "staging" / "raw" / "_raw__sources.yml"
RAW_MODELS = PROJECT / "models" / "staging" / "raw"

# The contract's empty files (what dbt's globs always match), per source table.
CONTRACT_FILES = {
    **{("raw", table): Path("raw") / "_contract" / table / "empty.parquet" for table in TABLES},
    ("ingest", "quarantine"): Path("quarantine") / "_contract" / "empty.parquet",
    ("ingest", "loads"): Path("reconciliation") / "_contract" / "empty.parquet",
}


def declared_columns() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(source, table) -> [(column, data type)] as _raw__sources.yml declares them."""
    spec = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    return {
        (source["name"], table["name"]): [
            (column["name"], column["data_type"]) for column in table.get("columns", [])
        ]
        for source in spec["sources"]
        for table in source["tables"]
    }


def written_columns(path: Path) -> list[tuple[str, str]]:
    """[(column, DuckDB type)] of a Parquet file, as dbt reads it."""
    described = duckdb.sql(f"describe select * from read_parquet('{path}')").fetchall()
    return [(row[0], row[1]) for row in described]


def normalized(data_type: str) -> str:
    return re.sub(r"\s+", "", data_type).upper()


@pytest.fixture(scope="module")
def contract_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("contract")
    write_empty_contract_files(data_dir)
    return data_dir


def test_every_contract_table_is_a_declared_source() -> None:
    assert set(declared_columns()) == set(CONTRACT_FILES)


@pytest.mark.parametrize("key", sorted(CONTRACT_FILES), ids="{0[0]}.{0[1]}".format)
def test_declared_columns_equal_the_written_contract(
    key: tuple[str, str], contract_dir: Path
) -> None:
    """Names, order and types: the YAML against the file ingest/contract.py writes."""
    declared = [(name, normalized(dtype)) for name, dtype in declared_columns()[key]]
    written = [
        (name, normalized(dtype))
        for name, dtype in written_columns(contract_dir / CONTRACT_FILES[key])
    ]
    assert declared == written


def test_every_raw_source_starts_with_the_lineage() -> None:
    lineage = list(LINEAGE)
    for (source, table), columns in declared_columns().items():
        if source == "raw":
            assert [name for name, _ in columns[: len(lineage)]] == lineage, table


def test_every_raw_staging_model_stages_the_lineage_through_the_macro() -> None:
    """One lineage block (macro lineage_columns), never a copy of it in a model."""
    models = sorted(RAW_MODELS.glob("stg_raw__*.sql"))
    assert {m.stem.removeprefix("stg_raw__") for m in models} == set(TABLES)
    for model in models:
        sql = model.read_text(encoding="utf-8")
        assert sql.count("{{ lineage_columns() }}") == 1, model.name
        assert "record_hash" not in sql, model.name
