"""helpers.lessons.sampling.minibatch: per-example gradients and the measured minibatch variance."""

import numpy as np
import pytest

from helpers.lessons.sampling import minibatch
from helpers.problems.least_squares import LeastSquares, synthetic_regression


@pytest.fixture(scope="module")
def problem():
    return LeastSquares(*synthetic_regression(10, d=3, seed=1), l2=0.2)


def test_per_example_grads_are_the_problem_gradients(problem):
    w = np.array([0.3, -1.0, 2.0])
    grads = minibatch.per_example_grads(problem, w)
    for i in range(problem.n_samples):
        np.testing.assert_allclose(grads[i], problem.grad(w, np.array([i])), rtol=1e-12)
    np.testing.assert_allclose(grads.mean(axis=0), problem.grad(w), rtol=1e-12)
    with pytest.raises(ValueError, match=r"^w"):
        minibatch.per_example_grads(problem, np.zeros(2))
    with pytest.raises(TypeError, match=r"^problem"):
        minibatch.per_example_grads(object(), w)


def test_exact_variance_by_enumeration(problem):
    import itertools

    grads = minibatch.per_example_grads(problem, np.zeros(3))[:5]
    mean = grads.mean(axis=0)
    for b in range(1, 6):
        with_r = [
            np.sum((grads[list(c)].mean(0) - mean) ** 2)
            for c in itertools.product(range(5), repeat=b)
        ]
        without = [
            np.sum((grads[list(c)].mean(0) - mean) ** 2)
            for c in itertools.permutations(range(5), b)
        ]
        exact_with, exact_without = minibatch.exact_variance(grads, b)
        assert exact_with[0] == pytest.approx(np.mean(with_r), rel=1e-12)
        assert exact_without[0] == pytest.approx(np.mean(without), rel=1e-12, abs=1e-15)


def test_measure_is_seeded_and_agrees_at_every_seed(problem):
    grads = minibatch.per_example_grads(problem, problem.minimizer)
    bs = [1, 3, 9, 10]
    a = minibatch.measure(grads, bs, 400, range(8))
    b = minibatch.measure(grads, bs, 400, range(8))
    np.testing.assert_array_equal(a.with_repl, b.with_repl)
    assert a.with_repl.shape == (8, 4) and a.ratio.shape == (8, 4)
    for seeds in [range(8 * k, 8 * k + 8) for k in range(10)]:
        z_with, z_without = minibatch.measure(grads, bs, 400, seeds).z()
        assert np.abs(z_with).max() < 5 and np.abs(z_without).max() < 5
    assert np.all(a.without[:, -1] < 1e-25)  # b = n: the full batch, no variance
    np.testing.assert_allclose(a.factor, (10 - np.array(bs)) / 9)


def test_measure_validates(problem):
    grads = minibatch.per_example_grads(problem, problem.minimizer)
    with pytest.raises(ValueError, match=r"^bs"):
        minibatch.measure(grads, [11], 10, range(8))
    with pytest.raises(ValueError, match=r"^draws"):
        minibatch.measure(grads, [1], 1, range(8))
    with pytest.raises(ValueError, match=r"^seeds"):
        minibatch.measure(grads, [1], 10, [1, 1])
    with pytest.raises(ValueError, match=r"^grads"):
        minibatch.exact_variance(grads[:1], [1])
