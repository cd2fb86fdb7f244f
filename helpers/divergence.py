r"""Two-sided divergence detection for the hand-written loops (outside :func:`helpers.train.run`
and :func:`helpers.newton.run`), with the same convention as those two.

A row (one configuration, chain or seed) has diverged at step t when

* its params are not finite, or :math:`\|w_t\|_\infty > \text{blowup}\cdot\max(1, \|w_0\|_\infty)`
  (|w| -> inf, in either direction), or
* its loss (when the loop has one) is not finite or
  :math:`|f_t| > \text{blowup}\cdot\max(1, |f_0|)`: f -> +inf *and* f -> -inf (an indefinite or
  unbounded problem) both count.

:class:`Watch` keeps the per-row verdict; loops run under ``np.errstate(all="ignore")`` so an
overflow on the way is never a RuntimeWarning, stop a row at the step that flagged it, and report
the result as a :class:`Trajectory`: a plain tuple (so ``phis, thetas = algorithm1(...)`` keeps
working) that also carries ``diverged``, ``diverged_at`` and ``status``.

Example:
    >>> watch = Watch(params0=np.zeros((2, 1)), blowup=10.0)
    >>> watch.update(1, params=np.array([[1.0], [-50.0]])).tolist()  # row 1: |w| > 10
    [True, False]
    >>> watch.diverged_at.tolist(), watch.status(3)
    ([-1, 1], ('ran 3 steps', 'diverged at step 1'))
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = ["Trajectory", "Watch"]


class Watch:
    """Which rows of a loop are still alive, and when the others diverged.

    Args:
        params0: the start, shape ``(C, d)`` (or ``(d,)``: one row); sets the params limit.
        loss0: the loss at the start, shape ``(C,)`` or a number, or None for a loop without one.
        blowup: the factor (> 1) of both limits, as in :func:`helpers.train.run` (default 1e6).
    """

    def __init__(
        self, params0: ArrayLike, loss0: ArrayLike | None = None, blowup: float = 1e6
    ) -> None:
        blowup = check.number("blowup", blowup, above=1)
        params0 = np.atleast_2d(check.as_finite_array("params0", params0, ndim=(1, 2)))
        if params0.size == 0:
            raise ValueError(f"params0 must have shape (d,) or (C, d), d >= 1, got {params0.shape}")
        rows = params0.shape[0]
        if loss0 is not None:
            loss0 = check.as_finite_array("loss0", loss0, ndim=(0, 1))
            if loss0.ndim == 1 and loss0.shape != (rows,):
                raise ValueError(
                    f"loss0 must be a number or have shape ({rows},) (one per row of params0), "
                    f"got {loss0.shape}"
                )
        with np.errstate(all="ignore"):
            self.params_limit = blowup * np.maximum(1.0, np.max(np.abs(params0), axis=1))
            self.loss_limit = None
            if loss0 is not None:
                loss0 = np.broadcast_to(loss0, (rows,))
                self.loss_limit = blowup * np.maximum(1.0, np.abs(loss0))
        self.alive = np.ones(rows, dtype=bool)
        self.diverged_at = np.full(rows, -1)
        if loss0 is not None:
            self.update(0, loss=loss0)
        self.update(0, params=params0)

    def update(
        self, t: int, params: ArrayLike | None = None, loss: ArrayLike | None = None
    ) -> np.ndarray:
        """Check step ``t``'s ``params`` ``(C, d)`` and/or ``loss`` ``(C,)``; mark the rows that
        diverge here, and return the mask of rows still alive.

        ``params`` may hold more than the start's columns (e.g. the params and an optimizer's
        velocity side by side): shape ``(C, k)``, or ``(k,)`` for one row; NaN and inf are what
        it detects. ``loss``: a number or shape ``(C,)``, NaN and inf allowed."""
        t = check.integer("t", t, low=0)
        rows = self.alive.size
        if params is not None:
            params = check.real_array("params", params)
            if (
                params.ndim not in (1, 2)
                or (params.ndim == 2 and params.shape[0] != rows)
                or (params.ndim == 1 and rows != 1)
            ):
                allowed = f"(k,) or ({rows}, k)" if rows == 1 else f"({rows}, k)"
                raise ValueError(f"params must have shape {allowed}, got {params.shape}")
        if loss is not None:
            loss = check.real_array("loss", loss)
            if loss.ndim > 1 or (loss.ndim == 1 and loss.shape != (rows,)):
                raise ValueError(f"loss must be a number or have shape ({rows},), got {loss.shape}")
        bad = np.zeros_like(self.alive)
        with np.errstate(all="ignore"):
            if params is not None:
                params = params.reshape(rows, -1)
                top = np.max(np.abs(params), axis=1) if params.shape[1] else np.zeros(len(bad))
                bad |= ~(np.isfinite(params).all(axis=1) & (top <= self.params_limit))
            if loss is not None:
                loss = np.broadcast_to(loss, self.alive.shape)
                ok = np.isfinite(loss)
                if self.loss_limit is not None:
                    ok &= np.abs(loss) <= self.loss_limit
                bad |= ~ok
        bad &= self.alive
        self.diverged_at[bad] = t
        self.alive &= ~bad
        return self.alive.copy()

    @property
    def diverged(self) -> np.ndarray:
        """``(C,)`` bool: which rows diverged."""
        return self.diverged_at >= 0

    def status(self, steps: int) -> tuple[str, ...]:
        """One line per row: ``"ran <steps> steps"`` or ``"diverged at step t"``."""
        steps = check.integer("steps", steps, low=0)
        return tuple(
            f"diverged at step {t}" if t >= 0 else f"ran {steps} steps" for t in self.diverged_at
        )


class Trajectory(tuple):
    """A loop's arrays as a plain tuple (unpack it as before), plus how the run ended.

    ``diverged`` / ``diverged_at`` are a bool / int for a single run and arrays for several
    rows; ``status`` is one string (or a tuple of them) such as ``"diverged at step 12"``.
    """

    diverged: np.ndarray | bool
    diverged_at: np.ndarray | int
    status: str | tuple[str, ...]

    def __new__(cls, arrays, diverged_at: ArrayLike = -1, steps: int = 0) -> Trajectory:
        """``arrays``: the tuple's items; ``diverged_at``: an int (single run) or an integer
        array (-1 where a row never diverged, e.g. :attr:`Watch.diverged_at`); ``steps``: the
        steps the loop was asked for (for ``status``)."""
        if isinstance(arrays, str | bytes) or not isinstance(arrays, tuple | list):
            raise TypeError(
                f"arrays must be a tuple or list of the loop's arrays, got {arrays!r:.80}"
            )
        for item in arrays:
            check.instance("arrays", item, np.ndarray, "a tuple of numpy arrays")
        at = check.integers("diverged_at", diverged_at, low=-1)
        steps = check.integer("steps", steps, low=0)
        self = super().__new__(cls, arrays)
        text = np.vectorize(
            lambda t: f"diverged at step {t}" if t >= 0 else f"ran {steps} steps", otypes=[object]
        )
        if at.ndim == 0:
            self.diverged, self.diverged_at, self.status = bool(at >= 0), int(at), str(text(at))
        else:
            self.diverged, self.diverged_at = at >= 0, at
            self.status = tuple(text(at).ravel().tolist()) if at.ndim == 1 else text(at)
        return self

    def __reduce__(self):
        """Pickle / deepcopy keep the verdict (a tuple subclass would otherwise drop it)."""
        return (_rebuild, (tuple(self), self.diverged, self.diverged_at, self.status))


def _rebuild(arrays, diverged, diverged_at, status) -> Trajectory:
    self = tuple.__new__(Trajectory, arrays)
    self.diverged, self.diverged_at, self.status = diverged, diverged_at, status
    return self
