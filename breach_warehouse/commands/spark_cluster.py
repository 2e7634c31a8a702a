"""`breach-warehouse spark-cluster up|down|status`: a Spark standalone cluster on this
machine for the spark_thrift and spark_connect targets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from breach_warehouse.commands.common import say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "spark-cluster",
        help="start, stop or show a local Spark standalone cluster (master, worker, Thrift "
        "and Spark Connect servers on 127.0.0.1) for --target spark_thrift / spark_connect",
    )
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="the cluster's conf, logs, pids, work and catalog folders (default "
        "$BW_SPARK_CLUSTER_DIR or ~/.cache/breach-warehouse/spark-cluster)",
    )
    parser.add_argument(
        "--servers",
        default="thrift,connect",
        help="with up: the SQL servers to start, comma-separated (default thrift,connect)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=180.0,
        help="with up: seconds each daemon may take to listen (default 180)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.spark import SparkUnavailableError
    from breach_warehouse.spark.cluster import ClusterError, down, status, up
    from breach_warehouse.spark.cluster_config import ClusterConfig, client_env, daemons

    try:
        servers = tuple(s.strip() for s in args.servers.split(",") if s.strip())
        options: dict[str, object] = {"servers": servers, "start_timeout": args.timeout}
        if args.state_dir is not None:
            options["state_dir"] = args.state_dir.expanduser().resolve()
        config = ClusterConfig(**options)  # type: ignore[arg-type]
    except ValueError as exc:
        print(f"spark-cluster {args.action} failed: {exc}", file=sys.stderr)
        return 2
    if args.action == "down":
        killed = down(config, progress=say)
        left = list(status(config).running)
        if killed:
            say(f"Killed {len(killed)} process(es) that did not stop in time: {killed}")
        say(f"Spark cluster stopped ({config.state_dir})" if not left else f"still up: {left}")
        return 0 if not left else 1
    if args.action == "status":
        state = status(config)
        for daemon in daemons(config):
            pid = state.running.get(daemon.name)
            where = f"pid {pid}, {daemon.endpoint}" if pid else "not running"
            say(f"  {daemon.label:<22} {where}")
        return 0 if state.up else 1
    try:
        up(config, progress=say)
    except (ClusterError, SparkUnavailableError) as exc:
        print(f"spark-cluster up failed: {exc}", file=sys.stderr)
        return 1
    say(f"Spark cluster up (state, logs: {config.state_dir}). The targets read:")
    for key, value in client_env(config).items():
        say(f"  {key}={value}")
    return 0
