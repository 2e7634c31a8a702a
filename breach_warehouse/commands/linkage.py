"""`breach-warehouse linkage`: train, render and evaluate the breach linkage model, and
write its common words."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from breach_warehouse.commands.common import add_db_argument, say
from groundwork.paths import resolve_db_path
from warehouse_api import DuckDBWarehouse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "linkage",
        help="train, render or evaluate the breach linkage model (Splink)",
        description=(
            "train: estimate the model from a built warehouse (the real data) and the labelled "
            "pairs (tests/linkage/labelled_pairs.csv), write breach_warehouse/linkage/model.json "
            "and the dbt macros generated from it. render: write the macros from the model. "
            "evaluate: precision and recall of a built warehouse's decisions, and of the model "
            "cross-validated over the labels, and the ceiling of the blocking rules and "
            "comparisons (what any weights could reach). vocabulary: write "
            "seeds/linkage_common_words.csv, the description words of more than one in a "
            "hundred rows of a built warehouse (the default one), which the linkage does not "
            "weigh; train after it."
        ),
    )
    parser.add_argument("action", choices=["train", "render", "evaluate", "vocabulary"])
    add_db_argument(parser)
    parser.add_argument("--labels", type=Path, default=None, help="labelled pairs CSV")
    parser.add_argument("--folds", type=int, default=2, help="cross-validation folds (evaluate)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from breach_warehouse.linkage import evaluate, render, train, vocabulary

    if args.action == "render":
        render.write_macros(render.read_model())
        say(f"Wrote {render.MACRO_PATH}")
        return 0
    warehouse = DuckDBWarehouse(resolve_db_path(args.db))
    if not warehouse.exists():
        print(
            f"linkage {args.action} failed: {warehouse.location}: no warehouse (run refresh)",
            file=sys.stderr,
        )
        return 1
    if args.action == "vocabulary":
        words = vocabulary.common_words(warehouse)
        vocabulary.write_seed(words)
        say(f"Wrote {vocabulary.SEED_PATH} ({words.height} words)")
        return 0
    labels = train.read_labels(args.labels) if args.labels else train.read_labels()
    # Splink warns that the compared columns have no null level (they hold no nulls) and
    # that the run which yields each pair's comparison levels has no trained weights (it
    # needs none: train.estimate sets them). Both by design; the warnings hid the figures.
    logging.getLogger("splink").setLevel(logging.ERROR)
    if args.action == "train":
        model = train.estimate(train.candidates(warehouse), labels)
        train.write_model(model, render.MODEL_PATH)
        render.write_macros(model)
        say(f"Wrote {render.MODEL_PATH} and {render.MACRO_PATH}")
        return 0
    built = evaluate.as_built(warehouse, labels)
    frame = train.candidates(warehouse)
    gammas = train.blocked_gammas(frame)  # once, for the cross-validation and the ceiling
    validated = evaluate.cross_validated(
        warehouse, labels, folds=args.folds, frame=frame, gammas=gammas
    )
    say(built.line("as built (in-sample)"))
    say(validated.line(f"cross-validated ({args.folds} folds)"))
    say(evaluate.ceiling(gammas, labels, folds=args.folds).line())
    return 0
