"""The write-up's own final-loss tables (problem 4), and orderings compared with ours.

The data (``data/problem4_final_losses.csv``, provenance in ``data/README.md``) are the final
losses as the write-up prints them; a missing or garbled cell is NaN here and explained in the
``note`` column. Orderings are compared with Kendall's tau over the cells both tables have.
"""

from __future__ import annotations

import re
from importlib import resources

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.lessons.optimizers.grid import OPTIMIZERS

__all__ = [
    "kendall_tau",
    "load_writeup_losses",
    "possible_readings",
    "rank_table",
    "writeup_table",
]

DATA_FILE = "problem4_final_losses.csv"


def load_writeup_losses() -> pd.DataFrame:
    """The write-up's final losses: columns ``optimizer, lr, beta, final_loss, note`` (56 rows,
    beta NaN without momentum, final_loss NaN where the write-up has no legible value).

    Example:
        >>> df = load_writeup_losses()
        >>> len(df), int(df["final_loss"].isna().sum())
        (56, 5)
    """
    source = resources.files("helpers.lessons.optimizers") / "data" / DATA_FILE
    with resources.as_file(source) as path:
        df = pd.read_csv(path, dtype={"optimizer": str, "note": str})
    df["note"] = df["note"].fillna("")
    return df


_COLUMNS = ("optimizer", "lr", "beta", "final_loss", "note")


def _writeup(name: str, df) -> pd.DataFrame:
    """``df`` if it is a DataFrame with the columns of :func:`load_writeup_losses`."""
    check.instance(name, df, pd.DataFrame, "a load_writeup_losses DataFrame")
    if not set(_COLUMNS) <= set(df.columns):
        raise ValueError(f"{name} must be a load_writeup_losses DataFrame ({', '.join(_COLUMNS)})")
    return df


def possible_readings(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """The write-up's losses with each out-of-line cell replaced by the reading its note
    suggests ("... (possibly 0.49)"); every other cell, and the missing ones, unchanged. A
    column ``reread`` marks the replaced cells.

    Example:
        >>> df = possible_readings()
        >>> df.loc[df["reread"], ["optimizer", "lr", "beta", "final_loss"]].to_numpy().tolist()
        [['SGD+momentum', 0.01, 0.9, 0.49], ['SGD+Nesterov', 0.1, 0.7, 0.066]]
    """
    df = (load_writeup_losses() if df is None else _writeup("df", df)).copy()
    found = df["note"].map(lambda note: re.search(r"possibly ([0-9]*\.?[0-9]+)", note))
    reread = found.map(lambda m: m is not None).astype(bool)
    df.loc[reread, "final_loss"] = [float(m.group(1)) for m in found[reread]]
    return df.assign(reread=reread)


def writeup_table(name: str, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """One optimizer's write-up table, rows lr and columns beta ("-" without momentum), like
    :meth:`~helpers.lessons.optimizers.grid.GridResult.final_loss_table`."""
    check.one_of("name", name, OPTIMIZERS)
    df = load_writeup_losses() if df is None else _writeup("df", df)
    rows = df[df["optimizer"] == name]
    beta = rows["beta"].map(lambda b: "-" if np.isnan(b) else b)
    table = rows.assign(beta=beta).pivot(index="lr", columns="beta", values="final_loss")
    table.columns.name, table.index.name = "beta", "lr"
    return table


def rank_table(table: pd.DataFrame) -> pd.DataFrame:
    """Ranks of a final-loss table's cells, 1 = lowest loss; NaN cells stay NaN (ties: average).

    Example:
        >>> rank_table(pd.DataFrame([[0.3, 0.1], [np.nan, 0.2]])).to_numpy().tolist()
        [[3.0, 1.0], [nan, 2.0]]
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame, got {type(table).__name__}")
    values = table.stack(future_stack=True)
    return values.rank(method="average").unstack().reindex_like(table)


def kendall_tau(a: ArrayLike, b: ArrayLike) -> tuple[float, int]:
    r"""Kendall's tau-a of two orderings over the positions where both are finite, and how many
    positions that is: :math:`\tau = (C - D) / \binom{m}{2}` with C concordant and D discordant
    pairs (ties count as neither). +1: the same order, -1: reversed. NaN for fewer than 2.

    Example:
        >>> kendall_tau([1, 2, 3, 4], [10, 20, 40, 30])
        (0.6666666666666666, 4)
    """
    a, b = check.real_array("a", a), check.real_array("b", b)
    if a.ndim not in (1, 2) or b.ndim not in (1, 2):
        raise ValueError(f"a and b must be 1-D or 2-D (tables), got shapes {a.shape} and {b.shape}")
    a, b = a.ravel(), b.ravel()
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same size, got {a.size} and {b.size}")
    both = np.isfinite(a) & np.isfinite(b)
    a, b, m = a[both], b[both], int(both.sum())
    if m < 2:
        return float("nan"), m
    i, j = np.triu_indices(m, k=1)
    s = np.sign(a[i] - a[j]) * np.sign(b[i] - b[j])
    return float(s.sum() / i.size), m
