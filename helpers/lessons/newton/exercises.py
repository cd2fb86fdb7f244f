r"""Notebook 2's exercises: each answer computed with :mod:`helpers.newton` and the lesson's
problems, checked by :class:`helpers.exercises.ExerciseSet` (right or wrong and a hint, never
the answer).

Keys: ``"damped-steps"`` (damped Newton's step count on d2l's :math:`x\cos(0.15\pi x)`),
``"negative-curvature"`` (the eigenvector of the most negative eigenvalue of Rosenbrock's
Hessian at ``ROSENBROCK_POINT``, where the Hessian is not diagonal), ``"indefinite-y"`` (where
the Hessian of a saddle with another quartic than section 4's stops being indefinite),
``"gd-prediction"`` (GD's step count on the panel's quadratic predicted from its slowest
contraction factor) and ``"gd-steps"`` (the count the panel's title shows there).

Example:
    >>> check("gd-steps", None)
    gd-steps: not answered yet (put your answer in place of None)
"""

from __future__ import annotations

import inspect

import numpy as np

from helpers.exercises import Exercise, ExerciseSet, Tolerance
from helpers.lessons.newton.explorer import QuadraticExplorer, gd_until_close
from helpers.newton import run, steps_to_tolerance
from helpers.problems.functions import Saddle, XCos
from helpers.problems.quadratic import conditioned_quadratic
from helpers.problems.rosenbrock import Rosenbrock

__all__ = ["DAMPED", "EXERCISES", "PANEL", "QUARTIC", "ROSENBROCK_POINT", "check"]

DAMPED = {"x0": 10.0, "damping": 1.0, "grad_tol": 1e-8, "max_steps": 200}
"""Exercise "damped-steps": start, damping (f'' + damping), and |f'| that counts as converged."""

ROSENBROCK_POINT = (0.5, 1.0)
"""Exercise "negative-curvature": a point where Rosenbrock's Hessian is indefinite and not
diagonal (so no coordinate axis is an eigenvector)."""

QUARTIC = 0.2
"""Exercise "indefinite-y": the saddle :math:`x^2 - y^2 + q y^4` with this q (section 4 uses
0.5, whose inflection the notebook prints)."""

PANEL = {"kappa": 10**1.5, "lr": 1.5}
"""Exercise "gd-steps": a setting of the panel (condition number on the slider's grid)."""


def damped_steps() -> int:
    """Newton steps with damping 1 from x = 10 on :class:`XCos` until :math:`|f'| \\le 10^{-8}`
    (``converged_at`` of :func:`helpers.newton.run`)."""
    h = damped_run()
    if h.converged_at < 0:
        raise RuntimeError("damped Newton did not converge within the exercise's steps")
    return int(h.converged_at)


def damped_run():
    """The damped run of exercise "damped-steps" (its :class:`helpers.newton.NewtonHistory`)."""
    return run(
        XCos(),
        np.array([DAMPED["x0"]]),
        DAMPED["max_steps"],
        damping=DAMPED["damping"],
        grad_tol=DAMPED["grad_tol"],
    )


def undamped_steps() -> int:
    """The same count without damping and with a line search (a known wrong answer)."""
    h = run(
        XCos(),
        np.array([DAMPED["x0"]]),
        DAMPED["max_steps"],
        line_search=True,
        grad_tol=DAMPED["grad_tol"],
    )
    return int(h.converged_at)


def negative_curvature() -> np.ndarray:
    """The unit eigenvector of the most negative eigenvalue of Rosenbrock's Hessian at
    ``ROSENBROCK_POINT``."""
    eig, vec = np.linalg.eigh(Rosenbrock().hessian(np.array(ROSENBROCK_POINT)))
    if not eig[0] < 0:
        raise RuntimeError("Rosenbrock's Hessian has no negative curvature at the point")
    return vec[:, 0]


def positive_curvature() -> np.ndarray:
    """The other eigenvector (of the positive eigenvalue): a known wrong answer."""
    return np.linalg.eigh(Rosenbrock().hessian(np.array(ROSENBROCK_POINT)))[1][:, 1]


def negative_gradient() -> np.ndarray:
    """The steepest-descent direction at the point: a known wrong answer."""
    return -Rosenbrock().grad(np.array(ROSENBROCK_POINT))


def indefinite_y() -> float:
    """The largest y > 0 at which :math:`f_{yy}` of ``Saddle(quartic=QUARTIC)`` is negative, by
    bisection (60 halvings) on its Hessian between 0 (where it is -2) and 10."""
    saddle = Saddle(quartic=QUARTIC)

    def f_yy(y: float) -> float:
        return float(saddle.hessian(np.array([0.0, y]))[1, 1])

    low, high = 0.0, 10.0
    if not (f_yy(low) < 0 < f_yy(high)):
        raise RuntimeError("f_yy does not change sign on [0, 10]")
    for _ in range(60):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if f_yy(mid) < 0 else (low, mid)
    return low


def _panel_problem():
    defaults = {
        name: p.default for name, p in inspect.signature(QuadraticExplorer).parameters.items()
    }
    return conditioned_quadratic(PANEL["kappa"], defaults["angle"]), defaults


def gd_prediction() -> float:
    r"""GD's predicted step count on the panel's quadratic at ``PANEL``: the error shrinks by at
    most the largest contraction factor :math:`r = \max_i |1 - \eta\lambda_i|` per step (the
    eigenvalues of the problem's Hessian), so reaching ``tol`` takes
    :math:`\ln(1/\text{tol}) / (-\ln r)` steps."""
    problem, defaults = _panel_problem()
    lam = np.linalg.eigvalsh(problem.hessian(np.zeros(2)))
    rate = float(np.max(np.abs(1 - PANEL["lr"] * lam)))
    if not 0 < rate < 1:
        raise RuntimeError("GD does not contract in the panel's setting")
    return float(np.log(1 / defaults["tol"]) / -np.log(rate))


def gd_prediction_linearized() -> float:
    r"""The prediction with :math:`-\ln(1 - a) \approx a` (a known, 2% too large, answer)."""
    problem, defaults = _panel_problem()
    lam = np.linalg.eigvalsh(problem.hessian(np.zeros(2)))
    return float(np.log(1 / defaults["tol"]) / (PANEL["lr"] * lam.min()))


def gd_steps() -> int:
    """The GD step count the panel's title shows at ``PANEL``: steps until the distance to the
    minimizer is at most the explorer's ``tol`` times the start's (the explorer's own defaults
    for the start, the rotation and the tolerance)."""
    defaults = {
        name: p.default for name, p in inspect.signature(QuadraticExplorer).parameters.items()
    }
    w0 = np.asarray(defaults["w0"], dtype=float)
    problem = conditioned_quadratic(PANEL["kappa"], defaults["angle"])
    history = gd_until_close(problem, PANEL["lr"], w0, defaults["tol"], defaults["max_steps"])
    dist = np.linalg.norm(history.params, axis=-1) / np.linalg.norm(w0)
    steps = steps_to_tolerance(dist, defaults["tol"])
    if steps < 0:
        raise RuntimeError("GD does not reach the tolerance in the panel's setting")
    return int(steps)


EXERCISES = ExerciseSet(
    [
        Exercise(
            "damped-steps",
            damped_steps,
            integer=True,
            why=(
                "here, where f'' > 0 along the run, damping shortens every step, so it takes "
                "more than the undamped line search"
            ),
            too_low="too few: damping 1 divides each step by f'' + 1, so progress is slower",
            too_high="too many: count the step at which |f'| first drops to 1e-8 (step 0 = start)",
            mistakes=[
                (
                    lambda: -1,
                    "converged_at = -1 means the run stopped before |f'| <= 1e-8: "
                    "give run more steps (its third argument)",
                ),
                (lambda: 10, "10 is d2l's number of steps, not the steps to |f'| <= 1e-8"),
                (undamped_steps, "that is the count with a line search and no damping"),
            ],
        ),
        Exercise(
            "negative-curvature",
            negative_curvature,
            Tolerance(degrees=1.0),
            vector=True,
            why="no unit vector has a smaller v^T H v: the model curves down fastest along it",
            hint=(
                "an eigenvector v satisfies H v = lambda v (compare H v with v); of the two, "
                "take the one whose lambda is the most negative"
            ),
            mistakes=[
                (
                    lambda: np.array([1.0, 0.0]),
                    "the Hessian there is not diagonal: the x axis is not an eigenvector",
                ),
                (
                    lambda: np.array([0.0, 1.0]),
                    "the Hessian there is not diagonal: the y axis is not an eigenvector",
                ),
                (positive_curvature, "that eigenvector's eigenvalue is positive (curving up)"),
                (
                    negative_gradient,
                    "that is the direction of steepest descent, -grad f, not an eigenvector",
                ),
            ],
        ),
        Exercise(
            "indefinite-y",
            indefinite_y,
            Tolerance(rel=1e-2),
            why="there f_yy changes sign; above it the Hessian is positive definite",
            too_low="f_yy is still negative a bit above that y",
            too_high="f_yy is already positive there: look for the y where f_yy = 0",
            mistakes=[
                (
                    lambda: float(Saddle(quartic=QUARTIC).minimizers[0, 1]),
                    "that is the minimum's y (f_y = 0), not where f_yy = 0",
                ),
                (
                    lambda: 1 / np.sqrt(3),
                    "that is the inflection of section 4's saddle (quartic 0.5), not of this one",
                ),
            ],
        ),
        Exercise(
            "gd-prediction",
            gd_prediction,
            Tolerance(rel=5e-3),
            why="the flat direction's factor is the slowest, and it sets the count",
            too_low="too few: the count is set by the direction that contracts the slowest",
            too_high="too many: check the two eigenvalues of the panel's quadratic and the lr",
            mistakes=[
                (
                    gd_prediction_linearized,
                    "close, but that linearizes the logarithm; keep -ln r exact",
                ),
            ],
        ),
        Exercise(
            "gd-steps",
            gd_steps,
            integer=True,
            why="it is the count in the panel's title at that setting",
            too_low="too few: read the GD count in the panel's title at that setting",
            too_high="too many: read the GD count in the panel's title at that setting",
        ),
    ]
)

check = EXERCISES.check
