"""The bad-input corpus (``tests/fixtures/bad_inputs/manifest.yml``) run through the CLI.

Each case is loaded with ``breach-warehouse ingest SOURCE --path ...`` (in-process, into a
data folder of its own) and must end in exactly the outcome its manifest entry names:

- ``loaded``: exit 0; the reconciliation balances (rows read = loaded + quarantined +
  duplicates) with the counts given, and every quarantined field's reason contains one of
  the reasons given;
- ``refused`` / ``empty``: the exit code given, one line on stderr naming the input and
  holding the message fragment, and nothing written to the data folder.

No case may print a traceback. ``python -m tests.bad_input_corpus`` runs every case and
prints one line per case and the summary line; ``tests/test_bad_input_corpus.py`` runs the
same cases under pytest.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import yaml

from breach_warehouse.cli import main as cli

CORPUS = Path(__file__).resolve().parent / "fixtures" / "bad_inputs"
MiB = 1 << 20


def cases() -> list[dict]:
    return yaml.safe_load((CORPUS / "manifest.yml").read_text(encoding="utf-8"))["cases"]


@dataclass
class Outcome:
    case: dict
    code: int
    stdout: str
    stderr: str
    problems: list[str] = field(default_factory=list)
    account: dict | None = None

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr + self.stdout

    @property
    def silent_loss(self) -> bool:
        a = self.account
        return a is not None and a["rows_read"] != (
            a["rows_loaded"] + a["rows_quarantined"] + a["rows_duplicate"]
        )


# ---------------------------------------------------------------- inputs built at test time


def _incident() -> str:
    return (CORPUS / "vcdb" / "valid_incident" / "a.json").read_text(encoding="utf-8")


def build(kind: str, root: Path) -> Path:
    """An input that cannot be committed: links, FIFOs, devices, many megabytes."""
    hhs_header = (CORPUS / "hhs_ocr" / "header_only.csv").read_text(encoding="utf-8")
    folder = root / "input"
    folder.mkdir(parents=True)
    if kind == "device":
        return Path("/dev/zero")
    if kind == "fifo":
        os.mkfifo(folder / "export.csv")
        return folder / "export.csv"
    if kind == "hhs_long_field":
        path = folder / "export.csv"
        row = "Long Clinic,CA,Healthcare Provider,900,01/15/2020,Theft,Laptop,No,"
        path.write_text(hhs_header + row + '"' + "x" * (2 * MiB) + '"\n', encoding="utf-8")
        return path
    if kind == "hhs_huge_field":
        path = folder / "export.csv"
        with path.open("w", encoding="utf-8") as out:
            out.write(hhs_header + "Huge Clinic,CA,Healthcare Provider,900,01/15/2020,Theft,")
            out.write('"' + "x" * (50 * MiB) + '",No,\n')
        return path
    if kind == "vcdb_long_string":
        doc = _incident().replace('"summary": "', '"summary": "' + "x" * (MiB + 10), 1)
        (folder / "long.json").write_text(doc, encoding="utf-8")
        return folder
    if kind in ("zip_bomb", "ecb_zip_bomb"):
        path = root / "bomb.zip"
        name = "eurofxref-hist.csv" if kind == "ecb_zip_bomb" else "validated/bomb.json"
        with (
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
            archive.open(name, "w") as member,
        ):
            for _ in range(12):  # 12 MiB of one byte: ~12 kB compressed
                member.write(b" " * MiB)
        return path
    if kind == "zip_big_member":
        path = root / "big.zip"
        with (
            zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive,
            archive.open("validated/big.json", "w") as member,
        ):
            for _ in range(17):
                member.write(os.urandom(MiB))
        return path
    if kind == "big_incident_file":
        with (folder / "big.json").open("wb") as out:
            for _ in range(17):
                out.write(b" " * MiB)
        return folder
    if kind == "hibp_long_description":
        path = folder / "breaches.json"
        path.write_text('[{"Name": "X", "Description": "' + "x" * (MiB + 10) + '"}]')
        return path
    (folder / "a.json").write_text(_incident(), encoding="utf-8")
    if kind == "symlink_out":
        outside = root / "outside.json"
        outside.write_text(_incident(), encoding="utf-8")
        (folder / "linked.json").symlink_to(outside)
    elif kind == "symlink_device":
        (folder / "zero.json").symlink_to("/dev/zero")
    elif kind == "symlink_inside":
        (folder / "again.json").symlink_to(folder / "a.json")
    elif kind == "fifo_in_folder":
        os.mkfifo(folder / "pipe.json")
    else:
        raise ValueError(f"unknown build {kind!r}")
    return folder


# ---------------------------------------------------------------- running one case


def _names(path: Path) -> set[str]:
    """What a message may name: the input, or a file in the input folder."""
    names = {path.name, str(path)}
    if path.is_dir():
        names |= {p.name for p in path.rglob("*")}
    return names


def _written(data_dir: Path) -> list[str]:
    if not data_dir.exists():
        return []
    return sorted(
        str(p.relative_to(data_dir))
        for p in data_dir.rglob("*.parquet")
        if p.parts[-3:-2] != ("_contract",)
    )


def _account(data_dir: Path, source: str) -> dict | None:
    files = sorted((data_dir / "reconciliation" / source).glob("*.parquet"))
    return pl.read_parquet(files).row(0, named=True) if files else None


def _reasons(data_dir: Path, source: str) -> list[str]:
    files = sorted((data_dir / "quarantine" / source).glob("*.parquet"))
    return pl.read_parquet(files)["reason"].to_list() if files else []


def run_case(case: dict, work: Path) -> Outcome:
    """Load one case through the CLI and judge it against its manifest entry."""
    path = build(case["build"], work / "built") if case.get("build") else CORPUS / case["path"]
    data_dir = work / "data"
    argv = ["ingest", case["source"], "--path", str(path), "--data-dir", str(data_dir)]
    if case.get("allow_empty"):
        argv.append("--allow-empty")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(argv)
    outcome = Outcome(case, code, out.getvalue(), err.getvalue())
    judge(outcome, data_dir, path)
    return outcome


def judge(outcome: Outcome, data_dir: Path, path: Path) -> None:
    case, problems = outcome.case, outcome.problems
    if outcome.traceback:
        problems.append("a traceback was printed")
    if case["expect"] == "loaded":
        outcome.account = account = _account(data_dir, case["source"])
        if outcome.code != 0 or account is None:
            problems.append(f"exit {outcome.code}, expected a load: {outcome.stderr.strip()}")
            return
        if outcome.silent_loss:
            problems.append(f"rows do not balance: {account}")
        got = {k: account[f"rows_{k}"] for k in ("read", "loaded", "quarantined", "duplicate")}
        want = {
            "read": case["read"],
            "loaded": case["loaded"],
            "quarantined": case["quarantined"],
            "duplicate": case["duplicates"],
        }
        if got != want:
            problems.append(f"rows {got}, expected {want}")
        reasons = _reasons(data_dir, case["source"])
        expected = case.get("reasons") or []
        unexplained = [r for r in reasons if not any(e in r for e in expected)]
        if unexplained or (expected and not reasons):
            problems.append(f"quarantine reasons {sorted(set(reasons))}, expected {expected}")
        if "note" in case and case["note"] not in outcome.stdout:
            problems.append(f"no note {case['note']!r} in {outcome.stdout.strip()!r}")
        if "rates_loaded" in case and account["records_loaded"] != case["rates_loaded"]:
            problems.append(
                f"rates loaded {account['records_loaded']}, expected {case['rates_loaded']}"
            )
        if "amount" in case and str(account["amount_loaded"]) != case["amount"]:
            problems.append(f"amount loaded {account['amount_loaded']}, expected {case['amount']}")
        return
    lines = outcome.stderr.strip().splitlines()
    if outcome.code != case["exit"]:
        problems.append(f"exit {outcome.code}, expected {case['exit']}: {outcome.stderr.strip()}")
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr, expected one: {outcome.stderr!r}")
    elif case["message"] not in lines[0]:
        problems.append(f"message {lines[0]!r} lacks {case['message']!r}")
    elif not any(name in lines[0] for name in _names(path)):
        problems.append(f"message {lines[0]!r} does not name the input {path.name}")
    written = _written(data_dir)
    if written:
        problems.append(f"a refused load wrote {written}")


# ---------------------------------------------------------------- the whole corpus


def summary_line(outcomes: list[Outcome]) -> str:
    by_source = Counter(o.case["source"] for o in outcomes)
    by_expect = Counter(o.case["expect"] for o in outcomes)
    with_quarantine = sum(
        1 for o in outcomes if o.account is not None and o.account["rows_quarantined"]
    )
    failed = sum(1 for o in outcomes if o.problems)
    sources = ", ".join(f"{s} {n}" for s, n in sorted(by_source.items()))
    return (
        f"bad-input corpus: {len(outcomes)} cases ({sources}): "
        f"{by_expect['loaded']} loaded ({with_quarantine} with quarantined rows), "
        f"{by_expect['refused']} refused, {by_expect['empty']} empty; "
        f"{sum(o.traceback for o in outcomes)} tracebacks, "
        f"{sum(o.silent_loss for o in outcomes)} silent losses, {failed} not as expected"
    )


def main() -> int:
    outcomes = []
    for case in cases():
        work = Path(tempfile.mkdtemp(prefix="bad-input-"))
        try:
            outcome = run_case(case, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        outcomes.append(outcome)
        status = "ok  " if not outcome.problems else "FAIL"
        shown = outcome.stderr.strip() or outcome.stdout.strip().splitlines()[0]
        print(f"{status} {case['id']} (exit {outcome.code}): {shown[:160]}")
        for problem in outcome.problems:
            print(f"     {problem}")
    print(summary_line(outcomes))
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
