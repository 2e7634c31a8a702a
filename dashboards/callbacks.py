"""Callbacks every filtered page registers the same way."""

from __future__ import annotations

from collections.abc import Callable

from dash import Input, Output, callback

from dashboards import components as ui
from dashboards import data
from dashboards.context import db_path


def register_jurisdiction_options(page: str) -> Callable[[int], list[dict[str, str]]]:
    """Fill ``<page>-jurisdictions`` with every jurisdiction once the page has loaded."""

    @callback(Output(f"{page}-jurisdictions", "options"), Input(f"{page}-init", "data"))
    def fill_jurisdictions(_init: int) -> list[dict[str, str]]:
        return ui.jurisdiction_options(data.jurisdictions(db_path()))

    return fill_jurisdictions
