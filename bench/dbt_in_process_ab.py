"""One side of an A/B of dbt's incremental build of a warehouse (what `refresh` runs).

``sub``: dbt as a child process (``dbt_runner.run_dbt``, what a refresh does).
``inproc N``: dbt imported once and the project parsed once in this process, then N builds
through ``dbtRunner`` with a copy of the parsed manifest each (reusing one manifest object
fails from the second build on: the CTEs of ephemeral models that the first build injected
stay in it). Each build starts from a fresh copy of the warehouse file. Run in turn:

  AB_DB=warehouse.duckdb AB_DATA_DIR=data .venv/bin/python bench/dbt_in_process_ab.py sub
  AB_DB=warehouse.duckdb AB_DATA_DIR=data .venv/bin/python bench/dbt_in_process_ab.py inproc 3
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sys
import time
from pathlib import Path

from breach_warehouse.dbt_runner import dbt_env, run_dbt
from breach_warehouse.refresh import INCREMENTAL_SELECTION
from groundwork.paths import PROFILES_DIR, PROJECT_DIR

SERVED = Path(os.environ["AB_DB"])
SCRATCH = Path(os.environ.get("AB_SCRATCH", "/tmp/dbt-in-process-ab"))
BUILD = SCRATCH / ".bw.building"
VARS = {"data_dir": str(Path(os.environ["AB_DATA_DIR"]))}
ARGS = ["build", *INCREMENTAL_SELECTION, "--no-write-json"]
ENV = {"BW_INCREMENTAL_BUILD": "1"}
COMMON = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROFILES_DIR)]
COMMON += ["--target", "duckdb", "--vars", json.dumps(VARS)]


def fresh_build() -> None:
    BUILD.unlink(missing_ok=True)
    shutil.copyfile(SERVED, BUILD)
    os.chmod(BUILD, 0o644)


def main(side: str, builds: int) -> None:
    work = SCRATCH / f"work-{side}"
    work.mkdir(parents=True, exist_ok=True)
    if side == "sub":
        fresh_build()
        args = ARGS if (work / "manifest.json").exists() else ARGS[:-1]
        started = time.perf_counter()
        run = run_dbt(args, db_path=BUILD, dbt_vars=VARS, work_dir=work, extra_env=ENV)
        print(f"subprocess {time.perf_counter() - started:.2f}s ok={run.success}")
        return
    os.environ.update(dbt_env(BUILD, "duckdb", work, ENV))
    started = time.perf_counter()
    from dbt.cli.main import dbtRunner

    said = [f"import {time.perf_counter() - started:.2f}s"]
    started = time.perf_counter()
    manifest = dbtRunner().invoke(["parse", "--quiet", *COMMON]).result
    said.append(f"parse {time.perf_counter() - started:.2f}s")
    for number in range(1, builds + 1):
        fresh_build()
        started = time.perf_counter()
        result = dbtRunner(manifest=copy.deepcopy(manifest)).invoke([*ARGS, "--quiet", *COMMON])
        said.append(f"build {number} {time.perf_counter() - started:.2f}s ok={result.success}")
        if not result.success:
            said.append(repr(result.exception))
    print("in-process " + "; ".join(said))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)
