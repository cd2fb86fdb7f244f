r"""Notebook 1's exercises: each answer computed with the lesson's own theory, checked by
:class:`helpers.exercises.ExerciseSet` (right or wrong and a hint, never the answer).

Keys: ``"matched-k"`` (the smallest k whose matched-speed variance ratio exceeds 2),
``"same-step-limit"`` (the same-step ratio as k grows, at alpha = 0.8), ``"rescue-alpha"`` (the
largest alpha at which Lookahead(SGD) converges in the panel where SGD alone diverges),
``"ema-loops"`` (how many outer loops until the start keeps less than 1% of the slow weights).

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

__all__ = ["EMA", "EXERCISES", "LIMIT", "MATCHED", "RESCUE", "check"]

MATCHED = {"lr_a": 0.2, "alpha": 0.5, "threshold": 2.0}
"""Exercise "matched-k": gamma * a, alpha, and the variance ratio to exceed."""

RESCUE = {"scene": "quadratic", "lr": 10**-1.35, "k": 5}
"""Exercise "rescue-alpha": the panel's quadratic, SGD inside at lr 10^-1.35 (on the slider's
grid, shown as 0.0447), k = 5, no noise."""

LIMIT = {"lr_a": 0.2, "alpha": 0.8}
"""Exercise "same-step-limit": gamma * a and alpha (a setting whose limit no cell prints)."""

EMA = {"alpha": 0.2, "below": 0.01}
"""Exercise "ema-loops": alpha and the weight the start must fall below."""


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
    """The same-step variance ratio at ``LIMIT``'s gamma * a and alpha and k = 10^4 (r^k = 0)."""
    return float(nqm_variance_ratio(1.0, LIMIT["lr_a"], 10_000, LIMIT["alpha"]))


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


def ema_loops() -> int:
    """The smallest number t of outer loops after which phi_0's weight in phi_t is below
    ``EMA["below"]``, read off :func:`ema_expansion` with every theta = 0 and phi_0 = 1
    (searched up to t = 1000)."""
    phis = ema_expansion(np.zeros((1000, 1)), np.ones(1), EMA["alpha"])[:, 0]
    below = np.flatnonzero(phis < EMA["below"])
    if below.size == 0:
        raise RuntimeError("the start keeps its weight above the threshold for 1000 loops")
    return int(below[0])


def _rescue_bound(lr: float, k: int) -> float:
    """alpha's bound 2 / (1 + |r|^k) on the steep direction, r = 1 - lr * curvature."""
    return 2.0 / (1 + abs(1 - lr * _steep_curvature()) ** k)


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
                    lambda: float(nqm_variance_ratio(1.0, LIMIT["lr_a"], 20, LIMIT["alpha"])),
                    "that is the ratio at k = 20; it keeps falling: let r^k go to 0",
                ),
                (
                    lambda: float(nqm_variance_ratio(1.0, MATCHED["lr_a"], 10_000, 0.5)),
                    "that is the limit at alpha = 0.5; this exercise asks for alpha = 0.8",
                ),
            ],
        ),
        Exercise(
            "rescue-alpha",
            rescue_alpha,
            # 0.2%: every alpha above the answer diverges, so the band is narrow (0.52, whose
            # outer factor is 1.006, is rejected); it accepts the answer to three digits
            Tolerance(rel=2e-3),
            fraction=True,
            why=(
                "that is where the steep direction's outer factor |1 - alpha (1 - r^k)| reaches "
                "1: the slow weights converge below it, diverge above it"
            ),
            too_low=(
                "a larger alpha still converges (the alpha slider moves in steps of 0.05 and "
                "only brackets the answer: compute it from the outer factor)"
            ),
            too_high="at that alpha the steep direction's outer factor |1 - alpha (1 - r^k)| > 1",
            mistakes=[
                (
                    lambda: _rescue_bound(RESCUE["lr"], 1),
                    "that is the bound for k = 1; here the inner loop has k = 5 steps",
                ),
                (
                    lambda: _rescue_bound(round(RESCUE["lr"], 4), RESCUE["k"]),
                    "that uses the rounded readout 0.0447; use lr = 10**-1.35 itself "
                    "(the bound is sensitive to it)",
                ),
            ],
        ),
        Exercise(
            "ema-loops",
            ema_loops,
            integer=True,
            why="from that loop on the start keeps less than 1% of the slow weights",
            too_low="after that many outer loops the start still keeps at least 1%",
            too_high="fewer outer loops already bring the start's weight below 1%",
            mistakes=[
                (
                    lambda: ema_loops() - 1,
                    "after that many loops the start still keeps at least 1%: round up, not down",
                ),
                (
                    lambda: int(np.ceil(np.log(EMA["below"]) / np.log(EMA["alpha"]))),
                    "that is how fast a factor alpha per loop decays; the start keeps a factor "
                    "1 - alpha per loop",
                ),
            ],
        ),
    ]
)

check = EXERCISES.check
