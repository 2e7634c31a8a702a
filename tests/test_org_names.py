"""Organization-name keys are defined once for SQL (macros/org_names.sql,
``normalize_org_name``) and once for Python (``ingest.reference.normalize_org_name``): the
two must give the same key for any name, or a seed's organization would not match the
ingested rows that name it. The macro is rendered as dbt renders it for DuckDB and run in
DuckDB on generated names."""

from __future__ import annotations

import duckdb
import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundwork.paths import PROJECT_DIR, project_vars
from ingest.reference import legal_suffixes, normalize_org_name


class _Adapter:
    """dbt's ``adapter.dispatch`` for the DuckDB adapter: ``duckdb__<macro>`` when the
    module defines one, else ``default__<macro>``."""

    def __init__(self) -> None:
        self.module = None

    def dispatch(self, name: str, _package: str):
        return getattr(self.module, f"duckdb__{name}", None) or getattr(
            self.module, f"default__{name}"
        )


def _macro_sql() -> str:
    adapter = _Adapter()
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals.update(
        adapter=adapter, var=lambda name: project_vars()[name], **{"return": lambda value: value}
    )
    source = (PROJECT_DIR / "macros" / "org_names.sql").read_text(encoding="utf-8")
    module = env.from_string(source).module
    adapter.module = module
    return str(module.normalize_org_name("?")).strip()


@pytest.fixture(scope="module")
def sql_key():
    sql = f"select {_macro_sql()}"
    con = duckdb.connect()

    def key(name: str) -> str | None:
        value = con.execute(sql, [name]).fetchone()[0]
        return value or None  # the function gives None where the macro leaves ''

    yield key
    con.close()


SUFFIXES = legal_suffixes()
WORDS = st.sampled_from(
    [
        "The",
        "the",
        "Anthem",
        "ANTHEM",
        "Société",
        "Générale",
        "Müller",
        "Łódź",
        "Crédit",
        "Agricole",
        "Ørsted",
        "Straße",
        "İstanbul",
        "Москва",
        "Банк",
        "한국",
        "中国",
        "Αθήνα",
        "AT&T",
        "Johnson & Johnson",
        "U.S.",
        "St.",
        "O'Brien",
        "co-op",
        "3M",
        "7-Eleven",
        *SUFFIXES,
        *(s.upper() for s in SUFFIXES),
        *(s.title() + "." for s in SUFFIXES),
    ]
)
SEPARATORS = st.sampled_from([" ", "  ", ", ", ". ", " - ", "/", " (", ") ", "\t", "&", "_"])
NAMES = st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=6).map(
    lambda parts: "".join(word + sep for word, sep in parts)
)
LETTERS = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("Lu", "Ll", "Nd", "Zs", "Po", "Pd", "Ps", "Pe", "Mn"),
        max_codepoint=0x24F,
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES)
def test_function_and_macro_agree_on_organization_like_names(sql_key, name: str) -> None:
    assert normalize_org_name(name) == sql_key(name), name


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=LETTERS)
def test_function_and_macro_agree_on_latin_text(sql_key, name: str) -> None:
    assert normalize_org_name(name) == sql_key(name), name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Anthem, Inc.", "anthem"),
        ("ANTHEM INC", "anthem"),
        ("The Home Depot", "home depot"),
        ("AT&T Inc.", "at and t"),
        ("Société Générale S.A.", "societe generale"),
        ("Банк Москвы", "банк москвы"),
        ("Inc", "inc"),
    ],
)
def test_known_keys(sql_key, name: str, key: str) -> None:
    assert normalize_org_name(name) == key
    assert sql_key(name) == key
