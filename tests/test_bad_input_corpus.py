"""Every case of the bad-input corpus ends as its manifest says, through the CLI: loaded
with true reasons and balanced rows, or refused / empty with one line naming the input
and a documented exit code; no traceback, no silent loss (tests/bad_input_corpus.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bad_input_corpus import Outcome, cases, run_case, summary_line

CASES = cases()
_outcomes: list[Outcome] = []


@pytest.fixture(scope="module", autouse=True)
def corpus_summary(request: pytest.FixtureRequest):
    """Print the corpus's summary line once its cases have run."""
    yield
    if _outcomes:
        plugins = request.config.pluginmanager
        reporter = plugins.get_plugin("terminalreporter")
        capture = plugins.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            with capture.global_and_fixture_disabled():  # past pytest's output capture
                reporter.write_line("")
                reporter.write_line(summary_line(_outcomes))


def test_the_corpus_is_large_and_covers_every_source() -> None:
    sources = {c["source"] for c in CASES}
    assert sources == {"hhs_ocr", "vcdb", "hibp", "gdpr_fines", "ecb_fx"}
    assert len(CASES) >= 100
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert {c["expect"] for c in CASES} == {"loaded", "refused", "empty"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_case(case: dict, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    _outcomes.append(outcome)
    assert not outcome.traceback, outcome.stderr
    assert not outcome.silent_loss, outcome.account
    assert not outcome.problems, "\n".join(outcome.problems)
