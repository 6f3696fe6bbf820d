# Two commands on a fresh machine:  make run  (screen the showcase on the bundled lists, then serve
# the API and web UI)  and  make test  (the whole test suite). Both create their own virtualenv.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run demo test lint typecheck bench system-deps clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

# Debian packages the browser, load and PostgreSQL tests need (root or sudo; skipped when present).
PG_BIN ?= /usr/lib/postgresql/15/bin
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1 \
	    || ! test -x $(PG_BIN)/initdb; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk postgresql >/dev/null; \
	  else echo "note: install Debian's chromium, wrk and postgresql for the browser, load and database tests"; fi; \
	fi

run: $(STAMP)
	$(BIN)/sanctions demo
	$(BIN)/sanctions serve --host $(HOST) --port $(PORT)

demo: $(STAMP)
	$(BIN)/sanctions demo

# The suite starts its own PostgreSQL 15 server (tests/conftest.py) and stops it at the end;
# here a missing PostgreSQL is an error, not a skip.
test: $(STAMP) system-deps lint
	SANCTIONS_TEST_POSTGRES=require SANCTIONS_PG_BIN=$(PG_BIN) $(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check sanctions tests bench
	$(BIN)/mypy --no-incremental sanctions

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
