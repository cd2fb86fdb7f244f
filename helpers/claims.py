"""One way for every notebook to state a verdict on a claim: :class:`Claim`.

A claim is checked case by case (one case per setting, data set, simulation, ...). It *holds*
when it held in every case it was tested on; otherwise the verdict is the ``otherwise`` word
("does not hold" by default, "nuanced" for a claim that is true only under conditions the evidence
spells out). The computed evidence travels with the verdict, one line per item.

Example:
    >>> claim = Claim("lr = 1 is best", cases=14, held=5, worst="lr = 0.5 best at beta = 0.7")
    >>> claim.holds, claim.verdict, claim.short
    (False, 'does not hold', 'no (5/14)')
    >>> print(Claim("63% are seen", 2, 2, evidence=("n = 10: 65.1%", "n = 1000: 63.2%")))
    HOLDS: 63% are seen
      - n = 10: 65.1%
      - n = 1000: 63.2%
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers import _validate as check

__all__ = ["Claim"]


@dataclass(frozen=True)
class Claim:
    """A claim, the number of cases it was tested on, in how many it held, the worst failure and
    the computed evidence (one line each).

    Args:
        text: the claim, in words.
        cases: how many cases it was tested on (>= 0).
        held: in how many of them it held (0 <= held <= cases).
        worst: the clearest case where it failed, in words (shown when it does not hold).
        evidence: the computed numbers behind the verdict, one line each.
        otherwise: the verdict when it does not hold in every case ("does not hold", "nuanced").
    """

    text: str
    cases: int
    held: int
    worst: str = ""
    evidence: tuple[str, ...] = ()
    otherwise: str = "does not hold"

    def __post_init__(self) -> None:
        check.integer("cases", self.cases, low=0)
        check.integer("held", self.held, low=0, high=self.cases)
        check.one_of("otherwise", self.otherwise, ("does not hold", "nuanced"))
        object.__setattr__(self, "evidence", tuple(self.evidence))

    @property
    def holds(self) -> bool:
        """True when the claim held in every case (and was tested at all)."""
        return self.cases > 0 and self.held == self.cases

    @property
    def verdict(self) -> str:
        """``"holds"``, or the ``otherwise`` word."""
        return "holds" if self.holds else self.otherwise

    @property
    def short(self) -> str:
        """``"holds (14/14)"`` or ``"no (5/14)"``."""
        return f"{'holds' if self.holds else 'no'} ({self.held}/{self.cases})"

    def __str__(self) -> str:
        if self.evidence:
            lines = [f"{self.verdict.upper()}: {self.text}"]
            return "\n".join(lines + [f"  - {e}" for e in self.evidence])
        line = f"{self.verdict:>13}: {self.text} ({self.held} of {self.cases} cases)"
        return line if self.holds or not self.worst else f"{line}; e.g. {self.worst}"
