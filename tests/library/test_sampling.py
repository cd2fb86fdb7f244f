"""helpers.sampling: batch_indices' shapes, the four schemes' properties, seeding."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.sampling import SCHEMES, WITHOUT_REPLACEMENT, batch_indices, batch_indices_per_seed

schemes = pytest.mark.parametrize("scheme", SCHEMES)


def epochs(indices, n):
    """The flattened index stream cut into blocks of ``n`` consecutive draws (whole epochs only)."""
    stream = indices.ravel()
    return stream[: stream.size // n * n].reshape(-1, n)


def is_permutation(block, n):
    return np.array_equal(np.sort(block), np.arange(n))


@schemes
@pytest.mark.parametrize(
    ("n", "batch_size", "steps"), [(10, 5, 6), (7, 3, 11), (5, 5, 2), (1, 1, 4)]
)
def test_shape_dtype_and_range(scheme, n, batch_size, steps):
    idx = batch_indices(n, batch_size, steps, scheme, seed=3)
    assert idx.shape == (steps, batch_size)
    assert np.issubdtype(idx.dtype, np.integer)
    assert idx.min() >= 0
    assert idx.max() < n


@schemes
def test_zero_steps(scheme):
    idx = batch_indices(10, 4, 0, scheme)
    assert idx.shape == (0, 4)
    assert np.issubdtype(idx.dtype, np.integer)


@pytest.mark.parametrize(("n", "batch_size", "steps"), [(10, 5, 10), (7, 3, 14)])
def test_random_reshuffling_epochs_are_distinct_permutations(n, batch_size, steps):
    blocks = epochs(batch_indices(n, batch_size, steps, "random_reshuffling", seed=0), n)
    assert len(blocks) == steps * batch_size // n
    for block in blocks:
        assert is_permutation(block, n)
    distinct = {tuple(block) for block in blocks}
    assert len(distinct) == len(blocks)
    assert not np.array_equal(blocks[0], np.arange(n))


@pytest.mark.parametrize(("n", "batch_size", "steps"), [(10, 5, 10), (7, 3, 14)])
def test_shuffle_once_repeats_one_permutation(n, batch_size, steps):
    blocks = epochs(batch_indices(n, batch_size, steps, "shuffle_once", seed=0), n)
    assert is_permutation(blocks[0], n)
    assert not np.array_equal(blocks[0], np.arange(n))
    for block in blocks[1:]:
        np.testing.assert_array_equal(block, blocks[0])


@pytest.mark.parametrize(("n", "batch_size", "steps"), [(10, 5, 10), (7, 3, 14), (4, 4, 1)])
def test_fixed_is_cyclic(n, batch_size, steps):
    idx = batch_indices(n, batch_size, steps, "fixed", seed=5)
    np.testing.assert_array_equal(idx.ravel(), np.arange(steps * batch_size) % n)


def test_with_replacement_covers_one_minus_one_over_e():
    n = 20000
    idx = batch_indices(n, 100, n // 100, "with_replacement", seed=0)
    distinct = np.unique(idx).size / n
    assert abs(distinct - (1 - np.exp(-1))) < 0.01


def test_with_replacement_repeats_within_an_epoch():
    idx = batch_indices(50, 50, 1, "with_replacement", seed=0)
    assert np.unique(idx).size < 50


@schemes
def test_same_seed_same_output(scheme):
    np.testing.assert_array_equal(
        batch_indices(20, 3, 15, scheme, seed=7), batch_indices(20, 3, 15, scheme, seed=7)
    )


@pytest.mark.parametrize("scheme", [s for s in SCHEMES if s != "fixed"])
def test_different_seed_different_output(scheme):
    assert not np.array_equal(
        batch_indices(20, 3, 15, scheme, seed=7), batch_indices(20, 3, 15, scheme, seed=8)
    )


# --- properties over random sizes (hypothesis) -----------------------------------------------------

prop = settings(max_examples=60, deadline=None, derandomize=True)
sizes = st.integers(1, 40).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(1, n), st.integers(0, 60), st.integers(0, 2**31))
)


@prop
@given(sizes)
def test_every_reshuffled_epoch_is_a_permutation(args):
    n, batch_size, steps, seed = args
    for block in epochs(batch_indices(n, batch_size, steps, "random_reshuffling", seed), n):
        assert is_permutation(block, n)


@prop
@given(sizes)
def test_shuffle_once_repeats_its_first_epoch(args):
    n, batch_size, steps, seed = args
    blocks = epochs(batch_indices(n, batch_size, steps, "shuffle_once", seed), n)
    for block in blocks:
        assert is_permutation(block, n)
        np.testing.assert_array_equal(block, blocks[0])


@prop
@given(sizes)
def test_without_replacement_streams_never_repeat_within_an_epoch(args):
    n, batch_size, steps, seed = args
    for scheme in WITHOUT_REPLACEMENT:
        for block in epochs(batch_indices(n, batch_size, steps, scheme, seed), n):
            assert np.unique(block).size == n


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_with_replacement_sees_one_minus_one_over_e_per_epoch_for_large_n(seed):
    n = 100_000
    idx = batch_indices(n, 1, 3 * n, "with_replacement", seed).reshape(3, n)
    for epoch in idx:
        # the per-epoch fraction has standard deviation sqrt((1/e - 2/e^2)/n) ~ 1e-3
        assert abs(np.unique(epoch).size / n - (1 - np.exp(-1))) < 0.005


def test_per_seed_stack_equals_single_schedules():
    for scheme in SCHEMES:
        stacked = batch_indices_per_seed(13, 4, 9, scheme, [5, 0, 7])
        assert stacked.shape == (3, 9, 4)
        for row, seed in zip(stacked, [5, 0, 7], strict=True):
            np.testing.assert_array_equal(row, batch_indices(13, 4, 9, scheme, seed))
    single = batch_indices_per_seed(5, 1, 3, "fixed", range(1))
    assert single.shape == (1, 3, 1)


@pytest.mark.parametrize("seeds", [[], [1, 1], [-1], [0.5], [True], ["0"]])
def test_per_seed_stack_rejects_bad_seeds(seeds):
    with pytest.raises(ValueError, match=r"^seeds"):
        batch_indices_per_seed(5, 1, 3, "fixed", seeds)


def test_scheme_groups():
    assert set(WITHOUT_REPLACEMENT) == set(SCHEMES) - {"with_replacement"}
