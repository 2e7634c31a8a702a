"""The data behind each page's charts, and the breach linkage's decisions (the pairs left
for review, the rows counted in another's breach), that the Data page previews and
downloads as CSV:
one :class:`Dataset` per dataset, holding all there is to know about it. Its queries are
files of ``dashboards/queries``; ``dashboards.data`` runs them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str  # as the Data page offers it
    order: str  # the order of its preview and download, as the Data page states it
    rows: str  # query: the download, its first $row_limit rows in that order
    count: str  # query: how many rows the filters give (column n), from the aggregates
    # query: the preview, from a listing mart where the rows are facts; else `rows`
    preview: str | None = None
    preview_drop: tuple[str, ...] = ()  # columns the preview query has for the charts only
    fixed: Mapping[str, Any] = field(default_factory=dict)  # parameters no filter sets


DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        Dataset(
            "metrics",
            "Jurisdiction-year metrics (Compare page)",
            "by jurisdiction and year",
            rows="jurisdiction_metrics",
            count="jurisdiction_metrics_count",
            fixed={"levels": []},
        ),
        Dataset(
            "breaches",
            "Breaches (Breaches page)",
            "largest first",
            rows="breaches",
            count="breaches_count",
            preview="largest_breaches",
            fixed={"include_uncounted": True},
        ),
        Dataset(
            "breach_records",
            "Records by data type, per jurisdiction and year (Breaches page)",
            "largest first",
            rows="breach_records",
            count="breach_records_count",
        ),
        Dataset(
            "penalties",
            "Fines & settlements, with history (Fines page)",
            "largest current decisions first, each followed by its earlier amounts",
            rows="penalties",
            count="penalties_count",
            preview="largest_penalties",
            preview_drop=("chain_id", "current_penalty_id", "versions_back"),
            fixed={"currency": "USD", "include_history": True},
        ),
        Dataset(
            "link_review",
            "Breach linkage: pairs for review (breach_link_review)",
            "the most probable first",
            rows="link_review",
            count="link_review_count",
        ),
        Dataset(
            "source_matches",
            "Breach linkage: source rows counted in another's breach (breach_source_matches)",
            "by breach",
            rows="source_matches",
            count="source_matches_count",
        ),
        Dataset(
            "actions",
            "Regulatory actions and organizations named (Actions page)",
            "latest first",
            rows="actions",
            count="action_count",
            preview="latest_actions",
            fixed={"types": []},
        ),
    )
}
DEFAULT = "metrics"


def dataset_of(name: str) -> Dataset:
    """The dataset called ``name``; the default one for a name the registry lacks."""
    return DATASETS.get(name, DATASETS[DEFAULT])
