# Two commands on a fresh machine:  make run  |  make test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= warehouse/breach_warehouse.duckdb

.PHONY: run test install system-deps lint lint-sql test-py test-spark parity refresh serve clean bench bench-large

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests need: headless Chromium and its driver (browser tests) and a
# Java 17 runtime (the Spark target; pyspark 4 needs Java 17+).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "Installing chromium and chromium-driver (Debian packages) ..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@if ! command -v java >/dev/null && [ ! -x "$${JAVA_HOME:-/nonexistent}/bin/java" ]; then \
		echo "Installing openjdk-17-jre-headless (Debian package, for Spark) ..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

refresh: install
	$(BIN)/breach-warehouse refresh --db $(DB)

serve: install
	$(BIN)/breach-warehouse serve --db $(DB)

# Build the warehouse from the seeds, then serve the dashboard.
run: refresh
	$(BIN)/breach-warehouse serve --db $(DB)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-sql: install
	BW_DB_PATH=$(CURDIR)/target/lint.duckdb DBT_PROFILES_DIR=$(CURDIR)/profiles \
		DBT_SEND_ANONYMOUS_USAGE_STATS=false $(BIN)/sqlfluff lint models macros

test-py: install system-deps
	$(BIN)/python -m pytest

# The whole suite: Python lint, SQL lint, then pytest (which runs dbt build with every
# data test and unit test, the CLI, ingest, callbacks, the browser tests and the Spark
# parity check, tests/test_spark_parity.py).
test: install system-deps lint lint-sql test-py

# The DuckDB/Spark parity check alone: seeds + a generated collection built on both
# engines, every mart compared row by row (also part of `make test`).
test-spark: install system-deps
	$(BIN)/python -m pytest -m spark tests/test_spark_parity.py

# The same check from the CLI at any size: make parity BREACHES=50000
BREACHES ?= 20000
parity: install system-deps
	$(BIN)/breach-warehouse parity --breaches $(BREACHES) --penalties $$(( $(BREACHES) / 10 )) \
		--actions $$(( $(BREACHES) / 100 ))

# The scale benchmark (bench/RESULTS.md): synthetic data, each step in its own process.
SCALE ?= small
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/breach-warehouse bench --scale $(SCALE)

bench-large: SCALE = large
bench-large: bench

clean:
	rm -rf target logs .pytest_cache .ruff_cache
