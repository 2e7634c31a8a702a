"""A refresh whose models or tests ran out of memory side by side builds again one node at a
time (a full build: the failed nodes and what they skipped; an incremental build: whole,
from a new copy of the served file) and publishes what a refresh without the failure
publishes; any other failure (a data test, an SQL error, a node out of memory on its own)
still fails the refresh and leaves the served file as it was."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from breach_warehouse import refresh as refresh_module
from breach_warehouse.dbt_runner import DbtRun, NodeOutcome, _read_log_line, node_name, run_dbt
from breach_warehouse.refresh import RefreshError, refresh
from tests.ingest_helpers import FIXTURES, load
from tests.test_incremental_refresh import VARS, _assert_same_marts

OOM = (
    "Runtime Error in model {name} (models/marts/{name}.sql)\n"
    "  Out of Memory Error: could not allocate block of size 256.0 KiB (3.2 GiB/3.2 GiB used)"
)


def _node(kind: str, name: str, status: str) -> NodeOutcome:
    suffix = ".0a1b2c" if kind == "test" else ""
    return NodeOutcome(f"{kind}.breach_warehouse.{name}{suffix}", kind, status, 1.0)


def _failed_run(
    *nodes: NodeOutcome, errors: dict[str, str], skipped: list[str] | None = None
) -> DbtRun:
    """A failed run of ``nodes``; ``errors``: each failed node's own error, by name."""
    ids = {node_name(n): n.unique_id for n in nodes}
    return DbtRun(
        success=False,
        nodes=list(nodes),
        errors=list(errors.values()),
        skipped=skipped or [],
        node_errors={ids[name]: error for name, error in errors.items()},
    )


def test_nodes_out_of_memory_are_run_again_with_what_they_skipped() -> None:
    run = _failed_run(
        _node("model", "fct_breaches", "success"),
        _node("model", "agg_groups", "error"),
        _node("test", "unique_fct_breaches_breach_id", "error"),
        errors={
            "agg_groups": OOM.format(name="agg_groups"),
            "unique_fct_breaches_breach_id": OOM.format(name="agg_groups").replace(
                "in model agg_groups", "in test unique_fct_breaches_breach_id"
            ),
        },
        skipped=["source_coverage", "unique_agg_groups_id"],
    )
    assert run.out_of_memory_retry() == [
        "agg_groups",
        "source_coverage",
        "unique_agg_groups_id",
        "unique_fct_breaches_breach_id",
    ]


def test_a_commit_out_of_memory_is_out_of_memory() -> None:
    """DuckDB reports a model whose commit could not allocate as a TransactionContext
    error (as a CI run printed it, beside nodes with "Out of Memory Error"): run again."""
    commit = (
        "Runtime Error in model agg_actions (models/marts/agg_actions.sql)\n"
        "  TransactionContext Error: Failed to commit: could not allocate block of size "
        "1.9 KiB (15.2 MiB/15.2 MiB used)"
    )
    run = _failed_run(
        _node("model", "agg_actions", "error"),
        _node("model", "dim_orgs", "error"),
        errors={"agg_actions": commit, "dim_orgs": OOM.format(name="dim_orgs")},
        skipped=["fct_breach_records"],
    )
    assert run.out_of_memory_retry() == ["agg_actions", "dim_orgs", "fct_breach_records"]
    # A commit that failed for another reason is not a question of memory.
    conflict = _failed_run(
        _node("model", "agg_actions", "error"),
        errors={
            "agg_actions": "Runtime Error in model agg_actions (a.sql)\n  TransactionContext "
            "Error: Failed to commit: write-write conflict on key"
        },
    )
    assert conflict.out_of_memory_retry() == []


def _dbt_events(*events: tuple[str, dict[str, object]]) -> DbtRun:
    """A run read from dbt's JSON log events (name, data), as `dbt --log-format json`
    writes them."""
    run = DbtRun(success=False)
    for name, data in events:
        msg = str(data.pop("_msg", data.get("msg", "")))
        level = "error" if name.startswith(("RunResult", "LogSkipBecause")) else "info"
        line = json.dumps({"info": {"name": name, "level": level, "msg": msg}, "data": data})
        _read_log_line(line, run, None)
    return run


def _node_info(kind: str, name: str) -> dict[str, str]:
    return {"unique_id": f"{kind}.breach_warehouse.{name}", "resource_type": kind}


def test_a_node_whose_error_dbt_did_not_handle_counts_by_its_own_error() -> None:
    """An error dbt did not handle (a test's result fetched out of memory, as a CI run
    printed it) is reported as "Failure in test x" and then the error alone, in two
    events: the error is the node's by the event's node_info, not by its text."""
    flags = "flags_are_known_fct_penalties_quality_flags"
    oom = "Out of Memory Error: failed to allocate data of size 16.0 KiB (18.1 MiB/15.2 MiB used)"
    run = _dbt_events(
        ("LogTestResult", {"status": "error", "node_info": _node_info("test", flags)}),
        ("RunResultFailure", {"_msg": f"\x1b[31mFailure in test {flags} (models/x.yml)\x1b[0m"}),
        ("RunResultError", {"msg": oom, "node_info": _node_info("test", flags)}),
        ("LogModelResult", {"status": "error", "node_info": _node_info("model", "dim_orgs")}),
        (
            "RunResultError",
            {
                "msg": f"Runtime Error in model dim_orgs (models/dim_orgs.sql)\n  {oom}",
                "node_info": _node_info("model", "dim_orgs"),
            },
        ),
        ("SkippingDetails", {"resource_type": "model", "node_name": "agg_orgs"}),
    )
    assert run.out_of_memory_retry() == ["agg_orgs", "dim_orgs", flags]
    # A data test's bad rows, reported the same way beside them: not a question of memory.
    failing = _dbt_events(
        ("LogTestResult", {"status": "error", "node_info": _node_info("test", flags)}),
        ("RunResultError", {"msg": oom, "node_info": _node_info("test", flags)}),
        ("LogTestResult", {"status": "fail", "node_info": _node_info("test", "unique_x")}),
        ("RunResultError", {"msg": "Got 3 results", "node_info": _node_info("test", "unique_x")}),
    )
    assert failing.out_of_memory_retry() == []


@pytest.mark.parametrize(
    ("nodes", "errors"),
    [
        # A data test that found bad rows beside a model out of memory: not retried.
        (
            [_node("model", "agg_groups", "error"), _node("test", "unique_x", "fail")],
            {"agg_groups": OOM.format(name="agg_groups"), "unique_x": "Got 3 results"},
        ),
        # An SQL error is not a question of memory.
        (
            [_node("model", "agg_groups", "error")],
            {"agg_groups": "Runtime Error in model agg_groups (a.sql)\n  Binder Error: no x"},
        ),
        # A node out of memory by another node's message only: its own error is unknown.
        (
            [_node("model", "agg_groups", "error"), _node("model", "agg_other", "error")],
            {"agg_groups": OOM.format(name="agg_groups") + "\n" + OOM.format(name="agg_other")},
        ),
        # A failure with no node (dbt stopped before running any).
        ([], {}),
    ],
)
def test_other_failures_are_not_retried(nodes: list[NodeOutcome], errors: dict[str, str]) -> None:
    assert _failed_run(*nodes, errors=errors, skipped=["later"]).out_of_memory_retry() == []


def test_a_retried_run_is_judged_by_its_retry() -> None:
    run = _failed_run(
        _node("model", "fct_breaches", "success"),
        _node("model", "agg_groups", "error"),
        errors={"agg_groups": OOM.format(name="agg_groups")},
        skipped=["source_coverage"],
    )
    ok = DbtRun(
        success=True,
        nodes=[
            _node("model", "agg_groups", "success"),
            _node("model", "source_coverage", "success"),
        ],
    )
    merged = run.retried_with(ok)
    assert merged.success and merged.errors == []
    assert [n.unique_id.split(".")[2] for n in merged.nodes] == [
        "fct_breaches",
        "agg_groups",
        "source_coverage",
    ]
    again = _failed_run(
        _node("model", "agg_groups", "error"), errors={"agg_groups": OOM.format(name="agg_groups")}
    )
    assert not run.retried_with(again).success
    assert run.retried_with(again).count("model", ["error"]) == 1  # counted once


def test_dbt_skipped_nodes_are_read_from_its_log() -> None:
    run = _dbt_events(
        ("SkippingDetails", {"resource_type": "model", "node_name": "a"}),
        ("SkippingDetails", {"resource_type": "test", "node_name": "t"}),
        ("SkippingDetails", {"resource_type": "exposure", "node_name": "e"}),
        ("LogSkipBecauseError", {"relation": "b", "_msg": "SKIP relation b"}),
    )
    assert run.skipped == ["a", "t", "b"]


def _starve(monkeypatch: pytest.MonkeyPatch, limits: list[str]) -> list[list[str]]:
    """dbt's runs in a refresh get these memory limits in turn (the project's after them);
    returns the arguments of each run."""
    calls: list[list[str]] = []

    def starved(args: list[str], **kwargs: object) -> DbtRun:
        if len(calls) < len(limits):
            env = {**kwargs["extra_env"], "BW_DUCKDB_MEMORY_LIMIT": limits[len(calls)]}  # type: ignore[dict-item]
            kwargs["extra_env"] = env
        calls.append(list(args))
        return run_dbt(args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(refresh_module, "run_dbt", starved)
    return calls


@dataclass(frozen=True)
class Loads:
    """A served warehouse of two loads, two new loads beside it (``work``, restored from
    ``pristine`` for each test), and a full rebuild of all four (``rebuilt``)."""

    work: Path
    pristine: Path
    rebuilt: Path

    @property
    def served(self) -> Path:
        return self.work / "served" / "bw.duckdb"

    @property
    def data(self) -> Path:
        return self.work / "data"


@pytest.fixture(scope="module")
def built_loads(tmp_path_factory: pytest.TempPathFactory) -> Loads:
    """Built once for the module's tests, each of which changes its copy."""
    root = tmp_path_factory.mktemp("retry")
    loads = Loads(root / "work", root / "pristine", root / "rebuilt" / "bw.duckdb")
    load("hhs_ocr", FIXTURES / "hhs_ocr" / "breach_report.csv", loads.data)
    load("gdpr_fines", FIXTURES / "gdpr_fines" / "enforcement_tracker.csv", loads.data)
    refresh(loads.served, data_dir=loads.data, extra_vars=VARS)
    load("vcdb", FIXTURES / "vcdb" / "validated", loads.data)
    load("hibp", FIXTURES / "hibp" / "breaches.json", loads.data)
    refresh(loads.rebuilt, data_dir=loads.data, extra_vars=VARS, full_refresh=True)
    shutil.copytree(loads.work, loads.pristine)
    return loads


@pytest.fixture()
def served_and_new_loads(built_loads: Loads) -> Loads:
    """The served warehouse and the new loads as first built, at the same paths (a
    build's fingerprint holds its data folder's path: elsewhere, the refresh would
    rebuild everything instead of building incrementally)."""
    shutil.rmtree(built_loads.work)
    shutil.copytree(built_loads.pristine, built_loads.work)
    return built_loads


@pytest.mark.slow
def test_an_incremental_refresh_out_of_memory_publishes_what_a_full_rebuild_does(
    served_and_new_loads: Loads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The incremental build's first dbt run gets a memory limit some of its nodes cannot
    run in side by side (16MB on these fixtures); the retry gets the project's."""
    served, data = served_and_new_loads.served, served_and_new_loads.data
    calls = _starve(monkeypatch, ["16MB"])
    said: list[str] = []
    incremental = refresh(served, data_dir=data, extra_vars=VARS, progress=said.append)
    assert any(line.startswith("Out of memory beside other nodes") for line in said), said
    assert calls[1] == [*calls[0], "--threads", "1"]  # the whole build, from the start
    _assert_same_marts(incremental.db_path, served_and_new_loads.rebuilt)
    with duckdb.connect(str(served), read_only=True) as con:
        status, tests_failed = con.sql(
            "select status, tests_failed from refresh_runs order by started_at desc limit 1"
        ).fetchall()[0]
    assert (status, tests_failed) == ("success", 0)


@pytest.mark.slow
def test_a_retry_that_fails_too_fails_the_refresh(
    served_and_new_loads: Loads, monkeypatch: pytest.MonkeyPatch
) -> None:
    served, data = served_and_new_loads.served, served_and_new_loads.data
    before = served.read_bytes()
    calls = _starve(monkeypatch, ["16MB", "1MB"])
    said: list[str] = []
    with pytest.raises(RefreshError, match="Run again one at a time after running out of memory"):
        refresh(served, data_dir=data, extra_vars=VARS, progress=said.append)
    assert any(line.startswith("Out of memory beside other nodes") for line in said), said
    assert len(calls) == 2  # retried once, not again
    assert served.read_bytes() == before


# A mart far down the incremental path: its rows are rewritten by the scope of the build's
# own dbt run (macros/incremental_breaches.sql), as at 10M, where it ran out of memory.
DOWNSTREAM = "agg_largest_breaches_by_jurisdiction_year"


def _fail_first_run_at(monkeypatch: pytest.MonkeyPatch, model: str) -> list[list[str]]:
    """The refresh's first dbt run builds everything but ``model`` and what follows it,
    and reports ``model`` out of memory; later runs are dbt's own."""
    calls: list[list[str]] = []

    def first_fails(args: list[str], **kwargs: object) -> DbtRun:
        calls.append(list(args))
        if len(calls) > 1:
            return run_dbt(args, **kwargs)  # type: ignore[arg-type]
        at = args.index("--exclude") + 1
        run = run_dbt([*args[:at], f"{model}+", *args[at:]], **kwargs)  # type: ignore[arg-type]
        assert run.success, run.error_message
        run.success = False
        run.nodes.append(NodeOutcome(f"model.breach_warehouse.{model}", "model", "error", 1.0))
        run.errors.append(OOM.format(name=model))
        run.node_errors[f"model.breach_warehouse.{model}"] = OOM.format(name=model)
        return run

    monkeypatch.setattr(refresh_module, "run_dbt", first_fails)
    return calls


@pytest.mark.slow
def test_an_incremental_build_out_of_memory_far_down_is_built_again_whole(
    served_and_new_loads: Loads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run again alone, the mart would find no rows of its scope (a new dbt run) and keep
    its stale listing: the build starts again from the served file instead."""
    served, data = served_and_new_loads.served, served_and_new_loads.data
    calls = _fail_first_run_at(monkeypatch, DOWNSTREAM)
    incremental = refresh(served, data_dir=data, extra_vars=VARS)
    assert calls[1] == [*calls[0], "--threads", "1"]
    _assert_same_marts(incremental.db_path, served_and_new_loads.rebuilt)


@pytest.mark.slow
def test_a_full_build_runs_again_only_what_failed_or_was_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    load("hhs_ocr", FIXTURES / "hhs_ocr" / "breach_report.csv", data)
    load("hibp", FIXTURES / "hibp" / "breaches.json", data)
    calls = _fail_first_run_at(monkeypatch, DOWNSTREAM)
    said: list[str] = []
    retried = refresh(
        tmp_path / "a" / "bw.duckdb", data_dir=data, extra_vars=VARS, progress=said.append
    )
    assert calls[1] == [*calls[0], "--select", DOWNSTREAM, "--threads", "1"], calls[1]
    assert any("Running them and the 0 nodes skipped" in line for line in said), said
    monkeypatch.undo()
    plain = refresh(tmp_path / "b" / "bw.duckdb", data_dir=data, extra_vars=VARS)
    _assert_same_marts(retried.db_path, plain.db_path)
    assert retried.models == plain.models and retried.tests_passed == plain.tests_passed
