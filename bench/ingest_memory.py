"""Peak memory of an ingest on large and hostile inputs, each load in its own process.

Generates, in a work folder (never committed; removed afterwards unless ``--keep``):

- an HHS OCR export of ``--gib`` GiB in the portal's layout (every field quoted, the real
  archive's rows repeated with a running number after each entity's name, so every row
  is a filing of its own);
- a VCDB repository zip of ``--gib`` GiB (deflated, ``VCDB-master/data/json/validated/``),
  the real incidents repeated with a new file name, incident id and a running number in
  the victim and summary, so none repeats another;
- two hostile inputs: an HHS export whose one field is 50 MB, and a zip whose one member
  expands to 1 GiB of spaces (a zip bomb of about 1 MB).

Then runs ``breach-warehouse ingest`` on each and prints a Markdown table: input size,
rows read and loaded, wall seconds and the peak RSS of the process (sampled every 20 ms by
``breach_warehouse.bench.measure``). Run from the repository root:

    .venv/bin/python bench/ingest_memory.py [--gib 1] [--work-dir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import uuid
import zipfile
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from breach_warehouse.bench import BIN, measure  # noqa: E402
from tests import real_data as real  # noqa: E402

GiB = 1 << 30
MiB = 1 << 20


def big_hhs(path: Path, size: int) -> int:
    rows = real.csv_rows(real.HHS_ARCHIVE)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        while handle.tell() < size:
            for row in rows:
                written += 1
                name = f"{row['Name of Covered Entity']} {written}"
                writer.writerow({**row, "Name of Covered Entity": name})
    return written


def big_vcdb(path: Path, size: int) -> int:
    documents = list(real.vcdb_documents().values())
    written = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        while path.stat().st_size < size:
            for doc in documents:
                written += 1
                incident = uuid.UUID(int=written).hex.upper()
                copy = {**doc, "incident_id": incident}
                copy["summary"] = f"{doc.get('summary') or ''} ({written})"
                victim = dict(doc.get("victim") or {})
                if isinstance(victim.get("victim_id"), str):
                    victim["victim_id"] = f"{victim['victim_id']} {written}"
                copy["victim"] = victim
                name = f"VCDB-master/data/json/validated/{incident}.json"
                archive.writestr(name, json.dumps(copy, indent=2))
            archive.fp.flush()  # type: ignore[union-attr]
    return written


def huge_field(path: Path) -> None:
    header = ",".join(f'"{c}"' for c in real.csv_rows(real.HHS_OPEN)[0])
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        handle.write('"Huge","CA","Healthcare Provider","900","01/15/2020","Theft","Laptop","No","')
        handle.write("x" * (50 * 1000 * 1000) + '"\n')


def zip_bomb(path: Path) -> None:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("VCDB-master/data/json/validated/bomb.json", "w", force_zip64=True) as out,
    ):
        for _ in range(1024):
            out.write(b" " * MiB)


def ingest(source: str, path: Path, data_dir: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS and the outcome of one load in its own process."""
    argv = [str(BIN / "breach-warehouse"), "ingest", source, "--path", str(path)]
    lines: list[str] = []
    wall, peak = measure(
        [*argv, "--data-dir", str(data_dir)], label=f"ingest {source}", check=False, output=lines
    )
    files = sorted((data_dir / "reconciliation" / source).glob("*.parquet"))
    if not files:
        said = "".join(lines).strip().splitlines()
        return wall, peak, "refused: " + (said[-1].split(": refused: ")[-1] if said else "?")
    account = pl.read_parquet(files).row(0, named=True)
    return wall, peak, f"read {account['rows_read']:,}, loaded {account['rows_loaded']:,}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gib", type=float, default=1.0, help="size of the large inputs")
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated inputs")
    args = parser.parse_args(argv)
    real.require_shared()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="ingest-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    size = int(args.gib * GiB)
    cases = []
    try:
        hhs = work / "breach_report_large.csv"
        print(f"writing {hhs} ...", flush=True)
        hhs_rows = big_hhs(hhs, size)
        cases.append(("hhs_ocr", "HHS export (CSV)", hhs, f"{hhs_rows:,} rows"))
        vcdb = work / "VCDB-large.zip"
        print(f"writing {vcdb} ...", flush=True)
        vcdb_rows = big_vcdb(vcdb, size)
        cases.append(("vcdb", "VCDB repository zip", vcdb, f"{vcdb_rows:,} incidents"))
        field = work / "field_of_50_mb.csv"
        huge_field(field)
        cases.append(("hhs_ocr", "HHS export, one 50 MB field", field, "1 row"))
        bomb = work / "bomb.zip"
        zip_bomb(bomb)
        cases.append(("vcdb", "zip bomb (1 GiB member)", bomb, "1 member"))
        print()
        print("| input | size | holds | outcome | wall s | peak RSS MiB |")
        print("| --- | ---: | --- | --- | ---: | ---: |")
        for i, (source, title, path, holds) in enumerate(cases):
            wall, peak, outcome = ingest(source, path, work / f"data-{i}")
            print(
                f"| {title} | {path.stat().st_size / MiB:,.0f} MiB | {holds} | {outcome} | "
                f"{wall:.1f} | {peak / MiB:,.0f} |",
                flush=True,
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
