"""Notebook 4's figures: loss-curve grids and final-loss heat maps of the optimizer grid.

Each function returns a matplotlib Figure and computes nothing that is not also available from
:mod:`helpers.lessons.optimizers.grid`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers import _validate as check
from helpers.figures import OPTIMIZER_COLORS, STATIC_WIDTH_IN
from helpers.lessons.optimizers.grid import GridResult
from helpers.tables import format_loss

__all__ = ["BETA_STYLES", "final_loss_heatmaps", "loss_curve_grid"]

BETA_STYLES = {0.7: ":", 0.8: "--", 0.9: "-"}


def loss_curve_grid(result: GridResult, title: str = "") -> Figure:
    """Loss vs iteration, one small log-scale panel per (optimizer, lr), one line per beta.

    Rows are optimizers and columns learning rates, like the seed's tables; a diverged run ends
    in a cross labelled "diverged".
    """
    check.instance("result", result, GridResult, "a GridResult of run_grid")
    check.text("title", title)
    configs = result.configs
    names = list(dict.fromkeys(configs["optimizer"]))
    lrs = sorted(configs["lr"].unique())
    fig, axes = plt.subplots(
        len(names),
        len(lrs),
        figsize=(min(STATIC_WIDTH_IN, 2.6 * len(lrs)), 1.7 * len(names)),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    for i, name in enumerate(names):
        for j, lr in enumerate(lrs):
            ax = axes[i, j]
            rows = configs[(configs["optimizer"] == name) & (configs["lr"] == lr)]
            for c, row in rows.iterrows():
                loss = result.history.loss[c]
                beta = row["beta"]
                label = "" if np.isnan(beta) else f"beta={beta:g}"
                ax.semilogy(
                    loss,
                    BETA_STYLES.get(beta, "-"),
                    color=OPTIMIZER_COLORS.get(name),
                    lw=1.4,
                    label=label,
                )
                if row["diverged"]:
                    t = result.history.diverged_at[c]
                    ax.plot(t - 1, loss[t - 1], "kx")
                    ax.annotate("diverged", (t - 1, loss[t - 1]), fontsize=8)
            if i == 0:
                ax.set_title(f"lr = {lr:g}", fontsize=9)
            if j == 0:
                ax.set_ylabel(name, fontsize=9)
            ax.grid(True, which="major", alpha=0.3)
            ax.tick_params(labelsize=7)
    for ax in axes[-1]:
        ax.set_xlabel("iteration", fontsize=8)
    handles, labels = axes[2, 0].get_legend_handles_labels() if len(names) > 2 else ([], [])
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=len(handles), fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def final_loss_heatmaps(result: GridResult, title: str = "") -> Figure:
    """Heat maps of log10(final loss) over (lr, beta), one per momentum optimizer.

    All panels share one colour scale; each cell is annotated with its loss; diverged cells are
    grey and say "diverged".
    """
    check.instance("result", result, GridResult, "a GridResult of run_grid")
    check.text("title", title)
    configs = result.configs
    names = [n for n in dict.fromkeys(configs["optimizer"]) if "+" in n]
    tables = [result.final_loss_table(n) for n in names]
    finite = np.concatenate([t.to_numpy(float).ravel() for t in tables])
    finite = np.log10(finite[np.isfinite(finite) & (finite > 0)])
    vmin, vmax = (finite.min(), finite.max()) if finite.size else (-1.0, 0.0)
    fig, axes = plt.subplots(
        1,
        len(names),
        figsize=(min(STATIC_WIDTH_IN, 2.6 * len(names)), 3.0),
        squeeze=False,
        layout="constrained",
    )
    cmap = plt.get_cmap("viridis").with_extremes(bad="0.8")
    image = None
    for ax, name, table in zip(axes[0], names, tables, strict=True):
        values = table.to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(values > 0, np.log10(values), np.nan)
        image = ax.imshow(
            np.ma.masked_invalid(logs),
            cmap=cmap,
            vmin=vmin,
            vmax=vmax,
            origin="lower",
            aspect="auto",
        )
        for (r, c), v in np.ndenumerate(values):
            bright = np.isfinite(logs[r, c]) and logs[r, c] > (vmin + vmax) / 2
            ax.text(
                c,
                r,
                format_loss(v),
                ha="center",
                va="center",
                fontsize=8,
                color="black" if bright or not np.isfinite(v) else "white",
            )
        ax.set_xticks(range(len(table.columns)), [f"{b:g}" for b in table.columns])
        ax.set_yticks(range(len(table.index)), [f"{lr:g}" for lr in table.index])
        ax.set_xlabel("beta")
        ax.set_title(name, fontsize=10)
    axes[0, 0].set_ylabel("lr")
    if image is not None:
        fig.colorbar(image, ax=axes[0].tolist(), label="log10 final loss", shrink=0.9)
    if title:
        fig.suptitle(title)
    return fig
