"""Figures of notebook 3 (sampling with vs without replacement).

Each function draws on the Axes it is given and computes nothing beyond what
:mod:`helpers.coverage` and :mod:`helpers.lessons.sampling.shuffling` return, so the static figures of the notebook
and its slider panels (:mod:`helpers.lessons.sampling.explorer`) are the same drawings.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes

from helpers import _validate as check
from helpers import sampling
from helpers.figures import OKABE_ITO
from helpers.lessons.sampling import coverage
from helpers.lessons.sampling.minibatch import MinibatchVariance
from helpers.lessons.sampling.shuffling import (
    RATE_SLOPE,
    SCHEME_LABELS,
    SchemeRuns,
    bootstrap_slope,
    t_interval,
)

__all__ = [
    "COUNTS_YMAX",
    "FALLING",
    "SCHEME_COLORS",
    "SCHEME_LINESTYLES",
    "SCHEME_MARKERS",
    "draw_count_distribution",
    "draw_coupon",
    "draw_coverage",
    "draw_floors",
    "draw_naive_error",
    "draw_rates",
    "draw_scheme_curves",
    "draw_variance",
    "scheme_note",
    "unstable",
]

SCHEME_COLORS = {
    "with_replacement": OKABE_ITO["vermillion"],
    "random_reshuffling": OKABE_ITO["blue"],
    "shuffle_once": OKABE_ITO["bluish green"],
    "fixed": OKABE_ITO["black"],
}
"""Colour of each sampling scheme (colour-blind safe: :data:`helpers.figures.OKABE_ITO`)."""

SCHEME_LINESTYLES = {
    "with_replacement": "-",
    "random_reshuffling": (0, (6, 2)),
    "shuffle_once": (0, (6, 2, 1.5, 2)),
    "fixed": (0, (1.5, 1.5)),
}
"""Line style of each scheme's curves, so no two schemes differ by colour alone."""

SCHEME_MARKERS = {
    "with_replacement": "o",
    "random_reshuffling": "s",
    "shuffle_once": "^",
    "fixed": "D",
}
"""Marker of each scheme's points (error bars)."""


def draw_naive_error(
    ax: Axes, ns: np.ndarray, err_naive: np.ndarray, err_stable: np.ndarray, zero: float = 1e-17
) -> None:
    """Relative errors of the naive and of the stable formula (both against the 50-digit
    reference), log-log, vs n. An error of exactly 0 cannot sit on a log axis: such points are
    drawn at ``zero`` as hollow markers and say so in the legend."""
    check.axes("ax", ax)
    ns = check.positive("ns", check.as_finite_array("ns", ns, ndim=(1,)))
    if ns.size == 0:
        raise ValueError("ns must hold at least one n, got none")
    for name, err in (("err_naive", err_naive), ("err_stable", err_stable)):
        err = check.as_finite_array(name, err, ndim=(1,))
        if err.shape != ns.shape or np.any(err < 0):
            raise ValueError(
                f"{name} must hold one relative error >= 0 per entry of ns {ns.shape}, got {err.shape}"
            )
    zero = check.number("zero", zero, above=0)
    for err, color, marker, size, name in (
        (np.asarray(err_naive, float), OKABE_ITO["vermillion"], "o", 8, "naive 1 - (1 - 1/n)**n"),
        (np.asarray(err_stable, float), OKABE_ITO["blue"], "s", 4, "stable -expm1(n log1p(-1/n))"),
    ):
        exact = err == 0
        ax.loglog(ns[~exact], err[~exact], marker, ms=3.5, color=color, label=name)
        if exact.any():
            ax.loglog(
                ns[exact],
                np.full(exact.sum(), zero),
                marker,
                ms=size,
                mfc="none",
                color=color,
                label=f"{name.split()[0]}: error exactly 0 (drawn at {zero:.0e})",
            )
    ax.loglog(
        ns, 1.1e-16 * ns, ":", color="0.4", label="n x 1.1e-16 (rounding of 1 - 1/n, amplified)"
    )
    ax.set_xlabel("n")
    ax.set_ylabel("relative error vs 50 digits")
    ax.set_ylim(zero / 3, 10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")


COUNTS_YMAX = 0.8
"""Top of the count distribution's probability axis (Poisson(1)'s largest mass is 0.37); a bar or
marker above it (n = 1: one draw, of the one sample, with probability 1) is marked at the top
edge with its value."""


def draw_count_distribution(
    ax: Axes, counts: coverage.EpochCounts, kmax: int = 6, legend: bool = True
) -> None:
    """Empirical distribution of a sample's draw count in one epoch (bars, with 95% t intervals
    over the replicate epochs) against Binomial(n, 1/n) and Poisson(1) (markers), on a
    probability axis up to :data:`COUNTS_YMAX` (a value above it: a triangle at the top edge
    and its value). ``legend=False`` leaves the legend to the caller (a slider panel draws one
    that stays)."""
    check.axes("ax", ax)
    legend = check.flag("legend", legend)
    check.instance("counts", counts, coverage.EpochCounts, "an EpochCounts of monte_carlo_epoch")
    if counts.replicates < 2:
        raise ValueError(f"counts must hold >= 2 replicate epochs, got {counts.replicates}")
    kmax = check.integer("kmax", kmax, low=1)
    k = np.arange(kmax + 1)
    per_epoch = np.zeros((counts.replicates, kmax + 1))
    width = min(kmax + 1, counts.histogram.shape[1])
    per_epoch[:, :width] = counts.histogram[:, :width] / counts.n
    empirical, half = coverage.mean_ci95(per_epoch)
    ax.bar(
        k,
        empirical,
        width=0.7,
        color="0.8",
        yerr=half,
        ecolor="0.3",
        capsize=3,
        # a legend the caller draws once cannot hold the number of epochs (it changes with n)
        label=f"simulated, {counts.replicates} epochs (95% CI)" if legend else "simulated (95% CI)",
    )
    ax.plot(
        k,
        sampling.draw_count_pmf(counts.n, k),
        "o",
        color=OKABE_ITO["blue"],
        label="Binomial(n, 1/n)",
    )
    ax.plot(
        k, sampling.poisson_pmf(k), "x", color=OKABE_ITO["vermillion"], ms=8, label="Poisson(1)"
    )
    tallest = np.maximum(empirical + half, sampling.draw_count_pmf(counts.n, k))
    for j in np.flatnonzero(tallest > COUNTS_YMAX):  # off the top: say so, with the value
        ax.plot([k[j]], [COUNTS_YMAX], "^", color="k", mec="w", ms=10, clip_on=False)
        value = max(float(empirical[j]), float(sampling.draw_count_pmf(counts.n, k[j])))
        ax.annotate(
            f"{value:.2f}",
            (k[j], COUNTS_YMAX),
            xytext=(0, -16),
            textcoords="offset points",
            fontsize=9,
            ha="center",
        )
    ax.set_xticks(k)
    ax.set_xlabel("times a given sample is drawn in one epoch")
    ax.set_ylabel("probability")
    ax.set_ylim(0, COUNTS_YMAX)
    if legend:
        ax.legend(fontsize=9)


def draw_coverage(
    ax: Axes,
    n: int,
    curves: dict[str, tuple[np.ndarray, np.ndarray]],
    epochs: float,
    legend: bool = True,
) -> None:
    """Fraction of the data seen vs epochs: simulated mean and its 95% confidence band
    (:func:`~helpers.lessons.sampling.coverage.mean_ci95`, a t interval) per scheme (``curves[scheme] = (draws, seen)`` from
    :func:`helpers.lessons.sampling.coverage.coverage_monte_carlo`, at least 2 runs), with the
    formulas of :func:`helpers.lessons.sampling.coverage.coverage_after` dashed; ``legend=False``
    leaves the legend to the caller."""
    check.axes("ax", ax)
    legend = check.flag("legend", legend)
    n = check.integer("n", n, low=1)
    if not isinstance(curves, dict) or not curves:
        raise TypeError(
            f"curves must be a non-empty dict {{scheme: (draws, seen)}}, got {curves!r:.80}"
        )
    for scheme, curve in curves.items():
        check.one_of("curves", scheme, tuple(SCHEME_COLORS))
        if not isinstance(curve, tuple | list) or len(curve) != 2:
            raise ValueError(f"curves must map each scheme to (draws, seen), got {curve!r:.80}")
        draws = check.as_finite_array("curves", curve[0], ndim=(1,))
        seen = check.as_finite_array("curves", curve[1], ndim=(2,))
        if seen.shape[1] != draws.size or seen.shape[0] < 2:
            raise ValueError("curves must hold seen of shape (runs >= 2, len(draws))")
    epochs = check.number("epochs", epochs, above=0)
    grid = np.unique(np.round(np.linspace(0, epochs * n, 400)).astype(np.int64))
    for scheme, (draws, seen) in curves.items():
        color = SCHEME_COLORS[scheme]
        x = draws / n
        mean, half = coverage.mean_ci95(seen)
        ax.fill_between(x, mean - half, mean + half, color=color, alpha=0.25, lw=0)
        ax.plot(
            x,
            seen.mean(axis=0),
            color=color,
            ls=SCHEME_LINESTYLES[scheme],
            lw=1.5,
            label=f"{SCHEME_LABELS[scheme]} (simulated)",
        )
        ax.plot(grid / n, coverage.coverage_after(n, grid, scheme), "--", color="k", lw=0.8)
    ax.plot([], [], "--", color="k", lw=0.8, label="formula")
    ax.axhline(sampling.LIMIT_AT_LEAST_ONCE, color="0.6", lw=0.8, ls=":")
    ax.set_xlim(0, epochs)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("epochs (draws / n)")
    ax.set_ylabel("fraction of the data seen")
    ax.grid(True, alpha=0.3)
    if legend:
        ax.legend(fontsize=9, loc="lower right")


FALLING = 0.5
"""A run still falling: over the floor's window, its second half's mean f - f* is below this
fraction of its first half's, at the seeds' mean log ratio plus two standard errors (resolved,
so that the note does not change with the seeds); its mean over the window is no floor."""


def _bound(value: float) -> str:
    """``value`` with one significant digit, rounded up: a bound "< X" that holds."""
    text = f"{value:.0e}"
    if float(text) < value:
        mantissa, exponent = text.split("e")
        mantissa = int(mantissa) + 1
        text = f"{mantissa}e{exponent}" if mantissa < 10 else f"{1e1 * 10 ** int(exponent):.0e}"
    return text


def _still_falling(runs: SchemeRuns, s: int, g: int, last: float) -> bool:
    """Whether scheme ``s`` at ``lrs[g]`` is still falling over the last ``last`` of the epochs
    (see :data:`FALLING`)."""
    window = runs.subopt[s, g, :, runs._floor_start(last) :]  # (seeds, epochs)
    half = window.shape[1] // 2
    if half == 0:
        return False
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log(window[:, half:].mean(axis=1) / window[:, :half].mean(axis=1))
    ratio = ratio[np.isfinite(ratio)]
    if not ratio.size:
        return False
    error = ratio.std(ddof=1) / np.sqrt(ratio.size) if ratio.size > 1 else 0.0
    return bool(ratio.mean() + 2 * error < np.log(FALLING))


def scheme_note(
    runs: SchemeRuns,
    s: int,
    g: int,
    floor_last: float | None = None,
    rounding: float = 0.0,
) -> str:
    """What the legend says of scheme ``s`` at step ``lrs[g]``, the first that applies:

    * "diverged at k of S seeds";
    * "unstable, up to X" (:func:`unstable`);
    * with ``floor_last`` (the fraction of the epochs :meth:`SchemeRuns.floor` averages):
      "f* to rounding, < R" when that floor is at most ``rounding`` (the f - f* of an iterate
      a few ulps from w*, :func:`~helpers.lessons.sampling.shuffling.rounding_level`: no noise
      floor to read; also when the last epoch is there); "still falling: X at epoch K" when
      the runs still fall over the window, resolved over the seeds (:data:`FALLING`: no floor
      yet); else "floor at ends X";
    * "" otherwise.

    Example:
        >>> from helpers.lessons.sampling.explorer import sorted_problem
        >>> from helpers.lessons.sampling.shuffling import run_schemes
        >>> problem = sorted_problem(8)
        >>> runs = run_schemes(problem, np.zeros(problem.d), 3, 5.0, seeds=range(2))
        >>> scheme_note(runs, 0, 0)
        'diverged at 2 of 2 seeds'
    """
    check.instance("runs", runs, SchemeRuns, "a SchemeRuns of run_schemes")
    s = check.integer("s", s, low=0, high=len(runs.schemes) - 1)
    g = check.integer("g", g, low=0, high=runs.lrs.size - 1)
    if floor_last is not None:
        floor_last = float(
            check.fraction("floor_last", check.as_finite_array("floor_last", floor_last, ndim=(0,)))
        )
    rounding = check.number("rounding", rounding, at_least=0)
    diverged = int(runs.diverged[s, g].sum())
    if diverged:
        return f"diverged at {diverged} of {runs.diverged.shape[2]} seeds"
    peak = unstable(runs, s, g)
    if peak is not None:
        return f"unstable, up to {peak:.2g}"
    if floor_last is None:
        return ""
    floor = float(runs.floor(floor_last)[s, g])
    mean = runs.mean()[s, g]
    if floor <= rounding or mean[-1] <= rounding:
        return f"f* to rounding, < {_bound(rounding)}"
    if _still_falling(runs, s, g, floor_last):
        return f"still falling: {mean[-1]:.2g} at epoch {mean.size - 1}"
    return f"floor at ends {floor:.2g}"


def unstable(runs: SchemeRuns, s: int, g: int) -> float | None:
    """The peak of scheme ``s``'s mean :math:`f - f^*` at step ``lrs[g]`` if it rose above its
    start :math:`f(w_0) - f^*` at some epoch end (a run not converging, even if no seed was
    flagged as diverged), else None. NaN epochs (after a divergence) are ignored."""
    check.instance("runs", runs, SchemeRuns, "a SchemeRuns of run_schemes")
    s = check.integer("s", s, low=0, high=len(runs.schemes) - 1)
    g = check.integer("g", g, low=0, high=runs.lrs.size - 1)
    mean = runs.mean()[s, g]
    finite = mean[np.isfinite(mean)]
    peak = float(finite.max()) if finite.size else math.nan
    return peak if peak > mean[0] else None


def draw_scheme_curves(
    ax: Axes,
    runs: SchemeRuns,
    lr: float,
    ylim=(1e-9, 10.0),
    floor_last: float | None = None,
    rounding: float = 0.0,
) -> None:
    """``f - f*`` vs epoch for each scheme at base step ``lr``: mean over seeds (line) and the
    10-90% band over seeds. The legend says, per scheme, :func:`scheme_note` (with
    ``floor_last``: the floor over that last fraction of the epochs, "still falling", or "f* to
    rounding" below ``rounding``, e.g. :func:`~helpers.lessons.sampling.shuffling.rounding_level`
    of the problem). A mean that
    leaves the top (bottom) of ``ylim`` is marked by a triangle on the top (bottom) edge where it
    first leaves, so no run goes off the axes unseen."""
    check.axes("ax", ax)
    check.instance("runs", runs, SchemeRuns, "a SchemeRuns of run_schemes")
    g = runs.lr_index(lr)
    low, high = check.interval("ylim", ylim)
    if low <= 0:
        raise ValueError(f"ylim must be (low, high) with 0 < low < high (a log axis), got {ylim!r}")
    if floor_last is not None:
        check.fraction("floor_last", check.as_finite_array("floor_last", floor_last, ndim=(0,)))
    low, high = runs.band(0.1, 0.9)
    g = runs.lr_index(lr)
    for s, scheme in enumerate(runs.schemes):
        mean = runs.mean()[s, g]
        note = scheme_note(runs, s, g, floor_last, rounding)
        label = SCHEME_LABELS[scheme] + (f" ({note})" if note else "")
        color = SCHEME_COLORS[scheme]
        ax.fill_between(runs.epochs, low[s, g], high[s, g], color=color, alpha=0.2, lw=0)
        ax.plot(runs.epochs, mean, color=color, ls=SCHEME_LINESTYLES[scheme], lw=1.5, label=label)
        for out, at, marker in ((mean > ylim[1], ylim[1], "^"), (mean < ylim[0], ylim[0], "v")):
            first = np.flatnonzero(out)[:1]  # NaN (a stopped run) compares False
            if first.size:
                ax.plot(runs.epochs[first], [at], marker, color=color, ms=9, clip_on=False)
    ax.set_yscale("log")
    ax.set_ylim(*ylim)
    ax.set_xlim(0, runs.epochs[-1])
    ax.set_xlabel("epoch")
    ax.set_ylabel("f - f*")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=9, loc="upper right")


def draw_floors(ax: Axes, runs: SchemeRuns, last: float = 0.5) -> None:
    """Noise floor vs step size per scheme, log-log: at epoch ends (:meth:`SchemeRuns.floor`,
    filled markers, solid) and, if the runs recorded them, over all iterates
    (:meth:`SchemeRuns.iterate_floor`, hollow markers, dashed); error bars are 95% t intervals
    of the seed mean, and the legend gives each fitted slope with its 95% bootstrap interval
    over seeds (:func:`~helpers.lessons.sampling.shuffling.bootstrap_slope`)."""
    check.axes("ax", ax)
    check.instance("runs", runs, SchemeRuns, "a SchemeRuns of run_schemes")
    if runs.lrs.size < 2 or len(runs.seeds) < 2:
        raise ValueError("runs must hold >= 2 step sizes and >= 2 seeds to draw floors")
    measures = [("ends", runs.floor_per_seed(last), "-", None)]
    if runs.position_mean is not None and runs.iterate_last == last:
        measures.append(("all iterates", runs.iterate_floor_per_seed(), "--", "none"))
    for s, scheme in enumerate(runs.schemes):
        color = SCHEME_COLORS[scheme]
        parts = []
        for _name, per_seed, ls, mfc in measures:
            mean, half = t_interval(per_seed[s], axis=1)
            ax.errorbar(
                runs.lrs,
                mean,
                yerr=half,
                fmt=SCHEME_MARKERS[scheme],
                ls=ls,
                color=color,
                ms=4,
                mfc=mfc,
                capsize=2,
            )
            if np.all(np.isfinite(per_seed[s])):
                slope, low, high = bootstrap_slope(runs.lrs, per_seed[s].T)
                parts.append(f"{slope:.2f} [{low:.2f}, {high:.2f}]")
        ax.plot(
            [],
            [],
            "-",
            marker=SCHEME_MARKERS[scheme],
            color=color,
            ms=4,
            label=f"{SCHEME_LABELS[scheme]}: " + " / ".join(parts),
        )
    for name, _, ls, mfc in measures:
        ax.plot([], [], "o", ls=ls, color="0.3", ms=4, mfc=mfc, label=f"floor at {name}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step size")
    ax.set_ylabel("noise floor of f - f*")
    ax.grid(True, which="major", alpha=0.3)
    # Below the axes, outside them: inside, it covered the smallest floors and tick labels.
    ax.legend(
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        title="slope [95% CI]",
        title_fontsize=8,
    )


def draw_rates(
    ax: Axes, runs: SchemeRuns, window: tuple[int, int], slopes: dict | None = None
) -> None:
    """Decaying-step runs: mean ``f - f*`` vs epoch K on log-log axes, with the 10-90% spread
    over seeds (light) and the 95% t interval of the mean (dark); the fit window is shaded and
    each legend entry carries its fitted slope, its 95% bootstrap interval over seeds
    (``slopes[scheme] = (slope, low, high)``, computed if not given) and the theory's
    (:data:`helpers.lessons.sampling.shuffling.RATE_SLOPE`)."""
    check.axes("ax", ax)
    check.instance("runs", runs, SchemeRuns, "a SchemeRuns of run_schemes")
    if not isinstance(window, tuple | list) or len(window) != 2:
        raise TypeError(f"window must be a pair (first, last) of epochs, got {window!r:.80}")
    check.integer("window", window[0], low=1)
    check.integer("window", window[1], low=window[0] + 1, high=int(runs.epochs[-1]))
    if len(runs.seeds) < 2:
        raise ValueError(f"runs must hold >= 2 seeds, got {len(runs.seeds)}")
    if slopes is not None:
        if not isinstance(slopes, dict):
            raise TypeError(
                f"slopes must be a dict {{scheme: (slope, low, high)}} or None, got {slopes!r:.80}"
            )
        for scheme, fit in slopes.items():
            check.one_of("slopes", scheme, runs.schemes)
            if not isinstance(fit, tuple | list) or len(fit) != 3:
                raise ValueError(
                    f"slopes must map each scheme to (slope, low, high), got {fit!r:.80}"
                )
            for v in fit:
                check.number("slopes", v)
    low, high = runs.band(0.1, 0.9)
    k = runs.epochs[1:]
    first, last = window
    for s, scheme in enumerate(runs.schemes):
        color = SCHEME_COLORS[scheme]
        mean, half = t_interval(runs.subopt[s, 0, :, 1:], axis=0)
        ax.fill_between(k, low[s, 0, 1:], high[s, 0, 1:], color=color, alpha=0.12, lw=0)
        ax.fill_between(k, mean - half, mean + half, color=color, alpha=0.45, lw=0)
        if slopes is not None and scheme in slopes:
            slope, lo, hi = slopes[scheme]
        else:
            slope, lo, hi = bootstrap_slope(
                np.arange(first, last + 1), runs.subopt[s, 0, :, first : last + 1]
            )
        ax.loglog(
            k,
            mean,
            color=color,
            ls=SCHEME_LINESTYLES[scheme],
            lw=1.5,
            label=(
                f"{SCHEME_LABELS[scheme]}: {slope:.2f} [{lo:.2f}, {hi:.2f}] "
                f"(theory {RATE_SLOPE[scheme]:g})"
            ),
        )
    ax.axvspan(*window, color="0.9", zorder=0)
    ax.set_xlabel("epoch K")
    ax.set_ylabel("f - f*")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8.5, loc="lower left", title="slope [95% CI]", title_fontsize=8.5)


def draw_variance(ax_var: Axes, ax_ratio: Axes, measured) -> None:
    """Minibatch-gradient variance vs batch size (:class:`helpers.lessons.sampling.minibatch.
    MinibatchVariance`). Left: with and without replacement, the seed mean of the Monte-Carlo
    estimates with 95% t intervals over the seeds (t quantile with seeds - 1 degrees of
    freedom), and the formulas (lines); the variance without replacement at b = n is exactly 0
    and cannot be drawn on the log axis (the legend says so). Right: their ratio against
    (n - b)/(n - 1)."""
    check.axes("ax_var", ax_var)
    check.axes("ax_ratio", ax_ratio)
    check.instance("measured", measured, MinibatchVariance, "a MinibatchVariance of measure")
    if len(measured.seeds) < 2:
        raise ValueError(f"measured must hold >= 2 seeds, got {len(measured.seeds)}")
    bs = measured.bs
    seeds = len(measured.seeds)
    for values, exact, scheme, name in (
        (measured.with_repl, measured.exact_with, "with_replacement", "with replacement"),
        (measured.without, measured.exact_without, "random_reshuffling", "without replacement"),
    ):
        color = SCHEME_COLORS[scheme]
        shown = bs < measured.n if scheme != "with_replacement" else bs > 0  # 0 at b = n
        mean, half = t_interval(values, axis=0)
        ax_var.errorbar(
            bs[shown],
            mean[shown],
            yerr=half[shown],
            fmt=SCHEME_MARKERS[scheme],
            color=color,
            ms=4,
            capsize=3,
            label=f"{name}, measured (95% CI)",
        )
        ax_var.plot(bs[shown], exact[shown], "-", color=color, lw=1, alpha=0.8)
    ax_var.plot(
        [],
        [],
        "-",
        color="0.3",
        lw=1,
        label="formulas: tr(Sigma)/b (with), tr(Sigma)/b x (n-b)/(n-1) (without)",
    )
    ax_var.plot([], [], " ", label=f"(without at b = {measured.n}: exactly 0, not drawn)")
    ax_var.set_xscale("log")
    ax_var.set_yscale("log")
    ax_var.set_xlabel("batch size b")
    ax_var.set_ylabel("E |minibatch grad - full grad|^2")
    ax_var.grid(True, which="major", alpha=0.3)
    ax_var.legend(fontsize=9, loc="lower left")
    mean, half = t_interval(measured.ratio, axis=0)
    grid = np.arange(1, measured.n + 1)
    ax_ratio.plot(
        grid, (measured.n - grid) / (measured.n - 1), "-", color="k", lw=1, label="(n - b)/(n - 1)"
    )
    ax_ratio.errorbar(
        bs,
        mean,
        yerr=half,
        fmt="o",
        color=SCHEME_COLORS["random_reshuffling"],
        ms=4,
        capsize=3,
        label=f"measured, {seeds} seeds (95% CI)",
    )
    ax_ratio.set_xlabel("batch size b")
    ax_ratio.set_ylabel("variance without / with")
    ax_ratio.set_xlim(0, measured.n + 1)
    ax_ratio.set_ylim(-0.05, 1.1)
    ax_ratio.grid(True, alpha=0.3)
    ax_ratio.legend(fontsize=9, loc="upper right")


def draw_coupon(ax: Axes, draws_with: np.ndarray, n: int, cdf: np.ndarray, band: float) -> None:
    """Epochs until every sample has been seen: the empirical CDF of the simulated draws with
    replacement (pooled), its DKW band of half-width ``band``, the exact CDF
    (:func:`helpers.sampling.coupon_cdf`), the Gumbel limit, the mean H_n, and the one epoch
    without replacement."""
    check.axes("ax", ax)
    draws = np.asarray(draws_with) if isinstance(draws_with, np.ndarray | list | tuple) else None
    if draws is None or draws.dtype == bool or not np.issubdtype(draws.dtype, np.integer):
        raise ValueError(f"draws_with must be an integer array of draws, got {draws_with!r:.80}")
    if draws.size == 0 or draws.min() < 1:
        raise ValueError(f"draws_with must be non-empty with entries >= 1, got {draws_with!r:.80}")
    n = check.integer("n", n, low=1)
    cdf = check.as_finite_array("cdf", cdf, ndim=(1,))
    if cdf.size < 2 or np.any(np.diff(cdf) < -1e-12) or cdf.min() < 0 or cdf.max() > 1 + 1e-12:
        raise ValueError("cdf must be P(T <= t) for t = 0, 1, ...: non-decreasing, in [0, 1]")
    band = check.number("band", band, at_least=0)
    if band > 1:
        raise ValueError(f"band must be in [0, 1], got {band!r}")
    x = np.sort(np.asarray(draws_with).ravel())
    empirical = np.arange(1, x.size + 1) / x.size
    color = SCHEME_COLORS["with_replacement"]
    t = np.arange(cdf.size)
    ax.fill_between(
        t / n,
        np.clip(cdf - band, 0, 1),
        np.clip(cdf + band, 0, 1),
        color="0.85",
        lw=0,
        label=f"exact ± {band:.3f} (95% DKW band)",
    )
    ax.plot(t / n, cdf, "-", color="k", lw=1, label="exact P(T <= t)")
    ax.step(x / n, empirical, where="post", color=color, lw=1.2, label=f"simulated ({x.size} runs)")
    e = t[1:] / n
    ax.plot(e, np.exp(-np.exp(-(e - np.log(n)))), ":", color="0.3", label="Gumbel limit")
    h = float(sampling.harmonic(n))
    ax.axvline(h, color=color, lw=0.8, ls="--")
    ax.text(h, 0.85, f"H_n = {h:.2f} ", color=color, fontsize=9, ha="right")
    ax.axvline(
        1.0, color=SCHEME_COLORS["random_reshuffling"], lw=1.5, label="without replacement: 1"
    )
    ax.set_xlim(0, max(float(x.max() / n), h) * 1.05)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("epochs until every sample has been drawn")
    ax.set_ylabel("probability (CDF)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=9, loc="lower right")
