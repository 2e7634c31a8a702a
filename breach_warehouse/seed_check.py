"""Validate the seed CSVs before dbt loads them.

dbt reports a bad value as a database error without the file or row; this check reads each
seed against the column types declared in ``seeds/_seeds__seeds.yml`` and the reference
seeds (jurisdictions, currencies), and names the file, the row and the column of every
problem it finds.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

PRECISIONS = frozenset({"day", "month", "quarter", "year"})
JURISDICTION_COLUMNS = frozenset({"jurisdiction_code", "parent_code", "member_code", "group_code"})
NON_NEGATIVE_COLUMNS = frozenset({"amount", "records", "records_exposed", "population"})
POSITIVE_COLUMNS = frozenset({"rate_to_usd", "rate_to_eur"})
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class SeedProblem:
    """One bad value: where it is and what is wrong with it."""

    file: str
    row: int
    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.file}, row {self.row} (line {self.line}), column {self.column}: "
            f"{self.reason} (value {self.value!r})"
        )


class SeedValidationError(ValueError):
    """Raised when one or more seed rows are bad; the message lists each of them."""

    def __init__(self, problems: list[SeedProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} bad seed value(s):\n{shown}{more}")


@dataclass(frozen=True)
class SeedSpec:
    name: str
    column_types: dict[str, str]
    required: frozenset[str]


def load_specs(seeds_dir: Path) -> list[SeedSpec]:
    """The seeds declared in the seeds folder's YAML files, with their column types."""
    specs: list[SeedSpec] = []
    for yml in sorted(seeds_dir.glob("*.yml")):
        doc = yaml.safe_load(yml.read_text()) or {}
        for seed in doc.get("seeds", []):
            types = {
                k: str(v).lower() for k, v in seed.get("config", {}).get("column_types", {}).items()
            }
            required = {
                c["name"]
                for c in seed.get("columns", [])
                if any(
                    t in ("not_null", "unique")
                    for t in c.get("data_tests", [])
                    if isinstance(t, str)
                )
            }
            specs.append(SeedSpec(seed["name"], types, frozenset(required)))
    return specs


def _rows(path: Path) -> Iterator[tuple[int, int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for index, row in enumerate(reader, start=1):
            yield index, reader.line_num, row


def _codes(path: Path, column: str) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    return frozenset(row[column] for _, _, row in _rows(path) if row.get(column))


def _type_problem(value: str, declared: str) -> str | None:
    if declared in ("bigint", "integer", "int", "smallint"):
        return None if _INTEGER.match(value) else f"not a whole number (declared {declared})"
    if declared.startswith(("decimal", "numeric", "double", "float", "real")):
        return None if _DECIMAL.match(value) else f"not a number (declared {declared})"
    if declared == "boolean":
        return None if value.lower() in ("true", "false") else "not true or false"
    if declared == "date":
        if not _DATE.match(value):
            return "malformed date (expected YYYY-MM-DD)"
        try:
            date.fromisoformat(value)
        except ValueError:
            return "impossible date"
    return None


def _row_problems(
    row: dict[str, str],
    spec: SeedSpec,
    jurisdictions: frozenset[str],
    currencies: frozenset[str],
) -> Iterator[tuple[str, str]]:
    """(column, reason) for every bad value of one row."""
    for column, declared in spec.column_types.items():
        value = (row.get(column) or "").strip()
        if not value:
            if column in spec.required:
                yield column, "required value is empty"
            continue
        reason = _type_problem(value, declared)
        if reason:
            yield column, reason
            continue
        if column.endswith("_precision") and value not in PRECISIONS:
            yield column, f"precision must be one of {sorted(PRECISIONS)}"
        is_reference = column in JURISDICTION_COLUMNS and not (
            spec.name == "jurisdictions" and column == "jurisdiction_code"
        )
        if is_reference and value not in jurisdictions:
            yield column, "unknown jurisdiction code (not in seeds/jurisdictions.csv)"
        if column == "currency" and spec.name != "currencies" and value not in currencies:
            yield column, "unknown currency code (not an ISO 4217 code in seeds/currencies.csv)"
        if column in NON_NEGATIVE_COLUMNS and float(value) < 0:
            yield column, "negative value"
        if column in POSITIVE_COLUMNS and float(value) <= 0:
            yield column, "must be greater than zero"


def check_seed(
    path: Path, spec: SeedSpec, jurisdictions: frozenset[str], currencies: frozenset[str]
) -> list[SeedProblem]:
    """Every problem in one seed file."""
    label = f"seeds/{path.name}"
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle), [])
    missing = [c for c in spec.column_types if c not in header]
    if missing:
        return [
            SeedProblem(label, 0, 1, ", ".join(missing), "", "column(s) missing from the header")
        ]
    problems: list[SeedProblem] = []
    for row_no, line_no, row in _rows(path):
        if None in row:
            problems.append(
                SeedProblem(
                    label,
                    row_no,
                    line_no,
                    header[-1],
                    "",
                    "more fields than the header has columns",
                )
            )
        for column, reason in _row_problems(row, spec, jurisdictions, currencies):
            problems.append(
                SeedProblem(label, row_no, line_no, column, row.get(column) or "", reason)
            )
    return problems


def check_seeds(seeds_dir: Path) -> None:
    """Raise SeedValidationError listing every bad value in the seeds folder."""
    jurisdictions = _codes(seeds_dir / "jurisdictions.csv", "jurisdiction_code")
    currencies = _codes(seeds_dir / "currencies.csv", "currency")
    problems: list[SeedProblem] = []
    for spec in load_specs(seeds_dir):
        path = seeds_dir / f"{spec.name}.csv"
        if not path.exists():
            problems.append(
                SeedProblem(f"seeds/{path.name}", 0, 0, "", "", "declared seed file is missing")
            )
            continue
        problems.extend(check_seed(path, spec, jurisdictions, currencies))
    if problems:
        raise SeedValidationError(problems)
