"""Load test of the dashboard as deployed: `breach-warehouse serve` (gunicorn) on loopback,
driven by the callback requests its pages really send.

1. Builds the default warehouse (seeds + bundled snapshots) in a work folder, unless
   ``--db`` names one (then ``--data-dir`` is its data folder, for the refreshes).
2. Starts ``breach-warehouse serve --workers W --threads N`` on 127.0.0.1, a free port.
3. Records, in headless Chromium (Debian's chromium and chromium-driver), every
   ``/_dash-update-component`` request each page sends while it loads (``/``,
   ``/breaches``, ``/fines``, ``/actions``, ``/data``).
4. After ``--warmup`` seconds of the same load (not measured: a deployed server is warm),
   replays them from ``--clients`` threads (httpx, keep-alive) for ``--seconds`` seconds,
   each request with a random selection of jurisdictions and years where the page has
   those filters, so most requests miss the server's result cache; reports p50/p95/p99,
   requests and errors (a status other than 200/204, or no answer within 30 s), per page.
5. Runs the same load again while ``breach-warehouse refresh`` publishes a new build twice,
   one after the other; the run lasts until both have ended (at least ``--seconds``).

Loopback only, bounded in time; prints Markdown tables. Run from the repository root:

    .venv/bin/python bench/load_test.py [--clients 20] [--seconds 60] [--workers 2] [--threads 4]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).with_name("breach-warehouse")
PAGES = ["/", "/breaches", "/fines", "/actions", "/data"]
POPULAR = ["US", "GB", "DE", "FR", "CN", "EU", "US-CA", "US-NY", "WORLD", "IE", "ES", "IT"]
RECORDER = """
window.__dashRequests = [];
const originalFetch = window.fetch;
window.fetch = function(url, options) {
  if (String(url).includes('_dash-update-component') && options && options.body) {
    window.__dashRequests.push(String(options.body));
  }
  return originalFetch.apply(this, arguments);
};
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    command = [str(BIN), "serve", "--db", str(db), "--port", str(port),
               "--workers", str(workers), "--threads", str(threads)]  # fmt: skip
    process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"serve did not start:\n{log.read_text()}")


def record(base: str, profile: Path) -> dict[str, list[dict]]:
    """Every callback request each page sends while it loads, from headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", f"--user-data-dir={profile}", "--window-size=1400,1700"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    recorded: dict[str, list[dict]] = {}
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        for page in PAGES:
            driver.get(base + page)
            seen, quiet_since = -1, time.monotonic()
            while time.monotonic() - quiet_since < 3:  # until 3 s pass with no new request
                count = driver.execute_script("return window.__dashRequests.length")
                if count != seen:
                    seen, quiet_since = count, time.monotonic()
                time.sleep(0.2)
            bodies = driver.execute_script("return window.__dashRequests")
            recorded[page] = [json.loads(b) for b in bodies]
    finally:
        driver.quit()
    return recorded


def varied(body: dict, rng: random.Random) -> dict:
    """The request with another selection of jurisdictions and years, where it has them."""
    body = json.loads(json.dumps(body))
    start = rng.randint(2000, 2024)
    for item in [*body.get("inputs", []), *body.get("state", [])]:
        if not isinstance(item, dict) or item.get("property") != "value":
            continue
        name = str(item.get("id", ""))
        if name.endswith("-jurisdictions"):
            item["value"] = rng.sample(POPULAR, k=rng.randint(1, 4))
        elif name.endswith("-years"):
            item["value"] = [start, rng.randint(start, 2026)]
    return body


@dataclass
class Load:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.latencies[page].append(ms)
            if error:
                self.errors[page] += 1
                if len(self.samples) < 5:
                    self.samples.append(f"{page}: {error}")


def client(base: str, recorded: dict[str, list[dict]], until: threading.Event, load: Load, seed: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as http:
        while not until.is_set():
            page = rng.choice(PAGES)
            for body in recorded[page]:
                if until.is_set():
                    return
                started = time.perf_counter()
                try:
                    answer = http.post("/_dash-update-component", json=varied(body, rng))
                    error = None if answer.status_code in (200, 204) else f"HTTP {answer.status_code}: {answer.text[:200]}"  # fmt: skip
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                load.add(page, (time.perf_counter() - started) * 1000, error)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run_load(base: str, recorded: dict, clients: int, seconds: float, during=None) -> tuple[Load, float, list]:  # fmt: skip
    """``clients`` threads for ``seconds`` (and until ``during``, run beside, has ended)."""
    load, until = Load(), threading.Event()
    threads = [
        threading.Thread(target=client, args=(base, recorded, until, load, i), daemon=True)
        for i in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    results = during() if during else []
    time.sleep(max(0.0, seconds - (time.perf_counter() - started)))
    until.set()
    for thread in threads:
        thread.join(timeout=60)
    return load, time.perf_counter() - started, results


def report(title: str, load: Load, wall: float) -> None:
    every = [v for values in load.latencies.values() for v in values]
    errors = sum(load.errors.values())
    print(f"\n### {title}\n")
    print("| page | requests | errors | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for page in [*PAGES, "all"]:
        values = every if page == "all" else load.latencies.get(page, [])
        if not values:
            continue
        wrong = errors if page == "all" else load.errors.get(page, 0)
        print(
            f"| {page} | {len(values):,} | {wrong} | {statistics.median(values):.0f} | "
            f"{percentile(values, 0.95):.0f} | {percentile(values, 0.99):.0f} |"
        )
    print(f"\n{len(every):,} requests in {wall:.0f} s ({len(every) / wall:.1f}/s), {errors} errors")
    for sample in load.samples:
        print(f"- {sample}")


def refresh_twice(db: Path, data_dir: Path) -> list[tuple[int, float]]:
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        done = subprocess.run(
            [str(BIN), "refresh", "--db", str(db), "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
        )
        runs.append((done.returncode, time.perf_counter() - started))
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="serve --workers")
    parser.add_argument("--threads", type=int, default=4, help="serve --threads")
    parser.add_argument(
        "--warmup", type=float, default=10, help="seconds of the same load first, not measured"
    )
    parser.add_argument("--db", type=Path, default=None, help="a built warehouse to serve")
    parser.add_argument("--data-dir", type=Path, default=None, help="its data folder")
    parser.add_argument("--no-refresh-run", action="store_true", help="skip the second run")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="load-test-"))
    db, data_dir = args.db, args.data_dir or work / "data"
    try:
        if db is None:
            db = work / "breach_warehouse.duckdb"
            print("building the default warehouse ...", flush=True)
            subprocess.run([str(BIN), "refresh", "--db", str(db), "--data-dir", str(data_dir)],
                           check=True, capture_output=True)  # fmt: skip
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port, args.workers, args.threads, work / "serve.log")
        try:
            recorded = record(base, work / "chromium-profile")
            counts = ", ".join(f"{p} {len(r)}" for p, r in recorded.items())
            print(f"recorded callback requests per page: {counts}", flush=True)
            if args.warmup:
                run_load(base, recorded, args.clients, args.warmup)  # not measured
            load, wall, _ = run_load(base, recorded, args.clients, args.seconds)
            report(f"{args.clients} clients, {args.seconds:.0f} s, serve --workers {args.workers} --threads {args.threads}", load, wall)  # fmt: skip
            if not args.no_refresh_run:
                load, wall, runs = run_load(
                    base, recorded, args.clients, args.seconds, lambda: refresh_twice(db, data_dir)
                )
                report(f"the same while `refresh` publishes twice ({wall:.0f} s)", load, wall)
                for i, (code, seconds) in enumerate(runs, 1):
                    print(f"- refresh {i}: exit {code}, {seconds:.0f} s")
            lines = (work / "serve.log").read_text().splitlines()
            kinds = Counter(" ".join(w for w in x.split() if not w.isdigit()) for x in lines)
            tracebacks = sum("Traceback" in x for x in lines)
            print(f"\nserver log: {len(lines)} lines, {tracebacks} tracebacks")
            for kind, n in kinds.most_common(4):
                print(f"- {n} x {kind[:140]}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
