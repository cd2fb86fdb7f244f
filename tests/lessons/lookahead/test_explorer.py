"""helpers.problems.noisy and helpers.lessons.lookahead.explorer: reproducible gradient noise, the runs behind the
Lookahead sliders, and the figure they redraw."""

import numpy as np
import pytest

from helpers.lessons.lookahead.explorer import (
    INNER_OPTIMIZERS,
    PRESET_LR,
    SCENES,
    LookaheadExplorer,
    lookahead_figure,
    lookahead_runs,
    outcome,
    outside_view,
    sync_points,
    tail_losses,
)
from helpers.lessons.lookahead.explorer import (
    panel as build_panel,
)
from helpers.optim import lookahead, sgd
from helpers.problems import Rosenbrock
from helpers.problems.noisy import NoisyGradient
from helpers.train import run
from tests import widget_tree


def test_noisy_gradient_adds_the_seeded_draw_of_each_step():
    base = Rosenbrock()
    noisy = NoisyGradient(base, sigma=2.0, steps=5, seed=3)
    w = np.array([0.3, -0.2])
    expected = base.grad(w) + 2.0 * np.random.default_rng(3).standard_normal((5, 2))[4]
    np.testing.assert_allclose(noisy.grad(w, np.array([4])), expected, rtol=1e-14)
    np.testing.assert_array_equal(noisy.grad(w), base.grad(w))
    assert noisy.loss(w) == base.loss(w)
    # train.run with batch_size=1 and the fixed order feeds draw t at step t
    hist = run(noisy, sgd(0.001), w, 5, batch_size=1, scheme="fixed")
    v = w.copy()
    for t in range(5):
        v = v - 0.001 * noisy.grad(v, np.array([t]))
    np.testing.assert_allclose(hist.params[-1], v, rtol=1e-13)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"sigma": -1.0}, "sigma"), ({"steps": 0}, "steps"), ({"seed": -1}, "seed")],
)
def test_noisy_gradient_rejects_bad_arguments(kwargs, name):
    args = {"problem": Rosenbrock(), "sigma": 1.0, "steps": 3} | kwargs
    with pytest.raises(ValueError, match=f"^{name}"):
        NoisyGradient(**args)


def test_the_quadratic_scene_has_eigenvalues_1_and_50_and_its_valley_at_30_degrees():
    q = SCENES["quadratic"].problem
    np.testing.assert_allclose(q.eigenvalues, [1.0, 50.0], rtol=1e-12)
    np.testing.assert_allclose(q.minimizer, [0.0, 0.0], atol=1e-14)
    valley = np.array([np.cos(np.pi / 6), np.sin(np.pi / 6)])
    np.testing.assert_allclose(q.A @ valley, valley, rtol=1e-12)


def test_runs_are_lookahead_and_the_inner_optimizer_alone():
    hist = lookahead_runs("quadratic", "SGD+momentum", 0.01, k=4, alpha=0.6, sigma=3.0, steps=40)
    scene = SCENES["quadratic"]
    noisy = NoisyGradient(scene.problem, 3.0, 40, 0)
    inner = sgd(0.01, momentum=0.9)
    alone = run(noisy, inner, scene.w0, 40, batch_size=1, scheme="fixed")
    # The batched run reduces (2, d) arrays, the single run (d,): equal up to rounding, not bits.
    np.testing.assert_allclose(hist.loss[1], alone.loss, rtol=1e-13)
    la = run(noisy, lookahead(inner, 4, 0.6), scene.w0, 40, 1, "fixed", track=lambda s: s.slow)
    np.testing.assert_allclose(hist.loss[0], la.loss, rtol=1e-13)
    np.testing.assert_allclose(hist.tracked[0], la.tracked, rtol=1e-13)
    steps, slow = sync_points(hist, 4)
    np.testing.assert_array_equal(steps, np.arange(0, 41, 4))
    np.testing.assert_array_equal(slow, hist.tracked[0][::4])
    np.testing.assert_allclose(slow, la.tracked[::4], rtol=1e-13)


def test_presets_are_on_the_lr_slider_grid():
    from helpers.lessons.lookahead.explorer import LR_SLIDER_STEP

    for lr in PRESET_LR.values():
        steps = np.log10(lr) / LR_SLIDER_STEP
        assert abs(steps - round(steps)) < 1e-9 and -4 <= np.log10(lr) <= 0


def test_every_preset_converges_without_noise_and_lookahead_damps_noise():
    for (scene, inner), lr in PRESET_LR.items():
        hist = lookahead_runs(scene, inner, lr)
        assert not hist.diverged.any(), (scene, inner)
        assert hist.loss[:, -1].max() < hist.loss[:, 0].min() / 5
    levels = tail_losses(lookahead_runs("quadratic", "SGD", 10**-1.5, sigma=5.0), "quadratic")
    assert levels["slow"] < levels["inner alone"]


def test_divergence_is_reported_not_raised():
    ex = LookaheadExplorer(steps=50)
    hist = ex.update("quadratic", "SGD", 0.1)
    assert hist.diverged.all()
    assert ex._figures["quadratic"]["title"].get_text() == (
        "SGD lr=0.1, k=5, alpha=0.50, noise=0"  # the setting; the outcome is the readout
    )
    assert "slow diverged" in ex.readout() and "inner alone diverged" in ex.readout()
    assert all("diverged at step" in a.get_text() for a in ex._figures["quadratic"]["alarms"])
    assert np.isnan(tail_losses(hist, "quadratic")["slow"])


def test_explorer_draws_the_runs_it_returns():
    ex = LookaheadExplorer(steps=60)
    for scene in SCENES:
        for inner in INNER_OPTIMIZERS:
            hist = ex.update(scene, inner, PRESET_LR[(scene, inner)], k=3, alpha=0.7, sigma=1.0)
            lines = ex._figures[scene]["lines"]
            np.testing.assert_array_equal(lines["loss inner alone"].get_ydata(), hist.loss[1])
            np.testing.assert_array_equal(lines["path fast"].get_xdata(), hist.params[0, :, 0])
            assert ex.render()[:8] == b"\x89PNG\r\n\x1a\n"
    first = ex.render()
    ex.update("Rosenbrock", "Adam", 0.05, k=3, alpha=0.3)
    assert ex.render() != first


def test_static_figure_has_one_row_per_scene():
    settings = {name: {"inner_name": "SGD", "lr": PRESET_LR[(name, "SGD")]} for name in SCENES}
    fig = lookahead_figure(settings, steps=30)
    assert len(fig.axes) == 2 * len(SCENES)


def test_panel_wires_the_sliders():
    ex = LookaheadExplorer(steps=40)
    panel = build_panel(ex)
    by_name = widget_tree.controls(panel)
    assert set(by_name) == {"problem", "inner", "lr", "k", "alpha", "noise"}
    image = widget_tree.image(panel)
    assert image.layout.width == "840px"  # shown at the PNG's own size
    before = image.value
    by_name["alpha"].value = 0.8
    assert image.value != before
    by_name["scene" if "scene" in by_name else "problem"].value = "Rosenbrock"
    assert by_name["lr"].value == PRESET_LR[("Rosenbrock", "SGD")]
    assert ex.scene_name == "Rosenbrock"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"scene_name": "bowl"}, "scene_name"),
        ({"inner_name": "RMSprop"}, "inner_name"),
        ({"k": 0}, "k"),
        ({"alpha": 0.0}, "alpha"),
        ({"lr": -1.0}, "lr"),
        ({"sigma": -1.0}, "sigma"),
    ],
)
def test_runs_reject_bad_arguments(kwargs, name):
    args = {"scene_name": "quadratic", "inner_name": "SGD", "lr": 0.01} | kwargs
    with pytest.raises(ValueError, match=f"^{name}"):
        lookahead_runs(**args)


def test_at_alpha_one_the_slow_weights_equal_the_inner_optimizer_at_the_syncs():
    for k in (1, 4, 5):
        hist = lookahead_runs("quadratic", "SGD", 10**-1.5, k=k, alpha=1.0, sigma=5.0)
        levels = tail_losses(hist, "quadratic", k=k)
        assert levels["slow"] == levels["inner alone at syncs"]
        assert levels["fast"] == levels["inner alone"]


def test_readout_is_the_outcome_in_words_and_shown_by_the_panel():
    ex = LookaheadExplorer(steps=50)
    hist = ex.update("quadratic", "SGD", 10**-1.5, k=5, alpha=0.5, sigma=2.0)
    text = ex.readout()
    assert text == outcome(hist, "quadratic", k=5)
    level = tail_losses(hist, "quadratic", window=100, k=5)
    assert f"Lookahead slow {level['slow']:.3g}" in text
    assert f"inner alone {level['inner alone at syncs']:.3g}" in text
    panel = build_panel(ex)
    assert (
        ex.readout() in [w for w in widget_tree.walk(panel) if type(w).__name__ == "HTML"][1].value
    )


@pytest.mark.parametrize("seed", range(8))
def test_view_limits_hold_every_point_of_the_runs(seed):
    from helpers.lessons.lookahead.explorer import SCENES, lookahead_runs, sync_points, view_limits

    scene = SCENES["quadratic"]
    hist = lookahead_runs("quadratic", "SGD+momentum", 0.01, sigma=5.0, seed=seed)
    xlim, ylim, loss_ylim = view_limits(scene, hist, 5)
    _, slow = sync_points(hist, 5)
    points = np.concatenate([hist.params[0], hist.params[1], slow])
    assert xlim[0] <= points[:, 0].min() and points[:, 0].max() <= xlim[1]
    assert ylim[0] <= points[:, 1].min() and points[:, 1].max() <= ylim[1]
    assert xlim[0] <= scene.xlim[0] and ylim[1] >= scene.ylim[1]
    losses = hist.loss[np.isfinite(hist.loss)]
    assert loss_ylim[0] < losses[losses > 0].min() and losses.max() < loss_ylim[1]


def test_every_preset_is_on_the_lr_grid_and_shown_as_itself():
    from helpers.lessons.lookahead.explorer import ALPHA_GRID, K_GRID, LR_GRID, SIGMA_GRID

    for lr in PRESET_LR.values():
        assert LR_GRID.exact(lr) == lr
    assert ALPHA_GRID.exact(0.5) == 0.5 and K_GRID.exact(5) == 5 and SIGMA_GRID.exact(5.0) == 5.0
    ex = LookaheadExplorer(steps=40)
    panel = build_panel(ex, sigma=5.0)
    values = {name: c.value for name, c in widget_tree.controls(panel).items()}
    assert values["lr"] == PRESET_LR[("quadratic", "SGD")] and values["noise"] == 5.0
    assert widget_tree.entries(panel)["lr"].value == "0.0316"


def test_typed_values_are_clamped_with_a_message():
    ex = LookaheadExplorer(steps=40)
    panel = build_panel(ex)
    entry = widget_tree.entries(panel)["k"]
    entry.value = "1e9"
    assert widget_tree.controls(panel)["k"].value == 20 and entry.value == "20"
    assert widget_tree.status(panel).value == "k 1e9 is above the maximum 20; using 20"
    widget_tree.entries(panel)["alpha"].value = "abc"
    assert widget_tree.controls(panel)["alpha"].value == 0.5
    assert "is not a number; keeping 0.5" in widget_tree.status(panel).value


def test_divergence_is_written_across_the_axes():
    ex = LookaheadExplorer(steps=60)
    ex.update("quadratic", "SGD", 1.0)
    alarms = ex._figures["quadratic"]["alarms"]
    assert all(a.get_visible() and "diverged at step" in a.get_text() for a in alarms)
    assert alarms[0].get_fontsize() >= 14
    ex.update("quadratic", "SGD", 0.01)
    assert not any(a.get_visible() for a in alarms)


def test_what_the_fixed_axes_do_not_show_is_written_under_them():
    ex = LookaheadExplorer(steps=300)
    # exercise 3's setting just below its answer: the slow weights converge, the fast weights
    # swing far outside the panel's fixed view
    hist = ex.update("quadratic", "SGD", 10**-1.35, k=5, alpha=0.5185)
    note = ex._figures["quadratic"]["off_view"].get_text()
    assert note == outside_view(SCENES["quadratic"], hist, 5) and note.startswith("off this view")
    fast = hist.params[0]
    assert f"fast w1 {fast[:, 0].min():.3g} to {fast[:, 0].max():.3g}" in note
    assert "inner alone" not in note  # it diverged: the message across the axes says so
    # the panel's first frame (quadratic, SGD at its preset, noise 5) is wholly in view
    ex.update("quadratic", "SGD", PRESET_LR[("quadratic", "SGD")], sigma=5.0)
    assert ex._figures["quadratic"]["off_view"].get_text().strip() == ""
    for scene in SCENES:  # every point of every preset run with noise is inside its scene's view
        for inner in INNER_OPTIMIZERS:
            hist = lookahead_runs(scene, inner, PRESET_LR[(scene, inner)], sigma=5.0)
            assert "w1" not in outside_view(SCENES[scene], hist, 5)
            assert "w2" not in outside_view(SCENES[scene], hist, 5)


def test_results_are_cached_and_shown_again_exactly():
    ex = LookaheadExplorer(steps=40, cache_size=2)
    first = ex.update("quadratic", "SGD", 0.01, k=5, alpha=0.5, sigma=1.0)
    png, readout = ex.render(), ex.readout()
    ex.update("Rosenbrock", "Adam", 0.05)
    assert ex.update("quadratic", "SGD", 0.01, k=5, alpha=0.5, sigma=1.0) is first  # a hit
    assert ex.scene_name == "quadratic" and ex.render() == png and ex.readout() == readout
    fresh = LookaheadExplorer(steps=40, cache_size=0)
    fresh.update("quadratic", "SGD", 0.01, k=5, alpha=0.5, sigma=1.0)
    assert fresh.render() == png and not fresh._cache
    ex.update("quadratic", "Adam", 0.05)  # a third setting evicts the least recent
    assert len(ex._cache) == 2 and ("Rosenbrock", "Adam", 0.05, 5, 0.5, 0.0) not in ex._cache
    with pytest.raises(ValueError, match=r"^k\b"):
        ex.update("quadratic", "SGD", 0.01, k=True)  # not the cached k = 1, nor any k
    with pytest.raises(ValueError, match="cache_size"):
        LookaheadExplorer(cache_size=-1)
