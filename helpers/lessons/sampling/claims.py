"""The seed's three claims about sampling, checked against computed numbers.

Each check takes results computed in notebook 3 (simulated epochs, SGD runs) and returns a
:class:`helpers.claims.Claim` whose cases are the comparisons it makes: ``"holds"`` when the claim
is true as stated in every one of them, or ``"nuanced"`` when it is true only under conditions the
evidence spells out.
"""

from __future__ import annotations

import numpy as np

from helpers import _validate as check
from helpers import sampling
from helpers.claims import Claim
from helpers.lessons.sampling import coverage
from helpers.lessons.sampling.shuffling import SCHEME_LABELS, SchemeRuns
from helpers.sampling import WITHOUT_REPLACEMENT

__all__ = ["check_more_than_once", "check_sixty_three_percent", "check_without_better"]


def _z(counts: coverage.EpochCounts, field: str, expected: float) -> tuple[float, float, float]:
    """Mean, 95% half-width and z-score of a per-replicate fraction against its expectation."""
    mean, half = coverage.mean_ci95(getattr(counts, field))
    se = half / 1.96
    return mean, half, (mean - expected) / se if se > 0 else float(mean != expected) * np.inf


def check_sixty_three_percent(
    simulated: dict[int, coverage.EpochCounts], tolerance: float = 0.005
) -> Claim:
    """ "About 63% of the samples are seen in an epoch with replacement."

    Holds when every simulation agrees with :func:`helpers.sampling.p_at_least_once` (|z| < 3)
    and the exact fraction is within ``tolerance`` of 1 - 1/e from some modest n on (<= 100);
    the evidence gives that n and the larger fractions below it.
    """
    tolerance = float(check.positive("tolerance", tolerance))
    ns = np.arange(1, 10**5)
    close = np.flatnonzero(sampling.p_at_least_once(ns) - sampling.LIMIT_AT_LEAST_ONCE <= tolerance)
    n_min = int(ns[close[0]])
    evidence = []
    checks = []  # one per simulation (agrees with the law), one for the limit
    for n, counts in sorted(simulated.items()):
        p = sampling.p_at_least_once(n)
        mean, half, z = _z(counts, "seen", p)
        checks.append(abs(z) < 3)
        evidence.append(
            f"n = {n}: simulated {mean:.2%} ± {half:.2%} ({counts.replicates} epochs), "
            f"exact {p:.2%}"
        )
    evidence.append(
        f"exact 1 - (1 - 1/n)^n is within {tolerance:.1%} of 1 - 1/e = "
        f"{sampling.LIMIT_AT_LEAST_ONCE:.2%} for every n >= {n_min}; smaller n see more "
        f"(n = 2: {sampling.p_at_least_once(2):.0%}, n = 10: {sampling.p_at_least_once(10):.1%})"
    )
    checks.append(n_min <= 100)
    return Claim(
        "about 63% of the samples are seen per epoch with replacement",
        len(checks),
        int(sum(checks)),
        evidence=tuple(evidence),
        otherwise="nuanced",
    )


def check_more_than_once(simulated: dict[int, coverage.EpochCounts]) -> Claim:
    """ "Some samples are seen more than once (in an epoch with replacement)."

    Holds when, for every simulated n >= 2, repeats occurred and their fraction agrees with
    ``p_at_least_once - p_exactly_once`` (|z| < 3).
    """
    evidence = []
    checks = []  # one per simulated n >= 2
    for n, counts in sorted(simulated.items()):
        expected = sampling.p_at_least_once(n) - sampling.p_exactly_once(n)
        mean, half, z = _z(counts, "repeated", expected)
        some = float(np.mean(counts.repeated > 0))
        if n >= 2:
            checks.append(abs(z) < 3 and some > 0)
        evidence.append(
            f"n = {n}: {mean:.2%} ± {half:.2%} of the samples drawn twice or more "
            f"(exact {expected:.2%}); epochs with a repeat: {some:.2%} (exact "
            f"{sampling.p_any_repeat(n):.2%})"
        )
    limit = sampling.LIMIT_AT_LEAST_ONCE - sampling.LIMIT_EXACTLY_ONCE
    evidence.append(
        f"for large n the repeated fraction tends to 1 - 2/e = {limit:.2%}; n = 1 never repeats"
    )
    return Claim(
        "some samples are seen more than once per epoch with replacement",
        len(checks),
        int(sum(checks)),
        evidence=tuple(evidence),
        otherwise="nuanced",
    )


def check_without_better(constant: SchemeRuns, decaying: SchemeRuns, last: float = 0.5) -> Claim:
    """ "Sampling without replacement does better."

    Compares each scheme without replacement with sampling with replacement: the constant-step
    noise floors (:meth:`SchemeRuns.floor`) at every step size, and the decaying-step runs at
    epoch 1 and at the last epoch. Holds only if every scheme without replacement is lower in
    every comparison.
    """
    floors = constant.floor(last)
    base = floors[constant.scheme_index("with_replacement")]
    k_last = decaying.epochs[-1]
    mean = decaying.mean()[:, 0]
    d_base = mean[decaying.scheme_index("with_replacement")]
    evidence = []
    checks = []  # per scheme: floor at every step size, epoch 1, last epoch
    for scheme in WITHOUT_REPLACEMENT:
        ratio = base / floors[constant.scheme_index(scheme)]
        worse = constant.lrs[ratio < 1]
        checks.append(worse.size == 0)
        where = (
            "lower at every step size"
            if worse.size == 0
            else "higher at step " + ", ".join(f"{lr:g}" for lr in worse)
        )
        r1 = d_base[1] / mean[decaying.scheme_index(scheme), 1]
        rk = d_base[k_last] / mean[decaying.scheme_index(scheme), k_last]
        checks += [r1 > 1, rk > 1]
        evidence.append(
            f"{SCHEME_LABELS[scheme]}: constant-step floor {where} "
            f"(with replacement / this: {ratio.min():.2g} to {ratio.max():.3g}); decaying step: "
            f"with replacement / this = {r1:.2f} after epoch 1, {rk:.3g} after epoch {k_last}"
        )
    return Claim(
        "sampling without replacement does better than with replacement",
        len(checks),
        int(sum(checks)),
        evidence=tuple(evidence),
        otherwise="nuanced",
    )
