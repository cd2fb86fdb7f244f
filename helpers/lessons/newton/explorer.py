"""The slider panel of notebook 2: gradient descent vs Newton on a quadratic of chosen condition number.

:meth:`QuadraticExplorer.update` (run GD with the chosen lr and one Newton step on
:func:`helpers.problems.functions.conditioned_quadratic`) and :meth:`QuadraticExplorer.render` (the figure as
PNG bytes) are the plain, tested functions a slider move calls; :func:`panel` only wires
two sliders ("condition number", "GD lr") to them.

Left: the loss contours with both trajectories; right: the distance to the minimizer, relative
to the start, against the iteration (log-log), with the tolerance that counts as "there".
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.figures import OKABE_ITO, contour_levels, figure_png, loss_surface
from helpers.frames import LivePanel
from helpers.newton import run as newton_run
from helpers.newton import steps_to_tolerance
from helpers.optim import sgd
from helpers.problems import Quadratic, conditioned_quadratic
from helpers.train import History, run

__all__ = [
    "COLORS",
    "DIST_FLOOR",
    "KAPPA_SLIDER",
    "QuadraticExplorer",
    "QuadraticRuns",
    "gd_until_close",
    "kappa_on_slider",
    "panel",
]

COLORS = {"GD": OKABE_ITO["blue"], "Newton": OKABE_ITO["vermillion"]}
DIST_FLOOR = 1e-16
"""Distances below this (rounding error) are drawn at it, so a log axis still shows the point."""
KAPPA_SLIDER = {"base": 10, "min": 0.0, "max": 3.0, "step": 0.1}
"""The condition-number slider: a FloatLogSlider snaps to ``base ** (min + i * step)``."""


def kappa_on_slider(kappa: float) -> float:
    """``kappa`` if it lies on the condition-number slider's grid (``10 ** (0.1 i)``,
    i = 0 .. 30), else ValueError: a preset off the grid would show as its nearest grid value.

    Example:
        >>> kappa_on_slider(100.0)
        100.0
    """
    kappa = check.number("kappa", kappa, above=0)
    s = KAPPA_SLIDER
    i = (np.log(kappa) / np.log(s["base"]) - s["min"]) / s["step"]
    top = round((s["max"] - s["min"]) / s["step"])
    if not (abs(i - round(i)) < 1e-9 and 0 <= round(i) <= top):
        near = s["base"] ** (s["min"] + s["step"] * np.clip(round(i), 0, top))
        raise ValueError(
            f"kappa must lie on the slider's grid 10 ** (0.1 i), i = 0 .. {top}, got {kappa!r} "
            f"(the slider would show {near:.3g})"
        )
    return kappa


class QuadraticRuns(NamedTuple):
    """What one slider setting produced.

    ``gd_steps``/``newton_steps``: first iteration whose distance to the minimizer is at most
    ``tol`` times the starting distance (-1 if not within the run).
    """

    problem: Quadratic
    gd: History
    newton: History
    gd_steps: int
    newton_steps: int


def gd_until_close(
    problem: Quadratic, lr: float, w0: ArrayLike, tol: float, max_steps: int
) -> History:
    """Gradient descent (:func:`helpers.train.run` with ``sgd(lr)``) from ``w0`` until
    :math:`|w - w^*| \\le` ``tol`` :math:`|w_0 - w^*|`, divergence, or ``max_steps`` steps.

    It runs in chunks of doubling length (plain GD keeps no state, so a chunk may start where the
    last one ended); the History holds only the steps taken, so a slider move on an easy setting
    costs a few hundred steps, not ``max_steps``.
    """
    check.instance("problem", problem, Quadratic, "a Quadratic (helpers.problems)")
    w_star = problem.minimizer
    lr = check.number("lr", lr, above=0)
    w0 = check.as_finite_array("w0", w0, ndim=(1,))
    if w0.shape != (problem.d,):
        raise ValueError(f"w0 must have shape ({problem.d},), got {w0.shape}")
    tol = check.number("tol", tol, above=0)
    max_steps = check.integer("max_steps", max_steps, low=1)
    optimizer = sgd(lr)
    start = np.linalg.norm(w0 - w_star)
    w, taken, chunk = w0, 0, 256
    losses, params = [], []
    diverged_at = -1
    while taken < max_steps:
        piece = run(problem, optimizer, w, min(chunk, max_steps - taken))
        first = 0 if taken == 0 else 1
        if piece.diverged:
            losses.append(piece.loss[first : piece.diverged_at + 1])
            params.append(piece.params[first : piece.diverged_at + 1])
            diverged_at = taken + piece.diverged_at
            break
        losses.append(piece.loss[first:])
        params.append(piece.params[first:])
        taken += piece.loss.size - 1
        w = piece.params[-1]
        if np.linalg.norm(w - w_star) <= tol * start:
            break
        chunk *= 2
    return History(np.concatenate(losses), np.concatenate(params), diverged_at >= 0, diverged_at)


class QuadraticExplorer:
    """GD (learning rate lr) and Newton (lr 1) on the 2-D quadratic with condition number kappa.

    Args:
        w0: start (2 numbers); the minimizer is the origin.
        angle: rotation of the quadratic's eigenvectors (see ``conditioned_quadratic``).
        max_steps: GD iterations per setting (>= 1).
        tol: relative distance to the minimizer that counts as converged, in (0, 1).
        lim: the contour panel shows [-lim, lim] in both coordinates (> 0).
    """

    def __init__(
        self,
        w0=(-2.0, 2.0),
        angle: float = np.pi / 6,
        max_steps: int = 20_000,
        tol: float = 1e-6,
        lim: float = 3.0,
    ) -> None:
        self.w0 = check.as_finite_array("w0", w0, ndim=(1,))
        if self.w0.shape != (2,) or not np.any(self.w0):
            raise ValueError(f"w0 must be 2 numbers, not both 0, got {w0!r}")
        self.angle = float(check.as_finite_array("angle", angle, ndim=(0,)))
        self.max_steps = check.integer("max_steps", max_steps, low=1)
        self.tol = check.number("tol", tol, above=0)
        if self.tol >= 1:
            raise ValueError(f"tol must be in (0, 1), got {tol!r}")
        self.lim = check.number("lim", lim, above=0)
        self.fig = Figure(figsize=(10, 4.2), dpi=80)
        FigureCanvasAgg(self.fig)
        self._static_axes()
        self.runs: QuadraticRuns | None = None

    def update(self, kappa: float, lr: float) -> QuadraticRuns:
        """Run GD (lr) until it is within ``tol`` (at most ``max_steps`` steps) and Newton for
        1 step, and redraw the figure."""
        lr = check.number("lr", lr, above=0)
        problem = conditioned_quadratic(kappa, self.angle)
        gd = gd_until_close(problem, lr, self.w0, self.tol, self.max_steps)
        newton = newton_run(problem, self.w0, 1)
        start = np.linalg.norm(self.w0)
        gd_dist = np.linalg.norm(gd.params, axis=-1) / start
        newton_dist = np.linalg.norm(newton.params, axis=-1) / start
        self.runs = QuadraticRuns(
            problem,
            gd,
            newton,
            steps_to_tolerance(gd_dist, self.tol),
            steps_to_tolerance(newton_dist, self.tol),
        )
        self._draw(kappa, lr, gd_dist, newton_dist)
        return self.runs

    def _draw(self, kappa: float, lr: float, gd_dist: np.ndarray, newton_dist: np.ndarray) -> None:
        runs = self.runs
        for artist in self._artists:
            artist.remove()
        ax_path, ax_dist = self.ax_path, self.ax_dist
        lims = (-self.lim, self.lim)
        w1, w2, loss = loss_surface(runs.problem, lims, lims, num=100)
        contours = ax_path.contour(
            w1, w2, loss, levels=contour_levels(loss, 16), cmap="Greys_r", linewidths=0.7
        )
        finite = np.isfinite(runs.gd.params).all(axis=-1)
        gd_path = runs.gd.params[finite]
        lines = [
            *ax_path.plot(gd_path[:, 0], gd_path[:, 1], ".-", color=COLORS["GD"], lw=1, ms=3),
            *ax_path.plot(*runs.newton.params.T, "o-", color=COLORS["Newton"], lw=1.5, ms=4),
            *ax_dist.loglog(
                np.arange(1, gd_dist.size + 1),
                np.maximum(gd_dist, DIST_FLOOR),
                color=COLORS["GD"],
            ),
            *ax_dist.loglog(
                [1, 2], np.maximum(newton_dist, DIST_FLOOR), "o-", color=COLORS["Newton"]
            ),
        ]
        if runs.gd.diverged:
            gd_text = f"GD diverged at step {runs.gd.diverged_at}"
        elif runs.gd_steps < 0:
            gd_text = f"GD not there in {self.max_steps} steps"
        else:
            gd_text = f"GD {runs.gd_steps} steps"
        ax_path.set_title(f"condition number {kappa:.4g}, GD lr {lr:.3g}", fontsize=10)
        ax_dist.set_title(
            f"to {self.tol:g} of the start: {gd_text}, Newton {runs.newton_steps}", fontsize=10
        )
        self._artists = [contours, *lines]

    def _static_axes(self) -> None:
        """Axes, labels, legend and markers that never change between slider moves."""
        self.ax_path, self.ax_dist = self.fig.subplots(1, 2)
        self.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.12, top=0.92, wspace=0.25)
        ax_path, ax_dist = self.ax_path, self.ax_dist
        ax_path.plot(*self.w0, "ko", ms=5, zorder=3)
        ax_path.plot(0, 0, "k*", ms=10, zorder=3)
        ax_path.set_xlim(-self.lim, self.lim)
        ax_path.set_ylim(-self.lim, self.lim)
        ax_path.set_aspect("equal")
        ax_path.set_xlabel("w1")
        ax_path.set_ylabel("w2")
        ax_dist.set_xscale("log")
        ax_dist.set_yscale("log")
        ax_dist.axhline(self.tol, color="0.5", ls=":", lw=1)
        ax_dist.set_xlim(1, self.max_steps + 1)
        ax_dist.set_ylim(1e-17, 1e3)
        ax_dist.set_xlabel("iteration + 1")
        ax_dist.set_ylabel(f"|w - w*| / |w0 - w*|  (floored at {DIST_FLOOR:.0e})")
        ax_dist.grid(True, which="major", alpha=0.3)
        handles = [Line2D([], [], color=c, label=name) for name, c in COLORS.items()]
        ax_path.legend(handles=handles, loc="lower right", fontsize=8)
        # upper right: the curves start at the top left and end low (Newton at (2, <= 1e-15))
        ax_dist.legend(handles=handles, loc="upper right", fontsize=8)
        self._artists = []

    def render(self) -> bytes:
        """The current figure as PNG bytes (what the slider panel shows), with its alt text."""
        return figure_png(self.fig)


def panel(explorer: QuadraticExplorer, kappa: float = 100.0, lr: float = 1.5):
    """Sliders "condition number" (1 to 1000, log scale, :data:`KAPPA_SLIDER`) and "GD lr"
    driving ``explorer``; ``kappa`` must lie on the slider's grid (:func:`kappa_on_slider`)."""
    import ipywidgets as widgets

    check.instance("explorer", explorer, QuadraticExplorer, "a QuadraticExplorer")
    kappa = kappa_on_slider(kappa)
    if not 0.05 <= check.number("lr", lr) <= 2.2:
        raise ValueError(f"lr must be in [0.05, 2.2] (the GD lr slider's range), got {lr!r}")
    style = {"description_width": "initial"}
    controls = {
        "kappa": widgets.FloatLogSlider(
            value=kappa,
            **KAPPA_SLIDER,
            description="condition number",
            readout_format=".3g",
            style=style,
        ),
        "lr": widgets.FloatSlider(
            value=lr, min=0.05, max=2.2, step=0.05, description="GD lr", style=style
        ),
    }
    image = widgets.Image(format="png")

    def redraw(_change=None) -> None:
        explorer.update(**{name: control.value for name, control in controls.items()})
        image.value = explorer.render()

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return LivePanel(widgets.VBox([widgets.HBox(list(controls.values())), image]), image.value)
