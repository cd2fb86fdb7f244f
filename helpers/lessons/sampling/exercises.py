r"""Notebook 3's exercises: each answer computed with :mod:`helpers.sampling`, checked by
:class:`helpers.exercises.ExerciseSet` (right or wrong and a hint, never the answer).

Keys: ``"unseen-two-epochs"`` (the fraction never seen after 2 epochs with replacement),
``"epochs-to-see-all"`` (the coupon collector's expected epochs), ``"repeated"`` (the fraction
of samples drawn twice or more in one epoch), ``"half-variance-b"`` (the smallest minibatch
drawn without replacement whose mean has at most half the variance).

Example:
    >>> check("repeated", None)
    repeated: not answered yet (put your answer in place of None)
"""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, ExerciseSet, Tolerance
from helpers.sampling import (
    coupon_mean_draws,
    minibatch_variance_factor,
    p_at_least_once,
    p_draw_on_repeated,
    p_repeated,
)

__all__ = ["EPOCHS", "EXERCISES", "N_BATCH", "N", "check"]

N = 10**4
"""The data set size of the first three exercises."""

EPOCHS = 2
"""Exercise "unseen-two-epochs": epochs of n draws each, with replacement."""

N_BATCH = 100
"""Exercise "half-variance-b": the data set size."""


def unseen_after_epochs() -> float:
    """P(a sample is never drawn in ``EPOCHS`` epochs) = (1 - P(seen in one epoch))^EPOCHS: the
    epochs' draws are independent, so the misses multiply."""
    return float((1 - p_at_least_once(N)) ** EPOCHS)


def epochs_to_see_all() -> float:
    """Expected draws until every sample is seen, in epochs: :math:`n H_n / n = H_n`."""
    return float(coupon_mean_draws(N) / N)


def repeated() -> float:
    """P(a sample is drawn twice or more in one epoch), :func:`p_repeated` at n = ``N``."""
    return float(p_repeated(N))


def half_variance_b() -> int:
    """The smallest b with :math:`(n - b)/(n - 1) \\le 1/2` at n = ``N_BATCH``."""
    b = np.arange(1, N_BATCH + 1)
    return int(b[np.argmax(minibatch_variance_factor(N_BATCH, b) <= 0.5)])


EXERCISES = ExerciseSet(
    [
        Exercise(
            "unseen-two-epochs",
            unseen_after_epochs,
            Tolerance(rel=1e-2),
            why="that is the fraction missed by both epochs",
            too_low="too small: a miss in both epochs is the one-epoch miss probability squared",
            too_high="too large: the sample must be missed in each of the two epochs",
            mistakes=[
                (lambda: 1 - p_at_least_once(N), "that is the fraction missed in one epoch"),
                (lambda: 0.0, "0 is without replacement; these epochs draw with replacement"),
            ],
        ),
        Exercise(
            "epochs-to-see-all",
            epochs_to_see_all,
            Tolerance(rel=1e-2),
            why="that is the coupon collector's expected number of epochs",
            too_low="too few: ln n is only the leading term of H_n (add Euler's 0.577...)",
            too_high="too many: the expected number of draws is n H_n, i.e. H_n epochs",
            mistakes=[(lambda: np.log(N), "ln n is only the leading term of H_n")],
        ),
        Exercise(
            "repeated",
            repeated,
            Tolerance(rel=1e-2),
            why="that is the fraction of samples drawn twice or more",
            too_low="too small: subtract P(never) and P(exactly once) from 1",
            too_high="too large: count samples drawn twice or more, not draws landing on them",
            mistakes=[
                (
                    lambda: p_draw_on_repeated(N),
                    "that counts draws landing on repeated samples, not samples",
                )
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
