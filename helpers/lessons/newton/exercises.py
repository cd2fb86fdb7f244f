r"""Notebook 2's exercises: each answer computed with :mod:`helpers.newton` and the lesson's
problems, checked by :class:`helpers.exercises.ExerciseSet` (right or wrong and a hint, never
the answer).

Keys: ``"damped-steps"`` (damped Newton's step count on d2l's :math:`x\cos(0.15\pi x)`),
``"negative-curvature"`` (the direction of negative curvature at the saddle's start),
``"indefinite-y"`` (where the saddle's Hessian stops being indefinite), ``"gd-steps"`` (the
panel's GD step count at condition number :math:`10^{1.5}`).

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

__all__ = ["DAMPED", "EXERCISES", "PANEL", "SADDLE_START", "check"]

DAMPED = {"x0": 10.0, "damping": 1.0, "grad_tol": 1e-8, "max_steps": 200}
"""Exercise "damped-steps": start, damping (f'' + damping), and |f'| that counts as converged."""

SADDLE_START = (1.5, 0.25)
"""Exercise "negative-curvature": the start of the saddle runs of section 4."""

PANEL = {"kappa": 10**1.5, "lr": 1.5}
"""Exercise "gd-steps": a setting of the panel (condition number on the slider's grid)."""


def damped_steps() -> int:
    """Newton steps with damping 1 from x = 10 on :class:`XCos` until :math:`|f'| \\le 10^{-8}`
    (``converged_at`` of :func:`helpers.newton.run`)."""
    h = run(
        XCos(),
        np.array([DAMPED["x0"]]),
        DAMPED["max_steps"],
        damping=DAMPED["damping"],
        grad_tol=DAMPED["grad_tol"],
    )
    if h.converged_at < 0:
        raise RuntimeError("damped Newton did not converge within the exercise's steps")
    return int(h.converged_at)


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
    """The eigenvector of the saddle's Hessian at the start with the negative eigenvalue."""
    eig, vec = np.linalg.eigh(Saddle().hessian(np.array(SADDLE_START)))
    if not eig[0] < 0:
        raise RuntimeError("the saddle's Hessian has no negative curvature at the start")
    return vec[:, 0]


def indefinite_y() -> float:
    """The largest y > 0 at which :math:`f_{yy}` of :class:`Saddle` is negative, by bisection
    (60 halvings) on its Hessian between 0 (where it is -2) and 10."""
    saddle = Saddle()

    def f_yy(y: float) -> float:
        return float(saddle.hessian(np.array([0.0, y]))[1, 1])

    low, high = 0.0, 10.0
    if not (f_yy(low) < 0 < f_yy(high)):
        raise RuntimeError("f_yy does not change sign on [0, 10]")
    for _ in range(60):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if f_yy(mid) < 0 else (low, mid)
    return low


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
            why="damping shortens every step, so it takes more than the undamped line search",
            too_low="too few: damping 1 divides each step by f'' + 1, so progress is slower",
            too_high="too many: count the step at which |f'| first drops to 1e-8 (step 0 = start)",
            mistakes=[
                (lambda: 10, "10 is d2l's number of steps, not the steps to |f'| <= 1e-8"),
                (undamped_steps, "that is the count with a line search and no damping"),
            ],
        ),
        Exercise(
            "negative-curvature",
            negative_curvature,
            Tolerance(degrees=1.0),
            vector=True,
            why="along it v^T H v < 0: the quadratic model curves down",
            hint="look at the Hessian's diagonal: which entry is negative at y = 0.25?",
            mistakes=[
                (
                    lambda: np.array([1.0, 0.0]),
                    "along x the curvature is f_xx = 2 > 0: that is the positive one",
                )
            ],
        ),
        Exercise(
            "indefinite-y",
            indefinite_y,
            Tolerance(rel=1e-2),
            why="there f_yy changes sign; above it the Hessian is positive definite",
            too_low="f_yy is still negative a bit above that y",
            too_high="f_yy is already positive there: solve -2 + 12 q y^2 = 0",
            mistakes=[
                (
                    lambda: float(Saddle().minimizers[0, 1]),
                    "that is the minimum's y (f_y = 0), not where f_yy = 0",
                )
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
