"""The linkage's common words: the description words too frequent to say two rows
describe one event.

``seeds/linkage_common_words.csv`` lists the words (macro description_words) of more than
``MIN_SHARE`` of the matchable rows of the default warehouse (seeds and the bundled
snapshots), with how many rows use them. The linkage compares rows on their other words
(macro rare_words). The list is fixed, written by ``breach-warehouse linkage vocabulary``
like the model by ``linkage train``, so that a row's rare words never depend on the rows of
a later load; ``tests/test_linkage.py`` checks it is what the command computes.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from groundwork.atomic import atomic_write_text
from groundwork.paths import SEEDS_DIR
from warehouse_api import Warehouse, as_warehouse

SEED_PATH = SEEDS_DIR / "linkage_common_words.csv"
MIN_SHARE = 0.01
SEED_SCHEMA = {"word": pl.String, "rows": pl.Int64}


def common_words(warehouse: Warehouse | Path, min_share: float = MIN_SHARE) -> pl.DataFrame:
    """The words (word, rows) of more than ``min_share`` of the matchable rows."""
    with as_warehouse(warehouse).connect() as con:
        return con.sql(
            """
            with matchable as (
                select description_words
                from main_intermediate.int_breach_candidates
                where is_matchable
            ),
            words as (
                select unnest(description_words) as word from matchable
            )
            select word, count(*) as rows
            from words
            group by word
            having count(*) > $min_share * (select count(*) from matchable)
            order by word
            """,
            params={"min_share": min_share},
        ).pl()


def write_seed(words: pl.DataFrame, path: Path = SEED_PATH) -> None:
    atomic_write_text(path, words.write_csv())


def read_seed(path: Path = SEED_PATH) -> pl.DataFrame:
    return pl.read_csv(path, schema=SEED_SCHEMA)
