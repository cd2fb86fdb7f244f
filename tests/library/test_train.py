"""helpers.train.run: agreement with a hand-written loop, History shapes, batching, divergence."""

import warnings

import numpy as np
import pytest

from helpers.data import blobs
from helpers.optim import adam, sgd
from helpers.problems import LogisticRegression, Quadratic
from helpers.sampling import batch_indices
from helpers.train import History, run

X, Y = blobs(n=40, seed=1)
LOGREG = LogisticRegression(X, Y, l2=0.01)
ILL = Quadratic(np.diag([1.0, 100.0]), np.array([1.0, 1.0]))
W0 = np.array([0.5, -1.0, 0.2])

LRS = np.array([[0.01], [0.1], [0.5], [1.0]])
BETAS = np.array([[0.0], [0.9], [0.5], [0.8]])
NESTEROV = np.array([[False], [False], [True], [True]])


def hand_loop(problem, opt, w0, steps, schedule=None):
    w, state = w0, opt.init(w0)
    losses, params = [problem.loss(w)], [w]
    for t in range(steps):
        g = problem.grad(w) if schedule is None else problem.grad(w, schedule[t])
        w, state = opt.step(w, g, state)
        losses.append(problem.loss(w))
        params.append(w)
    return np.array(losses), np.array(params)


@pytest.mark.parametrize(
    "opt",
    [sgd(0.5), sgd(0.5, 0.9), sgd(0.5, 0.9, nesterov=True), adam(0.1)],
    ids=["sgd", "momentum", "nesterov", "adam"],
)
def test_full_batch_run_equals_hand_written_loop(opt):
    hist = run(LOGREG, opt, W0, steps=20)
    losses, params = hand_loop(LOGREG, opt, W0, 20)
    np.testing.assert_allclose(hist.loss, losses, rtol=1e-12)
    np.testing.assert_allclose(hist.params, params, rtol=1e-12, atol=1e-15)
    assert hist.diverged is False
    assert hist.diverged_at == -1


def test_minibatch_run_uses_the_batch_indices_schedule():
    opt = sgd(0.3, 0.5)
    schedule = batch_indices(LOGREG.n_samples, 8, 25, "shuffle_once", seed=4)
    hist = run(LOGREG, opt, W0, steps=25, batch_size=8, scheme="shuffle_once", seed=4)
    losses, params = hand_loop(LOGREG, opt, W0, 25, schedule)
    np.testing.assert_allclose(hist.loss, losses, rtol=1e-12)
    np.testing.assert_allclose(hist.params, params, rtol=1e-12, atol=1e-15)


def test_single_run_history_shapes():
    hist = run(LOGREG, sgd(0.1), W0, steps=7)
    assert hist.loss.shape == (8,)
    assert hist.params.shape == (8, 3)
    np.testing.assert_array_equal(hist.params[0], W0)
    assert hist.loss[0] == LOGREG.loss(W0)
    assert len(hist) == 1
    assert hist.final_loss == hist.loss[-1]


def test_batched_run_history_shapes():
    w0 = np.tile(W0, (4, 1))
    hist = run(LOGREG, sgd(LRS, BETAS, NESTEROV), w0, steps=7, batch_size=5)
    assert hist.loss.shape == (4, 8)
    assert hist.params.shape == (4, 8, 3)
    assert hist.diverged.shape == (4,)
    assert hist.diverged.dtype == bool
    assert hist.diverged_at.shape == (4,)
    assert len(hist) == 4
    np.testing.assert_array_equal(hist.final_loss, hist.loss[:, -1])


def test_zero_steps_records_the_start():
    hist = run(LOGREG, sgd(0.1), W0, steps=0)
    assert hist.loss.shape == (1,)
    np.testing.assert_array_equal(hist.params, [W0])


@pytest.mark.parametrize("batch_size", [None, 6])
def test_vectorized_run_equals_per_configuration_runs(batch_size):
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((4, 3))
    kwargs = {"steps": 30, "batch_size": batch_size, "scheme": "random_reshuffling", "seed": 2}
    hist = run(LOGREG, sgd(LRS, BETAS, NESTEROV), w0, **kwargs)
    assert not hist.diverged.any()
    for c in range(4):
        opt = sgd(float(LRS[c, 0]), float(BETAS[c, 0]), nesterov=bool(NESTEROV[c, 0]))
        single = run(LOGREG, opt, w0[c], **kwargs)
        np.testing.assert_allclose(hist.loss[c], single.loss, rtol=1e-12)
        np.testing.assert_allclose(hist.params[c], single.params, rtol=1e-12, atol=1e-14)


def test_vectorized_adam_equals_per_configuration_runs():
    lrs = np.array([[0.01], [0.1], [0.3]])
    hist = run(LOGREG, adam(lrs), np.tile(W0, (3, 1)), steps=20, batch_size=10, seed=1)
    for c in range(3):
        single = run(LOGREG, adam(float(lrs[c, 0])), W0, steps=20, batch_size=10, seed=1)
        np.testing.assert_allclose(hist.loss[c], single.loss, rtol=1e-12)


def run_quietly(*args, **kwargs):
    """``run`` with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return run(*args, **kwargs)


def check_diverged(hist, limit):
    assert hist.diverged is True
    assert hist.diverged_at > 0
    k = hist.diverged_at
    assert np.all(np.isfinite(hist.loss[:k]))
    assert np.all(hist.loss[:k] <= limit)
    assert not hist.loss[k] <= limit  # the loss that triggered the stop (may be inf)
    assert np.all(np.isnan(hist.loss[k + 1 :]))
    assert np.all(np.isnan(hist.params[k + 1 :]))
    assert np.isnan(hist.final_loss)


def test_too_large_lr_is_marked_diverged_without_warnings():
    # Along the curvature-100 direction w <- (1 - 0.05 * 100) w = -4 w: the loss grows 16x a step.
    w0 = np.zeros(2)
    hist = run_quietly(ILL, sgd(0.05), w0, steps=30)
    check_diverged(hist, 1e6 * max(1.0, abs(ILL.loss(w0))))


def test_overflow_to_inf_is_marked_diverged_without_warnings():
    hist = run_quietly(ILL, sgd(1e100), np.zeros(2), steps=10, blowup=1e300)
    check_diverged(hist, 1e300)
    assert hist.loss[hist.diverged_at] == np.inf


def test_divergence_does_not_affect_stable_configurations():
    lrs = np.array([[0.005], [0.05], [0.015], [0.5]])
    w0 = np.array([[0.0, 0.0], [0.0, 0.0], [2.0, -1.0], [0.0, 0.0]])
    hist = run_quietly(ILL, sgd(lrs, momentum=0.5), w0, steps=40)
    np.testing.assert_array_equal(hist.diverged, [False, True, False, True])
    for c in range(4):
        single = run_quietly(ILL, sgd(float(lrs[c, 0]), momentum=0.5), w0[c], steps=40)
        np.testing.assert_allclose(hist.loss[c], single.loss, rtol=1e-12)
        np.testing.assert_allclose(hist.params[c], single.params, rtol=1e-12)
        assert hist.diverged_at[c] == single.diverged_at
    assert hist.diverged_at[0] == hist.diverged_at[2] == -1
    assert hist.loss[0, -1] < hist.loss[0, 0]
    assert hist.loss[2, -1] < hist.loss[2, 0]


@pytest.mark.parametrize("steps", [4, 5, 6])
def test_final_loss_is_nan_when_the_run_diverged(steps):
    # With lr 0.05 this run is stopped at step 5 (loss 5.2e7 > 1e6 * 50.5).
    w0 = np.ones(2)
    hist = run_quietly(ILL, sgd(np.array([[0.05], [0.005]])), np.tile(w0, (2, 1)), steps=steps)
    single = run_quietly(ILL, sgd(0.05), w0, steps=steps)
    assert single.diverged is (steps >= 5)
    assert np.isnan(single.final_loss) == single.diverged
    np.testing.assert_array_equal(np.isnan(hist.final_loss), hist.diverged)
    assert hist.final_loss[1] == hist.loss[1, -1]


def test_history_config_is_the_single_run_view():
    lrs = np.array([[0.005], [0.05]])
    w0 = np.ones((2, 2))
    hist = run(ILL, sgd(lrs), w0, steps=12)
    for c in range(2):
        view, single = hist.config(c), run(ILL, sgd(float(lrs[c, 0])), w0[c], steps=12)
        assert isinstance(view, History)
        np.testing.assert_array_equal(view.loss, hist.loss[c])
        np.testing.assert_array_equal(view.params, hist.params[c])
        np.testing.assert_allclose(view.loss, single.loss, rtol=1e-12)
        assert view.diverged is single.diverged
        assert view.diverged_at == single.diverged_at
        assert type(view.diverged_at) is int
        np.testing.assert_equal(view.final_loss, single.final_loss)
    assert hist.config(np.int64(1)).diverged is True


def test_history_config_rejects_bad_index_and_single_runs():
    hist = run(ILL, sgd(np.array([[0.01], [0.02]])), np.ones((2, 2)), steps=2)
    with pytest.raises(ValueError, match=r"^c\b"):
        hist.config(2)
    with pytest.raises(ValueError, match=r"^c\b"):
        hist.config(-1)
    with pytest.raises(ValueError, match="single run"):
        run(ILL, sgd(0.01), np.ones(2), steps=2).config(0)


def test_run_does_not_mutate_w0():
    w0 = np.tile(W0, (4, 1))
    before = w0.copy()
    run(LOGREG, sgd(LRS, BETAS, NESTEROV), w0, steps=5, batch_size=4)
    np.testing.assert_array_equal(w0, before)


def test_full_batch_run_still_validates_scheme_and_seed():
    problem = Quadratic(np.eye(2), np.zeros(2))
    with pytest.raises(ValueError, match="scheme"):
        run(problem, sgd(0.1), np.ones(2), 3, scheme="bogus")
    with pytest.raises(ValueError, match="seed"):
        run(problem, sgd(0.1), np.ones(2), 3, seed=-1)


# --------------------------------------------------------------------------------------------------
# log_every, one minibatch sequence per configuration, tracking the optimizer state
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [None, 8])
@pytest.mark.parametrize("log_every", [1, 4, 7, 30])
def test_log_every_records_a_subset_of_the_same_run(batch_size, log_every):
    opt = sgd(LRS, BETAS, NESTEROV)
    w0 = np.tile(W0, (4, 1))
    full = run(LOGREG, opt, w0, steps=30, batch_size=batch_size, seed=3)
    sparse = run(LOGREG, opt, w0, steps=30, batch_size=batch_size, seed=3, log_every=log_every)
    expected_steps = sorted(set(range(0, 31, log_every)) | {30})
    np.testing.assert_array_equal(sparse.steps, expected_steps)
    np.testing.assert_array_equal(full.steps, np.arange(31))
    np.testing.assert_allclose(sparse.loss, full.loss[:, expected_steps], rtol=1e-13)
    np.testing.assert_allclose(sparse.params, full.params[:, expected_steps], rtol=1e-13)
    np.testing.assert_allclose(sparse.final_loss, full.final_loss, rtol=1e-13)


def test_log_every_still_detects_divergence_and_marks_the_step():
    hist = run(ILL, sgd(np.array([[0.001], [0.03]])), np.ones((2, 2)), steps=200, log_every=50)
    assert list(hist.diverged) == [False, True]
    assert hist.diverged_at[1] > 0
    assert np.isnan(hist.final_loss[1])


def test_one_seed_per_configuration_equals_single_runs_with_those_seeds():
    from helpers.problems.mlp import MLP

    rng = np.random.default_rng(5)
    net = MLP(rng.standard_normal((30, 4)), rng.integers(0, 3, 30), hidden=3)
    seeds = [4, 0, 9]
    w0 = net.init(seeds)
    opt = sgd(np.array([[0.1], [0.2], [0.05]]), momentum=0.9)
    hist = run(net, opt, w0, steps=12, batch_size=5, scheme="with_replacement", seed=seeds)
    for c, s in enumerate(seeds):
        lr = [0.1, 0.2, 0.05][c]
        single = run(net, sgd(lr, momentum=0.9), w0[c], 12, 5, "with_replacement", s)
        np.testing.assert_allclose(hist.loss[c], single.loss, rtol=1e-12)
        np.testing.assert_allclose(hist.params[c], single.params, rtol=1e-12, atol=1e-15)
    assert not np.allclose(hist.params[0, -1], hist.params[1, -1])


@pytest.mark.parametrize(
    ("seed", "w0"),
    [
        ([1, 2], np.tile(W0, (3, 1))),
        ([1, 2], W0),
        ([[1], [2]], np.tile(W0, (2, 1))),
        ([1, -1], None),
    ],
)
def test_per_configuration_seeds_are_checked(seed, w0):
    w0 = np.tile(W0, (2, 1)) if w0 is None else w0
    with pytest.raises(ValueError, match=r"^seed"):
        run(LOGREG, sgd(0.1), w0, steps=3, batch_size=4, seed=seed)


def test_track_records_the_slow_weights_of_lookahead():
    from helpers.optim import lookahead

    opt = lookahead(sgd(0.5, 0.9), k=3, alpha=0.5)
    hist = run(LOGREG, opt, W0, steps=9, track=lambda s: s.slow)
    assert hist.tracked.shape == hist.params.shape
    np.testing.assert_array_equal(hist.tracked[0], W0)
    np.testing.assert_array_equal(hist.tracked[1], W0)  # no sync yet
    for t in (3, 6, 9):  # synced: fast weights restart at the slow ones
        np.testing.assert_array_equal(hist.tracked[t], hist.params[t])
    batched = run(LOGREG, opt, np.tile(W0, (2, 1)), steps=9, track=lambda s: s.slow, log_every=3)
    np.testing.assert_allclose(batched.config(1).tracked, hist.tracked[::3], rtol=1e-13)
    assert run(LOGREG, opt, W0, steps=2).tracked is None


@pytest.mark.parametrize(
    ("kwargs", "name", "error"),
    [({"log_every": 0}, "log_every", ValueError), ({"track": "slow"}, "track", TypeError)],
)
def test_log_every_and_track_are_checked(kwargs, name, error):
    with pytest.raises(error, match=f"^{name}"):
        run(LOGREG, sgd(0.1), W0, steps=3, **kwargs)


def test_run_stops_computing_once_every_configuration_diverged():
    """Nothing is left to compute once every configuration stopped: the loop ends there and the
    steps left stay NaN, as they would have."""
    from helpers.problems import conditioned_quadratic

    problem = conditioned_quadratic(10.0)
    calls = []

    class Counting:
        d, n_samples = problem.d, problem.n_samples

        def loss(self, w, idx=None):
            return problem.loss(w)

        def grad(self, w, idx=None):
            calls.append(1)
            return problem.grad(w)

    hist = run(Counting(), sgd(np.array([[30.0], [60.0]])), np.ones((2, 2)), 200)
    assert hist.diverged.all() and len(calls) == hist.diverged_at.max() < 200
    assert np.isnan(hist.loss[:, hist.diverged_at.max() + 1 :]).all()
    assert np.isfinite(hist.loss[:, 0]).all()
