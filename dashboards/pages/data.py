"""Data: what the warehouse holds, and the filtered data behind any chart as CSV.

Row counts, date ranges and citations come from fact_rows_by_mart_source; the preview
shows data.PREVIEW_ROWS rows from the listing marts and the CSV download holds at most
data.DOWNLOAD_ROWS rows (the page says so and names the commands for everything)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import dash
from dash import Input, Output, callback, dcc, html

from dashboards import components as ui
from dashboards import data, figures, filters, sources
from dashboards.context import db_path
from dashboards.datasets import DEFAULT, dataset_of
from dashboards.page_factory import PageSpec

PAGE = "data"
FILTERS = PageSpec(
    PAGE,
    (
        filters.choice(
            "dataset",
            "Data",
            {key: d.label for key, d in data.DATASETS.items()},
            DEFAULT,
            dropdown=True,
            width="2",
        ),
        filters.jurisdictions(),
        filters.years(),
    ),
    rows=(("dataset", "jurisdictions"), ("years",)),
)
SPEC = FILTERS.params
PREVIEW_ROWS = data.PREVIEW_ROWS
DOWNLOAD_NOTE = (
    f"The CSV holds at most {data.DOWNLOAD_ROWS:,} rows, in the order the preview shows; "
    "for every row use `breach-warehouse extract` or `breach-warehouse sql`."
)

RECONCILIATION_NOTE = (
    "One row per load of a public source (source_reconciliation): every row read is "
    "loaded, quarantined with its reason (the quarantine mart) or counted as an exact "
    "duplicate, and the records the rows state balance the same way. Excluded rows are "
    "loaded but not counted (spam lists, fabricated breaches, undated fines); merged "
    "records are counted in another source's report of the same breach."
)
RECONCILIATION_COLUMNS = {
    "source_name": "Source",
    "source_file": "File",
    "as_of": "As of",
    "rows_read": "Rows read",
    "rows_loaded": "Loaded",
    "rows_quarantined": "Quarantined",
    "rows_duplicate": "Duplicates",
    "rows_excluded": "Excluded",
    "records_unit": "Records are",
    "records_read": "Records read",
    "records_loaded": "Records loaded",
    "records_quarantined": "Records quarantined",
    "records_merged": "Records merged",
    "amount_read": "Amount read",
    "amount_currency": "Currency",
}

dash.register_page(__name__, path="/data", name="Data", title="Data", order=4)


def layout(**query: Any) -> html.Div:
    values = FILTERS.parse(query)
    return html.Div(
        [
            ui.header(
                "Data",
                "What the warehouse holds, when it was last refreshed, the sources it cites, "
                "and the filtered data behind every chart as CSV.",
            ),
            html.Div(id=f"{PAGE}-summary", className="summary"),
            html.H3("Download the data behind a chart", className="section-title"),
            *FILTERS.filter_rows(
                values,
                html.Button(
                    "Download CSV", id=f"{PAGE}-download-button", className="download-button"
                ),
                dcc.Download(id=f"{PAGE}-download"),
            ),
            html.P(DOWNLOAD_NOTE, id=f"{PAGE}-download-note", className="intro"),
            html.Div(id=f"{PAGE}-preview-message", className="intro"),
            ui.table(f"{PAGE}-preview", page_size=10),
            html.H3("Rows per mart", className="section-title"),
            ui.table(f"{PAGE}-marts", page_size=20),
            html.H3("Sources", className="section-title"),
            ui.table(f"{PAGE}-sources", page_size=15),
            html.H3("Loads: where every row read went", className="section-title"),
            html.P(RECONCILIATION_NOTE, className="intro"),
            ui.table(f"{PAGE}-reconciliation", page_size=15),
            *FILTERS.state(),
        ]
    )


def _card(label: str, value: str, detail: str = "") -> html.Div:
    return html.Div(
        [
            html.Div(label, className="field-label"),
            html.Div(value, className="value"),
            html.Small(detail),
        ],
        className="card",
    )


def _failed_run_card(refresh: dict[str, Any]) -> list[html.Div]:
    """A warning card when the latest refresh failed (the data shown is the previous one)."""
    if not refresh.get("last_run_failed"):
        return []
    reason = (refresh.get("last_run_error") or "").strip().splitlines()
    detail = f"run {refresh.get('last_run_id')}" + (f": {reason[0]}" if reason else "")
    card = _card("Latest run FAILED", _when(refresh.get("last_run_at")), detail)
    card.className = "card card-failed"
    card.id = f"{PAGE}-failed-run"
    return [card]


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    return str(value) if value is not None else "unknown"


@callback(
    Output(f"{PAGE}-jurisdictions", "options"),
    Output(f"{PAGE}-summary", "children"),
    Output(f"{PAGE}-marts", "data"),
    Output(f"{PAGE}-marts", "columns"),
    Output(f"{PAGE}-sources", "data"),
    Output(f"{PAGE}-sources", "columns"),
    Output(f"{PAGE}-reconciliation", "data"),
    Output(f"{PAGE}-reconciliation", "columns"),
    Input(f"{PAGE}-init", "data"),
)
def fill_summary(_init: int) -> tuple[Any, ...]:
    path = db_path()
    refresh = data.last_refresh(path)
    ranges = data.fact_date_ranges(path)
    first = min((d for d in ranges["first_date"].to_list() if d is not None), default=None)
    last = max((d for d in ranges["last_date"].to_list() if d is not None), default=None)
    if refresh["source"] == "refresh_runs":
        detail = f"run {refresh.get('run_id')}, {refresh.get('status')}"
        if refresh.get("error"):
            detail += f": {refresh['error']}"
    else:
        detail = "time the warehouse file was published"
    counts = data.mart_row_counts(path)
    cards = [
        _card(
            "Last refresh", _when(refresh.get("finished_at") or refresh.get("started_at")), detail
        ),
        *_failed_run_card(refresh),
        _card("Facts dated", f"{first} to {last}", "breaches, penalties and regulatory actions"),
        _card(
            "Fact rows",
            f"{int(counts.filter(counts['mart'].str.starts_with('fct_'))['row_count'].sum()):,}",
            str(path.name),
        ),
    ]
    mart_rows, mart_columns = ui.table_payload(counts, {"mart": "Mart", "row_count": "Rows"})
    source_rows, source_columns = ui.table_payload(
        data.sources(path),
        {
            "source_id": "Source id",
            "source": "Title",
            "publisher": "Publisher",
            "source_type": "Type",
            "published_on": "Published",
            "cited_by": "Rows citing it",
        },
    )
    loads, load_columns = ui.table_payload(sources.reconciliation(path), RECONCILIATION_COLUMNS)
    options = ui.jurisdiction_options(data.jurisdictions(path))
    return (
        options,
        cards,
        mart_rows,
        mart_columns,
        source_rows,
        source_columns,
        loads,
        load_columns,
    )


sync_url = FILTERS.register_url_sync()


@callback(
    Output(f"{PAGE}-preview", "data"),
    Output(f"{PAGE}-preview", "columns"),
    Output(f"{PAGE}-preview-message", "children"),
    *FILTERS.inputs(),
)
def update_preview(name: str, codes: list[str] | None, years: list[int]) -> tuple[Any, ...]:
    """The first PREVIEW_ROWS rows of the dataset and how many it has (from the marts)."""
    path, chosen = db_path(), codes or []
    total = data.dataset_rows(path, name, chosen, years)
    if total == 0:
        return [], [], figures.NO_DATA
    shown = data.dataset_preview(path, name, chosen, years)
    rows, columns = ui.table_payload(shown, {c: c for c in shown.columns}, markdown=())
    order = dataset_of(name).order
    message = f"{total:,} rows, {order}; the first {shown.height:,} below."
    if total > data.DOWNLOAD_ROWS:
        message += f" The CSV holds the first {data.DOWNLOAD_ROWS:,}."
    return rows, columns, message


@callback(
    Output(f"{PAGE}-download", "data"),
    Input(f"{PAGE}-download-button", "n_clicks"),
    *FILTERS.states(),
    prevent_initial_call=True,
)
def download(
    _clicks: int | None, name: str, codes: list[str] | None, years: list[int]
) -> dict[str, Any]:
    frame = data.dataset(db_path(), name, codes or [], years)  # at most DOWNLOAD_ROWS rows
    low, high = min(years), max(years)
    label = re.sub(r"[^A-Za-z0-9-]+", "", "-".join(codes or [])) or "none"
    filename = f"{name}_{label}_{low}-{high}.csv"
    return dcc.send_string(frame.write_csv(), filename)
