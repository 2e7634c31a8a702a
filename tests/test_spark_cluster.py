"""A real Spark standalone cluster (master, worker, Thrift server) started from the venv's
pyspark wheel: the same marts as DuckDB through dbt-spark's thrift method, extracts from
the cluster's tables, and a stop that leaves no process behind."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import psutil
import pytest

from breach_warehouse.cli import main
from breach_warehouse.spark import SparkUnavailableError, check_java, check_spark_available
from breach_warehouse.spark.cluster import ClusterError, cluster_processes, down, status, up
from breach_warehouse.spark.cluster_config import (
    ClusterConfig,
    client_env,
    daemons,
    free_local_ports,
)
from tests.spark_helpers import assert_parity, assert_same_extracts, generate_collection

# Small: a cluster build is mostly a fixed cost per model (a few Spark jobs each), and
# the in-process parity test already compares 20k breaches. Every mart but the two the
# generator never fills (cross-source matches, quarantine) has rows at this size.
CLUSTER_PARITY_BREACHES = 2_000


def cluster_config(state_dir: Path, **options: object) -> ClusterConfig:
    master, master_ui, worker_ui, thrift, connect = free_local_ports("127.0.0.1", 5)
    return ClusterConfig(
        state_dir=state_dir,
        master_port=master,
        master_ui_port=master_ui,
        worker_ui_port=worker_ui,
        thrift_port=thrift,
        connect_port=connect,
        **options,  # type: ignore[arg-type]
    )


def processes_naming(folder: Path) -> list[str]:
    """``ps``'s lines for every process whose command line names ``folder``."""
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True)
    return [line for line in ps.stdout.splitlines() if str(folder) in line]


def listening_addresses(pids: list[int]) -> set[str]:
    """The addresses the processes (and their children) listen on."""
    procs = [psutil.Process(pid) for pid in pids]
    procs += [child for proc in procs for child in proc.children(recursive=True)]
    return {
        conn.laddr.ip.removeprefix("::ffff:")  # an IPv4 address on a dual-stack socket
        for proc in procs
        for conn in proc.net_connections(kind="tcp")
        if conn.status == psutil.CONN_LISTEN
    }


def cluster_schemas(config: ClusterConfig) -> list[str]:
    """The schemas in the catalog of the cluster's Thrift server."""
    from pyhive import hive

    with hive.connect(host=config.host, port=config.thrift_port, username="test") as con:
        cursor = con.cursor()
        cursor.execute("show schemas")
        return sorted(row[0] for row in cursor.fetchall())


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.spark_cluster
@pytest.mark.timeout(1500)
def test_thrift_server_on_a_standalone_cluster_builds_the_same_marts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        check_java()
        check_spark_available("spark_thrift")
    except SparkUnavailableError as exc:
        pytest.fail(f"the Spark cluster cannot run here: {exc}")
    from breach_warehouse.parity import run_parity

    config = cluster_config(tmp_path / "cluster", servers=("thrift",))
    data_dir = tmp_path / "data"
    generate_collection(data_dir, CLUSTER_PARITY_BREACHES)
    try:
        state = up(config)
        assert set(state.running) == {"master", "worker", "thrift"}
        # Every listener of the cluster (daemons and executors) is on 127.0.0.1 only.
        assert listening_addresses(list(state.running.values())) == {"127.0.0.1"}
        for key, value in client_env(config).items():
            monkeypatch.setenv(key, value)
        spark_dir = tmp_path / "spark_thrift"
        report = run_parity(
            data_dir=data_dir,
            db_path=tmp_path / "parity.duckdb",
            spark_dir=spark_dir,
            target="spark_thrift",
        )
        assert_parity(report, CLUSTER_PARITY_BREACHES)
        # The parity build's schemas are gone from the cluster's catalog again.
        assert cluster_schemas(config) == ["default"]
        # The marts are the cluster's tables: the Thrift server ran them on the worker's
        # executors (one work folder per executor).
        assert list(config.work_dir.glob("app-*/*/stderr"))
        # The extracts read the cluster's marts and write the files DuckDB's build gives.
        assert_same_extracts(
            tmp_path, {"duckdb": tmp_path / "parity.duckdb", "spark_thrift": spark_dir}
        )
    finally:
        down(config)
    assert not status(config).running
    assert processes_naming(config.state_dir) == []
    assert list(cluster_processes(config)) == []


def test_a_daemon_that_dies_while_starting_is_named_with_its_log(tmp_path: Path) -> None:
    # A 1 MB heap: the master's JVM exits at once.
    config = cluster_config(tmp_path / "cluster", daemon_memory="1m", servers=())
    try:
        check_java()
    except SparkUnavailableError as exc:
        pytest.fail(f"the Spark cluster cannot run here: {exc}")
    with pytest.raises(ClusterError) as failure:
        up(config)
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith("Spark master exited while starting; see ")
    log = Path(message.rsplit("see ", 1)[1])
    assert log.is_file() and log.parent == config.log_dir
    assert "heap" in log.read_text().lower()
    assert processes_naming(config.state_dir) == []


def test_a_taken_port_stops_the_start_before_any_daemon(tmp_path: Path) -> None:
    config = cluster_config(tmp_path / "cluster")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", config.master_port))
        taken.listen()
        with pytest.raises(ClusterError, match=rf"127\.0\.0\.1:{config.master_port} is taken"):
            up(config)
    assert not list(config.log_dir.glob("*.out"))


def test_every_daemon_binds_to_the_configured_host_and_keeps_its_files_in_the_state_dir(
    tmp_path: Path,
) -> None:
    config = cluster_config(tmp_path / "cluster")
    found = {d.name: d for d in daemons(config)}
    assert list(found) == ["master", "worker", "thrift", "connect"]
    assert found["master"].daemon_args[3:5] == ["--host", "127.0.0.1"]
    assert found["worker"].daemon_args[3:5] == ["--host", "127.0.0.1"]
    assert "hive.server2.thrift.bind.host=127.0.0.1" in found["thrift"].daemon_args
    assert "spark.connect.grpc.binding.address=127.0.0.1" in found["connect"].daemon_args
    for daemon in found.values():
        paths = [a.split("=", 1)[-1] for a in daemon.daemon_args if "/" in a]
        assert all(str(config.state_dir) in p for p in paths if p.startswith("/")), paths
    assert [d.name for d in daemons(cluster_config(tmp_path, servers=("thrift",)))] == [
        "master",
        "worker",
        "thrift",
    ]
    with pytest.raises(ValueError, match="unknown Spark SQL server"):
        ClusterConfig(state_dir=tmp_path, servers=("hive",))


def test_cluster_targets_without_their_client_name_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import breach_warehouse.spark as spark

    real = spark._find_spec
    monkeypatch.setattr(spark, "_find_spec", lambda m: None if m == "pyhive.hive" else real(m))
    status_code = main(
        ["refresh", "--target", "spark_thrift", "--spark-dir", str(tmp_path / "spark")]
    )
    err = capsys.readouterr().err
    assert status_code == 2
    assert "--target spark_thrift: PyHive not installed" in err and "[spark]" in err
    assert not (tmp_path / "spark").exists()
    monkeypatch.setattr(spark, "_find_spec", lambda m: None if m == "grpc" else real(m))
    with pytest.raises(SparkUnavailableError, match=r"grpcio \(pyspark\[connect\]\)"):
        check_spark_available("spark_connect")
