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
from helpers.figures import OPTIMIZER_COLORS, blit_png, draw_loss_bands, freeze_background
from helpers.lessons.optimizers.grid import OPTIMIZERS, optimizer, optimizer_kind
from helpers.train import History, run

__all__ = ["OptimizerExplorer", "panel"]


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
        self.problem, self.problem2d = problem, problem2d
        self.w0 = check.as_finite_array("w0", w0, ndim=(1,))
        self.w0_2d = check.as_finite_array("w0_2d", w0_2d, ndim=(1,))
        self.steps = check.integer("steps", steps, low=1)
        low, high = check.positive("loss_ylim", loss_ylim)
        if low >= high:
            raise ValueError(f"loss_ylim must be (low, high) with 0 < low < high, got {loss_ylim}")
        self.scheme, self.seed = scheme, seed

        self.fig = Figure(figsize=(10, 3.8), dpi=80, layout="constrained")
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


def panel(
    explorer: OptimizerExplorer,
    optimizer_name: str = "GD+momentum",
    lr: float = 0.5,
    beta: float = 0.9,
    batch_size: int = 10,
):
    """Widgets (optimizer, lr, beta, batch size) driving ``explorer``; returns the panel to display.

    Every change calls :meth:`OptimizerExplorer.update` and shows :meth:`OptimizerExplorer.render`
    in an Image widget. The beta slider is disabled for GD/SGD, the batch-size slider for
    full-batch methods.
    """
    import ipywidgets as widgets

    n_samples = explorer.problem.n_samples or 1
    controls = {
        "optimizer_name": widgets.Dropdown(
            options=OPTIMIZERS, value=optimizer_name, description="optimizer"
        ),
        "lr": widgets.FloatLogSlider(
            value=lr, base=10, min=-3, max=1, step=0.05, description="lr", readout_format=".3g"
        ),
        "beta": widgets.FloatSlider(value=beta, min=0.05, max=0.99, step=0.01, description="beta"),
        "batch_size": widgets.IntSlider(
            value=batch_size, min=1, max=n_samples, description="batch size"
        ),
    }
    image = widgets.Image(format="png")

    def redraw(_change=None) -> None:
        values = {name: control.value for name, control in controls.items()}
        stochastic, kind = optimizer_kind(values["optimizer_name"])
        controls["beta"].disabled = kind == "none"
        controls["batch_size"].disabled = not stochastic
        explorer.update(**values)
        image.value = explorer.render()

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    controls_list = list(controls.values())
    return widgets.VBox([widgets.HBox(controls_list[:2]), widgets.HBox(controls_list[2:]), image])
