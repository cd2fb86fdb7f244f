"""The two slider panels of notebook 3.

* :class:`CoverageExplorer` (slider: n): one epoch with replacement simulated at that n, the
  distribution of how often each sample is drawn against Binomial(n, 1/n) and Poisson(1), and
  the fraction of the data seen over several epochs, with and without replacement.
* :class:`SchemeExplorer` (sliders: step size, n, batch size): constant-step SGD under the four
  sampling schemes on the notebook's least-squares problem with n samples, f - f* per epoch,
  mean and 10-90% band over seeds.

``update`` (recompute and redraw) and ``render`` (the figure as PNG bytes) are the plain, tested
functions a slider move calls; :func:`panel` only wires widgets
to them and show the PNG in an ``Image`` widget.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from helpers import _validate as check
from helpers import sampling
from helpers.controls import Grid, format_number, png_width, slider_entry
from helpers.figures import alarm_text, blit_png, freeze_background, freeze_overlay
from helpers.frames import LivePanel
from helpers.lessons.sampling import coverage
from helpers.lessons.sampling.figures import (
    SCHEME_COLORS,
    SCHEME_LINESTYLES,
    _bound,
    draw_count_distribution,
    draw_coverage,
    scheme_note,
    unstable,
)
from helpers.lessons.sampling.shuffling import (
    SCHEME_LABELS,
    SchemeRuns,
    rounding_level,
    run_schemes,
)
from helpers.lru import LRUCache, read_only
from helpers.problems.least_squares import LeastSquares, synthetic_regression

__all__ = [
    "N_CHOICES",
    "N_GRID",
    "SCHEME_YLIM",
    "SGD_N_CHOICES",
    "SGD_N_GRID",
    "STEP_GRID",
    "CoverageExplorer",
    "SchemeExplorer",
    "batch_grid",
    "panel",
    "scheme_divergence_message",
    "scheme_finding",
    "sorted_problem",
]

N_CHOICES = (1, 2, 3, 5, 10, 20, 50, 100, 1000, 10**4, 10**5, 10**6)
"""The values of the coverage panel's n slider."""

SGD_N_CHOICES = (8, 16, 32, 64, 128, 256)
"""The values of the SGD panel's n slider."""

SCHEME_YLIM = (1e-9, 10.0)
"""The fixed f - f* range of the SGD panel."""
N_GRID = Grid.of("n", N_CHOICES, log_snap=True)
SGD_N_GRID = Grid.of("n", SGD_N_CHOICES, log_snap=True)
STEP_GRID = Grid.of(
    "step size", sorted({m * 2.0**k for m in (0.3, 0.4) for k in range(-8, 4)}), log_snap=True
)
"""The SGD panel's step sizes: 0.4 x 2^k and 0.3 x 2^k (0.0012 to 3.2), so that every step of
section (a)'s table (0.4, 0.2, ..., 0.00625 = 0.4 / 2^6) is on the slider, exactly."""


def batch_grid(n: int) -> Grid:
    """The batch sizes the SGD panel offers at n samples: 1 .. n."""
    n = check.integer("n", n, low=2)
    return Grid.linear("batch size", 1, n, 1)


def sorted_problem(n: int, d: int = 5, noise: float = 0.5, l2: float = 0.05, seed: int = 0):
    """The notebook's problem: ridge least squares on :func:`synthetic_regression` data with n
    rows, stored sorted by target (see there)."""
    l2 = check.number("l2", l2, at_least=0)
    X, y = synthetic_regression(n, d, noise, seed, sort_by_target=True)
    return LeastSquares(X, y, l2)


class CoverageExplorer:
    """Simulated epochs with replacement at a chosen n, redrawn on demand.

    Args:
        epochs: how many epochs the coverage curves span.
        draws: about this many draws are simulated for the count distribution (at least
            ``min_replicates`` epochs), so small n get many replicate epochs...
        max_draws: ...but never more than this many (at least 2 epochs): this caps the cost of
            one slider move at large n.
        curve_n: the coverage curves are simulated at ``min(n, curve_n)`` samples (their
            formula is drawn at n; beyond 10**4 they differ from the limit 1 - e^-E by < 1e-4).
        seed: seed of every simulation.

    Results (simulations and the PNG) are cached per n, so moving back to an n already shown
    costs nothing but the lookup.
    """

    def __init__(
        self,
        epochs: float = 4.0,
        draws: int = 200_000,
        min_replicates: int = 10,
        seed: int = 0,
        max_draws: int = 2_000_000,
        curve_n: int = 10**5,
    ) -> None:
        self.epochs = check.number("epochs", epochs, above=0)
        self.draws = check.integer("draws", draws, low=1)
        self.min_replicates = check.integer("min_replicates", min_replicates, low=2)
        self.seed = check.integer("seed", seed, low=0)
        self.max_draws = check.integer("max_draws", max_draws, low=2)
        self.curve_n = check.integer("curve_n", curve_n, low=1)
        self.fig = Figure(figsize=(8.4, 3.6), dpi=100)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.81, wspace=0.25)
        self.ax_counts, self.ax_cover = self.fig.subplots(1, 2)
        self.counts: coverage.EpochCounts | None = None
        self._cache: dict[int, tuple] = {}
        self._png: dict[int, bytes] = {}
        self._shown: int | None = None
        self._dynamic: list = []
        self._background = None
        self._legends: list = []

    def replicates(self, n: int) -> int:
        """Epochs simulated for the count distribution at n:
        ``max(2, min(max(min_replicates, draws / n), max_draws / n))``."""
        n = check.integer("n", n, low=1)
        wanted = max(self.min_replicates, math.ceil(self.draws / n))
        return max(2, min(wanted, self.max_draws // n))

    def simulate(self, n: int):
        """``(counts, curves, curve_n, curve_reps)`` at n, simulated once and cached."""
        n = check.integer("n", n, low=1)
        if n not in self._cache:
            counts = coverage.monte_carlo_epoch(n, self.replicates(n), self.seed)
            m = min(n, self.curve_n)
            reps = max(2, min(20, math.ceil(self.draws / (self.epochs * m))))
            curves = {
                scheme: coverage.coverage_monte_carlo(
                    m, self.epochs, scheme, replicates=reps, seed=self.seed
                )
                for scheme in ("with_replacement", "random_reshuffling")
            }
            self._cache[n] = (counts, curves, m, reps)
        return self._cache[n]

    def update(self, n: int) -> coverage.EpochCounts:
        """Simulate at ``n`` (or reuse), redraw both panels, return the simulated epochs' counts.

        The title's 95% interval uses the exact standard deviation of one epoch's fraction seen
        (:func:`helpers.sampling.var_fraction_seen`), so it is right even with 2 epochs."""
        counts, curves, m, reps = self.simulate(n)
        self._shown = n
        self.counts = counts
        seen = float(counts.seen.mean())
        half = 1.96 * math.sqrt(sampling.var_fraction_seen(n) / counts.replicates)
        for artist in self._dynamic:
            artist.remove()
        for ax in (self.ax_counts, self.ax_cover):
            ax.containers.clear()  # the bar and error-bar containers of the last n
        draw_count_distribution(self.ax_counts, counts, legend=False)
        self.ax_counts.set_title(
            f"n = {n:,}: seen {seen:.4f} ± {half:.4f} (95%), exact {sampling.p_at_least_once(n):.4f}"
            f"\n{counts.replicates:,} simulated epochs",
            fontsize=10,
        )
        self.fig.alt_text = (
            f"At n = {n:,} one simulated epoch with replacement saw {seen:.3f} of the data "
            f"(exact {sampling.p_at_least_once(n):.3f}); without replacement every epoch sees all."
        )
        draw_coverage(self.ax_cover, m, curves, self.epochs, legend=False)
        where = "" if m == n else f" at n = {m:,}"
        self.ax_cover.set_title(f"coverage, {reps} simulated runs{where}", fontsize=10)
        self._dynamic = sorted(  # drawn in this order: as a full draw would, by zorder
            (
                artist
                for ax in (self.ax_counts, self.ax_cover)
                for artist in (*ax.lines, *ax.patches, *ax.collections, *ax.texts)
            ),
            key=lambda artist: artist.get_zorder(),
        )
        for artist in (*self._dynamic, self.ax_counts.title, self.ax_cover.title):
            artist.set_animated(True)
        if self._background is None:
            # The drawings set the same limits and ticks at every n: fix them and draw the
            # axes once; every later n only draws its bars, markers, curves and titles.
            for ax in (self.ax_counts, self.ax_cover):
                ax.set_xlim(ax.get_xlim())
                ax.set_ylim(ax.get_ylim())
            self._background = freeze_background(self.fig)
            # The legends say the same at every n: drawn once, composited over each frame.
            legends = [
                self.ax_counts.legend(fontsize=9, loc="upper right"),
                self.ax_cover.legend(fontsize=9, loc="lower right"),
            ]
            self._legends = [freeze_overlay(self.fig, [legend]) for legend in legends]
            for legend in legends:
                legend.set_visible(False)  # only ever shown through its overlay
        return counts

    def render(self) -> bytes:
        """The figure of the last :meth:`update` as PNG bytes (what the panel shows), rendered once
        per n (the artists are rebuilt on every update; rendering them is the costly part)."""
        if self._shown is None:
            raise ValueError("update must be called before render")
        n = self._shown
        if n not in self._png:
            artists = [*self._dynamic, *self._legends, self.ax_counts.title, self.ax_cover.title]
            self._png[n] = blit_png(self.fig, self._background, artists)
        return self._png[n]


class SchemeExplorer:
    """Constant-step SGD under the four schemes for chosen (step size, n, batch size).

    Args:
        epochs: epochs per run; seeds: the seeds averaged over; the problem for n is
            :func:`sorted_problem` (n) and every run starts at ``w0 = 0``.
        cache_size: how many (step size, n, batch size) results are kept, runs and PNG, so
            that moving back to a setting shown recently costs a redraw of its lines and texts
            (a few milliseconds), not a rerun.

    The axes, the legend's names (in two columns above the axes, so that it hides no curve)
    and the heading are drawn once (the frozen background); a move redraws the curves, bands,
    the legend's notes (:func:`scheme_note`, the same text as the static figures' legends),
    the setting (top right) and the divergence message.
    """

    LEGEND_FONTSIZE = 9

    def __init__(self, epochs: int = 40, seeds=tuple(range(8)), cache_size: int = 64) -> None:
        self.epochs = check.integer("epochs", epochs, low=1)
        self.seeds = check.seeds("seeds", seeds)
        self.cache_size = check.integer("cache_size", cache_size, low=0)
        self._problems: dict[int, LeastSquares] = {}
        self._cache = LRUCache(self.cache_size)  # (lr, n, batch size) -> (runs, PNG)
        self.fig = Figure(figsize=(8.4, 4.2), dpi=100)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.09, right=0.99, bottom=0.12, top=0.8)
        self.ax = ax = self.fig.subplots()
        ax.set_yscale("log")
        ax.set_ylim(*SCHEME_YLIM)
        ax.set_xlim(0, self.epochs)
        ax.set_xlabel("epoch")
        ax.set_ylabel("f - f*")
        ax.grid(True, which="major", alpha=0.3)
        top = dict(y=0.975, va="top", fontsize=10)
        self.heading = self.fig.text(
            0.09,
            s=f"mean of {len(self.seeds)} seeds, 10-90% band (floor: mean of the last quarter)",
            **top,
        )
        self.title = self.fig.text(0.99, s=" ", ha="right", animated=True, **top)
        self.alarm = alarm_text(ax, y=0.45)
        self.schemes = sampling.SCHEMES
        self.lines, self.edges = [], []
        for scheme in self.schemes:
            style = dict(color=SCHEME_COLORS[scheme], animated=True)
            self.lines.append(ax.plot([], [], ls=SCHEME_LINESTYLES[scheme], lw=1.5, **style)[0])
            # where the mean first leaves the axes: a triangle on the top and/or bottom edge
            for marker in ("^", "v"):
                edge = ax.plot([], [], marker, ms=9, clip_on=False, **style)[0]
                edge.alt_skip = True  # the notes and the message say it
                self.edges.append(edge)
        self._bands: list = []
        self.notes = self._legend()
        self._background = freeze_background(self.fig)
        self.runs: SchemeRuns | None = None
        self._png: bytes | None = None

    def _legend(self) -> list:
        """The legend of the scheme names above the axes, two columns wide enough for a note
        beside each name, and those notes (animated texts, empty): returns the notes."""
        ax, size = self.ax, self.LEGEND_FONTSIZE
        handles = [
            Line2D([], [], color=SCHEME_COLORS[scheme], ls=SCHEME_LINESTYLES[scheme], lw=1.5)
            for scheme in self.schemes
        ]
        names = [SCHEME_LABELS[scheme] for scheme in self.schemes]
        renderer = self.fig.canvas.get_renderer()
        seeds = len(self.seeds)
        widest = [
            f"diverged at {seeds} of {seeds} seeds",
            "unstable, up to 8.8e+88",
            "floor at ends 8.8e-88",
            "f* to rounding, < 8e-88",
            f"still falling: 8.8e-88 at epoch {self.epochs}",
        ]
        probe = ax.text(0, 0, "", fontsize=size)
        note_width = 0.0
        for text in widest:
            probe.set_text(text)
            note_width = max(note_width, probe.get_window_extent(renderer).width)
        probe.remove()
        em = size * self.fig.dpi / 72
        legend = ax.legend(
            handles,
            names,
            loc="lower left",
            bbox_to_anchor=(0, 1.01),
            ncols=2,
            borderaxespad=0,
            borderpad=0.2,
            frameon=False,
            fontsize=size,
            columnspacing=(note_width + 3 * em) / em,  # room for the first column's notes
        )
        legend.alt_skip = True  # the alt text gives each name with its note (see _draw)
        self.fig.canvas.draw()
        texts = legend.get_texts()
        boxes = [t.get_window_extent(renderer) for t in texts]
        lefts = sorted({round(b.x0) for b in boxes})
        column = {x0: max(b.x1 for b in boxes if round(b.x0) == x0) + em for x0 in lefts}
        to_figure = self.fig.transFigure.inverted()
        notes = []
        for box in boxes:
            x, y = to_figure.transform((column[round(box.x0)], box.y0))
            note = self.fig.text(x, y, "", fontsize=size, va="bottom", animated=True)
            note.alt_skip = True
            notes.append(note)
        return notes

    def labels(self) -> list[str]:
        """The legend as the static figures write it: "name (note)" per scheme."""
        return [
            f"{SCHEME_LABELS[scheme]} ({note.get_text()})"
            if note.get_text()
            else SCHEME_LABELS[scheme]
            for scheme, note in zip(self.schemes, self.notes, strict=True)
        ]

    def problem(self, n: int) -> LeastSquares:
        """The problem with n samples (built once per n)."""
        n = check.integer("n", n, low=1)
        if n not in self._problems:
            self._problems[n] = sorted_problem(n)
        return self._problems[n]

    def update(self, lr: float, n: int, batch_size: int = 1) -> SchemeRuns:
        """Run the four schemes at (lr, n, batch_size) (or reuse a recent run), move the
        curves, return the runs."""
        lr = check.number("lr", lr, above=0)
        problem = self.problem(n)
        batch_size = check.integer("batch_size", batch_size, low=1, high=problem.n_samples)
        key = (lr, problem.n_samples, batch_size)
        cached = self._cache.get(key)
        if cached is not None:
            runs, png = cached
            self._draw(runs, lr, problem.n_samples, batch_size)  # the figure shows it again
            self.runs, self._png = runs, png
            return runs
        runs = run_schemes(
            problem,
            np.zeros(problem.d),
            self.epochs,
            lr,
            seeds=self.seeds,
            batch_size=batch_size,
        )
        read_only(runs)  # as a cached result will be: the same either way
        self._draw(runs, lr, problem.n_samples, batch_size)
        self.runs, self._png = runs, None
        if self.cache_size:
            self._cache.put(key, (runs, self.render()))
        return runs

    def _draw(self, runs: SchemeRuns, lr: float, n: int, batch_size: int) -> None:
        """Move the curves, bands, triangles, notes and texts to ``runs``."""
        for band in self._bands:
            band.remove()
        low, high = runs.band(0.1, 0.9)
        mean = runs.mean()
        rounding = rounding_level(self.problem(n))
        self._bands = []
        for s, scheme in enumerate(runs.schemes):
            color = SCHEME_COLORS[scheme]
            band = self.ax.fill_between(
                runs.epochs, low[s, 0], high[s, 0], color=color, alpha=0.2, lw=0, animated=True
            )
            self._bands.append(band)
            self.lines[s].set_data(runs.epochs, mean[s, 0])
            self._mark_edges(s, runs.epochs, mean[s, 0])
            self.notes[s].set_text(scheme_note(runs, s, 0, 0.25, rounding))
        self.title.set_text(
            f"step {format_number(float(runs.lrs[0]))}, n = {n}, batch size {batch_size}"
        )
        self.fig.alt_text = f"{scheme_finding(runs, rounding)} Legend: {'; '.join(self.labels())}."
        self.alarm.set_text(scheme_divergence_message(runs))
        self.alarm.set_visible(bool(self.alarm.get_text()))

    def _mark_edges(self, s: int, epochs: np.ndarray, mean: np.ndarray) -> None:
        """Triangles where scheme ``s``'s mean first rises above the axes (on the top edge,
        pointing up) and first falls below them (bottom edge, pointing down)."""
        low, high = SCHEME_YLIM
        for edge, out, at in (
            (self.edges[2 * s], mean > high, high),
            (self.edges[2 * s + 1], mean < low, low),
        ):
            first = np.flatnonzero(out)[:1]  # NaN (a stopped run) compares False: not marked
            edge.set_data(epochs[first], [at] * first.size)

    def render(self) -> bytes:
        """The current curves drawn over the cached axes, as PNG bytes."""
        if self.runs is None:
            raise ValueError("update must be called before render")
        if self._png is None:
            artists = [*self._bands, *self.lines, *self.edges, *self.notes, self.title, self.alarm]
            self._png = blit_png(self.fig, self._background, artists)
        return self._png


def scheme_finding(runs: SchemeRuns, rounding: float = 0.0) -> str:
    """One sentence saying what the SGD panel shows for ``runs`` (first step size): the
    divergence / instability message if there is one; else which schemes reach f* to rounding
    (floor at most ``rounding``), which are still falling (see :func:`scheme_note`), and among
    the others which has the lowest and which the highest floor at ends (mean of the last
    quarter of the epochs), or that they agree to the digits shown. The panel's alt text starts
    with it."""
    check.instance("runs", runs, SchemeRuns, "a SchemeRuns of run_schemes")
    rounding = check.number("rounding", rounding, at_least=0)
    message = scheme_divergence_message(runs)
    if message:
        return message.replace("\n", "; ") + "."
    floors = runs.floor(0.25)[:, 0]
    notes = [scheme_note(runs, s, 0, 0.25, rounding) for s in range(len(runs.schemes))]
    name = [SCHEME_LABELS[scheme] for scheme in runs.schemes]
    parts = []
    reached = [name[s] for s, note in enumerate(notes) if note.startswith("f* to rounding")]
    if reached:
        parts.append(f"{', '.join(reached)} reach f* to rounding (< {_bound(rounding)})")
    falling = [name[s] for s, note in enumerate(notes) if note.startswith("still falling")]
    if falling:
        parts.append(f"{', '.join(falling)} still falling at epoch {runs.subopt.shape[-1] - 1}")
    settled = [s for s, note in enumerate(notes) if note.startswith("floor at ends")]
    if len(settled) == 1:
        parts.append(f"{name[settled[0]]}: floor at epoch ends {floors[settled[0]]:.2g}")
    elif settled:
        low = min(settled, key=lambda s: floors[s])
        high = max(settled, key=lambda s: floors[s])
        if f"{floors[low]:.2g}" == f"{floors[high]:.2g}":  # equal to the digits shown
            together = ", ".join(name[s] for s in settled)
            parts.append(f"floor at epoch ends {floors[low]:.2g} for {together}")
        else:
            among = "of the others, " if len(settled) < len(notes) else ""
            parts.append(
                f"{among}lowest floor at epoch ends: {name[low]} ({floors[low]:.2g}); "
                f"highest: {name[high]} ({floors[high]:.2g})"
            )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def scheme_divergence_message(runs: SchemeRuns) -> str:
    """One line per scheme of ``runs`` (first step size) that diverged at some seed: the first
    epoch at which it did and at how many seeds, e.g. "with replacement diverged at epoch 3
    (1 of 8 seeds)"; for the schemes that did not diverge but whose mean :math:`f - f^*` rose
    above its start :math:`f(w_0) - f^*` (:func:`~helpers.lessons.sampling.figures.unstable`),
    one line if it is one, e.g. "fixed order unstable: f - f* rose from 0.061 to 47", one if it
    is every scheme ("every scheme unstable: f - f* rose above its start 0.061"), else two:
    "unstable: f - f* rose above its start 0.061" and their names (each one's peak is in the
    legend); "" if neither happened. Shown large across the SGD panel."""
    check.instance("runs", runs, SchemeRuns, "a SchemeRuns of run_schemes")
    lines, rising = [], []
    for s, scheme in enumerate(runs.schemes):
        at = runs.diverged_at[s, 0]
        if (at >= 0).any():
            first = int(at[at >= 0].min())
            lines.append(
                f"{SCHEME_LABELS[scheme]} diverged at epoch {first} "
                f"({int((at >= 0).sum())} of {at.size} seeds)"
            )
        elif (peak := unstable(runs, s, 0)) is not None:
            rising.append((SCHEME_LABELS[scheme], peak))
    start = float(runs.mean()[0, 0, 0])  # every scheme starts at w0
    if len(rising) == 1:
        name, peak = rising[0]
        lines.append(f"{name} unstable: f - f* rose from {start:.2g} to {peak:.2g}")
    elif len(rising) == len(runs.schemes):
        lines.append(f"every scheme unstable: f - f* rose above its start {start:.2g}")
    elif rising:
        lines.append(f"unstable: f - f* rose above its start {start:.2g}")
        lines.append(", ".join(name for name, _ in rising))
    return "\n".join(lines)


def _coverage_panel(explorer: CoverageExplorer, n: int = 1000):
    """An n slider (values :data:`N_CHOICES`, typed values snap to them) driving ``explorer``."""
    import ipywidgets as widgets

    n = N_GRID.exact(check.integer("n", n, low=1), "n")
    status = widgets.HTML()
    control = slider_entry(widgets, N_GRID, n, "n", status)
    image = widgets.Image(format="png")

    def redraw(_change=None) -> None:
        explorer.update(control.value)
        image.value = explorer.render()

    control.observe(redraw)
    redraw()
    image.layout.width = f"{png_width(image.value)}px"
    return LivePanel(widgets.VBox([control.box, image, status]), image.value)


def _scheme_panel(explorer: SchemeExplorer, lr: float = 0.05, n: int = 32, batch_size: int = 1):
    """Controls for step size (:data:`STEP_GRID`), n (:data:`SGD_N_CHOICES`) and batch size
    driving ``explorer``; the batch sizes offered follow n (a batch size above the new n
    becomes n, and the status line says so)."""
    import ipywidgets as widgets

    lr = STEP_GRID.exact(check.number("lr", lr, above=0), "lr")
    n = SGD_N_GRID.exact(check.integer("n", n, low=2), "n")
    batch_size = batch_grid(n).exact(check.integer("batch_size", batch_size, low=1), "batch_size")
    status = widgets.HTML()
    controls = {
        "lr": slider_entry(widgets, STEP_GRID, lr, "step size", status),
        "n": slider_entry(widgets, SGD_N_GRID, n, "n", status),
        "batch_size": slider_entry(widgets, batch_grid(n), batch_size, "batch size", status),
    }
    image = widgets.Image(format="png")
    busy = False

    def redraw(_change=None) -> None:
        nonlocal busy
        if busy:  # changing the batch sizes offered below sets the value and calls us again
            return
        busy = True
        try:
            grid = batch_grid(controls["n"].value)
            if grid != controls["batch_size"].grid:
                controls["batch_size"].set_grid(grid)
            explorer.update(**{name: control.value for name, control in controls.items()})
            image.value = explorer.render()
        finally:
            busy = False

    for control in controls.values():
        control.observe(redraw)
    redraw()
    image.layout.width = f"{png_width(image.value)}px"
    return LivePanel(
        widgets.VBox([widgets.HBox([c.box for c in controls.values()]), image, status]), image.value
    )


def panel(explorer: CoverageExplorer | SchemeExplorer, **initial):
    """The slider panel of ``explorer``, its controls starting at ``initial``: an n slider
    (:data:`N_CHOICES`) for a :class:`CoverageExplorer`; step size, n (:data:`SGD_N_CHOICES`) and
    batch size for a :class:`SchemeExplorer`. Returns the ipywidgets box."""
    if isinstance(explorer, CoverageExplorer):
        return _coverage_panel(explorer, **initial)
    if isinstance(explorer, SchemeExplorer):
        return _scheme_panel(explorer, **initial)
    raise TypeError(
        f"explorer must be a CoverageExplorer or a SchemeExplorer, got {type(explorer).__name__}"
    )
