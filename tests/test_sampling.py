"""helpers.sampling.batch_indices: shapes, the four schemes, seeding."""

import numpy as np
import pytest

from helpers.sampling import SCHEMES, batch_indices

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
