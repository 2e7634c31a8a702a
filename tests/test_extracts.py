"""Extracts: round trips, manifests, the latest pointer, retention, rejected definitions."""

from __future__ import annotations

import hashlib
import json
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from breach_warehouse.cli import main
from breach_warehouse.extracts import writer
from breach_warehouse.extracts.config import DEFAULT_CONFIG_PATH, load_config
from breach_warehouse.extracts.query import build_query
from breach_warehouse.extracts.runner import run_extracts

pytestmark = pytest.mark.slow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ticking_clock(start: datetime = datetime(2025, 1, 1, 5, 30, tzinfo=UTC)):
    now = [start]

    def clock() -> datetime:
        now[0] += timedelta(minutes=1)
        return now[0]

    return clock


def assert_latest_is_complete(extract_dir: Path) -> Path:
    """``latest.json`` and ``latest`` name a complete version whose checksums match."""
    pointer = json.loads((extract_dir / "latest.json").read_text())
    version = extract_dir / pointer["path"]
    assert (extract_dir / "latest").resolve() == version.resolve()
    assert not version.name.endswith(".partial")
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["version"] == version.name
    for entry in manifest["files"]:
        path = version / entry["file"]
        assert sha256(path) == entry["sha256"]
        assert path.stat().st_size == entry["bytes"]
    return version


@pytest.fixture(scope="module")
def written(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every extract in the repo's extracts.yml, written once from the session warehouse."""
    out = tmp_path_factory.mktemp("extracts")
    before = sha256(warehouse_path)
    report = run_extracts(DEFAULT_CONFIG_PATH, warehouse_path, out, clock=ticking_clock())
    assert report.ok, (report.definition_errors, [r.error for r in report.results])
    assert sha256(warehouse_path) == before  # read-only
    return out


def test_repo_definitions_all_load() -> None:
    config = load_config(DEFAULT_CONFIG_PATH)
    assert config.errors == []
    assert {e.name for e in config.extracts} >= {
        "country_year_metrics",
        "current_penalties",
        "breaches_with_sources",
        "regulatory_action_targets",
    }
    assert config.refresh.schedule


@pytest.mark.parametrize(
    "definition", load_config(DEFAULT_CONFIG_PATH).extracts, ids=lambda d: d.name
)
def test_extract_files_round_trip(written: Path, warehouse_path: Path, definition) -> None:
    version = assert_latest_is_complete(written / definition.name)
    manifest = json.loads((version / "manifest.json").read_text())
    query = build_query(definition)
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        expected = con.sql(query.sql, params=query.params).pl()
        relation = con.sql(query.sql, params=query.params)
        expected_types = [str(t) for t in relation.types]
        run_id = con.sql(
            "select run_id from refresh_runs where status = 'success' order by finished_at desc"
        ).fetchall()[0][0]
        if definition.mart is not None and definition.columns is None:  # the mart's own types
            mart = con.sql(f"describe {definition.mart}").fetchall()
            assert [(c["name"], c["type"]) for c in manifest["columns"]] == [r[:2] for r in mart]

    assert manifest["row_count"] == expected.height > 0
    assert [c["name"] for c in manifest["columns"]] == expected.columns
    assert [c["type"] for c in manifest["columns"]] == expected_types
    assert manifest["source"]["run_id"] == run_id
    assert manifest["data_as_of"]
    formats = {f["format"]: version / f["file"] for f in manifest["files"]}
    assert list(formats) == definition.formats

    assert_frame_equal(pl.read_parquet(formats["parquet"]), expected)
    with duckdb.connect() as con:
        back = con.sql("select * from read_parquet(?)", params=[str(formats["parquet"])])
        assert [str(t) for t in back.types] == expected_types
    assert_frame_equal(pl.read_csv(formats["csv"], schema=expected.schema), expected)
    if "xlsx" in formats:
        sheet = openpyxl.load_workbook(formats["xlsx"], read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == expected.columns
        assert len(rows) - 1 == expected.height
        first_column = [None if r[0] is None else str(r[0]) for r in rows[1:]]
        assert first_column == expected.get_column(expected.columns[0]).cast(pl.String).to_list()


def test_filters(warehouse_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "extracts.yml"
    config.write_text(
        textwrap.dedent(
            """
            extracts:
              - name: big_countries_recent
                mart: agg_jurisdiction_year_metrics
                columns: [jurisdiction_code, year, population]
                filters:
                  jurisdiction_level: country
                  jurisdiction_code: [US, GB, FR]
                  year: {gte: 2020, lt: 2023}
                  population: {is_null: false}
                order_by: [jurisdiction_code, year]
                formats: [parquet]
                schedule: "0 6 * * *"
            """
        )
    )
    report = run_extracts(config, warehouse_path, tmp_path / "out")
    assert report.ok
    got = pl.read_parquet(report.results[0].version_dir / "big_countries_recent.parquet")
    assert got.columns == ["jurisdiction_code", "year", "population"]
    assert got.select("jurisdiction_code", "year").rows() == [
        (code, year) for code in ["FR", "GB", "US"] for year in (2020, 2021, 2022)
    ]


def test_a_failed_write_never_moves_latest(
    warehouse_path: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    clock = ticking_clock()
    first = run_extracts(
        DEFAULT_CONFIG_PATH, warehouse_path, out, ["current_penalties"], clock=clock
    )
    assert first.ok
    extract_dir = out / "current_penalties"
    good = assert_latest_is_complete(extract_dir)
    before = {p.name: sha256(p) for p in good.iterdir()}
    real_write = writer.write_format

    def fail_on_xlsx(frame, fmt, path, sheet):
        if fmt == "xlsx":
            path.write_bytes(b"half a spreadsheet")
            raise OSError(28, "No space left on device")
        real_write(frame, fmt, path, sheet)

    monkeypatch.setattr(writer, "write_format", fail_on_xlsx)
    report = run_extracts(
        DEFAULT_CONFIG_PATH, warehouse_path, out, ["current_penalties"], clock=clock
    )
    assert not report.ok
    assert "No space left on device" in report.results[0].error
    assert assert_latest_is_complete(extract_dir) == good
    assert {p.name: sha256(p) for p in good.iterdir()} == before
    assert [p.name for p in extract_dir.iterdir() if p.name.endswith(".partial")] == []
    assert writer.complete_versions(extract_dir) == [good]


def test_crashed_partial_is_never_latest_and_is_cleaned_up(
    warehouse_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    clock = ticking_clock()
    run_extracts(DEFAULT_CONFIG_PATH, warehouse_path, out, ["current_penalties"], clock=clock)
    extract_dir = out / "current_penalties"
    crashed = extract_dir / "20300101T000000Z.partial"  # newer than anything, but incomplete
    crashed.mkdir()
    (crashed / "current_penalties.parquet").write_bytes(b"PAR1")
    assert writer.latest_version(extract_dir) != crashed
    assert crashed not in writer.complete_versions(extract_dir)
    run_extracts(DEFAULT_CONFIG_PATH, warehouse_path, out, ["current_penalties"], clock=clock)
    assert not crashed.exists()
    assert_latest_is_complete(extract_dir)


def test_retention_prunes_old_versions(warehouse_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "extracts.yml"
    config.write_text(
        'extracts:\n  - {name: sources, mart: dim_sources, formats: [csv], schedule: "0 * * * *", retention: 2}\n'
    )
    clock = ticking_clock()
    versions = []
    for _ in range(4):
        report = run_extracts(config, warehouse_path, tmp_path / "out", clock=clock)
        versions.append(report.results[0].version_dir)
    extract_dir = tmp_path / "out" / "sources"
    assert writer.complete_versions(extract_dir) == versions[-2:]
    assert assert_latest_is_complete(extract_dir) == versions[-1]


def test_bad_definitions_are_rejected_and_the_rest_still_run(
    warehouse_path: Path, tmp_path: Path, capsys
) -> None:
    config = tmp_path / "extracts.yml"
    config.write_text(
        textwrap.dedent(
            """
            extracts:
              - {name: good, mart: dim_sources, formats: [parquet], schedule: "0 6 * * *"}
              - {name: no_such_mart, mart: fct_nothing, schedule: "0 6 * * *"}
              - {name: writes, sql: "delete from fct_penalties", schedule: "0 6 * * *"}
              - {name: two_statements, sql: "select 1; select 2", schedule: "0 6 * * *"}
              - {name: bad_cron, mart: dim_sources, schedule: "61 25 * * *"}
              - {name: reads_seeds, sql: "select * from main_seeds.penalties", schedule: "0 6 * * *"}
              - {name: reads_files, sql: "select * from read_csv('/etc/passwd')", schedule: "0 6 * * *"}
              - name: hugeint
                sql: "select jurisdiction_code, sum(breaches) as b from agg_jurisdiction_year_metrics group by 1"
                schedule: "0 6 * * *"
              - {name: unknown_column, mart: dim_sources, filters: {nope: 1}, schedule: "0 6 * * *"}
              - {name: both, mart: dim_sources, sql: "select 1", schedule: "0 6 * * *"}
              - {name: good, mart: fct_breaches, schedule: "0 6 * * *"}
              - {name: bad_format, mart: dim_sources, formats: [json], schedule: "0 6 * * *"}
            """
        )
    )
    code = main(
        [
            "extract",
            "--db",
            str(warehouse_path),
            "--out",
            str(tmp_path / "out"),
            "--config",
            str(config),
        ]
    )
    assert code == 1
    captured = capsys.readouterr()
    rejected = [line for line in captured.err.splitlines() if line.startswith("rejected:")]
    reasons = {
        "no_such_mart": "unknown mart 'fct_nothing'",
        "writes": "only read",
        "two_statements": "exactly one SELECT",
        "bad_cron": "invalid cron expression",
        "reads_seeds": "may only read the marts",
        "reads_files": "does not bind",
        "hugeint": "HUGEINT",
        "unknown_column": "does not bind",
        "both": "exactly one of `mart` or `sql`",
        "good": "duplicate extract name",
        "bad_format": "formats",
    }
    for name, reason in reasons.items():
        line = next((x for x in rejected if f"extract {name!r}" in x and reason in x), None)
        assert line is not None, (name, reason, rejected)
        assert str(config) in line
    assert len(rejected) == len(reasons)
    assert_latest_is_complete(tmp_path / "out" / "good")
    assert "1 extract(s) written" in captured.out


def test_unknown_name_and_unreadable_file(warehouse_path: Path, tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "out")
    assert main(["extract", "nope", "--db", str(warehouse_path), "--out", out]) == 1
    assert "no extract of that name" in capsys.readouterr().err
    broken = tmp_path / "broken.yml"
    broken.write_text("extracts: [unclosed\n")
    assert (
        main(["extract", "--db", str(warehouse_path), "--out", out, "--config", str(broken)]) == 2
    )
    assert str(broken) in capsys.readouterr().err
