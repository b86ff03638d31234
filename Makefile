# Accord's commands. `make test` and `make demo` work on a fresh machine with Python 3.11+,
# make and the package registries: the first run creates .venv/ and installs everything.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SOURCES := accord tests bench manage.py
# Test processes per pass (pytest-xdist): one per core unless set, e.g. `make test WORKERS=1`.
WORKERS ?= auto

.PHONY: test lint format typecheck browser fonts messages pytest pytest-postgres bench bench-tiny demo openapi clean

$(STAMP): pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	npm ci --no-audit --no-fund --silent
	touch $(STAMP)

## messages: compile the interface translations (gettext's msgfmt, installed with apt-get if missing)
messages: $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; } || \
	  { echo "Compiling translations needs gettext: sudo apt-get install gettext"; exit 1; }
	cd accord && ../$(PY) ../manage.py compilemessages --verbosity 0

## test: lint, type-check, the whole suite on SQLite and again on PostgreSQL, every benchmark once
test: lint typecheck browser fonts messages pytest pytest-postgres bench-tiny

## browser: Debian's Chromium for the browser tests (Playwright cannot download its own here);
## installed with apt-get when missing and running as root, else the command to run is printed
browser:
	@command -v $${ACCORD_CHROMIUM:-/usr/bin/chromium} >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; }

## fonts: Debian's Noto fonts, which the charter's PDF exports embed (Latin, Cyrillic, CJK);
## installed with apt-get when missing and running as root, else the command to run is printed
fonts:
	@{ [ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] && \
	   [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; } || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null; } || \
	  { echo "PDF exports need Noto: sudo apt-get install fonts-noto-core fonts-noto-cjk"; exit 1; }

lint: $(STAMP)
	$(VENV)/bin/ruff check $(SOURCES)
	$(VENV)/bin/ruff format --check $(SOURCES)

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict accord tests bench

## pytest: the suite on SQLite, with 100% branch coverage of accord/tlog enforced
pytest: $(STAMP)
	$(PY) -m pytest -n $(WORKERS) --cov --cov-branch --cov-report=term --cov-fail-under=100

## pytest-postgres: the database tests again on PostgreSQL (required when CI=true)
pytest-postgres: $(STAMP)
	$(PY) tests/postgres.py -n $(WORKERS)

format: $(STAMP)
	$(VENV)/bin/ruff check --fix $(SOURCES)
	$(VENV)/bin/ruff format $(SOURCES)

## bench: accord.tlog, the ledger and the charter against raw bounds and peers; writes bench/results/*.json
bench: $(STAMP)
	$(PY) -m bench.tlog_bench
	$(PY) -m bench.ledger_bench
	$(PY) -m bench.charter_bench
	$(PY) -m bench.witness_bench
	$(PY) -m bench.node_bench
	$(PY) -m bench.dialogue_bench
	$(PY) -m bench.csbm_bench

## bench-tiny: every benchmark once at a tiny size (figures meaningless, never recorded), so a
## benchmark cannot break unnoticed; each checks that it wrote every row of its result
bench-tiny: $(STAMP)
	@mkdir -p var/bench-tiny
	$(PY) -m bench.tlog_bench --tiny --out var/bench-tiny/tlog.json
	$(PY) -m bench.ledger_bench --tiny --out var/bench-tiny/ledger.json
	$(PY) -m bench.charter_bench --tiny --out var/bench-tiny/charter.json
	$(PY) -m bench.witness_bench --tiny --out var/bench-tiny/witness.json
	$(PY) -m bench.node_bench --tiny --out var/bench-tiny/node.json
	$(PY) -m bench.dialogue_bench --tiny --out var/bench-tiny/dialogue.json
	$(PY) -m bench.csbm_bench --tiny --out var/bench-tiny/csbm.json

## openapi: write the API's OpenAPI document to docs/openapi.json (a test fails when it drifts)
openapi: $(STAMP)
	$(PY) -c 'import django, json, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings"); django.setup(); from accord.api import api; print(json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False))' > docs/openapi.json

## demo: build the demo forum (once) and serve it at http://127.0.0.1:8000
demo: $(STAMP) fonts messages
	$(VENV)/bin/accord demo

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache .coverage .hypothesis
