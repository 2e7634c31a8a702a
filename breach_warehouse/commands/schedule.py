"""`breach-warehouse schedule`: run the refresh and the extracts on their cron schedules."""

from __future__ import annotations

import argparse
import collections
import logging
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from breach_warehouse.commands.common import add_data_dir_argument, add_db_argument
from breach_warehouse.commands.extract import add_config_argument, resolve_out_dir
from groundwork.paths import resolve_db_path

EXIT_LOCKED = 75


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="run refresh and the due extracts on their cron schedules (foreground, or --once)",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="run whatever is due now and exit (for cron or a systemd timer)",
    )
    add_db_argument(parser)
    add_data_dir_argument(parser)
    parser.add_argument("--out", type=Path, default=None, help="extracts folder")
    add_config_argument(parser)
    parser.add_argument(
        "--state", type=Path, default=None, help="state file (default <db>.schedule.json)"
    )
    parser.add_argument(
        "--log-file", type=Path, default=None, help="log file (default <db>.schedule.log)"
    )
    parser.set_defaults(func=run)


class JobFailed(RuntimeError):
    pass


def cli_job(args: list[str], logger: logging.Logger) -> Callable[[], None]:
    """Run ``breach-warehouse <args>`` in a child process; its output goes to the log."""

    def action() -> None:
        command = [sys.executable, "-m", "breach_warehouse.cli", *args]
        tail: collections.deque[str] = collections.deque(maxlen=15)
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                logger.debug("  | %s", line.rstrip())
                tail.append(line.rstrip())
            code = proc.wait()
        if code != 0:
            last = "\n".join(f"  | {line}" for line in tail)
            raise JobFailed(f"`breach-warehouse {args[0]}` exited with status {code}\n{last}")

    return action


def configure_logging(log_file: Path) -> logging.Logger:
    logger = logging.getLogger("breach_warehouse.schedule")
    logger.setLevel(logging.DEBUG)
    logger.handlers.clear()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    to_file = logging.FileHandler(log_file)
    to_file.setLevel(logging.DEBUG)
    for handler in (console, to_file):
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    return logger


def build_jobs(args: argparse.Namespace, logger: logging.Logger):
    """The refresh job and one job per extract, from extracts.yml."""
    from breach_warehouse.extracts.config import load_config, resolve_config_path
    from breach_warehouse.scheduler import Job, RetryPolicy

    config_path = resolve_config_path(args.config)
    config = load_config(config_path)
    db = str(resolve_db_path(args.db))
    jobs = []
    if config.refresh.schedule:
        refresh_args = ["refresh", "--db", db, *config.refresh.options]
        if args.data_dir is not None:
            refresh_args += ["--data-dir", str(args.data_dir)]
        jobs.append(Job("refresh", config.refresh.schedule, cli_job(refresh_args, logger)))
    for error in config.errors:
        logger.error("not scheduled: %s", error)
    out = str(resolve_out_dir(args.out))
    for extract in config.extracts:
        extract_args = ["extract", extract.name, "--db", db, "--out", out]
        extract_args += ["--config", str(config_path)]
        jobs.append(Job(f"extract:{extract.name}", extract.schedule, cli_job(extract_args, logger)))
    retry = RetryPolicy(**config.retry.model_dump())
    return jobs, retry, config.timezone


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.errors import one_line
    from breach_warehouse.extracts.config import ConfigError
    from breach_warehouse.locking import LockBusyError, exclusive_lock
    from breach_warehouse.scheduler import Scheduler

    db_path = resolve_db_path(args.db)
    state_path = args.state or db_path.with_name(f"{db_path.name}.schedule.json")
    logger = configure_logging(args.log_file or db_path.with_name(f"{db_path.name}.schedule.log"))
    try:
        jobs, retry, timezone = build_jobs(args, logger)
    except ConfigError as exc:
        logger.error("%s", one_line(str(exc)))
        return 2
    scheduler = Scheduler(jobs, state_path=state_path, retry=retry, timezone=timezone)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        logger.info("%s: stopping after the running job", signal.Signals(signum).name)
        scheduler.stop()

    try:
        with exclusive_lock(
            state_path.with_name(state_path.name + ".lock"),
            what=f"a scheduler for {db_path}",
            hint="Stop it first, or give this one another --state file.",
        ):
            previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
            try:
                if args.once:
                    outcomes = scheduler.run_pending()
                    if not outcomes:
                        logger.info("nothing due")
                    return 1 if any(o.status != "success" for o in outcomes) else 0
                scheduler.run_forever()
                return 0
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
    except LockBusyError as exc:
        logger.error("%s", exc)
        return EXIT_LOCKED
