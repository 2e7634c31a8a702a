"""End to end: the served dashboard in headless Chromium (Debian's chromium and
chromium-driver; no browser download). Each page loads, a filter change updates its
chart, and neither the page nor the server log shows a callback error."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    if os.environ.get("CI"):
        pytest.fail(
            f"{CHROMIUM} / {CHROMEDRIVER} missing under CI: install Debian's chromium and "
            "chromium-driver (make system-deps)",
            pytrace=False,
        )
    pytest.skip(
        "Debian chromium / chromium-driver not installed (make system-deps)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

WAIT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(
    warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """`breach-warehouse serve` on a copy of the seed warehouse and a free port."""
    root = tmp_path_factory.mktemp("serve")
    db = root / "served.duckdb"
    shutil.copy(warehouse_path, db)
    port = free_port()
    log_path = root / "server.log"
    command = [
        str(Path(sys.executable).with_name("breach-warehouse")),
        "serve", "--db", str(db), "--port", str(port), "--debug",
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield {"url": url, "log": log_path}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1400,1700",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: webdriver.Chrome, check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            result = check()
        except Exception:  # the element may be re-rendered while we look
            result = None
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what} on {driver.current_url}")


def graph_state(driver: webdriver.Chrome, graph_id: str) -> dict[str, Any] | None:
    """Title, subtitle, trace names, axis type and values of a rendered dcc.Graph, or None
    before it draws."""
    return driver.execute_script(
        """
        const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
        if (!gd || !gd.layout || !gd.data || !document.querySelector('#' + arguments[0] + ' .main-svg')) return null;
        const title = gd.layout.title && (gd.layout.title.text || gd.layout.title);
        if (!title) return null;
        return {title: String(title), names: gd.data.map(t => t.name || ''),
                xtype: (gd.layout.xaxis && gd.layout.xaxis.type) || '',
                x: gd.data.flatMap(t => Array.from(t.x || [])).map(String),
                y: gd.data.flatMap(t => Array.from(t.y || [])),
                subtitle: (gd.layout.title.subtitle && gd.layout.title.subtitle.text) || '',
                annotations: (gd.layout.annotations || []).map(a => a.text)};
        """,
        graph_id,
    )


def assert_no_callback_errors(driver: webdriver.Chrome, server: dict[str, Any]) -> None:
    errors = driver.find_elements(By.CSS_SELECTOR, ".dash-fe-error__title, .dash-fe-error-item")
    assert not errors, [e.text for e in errors]
    button = driver.find_elements(By.ID, "dash-debug-menu__errors-button")
    assert button, "dev tools not shown (serve --debug)"
    assert not any(ch.isdigit() for ch in button[0].text), f"dev tools report: {button[0].text}"
    log = server["log"].read_text()
    assert "Traceback" not in log and "Exception on" not in log, log


def find(driver: webdriver.Chrome, by: str, selector: str) -> Any:
    """The element, once it is rendered (pages render their controls after the graph)."""
    return wait_for(
        driver, lambda: (found := driver.find_elements(by, selector)) and found[0], selector
    )


def click_option(driver: webdriver.Chrome, component_id: str, value: str) -> None:
    find(
        driver, By.XPATH, f"//*[@id='{component_id}']//input[@value='{value}']/ancestor::label"
    ).click()


def set_year(driver: webdriver.Chrome, component_id: str, which: str, year: int) -> None:
    box = find(driver, By.CSS_SELECTOR, f"#{component_id} .dash-range-slider-{which}-input")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(year), Keys.TAB)


def open_page(driver: webdriver.Chrome, url: str, graph_id: str) -> dict[str, Any]:
    driver.get(url)
    return wait_for(driver, lambda: graph_state(driver, graph_id), f"{graph_id} to draw")


def test_compare_page(browser, server, tmp_path: Path) -> None:
    first = open_page(browser, server["url"] + "/", "compare-line")
    assert set(first["names"]) == {"United States", "China", "United Kingdom", "European Union"}
    assert "Regulatory actions per year" in first["title"]
    wait_for(
        browser, lambda: "metric=regulatory_actions" in browser.current_url, "filters in the URL"
    )
    wait_for(browser, lambda: graph_state(browser, "compare-map"), "the world map")
    click_option(browser, "compare-mode", "cumulative")
    updated = wait_for(
        browser,
        lambda: (s := graph_state(browser, "compare-line")) and "cumulative" in s["title"] and s,
        "the line chart to show the cumulative metric",
    )
    assert set(updated["names"]) == set(first["names"])
    wait_for(
        browser, lambda: "mode=cumulative" in browser.current_url, "the URL to follow the filter"
    )
    browser.save_screenshot(str(tmp_path / "compare.png"))
    assert_no_callback_errors(browser, server)

    # A bookmarked view opens as it was shared.
    shared = open_page(
        browser,
        server["url"] + "/?j=US,GB&metric=penalties_usd&mode=total&from=2015&to=2026",
        "compare-line",
    )
    assert set(shared["names"]) == {"United States", "United Kingdom"} and "USD" in shared["title"]
    # An empty selection says so instead of drawing nothing.
    empty = open_page(browser, server["url"] + "/?j=&metric=breaches", "compare-line")
    assert "No data for this selection" in empty["annotations"]
    assert_no_callback_errors(browser, server)


def test_constant_dollar_toggle_on_compare_and_fines(browser, server, tmp_path: Path) -> None:
    view = "/?j=US,GB&metric=penalties_usd&mode=total&from=2015&to=2025"
    nominal = open_page(browser, server["url"] + view, "compare-line")
    assert "Penalties in USD" in nominal["title"] and "constant" not in nominal["title"]
    click_option(browser, "compare-money", "constant")
    constant = wait_for(
        browser,
        lambda: (
            (s := graph_state(browser, "compare-line")) and "constant 2024 USD" in s["title"] and s
        ),
        "the line chart in constant dollars",
    )
    # Facebook's 2021 settlement: 650,000,000 nominal, more in 2024 dollars.
    assert max(constant["y"]) > max(nominal["y"]) == 650_000_000
    wait_for(browser, lambda: "money=constant" in browser.current_url, "the URL to follow")
    browser.save_screenshot(str(tmp_path / "compare-constant.png"))
    assert_no_callback_errors(browser, server)

    fines = open_page(browser, server["url"] + "/fines?j=US,GB", "fines-timeline")
    assert "constant" not in fines["title"]
    click_option(browser, "fines-money", "constant")
    updated = wait_for(
        browser,
        lambda: (
            (s := graph_state(browser, "fines-timeline"))
            and "constant 2024 USD" in s["title"]
            and s
        ),
        "the timeline in constant dollars",
    )
    assert sorted(updated["y"]) != sorted(fines["y"]) and len(updated["y"]) == len(fines["y"])
    wait_for(browser, lambda: "money=constant" in browser.current_url, "the URL to follow")
    # A bookmarked constant-dollar view opens as shared.
    shared = open_page(browser, server["url"] + "/fines?j=US&money=constant", "fines-timeline")
    assert "constant 2024 USD" in shared["title"]
    browser.save_screenshot(str(tmp_path / "fines-constant.png"))
    assert_no_callback_errors(browser, server)


def test_per_capita_chart_names_its_population(browser, server, tmp_path: Path) -> None:
    view = "/?j=US,EU&metric=regulatory_actions&mode=per_million&from=2010&to=2026"
    state = open_page(browser, server["url"] + view, "compare-line")
    note = state["subtitle"].replace("<br>", " ")
    assert "Per million inhabitants of each year: World Bank SP.POP.TOTL" in note
    assert "2025: the 2024 figure carried forward" in note
    assert "no population, shown as gaps: 2026" in note
    browser.save_screenshot(str(tmp_path / "compare-per-million.png"))
    assert_no_callback_errors(browser, server)


def test_breaches_page(browser, server, tmp_path: Path) -> None:
    first = open_page(browser, server["url"] + "/breaches", "breaches-largest")
    assert first["xtype"] == "log"
    wait_for(
        browser, lambda: browser.find_elements(By.CSS_SELECTOR, "#breaches-table td"), "the table"
    )
    # The table is a bounded listing and says what it holds.
    wait_for(
        browser,
        lambda: "largest first" in browser.find_element(By.ID, "breaches-table-message").text,
        "the table's message",
    )
    click_option(browser, "breaches-scale", "linear")
    wait_for(
        browser,
        lambda: (s := graph_state(browser, "breaches-largest")) and s["xtype"] != "log",
        "the linear axis",
    )
    wait_for(browser, lambda: "scale=linear" in browser.current_url, "the URL to follow the filter")
    browser.save_screenshot(str(tmp_path / "breaches.png"))
    assert_no_callback_errors(browser, server)


def test_fines_page(browser, server, tmp_path: Path) -> None:
    first = open_page(browser, server["url"] + "/fines", "fines-timeline")
    assert "USD" in first["title"]
    click_option(browser, "fines-currency", "EUR")
    wait_for(
        browser,
        lambda: (s := graph_state(browser, "fines-timeline")) and "EUR" in s["title"],
        "the chart in EUR",
    )
    wait_for(browser, lambda: "currency=EUR" in browser.current_url, "the URL to follow the filter")
    browser.save_screenshot(str(tmp_path / "fines.png"))
    assert_no_callback_errors(browser, server)


def test_actions_page(browser, server, tmp_path: Path) -> None:
    first = open_page(browser, server["url"] + "/actions", "actions-timeline")
    assert any(x.startswith("2008") for x in first["x"])  # Illinois BIPA rolls up into the US
    set_year(browser, "actions-years", "min", 2019)
    updated = wait_for(
        browser,
        lambda: (
            (s := graph_state(browser, "actions-timeline"))
            and s["x"]
            and min(s["x"]) >= "2019"
            and s
        ),
        "the timeline to start in 2019",
    )
    assert updated["names"]
    wait_for(browser, lambda: "from=2019" in browser.current_url, "the URL to follow the filter")
    browser.save_screenshot(str(tmp_path / "actions.png"))
    assert_no_callback_errors(browser, server)


def test_data_page(browser, server, tmp_path: Path) -> None:
    browser.get(server["url"] + "/data?dataset=penalties&j=GB")
    message = "#data-preview-message"
    wait_for(
        browser,
        lambda: "2 rows" in browser.find_element(By.CSS_SELECTOR, message).text,
        "the preview",
    )
    wait_for(
        browser, lambda: browser.find_elements(By.CSS_SELECTOR, "#data-marts td"), "mart counts"
    )
    assert "last refresh" in browser.find_element(By.ID, "data-summary").text.lower()
    note = browser.find_element(By.ID, "data-download-note").text
    assert "at most 50,000 rows" in note and "breach-warehouse extract" in note
    set_year(browser, "data-years", "max", 2020)
    wait_for(
        browser,
        lambda: browser.find_element(By.CSS_SELECTOR, message).text == "No data for this selection",
        "the preview to follow the year filter",
    )
    wait_for(browser, lambda: "to=2020" in browser.current_url, "the URL to follow the filter")
    browser.save_screenshot(str(tmp_path / "data.png"))
    assert_no_callback_errors(browser, server)
