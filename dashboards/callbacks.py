"""Callbacks every filtered page registers the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import Input, Output, callback, html

from dashboards import components as ui
from dashboards import coverage, data, groups, sources
from dashboards.context import db_path


def register_jurisdiction_options(page: str) -> Callable[[int], list[dict[str, str]]]:
    """Fill ``<page>-jurisdictions`` with every jurisdiction once the page has loaded."""

    @callback(Output(f"{page}-jurisdictions", "options"), Input(f"{page}-init", "data"))
    def fill_jurisdictions(_init: int) -> list[dict[str, str]]:
        return ui.jurisdiction_options(data.jurisdictions(db_path()))

    return fill_jurisdictions


def register_selection_coverage(page: str, metric: str) -> Callable[..., list[Any]]:
    """Fill ``<page>-coverage`` with the sources behind the page's selection."""

    @callback(
        Output(f"{page}-coverage", "children"),
        Input(f"{page}-jurisdictions", "value"),
        Input(f"{page}-years", "value"),
    )
    def fill_coverage(codes: list[str] | None, years: list[int]) -> list[Any]:
        path, chosen = db_path(), codes or []
        names = sources.jurisdiction_names(path)
        frame = sources.coverage(path, chosen, years, metric)
        return coverage.selection_coverage(frame, chosen, names, metric, years)

    return fill_coverage


GROUP_NOTE = (
    "An organization's breaches and fines counted in its group: a subsidiary in its parent "
    "company's (Meta Platforms Ireland in Meta's), as seeds/organization_parents records them."
)
GROUP_COLUMNS = {
    "breaches": {
        "group_name": "Organization group",
        "breaches": "Breaches",
        "records_exposed": "Records exposed",
    },
    "penalties": {
        "group_name": "Organization group",
        "penalties": "Decisions",
        "penalties_usd": "USD",
        "penalties_eur": "EUR",
    },
}


def group_section(page: str, title: str) -> list[Any]:
    """The table of the selection's largest organization groups, which
    :func:`register_group_table` fills."""
    return [
        html.H3(title, className="section-title"),
        html.P(GROUP_NOTE, className="intro"),
        ui.table(f"{page}-groups", page_size=15),
    ]


def register_group_table(page: str, kind: str) -> Callable[..., tuple[Any, Any]]:
    """Fill ``<page>-groups`` with the selection's largest organization groups (a
    subsidiary counted in its parent company's group)."""
    inputs = [Input(f"{page}-jurisdictions", "value"), Input(f"{page}-years", "value")]
    if kind == "penalties":
        inputs.append(Input(f"{page}-currency", "value"))

    @callback(Output(f"{page}-groups", "data"), Output(f"{page}-groups", "columns"), *inputs)
    def fill_groups(
        codes: list[str] | None, years: list[int], currency: str = "USD"
    ) -> tuple[Any, Any]:
        order = "breaches" if kind == "breaches" else f"penalties_{currency.lower()}"
        frame = groups.group_totals(db_path(), codes or [], years, order)
        return ui.table_payload(frame, GROUP_COLUMNS[kind])

    return fill_groups
