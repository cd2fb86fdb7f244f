"""Execute notebooks in place, deterministically: the project's one way to store outputs.

Usage: ``python tools/execute_notebooks.py notebooks/*.ipynb`` (``make notebooks``).

Each notebook runs top to bottom in a fresh ``python3`` kernel with its own folder as working
directory. Volatile metadata is stripped so that re-executing an unchanged notebook gives an
identical file: per-cell execution timestamps, the widget state (random model ids) and the
widget-view outputs that point at it (a widget needs a live kernel anyway).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TIMEOUT_S = 600


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove execution timestamps, widget state and widget-view outputs, in place."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
    return nb


def execute(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` executed in a fresh kernel, volatile metadata stripped."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return strip_volatile(nb)


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: execute_notebooks.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for name in paths:
        path = Path(name)
        nb = execute(path)
        nbformat.write(nb, path)
        print(f"executed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
