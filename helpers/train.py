r"""Run an optimizer on a problem: full batch (GD) or minibatch (SGD), one or C configurations.

``run`` repeats :math:`w_{t+1}, s_{t+1} = \mathrm{step}(w_t, \nabla f_{B_t}(w_t), s_t)` where
:math:`B_t` is the full data set (``batch_size=None``) or the t-th minibatch of
:func:`helpers.sampling.batch_indices`, and records the full-data loss after every step.

Divergence is a result, not a crash: a configuration whose loss becomes non-finite or leaves
``[-blowup * max(1, |loss_0|), blowup * max(1, |loss_0|)]`` (both ways: on an unbounded problem
f -> -inf diverges too) or whose params become non-finite (e.g. Adam's, once g * g exceeds the
float range, see :func:`helpers.optim.adam`) is stopped and marked; its later losses and parameters are NaN,
and it never emits numpy warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.optim import Optimizer
from helpers.problems import Objective
from helpers.sampling import SCHEMES, batch_indices, batch_indices_per_seed

__all__ = ["History", "run"]


@dataclass(frozen=True)
class History:
    """What a run produced.

    For a single run (``w0`` of shape ``(d,)``): ``loss`` has shape ``(L,)`` with the full-data
    loss at the logged steps ``steps`` (every step by default, so ``L = steps + 1``, the start
    included), ``params`` ``(L, d)``, ``diverged`` is a bool and ``diverged_at`` the step at which
    divergence was detected (-1 if never). For a batched run (``w0`` of shape ``(C, d)``) each gains
    a leading axis of length C (``steps`` is shared). A stopped run keeps the loss that stopped it;
    its later entries are NaN. ``tracked`` holds what ``run(..., track=...)`` read from the
    optimizer state at the logged steps (e.g. Lookahead's slow weights), else None.
    """

    loss: np.ndarray
    params: np.ndarray
    diverged: np.ndarray | bool
    diverged_at: np.ndarray | int
    steps: np.ndarray | None = None
    tracked: np.ndarray | None = None

    def __post_init__(self) -> None:
        loss = check.real_array("loss", self.loss)  # NaN after a stop, inf at a blow-up
        if loss.ndim not in (1, 2) or loss.shape[-1] == 0:
            raise ValueError(f"loss must have shape (L,) or (C, L), L >= 1, got {loss.shape}")
        runs = loss.shape[:-1]
        params = check.real_array("params", self.params)
        if params.ndim != loss.ndim + 1 or params.shape[:-1] != loss.shape or not params.size:
            raise ValueError(
                f"params must have one row of d >= 1 entries per entry of loss {loss.shape}, got "
                f"params {params.shape}"
            )
        if check.boolean("diverged", self.diverged).shape != runs:
            raise ValueError(f"diverged must have shape {runs}, got {np.shape(self.diverged)}")
        diverged_at = check.as_finite_array("diverged_at", self.diverged_at)
        if np.any(diverged_at != np.round(diverged_at)) or np.any(diverged_at < -1):
            raise ValueError(f"diverged_at must hold step numbers >= -1, got {self.diverged_at!r}")
        if diverged_at.shape != runs:
            raise ValueError(
                f"diverged_at must have shape {runs}, got {np.shape(self.diverged_at)}"
            )
        if self.steps is None:
            object.__setattr__(self, "steps", np.arange(np.shape(self.loss)[-1]))
        elif check.integers("steps", self.steps, low=0).shape != loss.shape[-1:]:
            raise ValueError(
                f"steps must hold the {loss.shape[-1]} logged step numbers, got shape "
                f"{np.shape(self.steps)}"
            )
        if self.tracked is not None and check.real_array("tracked", self.tracked).shape != (
            params.shape
        ):
            raise ValueError(
                f"tracked must be None or have the shape of params {params.shape}, got "
                f"{np.shape(self.tracked)}"
            )

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
        tracked = None if self.tracked is None else self.tracked[c]
        return History(  # copies: changing the result never changes this History
            self.loss[c].copy(),
            self.params[c].copy(),
            bool(self.diverged[c]),
            int(self.diverged_at[c]),
            self.steps.copy(),
            None if tracked is None else tracked.copy(),
        )


def _schedule(problem, batch_size, steps, scheme, seed, n_configs, single):
    """Minibatch indices ``(steps, B)`` (one shared sequence) or ``(steps, C, B)`` (one per seed)."""
    if np.ndim(seed) == 0:
        check.integer("seed", seed, low=0)
    else:
        seeds = list(np.asarray(seed).ravel()) if np.ndim(seed) == 1 else None
        if single or seeds is None or len(seeds) != n_configs:
            raise ValueError(
                f"seed must be one integer >= 0 or, for a batched w0 of C = {n_configs} rows, "
                f"C integers (one minibatch sequence per configuration), got {seed!r}"
            )
        for s in seeds:
            check.integer("seed", s, low=0)
    if batch_size is None:
        return None
    if problem.n_samples is None:
        raise ValueError("batch_size must be None: this problem has no samples to batch")
    if np.ndim(seed) == 0:
        return batch_indices(problem.n_samples, batch_size, steps, scheme, seed)
    # Equal seeds give equal sequences: build each distinct one once.
    unique, inverse = np.unique(np.asarray(seed, dtype=int), return_inverse=True)
    per_seed = batch_indices_per_seed(problem.n_samples, batch_size, steps, scheme, unique)
    return per_seed[inverse].transpose(1, 0, 2)


def run(
    problem: Objective,
    optimizer: Optimizer,
    w0: ArrayLike,
    steps: int,
    batch_size: int | None = None,
    scheme: str = "random_reshuffling",
    seed: int | Sequence[int] = 0,
    blowup: float = 1e6,
    log_every: int = 1,
    track: Callable[[Any], np.ndarray] | None = None,
) -> History:
    """Run ``optimizer`` on ``problem`` for ``steps`` steps from ``w0``.

    Args:
        problem: an object with ``d``, ``n_samples``, ``loss(w[, idx])`` and ``grad(w[, idx])``
            (see :mod:`helpers.problems`).
        optimizer: an :class:`~helpers.optim.Optimizer`; its hyperparameters may be ``(C, 1)``
            arrays for a batched ``w0``.
        w0: start, shape ``(d,)`` or ``(C, d)``; C configurations run in one vectorized pass.
        steps: number of steps (>= 0).
        batch_size: None for the full batch (gradient descent), else samples per step in
            [1, n_samples] (stochastic gradient descent).
        scheme: the minibatch schedule, see :func:`helpers.sampling.batch_indices`.
        seed: one seed (>= 0): every configuration sees the same minibatch sequence; or, for a
            batched ``w0``, one seed per configuration: each gets its own sequence and
            ``problem.grad`` receives ``idx`` of shape ``(C, batch_size)``.
        blowup: a loss above ``blowup * max(1, |loss_0|)`` or below minus that counts as
            divergence (> 1).
        log_every: record the full-data loss and the params at steps 0, log_every,
            2 log_every, ... and at the last step (>= 1). With minibatches the full-data loss is
            the expensive part, so logging less often saves most of the time. Divergence is
            detected at logged steps, and at every step for non-finite params.
        track: optional function of the optimizer state whose value (shape of ``w0``) is recorded
            at the logged steps in ``History.tracked``, e.g. ``lambda s: s.slow`` for Lookahead.
    """
    check.objective("problem", problem)
    check.optimizer("optimizer", optimizer)
    steps = check.integer("steps", steps, low=0)
    w0 = check.points("w0", w0, problem.d)
    blowup = check.number("blowup", blowup, above=1)
    check.one_of("scheme", scheme, SCHEMES)
    log_every = check.integer("log_every", log_every, low=1)
    check.function("track", track, optional=True)
    single = w0.ndim == 1
    w = w0[None, :] if single else w0.copy()
    n_configs, d = w.shape
    schedule = _schedule(problem, batch_size, steps, scheme, seed, n_configs, single)

    logged = np.unique(np.r_[np.arange(0, steps + 1, log_every), steps])
    slot = np.full(steps + 1, -1)
    slot[logged] = np.arange(len(logged))
    state = optimizer.init(w)
    losses = np.full((len(logged), n_configs), np.nan)
    params = np.full((len(logged), n_configs, d), np.nan)
    tracked = None if track is None else np.full((len(logged), n_configs, d), np.nan)
    diverged_at = np.full(n_configs, -1)
    # Full batch: evaluate the loss and the next step's gradient in one pass when the problem
    # offers ``loss_and_grad``; otherwise (or for minibatches) the gradient is taken separately.
    fused = schedule is None and hasattr(problem, "loss_and_grad")

    def evaluate(w: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        return problem.loss_and_grad(w) if fused else (problem.loss(w), None)

    def record(t: int, loss: np.ndarray, w: np.ndarray, state, alive: np.ndarray) -> None:
        losses[slot[t], alive] = loss[alive]
        params[slot[t], alive] = w[alive]
        if tracked is not None:
            value = np.broadcast_to(np.asarray(track(state), dtype=float), w.shape)
            tracked[slot[t], alive] = value[alive]

    with np.errstate(all="ignore"):
        loss, grad = evaluate(w)
        alive = np.isfinite(loss)
        diverged_at[~alive] = 0
        record(0, loss, w, state, np.ones(n_configs, dtype=bool))
        limit = blowup * np.maximum(1.0, np.abs(loss))
        for t in range(steps):
            # show: minibatch gradient
            if schedule is not None:
                grad = problem.grad(w, schedule[t])
            elif grad is None:
                grad = problem.grad(w)
            w_new, state = optimizer.step(w, grad, state)
            # end show: minibatch gradient
            bad = alive & ~np.isfinite(w_new).all(axis=1)
            if fused or slot[t + 1] >= 0:
                loss, grad_new = evaluate(w_new)
                bad |= alive & ~(np.isfinite(loss) & (np.abs(loss) <= limit))
            else:
                grad_new = None
            if slot[t + 1] >= 0:
                record(t + 1, loss, w_new, state, alive)
            diverged_at[bad] = t + 1
            alive &= ~bad
            if not alive.any():  # every configuration stopped: the steps left stay NaN
                break
            # Stopped configurations stay at their last finite point so later steps stay finite.
            if alive.all():  # the usual case: no masking, two passes over (C, d) fewer
                w, grad = w_new, grad_new
            else:
                keep = alive[:, None]
                w = np.where(keep, w_new, w)
                grad = None if grad_new is None else np.where(keep, grad_new, grad)
    diverged = diverged_at >= 0
    if single:
        return History(
            losses[:, 0].copy(),
            params[:, 0].copy(),
            bool(diverged[0]),
            int(diverged_at[0]),
            logged,
            None if tracked is None else tracked[:, 0].copy(),
        )
    return History(
        losses.T.copy(),
        params.transpose(1, 0, 2).copy(),
        diverged,
        diverged_at,
        logged,
        None if tracked is None else tracked.transpose(1, 0, 2).copy(),
    )
