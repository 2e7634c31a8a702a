"""`make docs`: dbt's documentation site, generated offline against a throwaway DuckDB
file, with the marts in their folders under the prefixes the folders promise."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# The prefixes a mart's name starts with in each folder of models/marts (audit marts keep
# the names they are known by).
PREFIXES = {"core": ("dim_", "fct_", "bridge_"), "dashboard": ("agg_",), "audit": ("",)}


@pytest.fixture(scope="module")
def docs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    done = subprocess.run(
        ["make", "--no-print-directory", "docs", f"DOCS_DIR={out}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


def test_docs_site_has_the_manifest_catalog_and_one_file_page(docs_dir: Path) -> None:
    for name in ("manifest.json", "catalog.json", "index.html", "static_index.html"):
        assert (docs_dir / name).stat().st_size > 0, name
    # The one-file page embeds the manifest: it opens without a server or a network.
    assert '"exposure.breach_warehouse.dashboard_compare"' in (
        docs_dir / "static_index.html"
    ).read_text(encoding="utf-8")


def test_docs_list_the_exposures(docs_dir: Path) -> None:
    manifest = json.loads((docs_dir / "manifest.json").read_text(encoding="utf-8"))
    kinds = {e["name"].split("_")[0] for e in manifest["exposures"].values()}
    assert kinds == {"dashboard", "extract"}
    for exposure in manifest["exposures"].values():
        assert exposure["depends_on"]["nodes"], exposure["name"]


def test_every_mart_sits_in_its_folder_under_its_prefix(docs_dir: Path) -> None:
    manifest = json.loads((docs_dir / "manifest.json").read_text(encoding="utf-8"))
    marts = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    ]
    assert len(marts) >= 20
    for node in marts:
        folder = node["fqn"][2]
        assert folder in PREFIXES, node["original_file_path"]
        assert node["name"].startswith(PREFIXES[folder]), node["original_file_path"]
        assert node["config"]["contract"]["enforced"], node["name"]
        assert node["description"], node["name"]
        assert node["patch_path"].endswith(f"models/marts/{folder}/_{folder}__models.yml")
