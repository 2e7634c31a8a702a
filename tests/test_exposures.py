"""The dbt exposures (models/exposures.yml) say what reads the marts outside dbt: the
dashboard's pages and the extracts. These tests keep them true: every extract of
extracts.yml is declared with exactly the marts it reads, and every mart the dashboard's
code names is declared by one of its pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
import yaml
from sqlglot import exp

PROJECT = Path(__file__).resolve().parent.parent
EXPOSURES = PROJECT / "models" / "exposures.yml"
MARTS = sorted(path.stem for path in (PROJECT / "models" / "marts").rglob("*.sql"))


def exposures() -> dict[str, dict]:
    spec = yaml.safe_load(EXPOSURES.read_text(encoding="utf-8"))
    return {exposure["name"]: exposure for exposure in spec["exposures"]}


def refs(exposure: dict) -> list[str]:
    found = [re.fullmatch(r"ref\('(\w+)'\)", item) for item in exposure["depends_on"]]
    assert all(found), exposure["name"]
    return [match.group(1) for match in found if match]


def extracts() -> list[dict]:
    return yaml.safe_load((PROJECT / "extracts.yml").read_text(encoding="utf-8"))["extracts"]


def marts_read(extract: dict) -> set[str]:
    """The marts an extract reads: its `mart`, or the tables its `sql` names."""
    if extract.get("mart"):
        return {extract["mart"]}
    tree = sqlglot.parse_one(extract["sql"], read="duckdb")
    return {table.name for table in tree.find_all(exp.Table)}


def test_every_exposure_depends_on_marts_only_once_each() -> None:
    for exposure in exposures().values():
        names = refs(exposure)
        assert len(names) == len(set(names)), exposure["name"]
        assert set(names) <= set(MARTS), exposure["name"]


@pytest.mark.parametrize("extract", extracts(), ids=lambda e: e["name"])
def test_every_extract_is_an_exposure_of_the_marts_it_reads(extract: dict) -> None:
    exposure = exposures().get(f"extract_{extract['name']}")
    assert exposure is not None, f"no exposure extract_{extract['name']} in {EXPOSURES.name}"
    assert set(refs(exposure)) == marts_read(extract)


def test_no_exposure_names_an_extract_that_is_gone() -> None:
    declared = {name for name in exposures() if name.startswith("extract_")}
    assert declared == {f"extract_{extract['name']}" for extract in extracts()}


def test_every_mart_the_dashboard_reads_is_declared_by_a_page() -> None:
    code = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((PROJECT / "dashboards").rglob("*"))
        if path.suffix in {".py", ".sql"}
    )
    named = {mart for mart in MARTS if re.search(rf"\b{mart}\b", code)}
    assert named, "the dashboard names no mart"
    declared = {
        mart
        for name, exposure in exposures().items()
        if name.startswith("dashboard_")
        for mart in refs(exposure)
    }
    assert named <= declared, sorted(named - declared)
