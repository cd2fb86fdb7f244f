"""One way for every notebook to state a verdict on a claim: :class:`Claim`.

A claim is checked case by case (one case per setting, data set, simulation, ...).

* A claim about deterministic computations *holds* when it held in every case it was tested
  on; otherwise the verdict is the ``otherwise`` word ("fails", or "nuanced" for a claim that is
  true only under conditions the evidence spells out; "does not hold" is the older spelling of
  "fails").
* A claim about random runs (minibatches, noise, initial weights, Monte Carlo) is a statistic:
  it is checked at every seed of at least :data:`MIN_SEEDS` seeds (:meth:`Claim.over_seeds`) and
  *holds* when it held in every case at every seed, *fails* when it failed at every seed, and
  *depends on the seed* otherwise. It carries how many cases held at each seed and, where the
  claim compares two methods, the paired difference (seed by seed) with its standard error.

Verdicts print as one line each, or as a compact table (:func:`claims_table`).

Example:
    >>> claim = Claim("lr = 1 is best", cases=14, held=5, worst="lr = 0.5 best at beta = 0.7")
    >>> claim.holds, claim.verdict, claim.short
    (False, 'does not hold', 'no (5/14)')
    >>> import numpy as np
    >>> held = np.array([[True, True], [True, False]] * 4)  # 8 seeds x 2 cases
    >>> seeded = Claim.over_seeds("GD beats SGD", held, seeds=range(8))
    >>> seeded.verdict, seeded.seeds_holding, seeded.short
    ('depends on the seed', 4, 'depends (4/8 seeds)')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = ["MIN_SEEDS", "Claim", "claims_table", "paired_difference"]

MIN_SEEDS = 8
"""The fewest seeds a verdict on random runs may rest on."""

VERDICTS_OTHERWISE = ("does not hold", "fails", "nuanced")


def paired_difference(a: ArrayLike, b: ArrayLike) -> tuple[float, float]:
    r"""Mean and standard error of the seed-by-seed differences ``a[s] - b[s]``.

    :math:`\bar d = \frac1S \sum_s (a_s - b_s)`, :math:`\mathrm{se} = \mathrm{sd}(d)/\sqrt S`
    (sample standard deviation, ddof = 1). Pairing by seed removes the variation that both runs
    of one seed share (the same minibatches, the same start).

    Args:
        a, b: one value per seed, 1-D, the same length (>= 2), finite.

    Example:
        >>> paired_difference([1.0, 2.0, 3.0], [0.5, 1.5, 2.0])
        (0.6666666666666666, 0.16666666666666666)
    """
    a = check.as_finite_array("a", a, ndim=(1,))
    b = check.as_finite_array("b", b, ndim=(1,))
    if a.shape != b.shape or a.size < 2:
        raise ValueError(
            f"a and b must hold one value per seed, the same number (>= 2), got {a.size} and "
            f"{b.size}"
        )
    d = a - b
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))


@dataclass(frozen=True)
class Claim:
    """A claim, the number of cases it was tested on, in how many it held, the worst failure and
    the computed evidence (one line each); for random runs also the seeds, the cases held at
    each seed and a paired difference with its standard error (see :meth:`over_seeds`).

    Args:
        text: the claim, in words.
        cases: how many cases it was tested on (>= 0), over all seeds.
        held: in how many of them it held (0 <= held <= cases).
        worst: the clearest case where it failed, in words (shown when it does not hold).
        evidence: the computed numbers behind the verdict, one line each.
        otherwise: the verdict when a deterministic claim does not hold in every case.
        seeds: the seeds of a claim about random runs (empty for a deterministic claim).
        held_per_seed: cases held at each seed (``cases / len(seeds)`` cases each).
        difference: ``(mean, standard error)`` of a paired difference over the seeds, or None.
        difference_label: what the difference measures, e.g. "loss SGD - GD".
    """

    text: str
    cases: int
    held: int
    worst: str = ""
    evidence: tuple[str, ...] = ()
    otherwise: str = "does not hold"
    seeds: tuple[int, ...] = ()
    held_per_seed: tuple[int, ...] = ()
    difference: tuple[float, float] | None = None
    difference_label: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text:
            raise ValueError(f"text must be a non-empty string, got {self.text!r}")
        object.__setattr__(self, "cases", check.integer("cases", self.cases, low=0))
        object.__setattr__(self, "held", check.integer("held", self.held, low=0, high=self.cases))
        check.one_of("otherwise", self.otherwise, VERDICTS_OTHERWISE)
        check.text("worst", self.worst)
        check.text("difference_label", self.difference_label)
        object.__setattr__(self, "evidence", check.texts("evidence", self.evidence))
        seeds = check.sequence("seeds", self.seeds, "integers >= 0")
        object.__setattr__(self, "seeds", tuple(check.integer("seeds", s, low=0) for s in seeds))
        per_seed = check.sequence("held_per_seed", self.held_per_seed, "integers >= 0")
        object.__setattr__(
            self, "held_per_seed", tuple(check.integer("held_per_seed", h, low=0) for h in per_seed)
        )
        if len(self.held_per_seed) != len(self.seeds):
            raise ValueError(
                f"held_per_seed must have one entry per seed ({len(self.seeds)}), got "
                f"{len(self.held_per_seed)}"
            )
        if self.seeds:
            if len(self.seeds) < MIN_SEEDS:
                raise ValueError(
                    f"seeds must number at least {MIN_SEEDS} for a verdict on random runs, got "
                    f"{len(self.seeds)}"
                )
            if self.cases % len(self.seeds) or sum(self.held_per_seed) != self.held:
                raise ValueError("cases must be the same at every seed and held their sum")
            per_seed = self.cases // len(self.seeds)
            if any(not 0 <= h <= per_seed for h in self.held_per_seed):
                raise ValueError(f"held_per_seed must lie in [0, {per_seed}]")
        if self.difference is not None:
            pair = check.as_finite_array("difference", self.difference, ndim=(1,))
            if pair.shape != (2,) or pair[1] < 0:
                raise ValueError(
                    f"difference must be None or (mean, standard error >= 0), got "
                    f"{self.difference!r}"
                )
            object.__setattr__(self, "difference", (float(pair[0]), float(pair[1])))

    @classmethod
    def over_seeds(
        cls,
        text: str,
        held: ArrayLike,
        seeds: Iterable[int],
        *,
        worst: str = "",
        evidence: Sequence[str] = (),
        difference: tuple[float, float] | None = None,
        difference_label: str = "",
    ) -> Claim:
        """A claim about random runs, from ``held[s, c]``: did it hold in case c at seed s.

        Args:
            held: booleans, shape ``(S, cases)`` with S >= :data:`MIN_SEEDS` seeds.
            seeds: the S seeds, in the order of ``held``'s rows.
            difference: ``(mean, standard error)`` from :func:`paired_difference`, or None.
        """
        held = np.asarray(held)
        if held.dtype != bool or held.ndim != 2 or held.shape[1] == 0:
            raise ValueError(
                f"held must be a (seeds, cases) bool array with >= 1 case, got {held.dtype} "
                f"{held.shape}"
            )
        seeds = tuple(check.sequence("seeds", seeds, "integers >= 0"))
        if len(seeds) != held.shape[0]:
            raise ValueError(f"seeds must have one entry per row of held ({held.shape[0]})")
        return cls(
            text,
            held.size,
            int(held.sum()),
            worst=worst,
            evidence=check.texts("evidence", evidence),
            otherwise="fails",
            seeds=seeds,
            held_per_seed=tuple(int(h) for h in held.sum(axis=1)),
            difference=difference,
            difference_label=difference_label,
        )

    @property
    def cases_per_seed(self) -> int:
        """Cases checked at each seed (all cases for a deterministic claim)."""
        return self.cases // len(self.seeds) if self.seeds else self.cases

    @property
    def seeds_holding(self) -> int:
        """How many seeds the claim held at in every case (0 for a deterministic claim)."""
        return sum(h == self.cases_per_seed for h in self.held_per_seed)

    @property
    def holds(self) -> bool:
        """True when the claim held in every case (at every seed), and was tested at all."""
        return self.cases > 0 and self.held == self.cases

    @property
    def verdict(self) -> str:
        """``"holds"``; for random runs ``"fails"`` (at every seed) or ``"depends on the seed"``;
        for a deterministic claim the ``otherwise`` word."""
        if self.holds:
            return "holds"
        if not self.seeds:
            return self.otherwise
        return "fails" if self.seeds_holding == 0 else "depends on the seed"

    @property
    def short(self) -> str:
        """``"holds (14/14)"`` or ``"no (5/14)"``; over seeds ``"holds (8/8 seeds)"``,
        ``"fails (0/8 seeds)"`` or ``"depends (3/8 seeds)"``."""
        if self.seeds:
            word = {"holds": "holds", "fails": "fails"}.get(self.verdict, "depends")
            return f"{word} ({self.seeds_holding}/{len(self.seeds)} seeds)"
        return f"{'holds' if self.holds else 'no'} ({self.held}/{self.cases})"

    @property
    def per_seed(self) -> str:
        """Cases held at each seed, e.g. ``"28 28 18 15 20 28 27 22 of 28"``."""
        if not self.seeds:
            return f"{self.held} of {self.cases}"
        return " ".join(str(h) for h in self.held_per_seed) + f" of {self.cases_per_seed}"

    @property
    def difference_text(self) -> str:
        """``"+0.012 ± 0.003 (loss SGD - GD)"``: the paired difference ± its standard error."""
        if self.difference is None:
            return ""
        mean, se = self.difference
        label = f" ({self.difference_label})" if self.difference_label else ""
        return f"{mean:+.3g} ± {se:.2g}{label}"

    def __str__(self) -> str:
        if self.evidence:
            lines = [f"{self.verdict.upper()}: {self.text}"]
            return "\n".join(lines + [f"  - {e}" for e in self.evidence])
        if self.seeds:
            line = f"{self.verdict}: {self.text} (held per seed: {self.per_seed})"
            if self.difference is not None:
                line += f"; {self.difference_text}"
            return line
        line = f"{self.verdict:>13}: {self.text} ({self.held} of {self.cases} cases)"
        return line if self.holds or not self.worst else f"{line}; e.g. {self.worst}"


def claims_table(claims: Sequence[Claim], width: int = 100) -> str:
    """The claims as a compact text table, one row each: claim, verdict, cases held (per seed
    for random runs) and the paired difference ± its standard error where there is one. Lines
    are at most ``width`` characters (the claim text is shortened with "..." if need be).

    Example:
        >>> print(claims_table([Claim("a claim", 3, 3)]))
        claim    verdict  held
        a claim  holds    3 of 3
    """
    width = check.integer("width", width, low=40)
    claims = check.sequence("claims", claims, "Claim")
    if not claims or not all(isinstance(c, Claim) for c in claims):
        raise ValueError("claims must be a non-empty sequence of Claim")
    columns = [
        ("verdict", [c.verdict for c in claims]),
        ("held", [c.per_seed for c in claims]),
    ]
    if any(c.difference is not None for c in claims):
        columns.append(("difference ± se", [c.difference_text for c in claims]))
    widths = [max(len(h), *(len(v) for v in vals)) for h, vals in columns]
    rest = sum(w + 2 for w in widths)
    text_width = min(max(len("claim"), *(len(c.text) for c in claims)), max(width - rest, 10))

    def cut(s: str, w: int) -> str:
        return s if len(s) <= w else s[: w - 3] + "..."

    def row(first: str, cells: list[str]) -> str:
        parts = [f"{cut(first, text_width):<{text_width}}"]
        parts += [f"{cut(v, width):<{w}}" for v, w in zip(cells, widths, strict=True)]
        return "  ".join(parts).rstrip()[:width]

    lines = [row("claim", [h for h, _ in columns])]
    lines += [row(c.text, [vals[i] for _, vals in columns]) for i, c in enumerate(claims)]
    return "\n".join(lines)
