"""Figure plumbing every notebook shares: loss surfaces and contours, trajectories, the optimizer
palette, and figures as PNG bytes for the slider panels (drawn once, then only what moves).

Nothing here uses ``matplotlib.pyplot``: the functions draw on the Axes or Figure they are given,
so a lesson decides how its figures are made and shown.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from helpers import _validate as check

__all__ = [
    "OPTIMIZER_COLORS",
    "blit_png",
    "canvas_png",
    "contour_levels",
    "draw_loss_bands",
    "draw_trajectories",
    "figure_png",
    "freeze_background",
    "loss_surface",
    "trajectory_limits",
]


OPTIMIZER_COLORS = {
    "GD": "#1f77b4",
    "SGD": "#aec7e8",
    "GD+momentum": "#d62728",
    "SGD+momentum": "#ff9896",
    "GD+Nesterov": "#2ca02c",
    "SGD+Nesterov": "#98df8a",
}


def loss_surface(
    problem, xlim: tuple[float, float], ylim: tuple[float, float], num: int = 120
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss of a 2-parameter problem on a ``num x num`` grid: ``(W1, W2, L)`` for ``contour``.

    The whole grid is one batched ``problem.loss`` call on a ``(num*num, 2)`` array.
    """
    check.objective("problem", problem, needs=("loss",))
    if problem.d != 2:
        raise ValueError(f"problem must have d = 2 parameters, got d = {problem.d}")
    xlim = check.interval("xlim", xlim)
    ylim = check.interval("ylim", ylim)
    num = check.integer("num", num, low=2, high=2000)
    w1, w2 = np.meshgrid(np.linspace(*xlim, num), np.linspace(*ylim, num))
    loss = problem.loss(np.column_stack([w1.ravel(), w2.ravel()])).reshape(w1.shape)
    return w1, w2, loss


def trajectory_limits(trajectories, margin: float = 0.15) -> tuple[tuple, tuple]:
    """Axis limits (xlim, ylim) enclosing every finite point of the 2-D trajectories, plus margin."""
    margin = check.number("margin", margin, at_least=0)
    points = np.concatenate(_trajectory_points(trajectories))
    points = points[np.isfinite(points).all(axis=1)]
    if points.size == 0:
        raise ValueError("trajectories must contain at least one finite point")
    low, high = points.min(axis=0), points.max(axis=0)
    pad = margin * np.maximum(high - low, 1e-3)
    return (low[0] - pad[0], high[0] + pad[0]), (low[1] - pad[1], high[1] + pad[1])


def _trajectory_points(trajectories) -> list[np.ndarray]:
    """Each trajectory of a non-empty sequence as real ``(T, 2)`` points (NaN allowed)."""
    if isinstance(trajectories, str | bytes | dict) or not hasattr(trajectories, "__iter__"):
        raise TypeError(
            f"trajectories must be a sequence of (T, 2) point arrays, got "
            f"{type(trajectories).__name__}"
        )
    points = [check.real_array("trajectories", t) for t in trajectories]
    if not points or any(p.ndim != 2 or p.shape[1] != 2 or not p.size for p in points):
        raise ValueError("trajectories must be a non-empty sequence of non-empty (T, 2) arrays")
    return points


def contour_levels(loss: np.ndarray, count: int = 20) -> np.ndarray:
    """``count`` increasing levels at evenly spaced quantiles of ``loss`` (denser where the view
    has more area), so flat valleys and steep walls both get lines. Non-finite values (a loss
    that overflowed somewhere in view) are left out."""
    loss = check.real_array("loss", loss)
    count = check.integer("count", count, low=1, high=200)
    finite = loss[np.isfinite(loss)]
    if finite.size == 0:
        raise ValueError("loss must hold at least one finite value")
    levels = np.quantile(finite, np.linspace(0, 1, count + 2)[1:-1] ** 2)
    return np.unique(levels)


def draw_loss_bands(ax: Axes, problem, xlim, ylim, levels: int = 20, num: int = 300) -> None:
    """The loss of a 2-parameter ``problem`` as grey bands between contour levels (darker =
    lower loss), drawn as one image: much cheaper to redraw than contour lines, for live figures."""
    check.axes("ax", ax)
    levels = check.integer("levels", levels, low=1, high=200)
    _, _, loss = loss_surface(problem, xlim, ylim, num)
    bands = np.digitize(loss, contour_levels(loss, levels))
    ax.imshow(
        bands,
        extent=(*xlim, *ylim),
        origin="lower",
        aspect="auto",
        cmap="Greys_r",
        interpolation="nearest",
        alpha=0.6,
    )
    _parameter_axes(ax, xlim, ylim)


def draw_trajectories(
    ax: Axes, problem, trajectories: dict, xlim, ylim, levels: int = 20, colors: dict | None = None
) -> None:
    """Loss contours of a 2-parameter ``problem`` with each named trajectory (``(T, 2)`` points).

    Contour levels are quantiles of the loss in view (see :func:`contour_levels`).
    """
    check.axes("ax", ax)
    check.instance("trajectories", trajectories, dict, "a dict of name -> (T, 2) points")
    paths = dict(zip(trajectories, _trajectory_points(trajectories.values()), strict=True))
    check.instance("colors", colors, dict | None, "None or a dict of name -> color")
    levels = check.integer("levels", levels, low=1, high=200)
    w1, w2, loss = loss_surface(problem, xlim, ylim)
    ax.contour(w1, w2, loss, levels=contour_levels(loss, levels), cmap="Greys_r", linewidths=0.7)
    colors = colors or OPTIMIZER_COLORS
    for name, points in paths.items():
        ax.plot(points[:, 0], points[:, 1], ".-", color=colors.get(name), lw=1.2, ms=3, label=name)
        ax.plot(*points[0], "ko", ms=5)
    _parameter_axes(ax, xlim, ylim)


def _parameter_axes(ax: Axes, xlim, ylim) -> None:
    """Limits and labels of a (w1, w2) parameter-space panel."""
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")


def canvas_png(fig: Figure) -> bytes:
    """What the figure's Agg canvas currently holds, as PNG bytes (fast, light compression)."""
    check.figure("fig", fig)
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).save(
        buffer, format="png", compress_level=1
    )
    return buffer.getvalue()


def figure_png(fig: Figure) -> bytes:
    """The whole figure drawn anew, as PNG bytes."""
    check.figure("fig", fig)
    fig.canvas.draw()
    return canvas_png(fig)


def freeze_background(fig: Figure):
    """Lay out and draw ``fig`` once (its ``animated=True`` artists left out), fix the layout and
    return the drawn background for :func:`blit_png`: live figures then redraw only what moves."""
    check.figure("fig", fig)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    return fig.canvas.copy_from_bbox(fig.bbox)


def blit_png(fig: Figure, background, artists) -> bytes:
    """``artists`` drawn over the ``background`` of :func:`freeze_background`, as PNG bytes."""
    from matplotlib.artist import Artist

    check.figure("fig", fig)
    if type(background).__name__ != "BufferRegion":
        raise TypeError(
            f"background must be what freeze_background(fig) returned, got "
            f"{type(background).__name__}"
        )
    if isinstance(artists, str | bytes) or not hasattr(artists, "__iter__"):
        raise TypeError(f"artists must be a sequence of matplotlib artists, got {artists!r}")
    artists = list(artists)
    for artist in artists:
        check.instance("artists", artist, Artist, "a sequence of matplotlib artists")
    fig.canvas.restore_region(background)
    for artist in artists:
        fig.draw_artist(artist)
    return canvas_png(fig)
