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
from helpers.controls import Grid, format_number, png_width, slider_entry
from helpers.figures import OKABE_ITO, blit_png, contour_levels, freeze_background, loss_surface
from helpers.frames import LivePanel
from helpers.newton import run as newton_run
from helpers.newton import steps_to_tolerance
from helpers.optim import sgd
from helpers.problems import Quadratic, conditioned_quadratic
from helpers.train import History, run

__all__ = [
    "COLORS",
    "DIST_FLOOR",
    "KAPPA_GRID",
    "KAPPA_SLIDER",
    "LR_GRID",
    "QuadraticExplorer",
    "QuadraticRuns",
    "gd_closed_form",
    "gd_until_close",
    "kappa_on_slider",
    "panel",
]

COLORS = {"GD": OKABE_ITO["blue"], "Newton": OKABE_ITO["vermillion"]}
DIST_FLOOR = 1e-16
"""Distances below this (rounding error) are drawn at it, so a log axis still shows the point."""
PANEL_DPI = 84
"""The panel is drawn at 84 dpi (840 px wide) and shown at that size: 8-point text is 9.3 px."""
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


def gd_closed_form(
    problem: Quadratic,
    lr: float,
    w0: ArrayLike,
    tol: float,
    max_steps: int,
    blowup: float = 1e6,
) -> History:
    r"""What :func:`gd_until_close` computes, from the closed form of gradient descent on a
    quadratic: with :math:`A = Q \Lambda Q^\top`,
    :math:`w_t - w^* = Q (I - \eta\Lambda)^t Q^\top (w_0 - w^*)`, every step at once (no loop),
    so a slider move at condition number 1000 costs a millisecond instead of 9,000 steps.

    Stops at the first step within ``tol`` of the start's distance, at ``max_steps``, or at
    divergence (a loss above ``blowup * max(1, |loss_0|)`` or not finite, as in
    :func:`helpers.train.run`), which it reports like ``run`` does.

    Example:
        >>> from helpers.problems import conditioned_quadratic
        >>> q = conditioned_quadratic(10.0, 0.3)
        >>> int(gd_closed_form(q, 1.0, [1.0, 1.0], 1e-6, 1000).loss.size - 1)
        131
    """
    check.instance("problem", problem, Quadratic, "a Quadratic (helpers.problems)")
    w0 = check.as_finite_array("w0", w0, ndim=(1,))
    if w0.shape != (problem.d,):
        raise ValueError(f"w0 must have shape ({problem.d},), got {w0.shape}")
    lr = check.number("lr", lr, above=0)
    tol = check.number("tol", tol, above=0)
    max_steps = check.integer("max_steps", max_steps, low=1)
    blowup = check.number("blowup", blowup, above=1)
    lam, vectors = np.linalg.eigh(problem.A)
    w_star = problem.minimizer
    coef0 = vectors.T @ (w0 - w_star)
    steps = np.arange(max_steps + 1)
    with np.errstate(over="ignore", invalid="ignore"):
        coef = coef0 * (1.0 - lr * lam) ** steps[:, None]  # (T + 1, d)
        params = coef @ vectors.T + w_star
        loss = problem.loss(params)
        dist = np.linalg.norm(coef, axis=-1)
    limit = blowup * max(1.0, abs(float(loss[0])))
    bad = ~(np.isfinite(loss) & (loss <= limit)) | ~np.isfinite(params).all(axis=-1)
    close = dist <= tol * dist[0]
    first_bad = int(np.argmax(bad)) if bad.any() else max_steps + 1
    first_close = int(np.argmax(close)) if close.any() else max_steps
    stop = min(first_bad, first_close, max_steps)
    diverged = first_bad <= stop
    if diverged:
        params[first_bad] = np.where(np.isfinite(params[first_bad]), params[first_bad], np.nan)
    return History(
        loss[: stop + 1], params[: stop + 1], bool(diverged), first_bad if diverged else -1
    )


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
        self.fig = Figure(figsize=(10, 4.2), dpi=PANEL_DPI)
        FigureCanvasAgg(self.fig)
        self._static_axes()
        self.runs: QuadraticRuns | None = None
        self._contours = None
        ax_path, ax_dist = self.ax_path, self.ax_dist
        self._lines = [
            *ax_path.plot([], [], ".-", color=COLORS["GD"], lw=1, ms=3),
            *ax_path.plot([], [], "o-", color=COLORS["Newton"], lw=1.5, ms=4),
            *ax_dist.plot([], [], color=COLORS["GD"]),
            *ax_dist.plot([], [], "o-", color=COLORS["Newton"]),
        ]
        self._titles = [ax_path.set_title(" ", fontsize=10), ax_dist.set_title(" ", fontsize=10)]
        for artist in (*self._lines, *self._titles):
            artist.set_animated(True)
        # axes, ticks and legends are drawn once; each move redraws contours, lines and titles
        self._background = freeze_background(self.fig)

    def update(self, kappa: float, lr: float) -> QuadraticRuns:
        """Run GD (lr) until it is within ``tol`` (at most ``max_steps`` steps;
        :func:`gd_closed_form`, the same iterates as :func:`gd_until_close`) and Newton for
        1 step, and move the figure's lines (drawn by :meth:`render`)."""
        problem = conditioned_quadratic(kappa, self.angle)
        lr = check.number("lr", lr, above=0)
        gd = gd_closed_form(problem, lr, self.w0, self.tol, self.max_steps)
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
        if self._contours is None or self._contours[0] != kappa:
            if self._contours is not None:
                self._contours[1].remove()
            lims = (-self.lim, self.lim)
            w1, w2, loss = loss_surface(runs.problem, lims, lims, num=100)
            contours = self.ax_path.contour(
                w1, w2, loss, levels=contour_levels(loss, 16), cmap="Greys_r", linewidths=0.7
            )
            contours.set_animated(True)
            self._contours = (kappa, contours)
        finite = np.isfinite(runs.gd.params).all(axis=-1)
        gd_path = runs.gd.params[finite]
        gd_line, newton_line, gd_dist_line, newton_dist_line = self._lines
        gd_line.set_data(gd_path[:, 0], gd_path[:, 1])
        newton_line.set_data(*runs.newton.params.T)
        gd_dist_line.set_data(np.arange(1, gd_dist.size + 1), np.maximum(gd_dist, DIST_FLOOR))
        newton_dist_line.set_data([1, 2], np.maximum(newton_dist, DIST_FLOOR))
        if runs.gd.diverged:
            gd_text = f"GD diverged at step {runs.gd.diverged_at}"
        elif runs.gd_steps < 0:
            gd_text = f"GD not there in {self.max_steps} steps"
        else:
            gd_text = f"GD {runs.gd_steps} steps"
        self._titles[0].set_text(f"condition number {format_number(kappa)}, GD lr {lr:.3g}")
        self._titles[1].set_text(
            f"to {self.tol:g} of the start: {gd_text}, Newton {runs.newton_steps}"
        )

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
        ax_dist.set_ylim(1e-17, 1e3)
        ax_dist.set_xlim(1, self.max_steps + 1)
        ax_dist.axhline(self.tol, color="0.5", ls=":", lw=1)
        ax_dist.set_xlabel("iteration + 1")
        ax_dist.set_ylabel(f"|w - w*| / |w0 - w*|  (floored at {DIST_FLOOR:.0e})")
        ax_dist.grid(True, which="major", alpha=0.3)
        handles = [Line2D([], [], color=c, label=name) for name, c in COLORS.items()]
        ax_path.legend(handles=handles, loc="lower right", fontsize=8)
        # upper right: the curves start at the top left and end low (Newton at (2, <= 1e-15))
        ax_dist.legend(handles=handles, loc="upper right", fontsize=8)

    def render(self) -> bytes:
        """The current figure as PNG bytes (what the slider panel shows, with its alt text): contours, lines and
        titles drawn over the cached axes."""
        if self.runs is None:
            raise ValueError("update must be called before render")
        artists = [self._contours[1], *self._lines, *self._titles]
        return blit_png(self.fig, self._background, artists)


KAPPA_GRID = Grid.powers(
    "condition number",
    [round(KAPPA_SLIDER["min"] + i * KAPPA_SLIDER["step"], 10) for i in range(31)],
)
"""The values of the condition-number slider, :data:`KAPPA_SLIDER`'s grid."""
LR_GRID = Grid.linear("GD lr", 0.05, 2.2, 0.05)
"""The values of the GD lr slider."""


def panel(explorer: QuadraticExplorer, kappa: float = 100.0, lr: float = 1.5):
    """Sliders "condition number" (1 to 1000, log scale, :data:`KAPPA_GRID`) and "GD lr"
    (:data:`LR_GRID`) driving ``explorer``; both values must lie on their grids
    (:func:`kappa_on_slider`). Values can be typed into the box beside each slider; the status
    line under the plot says when one was clamped or snapped to the grid."""
    import ipywidgets as widgets

    check.instance("explorer", explorer, QuadraticExplorer, "a QuadraticExplorer")
    kappa = kappa_on_slider(kappa)
    if not 0.05 <= check.number("lr", lr) <= 2.2:
        raise ValueError(f"lr must be in [0.05, 2.2] (the GD lr slider's range), got {lr!r}")
    style = {"description_width": "initial"}
    status = widgets.HTML()
    controls = {
        "kappa": slider_entry(widgets, KAPPA_GRID, kappa, "condition number", status, style=style),
        "lr": slider_entry(widgets, LR_GRID, lr, "GD lr", status, style=style),
    }
    image = widgets.Image(format="png")

    def redraw(_change=None) -> None:
        explorer.update(**{name: control.value for name, control in controls.items()})
        image.value = explorer.render()

    for control in controls.values():
        control.observe(redraw)
    redraw()
    image.layout.width = f"{png_width(image.value)}px"
    box = widgets.VBox([widgets.HBox([c.box for c in controls.values()]), image, status])
    return LivePanel(box, image.value)
