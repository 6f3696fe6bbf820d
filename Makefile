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

# Debian packages the browser tests and load tests need (root or sudo; skipped when present).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk >/dev/null; \
	  else echo "note: install Debian's chromium and wrk for the browser and load tests"; fi; \
	fi

run: $(STAMP)
	$(BIN)/sanctions demo
	$(BIN)/sanctions serve --host $(HOST) --port $(PORT)

demo: $(STAMP)
	$(BIN)/sanctions demo

test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check sanctions tests bench
	$(BIN)/mypy --no-incremental sanctions

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
