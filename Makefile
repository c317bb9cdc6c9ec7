# lexgraph: `make run` sets everything up and builds the default lexicon (`make run-tr`: the Turkish one);
# `make test` runs the suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= out/lexgraph.duckdb
DB_TR ?= out/lexgraph-tr.duckdb
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run run-tr test install bench clean

$(BIN)/lexgraph: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first: the pinned release resolves to the local CPU build, not several GB of CUDA.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	# the ray extra too, so that `make test` runs the Ray engine's tests on a local cluster
	$(BIN)/python -m pip install --quiet -e '.[test,ray]'
	touch $(BIN)/lexgraph

install: $(BIN)/lexgraph

run: install
	mkdir -p $(dir $(DB))
	$(BIN)/lexgraph build --db $(DB)
	$(BIN)/lexgraph info $(DB)

run-tr: install
	mkdir -p $(dir $(DB_TR))
	$(BIN)/lexgraph build --lang tr --db $(DB_TR)
	$(BIN)/lexgraph info $(DB_TR)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/bench_graph.py

clean:
	rm -rf out .pytest_cache
