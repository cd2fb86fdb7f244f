"""helpers.lessons.newton.explorer: GD until close, the explorer's runs and figure, the slider panel."""

import numpy as np
import pytest

from helpers.lessons.newton.explorer import (
    DIST_FLOOR,
    QuadraticExplorer,
    gd_until_close,
    kappa_on_slider,
)
from helpers.lessons.newton.explorer import panel as build_panel
from helpers.newton import steps_to_tolerance
from helpers.optim import sgd
from helpers.problems import conditioned_quadratic
from helpers.train import run
from tests import widget_tree

W0 = np.array([-2.0, 2.0])


@pytest.fixture(scope="module")
def explorer():
    return QuadraticExplorer(w0=W0, tol=1e-6, max_steps=3000)


ORIGIN = np.zeros(2)


def relative_distance(params, w_star=ORIGIN):
    return np.linalg.norm(params - w_star, axis=-1) / np.linalg.norm(W0 - w_star)


@pytest.mark.parametrize(("kappa", "lr"), [(10.0, 1.0), (30.0, 1.5), (3.0, 0.3)])
def test_gd_until_close_is_plain_gd_stopped_early(kappa, lr):
    problem = conditioned_quadratic(kappa, minimizer=(0.5, -1.0))
    hist = gd_until_close(problem, lr, W0, 1e-6, 5000)
    full = run(problem, sgd(lr), W0, 5000)
    steps = hist.loss.size - 1
    np.testing.assert_allclose(hist.params, full.params[: steps + 1], rtol=1e-12, atol=1e-14)
    close = relative_distance(full.params, np.array([0.5, -1.0]))
    first = steps_to_tolerance(close, 1e-6)
    assert 0 < first <= steps  # it stops at the end of the chunk that got there
    assert not hist.diverged


def test_gd_until_close_reports_divergence_and_the_step_cap():
    problem = conditioned_quadratic(10.0)
    diverged = gd_until_close(problem, 2.5, W0, 1e-6, 5000)
    assert diverged.diverged and diverged.diverged_at == diverged.loss.size - 1
    assert diverged.diverged_at == run(problem, sgd(2.5), W0, 5000).diverged_at
    capped = gd_until_close(problem, 0.01, W0, 1e-6, 300)
    assert capped.loss.size == 301 and not capped.diverged


def test_update_counts_steps_like_an_independent_run(explorer):
    runs = explorer.update(kappa=20.0, lr=1.0)
    full = run(conditioned_quadratic(20.0), sgd(1.0), W0, 3000)
    assert runs.gd_steps == steps_to_tolerance(relative_distance(full.params), 1e-6)
    assert runs.newton_steps == 1
    assert relative_distance(runs.newton.params[-1]) < 1e-10
    assert (
        "GD" in explorer.ax_dist.get_title() and str(runs.gd_steps) in explorer.ax_dist.get_title()
    )


def test_divergence_and_slow_settings_are_shown_not_raised(explorer):
    runs = explorer.update(kappa=10.0, lr=2.1)
    assert runs.gd.diverged and runs.gd_steps == -1
    assert "diverged at step" in explorer.ax_dist.get_title()
    runs = explorer.update(kappa=1000.0, lr=0.05)
    assert runs.gd_steps == -1 and "not there in 3000 steps" in explorer.ax_dist.get_title()


def test_render_follows_update(explorer):
    explorer.update(kappa=5.0, lr=1.0)
    first = explorer.render()
    explorer.update(kappa=500.0, lr=1.0)
    second = explorer.render()
    assert first.startswith(b"\x89PNG") and first != second
    explorer.update(kappa=5.0, lr=1.0)
    assert explorer.render() == first  # same settings, same pixels


def test_panel_wires_sliders_to_update(explorer):
    panel = build_panel(explorer, kappa=10.0, lr=1.0)
    controls = widget_tree.controls(panel)
    assert set(controls) == {"condition number", "GD lr"}
    image = widget_tree.image(panel)
    assert image.layout.width == "840px"
    before = bytes(image.value)
    controls["condition number"].value = 100.0
    assert explorer.runs.problem.eigenvalues[0] == pytest.approx(0.01)
    assert bytes(image.value) != before and bytes(image.value).startswith(b"\x89PNG")
    controls["GD lr"].value = 0.5
    assert explorer.ax_path.get_title() == "condition number 100, GD lr 0.5"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"w0": [0.0, 0.0]}, "w0"),
        ({"w0": [1.0, 2.0, 3.0]}, "w0"),
        ({"max_steps": 0}, "max_steps"),
        ({"tol": 0.0}, "tol"),
        ({"tol": 1.0}, "tol"),
        ({"lim": -1.0}, "lim"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        QuadraticExplorer(**kwargs)


def test_bad_slider_values_are_rejected(explorer):
    with pytest.raises(ValueError, match=r"^kappa"):
        explorer.update(kappa=0.5, lr=1.0)
    with pytest.raises(ValueError, match=r"^lr"):
        explorer.update(kappa=5.0, lr=0.0)


def test_kappa_presets_must_be_on_the_slider_grid(explorer):
    assert kappa_on_slider(100.0) == 100.0 and kappa_on_slider(1.0) == 1.0
    with pytest.raises(ValueError, match=r"^kappa.*31.6"):
        kappa_on_slider(30.0)
    with pytest.raises(ValueError, match=r"^kappa"):
        kappa_on_slider(2000.0)
    with pytest.raises(ValueError, match=r"^kappa"):
        build_panel(explorer, kappa=30.0)
    panel = build_panel(explorer, kappa=100.0)
    assert widget_tree.controls(panel)["condition number"].value == 100.0
    assert widget_tree.entries(panel)["condition number"].value == "100"
    widget_tree.entries(panel)["GD lr"].value = "5"
    assert widget_tree.controls(panel)["GD lr"].value == 2.2
    assert widget_tree.status(panel).value == "GD lr 5 is above the maximum 2.2; using 2.2"
    widget_tree.entries(panel)["condition number"].value = "1e5"
    assert widget_tree.controls(panel)["condition number"].value == 1000.0
    assert widget_tree.entries(panel)["condition number"].value == "1000"


@pytest.mark.parametrize("kappa", [1.0, 10.0, 100.0])
@pytest.mark.parametrize("lr", [0.05, 1.0, 1.95, 2.0, 2.05, 2.2])
def test_closed_form_gd_takes_the_steps_of_the_loop(kappa, lr):
    from helpers.lessons.newton.explorer import gd_closed_form
    from helpers.newton import steps_to_tolerance
    from helpers.problems import conditioned_quadratic

    problem, w0 = conditioned_quadratic(kappa, np.pi / 6), np.array([-2.0, 2.0])
    loop = gd_until_close(problem, lr, w0, 1e-6, 3000)  # kappa 100 at lr 0.05: not there
    closed = gd_closed_form(problem, lr, w0, 1e-6, 3000)
    assert (closed.diverged, closed.diverged_at) == (loop.diverged, loop.diverged_at)
    dist = [np.linalg.norm(h.params, axis=-1) / np.linalg.norm(w0) for h in (loop, closed)]
    assert steps_to_tolerance(dist[0], 1e-6) == steps_to_tolerance(dist[1], 1e-6)
    m = closed.loss.size
    finite = np.isfinite(loop.params[:m]).all(axis=-1)
    np.testing.assert_allclose(closed.params[finite], loop.params[:m][finite], atol=1e-9)


@pytest.mark.parametrize("kappa", [1.0, 10.0, 100.0, 1000.0])
def test_legend_does_not_hide_newtons_last_point(explorer, kappa):
    explorer.update(kappa=kappa, lr=1.5)
    explorer.render()  # lay the figure out
    newton_line = explorer.ax_dist.get_lines()[-1]
    x, y = newton_line.get_data()
    assert y[-1] >= DIST_FLOOR  # drawn on the log axis even when the distance is exactly 0
    point = explorer.ax_dist.transData.transform((x[-1], y[-1]))
    box = explorer.ax_dist.get_legend().get_window_extent()
    assert not box.expanded(1.05, 1.05).contains(*point)


def test_divergence_is_marked_inside_the_axes_and_extreme_lr_gives_no_warning():
    import warnings

    from helpers.figures import png_alt_text
    from helpers.lessons.newton.explorer import QuadraticExplorer

    explorer = QuadraticExplorer()
    runs = explorer.update(100.0, 2.1)
    assert runs.gd.diverged and runs.gd.diverged_at == 80
    notes = [t.get_text() for t in explorer._notes]
    assert "GD diverged at step 80" in notes[1] and "leaves this window at step" in notes[0]
    x, y = explorer._escape[0].get_data()
    assert max(abs(x[0]), abs(y[0])) <= explorer.lim  # the X is inside the window
    _, dist = explorer._escape[1].get_data()
    assert dist[0] <= explorer.ax_dist.get_ylim()[1]
    assert "GD diverged at step 80" in png_alt_text(explorer.render())
    explorer.update(100.0, 1.5)
    assert not any(a.get_visible() for a in (*explorer._notes, *explorer._escape))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert explorer.update(100.0, 1e300).gd.diverged
        explorer.render()
