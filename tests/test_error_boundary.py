"""The CLI's one error boundary: every command ends in its result or one line and a
documented exit code; a traceback only with --debug. And `sql` reads the warehouse only."""

from __future__ import annotations

from pathlib import Path

import pytest

from breach_warehouse.cli import main
from breach_warehouse.commands import sql as sql_command
from breach_warehouse.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    "statement",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from glob('/etc/*')",
        "select * from read_parquet('data/raw/*/*/*.parquet')",
        "select content from read_blob('/proc/self/environ')",
    ],
)
def test_sql_refuses_reading_other_files(warehouse_path: Path, statement: str, capsys) -> None:
    assert main(["sql", statement, "--db", str(warehouse_path)]) == EXIT_USAGE
    line = one_line(capsys.readouterr().err)
    assert "reads the warehouse only" in line and "file access is off" in line


@pytest.mark.slow
def test_sql_still_reads_the_warehouse(warehouse_path: Path, capsys) -> None:
    assert main(["sql", "select count(*) as n from dim_sources", "--db", str(warehouse_path)]) == 0
    assert "(1 row)" in capsys.readouterr().out


def test_an_unexpected_error_is_one_line_and_status_70(monkeypatch, tmp_path: Path, capsys) -> None:
    def broken(_args) -> int:
        raise KeyError("a defect")

    monkeypatch.setattr(sql_command, "run", broken)
    assert main(["sql", "select 1", "--db", str(tmp_path / "w.duckdb")]) == EXIT_INTERNAL
    line = one_line(capsys.readouterr().err)
    assert line.startswith("breach-warehouse sql: internal error (KeyError: 'a defect')")
    assert "--debug" in line
    assert main(["--debug", "sql", "select 1"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "KeyError: 'a defect'" in err


def test_ctrl_c_is_one_line_and_status_130(monkeypatch, capsys) -> None:
    def interrupted(_args) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(sql_command, "run", interrupted)
    assert main(["sql", "select 1"]) == EXIT_INTERRUPTED
    assert one_line(capsys.readouterr().err) == "breach-warehouse sql: interrupted"


def test_commands_given_broken_configuration_say_so_in_one_line(tmp_path: Path, capsys) -> None:
    config = tmp_path / "extracts.yml"
    config.write_text("extracts: [ {name: x, unclosed\n")
    db = tmp_path / "w.duckdb"
    assert main(["extract", "--db", str(db), "--config", str(config)]) == EXIT_USAGE
    assert "extract failed" in one_line(capsys.readouterr().err)
    assert main(["schedule", "--once", "--db", str(db), "--config", str(config)]) == EXIT_USAGE
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "Traceback" not in err[0], err


def test_ingest_of_a_missing_file_is_one_line(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nothing.csv"
    assert main(["ingest", "hhs_ocr", "--path", str(missing), "--data-dir", str(tmp_path)]) == 1
    assert "nothing.csv: no such file or folder" in one_line(capsys.readouterr().err)
