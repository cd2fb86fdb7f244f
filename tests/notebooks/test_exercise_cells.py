"""The notebooks' exercises, read from the committed files (cheap: no execution).

* Each notebook ends with an "Exercises" section with one answer cell (``answer = None``, its
  stored output "not answered yet") and one collapsed solution cell (``jupyter.source_hidden``,
  its stored output "right") per exercise of its lesson's checker, in the checker's order.
* The algorithm each notebook teaches is shown from the library's source (``show(...)``).
* Every notebook with a slider panel says that the sliders need a running kernel.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = {
    "1_lookahead": ("lookahead", ['show(lookahead, "synchronization")']),
    "2_newton": (
        "newton",
        [
            'show(newton_module._direction, "newton direction")',
            'show(newton_module._explicit_newton, "newton solve")',
            'show(newton_module.run, "newton update")',
            'show(newton_module._conjugate_gradient, "cg loop")',
            'show(newton_module._saddle_free, "saddle-free eigenbasis")',
            'show(newton_module._saddle_free, "saddle-free step")',
        ],
    ),
    "3_sampling": ("sampling", ['show(sampling.batch_indices, "schemes")']),
    "4_optimizers": ("optimizers", ['show(sgd, "momentum step")']),
}


@functools.cache
def _notebook(stem: str):
    return nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)


def _stdout(cell) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_each_exercise_has_an_answer_cell_and_a_collapsed_solution_that_is_right(stem):
    nb = _notebook(stem)
    lesson, _ = LESSONS[stem]
    keys = importlib.import_module(f"helpers.lessons.{lesson}.exercises").EXERCISES.keys
    headers = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and c.source.startswith("## ")
    ]
    start = headers[-1]
    assert nb.cells[start].source.startswith("## Exercises"), "the last section is not Exercises"
    tail = nb.cells[start:]
    answers = [c for c in tail if c.cell_type == "code" and c.source.startswith("answer = None")]
    solutions = [c for c in tail if c.cell_type == "code" and "# Solution" in c.source]
    assert len(answers) == len(solutions) == len(keys)
    for key, answer, solution in zip(keys, answers, solutions, strict=True):
        assert f'exercises.check("{key}", answer)' in answer.source
        assert _stdout(answer) == f"{key}: not answered yet (put your answer in place of None)\n"
        assert solution.metadata.get("jupyter", {}).get("source_hidden") is True, key
        assert f'exercises.check("{key}", ' in solution.source
        assert _stdout(solution).startswith(f"{key}: right"), (key, _stdout(solution))


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_the_algorithm_is_shown_from_the_library_source(stem):
    nb = _notebook(stem)
    _, calls = LESSONS[stem]
    code = [c for c in nb.cells if c.cell_type == "code"]
    for call in calls:
        cells = [c for c in code if call in c.source]
        assert len(cells) == 1, call
        shown = [o for o in cells[0].outputs if "text/markdown" in o.get("data", {})]
        assert shown and all("```python" in o.data["text/markdown"] for o in shown), call


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_the_notebook_says_its_sliders_need_a_running_kernel(stem):
    nb = _notebook(stem)
    text = " ".join(c.source.replace("\n", " ") for c in nb.cells if c.cell_type == "markdown")
    assert "The sliders need a running kernel" in text
