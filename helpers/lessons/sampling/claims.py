"""The seed's claims about sampling, and the notebook's own, checked against computed numbers.

Every claim about a simulation is a verdict over seeds (:meth:`helpers.claims.Claim.over_seeds`):
each seed has its own simulated epochs, minibatches or SGD runs, and the claim is checked case
by case at every seed. A Monte-Carlo estimate "agrees with" its exact value when it lies within
:data:`Z_TOL` of its own standard errors (sd / sqrt(replicates)); at 5 standard errors a correct
law fails a case with probability about 6e-7 (normal) to 1e-5 (t with 49 degrees of freedom), so
a correct law holds at essentially every seed, while a wrong one (off by more than a few
standard errors) fails. Deterministic statements (about formulas) are plain :class:`Claim`.
"""

from __future__ import annotations

import numpy as np

from helpers import _validate as check
from helpers import sampling
from helpers.claims import Claim, paired_difference
from helpers.fits import loglog_slope
from helpers.lessons.sampling import coverage
from helpers.lessons.sampling.minibatch import MinibatchVariance
from helpers.lessons.sampling.shuffling import SCHEME_LABELS, SchemeRuns
from helpers.sampling import WITHOUT_REPLACEMENT

__all__ = [
    "Z_TOL",
    "check_coupon",
    "check_epoch_below",
    "check_floor_below",
    "check_limit_sixty_three",
    "check_more_than_once",
    "check_rate_slopes",
    "check_sixty_three_percent",
    "check_variance_factor",
    "dkw_epsilon",
    "epoch_rows",
    "floor_rows",
    "ks_distance",
    "offset_slope",
    "verdict_table",
    "z_score",
]

Z_TOL = 5.0
"""How many standard errors a Monte-Carlo estimate may lie from its exact value."""


def z_score(samples: np.ndarray, exact: float) -> float:
    """(mean - exact) / (sd / sqrt(m)) of m >= 2 replicate values; 0 when they are all equal to
    ``exact`` (up to rounding), inf when they are all equal to something else."""
    x = check.as_finite_array("samples", samples)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"samples must be 1-D with >= 2 replicates, got shape {x.shape}")
    exact = check.number("exact", exact)
    gap = float(x.mean() - exact)
    se = float(x.std(ddof=1) / np.sqrt(x.size))
    if se == 0:
        return 0.0 if abs(gap) <= 1e-12 * max(1.0, abs(exact)) else float(np.inf)
    return gap / se


def _per_seed(
    simulated: dict[int, list[coverage.EpochCounts]], seeds
) -> tuple[list[int], int, tuple[int, ...]]:
    if not isinstance(simulated, dict):
        raise TypeError(
            f"simulated must be a dict {{n: [EpochCounts per seed]}}, got {simulated!r:.80}"
        )
    ns = sorted(simulated)
    if not ns:
        raise ValueError("simulated must hold at least one n")
    for n, runs in simulated.items():
        if not isinstance(runs, list | tuple) or not runs:
            raise ValueError(
                f"simulated must map each n to a list of EpochCounts, got {runs!r:.80}"
            )
        if not all(isinstance(c, coverage.EpochCounts) and c.n == n for c in runs):
            raise ValueError(f"simulated[{n!r}] must hold EpochCounts of n = {n!r}")
    counts = {len(v) for v in simulated.values()}
    if len(counts) != 1:
        raise ValueError("simulated must hold the same number of seeds for every n")
    count = counts.pop()
    seeds = check.seeds("seeds", seeds)
    if len(seeds) != count:
        raise ValueError(f"seeds must name the {count} seeds of simulated, got {len(seeds)}")
    return ns, count, seeds


def check_sixty_three_percent(simulated: dict[int, list[coverage.EpochCounts]], seeds) -> Claim:
    """ "About 63% of the samples are seen in an epoch with replacement", as the exact law: at
    every seed and every simulated n, the simulated fraction seen agrees with
    :func:`helpers.sampling.p_at_least_once` (|z| < :data:`Z_TOL`).

    Args:
        simulated: ``{n: [EpochCounts of seed 0, seed 1, ...]}``.
        seeds: the seeds, in the order of the lists.
    """
    ns, count, seeds = _per_seed(simulated, seeds)
    held = np.array(
        [
            [abs(z_score(simulated[n][s].seen, sampling.p_at_least_once(n))) < Z_TOL for n in ns]
            for s in range(count)
        ]
    )
    largest = ns[-1]
    diff = paired_difference(
        [c.seen.mean() for c in simulated[largest]],
        np.full(count, sampling.p_at_least_once(largest)),
    )
    return Claim.over_seeds(
        "seen per epoch = 1 - (1 - 1/n)^n",
        held,
        seeds,
        difference=diff,
        difference_label=f"simulated - exact, n = {largest:,}",
    )


def check_limit_sixty_three(tolerance: float = 0.005, n_max: int = 10**5) -> Claim:
    """ "About 63%": the exact fraction lies within ``tolerance`` of 1 - 1/e for how many n in
    1..n_max (deterministic; "nuanced" since small n see more)."""
    tolerance = check.number("tolerance", tolerance, above=0)
    n_max = check.integer("n_max", n_max, low=2)
    ns = np.arange(1, n_max + 1)
    close = np.abs(sampling.p_at_least_once(ns) - sampling.LIMIT_AT_LEAST_ONCE) <= tolerance
    since = f"holds from n = {int(ns[close][0])}" if close.any() else f"never for n <= {n_max:,}"
    digits = str(n_max)
    bound = f"1e{len(digits) - 1}" if digits.rstrip("0") == "1" and n_max > 1 else f"{n_max:,}"
    return Claim(
        f"about 63% seen (within {tolerance * 100:g} pt), n <= {bound}",
        ns.size,
        int(close.sum()),
        worst=f"n = 2: {sampling.p_at_least_once(2):.0%}; {since}",
        otherwise="nuanced",
    )


def check_more_than_once(simulated: dict[int, list[coverage.EpochCounts]], seeds) -> Claim:
    """ "Some samples are seen more than once", quantitatively: at every seed and every simulated
    n >= 2, both the fraction of the *samples* drawn twice or more
    (:func:`helpers.sampling.p_repeated`, -> 1 - 2/e) and the fraction of the *draws* landing on
    such samples (:func:`helpers.sampling.p_draw_on_repeated`, -> 1 - 1/e) agree with the
    simulation (|z| < :data:`Z_TOL`): two cases per n."""
    ns, count, seeds = _per_seed(simulated, seeds)
    ns = [n for n in ns if n >= 2]
    if not ns:
        raise ValueError("simulated must hold some n >= 2")
    held = np.array(
        [
            [
                abs(z_score(getattr(simulated[n][s], field), law(n))) < Z_TOL
                for n in ns
                for field, law in (
                    ("repeated", sampling.p_repeated),
                    ("draws_on_repeated", sampling.p_draw_on_repeated),
                )
            ]
            for s in range(count)
        ]
    )
    largest = ns[-1]
    diff = paired_difference(
        [c.draws_on_repeated.mean() - c.repeated.mean() for c in simulated[largest]],
        np.full(count, sampling.p_draw_on_repeated(largest) - sampling.p_repeated(largest)),
    )
    return Claim.over_seeds(
        "repeats: samples 1 - 2/e, draws 1 - 1/e",
        held,
        seeds,
        difference=diff,
        difference_label=f"(draws - samples) - exact, n = {largest:,}",
    )


FLOOR_MEASURES = ("ends", "iterates")
"""Where a noise floor is measured: at epoch ends only, or over all iterates of the last epochs."""

_SHORT = {
    "with_replacement": "with",
    "random_reshuffling": "RR",
    "shuffle_once": "SO",
    "fixed": "fixed",
}


def _runs(name: str, runs) -> SchemeRuns:
    return check.instance(name, runs, SchemeRuns, "a SchemeRuns of run_schemes")


def _measures(measures) -> tuple[str, ...]:
    measures = check.texts("measures", measures)
    if not measures or len(set(measures)) != len(measures):
        raise ValueError(
            "measures must name distinct measures, at least one of " + ", ".join(FLOOR_MEASURES)
        )
    for measure in measures:
        check.one_of("measures", measure, FLOOR_MEASURES)
    return measures


def _floors(constant: SchemeRuns, last: float, measure: str) -> np.ndarray:
    check.one_of("measures", measure, FLOOR_MEASURES)
    if measure == "ends":
        return constant.floor_per_seed(last)
    if constant.iterate_last is None or not np.isclose(constant.iterate_last, last):
        raise ValueError(f"all-iterate floors need run_schemes(..., iterate_last={last})")
    return constant.iterate_floor_per_seed()


def check_floor_below(
    constant: SchemeRuns,
    scheme: str,
    other: str = "with_replacement",
    last: float = 0.25,
    max_lr: float | None = None,
    min_lr: float | None = None,
    measures: tuple[str, ...] = FLOOR_MEASURES,
    diff_lr: float = 0.05,
) -> Claim:
    """ "``scheme``'s constant-step noise floor is below ``other``'s", seed by seed: one case per
    step size in ``[min_lr, max_lr]`` (default: all) and per measure (``"ends"``: f - f* at epoch
    ends, :meth:`SchemeRuns.floor_per_seed`; ``"iterates"``: after every step,
    :meth:`SchemeRuns.iterate_floor_per_seed`), over the last ``last`` of the epochs. The paired
    difference is log10(floor of ``other`` / floor of ``scheme``) at step ``diff_lr`` for the first
    measure. (The fixed order ignores the seed: for it, the seeds vary only ``other``'s runs.)"""
    _runs("constant", constant)
    for name, value in (("scheme", scheme), ("other", other)):
        check.one_of(name, value, constant.schemes)
    if scheme == other:
        raise ValueError("scheme and other must differ")
    last = float(check.fraction("last", check.as_finite_array("last", last, ndim=(0,))))
    for name, value in (("max_lr", max_lr), ("min_lr", min_lr)):
        if value is not None:
            check.number(name, value, above=0)
    measures = _measures(measures)
    diff_lr = check.number("diff_lr", diff_lr, above=0)
    if not np.any(np.isclose(constant.lrs, diff_lr, rtol=1e-12, atol=0)):
        raise ValueError(f"diff_lr must be one of {constant.lrs.tolist()}, got {diff_lr!r}")
    lrs = constant.lrs
    keep = np.ones(lrs.size, dtype=bool)
    if max_lr is not None:
        keep &= lrs <= max_lr * (1 + 1e-12)
    if min_lr is not None:
        keep &= lrs >= min_lr * (1 - 1e-12)
    if not keep.any():
        raise ValueError(f"no step size of {lrs.tolist()} lies in [{min_lr}, {max_lr}]")
    i, j = constant.scheme_index(scheme), constant.scheme_index(other)
    cases, diff = [], None
    g = constant.lr_index(diff_lr)
    for measure in measures:
        floors = _floors(constant, last, measure)
        cases.append((floors[i] < floors[j])[keep])  # (lrs kept, seeds)
        if diff is None:
            diff = paired_difference(np.log10(floors[j, g]), np.log10(floors[i, g]))
    held = np.concatenate(cases, axis=0).T
    steps = (
        "every step"
        if keep.all()
        else (
            f"step <= {lrs[keep].max():g}"
            if max_lr is not None and min_lr is None
            else f"step {', '.join(f'{v:g}' for v in lrs[keep])}"
        )
    )
    where = "+".join({"ends": "ends", "iterates": "all"}[m] for m in measures)
    if measures == ("iterates",):
        where = "all iterates"
    return Claim.over_seeds(
        f"{_SHORT[scheme]} < {_SHORT[other]}: floor, {where}, {steps}",
        held,
        constant.seeds,
        difference=diff,
        difference_label=(
            f"log10 floor {_SHORT[other]} / {_SHORT[scheme]} ({measures[0]}), step {diff_lr:g}"
        ),
    )


def floor_rows(
    constant: SchemeRuns, last: float = 0.25, pairs: tuple[tuple[str, str], ...] | None = None
) -> list[tuple[str, float, list[int]]]:
    """Seeds at which one floor lies below another, per measure and step size: rows
    ``(measure, step, [count per pair])`` for ``pairs`` of ``(scheme, other)`` (default: each
    scheme without replacement against with replacement, then shuffle once against
    reshuffling)."""
    _runs("constant", constant)
    last = float(check.fraction("last", check.as_finite_array("last", last, ndim=(0,))))
    if pairs is None:
        pairs = tuple((s, "with_replacement") for s in WITHOUT_REPLACEMENT)
        pairs += (("shuffle_once", "random_reshuffling"),)
    elif not isinstance(pairs, tuple | list) or not pairs:
        raise TypeError(
            f"pairs must be a non-empty tuple of (scheme, other) pairs, got {pairs!r:.80}"
        )
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValueError(f"pairs must hold (scheme, other) pairs, got {pair!r:.80}")
        for scheme in pair:
            check.one_of("pairs", scheme, constant.schemes)
    rows = []
    for measure in FLOOR_MEASURES:
        floors = _floors(constant, last, measure)
        for g, lr in enumerate(constant.lrs):
            counts = [
                int(
                    (
                        floors[constant.scheme_index(a), g] < floors[constant.scheme_index(b), g]
                    ).sum()
                )
                for a, b in pairs
            ]
            rows.append((measure, float(lr), counts))
    return rows


def check_epoch_below(
    decaying: SchemeRuns, epoch: int, schemes: tuple[str, ...] = WITHOUT_REPLACEMENT
) -> Claim:
    """ "Without replacement is ahead after ``epoch`` epochs of the decaying step", seed by seed:
    each of ``schemes`` has a lower f - f* than that seed's run with replacement (one case per
    scheme). The paired difference is log10(f - f* with / f - f* of the first scheme)."""
    _runs("decaying", decaying)
    schemes = check.texts("schemes", schemes)
    for scheme in schemes:
        check.one_of("schemes", scheme, WITHOUT_REPLACEMENT)
        check.one_of("schemes", scheme, decaying.schemes)
    if not schemes or len(set(schemes)) != len(schemes):
        raise ValueError("schemes must name distinct schemes without replacement, at least one")
    if "with_replacement" not in decaying.schemes:
        raise ValueError("decaying must hold runs with replacement to compare with")
    epoch = check.integer("epoch", epoch, low=1, high=int(decaying.epochs[-1]))
    runs = decaying.subopt[:, 0, :, epoch]  # (schemes, seeds)
    base = runs[decaying.scheme_index("with_replacement")]
    held = np.stack([runs[decaying.scheme_index(s)] < base for s in schemes], axis=1)
    first = runs[decaying.scheme_index(schemes[0])]
    names = "w/o" if len(schemes) > 1 else _SHORT[schemes[0]]
    return Claim.over_seeds(
        f"{names} < with: f - f*, epoch {epoch}, {len(decaying.seeds)} seeds",
        held,
        decaying.seeds,
        difference=paired_difference(np.log10(base), np.log10(first)),
        difference_label=f"log10 f - f* with / {_SHORT[schemes[0]]}, epoch {epoch}",
    )


def epoch_rows(
    decaying: SchemeRuns, epoch: int, seeds: slice | None = None
) -> list[tuple[str, int, int, float, float]]:
    """Per scheme without replacement, after ``epoch`` epochs of the decaying step: ``(label,
    seeds where it beats with replacement, seeds, mean, standard error)`` of the paired
    log10(f - f* with / f - f* scheme), over ``seeds`` (a slice of the runs' seeds; all by
    default)."""
    _runs("decaying", decaying)
    if not set(SCHEME_LABELS) <= set(decaying.schemes):
        raise ValueError(f"decaying must hold runs of all four schemes, got {decaying.schemes}")
    epoch = check.integer("epoch", epoch, low=1, high=int(decaying.epochs[-1]))
    if seeds is not None:
        check.instance("seeds", seeds, slice, "a slice of the runs' seeds, or None")
        if len(range(len(decaying.seeds))[seeds]) < 2:
            raise ValueError(
                f"seeds must pick at least 2 of the {len(decaying.seeds)} seeds, got {seeds}"
            )
    pick = slice(None) if seeds is None else seeds
    runs = decaying.subopt[:, 0, pick, epoch]
    base = runs[decaying.scheme_index("with_replacement")]
    rows = []
    for scheme in WITHOUT_REPLACEMENT:
        mine = runs[decaying.scheme_index(scheme)]
        mean, se = paired_difference(np.log10(base), np.log10(mine))
        rows.append((SCHEME_LABELS[scheme], int((mine < base).sum()), base.size, mean, se))
    return rows


def offset_slope(window: tuple[int, int], power: float, offset: float) -> float:
    r"""Fitted log-log slope over ``window[0] <= K <= window[1]`` of :math:`(K + k_0)^{p}`: the
    slope a rate :math:`K^{p}` shows when the step decays like :math:`1/(K + k_0)` (the schedule
    :math:`\gamma_0/(1 + K/k_0)`), e.g. -1.97 for p = -2, k0 = 5 over K = 100..1000."""
    if not isinstance(window, tuple | list) or len(window) != 2:
        raise TypeError(f"window must be a pair (first, last) of epochs, got {window!r:.80}")
    first = check.integer("window", window[0], low=1)
    last = check.integer("window", window[1], low=first + 1)
    power = check.number("power", power)
    offset = check.number("offset", offset, at_least=0)
    k = np.arange(first, last + 1, dtype=float)
    return loglog_slope(k, (k + offset) ** float(power))


def check_rate_slopes(
    slopes: dict[str, tuple[float, float, float]],
    targets: dict[str, float],
    window: str,
    tolerance: float = 0.01,
) -> Claim:
    """ "The fitted rate slope agrees with the theory's": one case per scheme, held when
    ``targets[scheme]`` lies inside the bootstrap interval ``(low, high)`` of
    ``slopes[scheme] = (slope, low, high)`` widened by ``tolerance`` on each side (a run that
    ignores the seed, like the fixed order, has an interval of width 0); *nuanced* otherwise,
    naming the misses. Deterministic given the runs: their randomness is in the intervals."""
    if isinstance(slopes, dict) and not slopes:
        raise ValueError("slopes must hold at least one scheme")
    if not isinstance(slopes, dict):
        raise TypeError(
            f"slopes must be a non-empty dict {{scheme: (slope, low, high)}}, got {slopes!r:.80}"
        )
    if not isinstance(targets, dict):
        raise TypeError(f"targets must be a dict {{scheme: slope}}, got {targets!r:.80}")
    for scheme, fit in slopes.items():
        check.one_of("slopes", scheme, tuple(SCHEME_LABELS))
        if not isinstance(fit, tuple | list) or len(fit) != 3:
            raise ValueError(f"slopes must map each scheme to (slope, low, high), got {fit!r:.80}")
        slope, low, high = (check.number("slopes", v) for v in fit)
        if not low <= high:
            raise ValueError(f"slopes must have low <= high, got {fit!r}")
        if scheme not in targets:
            raise ValueError(f"targets must hold every scheme of slopes, missing {scheme!r}")
        check.number("targets", targets[scheme])
    check.text("window", window)
    tolerance = check.number("tolerance", tolerance, at_least=0)
    misses = []
    for scheme, (slope, low, high) in slopes.items():
        target = float(targets[scheme])
        if not low - tolerance <= target <= high + tolerance:
            misses.append(
                f"{SCHEME_LABELS[scheme]} {slope:.2f} [{low:.2f}, {high:.2f}] vs {target:.2f}"
            )
    return Claim(
        f"rate slopes = theory (CI), {window}",
        len(slopes),
        len(slopes) - len(misses),
        worst="; ".join(misses),
        otherwise="nuanced",
    )


def check_variance_factor(measured: MinibatchVariance) -> Claim:
    """The minibatch variance is tr(Sigma)/b with replacement and (n - b)/(n - 1) times that
    without: at every seed and batch size both Monte-Carlo estimates agree with their formulas
    (|z| < :data:`Z_TOL`), two cases per batch size. The paired difference is the measured
    ratio minus (n - b)/(n - 1) at the middle batch size."""
    check.instance("measured", measured, MinibatchVariance, "a MinibatchVariance of measure")
    z_with, z_without = measured.z()
    held = np.concatenate([np.abs(z_with) < Z_TOL, np.abs(z_without) < Z_TOL], axis=1)
    j = measured.bs.size // 2
    diff = paired_difference(measured.ratio[:, j], np.full(len(measured.seeds), measured.factor[j]))
    return Claim.over_seeds(
        "var without = (n-b)/(n-1) x var with",
        held,
        measured.seeds,
        difference=diff,
        difference_label=f"ratio - (n-b)/(n-1), b = {int(measured.bs[j])}",
    )


def dkw_epsilon(replicates: int, alpha: float = 1e-6) -> float:
    """The Dvoretzky-Kiefer-Wolfowitz band: an empirical CDF of m samples lies within
    ``sqrt(ln(2/alpha) / (2m))`` of the true CDF everywhere, except with probability <= alpha."""
    replicates = check.integer("replicates", replicates, low=1)
    alpha = check.number("alpha", alpha, above=0)
    if alpha >= 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    return float(np.sqrt(np.log(2 / alpha) / (2 * replicates)))


def _counts(name: str, value, ndim: int) -> np.ndarray:
    """A non-empty integer array (bools excluded) of counts >= 0 with ``ndim`` dimensions."""
    arr = np.asarray(value) if isinstance(value, np.ndarray | list | tuple) else np.asarray(None)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer) or arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D integer array, got {value!r:.80}")
    if arr.size == 0 or arr.min() < 0:
        raise ValueError(f"{name} must be non-empty with entries >= 0, got {value!r:.80}")
    return arr


def _cdf(cdf) -> np.ndarray:
    """A non-decreasing 1-D array of probabilities."""
    cdf = check.as_finite_array("cdf", cdf, ndim=(1,))
    if cdf.size == 0 or np.any(np.diff(cdf) < -1e-12) or cdf.min() < 0 or cdf.max() > 1 + 1e-12:
        raise ValueError("cdf must be a non-empty, non-decreasing 1-D array in [0, 1]")
    return cdf


def ks_distance(samples: np.ndarray, cdf: np.ndarray) -> float:
    """sup_t |F_m(t) - F(t)| of integer samples against an exact CDF on t = 0..len(cdf)-1 (both
    step functions jump only at integers, so checking every integer suffices)."""
    x = _counts("samples", samples, ndim=1)
    cdf = _cdf(cdf)
    if x.max() >= cdf.size:
        raise ValueError("cdf must extend beyond the largest sample")
    empirical = np.searchsorted(np.sort(x), np.arange(cdf.size), side="right") / x.size
    return float(np.max(np.abs(empirical - cdf)))


def check_coupon(
    draws_with: np.ndarray, draws_without: np.ndarray, n: int, seeds, cdf: np.ndarray
) -> Claim:
    """The coupon collector, seed by seed: with replacement the mean number of draws to see every
    sample agrees with n H_n (|z| < :data:`Z_TOL`) and the empirical distribution lies inside the
    1e-6 DKW band around the exact CDF (:func:`helpers.sampling.coupon_cdf`); without
    replacement it is exactly n at every replicate. Three cases per seed.

    Args:
        draws_with, draws_without: ``(seeds, replicates)`` simulated draws to see all n.
        cdf: ``coupon_cdf(n, arange(T))`` for a T beyond every simulated value.
    """
    draws_with = _counts("draws_with", draws_with, ndim=2)
    draws_without = _counts("draws_without", draws_without, ndim=2)
    if draws_without.shape[0] != draws_with.shape[0]:
        raise ValueError(
            f"draws_without must have one row per seed ({draws_with.shape[0]}), got "
            f"{draws_without.shape}"
        )
    n = check.integer("n", n, low=1)
    seeds = check.seeds("seeds", seeds)
    if len(seeds) != draws_with.shape[0]:
        raise ValueError(f"seeds must name one seed per row of draws_with ({draws_with.shape[0]})")
    cdf = _cdf(cdf)
    mean = sampling.coupon_mean_draws(n)
    eps = dkw_epsilon(draws_with.shape[1])
    held = np.array(
        [
            [
                abs(z_score(row, mean)) < Z_TOL,
                ks_distance(row, cdf) <= eps,
                bool(np.all(other == n)),
            ]
            for row, other in zip(draws_with, draws_without, strict=True)
        ]
    )
    diff = paired_difference(draws_with.mean(axis=1) / n, np.full(len(held), mean / n))
    return Claim.over_seeds(
        f"coupon (n = {n:,}): n H_n with, n without",
        held,
        seeds,
        difference=diff,
        difference_label="epochs: simulated - H_n",
    )


def verdict_table(claims: list[Claim], width: int = 100) -> str:
    """The claims as a table of at most ``width`` characters a line: number, claim, verdict,
    seeds at which it held in every case, cases held, and the paired difference ± its standard
    error; below it, what each difference measures. (A compact alternative to
    :func:`helpers.claims.claims_table` when the held-per-seed lists are long.)"""
    width = check.integer("width", width, low=60)
    if not isinstance(claims, list | tuple):
        raise TypeError(f"claims must be a non-empty list of Claim, got {claims!r:.80}")
    if not claims or not all(isinstance(c, Claim) for c in claims):
        raise ValueError("claims must be a non-empty sequence of Claim")
    rows = []
    for i, c in enumerate(claims, 1):
        seeds = f"{c.seeds_holding}/{len(c.seeds)}" if c.seeds else "-"
        diff = ""
        if c.difference is not None:
            mean, se = c.difference
            diff = f"{mean:+.2g} ± {se:.1g} [{i}]"
        verdict = "depends" if c.verdict == "depends on the seed" else c.verdict
        rows.append((str(i), c.text, verdict, seeds, f"{c.held}/{c.cases}", diff))
    head = ("#", "claim", "verdict", "seeds", "cases", "difference ± se")
    fixed = [max(len(r[j]) for r in [*rows, head]) for j in range(6)]
    room = width - sum(w + 2 for j, w in enumerate(fixed) if j != 1)
    if room < min(fixed[1], 10):
        raise ValueError(f"width must leave room for the claim text, got {width}")
    fixed[1] = min(fixed[1], room)

    def line(cells) -> str:
        text = cells[1] if len(cells[1]) <= fixed[1] else cells[1][: fixed[1] - 3] + "..."
        parts = [f"{cells[0]:>{fixed[0]}}", f"{text:<{fixed[1]}}"]
        parts += [f"{v:<{w}}" for v, w in zip(cells[2:], fixed[2:], strict=True)]
        return "  ".join(parts).rstrip()

    lines = [line(head), *(line(r) for r in rows)]
    notes = [f"[{i}] {c.difference_label}" for i, c in enumerate(claims, 1) if c.difference]
    return "\n".join(lines + notes)
