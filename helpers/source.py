r"""Show the lines of the library that make an algorithm, read from its own source.

A notebook that teaches an algorithm shows the few lines that run it with
``show(function, "section")``: the lines between the marker comments ``# show: section`` and
``# end show: section`` inside ``function`` (markers excluded, dedented), or, without a section,
the function's whole body below its docstring. The text comes from the source file at run time
(:func:`inspect.getsourcelines`), so what the notebook shows is what runs; a marker that is
missing or doubled is an error, not an empty excerpt.

The returned :class:`Source` displays in Jupyter as a Python code block (``text/markdown``)
with a caption naming the file, the function and the line numbers, and as the same text in
plain-text renderers.

Example:
    >>> from helpers.optim import sgd
    >>> print(show(sgd, "momentum step").code.splitlines()[0])
    velocity = momentum * state.velocity + grad
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass
from pathlib import Path

from helpers import _validate as check

__all__ = ["Source", "excerpt", "show"]

START = "# show: "
STOP = "# end show: "
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Source:
    """Lines of a function's source: ``code`` (dedented), the ``path`` of its file relative to
    the project, the function's ``name`` and the first and last ``lines`` shown (1-based)."""

    code: str
    path: str
    name: str
    lines: tuple[int, int]

    def __post_init__(self) -> None:
        for name in ("code", "path", "name"):
            check.text(name, getattr(self, name))
        lines = self.lines
        if not (
            isinstance(lines, tuple | list)
            and len(lines) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in lines)
            and 1 <= lines[0] <= lines[1]
        ):
            raise ValueError(
                f"lines must be two integers (first, last), 1 <= first <= last, got {lines!r:.60}"
            )

    @property
    def caption(self) -> str:
        first, last = self.lines
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        return f"{self.path}, {self.name}, {where}"

    def _repr_markdown_(self) -> str:
        return f"`{self.caption}`\n\n```python\n{self.code}\n```"

    def __repr__(self) -> str:
        return f"# {self.caption}\n{self.code}"


def _lines(function) -> tuple[list[str], int, str, str]:
    """The function's source lines, the line number of the first, its file and its name."""
    target = inspect.unwrap(function)
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        raise TypeError(f"function must be a Python function, got {type(function).__name__}")
    lines, first = inspect.getsourcelines(target)
    path = Path(inspect.getsourcefile(target) or "").resolve()
    try:
        shown_path = path.relative_to(ROOT).as_posix()
    except ValueError:
        shown_path = path.name
    return lines, first, shown_path, f"{target.__module__}.{target.__qualname__}"


def _marker(lines: list[str], marker: str, name: str) -> int:
    found = [i for i, line in enumerate(lines) if line.strip() == marker.rstrip()]
    if len(found) != 1:
        what = "no" if not found else f"{len(found)}"
        raise ValueError(
            f"section must name a section of {name} marked once, but {name} has {what} marker "
            f"line {marker.rstrip()!r} (needs exactly one)"
        )
    return found[0]


def excerpt(function, section: str | None = None) -> Source:
    """The lines of ``function`` between ``# show: <section>`` and ``# end show: <section>``, or
    its whole body below the docstring when ``section`` is None, as a :class:`Source`.

    Args:
        function: a Python function (of the project or any other module).
        section: the marker name, a non-empty string, or None.

    Raises:
        TypeError: ``function`` is not a Python function, or ``section`` not a string.
        ValueError: the section's start or end marker is missing, doubled, or out of order, or
            the section is empty.
    """
    if section is not None and (not isinstance(section, str) or not section.strip()):
        raise TypeError(f"section must be a non-empty string or None, got {section!r}")
    lines, first, path, name = _lines(function)
    if section is None:
        tree = ast.parse(textwrap.dedent("".join(lines)))
        node = tree.body[0]
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            raise TypeError(f"{name} is not a function definition")
        body = node.body
        if (
            isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
            and len(body) > 1
        ):
            body = body[1:]
        start, stop = body[0].lineno - 1, node.end_lineno  # 0-based, stop exclusive
    else:
        begin = _marker(lines, START + section, name)
        end = _marker(lines, STOP + section, name)
        if end <= begin + 1:
            raise ValueError(
                f"section must name a non-empty section: {name}'s section {section!r} is empty "
                "or its markers are reversed"
            )
        start, stop = begin + 1, end
    kept = [ln for ln in lines[start:stop] if not ln.strip().startswith((START, STOP))]
    code = textwrap.dedent("".join(kept)).rstrip("\n")
    return Source(code, path, name, (first + start, first + stop - 1))


def show(function, section: str | None = None) -> Source:
    """:func:`excerpt` under the name a notebook calls: the last expression of a cell displays
    it as a code block."""
    return excerpt(function, section)
