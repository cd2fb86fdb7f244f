import numpy as np
import pytest

from helpers.lessons.optimizers.nesterov import sutskever_nesterov
from helpers.optim import sgd
from helpers.problems import Quadratic
from helpers.train import run


def test_lookahead_points_are_pytorch_iterates():
    problem = Quadratic(np.diag([1.0, 10.0]), np.array([1.0, -2.0]))
    w0 = np.array([3.0, 2.0])
    theta, v = sutskever_nesterov(problem.grad, w0, 0.05, 0.9, 40)
    torch_style = run(problem, sgd(0.05, momentum=0.9, nesterov=True), w0, 40)
    np.testing.assert_allclose(theta + 0.9 * v, torch_style.params, rtol=0, atol=1e-12)
    assert theta.shape == v.shape == (41, 2)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"lr": 0.0}, "lr"),
        ({"beta": 1.0}, "beta"),
        ({"steps": -1}, "steps"),
        ({"theta0": [np.nan, 0.0]}, "theta0"),
    ],
)
def test_rejects_bad_arguments(kwargs, name):
    args = {"theta0": [1.0, 1.0], "lr": 0.1, "beta": 0.5, "steps": 3} | kwargs
    with pytest.raises(ValueError, match=name):
        sutskever_nesterov(lambda w: w, **args)
