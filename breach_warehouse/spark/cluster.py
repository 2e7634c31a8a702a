"""A Spark standalone cluster on this machine, from the pyspark wheel in the venv.

``up`` starts a master, one worker and the SQL servers the cluster targets talk to (the
Thrift JDBC/ODBC server for ``spark_thrift``, a Spark Connect server for
``spark_connect``), each through pyspark's own ``sbin/spark-daemon.sh`` (the upstream
``start-*.sh`` scripts are not in the wheel). Every listener is bound to ``host``
(127.0.0.1), and everything the daemons write stays in one state folder outside the
project and the venv (``$BW_SPARK_CLUSTER_DIR``, default
``~/.cache/breach-warehouse/spark-cluster``): ``conf/``, ``logs/``, ``pids/``, ``work/``
(the worker's executors), ``local/`` (shuffle and spill), ``warehouse/`` (managed tables)
and ``metastore/<server>/`` (each SQL server's embedded Derby catalog).

``down`` stops the daemons in reverse order, waits for each to exit (then kills it), and
kills any executor of the cluster that outlived its worker: no process is left behind.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
import psutil

from breach_warehouse.spark.cluster_config import (
    ClusterConfig,
    Daemon,
    daemon_env,
    daemons,
    write_conf,
)

Progress = Callable[[str], None]
POLL_SECONDS = 0.5
STOP_GRACE_SECONDS = 30.0


class ClusterError(RuntimeError):
    """The cluster did not start (or stop); the message is one line naming the log."""


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def pid_file(config: ClusterConfig, daemon: Daemon) -> Path:
    return config.pid_dir / f"spark-{config.ident}-{daemon.java_class}-1.pid"


def log_file(config: ClusterConfig, daemon: Daemon) -> Path:
    """The daemon's log (``spark-daemon.sh`` names it after the host)."""
    logs = sorted(config.log_dir.glob(f"spark-{config.ident}-{daemon.java_class}-1-*.out"))
    if logs:
        return logs[0]
    return config.log_dir / f"spark-{config.ident}-{daemon.java_class}-1-{socket.gethostname()}.out"


def daemon_pid(config: ClusterConfig, daemon: Daemon) -> int | None:
    """The daemon's process id when it is running, else None (also when the pid file
    names a process that is not this cluster's daemon: a pid reused since)."""
    path = pid_file(config, daemon)
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE or "java" not in proc.name():
            return None
        cmdline = " ".join(proc.cmdline())
    except psutil.Error:
        return None
    return pid if str(config.conf_dir) in cmdline and daemon.java_class in cmdline else None


@dataclass
class ClusterStatus:
    running: dict[str, int] = field(default_factory=dict)
    stopped: list[str] = field(default_factory=list)

    @property
    def up(self) -> bool:
        return not self.stopped


def status(config: ClusterConfig) -> ClusterStatus:
    result = ClusterStatus()
    for daemon in daemons(config):
        pid = daemon_pid(config, daemon)
        if pid is None:
            result.stopped.append(daemon.name)
        else:
            result.running[daemon.name] = pid
    return result


def _spark_daemon(
    config: ClusterConfig, daemon: Daemon, args: list[str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(spark_home() / "sbin" / "spark-daemon.sh"), *args],
        cwd=config.state_dir,
        env=daemon_env(config, spark_home(), daemon.heap),
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def up(config: ClusterConfig, progress: Progress | None = None) -> ClusterStatus:
    """Start every daemon that is not running and wait until each is ready: the master
    first, then the worker and the SQL servers side by side (a server registers with the
    master and gets its executor once the worker has).

    On a failure, the daemons this call started are stopped again and ``ClusterError``
    names the daemon and its log."""
    say = progress or (lambda _msg: None)
    from breach_warehouse.spark import check_spark_available

    check_spark_available()
    write_conf(config)
    master, *rest = daemons(config)
    started: list[Daemon] = []
    try:
        for group in ([master], rest):
            for daemon in group:
                if _start(config, daemon, say):
                    started.append(daemon)
            for daemon in group:
                _wait_ready(config, daemon)
                say(f"  {daemon.label} ready on {daemon.endpoint} (log {log_file(config, daemon)})")
    except BaseException:
        for daemon in reversed(started):
            _stop_daemon(config, daemon)
        _kill_leftovers(config)
        raise
    return status(config)


def _start(config: ClusterConfig, daemon: Daemon, say: Progress) -> bool:
    """Launch the daemon through spark-daemon.sh; False when it was already running."""
    pid = daemon_pid(config, daemon)
    if pid is not None:
        say(f"{daemon.label} already running (pid {pid})")
        return False
    for port in daemon.ports:
        _check_port_free(config, daemon, port)
    say(f"Starting the {daemon.label} ...")
    result = _spark_daemon(config, daemon, daemon.daemon_args)
    if result.returncode != 0:
        last = (result.stdout.strip().splitlines() or ["no output"])[-1]
        raise ClusterError(f"{daemon.label} did not start ({last}); see {log_file(config, daemon)}")
    return True


def _check_port_free(config: ClusterConfig, daemon: Daemon, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((config.host, port))
        except OSError as exc:
            raise ClusterError(
                f"{daemon.label}: {config.host}:{port} is taken ({exc.strerror}); "
                "stop what listens there or choose other ports"
            ) from exc


def _wait_ready(config: ClusterConfig, daemon: Daemon) -> None:
    deadline = time.monotonic() + config.start_timeout
    while True:
        if daemon_pid(config, daemon) is None:
            raise ClusterError(
                f"{daemon.label} exited while starting; see {log_file(config, daemon)}"
            )
        if _ready(config, daemon):
            return
        if time.monotonic() > deadline:
            raise ClusterError(
                f"{daemon.label} not ready on {daemon.endpoint} after "
                f"{config.start_timeout:.0f}s; see {log_file(config, daemon)}"
            )
        time.sleep(POLL_SECONDS)


def _ready(config: ClusterConfig, daemon: Daemon) -> bool:
    if daemon.name == "worker":
        return _alive_worker_cores(config) > 0
    return all(_listening(config.host, port) for port in daemon.ports)


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _alive_worker_cores(config: ClusterConfig) -> int:
    """Cores of the workers registered with the master (its web UI's JSON)."""
    try:
        answer = httpx.get(f"http://{config.host}:{config.master_ui_port}/json/", timeout=5)
        workers = answer.json().get("workers", [])
    except (httpx.HTTPError, ValueError):
        return 0
    return sum(int(w.get("cores", 0)) for w in workers if w.get("state") == "ALIVE")


def down(config: ClusterConfig, progress: Progress | None = None) -> list[int]:
    """Stop every daemon of the cluster (SQL servers first) and any executor left behind;
    returns the ids of the processes that had to be killed."""
    say = progress or (lambda _msg: None)
    killed: list[int] = []
    for daemon in reversed(daemons(replace(config, servers=("thrift", "connect")))):
        pid = daemon_pid(config, daemon)
        if pid is None:
            pid_file(config, daemon).unlink(missing_ok=True)
            continue
        say(f"Stopping the {daemon.label} (pid {pid}) ...")
        killed += _stop_daemon(config, daemon)
    killed += _kill_leftovers(config)
    return killed


def _stop_daemon(config: ClusterConfig, daemon: Daemon) -> list[int]:
    pid = daemon_pid(config, daemon)
    if pid is None:
        return []
    _spark_daemon(config, daemon, ["stop", daemon.java_class, "1"])
    killed = _terminate([pid], STOP_GRACE_SECONDS)
    pid_file(config, daemon).unlink(missing_ok=True)
    return killed


def _terminate(pids: list[int], grace: float) -> list[int]:
    """TERM (again) the processes, wait ``grace`` seconds, KILL what is left."""
    procs = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            proc.terminate()
            procs.append(proc)
        except psutil.Error:
            continue
    _gone, alive = psutil.wait_procs(procs, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            continue
    psutil.wait_procs(alive, timeout=10)
    return [p.pid for p in alive]


def cluster_processes(config: ClusterConfig) -> Iterator[psutil.Process]:
    """Every live Java process of this cluster: its command line names the cluster's
    state folder (the conf folder on the class path) or it runs inside it (executors)."""
    root = str(config.state_dir)
    for proc in psutil.process_iter(["pid", "name", "cmdline", "cwd"]):
        info = proc.info
        if "java" not in (info.get("name") or ""):
            continue
        cmdline = " ".join(info.get("cmdline") or [])
        cwd = info.get("cwd") or ""
        if root in cmdline or cwd == root or cwd.startswith(root + os.sep):
            yield proc


def _kill_leftovers(config: ClusterConfig) -> list[int]:
    return _terminate([p.pid for p in cluster_processes(config)], 10.0)
