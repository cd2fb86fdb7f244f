r"""Notebook 4's exercises: each answer computed with :mod:`helpers.stability` and the lesson's
problems, checked by :class:`helpers.exercises.ExerciseSet` (right or wrong and a hint, never
the answer). No answer is a number the notebook prints: each needs a computation, or the rate
map's slider moved away from its start.

Keys:

* ``"start-divergence"``: the largest lr for which the quadratic theory calls heavy ball with
  beta = :data:`START_BETA` stable at the top curvature breast cancer's runs meet at their start
  (w = 0, section 9);
* ``"nesterov-divergence"``: the lr above which Nesterov with beta = :data:`START_BETA` diverges
  on section 7's quadratic (eigenvalues 1/:data:`QUADRATIC_KAPPA` and 1);
* ``"optimal-beta"``: Polyak's heavy-ball beta for condition number :data:`SLIDER_KAPPA`, read
  from the rate map's slider.

Example:
    >>> check("nesterov-divergence", None)
    nesterov-divergence: not answered yet (put your answer in place of None)
"""

from __future__ import annotations

from functools import cache

import numpy as np

from helpers.data import breast_cancer
from helpers.exercises import Exercise, ExerciseSet, Tolerance
from helpers.problems.logistic import LogisticRegression
from helpers.problems.quadratic import conditioned_quadratic
from helpers.stability import optimal_heavy_ball, optimal_nesterov, stability_limit

__all__ = ["EXERCISES", "QUADRATIC_KAPPA", "SLIDER_KAPPA", "START_BETA", "check"]

START_BETA = 0.8
"""The momentum of the divergence exercises (the notebook prints its limits only at 0.9)."""

QUADRATIC_KAPPA = 100.0
"""Section 7's quadratic: eigenvalues 1/QUADRATIC_KAPPA and 1."""

SLIDER_KAPPA = 1000.0
"""The "optimal-beta" exercise's condition number: the rate map starts at 100, so the student
moves its slider here."""


@cache
def _start_curvature() -> float:
    """The largest Hessian eigenvalue of breast cancer's logistic loss at w = 0 (section 9)."""
    X, y = breast_cancer()
    problem = LogisticRegression(X, y)
    return float(np.linalg.eigvalsh(problem.hessian(np.zeros(problem.d)))[-1])


def _quadratic_curvature() -> float:
    return float(np.linalg.eigvalsh(conditioned_quadratic(QUADRATIC_KAPPA, largest=1.0).A)[-1])


def _start_lr(beta: float, nesterov: bool = False) -> float:
    return float(stability_limit(beta, nesterov) / _start_curvature())


def _quadratic_lr(beta: float, nesterov: bool) -> float:
    return float(stability_limit(beta, nesterov) / _quadratic_curvature())


EXERCISES = ExerciseSet(
    [
        Exercise(
            "start-divergence",
            lambda: _start_lr(START_BETA),
            Tolerance(rel=1e-2),
            why="above it an eigenvalue of heavy ball's iteration matrix at that curvature "
            "leaves the unit circle",
            too_low="too small: heavy ball is still stable there at that curvature",
            too_high="too large: at that curvature heavy ball is unstable already below it",
            hint="compare with the bound for heavy ball's iteration matrix in section 3",
            mistakes=[
                (lambda: _start_lr(0.0), "that is GD's bound; momentum widens it"),
                (lambda: _start_lr(START_BETA, True), "that is Nesterov's bound, not heavy ball's"),
                (lambda: _start_lr(0.9), "that is the bound for beta = 0.9, not 0.8"),
                (
                    lambda: float(stability_limit(START_BETA)),
                    "that is a bound on h = lr x curvature, not on lr",
                ),
            ],
        ),
        Exercise(
            "nesterov-divergence",
            lambda: _quadratic_lr(START_BETA, True),
            Tolerance(rel=1e-2),
            why="above it an eigenvalue of Nesterov's iteration matrix leaves the unit circle",
            too_low="too small: Nesterov still converges there",
            too_high="too large: Nesterov diverges already below it",
            hint="compare with the bound for Nesterov's iteration matrix in section 3",
            mistakes=[
                (lambda: _quadratic_lr(START_BETA, False), "that is heavy ball's bound"),
                (
                    lambda: _quadratic_lr(0.0, False),
                    "that is GD's bound; Nesterov's depends on beta",
                ),
                (lambda: _quadratic_lr(0.9, True), "that is the bound for beta = 0.9, not 0.8"),
                (
                    lambda: _quadratic_lr(START_BETA, True) * QUADRATIC_KAPPA,
                    "that uses the smallest eigenvalue; the largest one diverges first",
                ),
            ],
        ),
        Exercise(
            "optimal-beta",
            lambda: optimal_heavy_ball(1 / SLIDER_KAPPA, 1.0)[1],
            # 0.5%: the panel's 3 decimals pass, and the optimal rate and Nesterov's beta (1%
            # apart at this kappa) each get their own hint
            Tolerance(rel=5e-3),
            why="that is Polyak's optimal beta for that spectrum",
            too_low="too small: with less momentum the flattest direction is over-damped and slow",
            too_high="too large: with more momentum every direction spirals, slower",
            mistakes=[
                (
                    lambda: optimal_heavy_ball(1 / SLIDER_KAPPA, 1.0)[2],
                    "that is heavy ball's optimal rate, not its beta",
                ),
                (
                    lambda: optimal_nesterov(1 / SLIDER_KAPPA, 1.0)[1],
                    "that is Nesterov's optimal beta, not heavy ball's",
                ),
                (
                    lambda: optimal_heavy_ball(1 / QUADRATIC_KAPPA, 1.0)[1],
                    "that is the beta at the slider's start; move it to the condition number asked",
                ),
            ],
        ),
    ]
)

check = EXERCISES.check
