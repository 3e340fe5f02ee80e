# kg: `make run` builds the graph from data/resolutions into out/ and answers sample questions;
# `make test` runs the test suite; `make bench` runs the benchmark (bench/RESULTS.md). All set up the
# virtual environment first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE := out/kg

.PHONY: setup run test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: setup
	$(BIN)/kg build data/resolutions --store $(STORE)
	$(BIN)/kg validate --store $(STORE)
	@echo "== Who joined which body when"; $(BIN)/kg query joins --store $(STORE)
	@echo "== Thanks"; $(BIN)/kg query thanks --store $(STORE)
	@echo "== Meetings"; $(BIN)/kg query meetings --store $(STORE)
	@echo "== Cooperation between library systems (first rows)"; $(BIN)/kg query cooperation --store $(STORE) | head -12
	@if $(BIN)/kg viz --help >/dev/null 2>&1; then $(BIN)/kg viz --view cooperation --out out/cooperation.html --store $(STORE); fi
	@if $(BIN)/kg export --help >/dev/null 2>&1; then $(BIN)/kg export --format trig --out out/kg.trig --store $(STORE); fi

test: setup
	$(BIN)/python -m pytest -q

# The benchmark: 1,000 and 10,000 generated documents (a few hours on 2 cores); the report is rewritten
# after each size, the raw numbers go to out/bench/results.json.
BENCH_ARGS ?= --docs 1000 10000 --budget 10 --query-timeout 120 --score-timeout 3600 --view-timeout 600 \
	--natasha-docs 300

bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench run $(BENCH_ARGS)

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

lint: setup
	$(BIN)/ruff check kg tests

clean:
	rm -rf out $(VENV)
