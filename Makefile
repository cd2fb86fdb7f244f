# Two commands for a fresh machine: `make lab` (set up, open JupyterLab) and `make test`.
# Everything lives in a local virtual environment, .venv, created on first use.

VENV ?= .venv
PYTHON ?= python3
BIN := $(abspath $(VENV))/bin
STAMP := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
# JupyterLab refuses to run as root unless told; only pass the flag when we are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install lab test lint unit nbval notebooks browser-test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $(STAMP)

lab: install
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks

test: lint unit nbval

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: install
	$(BIN)/pytest -q

nbval: install
	$(BIN)/pytest -q -p no:cacheprovider --nbval notebooks/ \
		--nbval-sanitize-with tests/notebooks/nbval_sanitize.cfg

notebooks: install
	$(BIN)/python tools/execute_notebooks.py notebooks/*.ipynb

browser-test: install
	$(BIN)/pytest -q -m browser tests/notebooks/test_browser.py

bench: install
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_lookahead.py
	$(BIN)/python benchmarks/bench_newton.py
	$(BIN)/python benchmarks/bench_sampling.py

clean:
	rm -rf build .pytest_cache .ruff_cache
