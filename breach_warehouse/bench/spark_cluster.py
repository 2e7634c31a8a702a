"""Benchmark of the parity check on a local Spark standalone cluster: times and peak memory.

    python -m breach_warehouse.bench.spark_cluster --target spark_thrift --breaches 2000 \\
        [--out FILE.json]

Starts a cluster with the one SQL server the target needs, in a temporary state folder on
free ports; generates the collection (seed 7, a tenth as many penalties, a hundredth as
many actions); runs the parity check (DuckDB build, the cluster build, every mart compared);
writes the extracts from the cluster's marts; stops the cluster. Every half second it
samples the resident memory of each cluster process (master, worker, SQL server driver,
executors) and of this process with its children (the dbt client), and reports each one's
peak and the peak of their sum.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

from breach_warehouse.spark.cluster_config import ClusterConfig, client_env, free_local_ports

ROLES = {
    "deploy.master.Master": "master",
    "deploy.worker.Worker": "worker",
    "HiveThriftServer2": "server",
    "SparkConnectServer": "server",
    "CoarseGrainedExecutorBackend": "executors",
}
MB = 1024 * 1024


class MemorySampler:
    """Peak resident memory by role, and of all roles together, while running."""

    def __init__(self, config: ClusterConfig, interval: float = 0.5) -> None:
        self.config = config
        self.interval = interval
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        from breach_warehouse.spark.cluster import cluster_processes

        me = psutil.Process()
        while not self._stop.is_set():
            sample: dict[str, int] = {}
            for proc in cluster_processes(self.config):
                role = _role(" ".join(proc.info.get("cmdline") or []))
                sample[role] = sample.get(role, 0) + _rss(proc)
            sample["client (dbt)"] = _rss(me) + sum(_rss(c) for c in me.children(recursive=True))
            sample["total"] = sum(sample.values())
            for role, rss in sample.items():
                self.peaks[role] = max(self.peaks.get(role, 0), rss)
            self._stop.wait(self.interval)


def _role(cmdline: str) -> str:
    return next((role for key, role in ROLES.items() if key in cmdline), "other")


def _rss(proc: psutil.Process) -> int:
    try:
        return int(proc.memory_info().rss)
    except psutil.Error:
        return 0


@contextmanager
def timed(seconds: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[step] = round(time.perf_counter() - started, 1)


def run(target: str, breaches: int, work: Path) -> dict[str, object]:
    from breach_warehouse.bench.generate import GenerateSpec, generate
    from breach_warehouse.extracts.config import resolve_config_path
    from breach_warehouse.extracts.runner import run_extracts
    from breach_warehouse.parity import run_parity
    from breach_warehouse.spark.cluster import down, up

    server = target.removeprefix("spark_")
    master, master_ui, worker_ui, port = free_local_ports("127.0.0.1", 4)
    ports = {"thrift_port": port} if server == "thrift" else {"connect_port": port}
    config = ClusterConfig(
        state_dir=work / "cluster",
        master_port=master,
        master_ui_port=master_ui,
        worker_ui_port=worker_ui,
        servers=(server,),
        **ports,  # type: ignore[arg-type]
    )
    seconds: dict[str, float] = {}
    data_dir = work / "data"
    with timed(seconds, "generate"):
        generate(GenerateSpec(breaches, breaches // 10, breaches // 100, 7, data_dir))
    with MemorySampler(config) as memory:
        try:
            with timed(seconds, "cluster up"):
                up(config)
            os.environ.update(client_env(config))
            with timed(seconds, "parity"):
                report = run_parity(
                    data_dir=data_dir,
                    db_path=work / "parity.duckdb",
                    spark_dir=work / target,
                    target=target,
                )
            with timed(seconds, "extracts"):
                extracts = run_extracts(
                    resolve_config_path(None), work / target, work / "extracts", target=target
                )
        finally:
            with timed(seconds, "cluster down"):
                down(config)
    seconds.update({f"{k} build": round(v, 1) for k, v in report.seconds.items()})
    return {
        "target": target,
        "breaches": breaches,
        "parity_ok": report.ok,
        "marts_equal": sum(m.equal for m in report.marts),
        "marts": len(report.marts),
        "extracts_ok": extracts.ok,
        "seconds": seconds,
        "peak_rss_mb": {k: round(v / MB) for k, v in sorted(memory.peaks.items())},
        "load_average": [round(x, 1) for x in psutil.getloadavg()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=["spark_thrift", "spark_connect"], required=True)
    parser.add_argument("--breaches", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bw-bench-cluster-") as work:
        result = run(args.target, args.breaches, Path(work))
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0 if result["parity_ok"] and result["extracts_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
