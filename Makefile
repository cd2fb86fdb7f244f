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

install: $(STAMP) $(VENV)/.jupyter-settings

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $(STAMP)

# Jupyter settings of this venv (README, "Reading the notebooks without a kernel"): JupyterLab saves
# the widget state with a notebook (a panel reopens showing its last frame, not "model not
# found"), and `jupyter nbconvert --to html` writes each picture's alt text (template lab_alt).
JUPYTER_SETTINGS := $(wildcard tools/jupyter/*.json tools/jupyter/nbconvert/templates/lab_alt/*)
$(VENV)/.jupyter-settings: $(STAMP) $(JUPYTER_SETTINGS)
	mkdir -p $(VENV)/share/jupyter/lab/settings $(VENV)/etc/jupyter $(VENV)/share/jupyter/nbconvert/templates
	cp tools/jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	cp tools/jupyter/jupyter_nbconvert_config.json $(VENV)/etc/jupyter/jupyter_nbconvert_config.json
	cp -r tools/jupyter/nbconvert/templates/lab_alt $(VENV)/share/jupyter/nbconvert/templates/
	touch $@

lab: install
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks

# pytest-xdist workers: the tests that execute notebooks wait on a kernel process each, so two
# workers keep both cores busy. BLAS thread counts stay at their defaults (the committed outputs
# depend on them).
PYTEST_WORKERS ?= 2
NBVAL := --nbval --nbval-sanitize-with tests/notebooks/nbval_sanitize.cfg

# One pytest run for the unit tests and the grader tests (tests/notebooks/test_notebooks.py), over
# both cores. Each notebook is executed once, in a fresh kernel: its grader test compares every
# cell's outputs with the committed file in full (text, which is all nbval compares, and images),
# then reruns every cell in the same kernel. Under plain -n, tests/conftest.py starts the notebook
# executions first. nbval itself runs in CI (.ci/run: `make nbval`) and on demand.
test: lint
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) tests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The unit tests alone, no notebook execution (those tests are marked slow). In one process: a
# second worker would spend more time collecting the tests than it saves running them. The grader
# tests alone: .venv/bin/pytest -n 2 -m slow
unit: install
	$(BIN)/pytest -q -m 'not slow and not browser'

# nbval alone; loadfile keeps each notebook's cells in one worker, in order.
nbval: install
	$(BIN)/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile $(NBVAL) notebooks/

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
