"""The dashboard's query files: each renders to SQL whose only inputs are named
parameters, runs on a built warehouse, and takes the shared selection from one fragment."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards import data, queries
from dashboards.datasets import DATASETS

# One value of every parameter a query file may name.
VALUES = {
    "codes": ["US", "GB", "EU"],
    "levels": ["country"],
    "first_year": 2000,
    "last_year": 2026,
    "include_uncounted": True,
    "include_history": True,
    "currency": "EUR",
    "types": ["law"],
    "metric": "penalties",
    "order": "penalties_usd",
    "row_limit": 5,
}


@pytest.mark.parametrize("name", queries.names())
def test_a_query_file_is_fixed_sql_with_named_parameters(name: str) -> None:
    query = queries.load(name)
    assert set(query.params) <= set(VALUES), query.params
    assert "{" not in query.sql and "%}" not in query.sql  # the template is fully rendered
    assert "?" not in query.sql  # named parameters only


@pytest.mark.slow
@pytest.mark.parametrize("name", queries.names())
def test_every_query_runs_on_the_warehouse(warehouse_path: Path, name: str) -> None:
    frame = data.run(warehouse_path, name, **VALUES)
    assert frame.width > 0


def test_a_missing_parameter_is_named() -> None:
    with pytest.raises(KeyError, match=r"largest_breaches\.sql needs .*row_limit"):
        queries.load("largest_breaches").bind({k: v for k, v in VALUES.items() if k != "row_limit"})


def test_the_selection_is_defined_once() -> None:
    """Only the shared fragment reads the hierarchy the selection rolls up through."""
    readers = [
        p.name
        for p in queries.QUERY_DIR.glob("*.sql")
        if "dim_jurisdiction_hierarchy" in p.read_text()
    ]
    assert readers == ["_selection.sql"]


def test_every_dataset_names_query_files() -> None:
    names = set(queries.names())
    for dataset in DATASETS.values():
        for name in (dataset.rows, dataset.count, dataset.preview or dataset.rows):
            assert name in names, (dataset.key, name)
