"""Shared test setup: a non-interactive matplotlib backend, and how ``make test`` spreads the unit
tests, the grader tests and nbval over pytest-xdist workers in one run.

* nbval runs a notebook's cells one after the other in one kernel, so all cells of a notebook must
  go to one worker, in order. xdist's ``--dist loadgroup`` cannot do that with pytest 9.2 (it
  marks groups by editing node ids, which no longer takes effect: pytest-xdist issue 1386; the
  cells get spread over the workers silently). So under plain ``-n`` (``--dist load``) this
  conftest schedules units of work itself: each nbval notebook is one unit, each test
  parametrized over a notebook (the grader tests) is one unit, and every other module is one unit.
* Units go out in collection order, and the notebook executions come first in it (the grader
  tests, the longest, then nbval), then the longest unit-test modules (``LONG_MODULES``), so the
  many short unit tests fill the gaps at the end. A worker
  is handed a new unit when it has at most two tests left, so it can hold two grader tests at
  once: the first four go to the workers in pairs (1 and 3, 2 and 4).

This conftest is loaded only when ``tests/`` is collected; ``make nbval`` alone uses
``--dist loadfile``, which keeps each notebook in one worker by itself.
"""

import gc
import sys

# jsonschema, which nbformat imports, builds the Lark grammars of the optional package
# rfc3987_syntax at import time when it is installed (jupyter-events pulls it in): about 1.6 s in
# every pytest process. It only checks the string formats "iri" and "iri-reference", which the
# notebook schemas do not use. (`make test` also leaves out the nbval plugin, which would import
# nbformat before this file runs; nbval has its own target.)
sys.modules.setdefault("rfc3987_syntax", None)

import matplotlib  # noqa: E402
import pytest  # noqa: E402

matplotlib.use("Agg")


def _notebook_of(nodeid: str) -> str | None:
    """The notebook an nbval cell belongs to (``notebooks/x.ipynb::Cell 3``), else None."""
    path = nodeid.split("::", 1)[0]
    return path if path.endswith(".ipynb") else None


def _unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its notebook for an nbval cell, itself for a test
    parametrized over a notebook (``...[1_lookahead.ipynb]``), else its module."""
    if nodeid.endswith(".ipynb]"):
        return nodeid
    return _notebook_of(nodeid) or nodeid.split("::", 1)[0]


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook; without xdist it is never called
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    if config.getvalue("dist") != "load":
        return None  # an explicit --dist choice is left alone
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        """LoadScopeScheduling (a unit's tests go to one worker together, in order) with the
        units above, handed out in collection order."""

        def _split_scope(self, nodeid: str) -> str:
            return _unit_of(nodeid)

    # LoadScopeScheduling would otherwise hand out the units with the most tests first: the
    # parametrized unit-test modules before the grader tests, which would then run last.
    config.option.loadscopereorder = False
    return UnitScheduling(config, log)


# The longest unit-test modules (seconds on one core, measured 2026-12-01), handed out right after
# the notebook executions: longest first leaves only short modules for the end, so both workers
# finish together (with the contract suite last, one worker ran 7 s after the other had stopped).
LONG_MODULES = (
    "tests/test_contract.py",  # 12 s
    "tests/notebooks/test_static_views.py",  # 6 s
    "tests/lessons/lookahead/test_explorer.py",  # 5.5 s
    "tests/lessons/optimizers/test_explorer.py",  # 2.5 s
    "tests/lessons/newton/test_explorer.py",  # 2.4 s
    "tests/lessons/sampling/test_explorer.py",  # 2.2 s
)


def _order(item: pytest.Item) -> tuple[int, int]:
    if _notebook_of(item.nodeid) or item.get_closest_marker("slow"):
        return (0, 0)
    module = item.nodeid.split("::", 1)[0]
    return (1, LONG_MODULES.index(module)) if module in LONG_MODULES else (2, 0)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Notebook executions first, then the long modules; a stable sort keeps nbval's cells and
    # everything else in order.
    items.sort(key=_order)


@pytest.fixture(autouse=True)
def _no_frozen_objects_left():
    """Showing a panel freezes the objects alive (helpers.frames.settle_garbage): undo it after
    each test, so that one test's objects are not kept from the collector for the rest."""
    yield
    gc.unfreeze()
