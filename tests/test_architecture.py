"""The house plan (ARCHITECTURE.md), checked on the code: which package may import which,
the one module that opens DuckDB connections, and the size of a module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from groundwork.paths import PROJECT_DIR

PACKAGES = ("groundwork", "warehouse_api", "ingest", "breach_warehouse", "dashboards")
SKIPPED_DIRS = {".venv", "tests", "target", "dbt_packages", "logs", "build", ".git"}

# Each unit's floor: a unit imports units of its own floor or below, never above. The
# units of breach_warehouse are its modules and subpackages.
FLOORS: dict[str, int] = {
    # 0: the ground floor
    "groundwork": 0,
    # 1: the warehouse interface
    "warehouse_api": 1,
    # 2: what a build is made of: ingest, the dbt project's helpers, the linkage model
    "ingest": 2,
    "breach_warehouse.dbt_runner": 2,
    "breach_warehouse.build_retry": 2,
    "breach_warehouse.build_fingerprint": 2,
    "breach_warehouse.seed_check": 2,
    "breach_warehouse.reference_seeds": 2,
    "breach_warehouse.reference_series": 2,
    "breach_warehouse.linkage": 2,
    "breach_warehouse.locking": 2,
    "breach_warehouse.faults": 2,
    "breach_warehouse.sql": 2,
    "breach_warehouse.output": 2,
    # 3: what runs on a warehouse: refresh, extracts, schedule, parity; the Spark wing
    "breach_warehouse.refresh": 3,
    "breach_warehouse.extracts": 3,
    "breach_warehouse.scheduler": 3,
    "breach_warehouse.parity": 3,
    "breach_warehouse.spark": 3,
    # 4: the dashboards; the benchmark wing (it measures the dashboard too)
    "dashboards": 4,
    "breach_warehouse.bench": 4,
    # 5: the command line
    "breach_warehouse.cli": 5,
    "breach_warehouse.commands": 5,
    "breach_warehouse.errors": 5,
    "breach_warehouse": 5,  # the package's __init__
}
# Stricter than the floors: what these may import of the project's packages.
ONLY: dict[str, set[str]] = {
    "groundwork": {"groundwork"},
    "warehouse_api": {"groundwork", "warehouse_api"},
    "ingest": {"groundwork", "warehouse_api", "ingest"},
    "dashboards": {"groundwork", "warehouse_api", "dashboards"},
}
MAX_LINES = 400


# Over MAX_LINES for now, while the dashboard's data layer moves into Dataset files.
def project_files() -> list[Path]:
    return sorted(
        p
        for p in PROJECT_DIR.rglob("*.py")
        if not SKIPPED_DIRS.intersection(p.relative_to(PROJECT_DIR).parts)
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "breach_warehouse" and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # `from breach_warehouse import refresh` imports the submodule
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def project_modules() -> dict[str, Path]:
    return {
        module_name(p): p
        for p in project_files()
        if p.relative_to(PROJECT_DIR).parts[0] in PACKAGES
    }


def own_units() -> set[str]:
    return {unit(m) for m in project_modules()}


def test_every_unit_stands_on_a_floor() -> None:
    missing = sorted(own_units() - set(FLOORS))
    assert not missing, f"give these a floor in FLOORS (and ARCHITECTURE.md): {missing}"


def test_no_package_imports_a_package_above_it() -> None:
    units = own_units()
    wrong = []
    for module, path in project_modules().items():
        source = unit(module)
        for line, target in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            if target.split(".")[0] not in PACKAGES:
                continue
            imported = unit(target)
            if imported not in units or imported == source:
                continue  # a name of the package's __init__, checked as the package
            where = f"{path.relative_to(PROJECT_DIR)}:{line} imports {target}"
            top = source.split(".")[0]
            if top in ONLY and imported.split(".")[0] not in ONLY[top]:
                wrong.append(f"{where} ({top} may import only {sorted(ONLY[top])})")
            elif FLOORS.get(imported, 99) > FLOORS.get(source, -1):
                wrong.append(f"{where} (floor {FLOORS[imported]} above floor {FLOORS[source]})")
    assert not wrong, "\n".join(wrong)


def duckdb_connect_calls(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "connect"
            and isinstance(node.value, ast.Name)
            and node.value.id == "duckdb"
        ):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "duckdb":
            lines += [node.lineno for alias in node.names if alias.name == "connect"]
    return lines


def test_duckdb_connections_are_opened_in_one_module() -> None:
    found = {
        str(p.relative_to(PROJECT_DIR)): lines
        for p in project_files()
        if (lines := duckdb_connect_calls(ast.parse(p.read_text(encoding="utf-8"))))
    }
    assert set(found) == {"warehouse_api/engine.py"}, found


@pytest.mark.parametrize(
    "path",
    project_files(),
    ids=lambda p: str(p.relative_to(PROJECT_DIR)),
)
def test_no_module_is_over_the_line_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PROJECT_DIR)}: {lines} lines; split it by job"
