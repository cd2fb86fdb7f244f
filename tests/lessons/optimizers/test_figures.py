"""helpers.lessons.optimizers.figures: the loss-curve grid and the final-loss heat maps."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.data import blobs
from helpers.lessons.optimizers.figures import final_loss_heatmaps, loss_curve_grid
from helpers.lessons.optimizers.grid import run_grid
from helpers.problems import LogisticRegression


@pytest.fixture(scope="module")
def grid():
    X, y = blobs(n=40)
    return run_grid(LogisticRegression(X, y), np.zeros(3), steps=10, batch_size=5)


def test_loss_curve_grid_has_a_panel_per_optimizer_and_lr(grid):
    fig = loss_curve_grid(grid, title="t")
    assert len(fig.axes) == 6 * 4
    assert len(fig.axes[0].lines) == 1 and len(fig.axes[2 * 4].lines) == 3
    plt.close(fig)


def test_heatmaps_show_each_momentum_optimizer(grid):
    fig = final_loss_heatmaps(grid)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:4] == ["GD+momentum", "SGD+momentum", "GD+Nesterov", "SGD+Nesterov"]
    assert len(fig.axes[0].texts) == 12
    plt.close(fig)
