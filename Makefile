# Accord's commands. `make test` and `make demo` work on a fresh machine with Python 3.11+,
# make and the package registries: the first run creates .venv/ and installs everything.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SOURCES := accord tests bench manage.py

.PHONY: test lint format typecheck pytest pytest-postgres bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## test: lint, type-check, then the whole suite on SQLite and again on PostgreSQL
test: lint typecheck pytest pytest-postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check $(SOURCES)
	$(VENV)/bin/ruff format --check $(SOURCES)

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict accord tests bench

## pytest: the suite on SQLite, with 100% branch coverage of accord/tlog enforced
pytest: $(STAMP)
	$(PY) -m pytest --cov --cov-branch --cov-report=term --cov-fail-under=100

## pytest-postgres: the database tests again on PostgreSQL (required when CI=true)
pytest-postgres: $(STAMP)
	$(PY) tests/postgres.py

format: $(STAMP)
	$(VENV)/bin/ruff check --fix $(SOURCES)
	$(VENV)/bin/ruff format $(SOURCES)

## bench: accord.tlog and the ledger against raw bounds and peers; writes bench/results/*.json
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/tlog_bench.py
	$(PY) bench/ledger_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage .hypothesis
