"""What the local Spark standalone cluster runs: its daemons, ports, folders and settings.

Sized for a small machine (2 cores): 256 MB heaps for the master and the worker, a worker
offering 4 task slots and 4 GB to executors, and each SQL server one 2-core executor of
1.5 GB (``spark.cores.max`` keeps the Thrift and Connect servers from waiting for each
other's cores) and a 1 GB driver.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

SERVERS = ("thrift", "connect")
DEFAULT_HOST = "127.0.0.1"


def default_state_dir() -> Path:
    """``$BW_SPARK_CLUSTER_DIR``, else ``$XDG_CACHE_HOME`` (``~/.cache``)/breach-warehouse/
    spark-cluster: outside the project and its venv."""
    configured = os.environ.get("BW_SPARK_CLUSTER_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (cache / "breach-warehouse" / "spark-cluster").resolve()


def free_local_ports(host: str, count: int) -> list[int]:
    """``count`` ports free on ``host`` now (for a cluster that must meet no other)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class ClusterConfig:
    state_dir: Path = field(default_factory=default_state_dir)
    host: str = DEFAULT_HOST
    master_port: int = field(default_factory=lambda: _env_int("BW_SPARK_MASTER_PORT", 7077))
    master_ui_port: int = field(default_factory=lambda: _env_int("BW_SPARK_MASTER_UI_PORT", 8080))
    worker_ui_port: int = field(default_factory=lambda: _env_int("BW_SPARK_WORKER_UI_PORT", 8081))
    thrift_port: int = field(default_factory=lambda: _env_int("BW_SPARK_THRIFT_PORT", 10000))
    connect_port: int = field(default_factory=lambda: _env_int("BW_SPARK_CONNECT_PORT", 15002))
    servers: tuple[str, ...] = SERVERS
    daemon_memory: str = "256m"
    worker_cores: int = 4
    worker_memory: str = "4g"
    driver_memory: str = "1g"
    executor_memory: str = "1536m"
    executor_cores: int = 2
    start_timeout: float = 180.0
    ident: str = "bw"

    def __post_init__(self) -> None:
        unknown = sorted(set(self.servers) - set(SERVERS))
        if unknown:
            raise ValueError(f"unknown Spark SQL server(s) {unknown}; choose from {SERVERS}")

    @property
    def conf_dir(self) -> Path:
        return self.state_dir / "conf"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def pid_dir(self) -> Path:
        return self.state_dir / "pids"

    @property
    def work_dir(self) -> Path:
        return self.state_dir / "work"

    @property
    def local_dir(self) -> Path:
        return self.state_dir / "local"

    @property
    def warehouse_dir(self) -> Path:
        return self.state_dir / "warehouse"

    def metastore_dir(self, server: str) -> Path:
        return self.state_dir / "metastore" / server

    @property
    def master_url(self) -> str:
        return f"spark://{self.host}:{self.master_port}"

    @property
    def connect_url(self) -> str:
        return f"sc://{self.host}:{self.connect_port}"


@dataclass(frozen=True)
class Daemon:
    name: str
    label: str
    java_class: str
    daemon_args: list[str]  # spark-daemon.sh's arguments
    ports: tuple[int, ...]
    endpoint: str
    heap: str  # the JVM's -Xmx (spark-class takes SPARK_DAEMON_MEMORY for all four)


MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
THRIFT_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
CONNECT_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"


def daemons(config: ClusterConfig) -> list[Daemon]:
    """The daemons in start order: master, worker, then the SQL servers asked for."""
    h = config.host
    master = ["--host", h, "--port", str(config.master_port)]
    master += ["--webui-port", str(config.master_ui_port)]
    worker = ["--host", h, "--webui-port", str(config.worker_ui_port)]
    worker += ["--cores", str(config.worker_cores), "--memory", config.worker_memory]
    worker += ["--work-dir", str(config.work_dir), config.master_url]
    found = [
        Daemon(
            "master",
            "Spark master",
            MASTER_CLASS,
            ["start", MASTER_CLASS, "1", *master],
            (config.master_port, config.master_ui_port),
            config.master_url,
            config.daemon_memory,
        ),
        Daemon(
            "worker",
            "Spark worker",
            WORKER_CLASS,
            ["start", WORKER_CLASS, "1", *worker],
            (config.worker_ui_port,),
            f"{config.master_url} ({config.worker_cores} cores, {config.worker_memory})",
            config.daemon_memory,
        ),
    ]
    if "thrift" in config.servers:
        thrift = ["--name", "breach-warehouse Thrift server", *_server_conf(config, "thrift")]
        thrift += ["--hiveconf", f"hive.server2.thrift.bind.host={h}"]
        thrift += ["--hiveconf", f"hive.server2.thrift.port={config.thrift_port}"]
        found.append(
            Daemon(
                "thrift",
                "Spark Thrift server",
                THRIFT_CLASS,
                ["submit", THRIFT_CLASS, "1", *thrift],
                (config.thrift_port,),
                f"{h}:{config.thrift_port}",
                config.driver_memory,
            )
        )
    if "connect" in config.servers:
        connect = ["--name", "breach-warehouse Spark Connect server"]
        connect += _server_conf(config, "connect")
        connect += ["--conf", f"spark.connect.grpc.binding.address={h}"]
        connect += ["--conf", f"spark.connect.grpc.binding.port={config.connect_port}"]
        found.append(
            Daemon(
                "connect",
                "Spark Connect server",
                CONNECT_CLASS,
                ["submit", CONNECT_CLASS, "1", *connect],
                (config.connect_port,),
                config.connect_url,
                config.driver_memory,
            )
        )
    return found


def _server_conf(config: ClusterConfig, server: str) -> list[str]:
    """spark-submit options of one SQL server: its own Derby catalog (embedded Derby allows
    one process per catalog) and where Derby writes its log."""
    metastore = config.metastore_dir(server)
    settings = {
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={metastore}/metastore_db;create=true"
        ),
        "spark.driver.extraJavaOptions": (
            f"-Dderby.system.home={metastore} -Dderby.stream.error.file={metastore}/derby.log"
        ),
    }
    args = ["--master", config.master_url]
    for key, value in settings.items():
        args += ["--conf", f"{key}={value}"]
    return args


def scratch_dirs(config: ClusterConfig) -> dict[str, Path]:
    """Hive's scratch and operation-log folders (default /tmp/<user>), which Hive does not
    create itself: in the state folder."""
    scratch = config.state_dir / "scratch"
    return {
        "hive.exec.scratchdir": scratch / "hdfs",
        "hive.exec.local.scratchdir": scratch / "local",
        # One folder per session, as Hive's default is: Hive deletes a session's folder when
        # the session closes, so a shared one vanished and two sessions opening at once
        # (dbt's threads) raced to recreate it ("Couldn't create directory").
        "hive.downloaded.resources.dir": scratch / "resources" / "${hive.session.id}_resources",
        "hive.server2.logging.operation.log.location": scratch / "operation_logs",
    }


def spark_defaults(config: ClusterConfig) -> dict[str, str]:
    """conf/spark-defaults.conf: what both SQL servers (and their executors) run with."""
    return {
        "spark.driver.host": config.host,
        "spark.driver.bindAddress": config.host,
        "spark.driver.memory": config.driver_memory,
        "spark.executor.memory": config.executor_memory,
        "spark.executor.cores": str(config.executor_cores),
        "spark.cores.max": str(config.executor_cores),
        "spark.ui.enabled": "false",
        "spark.master.rest.enabled": "false",
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.warehouse.dir": str(config.warehouse_dir),
        # The settings of the in-process target, so every engine writes the same marts.
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "4",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.legacy.allowNonEmptyLocationInCTAS": "true",
        **{f"spark.hadoop.{key}": str(path) for key, path in scratch_dirs(config).items()},
    }


LOG4J2 = """\
# The cluster daemons' log (logs/*.out): warnings and errors, and what each daemon says
# when it starts, registers and stops. Spark's "no metadata directory" warnings for every
# Parquet glob it probes are dropped.
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.deploy.name = org.apache.spark.deploy
logger.deploy.level = info
logger.thrift.name = org.apache.spark.sql.hive.thriftserver
logger.thrift.level = info
logger.connect.name = org.apache.spark.sql.connect.service
logger.connect.level = info
logger.streaming.name = org.apache.spark.sql.execution.streaming
logger.streaming.level = error
logger.datasource.name = org.apache.spark.sql.execution.datasources
logger.datasource.level = error
"""


def write_conf(config: ClusterConfig) -> None:
    """Create the state folders and write conf/ (spark-defaults.conf, log4j2.properties)."""
    for folder in (
        config.conf_dir,
        config.log_dir,
        config.pid_dir,
        config.work_dir,
        config.local_dir,
        config.warehouse_dir,
        *(config.metastore_dir(s) for s in SERVERS),
        # A session's own folder (${hive.session.id}) is made by Hive; its parent here.
        *(path.parent if "${" in path.name else path for path in scratch_dirs(config).values()),
    ):
        folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{key} {value}" for key, value in spark_defaults(config).items()]
    (config.conf_dir / "spark-defaults.conf").write_text("\n".join(lines) + "\n")
    (config.conf_dir / "log4j2.properties").write_text(LOG4J2)


def daemon_env(config: ClusterConfig, spark_home: Path, heap: str) -> dict[str, str]:
    """Environment of ``spark-daemon.sh``: the wheel as SPARK_HOME, the state folders, the
    bind address and the daemons' heap."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SPARK_REMOTE", "SPARK_CONNECT_MODE_ENABLED", "SPARK_NO_DAEMONIZE"}
    }
    env.update(
        {
            "SPARK_HOME": str(spark_home),
            "SPARK_CONF_DIR": str(config.conf_dir),
            "SPARK_LOG_DIR": str(config.log_dir),
            "SPARK_PID_DIR": str(config.pid_dir),
            "SPARK_WORKER_DIR": str(config.work_dir),
            "SPARK_LOCAL_DIRS": str(config.local_dir),
            "SPARK_IDENT_STRING": config.ident,
            "SPARK_LOCAL_IP": config.host,
            "SPARK_PUBLIC_DNS": config.host,
            "SPARK_DAEMON_MEMORY": heap,
            "HIVE_SERVER2_THRIFT_BIND_HOST": config.host,
            "HIVE_SERVER2_THRIFT_PORT": str(config.thrift_port),
        }
    )
    return env


def client_env(config: ClusterConfig) -> dict[str, str]:
    """The variables the ``spark_thrift`` and ``spark_connect`` dbt targets read."""
    return {
        "BW_SPARK_THRIFT_HOST": config.host,
        "BW_SPARK_THRIFT_PORT": str(config.thrift_port),
        "BW_SPARK_CONNECT_URL": config.connect_url,
    }
