"""Shared code for the optimization notebooks: optimizers, problems, data, sampling, training."""

from helpers.data import blobs, breast_cancer
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
