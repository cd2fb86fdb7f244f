"""helpers.figures: loss surfaces, contour levels, trajectories and PNG bytes for live figures."""

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from helpers.figures import (
    contour_levels,
    draw_loss_bands,
    draw_trajectories,
    loss_surface,
    trajectory_limits,
)
from helpers.problems import Quadratic


def test_loss_surface_matches_pointwise_losses():
    problem = Quadratic(np.diag([1.0, 4.0]), np.zeros(2))
    w1, w2, loss = loss_surface(problem, (-1, 1), (-2, 2), num=5)
    assert loss.shape == (5, 5)
    np.testing.assert_allclose(loss[1, 3], problem.loss(np.array([w1[1, 3], w2[1, 3]])))


def test_loss_surface_needs_two_parameters():
    with pytest.raises(ValueError, match="problem"):
        loss_surface(Quadratic(np.eye(3), np.zeros(3)), (0, 1), (0, 1))


def test_trajectory_limits_enclose_finite_points():
    xlim, ylim = trajectory_limits([np.array([[0.0, 0.0], [1.0, 2.0], [np.nan, np.nan]])])
    assert xlim[0] < 0 < 1 < xlim[1] and ylim[0] < 0 < 2 < ylim[1]
    with pytest.raises(ValueError, match="trajectories"):
        trajectory_limits([np.full((2, 2), np.nan)])


def test_contour_levels_increase():
    levels = contour_levels(np.arange(100.0).reshape(10, 10), 8)
    assert np.all(np.diff(levels) > 0) and len(levels) == 8


def test_draw_trajectories_draws_each_path():
    problem = Quadratic(np.diag([1.0, 4.0]), np.zeros(2))
    fig, ax = plt.subplots()
    draw_trajectories(ax, problem, {"GD": np.array([[1.0, 1.0], [0.5, 0.2]])}, (-1, 2), (-1, 2))
    assert ax.lines[0].get_label() == "GD"
    plt.close(fig)


def test_loss_bands_are_one_image_spanning_the_view():
    problem = Quadratic(np.diag([1.0, 4.0]), np.zeros(2))
    fig, ax = plt.subplots()
    draw_loss_bands(ax, problem, (-1, 2), (-3, 1), levels=5, num=20)
    (image,) = ax.images
    assert image.get_extent() == [-1, 2, -3, 1]
    assert image.get_array().shape == (20, 20) and image.get_array().max() <= 5
    plt.close(fig)


def test_png_helpers_encode_what_the_canvas_shows():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from helpers.figures import blit_png, canvas_png, figure_png, freeze_background

    fig = Figure(figsize=(2, 2), dpi=50)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    (line,) = ax.plot([0, 1], [0, 1], animated=True)
    png = figure_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    background = freeze_background(fig)
    assert fig.get_layout_engine() is None
    without_line = canvas_png(fig)
    with_line = blit_png(fig, background, [line])
    assert with_line != without_line
    assert blit_png(fig, background, []) == without_line


def test_an_overlay_composites_like_drawing_the_artist_there():
    """A legend frozen once (freeze_overlay) and composited over each blitted frame looks as
    if drawn on top of the moving lines, its transparency kept, to a unit of rounding."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from helpers.figures import blit_png, freeze_background, freeze_overlay

    fig = Figure(figsize=(3, 2), dpi=60)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    (moving,) = ax.plot([0, 1], [0.9, 0.8], lw=4, animated=True, label="moving")
    legend = ax.legend(loc="upper right")  # semi-transparent frame over the line
    legend.set_animated(True)
    background = freeze_background(fig)
    overlay = freeze_overlay(fig, [legend])
    composited = np.asarray(Image.open(io.BytesIO(blit_png(fig, background, [moving, overlay]))))
    drawn = np.asarray(Image.open(io.BytesIO(blit_png(fig, background, [moving, legend]))))
    assert np.abs(composited.astype(int) - drawn.astype(int)).max() <= 2
    assert (
        composited != np.asarray(Image.open(io.BytesIO(blit_png(fig, background, [moving]))))
    ).any()
    with pytest.raises(ValueError, match="artists"):
        freeze_overlay(fig, [ax.plot([], [])[0]])  # draws nothing
    with pytest.raises(TypeError, match="artists"):
        blit_png(fig, background, [moving, "legend"])
