"""A build that ran out of memory with nodes side by side, built again one node at a time.

Nodes dbt runs side by side (``threads`` in profiles/profiles.yml) share one DuckDB memory
limit; alone, a node has all of it.
"""

from __future__ import annotations

from collections.abc import Callable

from breach_warehouse.dbt_runner import DbtRun, node_name


def retry_out_of_memory(
    run: DbtRun,
    build: Callable[[list[str]], DbtRun],
    *,
    args: list[str],
    incremental: bool,
    restart: Callable[[], None],
    say: Callable[[str], None],
) -> DbtRun:
    """When the only failures of ``run`` (a build with ``args``) are models or tests that
    ran out of memory, build again one node at a time (``--threads 1``); else ``run``.

    A full build runs the failed nodes and every node skipped because of them: a model
    that failed left nothing behind (dbt rolls its transaction back), and every model of
    a full build computes all its rows. An incremental build starts again from a new copy
    of the served file (``restart``) and runs whole: its models find the rows the build
    rewrote by dbt's invocation id (macros/incremental_breaches.sql), which a second dbt
    run does not share. A node that runs out of memory alone fails the build.
    """
    selection = run.out_of_memory_retry()
    if run.success or not selection:
        return run
    failed = [node_name(n) for n in run.failed_nodes()]
    if incremental:
        say(
            f"Out of memory beside other nodes: {', '.join(failed)}. Building again from "
            "the served file, one node at a time ..."
        )
        restart()
        result = build([*args, "--threads", "1"])
    else:
        say(
            f"Out of memory beside other nodes: {', '.join(failed)}. Running them and the "
            f"{len(selection) - len(failed)} nodes skipped after them again, one at a time ..."
        )
        result = run.retried_with(build([*args, "--select", *selection, "--threads", "1"]))
    if not result.success:
        result.errors.insert(
            0, f"Run again one at a time after running out of memory ({', '.join(failed)}):"
        )
    return result
