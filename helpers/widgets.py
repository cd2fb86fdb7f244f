"""The live optimizer explorer of notebook 4: sliders for lr, beta, optimizer and batch size.

:class:`OptimizerExplorer` owns one matplotlib figure (left: full-data loss of the 3-parameter
model, exactly the runs of the static tables; right: the trajectory of the same optimizer on the
2-parameter model without bias, over its loss contours). :meth:`OptimizerExplorer.update` is the
plain, tested function every slider move calls; :func:`explorer_panel` only wires widgets to it.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers import _validate as check
from helpers.plots import OPTIMIZER_COLORS, draw_trajectories
from helpers.sweep import OPTIMIZERS, _kind, optimizer
from helpers.train import History, run

__all__ = ["OptimizerExplorer", "explorer_panel"]


class OptimizerExplorer:
    """A figure that redraws one optimizer run on demand.

    Args:
        problem: the model of the tables (e.g. logistic regression with bias), start ``w0``.
        problem2d: a 2-parameter view of the same data, start ``w0_2d``, drawn on contours
            within ``xlim`` x ``ylim``.
        steps, scheme, seed: as in :func:`helpers.train.run`.
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
    ) -> None:
        self.problem, self.problem2d = problem, problem2d
        self.w0 = check.as_finite_array("w0", w0, ndim=(1,))
        self.w0_2d = check.as_finite_array("w0_2d", w0_2d, ndim=(1,))
        self.steps = check.integer("steps", steps, low=1)
        self.scheme, self.seed = scheme, seed
        self.fig = Figure(figsize=(10, 3.8), dpi=80, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.ax_loss, self.ax_path = self.fig.subplots(1, 2)
        (self.loss_line,) = self.ax_loss.semilogy([], [], lw=1.8)
        self.ax_loss.set_xlim(0, self.steps)
        self.ax_loss.set_xlabel("iteration")
        self.ax_loss.set_ylabel("full-data loss (3-parameter model)")
        self.ax_loss.grid(True, alpha=0.3)
        self.ax_loss.minorticks_off()
        draw_trajectories(self.ax_path, problem2d, {}, xlim, ylim)
        (self.path_line,) = self.ax_path.plot([], [], ".-", lw=1.2, ms=3)
        self.ax_path.plot(*self.w0_2d, "ko", ms=5)
        self.ax_path.set_title("trajectory, 2-parameter model (no bias)", fontsize=10)
        self.update(OPTIMIZERS[0], 0.1)
        # Lay the figure out once; re-running constrained layout on every redraw would double
        # the cost of a slider move.
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")

    def update(
        self, optimizer_name: str, lr: float, beta: float = 0.9, batch_size: int = 10
    ) -> tuple[History, History]:
        """Rerun ``optimizer_name`` with (lr, beta, batch_size) and redraw both panels.

        ``beta`` is ignored by GD and SGD, ``batch_size`` by the full-batch optimizers. Returns the
        histories of the 3-parameter and the 2-parameter runs.
        """
        stochastic, kind = _kind(optimizer_name)
        opt = optimizer(optimizer_name, lr, beta)
        batch = batch_size if stochastic else None
        hist = run(self.problem, opt, self.w0, self.steps, batch, self.scheme, self.seed)
        hist2d = run(self.problem2d, opt, self.w0_2d, self.steps, batch, self.scheme, self.seed)
        color = OPTIMIZER_COLORS[optimizer_name]
        self.loss_line.set_data(np.arange(self.steps + 1), hist.loss)
        self.loss_line.set_color(color)
        finite = hist.loss[np.isfinite(hist.loss) & (hist.loss > 0)]
        self.ax_loss.set_ylim(finite.min() / 1.5, finite.max() * 1.5)
        self.path_line.set_data(hist2d.params[:, 0], hist2d.params[:, 1])
        self.path_line.set_color(color)
        settings = f"lr={lr:.3g}" + ("" if kind == "none" else f", beta={beta:.2f}")
        settings += f", batch={batch_size}" if stochastic else ""
        outcome = (
            f"diverged at step {hist.diverged_at}"
            if hist.diverged
            else f"final loss {hist.final_loss:.3g}"
        )
        self.ax_loss.set_title(f"{optimizer_name} ({settings}): {outcome}", fontsize=10)
        return hist, hist2d


def explorer_panel(
    explorer: OptimizerExplorer,
    optimizer_name: str = "GD+momentum",
    lr: float = 0.5,
    beta: float = 0.9,
    batch_size: int = 10,
):
    """Widgets (optimizer, lr, beta, batch size) driving ``explorer``; returns the panel to display.

    Every change calls :meth:`OptimizerExplorer.update` and shows the redrawn figure in an Output
    widget. The beta slider is disabled for GD/SGD, the batch-size slider for full-batch methods.
    """
    import ipywidgets as widgets
    from IPython.display import display

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
    out = widgets.Output()

    def redraw(_change=None) -> None:
        values = {name: control.value for name, control in controls.items()}
        stochastic, kind = _kind(values["optimizer_name"])
        controls["beta"].disabled = kind == "none"
        controls["batch_size"].disabled = not stochastic
        explorer.update(**values)
        with out:
            out.clear_output(wait=True)
            display(explorer.fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox(
        [widgets.HBox(list(controls.values())[:2]), widgets.HBox(list(controls.values())[2:]), out]
    )
