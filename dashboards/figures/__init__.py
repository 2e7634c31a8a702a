"""Pure figure builders: a small polars frame in, a plotly figure out. No data access.

Every chart has a title, axis titles with units and hover text with the exact figure and
its unit. A selection without data gets a figure that says so instead of empty axes. One
module per page (``compare``, ``breaches``, ``fines``, ``actions``) on what they share
(``base``).
"""

from dashboards.colors import NEUTRAL
from dashboards.figures.actions import actions_timeline
from dashboards.figures.base import (
    ACTION_TYPES,
    BREACH_TYPES,
    NO_DATA,
    category_style,
    empty_figure,
    listing_title,
    message_of,
)
from dashboards.figures.breaches import (
    breach_types_over_time,
    breaches_by_data_type,
    breaches_largest,
)
from dashboards.figures.compare import NO_POPULATION, compare_bar, compare_line, compare_map
from dashboards.figures.fines import fines_by_authority, fines_history, fines_timeline

__all__ = [
    "ACTION_TYPES",
    "BREACH_TYPES",
    "NEUTRAL",
    "NO_DATA",
    "NO_POPULATION",
    "actions_timeline",
    "breach_types_over_time",
    "breaches_by_data_type",
    "breaches_largest",
    "category_style",
    "compare_bar",
    "compare_line",
    "compare_map",
    "empty_figure",
    "fines_by_authority",
    "fines_history",
    "fines_timeline",
    "listing_title",
    "message_of",
]
