r"""Run an optimizer on a problem: full batch (GD) or minibatch (SGD), one or C configurations.

``run`` repeats :math:`w_{t+1}, s_{t+1} = \mathrm{step}(w_t, \nabla f_{B_t}(w_t), s_t)` where
:math:`B_t` is the full data set (``batch_size=None``) or the t-th minibatch of
:func:`helpers.sampling.batch_indices`, and records the full-data loss after every step.

Divergence is a result, not a crash: a configuration whose loss becomes non-finite or exceeds
``blowup * max(1, |loss_0|)`` is stopped and marked; its later losses and parameters are NaN,
and it never emits numpy warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.optim import Optimizer
from helpers.problems import Objective
from helpers.sampling import SCHEMES, batch_indices

__all__ = ["History", "run"]


@dataclass(frozen=True)
class History:
    """What a run produced.

    For a single run (``w0`` of shape ``(d,)``): ``loss`` has shape ``(steps+1,)`` (the start
    included), ``params`` ``(steps+1, d)``, ``diverged`` is a bool and ``diverged_at`` the step at
    which divergence was detected (-1 if never). For a batched run (``w0`` of shape ``(C, d)``)
    each gains a leading axis of length C. A stopped run keeps the loss that stopped it (at
    ``diverged_at``); its later entries are NaN.
    """

    loss: np.ndarray
    params: np.ndarray
    diverged: np.ndarray | bool
    diverged_at: np.ndarray | int

    @property
    def final_loss(self) -> np.ndarray | float:
        """Loss after the last step (NaN where the run diverged)."""
        final = np.where(self.diverged, np.nan, self.loss[..., -1])
        return float(final) if final.ndim == 0 else final

    def __len__(self) -> int:
        """Number of configurations (1 for a single run)."""
        return 1 if self.loss.ndim == 1 else self.loss.shape[0]

    def config(self, c: int) -> History:
        """The single-run History of configuration ``c`` of a batched run."""
        if self.loss.ndim == 1:
            raise ValueError("config: this History holds a single run")
        c = check.integer("c", c, low=0, high=len(self) - 1)
        return History(
            self.loss[c], self.params[c], bool(self.diverged[c]), int(self.diverged_at[c])
        )


def run(
    problem: Objective,
    optimizer: Optimizer,
    w0: ArrayLike,
    steps: int,
    batch_size: int | None = None,
    scheme: str = "random_reshuffling",
    seed: int = 0,
    blowup: float = 1e6,
) -> History:
    """Run ``optimizer`` on ``problem`` for ``steps`` steps from ``w0``.

    Args:
        problem: an object with ``d``, ``n_samples``, ``loss(w[, idx])`` and ``grad(w[, idx])``
            (see :mod:`helpers.problems`).
        optimizer: an :class:`~helpers.optim.Optimizer`; its hyperparameters may be ``(C, 1)``
            arrays for a batched ``w0``.
        w0: start, shape ``(d,)`` or ``(C, d)``; C configurations run in one vectorized pass and
            see the same minibatch sequence.
        steps: number of steps (>= 0).
        batch_size: None for the full batch (gradient descent), else samples per step in
            [1, n_samples] (stochastic gradient descent).
        scheme, seed: the minibatch schedule, see :func:`helpers.sampling.batch_indices`.
        blowup: a loss above ``blowup * max(1, |loss_0|)`` counts as divergence (> 1).
    """
    steps = check.integer("steps", steps, low=0)
    w0 = check.as_finite_array("w0", w0, ndim=(1, 2))
    if w0.shape[-1] != problem.d:
        raise ValueError(f"w0 must have shape ({problem.d},) or (C, {problem.d}), got {w0.shape}")
    blowup = float(check.as_finite_array("blowup", blowup, ndim=(0,)))
    if blowup <= 1:
        raise ValueError(f"blowup must be > 1, got {blowup}")
    check.one_of("scheme", scheme, SCHEMES)
    check.integer("seed", seed, low=0)
    if batch_size is None:
        schedule = None
    else:
        if problem.n_samples is None:
            raise ValueError("batch_size must be None: this problem has no samples to batch")
        schedule = batch_indices(problem.n_samples, batch_size, steps, scheme, seed)

    single = w0.ndim == 1
    w = w0[None, :] if single else w0.copy()
    n_configs, d = w.shape
    state = optimizer.init(w)
    losses = np.full((steps + 1, n_configs), np.nan)
    params = np.full((steps + 1, n_configs, d), np.nan)
    diverged_at = np.full(n_configs, -1)
    # Full batch: evaluate the loss and the next step's gradient in one pass when the problem
    # offers ``loss_and_grad``; otherwise (or for minibatches) the gradient is taken separately.
    fused = schedule is None and hasattr(problem, "loss_and_grad")

    def evaluate(w: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        return problem.loss_and_grad(w) if fused else (problem.loss(w), None)

    with np.errstate(all="ignore"):
        losses[0], grad = evaluate(w)
        params[0] = w
        limit = blowup * np.maximum(1.0, np.abs(losses[0]))
        alive = np.isfinite(losses[0])
        diverged_at[~alive] = 0
        for t in range(steps):
            if schedule is not None:
                grad = problem.grad(w, schedule[t])
            elif grad is None:
                grad = problem.grad(w)
            w_new, state = optimizer.step(w, grad, state)
            loss, grad_new = evaluate(w_new)
            bad = alive & ~(np.isfinite(loss) & (loss <= limit) & np.isfinite(w_new).all(axis=1))
            losses[t + 1, alive] = loss[alive]
            params[t + 1, alive] = w_new[alive]
            diverged_at[bad] = t + 1
            alive &= ~bad
            # Stopped configurations stay at their last finite point so later steps stay finite.
            keep = alive[:, None]
            w = np.where(keep, w_new, w)
            grad = None if grad_new is None else np.where(keep, grad_new, grad)
    diverged = diverged_at >= 0
    if single:
        return History(losses[:, 0], params[:, 0], bool(diverged[0]), int(diverged_at[0]))
    return History(losses.T.copy(), params.transpose(1, 0, 2).copy(), diverged, diverged_at)
