r"""Every objective of the notebooks, with ``loss``, ``grad``, ``hessian`` and ``hvp``.

Every method accepts one parameter vector ``w`` of shape ``(d,)`` or a batch of C vectors of shape
``(C, d)`` and returns, respectively, a scalar / ``(C,)`` loss, a ``(d,)`` / ``(C, d)`` gradient,
a ``(d, d)`` / ``(C, d, d)`` Hessian and a ``(d,)`` / ``(C, d)`` Hessian-vector product.

One module per objective:

* :mod:`~helpers.problems.logistic`: :class:`LogisticRegression` (and a seeded synthetic one of
  any size), with the overflow-free :func:`sigmoid` and :func:`softplus`;
* :mod:`~helpers.problems.quadratic`: :class:`Quadratic` and :func:`conditioned_quadratic`, a
  rotated 2-D quadratic of chosen condition number;
* :mod:`~helpers.problems.rosenbrock`: :class:`Rosenbrock`'s valley;
* :mod:`~helpers.problems.least_squares`: :class:`LeastSquares`, a finite sum with per-example
  gradients (notebook 3);
* :mod:`~helpers.problems.mlp`: :class:`MLP`, a batched tanh network (notebook 1);
* :mod:`~helpers.problems.noisy`: :class:`NoisyGradient`, seeded gradient noise around any of them;
* :mod:`~helpers.problems.functions`: d2l's 1-D :class:`Cosh` and :class:`XCos` and the
  :class:`Saddle` (notebook 2);
* :mod:`~helpers.problems.base`: the :class:`Objective` protocol that :func:`helpers.train.run`
  needs.
"""

from helpers.problems.base import Objective
from helpers.problems.functions import Cosh, Saddle, XCos
from helpers.problems.least_squares import LeastSquares, synthetic_regression
from helpers.problems.logistic import (
    LogisticRegression,
    random_logistic_regression,
    sigmoid,
    softplus,
)
from helpers.problems.mlp import MLP
from helpers.problems.noisy import NoisyGradient
from helpers.problems.quadratic import Quadratic, conditioned_quadratic
from helpers.problems.rosenbrock import Rosenbrock

__all__ = [
    "MLP",
    "Cosh",
    "LeastSquares",
    "LogisticRegression",
    "NoisyGradient",
    "Objective",
    "Quadratic",
    "Rosenbrock",
    "Saddle",
    "XCos",
    "conditioned_quadratic",
    "random_logistic_regression",
    "sigmoid",
    "softplus",
    "synthetic_regression",
]
