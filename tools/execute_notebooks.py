"""Execute notebooks in place, deterministically: the project's one way to store outputs.

Usage: ``python tools/execute_notebooks.py notebooks/*.ipynb`` (``make notebooks``).

It also copies the figure of the cell tagged ``readme-figure`` to ``docs/figures/<notebook>.png``
for the README, so the README always shows what the notebook computes.

Each notebook runs top to bottom in a fresh ``python3`` kernel with its own folder as working
directory. Volatile metadata is stripped so that re-executing an unchanged notebook gives an
identical file: per-cell execution timestamps, the kernel's Python patch version, the widget
state (random model ids) and the widget views that point at it (a widget needs a live kernel
anyway): a slider panel's output keeps the first frame it carries beside its view (image/png with
alt text, and a text/plain caption: ``helpers.frames.LivePanel``), other widget outputs go. Consecutive stream outputs are merged (as nbval does before comparing), since how
the kernel splits printed text into messages depends on timing; text printed after a figure stays
after it. Cells tagged ``timing`` (wall-clock measurements, which differ on every run) keep
no stored outputs at all: their results show up when a reader runs them, and the project's
performance targets are checked by the scripts under ``benchmarks/``. Such a cell must also be
tagged ``nbval-ignore-output``.
"""

from __future__ import annotations

import base64
import copy
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
README_TAG = "readme-figure"
TIMING_TAG = "timing"
FIGURES = Path(__file__).resolve().parents[1] / "docs" / "figures"
TIMEOUT_S = 600


def coalesce_streams(outputs: list) -> list:
    """Outputs with consecutive stream outputs of the same name (stdout/stderr) merged."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove execution timestamps, widget state, widget-view outputs and timing outputs, and
    merge consecutive prints into one stream output (where the kernel splits them depends on
    timing), in place."""
    nb.metadata.pop("widgets", None)
    # The kernel's exact Python version differs between machines and is not needed to open it.
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            if TIMING_TAG in cell.metadata.get("tags", []):
                cell.outputs = []
            else:
                kept = [without_widget_view(o) for o in cell.outputs]
                cell.outputs = coalesce_streams([o for o in kept if o is not None])
    return nb


def without_widget_view(output: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """``output`` without its widget view: a bundle that also carries a picture (a slider
    panel's first frame) keeps the picture and its caption; a bare widget view goes (None)."""
    data = output.get("data", {})
    if WIDGET_VIEW not in data:
        return output
    if "image/png" not in data:
        return None
    del data[WIDGET_VIEW]
    output.get("metadata", {}).pop(WIDGET_VIEW, None)
    return output


@contextmanager
def executed(path: Path) -> Iterator[tuple[NotebookClient, nbformat.NotebookNode]]:
    """Execute the notebook at ``path`` top to bottom in a fresh kernel and yield the client, whose
    kernel stays alive until the block ends (the grader test reruns cells in it), and a deep copy
    of the executed notebook with volatile metadata stripped: what ``make notebooks`` stores.

    ``client.nb`` keeps the raw executed notebook; rerunning cells in the kernel does not change
    the normalised copy."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        # The outputs are complete when the last cell replies; a graceful shutdown only waited
        # about a second per notebook for the kernel to acknowledge.
        shutdown_kernel="immediate",
    )
    with client.setup_kernel():
        # execute() inside setup_kernel: the kernel outlives it; setup_kernel shuts it down.
        client.execute(cleanup_kc=False)
        yield client, strip_volatile(copy.deepcopy(nb))


def execute(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` executed in a fresh kernel, volatile metadata stripped."""
    with executed(path) as (_, nb):
        return nb


def readme_figure(nb: nbformat.NotebookNode) -> bytes | None:
    """The PNG bytes of the first figure in the cell tagged ``readme-figure``, if any."""
    for cell in nb.cells:
        if README_TAG in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    return base64.b64decode(output["data"]["image/png"])
    return None


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: execute_notebooks.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for name in paths:
        path = Path(name)
        nb = execute(path)
        nbformat.write(nb, path)
        print(f"executed {path}")
        figure = readme_figure(nb)
        if figure is not None:
            FIGURES.mkdir(parents=True, exist_ok=True)
            (FIGURES / f"{path.stem}.png").write_bytes(figure)
            print(f"wrote docs/figures/{path.stem}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
