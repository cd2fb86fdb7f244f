r"""Notebook 4's exercises: each answer computed with :mod:`helpers.stability` and the lesson's
problems, checked by :class:`helpers.exercises.ExerciseSet` (right or wrong and a hint, never
the answer).

Keys: ``"momentum-divergence"`` and ``"nesterov-divergence"`` (the lr above which heavy ball and
Nesterov with beta = 0.9 diverge on section 7's quadratic), ``"optimal-beta"`` (Polyak's beta for
condition number 100, the rate map's slider at its start).

Example:
    >>> check("nesterov-divergence", None)
    nesterov-divergence: not answered yet (put your answer in place of None)
"""

from __future__ import annotations

import numpy as np

from helpers import _validate
from helpers.exercises import Exercise, ExerciseSet, Tolerance
from helpers.problems.quadratic import conditioned_quadratic
from helpers.stability import optimal_heavy_ball, stability_limit

__all__ = ["BETA", "EXERCISES", "KAPPA", "check"]

BETA = 0.9
"""The momentum of the divergence exercises."""

KAPPA = 100.0
"""Section 7's quadratic (eigenvalues 1/KAPPA and 1) and the "optimal-beta" exercise."""


def _largest_curvature() -> float:
    return float(np.linalg.eigvalsh(conditioned_quadratic(KAPPA, largest=1.0).A)[-1])


def divergence_lr(nesterov: bool) -> float:
    """The lr above which momentum ``BETA`` diverges on section 7's quadratic: the stability
    limit of :func:`helpers.stability.stability_limit` over the largest curvature."""
    nesterov = _validate.flag("nesterov", nesterov)
    return float(stability_limit(BETA, nesterov) / _largest_curvature())


def gd_divergence_lr() -> float:
    """GD's limit 2/L on the same quadratic (a known wrong answer)."""
    return float(stability_limit(0.0) / _largest_curvature())


def optimal_beta() -> float:
    """Polyak's optimal heavy-ball beta for eigenvalues in [1/KAPPA, 1]."""
    return optimal_heavy_ball(1 / KAPPA, 1.0)[1]


EXERCISES = ExerciseSet(
    [
        Exercise(
            "momentum-divergence",
            lambda: divergence_lr(False),
            Tolerance(rel=1e-2),
            why="above it an eigenvalue of heavy ball's iteration matrix leaves the unit circle",
            too_low="too small: heavy ball still converges there (lr * L < 2 + 2 beta)",
            too_high="too large: it diverges already below that (lr * L must stay < 2 + 2 beta)",
            mistakes=[
                (gd_divergence_lr, "that is GD's bound 2/L; momentum widens it"),
                (lambda: divergence_lr(True), "that is Nesterov's bound, not heavy ball's"),
            ],
        ),
        Exercise(
            "nesterov-divergence",
            lambda: divergence_lr(True),
            Tolerance(rel=1e-2),
            why="above it an eigenvalue of Nesterov's iteration matrix leaves the unit circle",
            too_low="too small: Nesterov still converges there",
            too_high="too large: Nesterov's bound is tighter than heavy ball's",
            mistakes=[
                (lambda: divergence_lr(False), "that is heavy ball's bound 2 + 2 beta over L"),
                (gd_divergence_lr, "that is GD's bound 2/L; Nesterov's depends on beta"),
            ],
        ),
        Exercise(
            "optimal-beta",
            optimal_beta,
            Tolerance(rel=1e-2),
            why="that is Polyak's optimal beta for that spectrum",
            too_low="too small: with less momentum the flattest direction is over-damped and slow",
            too_high="too large: with more momentum every direction spirals at rate sqrt(beta)",
            mistakes=[
                (
                    lambda: optimal_heavy_ball(1 / KAPPA, 1.0)[2],
                    "that is the optimal rate; beta is its square",
                )
            ],
        ),
    ]
)

check = EXERCISES.check
