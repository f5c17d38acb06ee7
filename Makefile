# Switchboard: two commands do everything on a fresh clone.
#   make demo   install, generate the demo data, then `switchboard build` (validate, dbt build, publish the served
#               file BI tools read) and print a KPI summary from the served file
#   make test   install, then every test: pytest, dbt build (data + unit tests) on the test data set, lint (contract,
#               sqlfluff, layering, dbt-bouncer, ruff), MetricFlow validation, and the same project built on local
#               Spark compared row by row with DuckDB (make test-spark)
# Every target honours SWITCHBOARD_LANDING_DIR and SWITCHBOARD_DB_PATH when they are set.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DBT_PROFILES_DIR := $(CURDIR)/profiles
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

# Demo: the embedded default inside the project.
DEMO_LANDING := $(or $(SWITCHBOARD_LANDING_DIR),$(CURDIR)/data/landing)
DEMO_DB := $(or $(SWITCHBOARD_DB_PATH),$(CURDIR)/data/switchboard.duckdb)

# Test data set: the generator's small profile, fixed seed and start (covers both DST changes), 120 days.
# With SWITCHBOARD_LANDING_DIR set, `make test` builds and tests on that landing instead of generating one.
TEST_GENERATE := --seed 7 --start 2026-01-05 --days 120 --scale 0.1 --bad-rows 0.002
TEST_LANDING := $(or $(SWITCHBOARD_LANDING_DIR),$(CURDIR)/build/test/landing)
TEST_DB := $(or $(SWITCHBOARD_DB_PATH),$(CURDIR)/build/test/switchboard.duckdb)

.PHONY: help install demo test pytest dbt-test lint docs bench clean test-spark dashboard orchestrate semantic

help:
	@echo "make demo        - install, generate demo data, validate, dbt build, publish, print a KPI summary"
	@echo "make test        - install, pytest, dbt build on the test data set, lint, semantic, Spark vs DuckDB"
	@echo "make lint        - contract files in sync, sqlfluff, layering test, dbt-bouncer, ruff check and format"
	@echo "make semantic    - dbt parse (semantic manifest) and mf validate-configs (MetricFlow semantic layer)"
	@echo "make dashboard   - the KPI dashboard on the served demo warehouse (http://127.0.0.1:8501, DASHBOARD_PORT=)"
	@echo "make orchestrate - Dagster UI on http://127.0.0.1:$(DAGSTER_PORT) (daily schedule, landing sensor, runs)"
	@echo "make docs        - dbt docs generate (target/index.html)"
	@echo "make bench       - benchmarks (not part of make test)"
	@echo "make test-spark  - build on local Spark and on DuckDB, compare every marts row"
	@echo "make clean       - remove build outputs (keeps .venv)"

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	mkdir -p $(dir $(DEMO_DB))
	$(BIN)/switchboard generate --out $(DEMO_LANDING)
	SWITCHBOARD_LANDING_DIR=$(DEMO_LANDING) SWITCHBOARD_DB_PATH=$(DEMO_DB) $(BIN)/switchboard build --landing $(DEMO_LANDING)
	SWITCHBOARD_LANDING_DIR=$(DEMO_LANDING) SWITCHBOARD_DB_PATH=$(DEMO_DB) $(BIN)/dbt source freshness
	SWITCHBOARD_DB_PATH=$(DEMO_DB) $(BIN)/switchboard summary

# Dagster (issue 15): the definitions of switchboard/orchestration on the demo landing and build file, UI on
# 127.0.0.1 only. Run history in build/dagster ($DAGSTER_HOME). dbt comes from the venv (PATH).
DAGSTER_PORT ?= 3000
orchestrate: install
	mkdir -p $(CURDIR)/build/dagster $(dir $(DEMO_DB))
	PATH=$(CURDIR)/$(BIN):$$PATH DAGSTER_HOME=$(or $(DAGSTER_HOME),$(CURDIR)/build/dagster) \
		SWITCHBOARD_LANDING_DIR=$(DEMO_LANDING) SWITCHBOARD_DB_PATH=$(DEMO_DB) \
		$(BIN)/dagster dev -m switchboard.orchestration --host 127.0.0.1 --port $(DAGSTER_PORT)

test: install pytest dbt-test lint semantic test-spark
	@echo "make test: all green"

pytest: install
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/pytest -n 2 --dist loadfile

dbt-test: install
	mkdir -p $(dir $(TEST_DB))
	@if [ -z "$${SWITCHBOARD_LANDING_DIR:-}" ]; then \
		rm -rf $(TEST_LANDING) && $(BIN)/switchboard generate --out $(TEST_LANDING) $(TEST_GENERATE); fi
	$(BIN)/switchboard validate --landing $(TEST_LANDING) --docs-dir $(CURDIR)/build/test/data_docs
	rm -f $(TEST_DB)
	SWITCHBOARD_LANDING_DIR=$(TEST_LANDING) SWITCHBOARD_DB_PATH=$(TEST_DB) $(BIN)/dbt build

lint: install
	$(BIN)/switchboard contract --check
	$(BIN)/sqlfluff lint --processes 2 models analyses tests
	$(BIN)/dbt parse --quiet
	SWITCHBOARD_MANIFEST=$(CURDIR)/target/manifest.json $(BIN)/pytest -q -n 0 -p no:cacheprovider tests/python/test_layering.py
	$(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml
	$(BIN)/ruff check switchboard tests bench
	$(BIN)/ruff format --check switchboard tests bench

docs: install
	SWITCHBOARD_LANDING_DIR=$(DEMO_LANDING) SWITCHBOARD_DB_PATH=$(DEMO_DB) $(BIN)/dbt docs generate

# Dashboard (issue 18): Streamlit on the demo warehouse, read-only (docs/dashboard.md). Run `make demo` first.
DASHBOARD_PORT ?= 8501
dashboard: install
	$(BIN)/switchboard dashboard --db $(DEMO_DB) --port $(DASHBOARD_PORT)

# Benchmarks (issue 9): validate, dbt run, dbt test and the operational path at ~100 k, ~1 M and ~10 M contact
# segments, against a single DuckDB scan and pandas. Landing data is cached in bench/data (first run: generated).
bench: install
	$(BIN)/python bench/run_bench.py $(BENCH_ARGS)

# Spark: the whole project on a local Spark (dbt-spark `session` target in profiles/profiles.yml) and on DuckDB,
# on a small generated data set, then every row of every marts table compared (switchboard/enginecompare.py).
# Models and seeds only (data tests run on DuckDB in dbt-test); one Spark JVM at a time (Derby metastore).
SPARK_DIR := $(CURDIR)/build/spark
SPARK_GENERATE := --seed 11 --start 2026-03-02 --days 21 --scale 0.05 --bad-rows 0.002
SPARK_BUILD := build --exclude-resource-type test --exclude-resource-type unit_test

test-spark: install
	rm -rf $(SPARK_DIR) && mkdir -p $(SPARK_DIR)
	$(BIN)/switchboard generate --out $(SPARK_DIR)/landing $(SPARK_GENERATE)
	SWITCHBOARD_LANDING_DIR=$(SPARK_DIR)/landing SWITCHBOARD_DB_PATH=$(SPARK_DIR)/duckdb.duckdb \
		$(BIN)/dbt $(SPARK_BUILD) --target-path $(SPARK_DIR)/target_duckdb --log-path $(SPARK_DIR)/logs_duckdb
	@# Spark's own log (JVM warnings and stack traces of handled exceptions) goes to a file, shown on failure
	cd $(SPARK_DIR) && SWITCHBOARD_LANDING_DIR=$(SPARK_DIR)/landing SWITCHBOARD_SPARK_DIR=$(SPARK_DIR) \
		$(CURDIR)/$(BIN)/dbt $(SPARK_BUILD) --target spark --project-dir $(CURDIR) \
		--target-path $(SPARK_DIR)/target_spark --log-path $(SPARK_DIR)/logs_spark 2> $(SPARK_DIR)/spark.log \
		|| { tail -n 40 $(SPARK_DIR)/spark.log; exit 1; }
	$(BIN)/python -m switchboard.enginecompare --duckdb $(SPARK_DIR)/duckdb.duckdb \
		--spark-warehouse $(SPARK_DIR)/warehouse --manifest $(SPARK_DIR)/target_duckdb/manifest.json \
		--require kpi_operational kpi_team kpi_experience kpi_compliance \
		fct_contact_segments fct_contacts fct_queue_intervals fct_agent_intervals

# Semantic layer (issue 17, docs/semantic-layer.md): dbt parse validates the semantic manifest (semantic models,
# metrics, saved queries, time spine) and writes target/semantic_manifest.json, the file mf reads; mf
# validate-configs then applies MetricFlow's own rules. No warehouse needed: the checks of every measure, dimension
# and metric against a built warehouse run in tests/python/test_semantic.py (with the numbers).
semantic: install
	$(BIN)/dbt parse --quiet
	$(BIN)/mf validate-configs --skip-dw

clean:
	rm -rf build target logs data
