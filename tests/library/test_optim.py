"""helpers.optim: sgd (plain, heavy ball, Nesterov) and adam against hand-computed steps."""

import numpy as np
import pytest

from helpers.optim import adam, sgd

P0 = np.array([1.0, -2.0])
GRADS = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5]])


def trajectory(opt, p0, grads):
    """Parameters after each step when the optimizer is fed ``grads`` one by one."""
    params, state = p0, opt.init(p0)
    out = []
    for g in grads:
        params, state = opt.step(params, g, state)
        out.append(params)
    return np.array(out)


def test_plain_sgd_steps():
    # p <- p - 0.1 g
    expected = [
        [1.0 - 0.1, -2.0 - 0.2],  # [0.9, -2.2]
        [0.9 - 0.3, -2.2 + 0.1],  # [0.6, -2.1]
        [0.6 + 0.2, -2.1 - 0.05],  # [0.8, -2.15]
    ]
    np.testing.assert_allclose(trajectory(sgd(lr=0.1), P0, GRADS), expected, rtol=1e-12)


def test_heavy_ball_momentum_steps():
    # v <- 0.5 v + g ; p <- p - 0.1 v ; first step v = g
    # v1 = [1, 2]      p1 = [0.9, -2.2]
    # v2 = [3.5, 0]    p2 = [0.55, -2.2]
    # v3 = [-0.25, .5] p3 = [0.575, -2.25]
    expected = [[0.9, -2.2], [0.55, -2.2], [0.575, -2.25]]
    got = trajectory(sgd(lr=0.1, momentum=0.5), P0, GRADS)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_nesterov_steps():
    # v <- 0.5 v + g ; p <- p - 0.1 (g + 0.5 v)
    # v1 = [1, 2]      d1 = [1.5, 3]         p1 = [0.85, -2.3]
    # v2 = [3.5, 0]    d2 = [4.75, -1]       p2 = [0.375, -2.2]
    # v3 = [-0.25, .5] d3 = [-2.125, 0.75]   p3 = [0.5875, -2.275]
    expected = [[0.85, -2.3], [0.375, -2.2], [0.5875, -2.275]]
    got = trajectory(sgd(lr=0.1, momentum=0.5, nesterov=True), P0, GRADS)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_sgd_state_is_the_velocity():
    opt = sgd(lr=0.1, momentum=0.5)
    state = opt.init(P0)
    np.testing.assert_array_equal(state.velocity, [0.0, 0.0])
    _, state = opt.step(P0, GRADS[0], state)
    _, state = opt.step(P0, GRADS[1], state)
    np.testing.assert_allclose(state.velocity, [3.5, 0.0], rtol=1e-12)


def test_adam_steps():
    # lr 0.1, b1 = b2 = 0.5, eps 0.25 (large, so eps inside the sqrt would show).
    # The second coordinate always gets g = 0: m = s = 0 and it must not move (0 / (0 + eps)).
    grads = np.array([[2.0, 0.0], [-2.0, 0.0], [2.0, 0.0]])
    # t=1: m = 1,    s = 2,   m_hat = 1/0.5 = 2,        s_hat = 2/0.5 = 4,     step 0.1*2/(2+.25)
    # t=2: m = -0.5, s = 3,   m_hat = -0.5/0.75 = -2/3, s_hat = 3/0.75 = 4,    step 0.1*(-2/3)/2.25
    # t=3: m = 0.75, s = 3.5, m_hat = 0.75/0.875 = 6/7, s_hat = 3.5/0.875 = 4, step 0.1*(6/7)/2.25
    p1 = 1.0 - 0.1 * 2 / 2.25  # 41/45
    p2 = p1 - 0.1 * (-2 / 3) / 2.25  # 127/135
    p3 = p2 - 0.1 * (6 / 7) / 2.25
    opt = adam(lr=0.1, b1=0.5, b2=0.5, eps=0.25)
    got = trajectory(opt, np.array([1.0, 5.0]), grads)
    np.testing.assert_allclose(got, [[p1, 5.0], [p2, 5.0], [p3, 5.0]], rtol=1e-12)
    np.testing.assert_allclose([p1, p2], [41 / 45, 127 / 135], rtol=1e-12)


def test_adam_state_counts_steps():
    opt = adam(lr=0.1, b1=0.5, b2=0.5, eps=0.25)
    params, state = np.array([1.0]), opt.init(np.array([1.0]))
    assert state.count == 0
    for g, (m, s) in zip([2.0, -2.0, 2.0], [(1.0, 2.0), (-0.5, 3.0), (0.75, 3.5)], strict=True):
        params, state = opt.step(params, np.array([g]), state)
        np.testing.assert_allclose([state.m[0], state.s[0]], [m, s], rtol=1e-12)
    assert state.count == 3


def test_first_adam_step_has_size_lr():
    # With eps -> 0 the first step is lr * sign(g), whatever the gradient's scale.
    opt = adam(lr=0.01, eps=1e-12)
    p0 = np.array([0.0, 0.0, 0.0])
    p1, _ = opt.step(p0, np.array([1e-3, -5.0, 1e4]), opt.init(p0))
    np.testing.assert_allclose(p1, [-0.01, 0.01, -0.01], rtol=1e-6)


@pytest.mark.parametrize(
    "opt",
    [sgd(0.1), sgd(0.1, 0.9), sgd(0.1, 0.9, nesterov=True), adam(0.1)],
    ids=["sgd", "momentum", "nesterov", "adam"],
)
def test_step_does_not_mutate_inputs(opt):
    rng = np.random.default_rng(0)
    params = rng.standard_normal((2, 3))
    state = opt.init(params)
    params, state = opt.step(params, rng.standard_normal((2, 3)), state)  # non-zero state
    grad = rng.standard_normal((2, 3))
    before = (params.copy(), grad.copy(), [np.copy(x) for x in state])
    new_params, new_state = opt.step(params, grad, state)
    np.testing.assert_array_equal(params, before[0])
    np.testing.assert_array_equal(grad, before[1])
    for x, x_before in zip(state, before[2], strict=True):
        np.testing.assert_array_equal(x, x_before)
    assert not np.shares_memory(new_params, params)
    assert not np.array_equal(new_params, params)
    assert new_state is not state


def test_batched_sgd_equals_separate_optimizers():
    rng = np.random.default_rng(1)
    lr = np.array([[0.1], [0.05], [0.2], [0.01], [0.3]])
    momentum = np.array([[0.0], [0.9], [0.5], [0.7], [0.0]])
    nesterov = np.array([[False], [True], [False], [True], [False]])
    p0 = rng.standard_normal((5, 3))
    grads = rng.standard_normal((4, 5, 3))
    batched = trajectory(sgd(lr, momentum, nesterov), p0, grads)
    for c in range(5):
        single = sgd(float(lr[c, 0]), float(momentum[c, 0]), nesterov=bool(nesterov[c, 0]))
        np.testing.assert_array_equal(batched[:, c], trajectory(single, p0[c], grads[:, c]))


def test_batched_adam_equals_separate_optimizers():
    rng = np.random.default_rng(2)
    lr = np.array([[0.1], [0.01], [0.3]])
    b1 = np.array([[0.9], [0.0], [0.5]])
    p0 = rng.standard_normal((3, 4))
    grads = rng.standard_normal((4, 3, 4))
    batched = trajectory(adam(lr, b1=b1), p0, grads)
    for c in range(3):
        single = adam(float(lr[c, 0]), b1=float(b1[c, 0]))
        np.testing.assert_array_equal(batched[:, c], trajectory(single, p0[c], grads[:, c]))


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("lr", lambda: sgd(lr=np.full((3, 1), 0.1))),
        ("lr", lambda: sgd(lr=np.full((4, 2, 1), 0.1))),
        ("momentum", lambda: sgd(0.1, momentum=np.full((3,), 0.5))),
        ("nesterov", lambda: sgd(0.1, momentum=0.5, nesterov=np.ones((3, 1), dtype=bool))),
        ("lr", lambda: adam(lr=np.full((3, 1), 0.1))),
        ("b1", lambda: adam(b1=np.full((3, 1), 0.5))),
        ("b2", lambda: adam(b2=np.full((5,), 0.5))),
        ("eps", lambda: adam(eps=np.full((4, 1, 1), 1e-8))),
    ],
)
def test_hyperparameters_must_broadcast_against_params(name, make):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        make().init(np.zeros((4, 2)))


def test_batched_hyperparameters_reject_single_params():
    with pytest.raises(ValueError, match=r"^lr\b"):
        sgd(lr=np.full((4, 1), 0.1)).init(np.zeros(2))


@pytest.mark.parametrize("opt", [sgd(0.1), sgd(0.1, 0.5, nesterov=True), adam()])
@pytest.mark.parametrize("shape", [(3,), (2, 2), (1, 3), (2, 3, 1), ()])
def test_grad_of_wrong_shape_raises(opt, shape):
    params = np.zeros((2, 3))
    state = opt.init(params)
    with pytest.raises(ValueError, match=r"^grad\b"):
        opt.step(params, np.zeros(shape), state)


def test_nesterov_shape_must_fit_momentum():
    with pytest.raises(ValueError, match=r"^nesterov"):
        sgd(0.1, momentum=np.full((3, 1), 0.5), nesterov=np.ones((2, 1), dtype=bool))
