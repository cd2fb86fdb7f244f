"""helpers.timing: the measuring functions run the work they time (no timed assertions)."""

import numpy as np
import pytest

from helpers.optim import sgd
from helpers.timing import compare_seconds_per_step, fastest, median_seconds, seconds_per_step


def test_median_seconds_calls_warmup_plus_repeats():
    calls = []
    assert median_seconds(lambda: calls.append(1), repeats=3, warmup=2) >= 0
    assert len(calls) == 5


def test_seconds_per_step_runs_the_optimizer_with_the_gradient():
    seen = []

    def grad(w):
        seen.append(w.copy())
        return np.ones_like(w)

    assert seconds_per_step(sgd(0.5), np.zeros(2), grad, steps=3, repeats=1) >= 0
    # warm-up + 1 repeat, each 3 steps from the same start: 0, -0.5, -1
    np.testing.assert_allclose([s[0] for s in seen], [0.0, -0.5, -1.0] * 2)


def test_compare_runs_both_optimizers_in_alternation():
    calls = []

    def grad(w):
        calls.append(float(w[0]))
        return np.ones_like(w)

    fast, slow = compare_seconds_per_step(sgd(1.0), sgd(2.0), np.zeros(1), grad, steps=2, repeats=2)
    assert fast >= 0 and slow >= 0
    # warm-ups (lr 1 then lr 2), then two alternating repeats; each loop starts from 0
    assert calls == [0.0, -1.0, 0.0, -2.0] * 3


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: median_seconds(lambda: None, repeats=0), "repeats"),
        (lambda: median_seconds(lambda: None, warmup=-1), "warmup"),
        (lambda: seconds_per_step(sgd(0.1), np.zeros(2), None, steps=0), "steps"),
        (lambda: seconds_per_step(sgd(0.1), np.array([np.nan]), None), "params"),
        (lambda: compare_seconds_per_step(sgd(0.1), sgd(0.2), np.zeros(2), None, 1, 0), "repeats"),
    ],
)
def test_bad_arguments(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()


def test_fastest_returns_the_first_result_and_runs_every_repeat():
    calls = []
    result, seconds = fastest(lambda: calls.append(len(calls)) or len(calls), repeats=3)
    assert result == 1 and calls == [0, 1, 2] and seconds >= 0
