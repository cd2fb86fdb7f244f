# Two commands for a fresh machine: `make lab` (set up, open JupyterLab) and `make test`.
# Everything lives in a local virtual environment, .venv, created on first use.

VENV ?= .venv
PYTHON ?= python3
BIN := $(abspath $(VENV))/bin
STAMP := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
# JupyterLab refuses to run as root unless told; only pass the flag when we are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install lab test lint unit contract-seeds nbval notebooks browser-test bench clean

install: $(STAMP) $(VENV)/.jupyter-settings $(VENV)/.pin-floats

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

# numpy's and OpenBLAS's AVX2 code paths in every Python process of the venv, wherever the CPU
# runs them: the notebooks' stored outputs were computed with them (tools/pin_floats.py says why).
$(VENV)/.pin-floats: $(STAMP) tools/pin_floats.py
	$(BIN)/python tools/pin_floats.py --install
	touch $@

lab: install
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks

# pytest-xdist workers: the tests that execute notebooks wait on a kernel process each, so two
# workers keep both cores busy.
PYTEST_WORKERS ?= 2
# One BLAS thread per process where we test and execute: two workers, each driving a kernel, share
# the two cores, and OpenBLAS's default of one thread per core in every process oversubscribes
# them; its idle threads spin, and `make test` took 154 s instead of about 100. The stored outputs
# do not depend on the thread count (README, "For graders"); `make nbval` (in CI) keeps numpy's
# default, as `make lab` does, so the stored text is checked at both.
test unit notebooks: export OPENBLAS_NUM_THREADS = 1
test unit notebooks: export OMP_NUM_THREADS = 1
# Python may cache compiled modules (__pycache__/, ignored by git) even where the environment says
# not to (PYTHONDONTWRITEBYTECODE): otherwise every worker and kernel compiles helpers/ again, and
# pytest rewrites the asserts of every test module on every run (about 3 s a process).
test unit nbval notebooks: export PYTHONDONTWRITEBYTECODE =
NBVAL := --nbval --nbval-sanitize-with tests/notebooks/nbval_sanitize.cfg

# One pytest run for the unit tests and the grader tests (tests/notebooks/test_notebooks.py), over
# both cores. Each notebook is executed once, in a fresh kernel: its grader test compares every
# cell's outputs with the committed file in full (text, which is all nbval compares, and images),
# then reruns every cell in the same kernel. Under plain -n, tests/conftest.py starts the notebook
# executions first. nbval itself runs in CI (.ci/run: `make nbval`) and on demand.
test: lint
	$(BIN)/pytest -q -p no:nbval -n $(PYTEST_WORKERS) tests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The unit tests alone, no notebook execution (those tests are marked slow), over both cores.
# The grader tests alone: .venv/bin/pytest -n 2 -m slow
unit: install
	$(BIN)/pytest -q -p no:nbval -n $(PYTEST_WORKERS) -m 'not slow and not browser' tests

# The contract suite's hypothesis-drawn bad calls at 8 more seeds (tests/test_contract_seeds.py;
# about 40 s, so CI runs it and `make test` does not).
contract-seeds: install
	CONTRACT_SEEDS=1 $(BIN)/pytest -q -p no:nbval tests/test_contract_seeds.py

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
	$(BIN)/python benchmarks/bench_panels.py
	$(BIN)/python benchmarks/bench_panels_browser.py

clean:
	rm -rf build .pytest_cache .ruff_cache
