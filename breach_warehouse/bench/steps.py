"""The benchmark's steps that are not CLI commands, each run as its own process:

    python -m breach_warehouse.bench.steps floor --data-dir DIR
    python -m breach_warehouse.bench.steps mart --db FILE --data-dir DIR [--with-linkage]
    python -m breach_warehouse.bench.steps linkage --db FILE --data-dir DIR
    python -m breach_warehouse.bench.steps decisions --db FILE --out FILE.parquet
    python -m breach_warehouse.bench.steps dashboard --db FILE --requests 200 --out FILE.json

``floor`` is the lower bound a refresh is compared with: one DuckDB aggregate over the raw
Parquet (breaches, penalties and actions per jurisdiction and year). ``mart`` builds
agg_jurisdiction_year_metrics and every model upstream of it from the raw Parquet with dbt
(``dbt run --select +agg_jurisdiction_year_metrics --full-refresh``) on a warehouse whose seeds
are loaded, and exports the mart for the comparison with the peers; the linkage models keep
the tables the full refresh built (their decisions are the peers' input, ``decisions``
exports them) unless ``--with-linkage``; ``linkage`` times those models alone. ``dashboard``
calls the dashboard's callbacks in-process, server side, and writes their latencies.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import threading
import time
from pathlib import Path

from warehouse_api import DuckDBWarehouse
from warehouse_api.engine import open_memory

FLOOR_SQL = """
select kind, jurisdiction_code, year, count(*) as n, sum(measure) as total
from (
    select 'breach' as kind, jurisdiction_code, year(reported_on) as year,
           cast(records_exposed as double) as measure
    from read_parquet(?, union_by_name = true)
    union all
    select 'penalty', jurisdiction_code, year(announced_on), cast(amount as double)
    from read_parquet(?, union_by_name = true)
    union all
    select 'action', jurisdiction_code, year(action_on), 1.0
    from read_parquet(?, union_by_name = true)
)
group by all
"""


def floor(data_dir: Path) -> int:
    globs = [
        str(data_dir / "raw" / "*" / t / "*.parquet")
        for t in ("breaches", "penalties", "regulatory_actions")
    ]
    with open_memory() as con:
        rows = con.sql(FLOOR_SQL, params=globs).fetchall()
    return len(rows)


# The linkage models: their decisions are the peers' input, so the mart's build compared
# with the peers keeps the tables a full refresh built, and the linkage is timed alone.
# The partner organizations are the linkage's blocking (whose rows it compares), which an
# incremental refresh's scope also reads: a full build of the facts only waits for them.
LINKAGE_MODELS = [
    "int_breach_partner_organizations",
    "int_breach_pair_scores",
    "breach_source_matches",
]


def _dbt_run(args: list[str], db_path: Path, data_dir: Path) -> bool:
    from breach_warehouse.dbt_runner import run_dbt, work_dir_for
    from breach_warehouse.refresh import node_printer

    # One line per node with its seconds: the bench keeps it (the step's log).
    run = run_dbt(
        args,
        db_path=db_path,
        dbt_vars={"data_dir": str(data_dir)},
        work_dir=work_dir_for(db_path),
        on_node=node_printer(lambda line: print(line, flush=True)),
    )
    if not run.success:
        print(run.error_message, file=sys.stderr)
    return run.success


def mart(
    db_path: Path,
    data_dir: Path,
    out: Path | None,
    alone: bool = False,
    with_linkage: bool = False,
) -> int:
    """agg_jurisdiction_year_metrics with its upstream models from the raw Parquet (but the
    linkage models, unless ``with_linkage``), or (alone) the mart by itself from the fact
    tables already built."""
    exclude = ["resource_type:seed", *([] if with_linkage else LINKAGE_MODELS)]
    select = "agg_jurisdiction_year_metrics" if alone else "+agg_jurisdiction_year_metrics"
    args = ["run", "--select", select, "--exclude", *exclude, "--full-refresh"]
    if not _dbt_run(args, db_path, data_dir):
        return 1
    if out is not None:
        DuckDBWarehouse(db_path).read_table("agg_jurisdiction_year_metrics").write_parquet(out)
    return 0


def linkage(db_path: Path, data_dir: Path) -> int:
    """The linkage models alone (candidates, partners, Splink pair scores, matches) on a warehouse
    whose mapped breaches are built."""
    args = ["run", "--select", "int_breach_candidates", *LINKAGE_MODELS, "--full-refresh"]
    return 0 if _dbt_run(args, db_path, data_dir) else 1


DECISION_COLUMNS = ["source_breach_id", "breach_id"]


def decisions(db_path: Path, out: Path) -> int:
    """The linkage's decisions the peers take as input: breach_source_matches (each source
    row counted in another row's breach, and that breach)."""
    matches = DuckDBWarehouse(db_path).read_table("breach_source_matches")
    matches.select(DECISION_COLUMNS).write_parquet(out)
    return matches.height


def dashboard(
    db_path: Path, requests: int, out: Path, seed: int = 7, budget_s: float = 600.0
) -> dict[str, float]:
    """Call every page's callbacks ``requests`` times in all, with varied filters; stop
    early (and say how many calls were made) once ``budget_s`` seconds have passed."""
    from dashboards import data
    from dashboards.app import create_app

    create_app(db_path)  # imports the pages (dash.register_page needs the app first)
    page = {
        name: sys.modules[f"dashboards.pages.{name}"]
        for name in ("compare", "breaches", "fines", "actions", "data")
    }
    compare, breaches, fines, actions, data_page = (
        page[n] for n in ("compare", "breaches", "fines", "actions", "data")
    )
    codes = data.jurisdictions(db_path)["jurisdiction_code"].to_list()
    rng = random.Random(seed)
    popular = ["US", "GB", "DE", "FR", "CN", "EU", "US-CA", "US-NY", "WORLD", "IE"]

    def pick() -> list[str]:
        pool = popular if rng.random() < 0.7 else codes
        return rng.sample(pool, k=rng.randint(1, 4))

    def years() -> list[int]:
        start = rng.randint(2000, 2024)
        return [start, rng.randint(start, 2026)]

    calls = [
        (
            "compare",
            lambda: compare.update_charts(
                pick(),
                rng.choice(["breaches", "penalties_usd", "records_exposed"]),
                rng.choice(["total", "per_million", "cumulative"]),
                years(),
                rng.choice(["country", "subdivision", "region"]),
            ),
        ),
        (
            "breaches",
            lambda: breaches.update_charts(pick(), years(), "log", rng.choice([[], ["yes"]])),
        ),
        (
            "fines",
            lambda: fines.update_charts(
                pick(), years(), rng.choice(["USD", "EUR"]), rng.choice([[], ["yes"]])
            ),
        ),
        ("actions", lambda: actions.update_charts(pick(), [], years())),
        (
            "data",
            lambda: data_page.update_preview(rng.choice(list(data.DATASETS)), pick(), years()),
        ),
    ]
    latencies: dict[str, list[float]] = {name: [] for name, _ in calls}
    deadline = time.perf_counter() + budget_s
    state = {"done": 0, "current": "", "started": 0.0}

    def summary(cut_short: bool) -> dict[str, float]:
        measured = {name: list(v) for name, v in latencies.items()}
        if cut_short and state["current"]:
            # The call in flight when the budget ran out counts with its time so far.
            measured[str(state["current"])].append(
                (time.perf_counter() - float(state["started"])) * 1000
            )
        every = sorted(v for values in measured.values() for v in values) or [0.0]
        return {
            "requests": float(sum(len(v) for v in measured.values())),
            "requested": float(requests),
            "cut_short": float(cut_short),
            "p50_ms": every[len(every) // 2],
            "p95_ms": every[max(0, math.ceil(len(every) * 0.95) - 1)],
            "max_ms": every[-1],
            **{
                f"p95_ms_{name}": sorted(v)[max(0, math.ceil(len(v) * 0.95) - 1)]
                for name, v in measured.items()
                if v
            },
        }

    def watchdog() -> None:
        # A single call can outlast the budget (a query returning millions of rows): write
        # what was measured and end the process.
        while time.perf_counter() < deadline + budget_s * 0.5:
            time.sleep(0.5)
        out.write_text(json.dumps(summary(cut_short=True), indent=2))
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    for i in range(requests):
        if time.perf_counter() > deadline:
            break
        name, call = calls[i % len(calls)]
        state.update(current=name, started=time.perf_counter())
        call()
        latencies[name].append((time.perf_counter() - float(state["started"])) * 1000)
        state.update(current="", done=i + 1)
    result = summary(cut_short=False)
    out.write_text(json.dumps(result, indent=2))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m breach_warehouse.bench.steps")
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("floor")
    p.add_argument("--data-dir", type=Path, required=True)
    p = sub.add_parser("mart")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path)
    p.add_argument("--alone", action="store_true", help="only the mart, from built facts")
    p.add_argument("--with-linkage", action="store_true", help="rebuild the linkage models too")
    p = sub.add_parser("linkage")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--data-dir", type=Path, required=True)
    p = sub.add_parser("decisions")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("dashboard")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--budget", type=float, default=600.0, help="stop after this many seconds")
    p.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.step == "floor":
        print(f"{floor(args.data_dir)} groups")
        return 0
    if args.step == "mart":
        return mart(
            args.db, args.data_dir, args.out, alone=args.alone, with_linkage=args.with_linkage
        )
    if args.step == "linkage":
        return linkage(args.db, args.data_dir)
    if args.step == "decisions":
        print(f"{decisions(args.db, args.out)} matched source rows")
        return 0
    print(json.dumps(dashboard(args.db, args.requests, args.out, budget_s=args.budget)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
