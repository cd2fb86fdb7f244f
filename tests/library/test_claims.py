"""helpers.claims: one verdict type, deterministic and over seeds, and its table."""

import numpy as np
import pytest

from helpers.claims import MIN_SEEDS, Claim, claims_table, paired_difference


def test_a_deterministic_claim_holds_only_in_every_case():
    assert Claim("x", 3, 3).verdict == "holds"
    assert Claim("x", 3, 2).verdict == "does not hold"
    assert Claim("x", 3, 2, otherwise="fails").verdict == "fails"
    assert Claim("x", 3, 2, otherwise="nuanced").verdict == "nuanced"
    assert not Claim("x", 0, 0).holds  # never tested: no verdict of "holds"
    assert Claim("x", 14, 5).short == "no (5/14)"


def test_the_two_printed_forms():
    assert str(Claim("c", 2, 1, worst="w")) == "does not hold: c (1 of 2 cases); e.g. w"
    assert str(Claim("c", 2, 2, evidence=("e1", "e2"))) == "HOLDS: c\n  - e1\n  - e2"


@pytest.mark.parametrize(
    ("held", "verdict", "short"),
    [
        (np.ones((8, 3), bool), "holds", "holds (8/8 seeds)"),
        (np.zeros((8, 3), bool), "fails", "fails (0/8 seeds)"),
        (np.eye(8, 3, dtype=bool) | True, "holds", "holds (8/8 seeds)"),
        (np.eye(8, 3, dtype=bool), "fails", "fails (0/8 seeds)"),  # every seed fails somewhere
        (np.array([[True] * 3] * 5 + [[True, False, True]] * 3), "depends on the seed", None),
    ],
)
def test_a_claim_over_seeds_holds_fails_or_depends(held, verdict, short):
    claim = Claim.over_seeds("c", held, seeds=range(8))
    assert claim.verdict == verdict
    assert claim.cases == held.size and claim.held == held.sum()
    assert claim.held_per_seed == tuple(held.sum(axis=1))
    if short:
        assert claim.short == short
    else:
        assert claim.short == "depends (5/8 seeds)"
        assert claim.per_seed == "3 3 3 3 3 2 2 2 of 3"


def test_paired_difference_is_mean_and_standard_error_of_the_seedwise_differences():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=10), rng.normal(size=10)
    mean, se = paired_difference(a, b)
    d = a - b
    assert mean == pytest.approx(d.mean())
    assert se == pytest.approx(d.std(ddof=1) / np.sqrt(10))
    claim = Claim.over_seeds(
        "c", np.ones((10, 1), bool), range(10), difference=(mean, se), difference_label="a - b"
    )
    assert claim.difference_text.endswith("(a - b)") and "±" in claim.difference_text


@pytest.mark.parametrize(
    ("args", "kwargs", "name"),
    [
        (("c", np.ones((MIN_SEEDS - 1, 2), bool), range(MIN_SEEDS - 1)), {}, "seeds"),
        (("c", np.ones((8, 2)), range(8)), {}, "held"),
        (("c", np.ones((8,), bool), range(8)), {}, "held"),
        (("c", np.ones((8, 2), bool), range(7)), {}, "seeds"),
    ],
)
def test_over_seeds_rejects_bad_arguments(args, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        Claim.over_seeds(*args, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"text": ""}, "text"),
        ({"cases": -1}, "cases"),
        ({"held": 4}, "held"),
        ({"otherwise": "maybe"}, "otherwise"),
        ({"seeds": (0, 1)}, "held_per_seed"),
    ],
)
def test_claim_rejects_bad_arguments(kwargs, name):
    args = {"text": "c", "cases": 3, "held": 1} | kwargs
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        Claim(**args)


def test_paired_difference_rejects_unpaired_or_short_inputs():
    with pytest.raises(ValueError, match=r"^a and b"):
        paired_difference([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match=r"^a and b"):
        paired_difference([1.0], [1.0])
    with pytest.raises(ValueError, match=r"^a\b"):
        paired_difference([np.nan, 1.0], [1.0, 2.0])


def test_claims_table_fits_the_width_and_shows_every_claim():
    held = np.array([[True, False]] * 4 + [[True, True]] * 4)
    claims = [
        Claim("a short claim", 3, 3),
        Claim.over_seeds("x" * 200, held, range(8), difference=(0.0123, 0.0045)),
    ]
    table = claims_table(claims, width=100)
    lines = table.splitlines()
    assert len(lines) == 3 and all(len(line) <= 100 for line in lines)
    assert "depends on the seed" in lines[2] and "1 1 1 1 2 2 2 2 of 2" in lines[2]
    assert "+0.0123 ± 0.0045" in lines[2]
    with pytest.raises(ValueError, match=r"^claims"):
        claims_table([])
