r"""Notebook 3's exercises: each answer computed with :mod:`helpers.sampling` (or the lesson's
SGD runs), checked by :class:`helpers.exercises.ExerciseSet` (right or wrong and a hint, never
the answer).

Keys: ``"unseen-three-epochs"`` (the exact fraction never drawn in 3 epochs with replacement at
n = 10), ``"epochs-to-see-all"`` (the coupon collector's expected epochs at n = 50),
``"floor-ratio"`` (from the SGD panel: by what factor halving the step lowers shuffle once's
noise floor), ``"half-variance-b"`` (the smallest minibatch drawn without replacement whose
mean has at most half the variance).

The sizes are chosen so that no number the notebook prints is an answer: at n = 10 the exact
fraction differs from the large-n limit by 15%, n = 50 appears in no table, and the floors at
n = 64 are only shown by the panel.

Example:
    >>> check("floor-ratio", None)
    floor-ratio: not answered yet (put your answer in place of None)
"""

from __future__ import annotations

import functools

import numpy as np

from helpers.exercises import Exercise, ExerciseSet, Tolerance
from helpers.lessons.sampling.explorer import sorted_problem
from helpers.lessons.sampling.shuffling import run_schemes
from helpers.sampling import (
    coupon_mean_draws,
    harmonic,
    minibatch_variance_factor,
    p_at_least_once,
)

__all__ = [
    "EPOCHS",
    "EXERCISES",
    "N_BATCH",
    "N_COUPON",
    "N_FLOOR",
    "N_UNSEEN",
    "check",
    "floor_ratios",
]

N_UNSEEN = 10
"""Exercise "unseen-three-epochs": the data set size (small, so the exact law is needed)."""

EPOCHS = 3
"""Exercise "unseen-three-epochs": epochs of n draws each, with replacement."""

N_COUPON = 50
"""Exercise "epochs-to-see-all": the data set size."""

N_FLOOR = 64
"""Exercise "floor-ratio": the SGD panel's n (batch size 1, 40 epochs, seeds 0-7)."""

FLOOR_STEPS = (0.1, 0.05)
"""Exercise "floor-ratio": the two steps compared (both on the panel's slider)."""

N_BATCH = 100
"""Exercise "half-variance-b": the data set size."""


def unseen_after_epochs() -> float:
    """P(a sample is never drawn in ``EPOCHS`` epochs of n = ``N_UNSEEN`` draws)
    = (1 - P(seen in one epoch))^EPOCHS: the epochs' draws are independent."""
    return float((1 - p_at_least_once(N_UNSEEN)) ** EPOCHS)


def epochs_to_see_all() -> float:
    """Expected draws until every sample is seen, in epochs: :math:`n H_n / n = H_n`."""
    return float(coupon_mean_draws(N_COUPON) / N_COUPON)


@functools.cache
def floor_ratios() -> dict[str, float]:
    """Per scheme, floor at step 0.1 / floor at step 0.05: :meth:`SchemeRuns.floor` over the last
    quarter of 40 epochs (what the SGD panel's legend shows as "floor at ends"), n = ``N_FLOOR``,
    batch size 1, seeds 0-7, from w = 0. Computed once (about 0.1 s)."""
    problem = sorted_problem(N_FLOOR)
    runs = run_schemes(problem, np.zeros(problem.d), 40, list(FLOOR_STEPS), seeds=range(8))
    floors = runs.floor(0.25)
    return {s: float(floors[i, 0] / floors[i, 1]) for i, s in enumerate(runs.schemes)}


def half_variance_b() -> int:
    """The smallest b with :math:`(n - b)/(n - 1) \\le 1/2` at n = ``N_BATCH``."""
    b = np.arange(1, N_BATCH + 1)
    return int(b[np.argmax(minibatch_variance_factor(N_BATCH, b) <= 0.5)])


EXERCISES = ExerciseSet(
    [
        Exercise(
            "unseen-three-epochs",
            unseen_after_epochs,
            Tolerance(rel=1e-3),
            fraction=True,
            why="that is the exact fraction missed by all three epochs",
            too_low="too small: a sample must be missed in each epoch, no more",
            too_high="too large: the sample must be missed in each of the three epochs",
            mistakes=[
                (lambda: np.exp(-EPOCHS), "that is the large-n limit; at n = 10 use the exact law"),
                (lambda: 1 - p_at_least_once(N_UNSEEN), "that is the fraction missed in one epoch"),
                (lambda: 0.0, "0 is without replacement; these epochs draw with replacement"),
            ],
        ),
        Exercise(
            "epochs-to-see-all",
            epochs_to_see_all,
            Tolerance(rel=1e-2),
            why="that is the coupon collector's expected number of epochs",
            too_low="too few: the last unseen samples take long to turn up",
            too_high="too many: count the expected draws, then convert them to epochs",
            mistakes=[
                (lambda: np.log(N_COUPON), "ln n is only the leading term of H_n"),
                (
                    lambda: coupon_mean_draws(N_COUPON),
                    "that is the number of draws; the question asks for epochs",
                ),
                (
                    lambda: harmonic(N_COUPON) - np.log(N_COUPON),
                    "that is H_n - ln n, not H_n",
                ),
            ],
        ),
        Exercise(
            "floor-ratio",
            lambda: floor_ratios()["shuffle_once"],
            Tolerance(rel=0.1),
            why="halving the step quarters shuffle once's floor, an O(step^2) floor",
            too_low="too small: read shuffle once's floor, not sampling with replacement's",
            too_high="too large: divide the floor at step 0.1 by the floor at step 0.05",
            mistakes=[
                (
                    lambda: floor_ratios()["with_replacement"],
                    "that is sampling with replacement's factor; the question asks for shuffle once",
                ),
                (
                    lambda: 1 / floor_ratios()["shuffle_once"],
                    "that is the inverse: the floor at step 0.05 over the floor at step 0.1",
                ),
                (
                    lambda: floor_ratios()["random_reshuffling"],
                    "that is random reshuffling's factor; the question asks for shuffle once",
                ),
            ],
        ),
        Exercise(
            "half-variance-b",
            half_variance_b,
            integer=True,
            why="(n - b)/(n - 1) first drops to 1/2 there",
            too_low="at that b the factor (n - b)/(n - 1) is still above 1/2",
            too_high="a smaller b already gives a factor (n - b)/(n - 1) of at most 1/2",
            mistakes=[(lambda: N_BATCH // 2, "at b = n/2 the factor is (n/2)/(n - 1) > 1/2")],
        ),
    ]
)

check = EXERCISES.check
