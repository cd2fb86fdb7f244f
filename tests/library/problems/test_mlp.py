"""helpers.problems.mlp: backpropagation vs finite differences, batching, minibatch rows, evaluation."""

import numpy as np
import pytest

from helpers.data import digits
from helpers.problems.mlp import MLP
from tests.finite_differences import central_difference

RNG = np.random.default_rng(0)
X = RNG.standard_normal((12, 5))
Y = RNG.integers(0, 3, 12)
NET = MLP(X, Y, hidden=4, l2=0.05)
W = NET.init(seed=1) + 0.1 * RNG.standard_normal(NET.d)


def test_dimension_and_unpacking():
    assert NET.d == 5 * 4 + 4 + 4 * 3 + 3
    W1, b1, W2, b2 = NET.unpack(W[None, :])
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((1, 5, 4), (1, 4), (1, 4, 3), (1, 3))
    np.testing.assert_array_equal(np.concatenate([p.ravel() for p in (W1, b1, W2, b2)]), W)


@pytest.mark.parametrize("idx", [None, np.array([0, 3, 3, 7])])
def test_gradient_matches_finite_differences(idx):
    expected = central_difference(lambda w: NET.loss(w, idx), W, h=1e-6)
    np.testing.assert_allclose(NET.grad(W, idx), expected, rtol=1e-6, atol=1e-9)


def test_loss_by_hand_at_zero_weights():
    # all logits 0 -> every class has probability 1/3 -> loss log(3)
    np.testing.assert_allclose(NET.loss(np.zeros(NET.d)), np.log(3.0), rtol=1e-14)


def test_loss_and_grad_agree_with_loss_and_grad():
    loss, grad = NET.loss_and_grad(W)
    np.testing.assert_allclose(loss, NET.loss(W), rtol=1e-13)
    np.testing.assert_array_equal(grad, NET.grad(W))


def test_batched_equals_looped_with_shared_and_per_config_rows():
    ws = W + 0.2 * RNG.standard_normal((3, NET.d))
    shared = np.array([1, 2, 5])
    per_config = np.array([[0, 1, 2], [4, 4, 9], [11, 6, 3]])
    for idx in (None, shared):
        loss, grad = NET.loss_and_grad(ws, idx)
        for c in range(3):
            np.testing.assert_allclose(loss[c], NET.loss(ws[c], idx), rtol=1e-13)
            np.testing.assert_allclose(grad[c], NET.grad(ws[c], idx), rtol=1e-12, atol=1e-15)
    loss, grad = NET.loss_and_grad(ws, per_config)
    for c in range(3):
        np.testing.assert_allclose(loss[c], NET.loss(ws[c], per_config[c]), rtol=1e-13)
        np.testing.assert_allclose(grad[c], NET.grad(ws[c], per_config[c]), rtol=1e-12, atol=1e-15)


def test_large_logits_do_not_overflow():
    loss, grad = NET.loss_and_grad(1e3 * W)
    assert np.isfinite(loss) and np.all(np.isfinite(grad))


def test_init_is_seeded_per_row():
    ws = NET.init([3, 4])
    np.testing.assert_array_equal(ws[0], NET.init(3))
    np.testing.assert_array_equal(ws[1], NET.init(4))
    assert not np.array_equal(ws[0], ws[1])
    _, b1, _, b2 = NET.unpack(ws)
    assert not b1.any() and not b2.any()


def test_predict_and_accuracy():
    ws = np.stack([W, -W])
    predicted = NET.predict(ws, X)
    assert predicted.shape == (2, 12)
    np.testing.assert_array_equal(predicted[0], NET.predict(W, X))
    np.testing.assert_allclose(NET.accuracy(ws, X, Y), np.mean(predicted == Y, axis=1))


def test_a_small_network_learns_digits():
    X_train, y_train, X_test, y_test = digits()
    net = MLP(X_train, y_train, hidden=16)
    w = net.init(0)
    for _ in range(300):
        w = w - 1.0 * net.grad(w)
    assert net.accuracy(w, X_test, y_test) > 0.9


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"hidden": 0}, "hidden"),
        ({"l2": -1.0}, "l2"),
        ({"n_classes": 2}, "n_classes"),
        ({"y": Y.astype(float)}, "y"),
        ({"y": Y[:5]}, "y"),
        ({"X": np.full((12, 5), np.nan)}, "X"),
    ],
)
def test_bad_arguments(kwargs, name):
    args = {"X": X, "y": Y} | kwargs
    with pytest.raises(ValueError, match=f"^{name}"):
        MLP(**args)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: NET.loss(np.zeros(3)), "w"),
        (lambda: NET.loss(W, np.array([0, 12])), "idx"),
        (lambda: NET.loss(W, np.array([0.5])), "idx"),
        (lambda: NET.loss(np.stack([W, W]), np.zeros((3, 2), dtype=int)), "idx"),
        (lambda: NET.init(-1), "seed"),
        (lambda: NET.predict(W, np.zeros((2, 4))), "X"),
        (lambda: NET.accuracy(W, X, Y[:3]), "y"),
    ],
)
def test_bad_call_arguments(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()
