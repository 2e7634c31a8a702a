"""The dashboard's SQL: one ``<name>.sql`` file per query in this folder.

A file is a Jinja template of fixed SQL only: it may import the shared fragments of
``_selection.sql`` (the jurisdiction/year selection every filtered chart shares, the
action-type filter) and ``_columns.sql`` (column lists several queries share); it is
rendered once. Values never enter the text: they are DuckDB named parameters
(``$codes``, ``$first_year``, ...), bound by :meth:`Query.bind` from the values a caller
passes, of which each query takes the ones it names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from dashboards.metrics import METRIC_COLUMNS

QUERY_DIR = Path(__file__).resolve().parent
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(QUERY_DIR),
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.globals["METRIC_COLUMNS"] = METRIC_COLUMNS


@dataclass(frozen=True)
class Query:
    """A query file rendered, and the named parameters its SQL takes."""

    name: str
    sql: str
    params: tuple[str, ...]

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters of this query from ``values`` (which may hold more)."""
        missing = [p for p in self.params if p not in values]
        if missing:
            raise KeyError(f"dashboards/queries/{self.name}.sql needs {', '.join(missing)}")
        return {p: values[p] for p in self.params}


def names() -> list[str]:
    """Every query of the folder (fragments, whose names start with _, excepted)."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql") if not p.name.startswith("_"))


@cache
def load(name: str) -> Query:
    """The query of ``dashboards/queries/<name>.sql``."""
    sql = _templates.get_template(f"{name}.sql").render().strip()
    found = _PARAMETER.findall(_COMMENT.sub("", sql))
    return Query(name, sql, tuple(dict.fromkeys(found)))
