"""helpers.data: the seeded blobs toy set and the standardized breast-cancer set."""

import numpy as np
import pytest

from helpers.data import (
    BLOB_MEANS,
    BLOB_STDS,
    add_bias,
    blobs,
    breast_cancer,
    digits,
    standardize,
)


@pytest.mark.parametrize("n", [2, 3, 200, 201])
def test_blobs_shapes_bias_and_labels(n):
    X, y = blobs(n=n, seed=0)
    assert X.shape == (n, 3)
    assert y.shape == (n,)
    np.testing.assert_array_equal(X[:, -1], np.ones(n))
    assert set(np.unique(y)) <= {0.0, 1.0}
    assert y.sum() == n // 2


def test_blobs_classes_have_the_documented_means_and_spreads():
    X, y = blobs(n=2000, seed=0)
    for label, mean in enumerate(BLOB_MEANS):
        np.testing.assert_allclose(X[y == label, :2].mean(axis=0), mean, atol=0.1)
        np.testing.assert_allclose(X[y == label, :2].std(axis=0), BLOB_STDS, rtol=0.1)


def test_blobs_are_deterministic_per_seed():
    X1, y1 = blobs(n=50, seed=4)
    X2, y2 = blobs(n=50, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_blobs_differ_across_seeds():
    X1, _ = blobs(n=50, seed=4)
    X2, _ = blobs(n=50, seed=5)
    assert not np.allclose(X1, X2)


def test_blobs_rows_are_shuffled():
    _, y = blobs(n=100, seed=0)
    assert not np.array_equal(y, np.sort(y)[::-1])


@pytest.mark.parametrize(("n", "seed"), [(1, 0), (0, 0), (2.5, 0), (True, 0), (10, -1)])
def test_blobs_rejects_bad_arguments(n, seed):
    with pytest.raises(ValueError, match=r"^(n|seed)\b"):
        blobs(n=n, seed=seed)


def test_breast_cancer():
    X, y = breast_cancer()
    assert X.shape == (569, 31)
    assert y.shape == (569,)
    np.testing.assert_allclose(X[:, :-1].mean(axis=0), 0.0, atol=1e-10)
    np.testing.assert_allclose(X[:, :-1].std(axis=0), 1.0, rtol=1e-10)
    np.testing.assert_array_equal(X[:, -1], np.ones(569))
    assert set(np.unique(y)) == {0.0, 1.0}
    assert y.sum() == 357  # benign


def test_standardize_and_add_bias():
    X = np.array([[1.0, 5.0], [3.0, 5.0]])
    np.testing.assert_array_equal(standardize(X), [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(add_bias(X), [[1.0, 5.0, 1.0], [3.0, 5.0, 1.0]])


def test_digits_split_is_stratified_seeded_and_scaled():
    X_train, y_train, X_test, y_test = digits()
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0
    assert np.issubdtype(y_train.dtype, np.integer)
    train_share = np.bincount(y_train) / len(y_train)
    test_share = np.bincount(y_test) / len(y_test)
    np.testing.assert_allclose(train_share, test_share, atol=0.01)
    again = digits()
    np.testing.assert_array_equal(again[0], X_train)
    assert not np.array_equal(digits(seed=1)[0], X_train)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"test_fraction": 0.0}, "test_fraction"),
        ({"test_fraction": 1.0}, "test_fraction"),
        ({"seed": -1}, "seed"),
    ],
)
def test_digits_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        digits(**kwargs)
