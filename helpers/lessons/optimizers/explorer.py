"""The live optimizer explorer of notebook 4: sliders for lr, beta, optimizer and batch size.

:class:`OptimizerExplorer` owns one matplotlib figure (left: full-data loss of the 3-parameter
model, exactly the runs of the static tables; right: the trajectory of the same optimizer on the
2-parameter model without bias, over its loss drawn as grey bands).

:meth:`OptimizerExplorer.update` (rerun and move the lines) and :meth:`OptimizerExplorer.render`
(the figure as PNG bytes) are the plain, tested functions every slider move calls;
:func:`panel` only wires widgets to them. The axes never change, so the static part of
the figure is drawn once and each move only redraws the lines and the title on top of it
(blitting): a slider move costs two runs and a few milliseconds of drawing.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers import _validate as check
from helpers.controls import Grid, png_width, slider_entry
from helpers.figures import (
    OKABE_ITO,
    OPTIMIZER_COLORS,
    blit_png,
    draw_loss_bands,
    freeze_background,
)
from helpers.frames import LivePanel
from helpers.lessons.optimizers.grid import OPTIMIZERS, optimizer, optimizer_kind
from helpers.sampling import SCHEMES
from helpers.stability import (
    critical_damping,
    optimal_heavy_ball,
    optimal_nesterov,
    spectral_radius,
    stability_limit,
    worst_rate,
)
from helpers.train import History, run

__all__ = [
    "BETA_GRID",
    "KAPPA_GRID",
    "LR_GRID",
    "OptimizerExplorer",
    "RateMapExplorer",
    "batch_grid",
    "best_on_grid",
    "panel",
]

PANEL_DPI = 84
"""Panels are drawn at 84 dpi, 840 px wide, and shown at that size: 8-point text is 9.3 px."""

# Markers of the rate map's overlays, in order (at most this many overlays).
OVERLAY_STYLES = (
    {"marker": ".", "ms": 3, "color": OKABE_ITO["vermillion"]},
    {"marker": "o", "ms": 5, "mfc": "none", "mec": "white"},
    {"marker": "x", "ms": 5, "color": OKABE_ITO["orange"]},
)


class OptimizerExplorer:
    """A figure that redraws one optimizer run on demand.

    Args:
        problem: the model of the tables (e.g. logistic regression with bias), start ``w0``.
        problem2d: a 2-parameter view of the same data, start ``w0_2d``, drawn on its loss
            within ``xlim`` x ``ylim``.
        steps, scheme, seed: as in :func:`helpers.train.run`.
        loss_ylim: fixed (low, high) of the log-scale loss axis; curves leave the view outside it.
    """

    def __init__(
        self,
        problem,
        w0,
        problem2d,
        w0_2d,
        xlim,
        ylim,
        steps: int = 100,
        scheme: str = "random_reshuffling",
        seed: int = 0,
        loss_ylim: tuple[float, float] = (1e-4, 10.0),
    ) -> None:
        check.objective("problem", problem)
        check.objective("problem2d", problem2d, needs=("loss", "grad"))
        if problem2d.d != 2:
            raise ValueError(f"problem2d must have d = 2 parameters, got d = {problem2d.d}")
        self.problem, self.problem2d = problem, problem2d
        self.w0 = check.as_finite_array("w0", w0, ndim=(1,))
        if self.w0.shape != (problem.d,):
            raise ValueError(f"w0 must have shape ({problem.d},), got {self.w0.shape}")
        self.w0_2d = check.as_finite_array("w0_2d", w0_2d, ndim=(1,))
        if self.w0_2d.shape != (2,):
            raise ValueError(f"w0_2d must have shape (2,), got {self.w0_2d.shape}")
        xlim, ylim = check.interval("xlim", xlim), check.interval("ylim", ylim)
        self.steps = check.integer("steps", steps, low=1)
        low, high = check.interval("loss_ylim", loss_ylim)
        if low <= 0:
            raise ValueError(f"loss_ylim must be (low, high) with 0 < low < high, got {loss_ylim}")
        check.one_of("scheme", scheme, SCHEMES)
        self.scheme, self.seed = scheme, check.integer("seed", seed, low=0)

        self.fig = Figure(figsize=(10, 3.8), dpi=PANEL_DPI, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.ax_loss, self.ax_path = self.fig.subplots(1, 2)
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlim(0, self.steps)
        self.ax_loss.set_ylim(low, high)
        self.ax_loss.set_xlabel("iteration")
        self.ax_loss.set_ylabel("full-data loss (3-parameter model)")
        self.ax_loss.grid(True, alpha=0.3)
        draw_loss_bands(self.ax_path, problem2d, xlim, ylim)
        self.ax_path.plot(*self.w0_2d, "ko", ms=5)
        self.ax_path.set_title(
            "trajectory, 2-parameter model (no bias); darker = lower loss", fontsize=10
        )
        (self.loss_line,) = self.ax_loss.plot([], [], lw=1.8, animated=True)
        (self.path_line,) = self.ax_path.plot([], [], ".-", lw=1.2, ms=3, animated=True)
        self.title = self.ax_loss.set_title(" ", fontsize=10, animated=True)
        # Lay out and draw the static part once; every render() starts from this background.
        self._background = freeze_background(self.fig)
        self.update(OPTIMIZERS[0], 0.1)

    def update(
        self, optimizer_name: str, lr: float, beta: float = 0.9, batch_size: int = 10
    ) -> tuple[History, History]:
        """Rerun ``optimizer_name`` with (lr, beta, batch_size) and move the lines and title.

        ``beta`` is ignored by GD and SGD, ``batch_size`` by the full-batch optimizers. Returns the
        histories of the 3-parameter and the 2-parameter runs. Call :meth:`render` to draw.
        """
        check.one_of("optimizer_name", optimizer_name, OPTIMIZERS)
        lr = check.number("lr", lr, above=0)
        beta = float(check.in_unit_interval("beta", check.as_finite_array("beta", beta, ndim=(0,))))
        batch_size = check.integer("batch_size", batch_size, low=1)
        stochastic, kind = optimizer_kind(optimizer_name)
        opt = optimizer(optimizer_name, lr, beta)
        batch = batch_size if stochastic else None
        hist = run(self.problem, opt, self.w0, self.steps, batch, self.scheme, self.seed)
        hist2d = run(self.problem2d, opt, self.w0_2d, self.steps, batch, self.scheme, self.seed)
        color = OPTIMIZER_COLORS[optimizer_name]
        self.loss_line.set_data(np.arange(self.steps + 1), hist.loss)
        self.path_line.set_data(hist2d.params[:, 0], hist2d.params[:, 1])
        self.loss_line.set_color(color)
        self.path_line.set_color(color)
        settings = f"lr={lr:.3g}" + ("" if kind == "none" else f", beta={beta:.2f}")
        settings += f", batch={batch_size}" if stochastic else ""
        outcome = (
            f"diverged at step {hist.diverged_at}"
            if hist.diverged
            else f"final loss {hist.final_loss:.3g}"
        )
        self.title.set_text(f"{optimizer_name} ({settings}): {outcome}")
        return hist, hist2d

    def render(self) -> bytes:
        """The current lines and title drawn over the cached background (Agg, no re-layout), as
        PNG bytes: what the slider panel shows."""
        return blit_png(self.fig, self._background, [self.loss_line, self.path_line, self.title])


def best_on_grid(kappa: float, nesterov: bool, num: int = 80) -> tuple[float, float, float]:
    """The (lr, beta) minimizing :func:`helpers.stability.worst_rate` on eigenvalues in
    [1/kappa, 1], searched on a num x num grid (lr in (0, 4], beta in [0, 0.995]); returns
    ``(lr, beta, rate)``. A brute-force check of the closed forms
    (:func:`helpers.stability.optimal_heavy_ball`, :func:`helpers.stability.optimal_nesterov`),
    which it approaches as num grows and never beats; the map uses the closed forms."""
    kappa = float(check.number("kappa", kappa, at_least=1))
    nesterov = check.flag("nesterov", nesterov)
    num = check.integer("num", num, low=2)
    lrs = np.linspace(4 / num, 4, num)
    betas = np.linspace(0, 0.995, num)
    rates = worst_rate(lrs[:, None], betas[None, :], 1 / kappa, 1.0, nesterov)
    i, j = np.unravel_index(np.argmin(rates), rates.shape)
    return float(lrs[i]), float(betas[j]), float(rates[i, j])


class RateMapExplorer:
    r"""The convergence rate of heavy ball and Nesterov on a quadratic, as a map over
    (h = lr * lambda, beta): the spectral radius of the 2 x 2 iteration matrix
    (:func:`helpers.stability.spectral_radius`, white where >= 1: divergence), the stability
    boundary, heavy ball's critical-damping curve :math:`\beta = (1-\sqrt h)^2` for
    :math:`0 < h < 4` (complex roots above it; right of its rising branch, up to the stability
    boundary, a real negative root dominates), and, for a
    condition number kappa (eigenvalues in [1/kappa, 1]), the optimal setting and the segment
    of h values its spectrum occupies. ``overlay`` (optional): points (h, beta) drawn on both
    maps, e.g. lr times the Hessian eigenvalues met along a run.

    :meth:`update` (new kappa) and :meth:`render` (PNG bytes) are what the slider calls.
    """

    def __init__(self, overlay: dict | None = None, num: int = 200) -> None:
        num = check.integer("num", num, low=10)
        if overlay is not None and not isinstance(overlay, dict):
            raise TypeError(
                f"overlay must be a dict {{label: (h, beta)}} or None, got {overlay!r:.80}"
            )
        overlay = {} if overlay is None else dict(overlay)
        if len(overlay) > len(OVERLAY_STYLES):
            raise ValueError(f"overlay must hold at most {len(OVERLAY_STYLES)} point sets")
        for label, points in overlay.items():
            check.text("overlay", label)
            if not isinstance(points, tuple | list) or len(points) != 2:
                raise ValueError(
                    f"overlay must map each label to a pair (h, beta), got {points!r:.80}"
                )
            hs, bs = (check.as_finite_array("overlay", v, ndim=(0, 1)) for v in points)
            if hs.shape != bs.shape or np.any(bs < 0) or np.any(bs >= 1):
                raise ValueError(
                    "overlay points must be (h, beta) arrays of one shape, beta in [0, 1)"
                )
        self.fig = Figure(figsize=(10, 4), dpi=PANEL_DPI, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(1, 2, sharey=True)
        # The h axis reaches the smallest overlaid point: no axis limit hides what a run did.
        smallest = min([1e-4, *(0.5 * np.min(hs) for hs, _ in overlay.values() if np.size(hs))])
        if not smallest > 0:
            raise ValueError("overlay h values must be > 0")
        h = np.geomspace(smallest, 4, num)
        beta = np.linspace(0, 0.995, num)
        for ax, nesterov, name in zip(
            self.axes, (False, True), ("heavy ball", "Nesterov"), strict=True
        ):
            rho = spectral_radius(h[None, :], beta[:, None], nesterov)
            image = ax.pcolormesh(
                h,
                beta,
                np.ma.masked_greater_equal(rho, 1.0),
                cmap="viridis_r",
                vmin=0,
                vmax=1,
                shading="auto",
            )
            ax.contour(h, beta, rho, levels=[0.5, 0.8, 0.9, 0.95, 0.99], colors="w", linewidths=0.5)
            ax.plot(stability_limit(beta, nesterov), beta, "k-", lw=1.5, label="stability boundary")
            ax.set_xscale("log")
            ax.set_xlim(h[0], h[-1])
            ax.set_ylim(0, 1)
            ax.set_xlabel("h = lr * eigenvalue")
            ax.set_title(f"{name}: spectral radius (white: diverges)", fontsize=10)
            for (label, (hs, bs)), style in zip(overlay.items(), OVERLAY_STYLES, strict=False):
                ax.plot(hs, bs, linestyle="none", label=label, **style)
        hc = np.geomspace(smallest, 4, num)
        self.axes[0].plot(
            hc, critical_damping(hc), "--", color=OKABE_ITO["orange"], label="critical damping"
        )
        self.axes[0].set_ylabel("beta")
        self.fig.colorbar(image, ax=list(self.axes), label="spectral radius", shrink=0.9)
        self.axes[0].legend(loc="lower left", fontsize=8)
        self.segments = [
            ax.plot([], [], "-", color="m", lw=3, animated=True)[0] for ax in self.axes
        ]
        self.points = [ax.plot([], [], "*", color="m", ms=11, animated=True)[0] for ax in self.axes]
        self.title = self.fig.suptitle(" \n ", fontsize=10, animated=True)  # two lines
        self._background = freeze_background(self.fig)
        self.update(100.0)

    def update(self, kappa: float, label: str = "") -> dict:
        """Mark the optimal settings for condition number ``kappa`` (eigenvalues in
        [1/kappa, 1], so the lr shown is lr * L for a problem with largest curvature L), from
        the closed forms :func:`helpers.stability.optimal_heavy_ball` and
        :func:`helpers.stability.optimal_nesterov`; ``label`` (optional) names the problem the
        kappa belongs to, in the title. Returns ``{"heavy ball": (lr, beta, rate),
        "Nesterov": ...}``."""
        kappa = float(check.number("kappa", kappa, at_least=1))
        if not isinstance(label, str):
            raise TypeError(f"label must be a string, got {type(label).__name__}")
        best = {
            "heavy ball": optimal_heavy_ball(1 / kappa, 1.0),
            "Nesterov": optimal_nesterov(1 / kappa, 1.0),
        }
        for seg, point, (lr, beta, _) in zip(
            self.segments, self.points, best.values(), strict=True
        ):
            seg.set_data([lr / kappa, lr], [beta, beta])
            point.set_data([lr], [beta])
        (lh, bh, rh), (ln, bn, rn) = best.values()
        where = f" ({label})" if label else ""
        self.title.set_text(
            f"kappa = {kappa:.3g}{where}, optimal settings (magenta):\n"
            f"heavy ball lr*L={lh:.3g}, beta={bh:.3f}, rate {rh:.4f}; "
            f"Nesterov lr*L={ln:.3g}, beta={bn:.3f}, rate {rn:.4f} "
            f"(GD: {(kappa - 1) / (kappa + 1):.4f})"
        )
        return best

    def render(self) -> bytes:
        """The current marks drawn over the cached maps, as PNG bytes."""
        return blit_png(self.fig, self._background, [*self.segments, *self.points, self.title])


LR_GRID = Grid.log("lr", 0.001, 10.0)
"""The lr slider's values: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 per decade, holding the grid's
:data:`~helpers.lessons.optimizers.grid.LRS`."""
BETA_GRID = Grid.linear("beta", 0.05, 0.99, 0.01)
KAPPA_GRID = Grid.powers("condition number", [round(0.1 * i, 10) for i in range(41)])
"""The rate map's condition-number slider: ``10 ** (0.1 i)``, i = 0 .. 40 (1 to 10,000)."""


def batch_grid(n_samples: int) -> Grid:
    """The batch-size slider's values: 1 .. ``n_samples``."""
    n_samples = check.integer("n_samples", n_samples, low=2)
    return Grid.linear("batch size", 1, n_samples, 1)


def panel(
    explorer,
    optimizer_name: str = "GD+momentum",
    lr: float = 0.5,
    beta: float = 0.9,
    batch_size: int = 10,
    kappa: float = 100.0,
):
    """Widgets driving ``explorer``; returns the panel to display. For a
    :class:`RateMapExplorer`: one condition-number slider (:data:`KAPPA_GRID`). For an
    :class:`OptimizerExplorer`: optimizer, lr (:data:`LR_GRID`), beta, batch size. Every value
    must lie on its slider's grid (ValueError otherwise); a value can also be typed into the box
    beside each slider, and the status line says when it was clamped or snapped.

    Every change calls :meth:`OptimizerExplorer.update` and shows :meth:`OptimizerExplorer.render`
    in an Image widget shown at the PNG's own size. The beta control is disabled (and reads
    "n/a") for GD/SGD, the batch-size control for full-batch methods.
    """
    import ipywidgets as widgets

    check.instance(
        "explorer",
        explorer,
        (OptimizerExplorer, RateMapExplorer),
        "an OptimizerExplorer or RateMapExplorer",
    )
    check.one_of("optimizer_name", optimizer_name, OPTIMIZERS)
    # Every preset is checked (whatever the explorer) before a widget exists, naming the parameter.
    kappa = KAPPA_GRID.exact(check.number("kappa", kappa, at_least=1), "kappa")
    lr = LR_GRID.exact(check.number("lr", lr, above=0), "lr")
    beta = BETA_GRID.exact(check.number("beta", beta, at_least=0), "beta")
    batch_size = check.integer("batch_size", batch_size, low=1)
    status = widgets.HTML()
    if isinstance(explorer, RateMapExplorer):
        control = slider_entry(
            widgets,
            KAPPA_GRID,
            kappa,
            "condition number",
            status,
            style={"description_width": "initial"},
        )
        rate_image = widgets.Image(format="png")

        def redraw_rates(_change=None) -> None:
            explorer.update(control.value)
            rate_image.value = explorer.render()

        control.observe(redraw_rates)
        redraw_rates()
        rate_image.layout.width = f"{png_width(rate_image.value)}px"
        return LivePanel(widgets.VBox([control.box, rate_image, status]), rate_image.value)

    n_samples = explorer.problem.n_samples or 1
    batch_size = batch_grid(n_samples).exact(batch_size, "batch_size")
    controls = {
        "lr": slider_entry(widgets, LR_GRID, lr, "lr", status),
        "beta": slider_entry(widgets, BETA_GRID, beta, "beta", status),
        "batch_size": slider_entry(
            widgets, batch_grid(n_samples), batch_size, "batch size", status
        ),
    }
    choice = widgets.Dropdown(options=OPTIMIZERS, value=optimizer_name, description="optimizer")
    image = widgets.Image(format="png")

    def redraw(_change=None) -> None:
        stochastic, kind = optimizer_kind(choice.value)
        controls["beta"].set_disabled(kind == "none")
        controls["batch_size"].set_disabled(not stochastic)
        explorer.update(choice.value, **{name: c.value for name, c in controls.items()})
        image.value = explorer.render()

    choice.observe(redraw, names="value")
    for control in controls.values():
        control.observe(redraw)
    redraw()
    image.layout.width = f"{png_width(image.value)}px"
    rows = [
        widgets.HBox([choice, controls["lr"].box]),
        widgets.HBox([controls["beta"].box, controls["batch_size"].box]),
    ]
    return LivePanel(widgets.VBox([*rows, image, status]), image.value)
