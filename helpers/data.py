"""Data sets for the notebooks: a seeded toy problem and a real one, both ``(X, y)`` float arrays.

``X`` carries a final column of ones (the bias feature), so a linear model ``z = X @ w`` has the
bias as its last weight.
"""

from __future__ import annotations

import numpy as np

from helpers import _validate as check

__all__ = [
    "BLOB_MEANS",
    "BLOB_STDS",
    "add_bias",
    "blobs",
    "breast_cancer",
    "digits",
    "standardize",
]

BLOB_MEANS = np.array([[-2.5, -0.5], [2.5, 0.5]])
"""Centres of the two classes of :func:`blobs`; symmetric about the origin, so the bias is near 0."""

BLOB_STDS = np.array([1.0, 0.3])
"""Per-feature standard deviations of :func:`blobs`: the second feature is narrow, so the loss is
ill-conditioned (steep along w1, flat along w2) and the optimizers' zig-zags show."""


def add_bias(X: np.ndarray) -> np.ndarray:
    """``X`` with a column of ones appended."""
    X = check.as_finite_array("X", X, ndim=(2,))
    return np.hstack([X, np.ones((X.shape[0], 1))])


def standardize(X: np.ndarray) -> np.ndarray:
    """Columns shifted to mean 0 and scaled to standard deviation 1 (constant columns left at 0)."""
    X = check.as_finite_array("X", X, ndim=(2,))
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)


def blobs(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian classes in 2-D (centres :data:`BLOB_MEANS`, spreads :data:`BLOB_STDS`), shuffled.

    Returns ``X`` of shape ``(n, 3)`` (two features, then the bias column) and labels ``y`` in
    {0, 1}; class 1 has ``n // 2`` points. The classes barely overlap, so a good optimizer drives
    the cross-entropy close to 0 within 100 steps.
    """
    n = check.integer("n", n, low=2)
    seed = check.integer("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    y = np.zeros(n)
    y[: n // 2] = 1.0
    features = BLOB_MEANS[y.astype(int)] + BLOB_STDS * rng.standard_normal((n, 2))
    order = rng.permutation(n)
    return add_bias(features[order]), y[order]


def breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's Wisconsin breast-cancer set (569 x 30), standardized, bias column appended.

    Returns ``X`` of shape ``(569, 31)`` and ``y`` (1 = benign, 0 = malignant) as floats. The data
    ship inside scikit-learn, so this works offline.
    """
    from sklearn.datasets import load_breast_cancer

    raw = load_breast_cancer()
    return add_bias(standardize(raw.data)), raw.target.astype(float)


def digits(
    test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's handwritten digits (1797 images of 8 x 8 pixels, classes 0-9), split.

    Pixels are scaled from 0..16 to [0, 1]; the split is stratified (every class keeps its share
    in both parts) and seeded. Returns ``X_train, y_train, X_test, y_test`` with integer labels.
    With the defaults: 1347 training and 450 test images. Works offline.

    Args:
        test_fraction: share of the images held out for testing, in (0, 1).
        seed: seed (>= 0) of the split.
    """
    fraction = check.number("test_fraction", test_fraction)
    if not 0 < fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    seed = check.integer("seed", seed, low=0)
    from sklearn.datasets import load_digits  # after the checks: a bad call costs no import
    from sklearn.model_selection import train_test_split

    raw = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        raw.data / 16.0, raw.target, test_size=fraction, stratify=raw.target, random_state=seed
    )
    return X_train, y_train.astype(int), X_test, y_test.astype(int)
