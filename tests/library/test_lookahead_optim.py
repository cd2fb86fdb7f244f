"""helpers.optim.lookahead: the wrapper against hand-computed steps, identities and batching."""

import numpy as np
import pytest

from helpers.optim import Optimizer, adam, lookahead, sgd

RNG = np.random.default_rng(0)
P0 = np.array([1.0, -2.0, 0.5])
GRADS = RNG.standard_normal((23, 3))

INNERS = {
    "sgd": sgd(lr=0.1),
    "heavy_ball": sgd(lr=0.1, momentum=0.9),
    "nesterov": sgd(lr=0.05, momentum=0.8, nesterov=True),
    "adam": adam(lr=0.01),
}
inners = pytest.mark.parametrize("inner", INNERS.values(), ids=INNERS.keys())


def trajectory(opt: Optimizer, p0, grads):
    """Returned params and states after each step when ``opt`` is fed ``grads`` one by one."""
    params, state = p0, opt.init(p0)
    out, states = [], []
    for g in grads:
        params, state = opt.step(params, g, state)
        out.append(params)
        states.append(state)
    return np.array(out), states


@inners
@pytest.mark.parametrize("mode", ["keep", "pullback"])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_alpha_one_is_the_inner_optimizer_exactly(inner, mode, k):
    expected, _ = trajectory(inner, P0, GRADS)
    got, _ = trajectory(lookahead(inner, k=k, alpha=1.0, inner_state=mode), P0, GRADS)
    np.testing.assert_array_equal(got, expected)


def test_hand_computed_steps():
    # inner: p <- p - 0.1 g ; k = 2, alpha = 0.5 ; slow starts at p0 = 1.
    # step 1: fast = 1 - 0.1*1 = 0.9
    # step 2: fast = 0.9 - 0.1*3 = 0.6 -> sync: slow = 0.5*1 + 0.5*0.6 = 0.8, fast = 0.8
    # step 3: fast = 0.8 - 0.1*(-2) = 1.0
    # step 4: fast = 1.0 - 0.1*4 = 0.6 -> sync: slow = 0.5*0.8 + 0.5*0.6 = 0.7, fast = 0.7
    grads = np.array([[1.0], [3.0], [-2.0], [4.0]])
    got, states = trajectory(lookahead(sgd(lr=0.1), k=2, alpha=0.5), np.array([1.0]), grads)
    np.testing.assert_allclose(got[:, 0], [0.9, 0.8, 1.0, 0.7], rtol=1e-12)
    np.testing.assert_allclose([s.slow[0] for s in states], [1.0, 0.8, 0.8, 0.7], rtol=1e-12)
    assert [s.count for s in states] == [1, 2, 3, 4]


def test_k_one_with_plain_sgd_is_sgd_with_lr_times_alpha():
    got, _ = trajectory(lookahead(sgd(lr=0.3), k=1, alpha=0.25), P0, GRADS)
    expected, _ = trajectory(sgd(lr=0.3 * 0.25), P0, GRADS)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@inners
def test_slow_weights_move_only_at_syncs_and_fast_restart_there(inner):
    k = 4
    got, states = trajectory(lookahead(inner, k=k, alpha=0.5), P0, GRADS)
    slow = np.array([s.slow for s in states])
    for t in range(len(GRADS)):
        previous = P0 if t == 0 else slow[t - 1]
        if (t + 1) % k == 0:
            assert not np.array_equal(slow[t], previous)
            np.testing.assert_array_equal(got[t], slow[t])
        else:
            np.testing.assert_array_equal(slow[t], previous)


def test_inner_state_modes_at_a_sync():
    inner = sgd(lr=0.1, momentum=0.9)
    grads = GRADS[:6]
    _, inner_states = trajectory(inner, P0, grads[:3])
    velocity_before_sync = inner_states[-1].velocity
    for mode, expected in [
        ("keep", velocity_before_sync),
        ("reset", np.zeros(3)),
        # cached momentum starts at the initial (zero) buffer: v <- (1 - alpha) * 0 + alpha * v
        ("pullback", 0.5 * velocity_before_sync),
    ]:
        _, states = trajectory(lookahead(inner, k=3, alpha=0.5, inner_state=mode), P0, grads)
        np.testing.assert_allclose(states[2].inner.velocity, expected, rtol=1e-12)
        if mode == "pullback":
            np.testing.assert_allclose(states[2].inner_at_sync.velocity, expected, rtol=1e-12)
        else:
            assert states[2].inner_at_sync is None


def test_pullback_interpolates_towards_the_buffer_of_the_previous_sync():
    inner = sgd(lr=0.1, momentum=0.9)
    _, states = trajectory(lookahead(inner, k=3, alpha=0.25, inner_state="pullback"), P0, GRADS)
    # Between syncs 3 and 6 the inner steps run from the buffer left at step 3.
    v = states[2].inner.velocity
    for g in GRADS[3:6]:
        v = 0.9 * v + g
    expected = 0.75 * states[2].inner.velocity + 0.25 * v
    np.testing.assert_allclose(states[5].inner.velocity, expected, rtol=1e-12)


def test_reset_restarts_adam_bias_correction():
    _, states = trajectory(lookahead(adam(lr=0.01), k=3, alpha=0.5, inner_state="reset"), P0, GRADS)
    assert int(states[2].inner.count) == 0
    np.testing.assert_array_equal(states[2].inner.m, 0.0)
    np.testing.assert_array_equal(states[2].inner.s, 0.0)
    assert int(states[3].inner.count) == 1
    # pullback leaves the step counter alone
    _, states = trajectory(
        lookahead(adam(lr=0.01), k=3, alpha=0.5, inner_state="pullback"), P0, GRADS
    )
    assert int(states[2].inner.count) == 3


@pytest.mark.parametrize("mode", ["keep", "reset", "pullback"])
@pytest.mark.parametrize("make_inner", [lambda lr: sgd(lr, momentum=0.9), lambda lr: adam(lr)])
def test_batched_equals_looped(mode, make_inner):
    ks = np.array([[1], [3], [5], [4]])
    alphas = np.array([[0.5], [0.8], [0.3], [1.0]])
    lrs = np.array([[0.1], [0.05], [0.02], [0.2]])
    p0 = RNG.standard_normal((4, 3))
    grads = RNG.standard_normal((17, 4, 3))
    batched, states = trajectory(
        lookahead(make_inner(lrs), k=ks, alpha=alphas, inner_state=mode), p0, grads
    )
    for c in range(4):
        single = lookahead(
            make_inner(float(lrs[c, 0])),
            k=int(ks[c, 0]),
            alpha=float(alphas[c, 0]),
            inner_state=mode,
        )
        looped, single_states = trajectory(single, p0[c], grads[:, c])
        np.testing.assert_allclose(batched[:, c], looped, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(states[-1].slow[c], single_states[-1].slow, rtol=1e-12)


def test_step_does_not_mutate_its_inputs():
    opt = lookahead(sgd(lr=0.1, momentum=0.9), k=2, alpha=0.5, inner_state="pullback")
    params = P0.copy()
    state = opt.init(params)
    for g in GRADS[:4]:
        before = (params.copy(), state.slow.copy(), state.inner.velocity.copy())
        new_params, new_state = opt.step(params, g, state)
        np.testing.assert_array_equal(params, before[0])
        np.testing.assert_array_equal(state.slow, before[1])
        np.testing.assert_array_equal(state.inner.velocity, before[2])
        params, state = new_params, new_state


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"k": 0}, "k"),
        ({"k": -2}, "k"),
        ({"k": 1.5}, "k"),
        ({"k": True}, "k"),
        ({"k": np.array([[2], [0]])}, "k"),
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": 1.5}, "alpha"),
        ({"alpha": np.nan}, "alpha"),
        ({"alpha": "half"}, "alpha"),
        ({"inner_state": "pull"}, "inner_state"),
    ],
)
def test_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        lookahead(sgd(lr=0.1), **kwargs)


def test_inner_must_be_an_optimizer():
    with pytest.raises(TypeError, match=r"^inner"):
        lookahead(lambda p, g: p, k=2)


def test_per_configuration_k_must_broadcast_against_params():
    opt = lookahead(sgd(lr=0.1), k=np.array([[2], [3]]), alpha=0.5)
    with pytest.raises(ValueError, match=r"^k"):
        opt.init(np.zeros((3, 2)))


def test_memory_beyond_the_inner_optimizer_is_one_copy_of_the_weights():
    from helpers.optim import state_nbytes

    params = np.zeros((4, 250))
    for inner in INNERS.values():
        inner_bytes = state_nbytes(inner.init(params))
        for mode, extra in [("keep", 1), ("reset", 1), ("pullback", 1)]:
            state = lookahead(inner, 5, 0.5, inner_state=mode).init(params)
            expected = extra * params.nbytes + (inner_bytes if mode == "pullback" else 0)
            assert state_nbytes(state) - inner_bytes == expected
    assert state_nbytes(sgd(0.1).init(params)) == params.nbytes  # the (zero) velocity
    assert state_nbytes(adam(0.1).init(params)) == 2 * params.nbytes
