"""Shared code for the optimization notebooks: optimizers, problems, data, sampling, training."""

from helpers.data import blobs, breast_cancer
from helpers.figures import register_alt_text as _register_alt_text
from helpers.optim import Optimizer, adam, sgd
from helpers.problems import LogisticRegression, Quadratic
from helpers.sampling import batch_indices
from helpers.train import History, run

__all__ = [
    "History",
    "LogisticRegression",
    "Optimizer",
    "Quadratic",
    "adam",
    "batch_indices",
    "blobs",
    "breast_cancer",
    "run",
    "sgd",
]

# In a notebook kernel, every figure displayed gets alt text (helpers.figures.register_alt_text).
_register_alt_text()
