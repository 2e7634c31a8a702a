# Two commands on a fresh machine:  make run  |  make test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= warehouse/breach_warehouse.duckdb

.PHONY: run test install system-deps lint lint-sql docs test-py test-side test-spark test-spark-cluster parity refresh serve clean bench bench-large \
	spark-cluster-up spark-cluster-down spark-cluster-status bench-spark-cluster

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

# dbt's documentation site (models, columns and their contracts, tests, sources, exposures,
# lineage) in target/docs: open target/docs/static_index.html in a browser (one file, works
# offline), or serve the folder and open index.html. Built against a throwaway DuckDB file,
# like lint-sql: the docs describe the project, not a particular warehouse.
DOCS_DIR ?= target/docs
docs: install
	rm -f $(CURDIR)/target/docs.duckdb
	BW_DB_PATH=$(CURDIR)/target/docs.duckdb DBT_PROFILES_DIR=$(CURDIR)/profiles \
		DBT_SEND_ANONYMOUS_USAGE_STATS=false $(BIN)/dbt docs generate --static \
		--target-path $(DOCS_DIR) --log-path $(CURDIR)/logs
	rm -f $(CURDIR)/target/docs.duckdb
	@echo "dbt docs: $(DOCS_DIR)/static_index.html"

# pytest: everything but the Spark tests and the tests that build alone (test-side); the
# slowest tests are listed at the end. One process: its tests share session fixtures (the
# built warehouses), which pytest workers would each build again.
test-py: install system-deps
	$(BIN)/python -m pytest -m "not spark and not standalone" --durations=15

# The tests that share nothing with the rest, in turn: the parity check on a Spark
# standalone cluster (test-spark-cluster), then the tests marked standalone, which build
# all they need in their own folder (the in-process Spark parity check, the CI-size bench,
# the bench's peers, the real files loaded in turn, other exports of the sources).
test-side: install system-deps
	$(BIN)/python -m pytest -m spark_cluster tests/test_spark_cluster.py
	$(BIN)/python -m pytest -m "standalone and not spark_cluster" --durations=5

# The whole suite: Python lint, SQL lint, then pytest (dbt build with every data test and
# unit test, the CLI, ingest, callbacks, the browser tests) and, beside it, test-side: two
# jobs whose output is shown whole as each ends (pytest alone leaves a core mostly idle).
test: install system-deps lint lint-sql
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-py test-side

# The DuckDB/Spark parity check alone: seeds + a generated collection built on both
# engines, every mart compared row by row (also part of `make test`).
test-spark: install system-deps
	$(BIN)/python -m pytest -m spark tests/test_spark_parity.py

# A Spark standalone cluster started here, stopped, and the parity check on it (Thrift
# server, a small collection; extracts from the cluster's tables): the cluster is the
# test's own, in a temporary folder on free ports, and stopped whatever the outcome.
test-spark-cluster: install system-deps
	$(BIN)/python -m pytest -m spark_cluster tests/test_spark_cluster.py

# The same check from the CLI at any size and on any Spark target:
#   make parity BREACHES=50000 [TARGET=spark_thrift|spark_connect]
BREACHES ?= 20000
TARGET ?= spark
parity: install system-deps
	$(BIN)/breach-warehouse parity --target $(TARGET) --breaches $(BREACHES) \
		--penalties $$(( $(BREACHES) / 10 )) --actions $$(( $(BREACHES) / 100 ))

# A Spark standalone cluster on this machine for --target spark_thrift / spark_connect:
# master, worker, Thrift server (127.0.0.1:10000) and Spark Connect server
# (sc://127.0.0.1:15002), from the venv's pyspark; state, logs and catalog in
# $BW_SPARK_CLUSTER_DIR (default ~/.cache/breach-warehouse/spark-cluster).
spark-cluster-up: install system-deps
	$(BIN)/breach-warehouse spark-cluster up

spark-cluster-down: install
	$(BIN)/breach-warehouse spark-cluster down

spark-cluster-status: install
	$(BIN)/breach-warehouse spark-cluster status

# Times and peak memory of the parity check on a cluster of its own (bench/RESULTS.md):
#   make bench-spark-cluster [TARGET=spark_connect] [BREACHES=2000]
bench-spark-cluster: install system-deps
	$(BIN)/python -m breach_warehouse.bench.spark_cluster \
		--target $(if $(filter spark,$(TARGET)),spark_thrift,$(TARGET)) \
		--breaches $(if $(filter command line,$(origin BREACHES)),$(BREACHES),2000)

# The scale benchmark (bench/RESULTS.md): synthetic data, each step in its own process.
SCALE ?= small
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/breach-warehouse bench --scale $(SCALE)

bench-large: SCALE = large
bench-large: bench

clean:
	rm -rf target logs .pytest_cache .ruff_cache
