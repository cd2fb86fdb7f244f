"""Notebook-level checks beyond nbval.

* Grader test: execute a notebook in a fresh kernel by the project's own command
  (``execute_notebooks.executed``, what ``make notebooks`` stores); every code cell's outputs,
  images included, must equal the committed file's (so the committed outputs are reproducible and
  up to date). Then execute every code cell a second time in the same kernel, in order; each
  cell's text output must equal the first run's (no hidden global RNG state, no cell that only
  works once). With nbval's own execution that makes two fresh executions per notebook, which
  must agree with the committed file and so with each other.
* Hygiene of the committed files: executed, no volatile metadata, no error outputs.
"""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IGNORE_TAG = "nbval-ignore-output"
TIMING_TAG = "timing"
TEXT_MIMES = ("text/plain", "text/html", "image/svg+xml")
SKIP_FIGURE_PNG = "get_ipython().display_formatter.formatters['image/png'].enabled = False"
MAX_LINE = 100  # stored text lines wider than this wrap mid-word in JupyterLab at 1280 px
TEXT_SHOWN_AS_TEXT = ("text/plain", "text/markdown", "text/latex", "application/json")

_spec = importlib.util.spec_from_file_location(
    "execute_notebooks", ROOT / "tools" / "execute_notebooks.py"
)
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    lines = (Path(__file__).with_name("nbval_sanitize.cfg")).read_text().splitlines()
    regexes = [ln.split(": ", 1)[1] for ln in lines if ln.startswith("regex: ")]
    replaces = [
        ln.split(": ", 1)[1] if ": " in ln else "" for ln in lines if ln.startswith("replace:")
    ]
    return [(re.compile(r), s) for r, s in zip(regexes, replaces, strict=True)]


SANITIZERS = _sanitizers()


def text_outputs(cell) -> list[str]:
    """The text nbval compares (stdout/stderr, text/plain, text/html, svg), sanitized."""
    texts = []
    for out in execute_notebooks.coalesce_streams(copy.deepcopy(cell.get("outputs", []))):
        if out.output_type == "stream":
            texts.append(f"{out.name}: {out.text}")
        elif out.output_type == "error":
            texts.append(f"error: {out.ename}: {out.evalue}")
        else:
            texts.extend(f"{m}: {out.data[m]}" for m in TEXT_MIMES if m in out.get("data", {}))
    joined = "\n".join(texts)
    for pattern, replacement in SANITIZERS:
        joined = pattern.sub(replacement, joined)
    return joined


def _ids(paths):
    return [p.name for p in paths]


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "no notebooks found under notebooks/"


def _differences(fresh: list, committed: list) -> str:
    """Which outputs of one cell differ: output type and mime types, or the count."""
    if len(fresh) != len(committed):
        return f"{len(fresh)} outputs, committed {len(committed)}"
    found = []
    for k, (a, b) in enumerate(zip(fresh, committed, strict=True)):
        if a == b:
            continue
        keys = sorted(set(a.get("data", {})) | set(b.get("data", {})))
        changed = [m for m in keys if a.get("data", {}).get(m) != b.get("data", {}).get(m)]
        kind = " ".join(filter(None, [a.get("output_type"), a.get("name")]))  # "stream stdout"
        found.append(f"output {k} ({kind}{': ' if changed else ''}{', '.join(changed)})")
    return "; ".join(found)


def changed_cells(fresh, committed) -> list[str]:
    """One line per code cell whose outputs (images included) or execution count differ."""
    pairs = enumerate(zip(fresh.cells, committed.cells, strict=True))
    code_cells = [(i, a, b) for i, (a, b) in pairs if a.cell_type == "code"]
    lines = []
    for number, (index, a, b) in enumerate(code_cells):
        if a.outputs != b.outputs or a.execution_count != b.execution_count:
            first_line = a.source.splitlines()[0] if a.source else ""
            what = _differences(a.outputs, b.outputs) or "execution count"
            # nbval numbers the code cells only: its "Cell 8" is code cell 8
            lines.append(f"cell {index} (code cell {number}, {first_line!r}): {what}")
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_execution_is_the_committed_file_and_rerunning_each_cell_gives_the_same_output(
    path: Path,
) -> None:
    committed = nbformat.read(path, as_version=4)
    with execute_notebooks.executed(path) as (client, fresh):
        changed = changed_cells(fresh, committed)
        assert not changed, (
            f"{path.name}: a fresh execution differs from the committed notebook in\n  "
            + "\n  ".join(changed)
            + "\nrun `make notebooks` (and check the diff) if the change is intended"
        )
        nb = client.nb  # as executed, before normalisation; the reruns use copies of its cells
        code_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        first = {index: text_outputs(cell) for index, cell in code_cells}
        # The reruns compare text, and the execution above compared every image byte for byte, so
        # they skip matplotlib's PNG rendering of figures (layout and drawing: about a third of a
        # rerun). Panels' frames (LivePanel bundles) and IPython Images are still drawn.
        client.execute_cell(nbformat.v4.new_code_cell(SKIP_FIGURE_PNG), 0, store_history=False)
        for index, cell in code_cells:
            again = copy.deepcopy(cell)
            client.execute_cell(again, index)
            if IGNORE_TAG in cell.metadata.get("tags", []):
                assert "error" not in {o.output_type for o in again.outputs}, index
                continue
            assert text_outputs(again) == first[index], f"cell {index} changed on rerun"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_stored_text_lines_fit_the_notebook_width(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    wide = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            texts = [out.text] if out.output_type == "stream" else []
            # every text a notebook shows as text (HTML and SVG are laid out by the browser)
            texts += [out.get("data", {}).get(m, "") for m in TEXT_SHOWN_AS_TEXT]
            texts += ["\n".join(out.get("traceback", []))]
            wide += [
                (index, len(line), line[:50])
                for text in texts
                for line in text.splitlines()
                if len(line) > MAX_LINE
            ]
    assert not wide, f"stored lines over {MAX_LINE} characters (cell, length, start): {wide}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_notebook_is_executed_and_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, "widget state stored: run `make notebooks`"
    assert "version" not in nb.metadata.get("language_info", {}), "run `make notebooks`"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    counts = []
    for index, cell in enumerate(nb.cells):
        assert "execution" not in cell.metadata, f"cell {index}: timestamps stored"
        if cell.cell_type != "code":
            continue
        counts.append(cell.execution_count)
        if TIMING_TAG in cell.metadata.get("tags", []):
            assert not cell.outputs, f"cell {index}: timing outputs stored: run `make notebooks`"
            assert IGNORE_TAG in cell.metadata.tags, f"cell {index}: timing cell needs {IGNORE_TAG}"
        assert all(o.output_type != "error" for o in cell.outputs), f"cell {index} errored"
    assert counts == list(range(1, len(counts) + 1)), "not executed top to bottom in one go"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_readme_figure_is_the_notebooks_own_output(path: Path) -> None:
    figure = execute_notebooks.readme_figure(nbformat.read(path, as_version=4))
    assert figure is not None, "tag one figure cell `readme-figure` for the README"
    stored = ROOT / "docs" / "figures" / f"{path.stem}.png"
    assert stored.read_bytes() == figure, "docs figure is stale: run `make notebooks`"
    assert f"docs/figures/{path.stem}.png" in (ROOT / "README.md").read_text()


def test_strip_volatile_drops_timing_outputs_only() -> None:
    timing = nbformat.v4.new_code_cell("t = 1", metadata={"tags": [TIMING_TAG, IGNORE_TAG]})
    timing.outputs = [nbformat.v4.new_output("stream", name="stdout", text="0.123 s\n")]
    other = nbformat.v4.new_code_cell("x = 1")
    other.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb = execute_notebooks.strip_volatile(nbformat.v4.new_notebook(cells=[timing, other]))
    assert nb.cells[0].outputs == []
    assert len(nb.cells[1].outputs) == 1


def test_consecutive_prints_become_one_stream_output():
    cell = nbformat.v4.new_code_cell("print(1); print(2)")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stdout", text="2\n"),
        nbformat.v4.new_output("stream", name="stderr", text="w\n"),
        nbformat.v4.new_output("stream", name="stdout", text="3\n"),
    ]
    nb = execute_notebooks.strip_volatile(nbformat.v4.new_notebook(cells=[cell]))
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [
        ("stdout", "1\n2\n"),
        ("stderr", "w\n"),
        ("stdout", "3\n"),
    ]


@pytest.mark.slow
def test_executor_merges_printed_text_split_across_messages(tmp_path: Path) -> None:
    source = "import sys, time\nprint('a')\nsys.stdout.flush()\ntime.sleep(0.3)\nprint('b')"
    path = tmp_path / "split.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)
    outputs = execute_notebooks.execute(path).cells[0].outputs
    assert [(o.output_type, o.text) for o in outputs] == [("stream", "a\nb\n")]
