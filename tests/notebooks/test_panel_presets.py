"""Every value a notebook's panel starts at is on its slider's grid, so the slider shows exactly
the number the notebook's text uses (a log slider would otherwise show 0.0501 for 0.05)."""

import ast
import inspect
import json
from pathlib import Path

import pytest

from helpers.lessons.lookahead import explorer as lookahead
from helpers.lessons.newton import explorer as newton
from helpers.lessons.optimizers import explorer as optimizers
from helpers.lessons.sampling import explorer as sampling

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

# (notebook, explorer variable) -> {panel keyword: the grid of its slider}
GRIDS = {
    ("1_lookahead.ipynb", "explorer"): {"sigma": lookahead.SIGMA_GRID},
    ("2_newton.ipynb", "explorer"): {"kappa": newton.KAPPA_GRID, "lr": newton.LR_GRID},
    ("3_sampling.ipynb", "explorer_cov"): {"n": sampling.N_GRID},
    ("3_sampling.ipynb", "explorer_sgd"): {
        "lr": sampling.STEP_GRID,
        "n": sampling.SGD_N_GRID,
        "batch_size": sampling.batch_grid(32),
    },
    ("4_optimizers.ipynb", "rate_explorer"): {"kappa": optimizers.KAPPA_GRID},
    ("4_optimizers.ipynb", "explorer"): {
        "lr": optimizers.LR_GRID,
        "beta": optimizers.BETA_GRID,
        "batch_size": optimizers.batch_grid(200),
    },
}


def panel_calls(notebook: str) -> list[tuple[str, dict]]:
    """``(explorer variable, literal keyword arguments)`` of every ``panel(...)`` call."""
    cells = json.loads((NOTEBOOKS / notebook).read_text())["cells"]
    calls = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "panel":
                kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                calls.append((node.args[0].id, kwargs))
    return calls


@pytest.mark.parametrize("notebook", sorted({name for name, _ in GRIDS}))
def test_panel_presets_are_on_the_slider_grids(notebook):
    calls = panel_calls(notebook)
    assert calls, f"no panel(...) call in {notebook}"
    for variable, kwargs in calls:
        grids = GRIDS[(notebook, variable)]
        for name, value in kwargs.items():
            if name in grids:
                assert grids[name].exact(value) == value, (notebook, name, value)


@pytest.mark.parametrize(
    ("panel", "grids"),
    [
        (newton.panel, GRIDS[("2_newton.ipynb", "explorer")]),
        (
            optimizers.panel,
            {**GRIDS[("4_optimizers.ipynb", "explorer")], "kappa": optimizers.KAPPA_GRID},
        ),
        (sampling._scheme_panel, GRIDS[("3_sampling.ipynb", "explorer_sgd")]),
        (sampling._coverage_panel, GRIDS[("3_sampling.ipynb", "explorer_cov")]),
    ],
)
def test_panel_defaults_are_on_the_slider_grids(panel, grids):
    for name, parameter in inspect.signature(panel).parameters.items():
        if name in grids:
            assert grids[name].exact(parameter.default) == parameter.default
