r"""Notebook 1's exercises: each answer computed with the lesson's own theory, checked by
:class:`helpers.exercises.ExerciseSet` (right or wrong and a hint, never the answer).

Keys: ``"matched-k"`` (the smallest k whose matched-speed variance ratio exceeds 2),
``"same-step-limit"`` (the same-step ratio as k grows), ``"rescue-alpha"`` (the largest alpha at
which Lookahead(SGD) converges where SGD alone diverges), ``"ema-weight"`` (the weight the start
keeps in the slow weights).

Example:
    >>> check("matched-k", None)
    matched-k: not answered yet (put your answer in place of None)
"""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, ExerciseSet, Tolerance
from helpers.lessons.lookahead.explorer import SCENES
from helpers.lessons.lookahead.theory import (
    ema_expansion,
    nqm_matched_variance_ratio,
    nqm_variance_ratio,
    per_step_rate,
)

__all__ = ["EXERCISES", "MATCHED", "RESCUE", "check"]

MATCHED = {"lr_a": 0.2, "alpha": 0.5, "threshold": 2.0}
"""Exercise "matched-k": gamma * a, alpha, and the variance ratio to exceed."""

RESCUE = {"scene": "quadratic", "lr": 10**-1.35, "k": 5}
"""Exercise "rescue-alpha": the panel's quadratic, SGD inside at lr 10^-1.35 (on the slider's
grid, shown as 0.0447), k = 5, no noise."""

EMA = {"alpha": 0.2, "t": 10}
"""Exercise "ema-weight": alpha and the number of outer loops."""


def matched_k() -> int:
    """The smallest k >= 1 at which Lookahead's variance over SGD's at matched speed exceeds
    ``MATCHED["threshold"]`` (searched up to k = 1000)."""
    ks = np.arange(1, 1001)
    ratio = nqm_matched_variance_ratio(1.0, MATCHED["lr_a"], ks, MATCHED["alpha"])
    above = np.flatnonzero(ratio > MATCHED["threshold"])
    if above.size == 0:
        raise RuntimeError("the matched-speed ratio never exceeds the threshold up to k = 1000")
    return int(ks[above[0]])


def same_step_limit() -> float:
    """The same-step variance ratio at gamma * a = 0.2, alpha = 0.5 and k = 10^4 (r^k = 0)."""
    return float(nqm_variance_ratio(1.0, MATCHED["lr_a"], 10_000, MATCHED["alpha"]))


def _steep_curvature() -> float:
    return float(np.linalg.eigvalsh(SCENES[RESCUE["scene"]].problem.A)[-1])


def _converges(alpha: float) -> bool:
    curvatures = np.linalg.eigvalsh(SCENES[RESCUE["scene"]].problem.A)
    return per_step_rate(RESCUE["lr"], curvatures, k=RESCUE["k"], alpha=alpha) < 1


def rescue_alpha() -> float:
    """The largest alpha in (0, 1] at which Lookahead(SGD, lr, k) converges on the quadratic
    scene, by bisection (60 halvings) on the outer map's spectral radius
    (:func:`per_step_rate`, :math:`|1 - \\alpha(1 - r^k)|` per curvature); SGD alone (alpha = 1)
    diverges there."""
    if _converges(1.0) or not _converges(1e-9):
        raise RuntimeError("the rescue exercise's setting no longer has a largest alpha in (0, 1)")
    low, high = 1e-9, 1.0
    for _ in range(60):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if _converges(mid) else (low, mid)
    return low


def ema_weight() -> float:
    """The weight of phi_0 in phi_t after ``EMA["t"]`` outer loops, read off
    :func:`ema_expansion` with every theta = 0 and phi_0 = 1."""
    phis = ema_expansion(np.zeros((EMA["t"], 1)), np.ones(1), EMA["alpha"])
    return float(phis[-1, 0])


EXERCISES = ExerciseSet(
    [
        Exercise(
            "matched-k",
            matched_k,
            integer=True,
            why="from that k on an SGD just as fast fluctuates less than half as much",
            too_low="at that k the matched-speed ratio is still at most 2",
            too_high="a smaller k already gives a matched-speed ratio above 2",
            mistakes=[(lambda: 20, "k = 20 is the table's row; the ratio crosses 2 earlier")],
        ),
        Exercise(
            "same-step-limit",
            same_step_limit,
            Tolerance(rel=1e-3),
            why="that is the same-step ratio once r^k has vanished",
            too_low="the ratio decreases with k towards a positive limit, not below it",
            too_high="the ratio keeps falling as k grows; let r^k go to 0 in the second form",
            mistakes=[
                (
                    lambda: float(nqm_variance_ratio(1.0, MATCHED["lr_a"], 20, MATCHED["alpha"])),
                    "that is the ratio at k = 20; it keeps falling: let r^k go to 0",
                )
            ],
        ),
        Exercise(
            "rescue-alpha",
            rescue_alpha,
            Tolerance(rel=1e-2),
            why="below it the steep direction's outer factor |1 - alpha (1 - r^k)| is < 1",
            too_low=(
                "a larger alpha still converges (the alpha slider moves in steps of 0.05: "
                "compute the bound from the outer factor with the steep curvature)"
            ),
            too_high="at that alpha the steep direction's outer factor |1 - alpha (1 - r^k)| > 1",
            mistakes=[
                (
                    lambda: 2.0 / (1 + abs(1 - RESCUE["lr"] * _steep_curvature())),
                    "that is the bound for k = 1; raise |r| to the power k",
                )
            ],
        ),
        Exercise(
            "ema-weight",
            ema_weight,
            Tolerance(rel=1e-2),
            why="that is the weight the start keeps after those outer loops",
            too_low="too small: count the outer loops again (one factor 1 - alpha per loop)",
            too_high="too large: count the outer loops again (one factor 1 - alpha per loop)",
            mistakes=[
                (
                    lambda: EMA["alpha"] * (1 - EMA["alpha"]) ** (EMA["t"] - 1),
                    "that is the weight of the first inner loop's end point, not of phi_0",
                )
            ],
        ),
    ]
)

check = EXERCISES.check
