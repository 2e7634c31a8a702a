"""Precision and recall of the breach linkage against the hand-labelled pairs.

Two figures:

- **as built**: a built warehouse's decisions, pair by pair: two labelled rows are linked
  when they are counted in one breach (an anchor and the rows breach_source_matches counts
  in it). The model was estimated from these labels, so this figure is in-sample.
- **cross-validated**: the labels split into folds; for each fold the model is estimated
  from the other folds' labels and decides that fold's pairs (linked: one organization and
  a match probability at least the threshold). Every label is judged by a model that never
  saw it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from breach_warehouse.linkage import train
from groundwork.paths import project_vars
from warehouse_api import Warehouse, as_warehouse

TARGET_PRECISION = 0.98
TARGET_RECALL = 0.90


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        linked = self.true_positives + self.false_positives
        return self.true_positives / linked if linked else 0.0

    @property
    def recall(self) -> float:
        matches = self.true_positives + self.false_negatives
        return self.true_positives / matches if matches else 0.0

    @property
    def pairs(self) -> int:
        return (
            self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        )

    def line(self, label: str) -> str:
        met = self.precision >= TARGET_PRECISION and self.recall >= TARGET_RECALL
        return (
            f"{label}: precision {self.precision:.3f} (target {TARGET_PRECISION}), recall "
            f"{self.recall:.3f} (target {TARGET_RECALL}) over {self.pairs} labelled pairs "
            f"(tp {self.true_positives}, fp {self.false_positives}, fn {self.false_negatives}, "
            f"tn {self.true_negatives}): {'met' if met else 'NOT met'}"
        )


def score(labels: list[dict[str, str]], linked: set[frozenset[str]]) -> Score:
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for label in labels:
        predicted = frozenset((label["left_id"], label["right_id"])) in linked
        actual = label["is_match"] == "1"
        key = ("t" if predicted == actual else "f") + ("p" if predicted else "n")
        counts[key] += 1
    return Score(counts["tp"], counts["fp"], counts["fn"], counts["tn"])


def breach_of(warehouse: Warehouse | Path) -> dict[str, str]:
    """Every source row's breach in a built warehouse (anchors are their own)."""
    with as_warehouse(warehouse).connect() as con:
        rows = con.sql(
            "select breach_id as source_breach_id, breach_id from main_intermediate.int_breach_candidates "
            "where breach_id not in (select source_breach_id from breach_source_matches) "
            "union all select source_breach_id, breach_id from breach_source_matches"
        ).pl()
    return dict(rows.iter_rows())


def as_built(warehouse: Warehouse | Path, labels: list[dict[str, str]]) -> Score:
    breaches = breach_of(warehouse)
    linked = {
        frozenset((label["left_id"], label["right_id"]))
        for label in labels
        if breaches.get(label["left_id"]) is not None
        and breaches.get(label["left_id"]) == breaches.get(label["right_id"])
    }
    return score(labels, linked)


def fold_of(index: int, folds: int) -> int:
    """The fold of the ``index``-th label: one rule for the cross-validation and the
    held-out ceiling, so that both hold out the same labels."""
    return index % folds


def cross_validated(
    warehouse: Warehouse | Path,
    labels: list[dict[str, str]],
    *,
    folds: int = 2,
    threshold: float | None = None,
    frame: pl.DataFrame | None = None,
    gammas: pl.DataFrame | None = None,
) -> Score:
    """Linked: a probability at least ``threshold`` (the build's var linkage_threshold).
    ``frame`` and ``gammas``: the warehouse's candidates and their blocked pairs' levels,
    when the caller has them (train.candidates, train.blocked_gammas)."""
    if threshold is None:
        threshold = float(project_vars()["linkage_threshold"])
    frame = train.candidates(warehouse) if frame is None else frame
    gammas = train.blocked_gammas(frame) if gammas is None else gammas
    total = Score(0, 0, 0, 0)
    for fold in range(folds):
        held_out = [label for i, label in enumerate(labels) if fold_of(i, folds) == fold]
        model = train.estimate(
            frame, [label for i, label in enumerate(labels) if fold_of(i, folds) != fold]
        )
        share = model["probability_two_random_records_match"]
        weights = train.bayes_factor_log2(model, gammas) + math.log2(share / (1 - share))
        probability = 2.0**weights / (1 + 2.0**weights)
        decided = gammas.select("breach_id_l", "breach_id_r").with_columns(probability.alias("p"))
        linked = {
            frozenset((left, right))
            for left, right in decided.filter(pl.col("p") >= threshold)
            .select("breach_id_l", "breach_id_r")
            .iter_rows()
        }
        part = score(held_out, linked)
        total = Score(
            total.true_positives + part.true_positives,
            total.false_positives + part.false_positives,
            total.false_negatives + part.false_negatives,
            total.true_negatives + part.true_negatives,
        )
    return total


@dataclass(frozen=True)
class Ceiling:
    """What the blocking rules and the comparisons allow, whatever the weights."""

    matches: int  # labelled matches
    blocked_matches: int  # of them, pairs the blocking rules generate
    labelled_vectors: int  # labelled pairs the blocking rules generate
    distinct_vectors: int  # distinct comparison vectors among them
    best: Score  # the labelled pairs, linked by comparison vector (in-sample)
    held_out: Score  # each fold's pairs, linked by the vectors the other folds chose

    def line(self) -> str:
        return (
            f"ceiling of these comparisons: the blocking rules generate {self.blocked_matches} "
            f"of the {self.matches} labelled matches (recall at most "
            f"{self.blocked_matches / self.matches:.3f}); linking whole comparison vectors "
            f"chosen by the labels themselves reaches recall {self.best.recall:.3f} at "
            f"precision {self.best.precision:.3f} (tp {self.best.true_positives}, fp "
            f"{self.best.false_positives}), but the {self.labelled_vectors} labelled pairs "
            f"show {self.distinct_vectors} distinct vectors: chosen on the other folds' "
            f"labels, the vectors link recall {self.held_out.recall:.3f} at precision "
            f"{self.held_out.precision:.3f} (tp {self.held_out.true_positives}, fp "
            f"{self.held_out.false_positives})"
        )


def _purest_vectors(vectors: pl.DataFrame, precision: float) -> tuple[pl.DataFrame, int, int]:
    """The comparison vectors linked at ``precision`` or better when every pair with one
    vector is decided alike: purest first (then largest), each kept only if the running
    precision stays at the target; with the labelled matches and non-matches they link."""
    gammas = [c for c in vectors.columns if c.startswith("gamma_")]
    groups = (
        vectors.group_by(gammas)
        .agg(pl.col("is_match").sum().alias("m"), pl.len().alias("pairs"))
        .with_columns((pl.col("m") / pl.col("pairs")).alias("purity"))
        .sort(["purity", "m", *gammas], descending=True)
    )
    tp = fp = 0
    kept = []
    for row in groups.iter_rows(named=True):
        m, pairs = row["m"], row["pairs"]
        if m and (tp + m) / (tp + pairs + fp) >= precision:
            tp, fp = tp + m, fp + pairs - m
            kept.append({g: row[g] for g in gammas})
    chosen = pl.DataFrame(kept, schema={g: vectors.schema[g] for g in gammas})
    return chosen, tp, fp


def vector_ceiling(
    vectors: pl.DataFrame, matches: int, precision: float = TARGET_PRECISION
) -> Score:
    """The most labelled matches linked at ``precision`` or better when every pair with one
    comparison vector (one level of each comparison) is decided alike, as any weights
    decide them (``_purest_vectors``). In-sample and greedy: when most vectors are shown
    by one labelled pair, it measures how well the labels describe themselves
    (``held_out_vector_ceiling`` measures it on labels the choice never saw).
    ``vectors``: one row per labelled pair that the blocking rules generate, its gamma
    columns and ``is_match`` (0 or 1)."""
    _, tp, fp = _purest_vectors(vectors, precision)
    non_matches = vectors.height - int(vectors["is_match"].sum())
    return Score(tp, fp, matches - tp, non_matches - fp)


def held_out_vector_ceiling(
    vectors: pl.DataFrame, matches: int, folds: int = 2, precision: float = TARGET_PRECISION
) -> Score:
    """``vector_ceiling`` cross-validated: each fold's pairs are linked by the vectors the
    other folds' pairs choose. ``vectors`` as for ``vector_ceiling``, with ``fold``."""
    gammas = [c for c in vectors.columns if c.startswith("gamma_")]
    tp = fp = 0
    for fold in range(folds):
        chosen, _, _ = _purest_vectors(
            vectors.filter(pl.col("fold") != fold).drop("fold"), precision
        )
        linked = vectors.filter(pl.col("fold") == fold).join(chosen, on=gammas, how="semi")
        tp += int(linked["is_match"].sum())
        fp += linked.height - int(linked["is_match"].sum())
    non_matches = vectors.height - int(vectors["is_match"].sum())
    return Score(tp, fp, matches - tp, non_matches - fp)


def ceiling(gammas: pl.DataFrame, labels: list[dict[str, str]], folds: int = 2) -> Ceiling:
    """The labelled matches the blocking rules reach, and the comparisons' ceiling in-sample
    and held out (the folds of ``cross_validated``; ``gammas``: the levels of every blocked
    pair, train.blocked_gammas)."""
    labelled = pl.DataFrame(
        {
            "breach_id_l": [r["left_id"] for r in labels],
            "breach_id_r": [r["right_id"] for r in labels],
            "is_match": [int(r["is_match"]) for r in labels],
            "fold": [fold_of(i, folds) for i in range(len(labels))],
        }
    )
    vectors = gammas.join(
        train.both_orders(labelled), on=["breach_id_l", "breach_id_r"], how="inner"
    ).drop("breach_id_l", "breach_id_r")
    matches = int(labelled["is_match"].sum())
    gamma_columns = [c for c in vectors.columns if c.startswith("gamma_")]
    return Ceiling(
        matches=matches,
        blocked_matches=int(vectors["is_match"].sum()),
        labelled_vectors=vectors.height,
        distinct_vectors=vectors.select(gamma_columns).unique().height,
        best=vector_ceiling(vectors.drop("fold"), matches),
        held_out=held_out_vector_ceiling(vectors, matches, folds),
    )
