"""Property: whatever bytes a file of a source's format holds, a load ends in exactly one
of loaded (its rows balancing), refused or empty, in one line and a documented exit code,
never a traceback. Hypothesis mutates small samples of the real files in ../shared/data
(bytes deleted, inserted, replaced, repeated; the file cut short) and loads each through
the CLI."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breach_warehouse.cli import main as cli
from tests import real_data as real

# Bytes that matter to the formats: quotes, separators, line breaks, brackets, digits,
# signs, NUL and bytes that are not UTF-8.
INTERESTING = [b'"', b",", b"\n", b"\r\n", b"{", b"}", b"[", b"]", b":", b"0", b"9", b"-",
               b".", b"e", b"NaN", b"Infinity", b"\x00", b"\xff", b"\xc3", b" ", b"true",
               b"null", b"N/A", b"1e-300", b"99999999999999999999"]  # fmt: skip
OUTCOMES = {0, 3, 4}  # loaded, refused, empty


@cache
def samples() -> dict[str, tuple[str, bytes]]:
    """A small sample of each real file, in its own format: (file name, bytes)."""
    real.require_shared()
    hhs = io.StringIO()
    rows = real.csv_rows(real.HHS_OPEN)[:25]
    writer = csv.DictWriter(hhs, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    with zipfile.ZipFile(real.ECB) as archive:
        ecb_lines = archive.read(archive.namelist()[0]).decode().splitlines(keepends=True)
    documents = list(real.vcdb_documents().items())[:1]
    return {
        "hhs_ocr": ("breach_report.csv", hhs.getvalue().encode()),
        "hibp": ("breaches.json", json.dumps(list(real.hibp_items()[:12]), indent=1).encode()),
        "gdpr_fines": ("data.json", json.dumps({"data": list(real.tracker_rows()[:10])}).encode()),
        "ecb_fx": ("eurofxref-hist.csv", "".join(ecb_lines[:25]).encode()),
        "vcdb": ("incident.json", json.dumps(documents[0][1], indent=1).encode()),
    }


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with one to four edits at random places."""
    for _ in range(draw(st.integers(1, 4))):
        size = len(data)
        at = draw(st.integers(0, max(size - 1, 0)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "repeat", "cut"]))
        span = draw(st.integers(1, 40))
        if kind == "delete":
            data = data[:at] + data[at + span :]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(INTERESTING)) + data[at:]
        elif kind == "replace":
            data = data[:at] + draw(st.sampled_from(INTERESTING)) + data[at + 1 :]
        elif kind == "repeat":
            data = data[:at] + data[at : at + span] + data[at:]
        else:
            data = data[:at]
    return data


def load(source: str, name: str, data: bytes) -> tuple[int, str, dict | None]:
    """Load ``data`` as ``name`` through the CLI: exit code, stderr, the reconciliation."""
    work = Path(tempfile.mkdtemp(prefix="mutated-"))
    try:
        folder = work / "input"
        folder.mkdir()
        (folder / name).write_bytes(data)
        path = folder if source == "vcdb" else folder / name
        argv = ["ingest", source, "--path", str(path), "--data-dir", str(work / "data")]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli(argv)
        files = sorted((work / "data" / "reconciliation" / source).glob("*.parquet"))
        account = pl.read_parquet(files).row(0, named=True) if files else None
        return code, err.getvalue(), account
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check(source: str, data: bytes) -> None:
    name, _ = samples()[source]
    code, err, account = load(source, name, data)
    assert "Traceback" not in err, err
    assert code in OUTCOMES, f"exit {code}: {err}"
    if code == 0:
        assert account is not None
        assert account["rows_read"] == (
            account["rows_loaded"] + account["rows_quarantined"] + account["rows_duplicate"]
        ), account
    else:
        assert len(err.strip().splitlines()) == 1, err
        assert account is None  # nothing written


PROPERTY = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("source", ["hhs_ocr", "hibp", "gdpr_fines", "ecb_fx", "vcdb"])
def test_the_unmutated_sample_loads(source: str) -> None:
    name, data = samples()[source]
    code, err, account = load(source, name, data)
    assert code == 0, err
    assert account is not None and account["rows_quarantined"] == 0


@pytest.mark.parametrize("source", ["hhs_ocr", "hibp", "gdpr_fines", "ecb_fx", "vcdb"])
def test_a_mutated_file_is_loaded_balanced_or_refused_in_one_line(source: str) -> None:
    @PROPERTY
    @given(data=mutated(samples()[source][1]))
    def property_holds(data: bytes) -> None:
        check(source, data)

    property_holds()
