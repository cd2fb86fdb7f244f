"""helpers.lessons.sampling.claims: verdicts follow the evidence, both ways."""

import numpy as np
import pytest

from helpers.claims import Claim
from helpers.lessons.sampling import coverage
from helpers.lessons.sampling.claims import (
    check_more_than_once,
    check_sixty_three_percent,
    check_without_better,
)
from helpers.lessons.sampling.shuffling import SchemeRuns
from helpers.sampling import SCHEMES


@pytest.fixture(scope="module")
def simulated():
    return {n: coverage.monte_carlo_epoch(n, max(20, 50_000 // n), seed=0) for n in (10, 1000)}


def fake_runs(floors_by_scheme, decaying_by_scheme=None):
    """SchemeRuns whose every epoch after the start equals the given value per (scheme, lr)."""
    values = np.array([floors_by_scheme[s] for s in SCHEMES], dtype=float)  # (schemes, lrs)
    subopt = np.repeat(values[:, :, None, None], 3, axis=2).repeat(5, axis=3)
    subopt[..., 0] = 1.0
    lrs = np.geomspace(0.1, 0.01, values.shape[1])
    return SchemeRuns(SCHEMES, lrs, (0, 1, 2), 8, 1, None, subopt, np.full(subopt.shape[:3], -1))


def test_sixty_three_percent_holds_on_simulations(simulated):
    verdict = check_sixty_three_percent(simulated)
    assert verdict.verdict == "holds"
    assert any("n >= 38" in line for line in verdict.evidence)
    assert str(verdict).startswith("HOLDS: about 63%")


def test_sixty_three_percent_is_nuanced_when_a_simulation_disagrees(simulated):
    counts = simulated[1000]
    biased = coverage.EpochCounts(1000, counts.histogram.copy())
    biased.histogram[:, 0] += 30  # 3% more samples "unseen" than the formula allows
    biased.histogram[:, 1] -= 30
    assert check_sixty_three_percent({1000: biased}).verdict == "nuanced"


def test_more_than_once_holds_and_reports_repeats(simulated):
    verdict = check_more_than_once(simulated)
    assert verdict.verdict == "holds"
    assert "1 - 2/e" in verdict.evidence[-1]
    no_repeats = coverage.EpochCounts(5, np.tile([0, 5, 0], (20, 1)))  # impossible but telling
    assert check_more_than_once({5: no_repeats}).verdict == "nuanced"


def test_without_better_holds_only_when_every_comparison_agrees():
    good = {
        "with_replacement": [1e-2, 1e-3],
        "random_reshuffling": [1e-3, 1e-5],
        "shuffle_once": [2e-3, 1e-4],
        "fixed": [5e-3, 5e-4],
    }
    runs = fake_runs(good)
    decaying = SchemeRuns(
        SCHEMES, runs.lrs[:1], runs.seeds, 8, 1, 5.0, runs.subopt[:, :1], runs.diverged_at[:, :1]
    )
    assert check_without_better(runs, decaying).verdict == "holds"
    bad = dict(good, fixed=[2e-2, 5e-4])  # the fixed order loses at the large step
    verdict = check_without_better(fake_runs(bad), decaying)
    assert verdict.verdict == "nuanced"
    assert any("fixed order" in line and "higher at step 0.1" in line for line in verdict.evidence)


def test_verdicts_are_claims_whose_cases_are_the_comparisons(simulated):
    claim = check_sixty_three_percent(simulated)
    assert isinstance(claim, Claim)
    assert claim.cases == len(simulated) + 1  # one per simulation, one for the limit
    assert claim.held == claim.cases
