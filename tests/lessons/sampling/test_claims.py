"""helpers.lessons.sampling.claims: verdicts follow the evidence, both ways, at essentially every
seed (each check is run on many disjoint sets of 8 seeds at small sizes)."""

import numpy as np
import pytest

from helpers import sampling
from helpers.claims import Claim
from helpers.lessons.sampling import coverage, minibatch
from helpers.lessons.sampling.claims import (
    Z_TOL,
    check_coupon,
    check_epoch_below,
    check_floor_below,
    check_limit_sixty_three,
    check_more_than_once,
    check_rate_slopes,
    check_sixty_three_percent,
    check_variance_factor,
    dkw_epsilon,
    epoch_rows,
    floor_rows,
    ks_distance,
    offset_slope,
    verdict_table,
    z_score,
)
from helpers.lessons.sampling.shuffling import SchemeRuns
from helpers.problems.least_squares import LeastSquares, synthetic_regression
from helpers.sampling import SCHEMES

SEED_SETS = [tuple(range(8 * k, 8 * k + 8)) for k in range(25)]  # 200 seeds in all


def simulate(seeds, ns=(10, 100), replicates=50):
    return {n: coverage.epochs_over_seeds(n, replicates, seeds) for n in ns}


@pytest.fixture(scope="module")
def many_simulations():
    return [(seeds, simulate(seeds)) for seeds in SEED_SETS]


def test_epoch_laws_hold_at_essentially_every_seed(many_simulations):
    for seeds, sim in many_simulations:
        assert check_sixty_three_percent(sim, seeds).verdict == "holds", seeds
        assert check_more_than_once(sim, seeds).verdict == "holds", seeds


def test_epoch_laws_fail_when_the_law_is_wrong():
    seeds = SEED_SETS[0]
    sim = simulate(seeds, ns=(1000,))
    # 3% of the samples moved from "seen once" to "unseen": the law no longer matches
    biased = {}
    for n, runs in sim.items():
        biased[n] = []
        for counts in runs:
            hist = counts.histogram.copy()
            shift = max(1, round(0.03 * n))
            hist[:, 0] += shift
            hist[:, 1] -= shift
            biased[n].append(coverage.EpochCounts(n, hist))
    assert check_sixty_three_percent(biased, seeds).verdict == "fails"
    assert check_more_than_once(biased, seeds).verdict == "fails"


def test_the_limit_claim_is_nuanced_below_38():
    claim = check_limit_sixty_three(0.005, 1000)
    assert claim.verdict == "nuanced" and claim.cases == 1000 and claim.held == 1000 - 37
    assert "holds from n = 38" in claim.worst


def test_z_score():
    assert z_score(np.array([1.0, 1.0]), 1.0) == 0.0
    assert z_score(np.array([2.0, 2.0]), 1.0) == np.inf
    assert z_score(np.array([0.0, 2.0]), 0.0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"^samples"):
        z_score(np.array([1.0]), 1.0)


def small_grads(seed=0):
    problem = LeastSquares(*synthetic_regression(12, d=3, seed=seed), l2=0.1)
    return minibatch.per_example_grads(problem, problem.minimizer)


def test_variance_factor_holds_at_essentially_every_seed():
    grads = small_grads()
    for seeds in SEED_SETS:
        measured = minibatch.measure(grads, [1, 2, 6, 11, 12], 300, seeds)
        assert check_variance_factor(measured).verdict == "holds", seeds


def test_variance_factor_fails_when_the_factor_is_wrong():
    measured = minibatch.measure(small_grads(), [6, 8, 10], 300, range(8))
    wrong = minibatch.MinibatchVariance(
        **{**measured.__dict__, "exact_without": measured.exact_with}  # no (n-b)/(n-1)
    )
    assert check_variance_factor(wrong).verdict == "fails"


def test_coupon_holds_at_essentially_every_seed_and_fails_on_the_wrong_n():
    n = 20
    cdf = sampling.coupon_cdf(n, np.arange(2000))
    wrong = sampling.coupon_cdf(n + 5, np.arange(2000))
    for seeds in SEED_SETS:
        with_r = np.stack([coverage.coupon_monte_carlo(n, 100, seed=s) for s in seeds])
        without = np.stack(
            [coverage.coupon_monte_carlo(n, 3, seed=s, scheme="random_reshuffling") for s in seeds]
        )
        assert check_coupon(with_r, without, n, seeds, cdf).verdict == "holds", seeds
    claim = check_coupon(with_r, without, n, seeds, wrong)  # the distribution of n + 5
    assert claim.verdict == "depends on the seed" or claim.verdict == "fails"
    assert claim.held_per_seed == (2,) * 8  # only the DKW case fails, at every seed
    assert check_coupon(with_r + n, without, n, seeds, cdf).verdict == "fails"


def test_dkw_and_ks():
    assert dkw_epsilon(100, 1e-6) == pytest.approx(np.sqrt(np.log(2e6) / 200))
    cdf = np.array([0.0, 0.5, 1.0, 1.0])
    assert ks_distance(np.array([1, 2]), cdf) == 0.0
    assert ks_distance(np.array([2, 2]), cdf) == 0.5
    with pytest.raises(ValueError, match=r"^cdf"):
        ks_distance(np.array([5]), cdf)


def fake_runs(values_by_scheme, seeds=8):
    """SchemeRuns whose every epoch after the start equals the given value per (scheme, lr)."""
    values = np.array([values_by_scheme[s] for s in SCHEMES], dtype=float)  # (schemes, lrs)
    subopt = np.repeat(values[:, :, None, None], seeds, axis=2).repeat(5, axis=3)
    subopt[..., 0] = 1.0
    lrs = np.geomspace(0.1, 0.01, values.shape[1])
    return SchemeRuns(
        SCHEMES, lrs, tuple(range(seeds)), 8, 1, None, subopt, np.full(subopt.shape[:3], -1)
    )


def test_verdict_table_fits_in_100_characters(many_simulations):
    seeds, sim = many_simulations[0]
    claims = [
        check_sixty_three_percent(sim, seeds),
        check_limit_sixty_three(),
        check_more_than_once(sim, seeds),
        Claim("a deliberately long claim text " * 5, 3, 2, otherwise="fails"),
    ]
    table = verdict_table(claims)
    assert all(len(line) <= 100 for line in table.splitlines())
    assert table.splitlines()[1].split()[0] == "1" and "holds" in table.splitlines()[1]
    assert "[1] simulated - exact" in table
    assert Z_TOL == 5.0
    with pytest.raises(ValueError, match=r"^claims"):
        verdict_table([])


def runs_with_iterates(ends_by_scheme, alls_by_scheme, seeds=8, per_epoch=4):
    """SchemeRuns whose epoch-end f - f* and all-iterate mean are the given values per
    (scheme, lr), the same at every seed."""
    runs = fake_runs(ends_by_scheme, seeds)
    ends = np.array([ends_by_scheme[s] for s in SCHEMES], dtype=float)
    alls = np.array([alls_by_scheme[s] for s in SCHEMES], dtype=float)
    # positions 0..per_epoch-2 carry the rest, so that the mean over positions is `alls`
    rest = (per_epoch * alls - ends) / (per_epoch - 1)
    position = np.concatenate(
        [np.repeat(rest[..., None], per_epoch - 1, axis=-1), ends[..., None]], axis=-1
    )
    position = np.repeat(position[:, :, None], seeds, axis=2)
    return SchemeRuns(
        runs.schemes,
        runs.lrs,
        runs.seeds,
        8,
        1,
        None,
        runs.subopt,
        runs.diverged_at,
        0.25,
        position,
    )


def test_floor_claims_by_measure_and_step():
    ends = {
        "with_replacement": [1e-2, 1e-3],
        "random_reshuffling": [1e-3, 1e-6],
        "shuffle_once": [2e-3, 1e-5],
        "fixed": [5e-2, 5e-4],  # loses at the larger step 0.1
    }
    alls = {
        "with_replacement": [1e-2, 1e-3],
        "random_reshuffling": [4e-3, 4e-5],
        "shuffle_once": [2e-3, 2e-5],  # below reshuffling over all iterates only
        "fixed": [5e-2, 5e-4],
    }
    runs = runs_with_iterates(ends, alls)
    np.testing.assert_allclose(runs.iterate_floor(), np.array([alls[s] for s in SCHEMES]))
    rr = check_floor_below(runs, "random_reshuffling", diff_lr=0.01)
    assert rr.verdict == "holds" and rr.cases_per_seed == 4
    assert rr.text == "RR < with: floor, ends+all, every step"
    assert rr.difference[0] == pytest.approx(3.0)  # log10(1e-3 / 1e-6) at step 0.01
    fixed = check_floor_below(runs, "fixed", diff_lr=0.01)
    assert fixed.verdict == "fails"
    small = check_floor_below(runs, "fixed", max_lr=0.01, diff_lr=0.01)
    assert small.verdict == "holds" and small.text.endswith("step <= 0.01")
    large = check_floor_below(runs, "fixed", min_lr=0.1, measures=("ends",), diff_lr=0.1)
    assert large.verdict == "fails" and large.text == "fixed < with: floor, ends, step 0.1"
    so_rr = check_floor_below(
        runs, "shuffle_once", "random_reshuffling", measures=("iterates",), diff_lr=0.01
    )
    assert so_rr.verdict == "holds" and "all iterates" in so_rr.text
    rr_so = check_floor_below(
        runs, "random_reshuffling", "shuffle_once", measures=("ends",), diff_lr=0.1
    )
    assert rr_so.verdict == "holds"
    rows = floor_rows(runs, 0.25)
    assert ("ends", 0.1, [8, 8, 0, 0]) in rows and ("iterates", 0.01, [8, 8, 8, 8]) in rows
    with pytest.raises(ValueError, match=r"^scheme and other"):
        check_floor_below(runs, "fixed", "fixed", diff_lr=0.01)
    with pytest.raises(ValueError, match=r"^no step size"):
        check_floor_below(runs, "fixed", max_lr=0.001, diff_lr=0.01)
    with pytest.raises(ValueError, match=r"^measures"):
        check_floor_below(runs, "fixed", measures=("middle",), diff_lr=0.01)
    with pytest.raises(ValueError, match=r"^diff_lr"):
        check_floor_below(runs, "fixed")  # 0.05 is not one of the runs' steps
    with pytest.raises(ValueError, match=r"all-iterate floors need"):
        check_floor_below(fake_runs(ends), "fixed", measures=("iterates",), diff_lr=0.01)
    with pytest.raises(ValueError, match=r"all-iterate floors need"):
        check_floor_below(runs, "fixed", last=0.5, diff_lr=0.01)  # recorded for last = 0.25


def test_floor_claims_on_real_runs_hold_at_essentially_every_seed():
    """Reshuffling's floor below sampling with replacement's, at epoch ends and over all
    iterates: at every seed of 5 disjoint sets of 8 (small problem, small steps)."""
    from helpers.lessons.sampling.shuffling import run_schemes

    problem = LeastSquares(*synthetic_regression(12, d=3, seed=0, sort_by_target=True), l2=0.1)
    runs = run_schemes(
        problem,
        problem.minimizer,
        120,
        [0.01, 0.02],
        seeds=range(40),
        schemes=("with_replacement", "random_reshuffling"),
        iterate_last=0.5,
    )
    for k in range(5):
        part = SchemeRuns(
            runs.schemes,
            runs.lrs,
            runs.seeds[8 * k : 8 * k + 8],
            runs.n,
            1,
            None,
            runs.subopt[:, :, 8 * k : 8 * k + 8],
            runs.diverged_at[:, :, 8 * k : 8 * k + 8],
            0.5,
            runs.position_mean[:, :, 8 * k : 8 * k + 8],
        )
        claim = check_floor_below(part, "random_reshuffling", last=0.5, diff_lr=0.01)
        assert claim.verdict == "holds", k


def test_epoch_claims_and_rows():
    runs = fake_runs(
        {
            "with_replacement": [1e-2],
            "random_reshuffling": [1e-3],
            "shuffle_once": [1e-3],
            "fixed": [2e-2],
        }
    )
    claim = check_epoch_below(runs, 1)
    assert claim.verdict == "fails" and claim.cases_per_seed == 3  # the fixed order loses
    assert claim.text == "w/o < with: f - f*, epoch 1, 8 seeds"
    assert claim.difference[0] == pytest.approx(1.0)
    assert check_epoch_below(runs, 4, schemes=("random_reshuffling",)).verdict == "holds"
    rows = epoch_rows(runs, 1)
    assert rows[0][:3] == ("random reshuffling", 8, 8) and rows[0][3] == pytest.approx(1.0)
    assert rows[2][1] == 0 and epoch_rows(runs, 1, slice(0, 2))[0][2] == 2
    with pytest.raises(ValueError, match=r"^epoch"):
        check_epoch_below(runs, 0)
    with pytest.raises(ValueError, match=r"^schemes"):
        check_epoch_below(runs, 1, schemes=("with_replacement",))


def test_rate_slopes_and_the_schedule_offset():
    assert offset_slope((100, 1000), -2.0, 0.0) == pytest.approx(-2.0)
    assert offset_slope((100, 1000), -2.0, 5.0) == pytest.approx(-1.9704, abs=1e-4)
    slopes = {"with_replacement": (-0.99, -1.05, -0.93), "fixed": (-1.966, -1.966, -1.966)}
    targets = {"with_replacement": -0.985, "fixed": -1.9704}
    assert check_rate_slopes(slopes, targets, "K = 100..1000").verdict == "holds"
    miss = check_rate_slopes(
        {**slopes, "random_reshuffling": (-1.87, -1.93, -1.82)},
        {**targets, "random_reshuffling": -1.97},
        "K = 100..1000",
    )
    assert miss.verdict == "nuanced" and miss.held == 2 and "random reshuffling -1.87" in miss.worst
    assert check_rate_slopes(slopes, targets, "w", tolerance=0.0).verdict == "nuanced"
    with pytest.raises(ValueError, match=r"^slopes"):
        check_rate_slopes({}, targets, "w")
    with pytest.raises(ValueError, match=r"^window"):
        offset_slope((10, 10), -2.0, 5.0)


def test_the_limit_claim_has_a_clear_answer_for_small_n_max():
    claim = check_limit_sixty_three(0.005, 10)  # no n <= 10 is within half a point
    assert claim.held == 0 and "never for n <= 10" in claim.worst
    assert check_limit_sixty_three(0.005, 1500).text.endswith("n <= 1,500")
    assert check_limit_sixty_three().text.endswith("n <= 1e5")


def test_verdict_table_takes_a_claim_text_shorter_than_ten_characters():
    # The width check compared the text's own width with 10, so a short text raised.
    table = verdict_table([Claim("a", 2, 2)], width=100)
    assert table.splitlines()[1].split()[:3] == ["1", "a", "holds"]
    with pytest.raises(ValueError, match=r"^width"):
        verdict_table([Claim("a claim of some length", 2, 2)], width=60 - 1)
