"""Bad seed rows are reported with the seed file, the row and the column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from breach_warehouse.seed_check import SeedValidationError, check_seeds
from groundwork.paths import SEEDS_DIR


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


def break_value(seeds: Path, name: str, row: int, column: str, value: str) -> None:
    import csv

    path = seeds / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    rows[row - 1][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_committed_seeds_are_valid() -> None:
    check_seeds(SEEDS_DIR)


@pytest.mark.parametrize(
    ("seed", "column", "value", "reason"),
    [
        ("penalties", "jurisdiction_code", "XX-NOPE", "unknown jurisdiction code"),
        ("penalties", "currency", "XYZ", "unknown currency code"),
        ("penalties", "amount", "-5", "negative value"),
        ("penalties", "amount", "2.31 million", "not a number"),
        ("penalties", "announced_on", "2020-13-45", "impossible date"),
        ("penalties", "announced_on", "29/01/2020", "malformed date"),
        ("breaches", "reported_precision", "week", "precision must be one of"),
        ("breach_records", "records", "-1", "negative value"),
        ("regulatory_actions", "jurisdiction_code", "ZZ", "unknown jurisdiction code"),
        ("regulatory_actions", "action_id", "", "required value is empty"),
    ],
)
def test_bad_value_names_file_row_and_column(
    seeds: Path, seed: str, column: str, value: str, reason: str
) -> None:
    break_value(seeds, seed, 2, column, value)
    with pytest.raises(SeedValidationError) as info:
        check_seeds(seeds)
    message = str(info.value)
    assert f"seeds/{seed}.csv, row 2 (line 3), column {column}: {reason}" in message
    assert len(info.value.problems) == 1


def test_every_problem_is_listed(seeds: Path) -> None:
    break_value(seeds, "penalties", 1, "currency", "ABC")
    break_value(seeds, "breaches", 1, "jurisdiction_code", "QQ")
    with pytest.raises(SeedValidationError) as info:
        check_seeds(seeds)
    assert {p.file for p in info.value.problems} == {"seeds/penalties.csv", "seeds/breaches.csv"}
