"""Loss tables rendered in a form we control: the same bytes on every pandas version.

A :class:`LossTable` shows a pandas DataFrame of final losses with the best cell highlighted and
diverged runs written as "diverged" (or, for tables copied from elsewhere whose empty cells are
not runs at all, another label such as "missing": ``LossTable(values, missing="missing")``). It renders as HTML in JupyterLab and as aligned plain text
elsewhere (and in nbval's comparison), without pandas' Styler, whose markup changes between
releases.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import _validate as check

__all__ = ["LossTable", "SideBySide", "format_loss", "side_by_side"]

DIVERGED = "diverged"


def format_loss(value: float, digits: int = 3, missing: str = DIVERGED) -> str:
    """A loss with ``digits`` significant digits, NaN or inf as ``missing`` ("diverged").

    Example:
        >>> format_loss(0.0012345), format_loss(float("nan")), format_loss(float("nan"), 3, "-")
        ('0.00123', 'diverged', '-')
    """
    value = check.real("value", value)
    digits = check.integer("digits", digits, low=1, high=17)
    check.text("missing", missing)
    if not np.isfinite(value):
        return missing
    return f"{value:.{digits}g}"


@dataclass(frozen=True)
class LossTable:
    """A table of losses (lower is better) whose best finite cell is highlighted.

    ``values`` holds the losses (NaN where a run diverged); ``title`` is shown above it.
    ``missing`` is the text of a non-finite cell: "diverged" (the default, shown in red in HTML)
    for our runs; for a table copied from a document, whose empty cells are values the document
    does not give, pass another label (e.g. ``missing="missing"``), shown in grey.
    """

    values: pd.DataFrame
    title: str = ""
    digits: int = 3
    missing: str = DIVERGED

    def __post_init__(self) -> None:
        if not isinstance(self.values, pd.DataFrame) or self.values.empty:
            raise ValueError("values must be a non-empty pandas DataFrame")
        check.integer("digits", self.digits, low=1, high=12)
        check.text("title", self.title)
        if not isinstance(self.missing, str) or not self.missing:
            raise ValueError(f"missing must be a non-empty string, got {self.missing!r}")

    @property
    def best(self) -> tuple[object, object] | None:
        """(row label, column label) of the smallest finite loss, None if every run diverged."""
        arr = self.values.to_numpy(dtype=float)
        if not np.isfinite(arr).any():
            return None
        i, j = np.unravel_index(np.nanargmin(np.where(np.isfinite(arr), arr, np.nan)), arr.shape)
        return self.values.index[i], self.values.columns[j]

    def cells(self) -> list[list[str]]:
        """The formatted cells, row by row (without headers)."""
        return [
            [format_loss(v, self.digits, self.missing) for v in row]
            for row in self.values.to_numpy(float)
        ]

    def __repr__(self) -> str:
        index_name = str(self.values.index.name or "")
        col_name = str(self.values.columns.name or "")
        header = [f"{index_name} \\ {col_name}".strip(" \\")] + [
            str(c) for c in self.values.columns
        ]
        best = self.best
        body = []
        for label, row in zip(self.values.index, self.cells(), strict=True):
            marked = [
                f"*{cell}" if best == (label, col) else cell
                for col, cell in zip(self.values.columns, row, strict=True)
            ]
            body.append([str(label), *marked])
        widths = [max(len(r[k]) for r in [header, *body]) for k in range(len(header))]
        lines = [self.title] if self.title else []
        for r in [header, *body]:
            lines.append("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
        if best is not None:
            lines.append("(* best)")
        else:
            lines.append("(every run diverged)" if self.missing == DIVERGED else "(no values)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        best = self.best
        esc = html.escape
        corner = esc(f"{self.values.index.name or ''} \\ {self.values.columns.name or ''}")
        head = "".join(f"<th>{esc(str(c))}</th>" for c in self.values.columns)
        rows = []
        for label, row in zip(self.values.index, self.cells(), strict=True):
            tds = []
            for col, cell in zip(self.values.columns, row, strict=True):
                if best == (label, col):
                    style = ' style="background:#c7e9c0;font-weight:bold"'
                elif cell == DIVERGED and self.missing == DIVERGED:
                    style = ' style="color:#b2182b"'
                elif cell == self.missing:
                    style = ' style="color:#888888"'
                else:
                    style = ""
                tds.append(f"<td{style}>{esc(cell)}</td>")
            rows.append(f"<tr><th>{esc(str(label))}</th>{''.join(tds)}</tr>")
        caption = f"<caption>{esc(self.title)}</caption>" if self.title else ""
        return (
            f'<table class="loss-table">{caption}<thead><tr><th>{corner}</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )


def side_by_side(tables: list[LossTable]) -> SideBySide:
    """Several tables in one row (HTML) or one after the other (text)."""
    return SideBySide(tuple(check.sequence("tables", tables, "LossTable")))


@dataclass(frozen=True)
class SideBySide:
    """Tables shown next to each other in HTML and stacked in plain text."""

    tables: tuple[LossTable, ...]

    def __post_init__(self) -> None:
        tables = check.sequence("tables", self.tables, "LossTable")
        if not tables or not all(isinstance(t, LossTable) for t in tables):
            raise TypeError(f"tables must be a non-empty sequence of LossTable, got {tables!r}")

    def __repr__(self) -> str:
        return "\n\n".join(repr(t) for t in self.tables)

    def _repr_html_(self) -> str:
        cells = "".join(
            f'<div style="margin-right:1.5em">{t._repr_html_()}</div>' for t in self.tables
        )
        return f'<div style="display:flex;flex-wrap:wrap;align-items:flex-start">{cells}</div>'
