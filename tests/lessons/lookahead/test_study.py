"""helpers.lessons.lookahead.study: the batched settings x seeds study equals separate runs."""

import numpy as np
import pytest

from helpers.claims import Claim
from helpers.lessons.lookahead.study import (
    amplification,
    best_setting,
    chaotic,
    claims_with_legend,
    inner_loop_accuracy,
    paired_difference,
    run_study,
    sweep_table,
    validation_split,
)
from helpers.optim import lookahead, sgd
from helpers.problems.mlp import MLP
from helpers.train import run

RNG = np.random.default_rng(2)
NET = MLP(RNG.standard_normal((40, 5)), RNG.integers(0, 3, 40), hidden=4)
SETTINGS = [(0.1, 1, 1.0), (0.1, 2, 0.5), (0.3, 3, 0.8)]


@pytest.fixture(scope="module")
def study():
    return run_study(NET, "SGD+momentum", SETTINGS, seeds=[5, 7], epochs=2, batch_size=8)


def test_steps_end_on_a_synchronization_of_every_setting(study):
    # 2 epochs x 5 steps = 10 steps, rounded up to a multiple of lcm(1, 2, 3) = 6 -> 12
    assert study.history.steps[-1] == 12
    np.testing.assert_array_equal(study.history.tracked[:, -1], study.history.params[:, -1])


def test_each_network_equals_its_own_run(study):
    for s, (lr, k, alpha) in enumerate(SETTINGS):
        for r, seed in enumerate(study.seeds):
            opt = lookahead(sgd(lr, momentum=0.9), k=k, alpha=alpha)
            single = run(NET, opt, NET.init(seed), 12, batch_size=8, seed=seed, log_every=5)
            row = s * len(study.seeds) + r
            np.testing.assert_allclose(study.history.loss[row], single.loss, rtol=1e-12)
            if alpha == 1.0:  # the baseline is the inner optimizer itself
                plain = run(NET, sgd(lr, momentum=0.9), NET.init(seed), 12, 8, seed=seed)
                np.testing.assert_array_equal(study.history.params[row, -1], plain.params[-1])


def test_accuracy_and_losses_per_setting(study):
    acc = study.accuracy(NET, NET.X, NET.y)
    assert acc.shape == (3, 2)
    expected = NET.accuracy(study.history.params[2, -1], NET.X, NET.y)
    assert acc[1, 0] == expected
    assert study.final_loss.shape == (3, 2)
    assert study.labels[0] == "SGD+momentum alone, lr=0.1"
    assert study.labels[2] == "Lookahead k=3, alpha=0.8, lr=0.3"


def test_paired_difference_by_hand():
    values = np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 5.0]])
    mean, se = paired_difference(values)
    # differences of row 1: [1, 0, 2] -> mean 1, sd 1, se 1/sqrt(3)
    np.testing.assert_allclose(mean, [0.0, 1.0])
    np.testing.assert_allclose(se, [0.0, 1 / np.sqrt(3)])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"inner_name": "RMSprop"}, "inner_name"),
        ({"settings": []}, "settings"),
        ({"seeds": []}, "seeds"),
        ({"seeds": [-1]}, "seeds"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"settings": [(0.1, 0, 0.5)]}, "k"),
        ({"settings": [(0.1, 2, 1.5)]}, "alpha"),
    ],
)
def test_bad_arguments(kwargs, name):
    args = {
        "net": NET,
        "inner_name": "SGD",
        "settings": SETTINGS,
        "seeds": [0],
        "epochs": 1,
        "batch_size": 8,
    } | kwargs
    with pytest.raises(ValueError, match=f"^{name}"):
        run_study(**args)


def test_log_every_only_changes_what_is_logged():
    rare = run_study(NET, "SGD", SETTINGS[:2], seeds=[5, 7], epochs=2, batch_size=8, log_every=100)
    often = run_study(NET, "SGD", SETTINGS[:2], seeds=[5, 7], epochs=2, batch_size=8)
    np.testing.assert_array_equal(rare.history.steps, [0, often.history.steps[-1]])
    np.testing.assert_array_equal(rare.history.tracked[:, -1], often.history.tracked[:, -1])
    with pytest.raises(ValueError, match=r"^log_every"):
        run_study(NET, "SGD", SETTINGS, seeds=[0], epochs=1, batch_size=8, log_every=0)


def test_inner_loop_accuracy_follows_the_optimizer():
    from helpers.sampling import batch_indices

    X, y = NET.X, NET.y
    fast, slow = inner_loop_accuracy(NET, X, y, "SGD+momentum", 0.3, 3, 0.5, [2, 9], 7, 8)
    assert fast.shape == slow.shape == (2, 8)
    for row, seed in enumerate([2, 9]):
        opt = lookahead(sgd(0.3, momentum=0.9), k=3, alpha=0.5)
        w = NET.init(seed)
        state = opt.init(w)
        schedule = batch_indices(NET.n_samples, 8, 7, "random_reshuffling", seed)
        for t in range(7):
            w, state = opt.step(w, NET.grad(w, schedule[t]), state)
            if (t + 1) % 3:
                assert fast[row, t + 1] == NET.accuracy(w, X, y)
            assert slow[row, t + 1] == NET.accuracy(state.slow, X, y)
    w0 = NET.init([4, 4])
    fast0, _ = inner_loop_accuracy(NET, X, y, "SGD", 0.1, 2, 0.5, [0, 1], 2, 8, w0=w0)
    assert fast0[0, 0] == NET.accuracy(w0[0], X, y)
    with pytest.raises(ValueError, match=r"^w0"):
        inner_loop_accuracy(NET, X, y, "SGD", 0.1, 2, 0.5, [0, 1, 2], 2, 8, w0=w0)
    with pytest.raises(ValueError, match=r"^steps"):
        inner_loop_accuracy(NET, X, y, "SGD", 0.1, 2, 0.5, [0], 0, 8)


@pytest.mark.parametrize("seed", range(6))
def test_inner_loop_accuracy_records_theta_k_before_the_sync(seed):
    """At a synchronization step ``fast`` is theta_{t,k} of Algorithm 1 (not the new slow
    weights): checked against the two loops written out, fed the same minibatches."""
    from helpers.lessons.lookahead.theory import algorithm1
    from helpers.sampling import batch_indices

    X, y, k, loops = NET.X, NET.y, 3, 4
    fast, slow = inner_loop_accuracy(NET, X, y, "SGD+momentum", 0.3, k, 0.5, [seed], k * loops, 8)
    schedule = batch_indices(NET.n_samples, 8, k * loops, "random_reshuffling", seed)
    phis, thetas = algorithm1(
        lambda w, step: NET.grad(w, schedule[step]),
        NET.init(seed),
        sgd(0.3, momentum=0.9),
        k,
        0.5,
        loops,
    )
    for t in range(loops):
        assert fast[0, (t + 1) * k] == NET.accuracy(thetas[t], X, y)
        assert slow[0, (t + 1) * k] == NET.accuracy(phis[t + 1], X, y)
    # alpha = 1: the slow weights are the fast weights' end points
    fast1, slow1 = inner_loop_accuracy(NET, X, y, "SGD", 0.3, k, 1.0, [seed], k * loops, 8)
    np.testing.assert_array_equal(fast1[:, ::k], slow1[:, ::k])


@pytest.mark.parametrize("seed", range(8))
def test_validation_split_holds_out_a_stratified_part(seed):
    X = np.arange(200.0).reshape(100, 2)
    y = np.repeat(np.arange(4), 25)
    X_fit, _, X_val, y_val = validation_split(X, y, 20, seed=seed)
    assert X_fit.shape == (80, 2) and X_val.shape == (20, 2)
    np.testing.assert_array_equal(np.bincount(y_val), [5, 5, 5, 5])
    assert set(X_fit[:, 0]).isdisjoint(X_val[:, 0])
    assert sorted(np.concatenate([X_fit[:, 0], X_val[:, 0]])) == list(X[:, 0])
    with pytest.raises(ValueError, match=r"^n_validation"):
        validation_split(X, y, 2)
    with pytest.raises(ValueError, match=r"^y"):
        validation_split(X, y[:5], 20)


def test_best_setting_skips_excluded_and_diverged_rows():
    values = np.array([[0.9, 0.9], [0.95, 0.93], [0.99, np.nan], [0.97, 0.97]])
    assert best_setting(values, [0, 1, 2, 3]) == 3
    assert best_setting(values, [0, 1, 2, 3], exclude=np.array([0, 0, 0, 1], bool)) == 1
    assert best_setting(values, [0, 2]) == 0
    with pytest.raises(ValueError, match=r"^no row"):
        best_setting(values, [2])
    with pytest.raises(ValueError, match=r"^exclude"):
        best_setting(values, [0], exclude=np.array([True]))


def test_amplification_measures_the_relative_change_per_perturbation():
    loss = np.array([[1.0, 2.0], [1.0, np.nan], [np.nan, np.nan]])
    moved = np.array([[1.0 + 1e-12, 2.0], [1.0, 3.0], [np.nan, np.nan]])
    amp = amplification(loss, moved, 1e-13)
    assert amp[0] == pytest.approx(10.0, rel=1e-3)
    assert amp[1] == np.inf and np.isnan(amp[2])
    with pytest.raises(ValueError, match=r"^perturb"):
        amplification(loss, moved, 0.0)
    with pytest.raises(ValueError, match=r"^perturbed_loss"):
        amplification(loss, moved[:1], 1e-13)


def test_sweep_table_labels_every_plus_minus(study):
    acc = study.accuracy(NET, NET.X, NET.y)
    table = sweep_table(study, acc, study.final_loss)
    assert "test acc % ± sd" in table and "vs base ± se" in table and "(points)" in table
    assert "sd = standard deviation" in table and "se = standard error" in table
    assert all(len(line) <= 100 for line in table.splitlines())


def test_claims_with_legend_keeps_the_verdicts():
    held = np.ones((8, 2), dtype=bool)
    claims = [
        Claim.over_seeds("a long claim " * 5, held, range(8), difference=(0.1, 0.01)),
        Claim("deterministic", 2, 1),
    ]
    text = claims_with_legend(claims, "Q")
    assert text.splitlines()[0] == "Q1: " + claims[0].text
    assert "Q2     fails" not in text and "does not hold" in text and "holds" in text
    with pytest.raises(ValueError, match=r"^claims"):
        claims_with_legend([])


def test_perturb_and_chaotic_tell_stable_from_chaotic_settings():
    stable = run_study(NET, "SGD", SETTINGS[:1], seeds=[0, 1], epochs=2, batch_size=8)
    nudged = run_study(
        NET, "SGD", SETTINGS[:1], seeds=[0, 1], epochs=2, batch_size=8, perturb=1e-13
    )
    assert not np.array_equal(stable.history.params[:, 0], nudged.history.params[:, 0])
    assert not chaotic(stable.final_loss, nudged.final_loss).any()
    loss = np.array([[1.0, 2.0], [1.0, np.nan]])
    np.testing.assert_array_equal(chaotic(loss, np.array([[1.02, 2.0], [1.0, 3.0]])), [True, True])
    np.testing.assert_array_equal(
        chaotic(loss, np.array([[1.0, 2.0], [1.0, np.nan]])), [False, False]
    )
    with pytest.raises(ValueError, match=r"^perturbed_loss"):
        chaotic(loss, loss[:1])
    with pytest.raises(ValueError, match=r"^perturb"):
        run_study(NET, "SGD", SETTINGS, seeds=[0], epochs=1, batch_size=8, perturb=-1.0)


def test_sweep_table_marks_chaotic_settings(study):
    acc = study.accuracy(NET, NET.X, NET.y)
    table = sweep_table(study, acc, study.final_loss, chaotic=np.array([False, True, False]))
    assert table.splitlines()[3].endswith("chaotic (1e-13 moves its final loss > 1%)")
    assert "(baseline)" in table.splitlines()[2]


def test_sweep_table_prints_the_validation_accuracy(study):
    acc = study.accuracy(NET, NET.X, NET.y)
    table = sweep_table(study, acc, study.final_loss, validation=acc)
    assert "val acc" in table.splitlines()[0]
    assert f"{100 * acc[0].mean():.2f}" in table.splitlines()[2]
    assert all(len(line) <= 100 for line in table.splitlines())


@pytest.mark.parametrize("n_seeds", [8, 12, 30, 60])
def test_claims_with_legend_fits_many_seeds(n_seeds):
    rng = np.random.default_rng(n_seeds)
    held = rng.random((n_seeds, 8)) < 0.8
    claims = [
        Claim.over_seeds(
            "x " * 40, held, range(n_seeds), difference=(0.123, 0.045), difference_label="points"
        ),
        Claim("deterministic", 3, 3),
    ]
    text = claims_with_legend(claims, "Q")
    lines = text.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert "+0.123 ± 0.045 (points)" in text  # the difference is never cut off
    row = next(line for line in lines[2:] if line.startswith("Q1 "))
    assert claims[0].verdict in row
    if claims[0].per_seed not in text:  # compact form: seeds holding and cases held
        assert f"{claims[0].seeds_holding}/{n_seeds} seeds" in row
        assert f"{claims[0].held}/{claims[0].cases}" in row.replace(" ", "")
