"""The breach linkage model: which source rows report the same breach.

A Fellegi-Sunter model (Splink): two rows of one organization, of two organizations
whose names share a stem, or of two organizations that state one rare count to the unit in
one jurisdiction within half a year (the blocking rules), are compared on their names and on
what an event leaves in every source: when it was reported (at the precision each source
gives), how many records it exposed, where, what kind of breach, and whether the two rows
come from one source or two (and how many rows their organizations have in each, or
whether one source lists one event twice), the pages both cite and the uncommon words of
their descriptions. Each comparison has levels; Splink turns the levels' m and u
probabilities into match weights, and the generated SQL
(``breach_warehouse.linkage.render``) scores every pair inside the dbt build, on DuckDB and
Spark alike.

Column names are those of ``int_breach_candidates``; a pair's columns carry ``_l`` and
``_r``. Conditions are written in DuckDB SQL and Splink translates them (sqlglot) for the
other engines.
"""

from __future__ import annotations

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator
from splink.internals.comparison_creator import ComparisonCreator

DIALECT = "duckdb"  # the dialect the conditions below are written in
# The blocking rules: which pairs the model decides (every other pair stays unlinked). Two
# rows of one organization, or of two organizations whose names share a stem (macro
# organization_name_stem: one row's stem is the other's whole name key, both ways round as
# Splink orders each pair), reported at most MAX_YEARS_APART years apart (or undated); and
# two rows of different organizations, whatever their names, that state one count to the
# unit (a hundred or more, not a round hundred) in one jurisdiction, reported at most
# SAME_COUNT_DAYS days apart, when at most SAME_COUNT_ROWS rows of that jurisdiction state
# that count (count_rows): a business associate's filing and its client's, an agency's and
# its hospital's. The last bound keeps the pairs linear in the rows at any size.
# int_breach_pair_scores generates the same pairs (vars linkage_max_years_apart,
# linkage_same_count_days and linkage_same_count_rows; macros rare_counts and
# same_count_near).
MAX_YEARS_APART = 2
SAME_COUNT_DAYS = 120
SAME_COUNT_ROWS = 3
# A page two rows cite is weighed when at most CITATION_ROWS rows of each row's
# organization cite it (var linkage_citation_rows; macro rare_citations).
CITATION_ROWS = 3
_NEAR = (
    f"(abs(year(l.reported_on) - year(r.reported_on)) <= {MAX_YEARS_APART} "
    "or l.reported_on is null or r.reported_on is null)"
)
BLOCKS = [
    f"l.organization_id = r.organization_id and {_NEAR}",
    f"l.name_stem = r.name_key and l.organization_id != r.organization_id and {_NEAR}",
    f"r.name_stem = l.name_key and l.organization_id != r.organization_id and {_NEAR}",
    "l.records_exposed = r.records_exposed and l.jurisdiction_code = r.jurisdiction_code "
    f"and l.organization_id != r.organization_id and l.count_rows <= {SAME_COUNT_ROWS} "
    "and l.records_exposed >= 100 and l.records_exposed % 100 != 0 "
    f"and abs(date_diff('day', l.reported_on, r.reported_on)) <= {SAME_COUNT_DAYS}",
]

# The dates the "reported" levels compare: the two reported dates, and each side's
# notification date (notified_on: where a source states when the breach was made known
# apart from its reported date, as VCDB beside its incident date) against the other's
# reported date. A level holds when it holds for any of them: the pair's closest dates.
# Two notification dates (two VCDB rows) are not compared: with them, cross-validated
# precision 0.976 against 0.983 without (bench/RESULTS.md).
_DATE_PAIRS = (("reported", "reported"), ("notified", "reported"), ("reported", "notified"))


def _dates(condition: str) -> str:
    """``condition`` (with {a} and {b}: the left and right date, e.g. "{a}_on_l") for any
    of the pair's compared dates."""
    return (
        "("
        + " or ".join(f"coalesce({condition.format(a=a, b=b)}, false)" for a, b in _DATE_PAIRS)
        + ")"
    )


# Two dates ({a} on the left, {b} on the right: "reported" or "notified") in days, in
# years, and whether either is known only to its year.
_ANY_DAYS = 'abs(date_diff(\'day\', "{a}_on_l", "{b}_on_r"))'
_ANY_YEARS = 'abs(year("{a}_on_l") - year("{b}_on_r"))'
_ANY_TO_YEAR = "(\"{a}_precision_l\" = 'year' or \"{b}_precision_r\" = 'year')"
_DAYS = _ANY_DAYS.format(a="reported", b="reported")
_TO_YEAR = _ANY_TO_YEAR.format(a="reported", b="reported")
_RATIO = (
    'greatest("records_exposed_l", "records_exposed_r") '
    '<= {} * least("records_exposed_l", "records_exposed_r")'
)


_SAME_COUNT = '"records_exposed_l" = "records_exposed_r"'
_ALIKE = (
    '(instr("name_key_l", "name_key_r") > 0 or instr("name_key_r", "name_key_l") > 0 '
    'or levenshtein("name_key_l", "name_key_r") <= 2)'
)
# A count stated to the unit (not a round hundred): two unrelated events rarely share one.
_PRECISE = '"records_exposed_l" >= 100 and "records_exposed_l" % 100 != 0'
# Rows of two organizations with unrelated names are compared only for one count in one
# jurisdiction (the last blocking rule): the name comparison weighs that count with the
# names, and the count and the place are not weighed again. Names alike: one contains the
# other, or two edits apart ("Lake Pulmonary Critical" and "... Care", "Wallgreens").
_RELATED_NAMES = (
    'coalesce("organization_id_l" = "organization_id_r" or "name_stem_l" = "name_key_r" '
    f'or "name_stem_r" = "name_key_l" or {_ALIKE}, false)'
)
_OTHER_NAMES = f"not {_RELATED_NAMES}"
_TWO_SOURCES = '"source_name_l" != "source_name_r"'


def _level(condition: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(condition, label, DIALECT)


def _null(condition: str, label: str = "unknown on a side") -> cll.CustomLevel:
    return _level(condition, label).configure(is_null_level=True)


def comparisons() -> list[ComparisonCreator]:
    """The comparisons, each level a fact about the pair (the labels say which)."""
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            _level('"organization_id_l" = "organization_id_r"', "one organization"),
            _level(
                '"name_stem_l" = "name_key_r" or "name_stem_r" = "name_key_l"',
                "one name is the other's stem",
            ),
            _level(_ALIKE, "one name contains the other, or two edits apart"),
            _level(
                f"{_SAME_COUNT} and {_PRECISE} and {_DAYS} <= 45",
                "other names, the same count, not a round hundred, within 45 days",
            ),
            # A second source's record trails the event by months; one source's two
            # filings of one event under two names come within weeks of each other.
            _level(
                f"{_SAME_COUNT} and {_PRECISE} and {_TWO_SOURCES}",
                "other names, the same count, not a round hundred, two sources",
            ),
            cll.ElseLevel(),
        ],
    )
    date = cl.CustomComparison(
        output_column_name="reported",
        comparison_levels=[
            _null('"reported_on_l" is null or "reported_on_r" is null'),
            _level(_dates(f"not {_ANY_TO_YEAR} and {_ANY_DAYS} <= 7"), "within a week"),
            _level(_dates(f"not {_ANY_TO_YEAR} and {_ANY_DAYS} <= 45"), "within 45 days"),
            _level(_dates(f"not {_ANY_TO_YEAR} and {_ANY_DAYS} <= 400"), "within 400 days"),
            _level(
                _dates(f"{_ANY_TO_YEAR} and {_ANY_YEARS} = 0"),
                "the same year (a side known to the year)",
            ),
            _level(_dates(f"{_ANY_YEARS} <= 1"), "a year apart"),
            cll.ElseLevel(),
        ],
    )
    records = cl.CustomComparison(
        output_column_name="records",
        comparison_levels=[
            _null(
                f'"records_exposed_l" is null or "records_exposed_r" is null or {_OTHER_NAMES}',
                "unknown on a side, or weighed with the names",
            ),
            _level(f"{_SAME_COUNT} and {_PRECISE}", "the same count, not a round hundred"),
            # One source states one event's count once: two of its rows with counts that
            # differ, however little, are two events.
            _level(
                'least("records_exposed_l", "records_exposed_r") >= 1000 and '
                f"({_SAME_COUNT} or ({_TWO_SOURCES} and {_RATIO.format(1.01)}))",
                "the same count, or within 1% from two sources, a thousand or more",
            ),
            _level(_RATIO.format(1.01), "within 1%"),
            _level(_RATIO.format(1.2), "within 20%"),
            _level(_RATIO.format(3), "within 3 times"),
            _level(_RATIO.format(30), "within 30 times"),
            cll.ElseLevel(),
        ],
    )
    place = cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            _null(
                f'"country_code_l" is null or "country_code_r" is null or {_OTHER_NAMES}',
                "unknown on a side, or weighed with the names",
            ),
            _level('"jurisdiction_code_l" = "jurisdiction_code_r"', "the same jurisdiction"),
            _level('"country_code_l" = "country_code_r"', "the same country"),
            cll.ElseLevel(),
        ],
    )
    kind = cl.CustomComparison(
        output_column_name="breach_type",
        comparison_levels=[
            _null(
                '"breach_type_l" is null or "breach_type_r" is null '
                "or \"breach_type_l\" = 'unknown' or \"breach_type_r\" = 'unknown'"
            ),
            _level('"breach_type_l" = "breach_type_r"', "the same breach type"),
            cll.ElseLevel(),
        ],
    )
    # One comparison, not two: whether the rows come from two sources and how many rows
    # their organizations have in each are not independent facts (a pair of two sources'
    # only rows is the strongest), and two comparisons would count the evidence twice.
    sources = cl.CustomComparison(
        output_column_name="sources",
        comparison_levels=[
            _level(
                f'{_TWO_SOURCES} and "source_rows_l" = 1 and "source_rows_r" = 1',
                "two sources, each row its organization's only one in its source",
            ),
            _level(
                f'{_TWO_SOURCES} and greatest("source_rows_l", "source_rows_r") <= 3',
                "two sources, three rows or fewer in each",
            ),
            _level(_TWO_SOURCES, "two sources"),
            # One source listing one event twice (VCDB's recoded incidents, a re-filing).
            _level(
                '"reported_on_l" = "reported_on_r" and "reported_precision_l" = "reported_precision_r" '
                f'and not {_TO_YEAR} and "jurisdiction_code_l" = "jurisdiction_code_r" '
                'and ("records_exposed_l" = "records_exposed_r" or "records_exposed_l" is null '
                f'or "records_exposed_r" is null) and {_RELATED_NAMES}',
                "one source: the same day or month, place and count (or a count unknown)",
            ),
            cll.ElseLevel(),
        ],
    )
    # The pages the rows cite (a news article, the organization's notice) that few rows of
    # their organizations cite: two sources citing one article, or one source citing it
    # twice, most likely report one event.
    citation = cl.CustomComparison(
        output_column_name="citation",
        comparison_levels=[
            _null(
                '"rare_cited_urls_l" is null or "rare_cited_urls_r" is null',
                "no page on a side that few rows cite",
            ),
            cll.ArrayIntersectLevel("rare_cited_urls", min_intersection=1).configure(
                label_for_charts="both cite one page"
            ),
            cll.ElseLevel().configure(label_for_charts="both cite pages, none in common"),
        ],
    )
    # The words of the two descriptions that few descriptions use (outside the seed
    # linkage_common_words): an event's details ("skimmers", "mongodb", "70gb").
    words = cl.CustomComparison(
        output_column_name="words",
        comparison_levels=[
            _null(
                '"rare_words_l" is null or "rare_words_r" is null',
                "no uncommon word on a side",
            ),
            *(
                cll.ArrayIntersectLevel("rare_words", min_intersection=shared).configure(
                    label_for_charts=label
                )
                for shared, label in (
                    (3, "three uncommon words or more in common"),
                    (2, "two uncommon words in common"),
                )
            ),
            # One word in common is left with none: alone it linked different events of
            # one organization (cross-validated precision 0.979 with it, 0.989 without).
            cll.ElseLevel().configure(label_for_charts="one uncommon word in common, or none"),
        ],
    )
    return [name, date, records, place, kind, sources, citation, words]


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="breach_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=BLOCKS,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )
