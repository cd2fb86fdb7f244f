import numpy as np
import pytest

from helpers.data import blobs
from helpers.lessons.optimizers.explorer import OptimizerExplorer
from helpers.lessons.optimizers.explorer import panel as build_panel
from helpers.lessons.optimizers.grid import optimizer
from helpers.problems import LogisticRegression, Quadratic
from helpers.train import run
from tests import widget_tree


@pytest.fixture(scope="module")
def explorer():
    X, y = blobs(n=60)
    return OptimizerExplorer(
        LogisticRegression(X, y),
        np.array([-0.45, 1.0, 1.0]),
        LogisticRegression(X[:, :2], y),
        np.array([-0.45, 1.0]),
        (-3, 10),
        (0, 5),
        steps=30,
    )


def test_update_is_the_same_run_as_the_tables(explorer):
    hist, hist2d = explorer.update("SGD+Nesterov", lr=0.3, beta=0.8, batch_size=6)
    expected = run(
        explorer.problem, optimizer("SGD+Nesterov", 0.3, 0.8), explorer.w0, 30, batch_size=6
    )
    np.testing.assert_array_equal(hist.loss, expected.loss)
    np.testing.assert_array_equal(explorer.loss_line.get_ydata(), expected.loss)
    np.testing.assert_array_equal(explorer.path_line.get_xdata(), hist2d.params[:, 0])
    assert "final loss" in explorer.title.get_text()


def test_full_batch_ignores_batch_size(explorer):
    a, _ = explorer.update("GD", lr=0.3, batch_size=3)
    b, _ = explorer.update("GD", lr=0.3, batch_size=50)
    np.testing.assert_array_equal(a.loss, b.loss)


def test_divergence_is_shown_not_raised():
    problem = Quadratic(np.diag([1.0, 50.0]), np.zeros(2))
    ex = OptimizerExplorer(problem, [1.0, 1.0], problem, [1.0, 1.0], (-2, 2), (-2, 2), steps=200)
    hist, _ = ex.update("GD", lr=0.9)
    assert hist.diverged
    assert "diverged at step" in ex.title.get_text()


def test_bad_arguments_are_rejected(explorer):
    with pytest.raises(ValueError, match="optimizer"):
        explorer.update("Adam", lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        explorer.update("GD", lr=-1.0)


def test_panel_wires_sliders_to_update(explorer):
    panel = build_panel(explorer, optimizer_name="GD", lr=0.1)
    by_name = widget_tree.controls(panel)
    entries = widget_tree.entries(panel)
    assert set(by_name) == {"optimizer", "lr", "beta", "batch size"}
    assert by_name["beta"].disabled and by_name["batch size"].disabled
    assert entries["beta"].disabled and entries["beta"].value == "n/a"  # no stale value
    assert entries["batch size"].value == "n/a"
    image = widget_tree.image(panel)
    assert image.layout.width == "840px"
    before, before_png = explorer.title.get_text(), image.value
    by_name["lr"].value = 0.5
    assert explorer.title.get_text() != before and "lr=0.5" in explorer.title.get_text()
    assert bytes(image.value) != bytes(before_png) and bytes(image.value).startswith(b"\x89PNG")
    by_name["optimizer"].value = "SGD+momentum"
    assert not by_name["beta"].disabled and not by_name["batch size"].disabled
    assert entries["beta"].value == "0.9" and entries["batch size"].value == "10"
    entries["lr"].value = "0,5"
    assert by_name["lr"].value == 0.5 and "not a number" in widget_tree.status(panel).value


def test_presets_and_grid_settings_are_on_the_sliders():
    from helpers.lessons.optimizers.explorer import BETA_GRID, KAPPA_GRID, LR_GRID
    from helpers.lessons.optimizers.grid import BETAS, LRS

    for lr in (*LRS, 0.5):
        assert LR_GRID.exact(lr) == lr and LR_GRID.label(lr) == f"{lr:g}"
    for beta in (*BETAS, 0.9):
        assert BETA_GRID.exact(beta) == beta
    assert KAPPA_GRID.exact(100.0) == 100.0 and KAPPA_GRID.label(10_000.0) == "10,000"


def test_render_is_a_png_of_the_figure_and_follows_update(explorer):
    explorer.update("GD", lr=0.05)
    slow = explorer.render()
    explorer.update("GD", lr=0.8)
    fast = explorer.render()
    assert slow.startswith(b"\x89PNG") and fast != slow
    explorer.update("GD", lr=0.05)
    assert explorer.render() == slow  # same settings, same pixels


def test_render_matches_a_full_redraw(explorer):
    """Blitting onto the cached background gives the pixels a full draw would give."""
    explorer.update("SGD+momentum", lr=0.3, beta=0.7, batch_size=5)
    explorer.render()  # blits onto the canvas
    blitted = np.asarray(explorer.fig.canvas.buffer_rgba()).copy()
    for artist in (explorer.loss_line, explorer.path_line, explorer.title):
        artist.set_animated(False)
    try:
        explorer.fig.canvas.draw()
        full = np.asarray(explorer.fig.canvas.buffer_rgba()).copy()
    finally:
        for artist in (explorer.loss_line, explorer.path_line, explorer.title):
            artist.set_animated(True)
    assert np.mean(np.any(blitted != full, axis=-1)) < 0.001


def test_bad_loss_ylim_is_rejected():
    problem = Quadratic(np.eye(2), np.zeros(2))
    with pytest.raises(ValueError, match="loss_ylim"):
        OptimizerExplorer(
            problem, [1.0, 1.0], problem, [1.0, 1.0], (-1, 1), (-1, 1), loss_ylim=(1.0, 0.1)
        )


def test_rate_map_explorer_marks_the_optimal_settings():
    from helpers.lessons.optimizers.explorer import RateMapExplorer, best_on_grid
    from helpers.stability import optimal_heavy_ball, optimal_nesterov, worst_rate

    rates = RateMapExplorer({"points": ([0.1, 0.2], [0.9, 0.9])}, num=40)
    best = rates.update(100.0, label="a problem")
    assert best["heavy ball"] == optimal_heavy_ball(0.01, 1.0)
    assert best["Nesterov"] == optimal_nesterov(0.01, 1.0)
    lr, beta, rate = best["Nesterov"]
    assert rate == pytest.approx(float(worst_rate(lr, beta, 0.01, 1.0, True, num=2001)))
    assert "(a problem)" in rates.title.get_text()
    for kappa in (2.0, 22.2, 100.0, 1e4):  # the grid search never beats the closed forms
        assert best_on_grid(kappa, True)[2] >= optimal_nesterov(1 / kappa, 1.0)[2] - 1e-12
        assert best_on_grid(kappa, False)[2] >= optimal_heavy_ball(1 / kappa, 1.0)[2] - 1e-12
    assert rate < 99 / 101  # better than GD's best rate (kappa - 1) / (kappa + 1)
    np.testing.assert_allclose(
        rates.segments[0].get_xdata(), [best["heavy ball"][0] / 100, best["heavy ball"][0]]
    )
    assert "kappa = 100" in rates.title.get_text()
    png = rates.render()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert best_on_grid(1.0, False)[2] < 0.05  # kappa 1: one eigenvalue, near-instant
    with pytest.raises(ValueError, match="kappa"):
        rates.update(0.5)
    with pytest.raises(TypeError, match="label"):
        rates.update(10.0, label=3)


def test_panel_wires_the_condition_number_slider():
    from helpers.lessons.optimizers.explorer import RateMapExplorer

    rates = RateMapExplorer(num=20)
    box = build_panel(rates, kappa=1000.0)
    slider = widget_tree.controls(box)["condition number"]
    assert widget_tree.entries(box)["condition number"].value == "1000"
    slider.value = 10.0
    assert "kappa = 10" in rates.title.get_text()
    assert widget_tree.image(box).value[:4] == b"\x89PNG"


def test_a_run_leaving_the_fixed_axes_says_so_on_them(explorer):
    """No axis limit hides a run: a path outside the trajectory's view and a loss outside the
    loss axis are written on the axes, with the farthest point and the extreme loss, and the
    notes disappear for a run that stays inside."""
    hist, hist2d = explorer.update("GD+momentum", lr=10.0, beta=0.99)
    (x0, x1), (y0, y1) = explorer.ax_path.get_xlim(), explorer.ax_path.get_ylim()
    p = hist2d.params
    outside = (p[:, 0] < x0) | (p[:, 0] > x1) | (p[:, 1] < y0) | (p[:, 1] > y1)
    assert outside.any()
    note = explorer.path_note.get_text()
    assert note.startswith(f"path leaves the view at step {int(np.argmax(outside))}")
    assert f"{np.abs(p[:, 0]).max():.0f}" in note and explorer.path_note.get_visible()
    low = explorer.ax_loss.get_ylim()[0]
    if hist.loss.min() < low:
        assert explorer.loss_note.get_text() == f"loss below the axis (min {hist.loss.min():.2g})"
    png = explorer.render()
    assert png[:4] == b"\x89PNG"
    explorer.update("GD", lr=0.1)
    assert explorer.path_note.get_text() == "" and not explorer.path_note.get_visible()
    assert explorer.loss_note.get_text() == "" and not explorer.loss_note.get_visible()


def test_a_loss_above_the_axis_is_noted():
    problem = Quadratic(np.diag([1.0, 50.0]), np.zeros(2))
    ex = OptimizerExplorer(
        problem, [1.0, 1.0], problem, [1.0, 1.0], (-2, 2), (-2, 2), steps=20, loss_ylim=(1e-4, 1.0)
    )
    hist, _ = ex.update("GD", lr=0.041)  # h = 2.05 on the steep direction: grows, slowly
    assert not hist.diverged and hist.loss.max() > 1.0
    assert f"loss above the axis (max {hist.loss.max():.2g})" in ex.loss_note.get_text()
    assert ex.path_note.get_text().startswith("path leaves the view")


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"lr": 0.55}, "lr"),
        ({"lr": "0.5"}, "lr"),
        ({"beta": True}, "beta"),
        ({"kappa": 0.5}, "kappa"),
        ({"batch_size": 1000}, "batch_size"),
        ({"batch_size": 2.0}, "batch_size"),
    ],
)
def test_panel_rejects_a_value_off_its_slider_naming_the_parameter(explorer, kw, name):
    with pytest.raises((TypeError, ValueError), match=rf"{name} must"):
        build_panel(explorer, **kw)
