"""The breach linkage on the real files: the model, its measured precision and recall
against the hand-labelled pairs (tests/linkage/labelled_pairs.csv), and each case of
one breach or one organization appearing under several names."""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path

import duckdb
import polars as pl
import pytest

from breach_warehouse.cli import main
from breach_warehouse.linkage import evaluate, model, render, train, vocabulary
from dashboards import data
from groundwork.paths import SEEDS_DIR, project_vars
from tests import real_data as real

pytestmark = pytest.mark.slow

# The linkage's measured performance on the labelled pairs (bench/RESULTS.md, "Breach
# linkage"): a change that makes it worse fails here. The targets (precision 0.98,
# recall 0.90) are printed beside every figure; recall is below its target.
FLOOR_AS_BUILT = {"precision": 0.98, "recall": 0.76}
FLOOR_CROSS_VALIDATED = {"precision": 0.98, "recall": 0.74}


@pytest.fixture()
def q(real_q):
    return real_q


# ---------------------------------------------------------------- the model


def test_the_macros_are_the_committed_models_rendering() -> None:
    assert render.MACRO_PATH.read_text(encoding="utf-8") == render.render(render.read_model())


def test_the_model_and_the_build_block_alike() -> None:
    assert project_vars()["linkage_max_years_apart"] == model.MAX_YEARS_APART
    assert project_vars()["linkage_same_count_days"] == model.SAME_COUNT_DAYS
    assert project_vars()["linkage_same_count_rows"] == model.SAME_COUNT_ROWS
    assert project_vars()["linkage_citation_rows"] == model.CITATION_ROWS


def test_the_model_and_the_build_pair_the_same_rows(real_q, real_warehouse) -> None:
    """The blocking rules of the model (Splink, the training and the cross-validation)
    and of int_breach_pair_scores (dbt) generate the same pairs on the real files."""
    built = real_q(
        "select breach_id_l, breach_id_r, link_basis from main_intermediate.int_breach_pair_scores"
    )
    blocked = train.blocked_gammas(train.candidates(real_warehouse[0]))
    pairs = {frozenset(p) for p in blocked.select("breach_id_l", "breach_id_r").iter_rows()}
    scored = {frozenset((left, right)): basis for left, right, basis in built.iter_rows()}
    assert pairs <= scored.keys()
    # The build adds only the pairs an analyst's override names.
    assert all(scored[p].startswith("override") for p in scored.keys() - pairs)


def test_the_model_and_the_build_compare_each_pair_alike(real_q, real_warehouse) -> None:
    """Every comparison level of every pair is the same in the build (dbt's generated SQL,
    its rare citations and rare words) and in the model (Splink on train.candidates)."""
    gammas = train.blocked_gammas(train.candidates(real_warehouse[0]))
    columns = [c for c in gammas.columns if c.startswith("gamma_")]
    built = real_q(
        f"select breach_id_l, breach_id_r, {', '.join(columns)} "
        "from main_intermediate.int_breach_pair_scores where link_basis = 'model'"
    )
    joined = built.join(
        train.both_orders(gammas), on=["breach_id_l", "breach_id_r"], suffix="_model"
    )
    assert joined.height == built.height
    for column in columns:
        differ = joined.filter(pl.col(column) != pl.col(f"{column}_model"))
        assert differ.is_empty(), (column, differ.head(3).rows())
    # The new evidence is there to compare: pairs citing one page, sharing uncommon words.
    assert (built["gamma_citation"] == 1).sum() > 0
    assert (built["gamma_words"] == 2).sum() > 0


def test_the_common_words_are_what_linkage_vocabulary_computes(real_warehouse) -> None:
    """seeds/linkage_common_words.csv is what `linkage vocabulary` writes from the real
    files: nothing in it is chosen by hand."""
    computed = vocabulary.common_words(real_warehouse[0])
    committed = vocabulary.read_seed()
    assert computed.rows() == committed.rows()
    assert "information" in committed["word"].to_list()


def test_two_sources_citing_one_article_compare_on_it(q) -> None:
    """VCDB's Bonobos incident cites the BleepingComputer article HIBP's Bonobos breach
    links to; HHS's own portal address, on every HHS row, cites nothing."""
    article = "bleepingcomputer.com/news/security/bonobos-clothing-store-suffers-a-data-breach"
    cited = q(
        "select breach_id, cited_urls from main_intermediate.int_breach_candidates "
        "where organization_id = 'org_bonobos' order by breach_id"
    )
    assert cited["breach_id"].to_list() == [
        "hibp:Bonobos",
        "vcdb:3f4f691b-d136-46af-96d1-b8c31761304a",
    ]
    for urls in cited["cited_urls"].to_list():
        assert any(url.startswith(article) for url in urls), urls
    pair = q(
        "select gamma_citation from main_intermediate.int_breach_pair_scores "
        "where organization_id_l = 'org_bonobos'"
    )
    assert pair["gamma_citation"].to_list() == [1]
    hhs = q(
        "select count(*) as n from main_intermediate.int_breach_candidates "
        "where source_name = 'hhs_ocr' and list_contains(cited_urls, "
        "'ocrportal.hhs.gov/ocr/breach/breach_report.jsf')"
    )
    assert hhs["n"][0] == 0


def test_training_on_the_real_files_gives_the_committed_model(
    real_warehouse: tuple[Path, Path],
) -> None:
    """The committed model is what `linkage train` estimates from the labels and the
    default warehouse: nothing in it is set by hand."""
    estimated = train.estimate(train.candidates(real_warehouse[0]), train.read_labels())
    committed = render.read_model()
    assert estimated["probability_two_random_records_match"] == pytest.approx(
        committed["probability_two_random_records_match"], rel=1e-9
    )
    for mine, theirs in zip(estimated["comparisons"], committed["comparisons"], strict=True):
        assert mine["output_column_name"] == theirs["output_column_name"]
        for a, b in zip(mine["comparison_levels"], theirs["comparison_levels"], strict=True):
            assert a["sql_condition"] == b["sql_condition"]
            for key in ("m_probability", "u_probability"):
                if b.get(key) is None:  # the null level (a side without a value) has none
                    assert a.get(key) is None
                else:
                    assert a.get(key) == pytest.approx(b[key], rel=1e-9)


def test_the_labels_are_real_pairs_with_reasons(q) -> None:
    labels = train.read_labels()
    assert len(labels) >= 300
    assert {r["is_match"] for r in labels} == {"0", "1"}
    assert all(r["reason"].strip() for r in labels)
    ids = {r["left_id"] for r in labels} | {r["right_id"] for r in labels}
    known = set(q("select breach_id from main_intermediate.int_breach_candidates")["breach_id"])
    assert ids <= known, sorted(ids - known)[:5]


def test_precision_and_recall_hold_their_measured_floor(
    real_warehouse: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert main(["linkage", "evaluate", "--db", str(real_warehouse[0])]) == 0
    printed = capsys.readouterr()
    labels = train.read_labels()
    built = evaluate.as_built(real_warehouse[0], labels)
    frame = train.candidates(real_warehouse[0])
    gammas = train.blocked_gammas(frame)
    validated = evaluate.cross_validated(real_warehouse[0], labels, frame=frame, gammas=gammas)
    bound = evaluate.ceiling(gammas, labels)
    # `linkage evaluate` prints these three figures and nothing else (no library warnings)
    assert printed.out.splitlines() == [
        built.line("as built (in-sample)"),
        validated.line("cross-validated (2 folds)"),
        bound.line(),
    ]
    assert printed.err == "", printed.err[:500]
    warned = [r.getMessage()[:80] for r in caplog.records if r.levelno >= logging.WARNING]
    assert not warned, warned
    assert bound.best.precision >= evaluate.TARGET_PRECISION
    assert bound.best.true_positives <= bound.blocked_matches <= bound.matches == 377
    assert bound.held_out.true_positives <= bound.best.true_positives
    assert built.precision >= FLOOR_AS_BUILT["precision"], built.line("as built")
    assert built.recall >= FLOOR_AS_BUILT["recall"], built.line("as built")
    assert validated.precision >= FLOOR_CROSS_VALIDATED["precision"], validated.line("cv")
    assert validated.recall >= FLOOR_CROSS_VALIDATED["recall"], validated.line("cv")


def test_score_counts_each_pair_once() -> None:
    labels = [
        {"left_id": "a", "right_id": "b", "is_match": "1"},
        {"left_id": "a", "right_id": "c", "is_match": "0"},
        {"left_id": "d", "right_id": "e", "is_match": "1"},
        {"left_id": "f", "right_id": "g", "is_match": "0"},
    ]
    got = evaluate.score(labels, {frozenset(("b", "a")), frozenset(("f", "g"))})
    assert (got.true_positives, got.false_positives, got.false_negatives) == (1, 1, 1)
    assert got.true_negatives == 1
    assert (got.precision, got.recall) == (0.5, 0.5)
    assert "NOT met" in got.line("x")


def test_the_ceiling_decides_each_comparison_vector_alike() -> None:
    """Pairs with one comparison vector are linked or not together: purest vectors first,
    each while precision stays at the target."""
    rows = (
        [(1, 1, 1)] * 40  # pure
        + [(1, 0, 1)] * 10  # pure, smaller
        + [(0, 1, 1)] * 5
        + [(0, 1, 0)]  # 5 of 6: 55/56 = 0.982 still meets 0.98
        + [(0, 0, 1)]
        + [(0, 0, 0)] * 3  # 1 of 4: 56/60 would not
    )
    vectors = pl.DataFrame(rows, schema=["gamma_a", "gamma_b", "is_match"], orient="row")
    got = evaluate.vector_ceiling(vectors, matches=60)
    assert (got.true_positives, got.false_positives) == (55, 1)
    assert (got.false_negatives, got.true_negatives) == (5, 3)
    strict = evaluate.vector_ceiling(vectors, matches=60, precision=0.99)
    assert (strict.true_positives, strict.false_positives) == (50, 0)


def test_the_held_out_ceiling_links_only_vectors_the_other_fold_chose() -> None:
    """A vector shown by one labelled match is linked in-sample but not held out: the
    other fold never saw it. A vector both folds show is linked in each by the other, and
    one that is a match in one fold and not in the other links the other's non-match."""
    rows = [(1, 1, 1, fold) for fold in (0, 1) for _ in range(10)]  # shared, pure
    rows += [(2, i, 1, i % 2) for i in range(6)]  # six matches, each its own vector
    rows += [(3, 3, 0, 0), (3, 3, 1, 1)]  # one fold's non-match, the other's match
    vectors = pl.DataFrame(rows, schema=["gamma_a", "gamma_b", "is_match", "fold"], orient="row")
    in_sample = evaluate.vector_ceiling(vectors.drop("fold"), matches=27)
    assert (in_sample.true_positives, in_sample.false_positives) == (26, 0)
    held_out = evaluate.held_out_vector_ceiling(vectors, matches=27)
    assert (held_out.true_positives, held_out.false_positives) == (20, 1)
    assert (held_out.false_negatives, held_out.true_negatives) == (7, 0)


def test_the_data_page_lists_every_pair_for_review_and_every_merged_row(
    real_warehouse: tuple[Path, Path], real_q
) -> None:
    """The Data page's linkage datasets: the whole world over every year holds every row of
    breach_link_review and breach_source_matches of the real files, the preview is the
    head of the download, pairs for review the most probable first, and a jurisdiction
    holds fewer."""
    path, everything = real_warehouse[0], (["WORLD"], (1970, 2030))
    totals = {
        "link_review": real_q("select count(*) as n from breach_link_review")["n"][0],
        "source_matches": real_q("select count(*) as n from breach_source_matches")["n"][0],
    }
    try:
        for name, total in totals.items():
            assert total > data.PREVIEW_ROWS, name
            assert data.dataset_rows(path, name, *everything) == total, name
            download = data.dataset(path, name, *everything)
            assert download.height == total, name
            preview = data.dataset_preview(path, name, *everything)
            assert download.head(preview.height).equals(preview), name
            assert 0 < data.dataset_rows(path, name, ["US"], (1970, 2030)) < total, name
        review = data.dataset(path, "link_review", *everything)
        assert review["match_probability"].is_sorted(descending=True)
        assert review["match_probability"].max() < project_vars()["linkage_threshold"]
    finally:
        data.close_connections()  # the other tests open this file with another configuration


# ---------------------------------------------------------------- the cases, one by one


def test_anthem_2015_is_one_breach_of_three_sources(q) -> None:
    """HHS's "Anthem Inc." filing of 2015-02-13 (78.8M) and VCDB's Anthem Blue Cross
    incident (80M, US-IN) are the seed's Anthem 2015 breach, which keeps the largest count
    stated and every source's own figure."""
    matched = q(
        "select source_name, records_exposed, match_rule from breach_source_matches "
        "where breach_id = 'anthem_2015' order by source_name"
    )
    assert matched.rows() == [("hhs_ocr", 78_800_000, "model"), ("vcdb", 80_000_000, "model")]
    breach = q(
        "select records_exposed, records_source_name, organization_id from fct_breaches "
        "where breach_id = 'anthem_2015'"
    )
    assert breach.rows() == [(80_000_000, "vcdb", "anthem")]
    # The 2015 filing is counted there; Anthem's other HHS filings stay breaches of their own.
    anthem_2015_filing = [
        r
        for r in real.csv_rows(real.HHS_ARCHIVE)
        if r["Name of Covered Entity"] == "Anthem Inc." and r["Individuals Affected"] == "78800000"
    ]
    assert len(anthem_2015_filing) == 1
    own = q(
        "select count(*) as n from fct_breaches where organization_id = 'anthem' "
        "and source_name = 'hhs_ocr'"
    )["n"][0]
    anthem_names = {"Anthem Inc.", "Anthem, Inc."}
    other_filings = [
        r
        for r in real.csv_rows(real.HHS_ARCHIVE)
        if r["Name of Covered Entity"] in anthem_names and r["Individuals Affected"] != "78800000"
    ]
    assert own >= len(other_filings)


def test_vcdbs_notification_date_meets_hhss_filing(q, real_warehouse: tuple[Path, Path]) -> None:
    """Little River Healthcare's laptop theft: VCDB dates the incident 2017-05-12 and its
    notice 2017-06-16, the day of HHS's filing. The date comparison takes the closest of
    the two (within a week), and the two rows are one breach."""
    hhs, vcdb = "hhs_ocr:385f82045c9c1c0306c2", "vcdb:dd782db6-4ab2-4839-854a-69c26403cffb"
    rows = q(
        "select breach_id, reported_on, notified_on from main_intermediate.int_breach_candidates "
        "where breach_id in (?, ?) order by breach_id",
        [hhs, vcdb],
    )
    assert rows.rows() == [
        (hhs, dt.date(2017, 6, 16), None),
        (vcdb, dt.date(2017, 5, 12), dt.date(2017, 6, 16)),
    ]
    pair = q(
        "select agreements from main_intermediate.int_breach_pair_scores "
        "where breach_id_l = ? and breach_id_r = ?",
        [vcdb, hhs],
    )
    assert "reported: within a week" in pair["agreements"][0]
    breaches = evaluate.breach_of(real_warehouse[0])
    assert breaches[hhs] == breaches[vcdb]


def test_verifications_io_is_counted_once(q) -> None:
    rows = q(
        "select breach_id, records_exposed from fct_breaches "
        "where organization_id like '%verification%'"
    )
    assert rows.height == 1
    hibp = next(i for i in real.hibp_items() if i["Name"] == "VerificationsIO")
    matched = q(
        "select source_name, records_exposed, match_rule from breach_source_matches "
        "where breach_id = ?",
        [rows["breach_id"][0]],
    )
    assert matched.rows() == [("hibp", hibp["PwnCount"], "model")]
    vcdb = [
        d
        for d in real.vcdb_documents().values()
        if "verifications" in d.get("victim", {}).get("victim_id", "").lower()
    ]
    stated = [d["attribute"]["confidentiality"]["data_total"] for d in vcdb]
    # The breach keeps the largest count its sources state (VCDB's 808.5M over HIBP's 763.1M).
    assert rows["records_exposed"][0] == max([*stated, hibp["PwnCount"]])


def test_linkedin_2012_keeps_hibps_count_through_an_override(q) -> None:
    with (SEEDS_DIR / "breach_link_overrides.csv").open(encoding="utf-8") as f:
        overrides = list(csv.DictReader(f))
    assert any(o["breach_id"] == "hibp:LinkedIn" and o["decision"] == "link" for o in overrides)
    hibp = next(i for i in real.hibp_items() if i["Name"] == "LinkedIn")
    matched = q(
        "select breach_id, records_exposed, match_rule from breach_source_matches "
        "where source_breach_id = 'hibp:LinkedIn'"
    )
    assert matched["match_rule"].to_list() == ["override: link"]
    breach = q(
        "select records_exposed, records_source_name, records_unit from fct_breaches "
        "where breach_id = ?",
        [matched["breach_id"][0]],
    )
    assert breach.rows() == [(hibp["PwnCount"], "hibp", "accounts")]


def test_walgreen_filings_under_two_names_are_one_organization_compared_within_hhs(q) -> None:
    names = {"Walgreen Co.", "Walgreen Company"}
    filings = [r for r in real.csv_rows(real.HHS_ARCHIVE) if r["Name of Covered Entity"] in names]
    assert {r["Name of Covered Entity"] for r in filings} == names
    orgs = q(
        "select distinct organization_id from main_intermediate.int_breach_candidates "
        "where source_name = 'hhs_ocr' and organization_id like '%walgreen%' "
        "and organization_id not like '%crescent%'"
    )
    assert orgs["organization_id"].to_list() == ["org_walgreen"]
    pairs = q(
        "select count(*) as n, count(*) filter (where is_linked) as linked "
        "from main_intermediate.int_breach_pair_scores where organization_id_l = 'org_walgreen' "
        "and source_name_l = 'hhs_ocr' and source_name_r = 'hhs_ocr'"
    )
    # Every two filings of the archive and the open export reported at most two years apart
    # are compared (both names, both exports); they are different events (months apart,
    # different counts), so none is linked and each stays a breach.
    years = [
        int(r["Breach Submission Date"][-4:])
        for path in (real.HHS_ARCHIVE, real.HHS_OPEN)
        for r in real.csv_rows(path)
        if r["Name of Covered Entity"] in names
    ]
    near = sum(
        1
        for i, a in enumerate(years)
        for b in years[i + 1 :]
        if abs(a - b) <= project_vars()["linkage_max_years_apart"]
    )
    assert pairs["n"][0] == near
    assert pairs["linked"][0] == 0
    archive_filings = len(filings)
    breaches = q(
        "select count(*) as n from fct_breaches where organization_id = 'org_walgreen' "
        "and source_name = 'hhs_ocr'"
    )["n"][0]
    assert breaches >= archive_filings


def test_metas_fines_roll_up_to_one_group(q) -> None:
    organizations = q(
        "select organization_id, parent_organization_id, group_organization_id "
        "from dim_organizations where group_organization_id = 'facebook' order by 1"
    )
    assert {"facebook", "meta_platforms_ireland", "whatsapp_ireland"} <= set(
        organizations["organization_id"]
    )
    fined = q(
        "select organization_id, count(*) as n from fct_penalties "
        "where organization_id in (select organization_id from dim_organizations "
        "where group_organization_id = 'facebook') group by 1"
    )
    assert {"facebook", "meta_platforms_ireland"} <= set(fined["organization_id"])
    # No organization named after Meta, Facebook or WhatsApp stays outside the group.
    stray = q(
        "select organization_id from dim_organizations where (organization_id like 'org_meta%' "
        "or organization_id like 'org_facebook%' or organization_id like 'org_whatsapp%') "
        "and group_organization_id != 'facebook'"
    )
    assert stray.height == 0, stray
    group = q(
        "select sum(penalties) as n, sum(penalties_eur) as eur "
        "from agg_organization_groups_by_jurisdiction_year where group_organization_id = 'facebook'"
    )
    members = q(
        "select count(*) as n, sum(amount_eur) as eur from fct_penalties "
        "where is_current and penalty_year is not null and organization_id in "
        "(select organization_id from dim_organizations where group_organization_id = 'facebook')"
    )
    assert group.rows() == members.rows()


# ---------------------------------------------------------------- incremental


@pytest.mark.standalone
def test_hibp_loaded_after_hhs_and_vcdb_links_as_a_full_rebuild(tmp_path: Path) -> None:
    """The real HHS exports and VCDB first, then HIBP as a new load: the incremental
    refresh decides HIBP's pairs with VCDB, on the pages both cite and the words both
    descriptions use among the rest, as a full rebuild of the same loads does."""
    from breach_warehouse.refresh import refresh
    from ingest.loader import load_source
    from tests.test_incremental_refresh import _assert_same_marts

    real.require_shared()
    data = tmp_path / "data"
    for source, path in (
        ("hhs_ocr", real.HHS_ARCHIVE),
        ("hhs_ocr", real.HHS_OPEN),
        ("vcdb", real.VCDB),
    ):
        load_source(source, data_dir=data, path=path)
    served = tmp_path / "served" / "bw.duckdb"
    refresh(served, data_dir=data)
    load_source("hibp", data_dir=data, path=real.HIBP)
    said: list[str] = []
    incremental = refresh(served, data_dir=data, progress=said.append)
    assert any(m.startswith("Copying") for m in said), said  # built on the served file
    rebuilt = refresh(tmp_path / "rebuilt" / "bw.duckdb", data_dir=data, full_refresh=True)

    _assert_same_marts(incremental.db_path, rebuilt.db_path)
    with duckdb.connect(str(incremental.db_path), read_only=True) as con:
        cited = con.sql(
            "select count(*) from main_intermediate.int_breach_pair_scores "
            "where gamma_citation = 1 and 'hibp' in (source_name_l, source_name_r)"
        ).fetchall()[0][0]
    assert cited > 0
