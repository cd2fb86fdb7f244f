r"""Fast and slow weights made visible: Lookahead's trajectories on two ill-conditioned 2-D problems.

:func:`lookahead_runs` runs Lookahead and, in the same batched call, its inner optimizer alone
(``alpha = 1``, which is the inner optimizer exactly), with optional gradient noise of known seed.
:class:`LookaheadExplorer` draws them (left: paths over the loss, right: loss per step) and
:func:`panel` wires sliders to it; the static notebook figure is
:func:`lookahead_figure`. Slider moves only redraw the lines over a cached background (blitting).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers import _validate as check
from helpers.controls import Grid, png_width, slider_entry
from helpers.figures import (
    DIVERGED_COLOR,
    OKABE_ITO,
    alarm_text,
    blit_png,
    draw_loss_bands,
    freeze_background,
    freeze_overlay,
)
from helpers.frames import LivePanel
from helpers.lru import LRUCache, read_only
from helpers.optim import Optimizer, adam, lookahead, sgd
from helpers.problems import Rosenbrock, conditioned_quadratic
from helpers.problems.noisy import NoisyGradient
from helpers.train import History, run

__all__ = [
    "ALPHA_GRID",
    "INNER_OPTIMIZERS",
    "K_GRID",
    "LR_GRID",
    "LR_SLIDER_STEP",
    "PRESET_LR",
    "SCENES",
    "SIGMA_GRID",
    "LookaheadExplorer",
    "Scene",
    "divergence_message",
    "inner_optimizer",
    "lookahead_figure",
    "lookahead_runs",
    "outcome",
    "outside_view",
    "panel",
    "sync_points",
    "tail_losses",
    "view_limits",
]

INNER_OPTIMIZERS: dict[str, Callable[[float], Optimizer]] = {
    "SGD": lambda lr: sgd(lr),
    "SGD+momentum": lambda lr: sgd(lr, momentum=0.9),
    "Adam": lambda lr: adam(lr),
}
"""Inner optimizers of the explorer by name (momentum 0.9; Adam with its default betas)."""

COLORS = {"inner alone": "0.4", "fast": OKABE_ITO["sky blue"], "slow": OKABE_ITO["blue"]}
STYLES = {"inner alone": ("--", 1.2), "fast": ("-", 0.9), "slow": ("o-", 1.8)}
"""Line style and width of each curve."""


@dataclass(frozen=True)
class Scene:
    """A 2-D problem with its start, view and fixed log-loss axis range."""

    problem: object
    w0: np.ndarray
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    loss_ylim: tuple[float, float]

    def __post_init__(self) -> None:
        check.objective("problem", self.problem, needs=("loss",))
        if self.problem.d != 2:
            raise ValueError(f"problem must have d = 2 parameters, got d = {self.problem.d}")
        w0 = check.as_finite_array("w0", self.w0, ndim=(1,))
        if w0.shape != (2,):
            raise ValueError(f"w0 must have shape (2,), got {w0.shape}")
        check.interval("xlim", self.xlim)
        check.interval("ylim", self.ylim)
        if check.interval("loss_ylim", self.loss_ylim)[0] <= 0:
            raise ValueError(f"loss_ylim must be > 0 (a log axis), got {self.loss_ylim!r}")


def _history(name: str, hist, *, tracked: bool = True) -> History:
    """``hist`` if it is a History of :func:`lookahead_runs` (two rows; the slow weights tracked)."""
    check.instance(name, hist, History, "a History of lookahead_runs")
    if np.ndim(hist.loss) != 2 or hist.loss.shape[0] != 2 or (tracked and hist.tracked is None):
        raise ValueError(f"{name} must be a History of lookahead_runs (2 rows, slow weights kept)")
    return hist


SCENES = {
    # eigenvalues 50 and 1, the steep direction at 120 degrees: the valley runs at 30 degrees
    "quadratic": Scene(
        conditioned_quadratic(50.0, angle=np.deg2rad(120.0), largest=50.0),
        np.array([-4.0, 2.0]),
        (-5, 3),
        (-4, 3),
        (1e-4, 1e3),
    ),
    "Rosenbrock": Scene(Rosenbrock(), np.array([-1.2, 1.0]), (-2, 2), (-0.5, 3), (1e-4, 1e3)),
}
"""The explorer's problems: a rotated quadratic with condition number 50 and Rosenbrock's
valley (a=1, b=100)."""

PANEL_DPI = 84
"""The panel is drawn at 84 dpi (840 px wide) and shown at that size: 8-point text is 9.3 px."""

LR_SLIDER_STEP = 0.05
"""Step of the lr slider in log10 units: the slider can only show lr = 10^(multiple of 0.05)."""

PRESET_LR = {
    ("quadratic", "SGD"): 10**-1.5,
    ("quadratic", "SGD+momentum"): 10**-2.0,
    ("quadratic", "Adam"): 10**-0.5,
    ("Rosenbrock", "SGD"): 10**-2.8,
    ("Rosenbrock", "SGD+momentum"): 10**-3.0,
    ("Rosenbrock", "Adam"): 10**-1.3,
}
"""A learning rate that makes a good picture for each (problem, inner optimizer), on the lr
slider's grid (so choosing a pair shows exactly this value)."""


def inner_optimizer(name: str, lr) -> Optimizer:
    """The inner optimizer ``name`` (a key of :data:`INNER_OPTIMIZERS`) with learning rate ``lr``."""
    check.one_of("name", name, tuple(INNER_OPTIMIZERS))
    shape = np.shape(check.positive("lr", lr))
    if shape != () and (len(shape) != 2 or shape[0] == 0 or shape[1] != 1):
        raise ValueError(
            f"lr must be a number or a (C, 1) array, one per configuration, got {shape}"
        )
    return INNER_OPTIMIZERS[name](lr)


def lookahead_runs(
    scene_name: str,
    inner_name: str,
    lr: float,
    k: int = 5,
    alpha: float = 0.5,
    sigma: float = 0.0,
    steps: int = 300,
    seed: int = 0,
) -> History:
    """Lookahead(inner, k, alpha) and the inner optimizer alone, from the scene's start.

    One batched run of two configurations that see the same gradient noise (standard deviation
    ``sigma`` per coordinate, seeded): row 0 is Lookahead, row 1 the inner optimizer alone (the
    same wrapper with alpha = 1). ``History.tracked`` holds the slow weights.
    """
    check.one_of("scene_name", scene_name, tuple(SCENES))
    check.one_of("inner_name", inner_name, tuple(INNER_OPTIMIZERS))
    lr = check.number("lr", lr, above=0)
    scene = SCENES[scene_name]
    k = check.integer("k", k, low=1)
    alpha = float(check.fraction("alpha", check.as_finite_array("alpha", alpha, ndim=(0,))))
    steps = check.integer("steps", steps, low=1)
    problem = NoisyGradient(scene.problem, sigma, steps, seed)
    opt = lookahead(
        inner_optimizer(inner_name, lr), k=np.array([[k], [k]]), alpha=np.array([[alpha], [1.0]])
    )
    return run(
        problem,
        opt,
        np.tile(scene.w0, (2, 1)),
        steps,
        batch_size=1,
        scheme="fixed",
        track=lambda state: state.slow,
    )


def sync_points(hist: History, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Steps ``0, k, 2k, ...`` (up to the last logged step) and Lookahead's slow weights there."""
    _history("hist", hist)
    k = check.integer("k", k, low=1)
    steps = np.arange(0, int(hist.steps[-1]) + 1, k)
    rows = np.searchsorted(hist.steps, steps)
    return steps, hist.tracked[0, rows]


def view_limits(scene: Scene, hist: History, k: int, margin: float = 0.05) -> tuple[tuple, ...]:
    """``(xlim, ylim, loss_ylim)`` of the static figure: the scene's view widened (by a
    ``margin`` fraction of the span) until it holds every finite point of every path and
    every positive finite loss, so that no axis limit hides what a run did.

    Example:
        >>> hist = lookahead_runs("quadratic", "SGD", 0.01, steps=5)
        >>> view_limits(SCENES["quadratic"], hist, 5)[0] == SCENES["quadratic"].xlim
        True
    """
    check.instance("scene", scene, Scene, "a Scene (see SCENES)")
    _history("hist", hist)
    k = check.integer("k", k, low=1)
    margin = float(check.number("margin", margin, at_least=0))
    lines = _line_data(scene, hist, k)
    limits = []
    for axis, base in ((0, scene.xlim), (1, scene.ylim)):
        values = np.concatenate([lines[key][axis] for key in lines if key.startswith("path")])
        values = values[np.isfinite(values)]
        low, high = (
            min(base[0], values.min(initial=np.inf)),
            max(base[1], values.max(initial=-np.inf)),
        )
        pad = margin * (high - low) if (low, high) != tuple(base) else 0.0
        limits.append((float(low - pad * (low < base[0])), float(high + pad * (high > base[1]))))
    losses = np.concatenate([lines[key][1] for key in lines if key.startswith("loss")])
    losses = losses[np.isfinite(losses) & (losses > 0)]
    low = min(scene.loss_ylim[0], losses.min(initial=np.inf) / 2)
    high = max(scene.loss_ylim[1], losses.max(initial=-np.inf) * 2)
    return limits[0], limits[1], (float(low), float(high))


def _decorate(
    ax_path: Axes, ax_loss: Axes, scene: Scene, steps: int, title: str, limits=None
) -> None:
    xlim, ylim, loss_ylim = limits or (scene.xlim, scene.ylim, scene.loss_ylim)
    draw_loss_bands(ax_path, scene.problem, xlim, ylim)
    ax_path.plot(*scene.w0, "ko", ms=5)
    # above the paths (zorder 4), so that the minimum is not hidden under a path that ends on it
    ax_path.plot(*scene.problem.minimizer, "w*", ms=10, mec="k", zorder=4)
    ax_path.set_title(title, fontsize=10)
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, steps)
    ax_loss.set_ylim(*loss_ylim)
    ax_loss.set_xlabel("inner step")
    ax_loss.set_ylabel("loss (noise-free)")
    ax_loss.grid(True, alpha=0.3)


def _line_data(scene: Scene, hist: History, k: int) -> dict[str, tuple]:
    """x/y data of every line: paths (left) and losses (right) of inner alone, fast and slow."""
    sync_steps, slow = sync_points(hist, k)
    return {
        "path inner alone": (hist.params[1, :, 0], hist.params[1, :, 1]),
        "path fast": (hist.params[0, :, 0], hist.params[0, :, 1]),
        "path slow": (slow[:, 0], slow[:, 1]),
        "loss inner alone": (hist.steps, hist.loss[1]),
        "loss fast": (hist.steps, hist.loss[0]),
        "loss slow": (sync_steps, scene.problem.loss(slow)),
    }


def tail_losses(hist: History, scene_name: str, window: int = 100, k: int = 5) -> dict[str, float]:
    """Mean noise-free loss over the last ``window`` steps (NaN for a run that diverged).

    ``"fast"`` and ``"inner alone"`` average every step of the window. The slow weights change
    only at synchronizations, so ``"slow"`` averages them at the synchronization steps of the
    window (multiples of ``k``), and ``"inner alone at syncs"`` averages the inner optimizer
    alone at those same steps: the like-for-like pair (equal at ``alpha = 1``, where Lookahead
    *is* the inner optimizer). Averages over different steps differ by sampling noise alone.
    """
    _history("hist", hist)
    check.one_of("scene_name", scene_name, tuple(SCENES))
    window = check.integer("window", window, low=1)
    k = check.integer("k", k, low=1)
    last = hist.steps >= hist.steps[-1] - window + 1
    syncs = last & (hist.steps % k == 0)
    slow_loss = SCENES[scene_name].problem.loss(hist.tracked[0, syncs])
    return {
        "slow": np.nan if hist.diverged[0] else float(np.mean(slow_loss)),
        "fast": np.nan if hist.diverged[0] else float(np.mean(hist.loss[0, last])),
        "inner alone": np.nan if hist.diverged[1] else float(np.mean(hist.loss[1, last])),
        "inner alone at syncs": np.nan if hist.diverged[1] else float(np.mean(hist.loss[1, syncs])),
    }


def outcome(hist: History, scene_name: str, k: int = 5, window: int = 100) -> str:
    """The panel's readout, in words: mean loss over the last ``window`` steps of the slow
    weights and of the inner optimizer alone at the same synchronization steps (comparable), and
    of the fast weights and the inner optimizer alone over every step."""
    lv = tail_losses(hist, scene_name, window, k)

    def fmt(value: float) -> str:
        return "diverged" if np.isnan(value) else f"{value:.3g}"

    return (
        f"mean noise-free loss, last {window} steps. At the synchronizations (every k = {k} "
        f"steps): Lookahead slow {fmt(lv['slow'])}, inner alone {fmt(lv['inner alone at syncs'])}. "
        f"Every step: fast {fmt(lv['fast'])}, inner alone {fmt(lv['inner alone'])}."
    )


def _outcome(hist: History, scene_name: str, k: int = 5, window: int = 100) -> str:
    lv = tail_losses(hist, scene_name, window, k)
    parts = [
        f"{name} diverged" if np.isnan(lv[key]) else f"{name} {lv[key]:.3g}"
        for key, name in (("slow", "slow"), ("inner alone at syncs", "inner alone"))
    ]
    return f"mean loss at the syncs of the last {window} steps: " + ", ".join(parts)


def outside_view(scene: Scene, hist: History, k: int) -> str:
    """What the panel writes under its paths when a finite point of a path lies outside the
    panel's fixed view (``scene.xlim``, ``scene.ylim``), or a finite positive loss outside
    ``scene.loss_ylim``; "" if everything is in view. The panel keeps fixed axes (so that
    moving a slider redraws only the lines); this line says what they do not show.

    Example:
        >>> noisy = lookahead_runs("quadratic", "SGD", 0.03, sigma=5.0)
        >>> outside_view(SCENES["quadratic"], noisy, 5)
        ''
        >>> hist = lookahead_runs("quadratic", "SGD", 10**-1.35, alpha=0.5185)
        >>> outside_view(SCENES["quadratic"], hist, 5)[:40]
        'off this view: fast w1 -6.1 to 4.08, w2 '
    """
    check.instance("scene", scene, Scene, "a Scene (see SCENES)")
    _history("hist", hist)
    k = check.integer("k", k, low=1)
    lines = _line_data(scene, hist, k)
    notes = []
    for what, row in (("inner alone", 1), ("fast", 0), ("slow", 0)):
        if hist.diverged[row]:
            continue  # the divergence message across the axes says it
        bits = []
        for axis, (low, high) in ((0, scene.xlim), (1, scene.ylim)):
            values = np.asarray(lines[f"path {what}"][axis], dtype=float)
            values = values[np.isfinite(values)]
            if values.size and (values.min() < low or values.max() > high):
                bits.append(f"w{axis + 1} {values.min():.3g} to {values.max():.3g}")
        losses = np.asarray(lines[f"loss {what}"][1], dtype=float)
        losses = losses[np.isfinite(losses) & (losses > 0)]
        if losses.size and losses.max() > scene.loss_ylim[1]:
            bits.append(f"loss up to {losses.max():.3g}")
        if losses.size and losses.min() < scene.loss_ylim[0]:
            bits.append(f"loss down to {losses.min():.3g}")
        if bits:
            notes.append(f"{what} {', '.join(bits)}")
    return "off this view: " + "; ".join(notes) if notes else ""


def divergence_message(hist: History) -> str:
    """What the panel writes across its axes when a run of :func:`lookahead_runs` diverged
    (row 0 Lookahead, row 1 the inner optimizer alone), with the step; "" if none did.

    Example:
        >>> divergence_message(lookahead_runs("quadratic", "SGD", 0.1, steps=50))
        'Lookahead diverged at step 6\\ninner alone diverged at step 5'
    """
    check.instance("hist", hist, History, "a History of lookahead_runs (two rows)")
    if np.shape(hist.diverged) != (2,):
        raise ValueError(f"hist must have two rows (Lookahead, inner alone), got {hist.diverged!r}")
    lines = [
        f"{name} diverged at step {int(hist.diverged_at[row])}"
        for row, name in ((0, "Lookahead"), (1, "inner alone"))
        if hist.diverged[row]
    ]
    return "\n".join(lines)


class LookaheadExplorer:
    """One figure per scene (paths | loss per step) whose lines are redrawn on demand.

    :meth:`update` reruns :func:`lookahead_runs` and moves the lines; :meth:`render` returns the
    PNG bytes the slider panel shows. The static part of each scene's figure is drawn once.
    The runs and pictures of the last ``cache_size`` settings are kept: moving a slider back to
    a setting shown recently costs a redraw of its lines and texts, not a rerun.
    """

    def __init__(self, steps: int = 300, seed: int = 0, cache_size: int = 64) -> None:
        self.steps = check.integer("steps", steps, low=1)
        self.seed = check.integer("seed", seed, low=0)
        self.cache_size = check.integer("cache_size", cache_size, low=0)
        self._cache = LRUCache(self.cache_size)  # settings -> (History, PNG)
        self._png: bytes | None = None
        # one figure per scene, built now: a first switch of scene then costs a run, not a layout
        self._figures = {name: self._make_figure(name) for name in SCENES}
        self.scene_name = "quadratic"
        self.update("quadratic", "SGD", PRESET_LR[("quadratic", "SGD")])

    def _make_figure(self, name: str) -> dict:
        scene = SCENES[name]
        fig = Figure(figsize=(10, 3.8), dpi=PANEL_DPI, layout="constrained")
        FigureCanvasAgg(fig)
        ax_path, ax_loss = fig.subplots(1, 2)
        _decorate(ax_path, ax_loss, scene, self.steps, f"{name}: paths (darker = lower loss)")
        lines = {}
        for key in ("inner alone", "fast", "slow"):
            style, width = STYLES[key]
            lines[f"path {key}"] = ax_path.plot(
                [], [], style, color=COLORS[key], lw=width, ms=3, animated=True
            )[0]
            lines[f"loss {key}"] = ax_loss.plot(
                [], [], style, color=COLORS[key], lw=width, ms=3, animated=True, label=key
            )[0]
        legend = ax_loss.legend(loc="lower left", fontsize=8)
        legend.set_visible(False)  # not in the background: composited over the lines (render)
        title = fig.suptitle(" ", fontsize=9, animated=True)
        alarms = [alarm_text(ax) for ax in (ax_path, ax_loss)]
        # a line under the axes, its space reserved by the layout: what the fixed axes do not show
        off_view = fig.supxlabel(" ", fontsize=9, color=DIVERGED_COLOR, animated=True)
        background = freeze_background(fig)
        legend.set_visible(True)
        legend_overlay = freeze_overlay(fig, [legend])
        legend.set_visible(False)
        return {
            "legend": legend_overlay,
            "off_view": off_view,
            "fig": fig,
            "lines": lines,
            "title": title,
            "alarms": alarms,
            "background": background,
        }

    @property
    def figure(self) -> Figure:
        """The current scene's figure."""
        return self._figures[self.scene_name]["fig"]

    def update(
        self,
        scene_name: str,
        inner_name: str,
        lr: float,
        k: int = 5,
        alpha: float = 0.5,
        sigma: float = 0.0,
    ) -> History:
        """Rerun on ``scene_name`` (or reuse a recent run) and move that figure's lines; returns
        the History (row 0 Lookahead, row 1 inner alone; ``tracked`` = slow weights)."""
        key = (
            check.one_of("scene_name", scene_name, tuple(SCENES)),
            check.one_of("inner_name", inner_name, tuple(INNER_OPTIMIZERS)),
            check.number("lr", lr, above=0),
            check.integer("k", k, low=1),
            float(check.fraction("alpha", check.as_finite_array("alpha", alpha, ndim=(0,)))),
            check.number("sigma", sigma, at_least=0),
        )
        cached = self._cache.get(key)
        if cached is None:
            hist = lookahead_runs(
                scene_name, inner_name, lr, k, alpha, sigma, self.steps, self.seed
            )
        else:
            hist = cached[0]
        read_only(hist)  # as a cached result will be: the same with or without a cache
        self._draw(hist, scene_name, inner_name, lr, k, alpha, sigma)
        self._png = None
        if cached is not None:
            self._png = cached[1]
        elif self.cache_size:
            self._cache.put(key, (hist, self.render()))
        return hist

    def _draw(self, hist, scene_name, inner_name, lr, k, alpha, sigma) -> None:
        """Move the lines and texts of ``scene_name``'s figure to ``hist``."""
        self.scene_name = scene_name
        if scene_name not in self._figures:
            self._figures[scene_name] = self._make_figure(scene_name)
        parts = self._figures[scene_name]
        for key, (x, y) in _line_data(SCENES[scene_name], hist, k).items():
            parts["lines"][key].set_data(x, y)
        # the setting; the outcome is the readout under the picture (in the first frame too)
        parts["title"].set_text(
            f"{inner_name} lr={lr:.3g}, k={k}, alpha={alpha:.2f}, noise={sigma:.3g}"
        )
        message = divergence_message(hist)
        for alarm in parts["alarms"]:
            alarm.set_text(message)
            alarm.set_visible(bool(message))
        parts["off_view"].set_text(outside_view(SCENES[scene_name], hist, k) or " ")
        self.last = (hist, scene_name, k)

    def readout(self) -> str:
        """The outcome of the last :meth:`update` in words (shown in full size under the plot)."""
        hist, scene_name, k = self.last
        return outcome(hist, scene_name, k)

    def render(self) -> bytes:
        """The current scene's figure as PNG bytes, lines drawn over the cached background."""
        if self._png is None:
            parts = self._figures[self.scene_name]
            artists = [
                *parts["lines"].values(),
                parts["legend"],  # on top of the lines, as a full draw would put it
                parts["title"],
                *parts["alarms"],
                parts["off_view"],
            ]
            self._png = blit_png(parts["fig"], parts["background"], artists)
        return self._png


def lookahead_figure(settings: dict[str, dict], steps: int = 300, seed: int = 0) -> Figure:
    """Static figure (a pyplot figure, shown by ``plt.show()``): one row per scene
    (paths | loss per step) for the given settings, each view widened by :func:`view_limits`
    to hold everything the runs did (the slider panel keeps fixed axes).

    ``settings`` maps a scene name to keyword arguments of :func:`lookahead_runs`
    (``inner_name``, ``lr``, ``k``, ``alpha``, ``sigma``).
    """
    if not isinstance(settings, dict) or not settings:
        raise TypeError(
            f"settings must be a non-empty dict {{scene: kwargs}}, got {settings!r:.80}"
        )
    allowed = {"inner_name", "lr", "k", "alpha", "sigma"}
    for name, kwargs in settings.items():
        check.one_of("settings", name, tuple(SCENES))
        if not isinstance(kwargs, dict) or not {"inner_name", "lr"} <= set(kwargs) <= allowed:
            raise ValueError(
                f"settings must map each scene to a dict with inner_name, lr and optionally k, "
                f"alpha, sigma, got {kwargs!r:.80}"
            )
    steps = check.integer("steps", steps, low=1)
    seed = check.integer("seed", seed, low=0)
    for name, kwargs in settings.items():  # every run is checked before a figure is opened
        lookahead_runs(name, steps=1, seed=seed, **kwargs)
    fig = plt.figure(figsize=(10, 3.6 * len(settings)), layout="constrained")
    axes = fig.subplots(len(settings), 2, squeeze=False)
    for (name, kwargs), (ax_path, ax_loss) in zip(settings.items(), axes, strict=True):
        check.one_of("scene", name, tuple(SCENES))
        scene = SCENES[name]
        hist = lookahead_runs(name, steps=steps, seed=seed, **kwargs)
        k = kwargs.get("k", 5)
        label = (
            f"{name}: {kwargs['inner_name']} lr={kwargs['lr']:.3g}, k={k}, "
            f"alpha={kwargs.get('alpha', 0.5)}, noise={kwargs.get('sigma', 0.0):.3g}"
        )
        _decorate(ax_path, ax_loss, scene, steps, label, view_limits(scene, hist, k))
        for key, (x, y) in _line_data(scene, hist, k).items():
            kind, what = key.split(" ", 1)
            style, width = STYLES[what]
            ax = ax_path if kind == "path" else ax_loss
            ax.plot(x, y, style, color=COLORS[what], lw=width, ms=3, label=what)
        ax_loss.legend(loc="upper right", fontsize=8)
        ax_loss.set_title(_outcome(hist, name, k), fontsize=8)
    return fig


LR_GRID = Grid.powers("lr", [round(-4 + LR_SLIDER_STEP * i, 10) for i in range(81)])
"""The lr slider's values, ``10 ** (0.05 i)`` from 1e-4 to 1: every :data:`PRESET_LR`."""
K_GRID = Grid.linear("k", 1, 20, 1)
ALPHA_GRID = Grid.linear("alpha", 0.05, 1.0, 0.05)
SIGMA_GRID = Grid.linear("noise", 0.0, 20.0, 0.5)


def panel(explorer: LookaheadExplorer, sigma: float = 0.0):
    """Widgets (problem, inner optimizer, lr, k, alpha, gradient noise) driving ``explorer``.

    Choosing another problem or inner optimizer resets lr to that pair's :data:`PRESET_LR`.
    Values can be typed into the box beside each slider; the status line says when one was
    clamped or snapped to the slider's grid.
    """
    import ipywidgets as widgets

    check.instance("explorer", explorer, LookaheadExplorer, "a LookaheadExplorer")
    sigma = SIGMA_GRID.exact(check.number("sigma", sigma, at_least=0), "sigma")
    status = widgets.HTML()
    choices = {
        "scene_name": widgets.Dropdown(options=list(SCENES), description="problem"),
        "inner_name": widgets.Dropdown(options=list(INNER_OPTIMIZERS), description="inner"),
    }
    controls = {
        "lr": slider_entry(widgets, LR_GRID, PRESET_LR[("quadratic", "SGD")], "lr", status),
        "k": slider_entry(widgets, K_GRID, 5, "k", status),
        "alpha": slider_entry(widgets, ALPHA_GRID, 0.5, "alpha", status),
        "sigma": slider_entry(widgets, SIGMA_GRID, sigma, "noise", status),
    }
    image = widgets.Image(format="png")
    readout = widgets.HTML()

    def redraw(_change=None) -> None:
        values = {name: c.value for name, c in (*choices.items(), *controls.items())}
        explorer.update(**values)
        image.value = explorer.render()
        readout.value = f"<p style='font-size:14px'>{explorer.readout()}</p>"

    def preset(_change=None) -> None:
        lr = PRESET_LR[(choices["scene_name"].value, choices["inner_name"].value)]
        if controls["lr"].value != lr:
            controls["lr"].value = lr  # triggers redraw
        else:
            redraw()

    for choice in choices.values():
        choice.observe(preset, names="value")
    for control in controls.values():
        control.observe(redraw)
    redraw()
    image.layout.width = f"{png_width(image.value)}px"
    rows = [
        widgets.HBox([*choices.values(), controls["lr"].box]),
        widgets.HBox([controls[name].box for name in ("k", "alpha", "sigma")]),
    ]
    box = widgets.VBox([*rows, image, status, readout])
    return LivePanel(box, image.value, extra=[explorer.readout()])
