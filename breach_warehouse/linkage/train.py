"""Estimate the linkage model's parameters from a built warehouse and the labelled pairs.

- m (how often a level occurs when two rows report the same breach): Splink's estimate from
  the labelled matching pairs (``tests/linkage/labelled_pairs.csv``) that the blocking
  rules generate (the pairs the model decides);
- u (how often it occurs when they do not) and the prior (the share of those pairs that
  report one breach): expectation maximisation over every pair the blocking rules
  generate, with m held: each pair counts in u by its probability of not matching.
  Random pairs would say nothing about two breaches of one organization. Each pair weighs
  by its rows' pair counts (``pair_weights``), so that one organization with hundreds of
  filings does not make u its own.

Levels that no pair shows keep a small pseudo-count, so no weight is infinite."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
from splink import DuckDBAPI, Linker

from breach_warehouse.linkage.model import CITATION_ROWS, settings
from warehouse_api import Warehouse, as_warehouse
from warehouse_api.engine import open_memory

LABELS = Path(__file__).resolve().parents[2] / "tests" / "linkage" / "labelled_pairs.csv"
PSEUDO_COUNT = 0.5
EM_ITERATIONS = 50
CANDIDATE_COLUMNS = (
    "breach_id, source_name, organization_id, name_key, name_stem, jurisdiction_code, "
    "country_code, reported_on, reported_precision, notified_on, notified_precision, "
    "records_exposed, breach_type, "
    "case when organization_id is not null "
    "then count(*) over (partition by organization_id, source_name) end as source_rows, "
    "count(*) over (partition by jurisdiction_code, records_exposed) as count_rows"
)


def read_labels(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# The pages each row cites that at most CITATION_ROWS rows of its organization cite, and
# the words of its description outside the common words, as int_breach_pair_scores
# computes them (macros rare_citations, rare_words).
ROW_EVIDENCE = f"""
with matchable as (
    select * from main_intermediate.int_breach_candidates where is_matchable
),
citations as (
    select
        breach_id,
        coalesce(organization_id, breach_id) as citing_group,
        unnest(cited_urls) as cited_url
    from matchable
),
counted as (
    select *, count(*) over (partition by citing_group, cited_url) as citing_rows
    from citations
),
rare as (
    select breach_id, list(cited_url order by cited_url) as rare_cited_urls
    from counted
    where citing_rows <= {CITATION_ROWS}
    group by breach_id
),
words as (
    select breach_id, unnest(description_words) as word from matchable
),
rare_words as (
    select breach_id, list(word order by word) as rare_words
    from words
    where word not in (select word from main_staging.stg_seeds__linkage_common_words)
    group by breach_id
)
"""


def candidates(warehouse: Warehouse | Path) -> pl.DataFrame:
    """The matchable source rows of a built warehouse (int_breach_candidates)."""
    with as_warehouse(warehouse).connect() as con:
        return con.sql(
            f"{ROW_EVIDENCE} select {CANDIDATE_COLUMNS}, rare.rare_cited_urls, "
            "rare_words.rare_words from matchable left join rare using (breach_id) "
            "left join rare_words using (breach_id)"
        ).pl()


def both_orders(pairs: pl.DataFrame) -> pl.DataFrame:
    """``pairs`` (breach_id_l, breach_id_r and any other columns) with each pair also the
    other way round: a labelled pair names its rows in either order, Splink in its own."""
    swapped = pairs.rename({"breach_id_l": "breach_id_r", "breach_id_r": "breach_id_l"})
    return pl.concat([pairs, swapped.select(pairs.columns)])


def _linker(
    frame: pl.DataFrame, settings_dict: object = None
) -> tuple[Linker, duckdb.DuckDBPyConnection]:
    con = open_memory()
    con.register("candidate_rows", frame.to_arrow())
    con.execute("create table candidates as select * from candidate_rows")
    api = DuckDBAPI(connection=con)
    linker = Linker(api.register("candidates"), settings_dict or settings(), log_level=None)
    return linker, con


def _gamma_columns(model: dict) -> list[str]:
    return [f"gamma_{c['output_column_name']}" for c in model["comparisons"]]


def blocked_gammas(frame: pl.DataFrame) -> pl.DataFrame:
    """The comparison levels of every pair the blocking rule generates."""
    linker, con = _linker(frame)
    with con:
        pairs = linker.inference.predict().as_duckdbpyrelation().pl()
    gammas = [c for c in pairs.columns if c.startswith("gamma_")]
    return pairs.select("breach_id_l", "breach_id_r", *gammas)


def estimate(frame: pl.DataFrame, labels: list[dict[str, str]]) -> dict:
    """The model (a Splink settings dict with m, u and the prior) from ``labels``."""
    linker, con = _linker(frame)
    known = set(frame["breach_id"])
    matches = pl.DataFrame(
        {
            "breach_id_l": [r["left_id"] for r in labels],
            "breach_id_r": [r["right_id"] for r in labels],
            "clerical_match_score": [float(r["is_match"]) for r in labels],
        }
    ).filter(
        pl.col("breach_id_l").is_in(known)
        & pl.col("breach_id_r").is_in(known)
        & (pl.col("clerical_match_score") == 1.0)
    )
    # m among the pairs the model decides: the labelled matches the blocking rules generate
    # (a match they miss is a miss of the blocking, measured by the evaluation).
    gammas = blocked_gammas(frame)
    blocked = both_orders(gammas.select("breach_id_l", "breach_id_r"))
    matches = matches.join(blocked, on=["breach_id_l", "breach_id_r"], how="semi")
    with con:
        con.register("labelled", matches.to_arrow())
        con.execute("create table labelled_matches as select * from labelled")
        linker.training.estimate_m_from_pairwise_labels("labelled_matches")
        model = linker.misc.save_model_to_json()
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level in levels:
            if not level.get("m_probability"):
                level["m_probability"] = PSEUDO_COUNT / (len(matches) + PSEUDO_COUNT * len(levels))
    weights = pair_weights(gammas).to_numpy()
    non_match = weights
    for _ in range(EM_ITERATIONS):
        _set_u(model, gammas, non_match)
        share, posterior = prior(model, gammas, weights)
        model["probability_two_random_records_match"] = share
        non_match = weights * (1 - posterior)
    return model


def _set_u(model: dict, gammas: pl.DataFrame, weights: np.ndarray) -> None:
    """u: each level's share of the pairs, each pair counted by its weight."""
    weighted = gammas.with_columns(pl.Series("weight", weights))
    for comparison, column in zip(model["comparisons"], _gamma_columns(model), strict=True):
        counts = dict(weighted.group_by(column).agg(pl.col("weight").sum()).iter_rows())
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        total = sum(n for g, n in counts.items() if g >= 0) + PSEUDO_COUNT * len(levels)
        for index, level in enumerate(levels):
            value = len(levels) - 1 - index
            level["u_probability"] = (counts.get(value, 0) + PSEUDO_COUNT) / total


def pair_weights(gammas: pl.DataFrame) -> pl.Series:
    """Each pair's weight in u and the prior: half of one over each of its rows' pair
    counts, so every row's candidate pairs weigh one in all. Unweighted, an organization
    with n rows would weigh as n squared: the 700 filings of one agency are 98% of the
    pairs on the real files, and u would describe that agency's filings alone."""
    degree = pl.concat([gammas["breach_id_l"], gammas["breach_id_r"]]).value_counts()
    degree = dict(degree.iter_rows())
    left = gammas["breach_id_l"].replace_strict(degree, return_dtype=pl.Float64)
    right = gammas["breach_id_r"].replace_strict(degree, return_dtype=pl.Float64)
    return (0.5 / left + 0.5 / right).alias("weight")


def bayes_factor_log2(model: dict, gammas: pl.DataFrame) -> pl.Series:
    """Each pair's summed log2 Bayes factors (its match weight before the prior)."""
    total = pl.lit(0.0)
    for comparison, column in zip(model["comparisons"], _gamma_columns(model), strict=True):
        mapping = {-1: 0.0}
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for index, level in enumerate(levels):
            value = len(levels) - 1 - index
            mapping[value] = math.log2(level["m_probability"] / level["u_probability"])
        total = total + pl.col(column).replace_strict(mapping, return_dtype=pl.Float64)
    return gammas.select(total.alias("w"))["w"]


def prior(
    model: dict, gammas: pl.DataFrame, weights: np.ndarray, iterations: int = 200
) -> tuple[float, np.ndarray]:
    """The share of blocked pairs that match, by expectation maximisation (m, u held),
    and each pair's probability of a match."""
    factors = (2.0 ** bayes_factor_log2(model, gammas)).to_numpy()
    share = 0.01
    for _ in range(iterations):
        odds = share / (1 - share) * factors
        posterior = odds / (1 + odds)
        updated = float((weights * posterior).sum() / weights.sum())
        if abs(updated - share) < 1e-9:
            break
        share = updated
    return share, posterior


def write_model(model: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, indent=2, sort_keys=True) + "\n", encoding="utf-8")
