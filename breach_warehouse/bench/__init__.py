"""The benchmark: synthetic data at a scale, each step in its own process, one table.

Steps (each run ``repeat`` times; the table shows the median wall time and the largest
peak RSS, summed over the step's process tree and sampled every 20 ms):

- default build: ``breach-warehouse refresh`` into an empty data folder (the seeds and the
  bundled public snapshots, as ``make run`` builds them), then the same refresh again
- generate: the synthetic raw Parquet (once, not repeated)
- full refresh: ``breach-warehouse refresh --full-refresh`` (dbt build: seeds, models, tests)
- incremental refresh: +1% new rows as a new load, ``breach-warehouse refresh`` starting
  from the full refresh just served
- dashboard: 200 callback calls in-process against the built warehouse (p95 reported)
- generate: ``--sources`` (default 5) adds overlapping sources and daily ECB rates
- mart (dbt): agg_jurisdiction_year_metrics and its upstream models from the raw Parquet,
  the linkage models' tables kept from the full refresh (their decisions are the peers'
  input too); mart (dbt, with linkage) rebuilds them as well; linkage (dbt): them alone
- mart (pandas): ``breach_warehouse/bench/pandas_baseline.py``, the same mart in pandas
- mart (polars): ``breach_warehouse/bench/polars_peer.py``, the same mart in lazy polars
- floor: one DuckDB aggregate over the raw Parquet

The steps a target compares run in alternation (full refresh, incremental refresh, full
refresh, ...; mart (dbt), mart (pandas), mart (polars), ...) and their ratio is the median of the ratios
of each pair: the machine's speed drifts over minutes, and each pair shares its minute.
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported on first use: the peers (pandas_baseline, polars_peer) run as modules of this
# package, and their time must not include the harness's imports.
_HOME = {
    **dict.fromkeys(
        (
            "BIN",
            "SCALES",
            "BenchReport",
            "Scale",
            "Step",
            "StepFailedError",
            "StepResult",
            "measure",
            "run_alternating",
            "run_step",
        ),
        "breach_warehouse.bench.measure",
    ),
    "format_report": "breach_warehouse.bench.report",
    "report_json": "breach_warehouse.bench.report",
    "run_bench": "breach_warehouse.bench.run",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(name)
    return getattr(importlib.import_module(_HOME[name]), name)
