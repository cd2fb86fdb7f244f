"""Which samples each SGD step sees: the minibatch index schedules.

Schemes, for ``n`` samples and batches of ``batch_size``:

* ``"with_replacement"``: every index drawn independently and uniformly from ``0..n-1``.
* ``"random_reshuffling"``: a fresh random permutation each epoch (without replacement).
* ``"shuffle_once"``: one random permutation, repeated every epoch.
* ``"fixed"``: the cyclic order ``0, 1, ..., n-1, 0, 1, ...``.

For the three without-replacement schemes the index stream is a concatenation of epochs of
length n cut into consecutive batches, so every block of n consecutive draws that starts at an
epoch boundary is a permutation of ``0..n-1``. When ``batch_size`` does not divide ``n`` a batch
may straddle two epochs.
"""

from __future__ import annotations

import numpy as np

from helpers import _validate as check

__all__ = ["SCHEMES", "WITHOUT_REPLACEMENT", "batch_indices", "batch_indices_per_seed"]

SCHEMES = ("with_replacement", "random_reshuffling", "shuffle_once", "fixed")

WITHOUT_REPLACEMENT = ("random_reshuffling", "shuffle_once", "fixed")
"""The schemes in which every epoch visits each sample exactly once."""


def batch_indices(
    n: int, batch_size: int, steps: int, scheme: str = "random_reshuffling", seed: int = 0
) -> np.ndarray:
    """Minibatch indices for ``steps`` SGD steps, shape ``(steps, batch_size)``.

    Args:
        n: number of samples (>= 1).
        batch_size: samples per step, in [1, n].
        steps: number of steps (>= 0).
        scheme: one of :data:`SCHEMES`.
        seed: seed (>= 0) for ``numpy.random.default_rng``; the same seed gives the same schedule.
    """
    n = check.integer("n", n, low=1)
    batch_size = check.integer("batch_size", batch_size, low=1, high=n)
    steps = check.integer("steps", steps, low=0)
    check.one_of("scheme", scheme, SCHEMES)
    seed = check.integer("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    draws = steps * batch_size
    if scheme == "with_replacement":
        return rng.integers(0, n, size=(steps, batch_size))
    epochs = -(-draws // n)
    if scheme == "random_reshuffling":
        stream = rng.permuted(np.tile(np.arange(n), (epochs, 1)), axis=1).ravel()
    elif scheme == "shuffle_once":
        stream = np.tile(rng.permutation(n), epochs)
    else:
        stream = np.tile(np.arange(n), epochs)
    return stream[:draws].reshape(steps, batch_size)


def batch_indices_per_seed(n: int, batch_size: int, steps: int, scheme: str, seeds) -> np.ndarray:
    """One schedule per seed, stacked: shape ``(len(seeds), steps, batch_size)``, where row s is
    exactly ``batch_indices(n, batch_size, steps, scheme, seeds[s])``. Runs that average over
    seeds need a different minibatch sequence per run (see :mod:`helpers.shuffling`).

    Args:
        seeds: a non-empty sequence of distinct integers >= 0.
    """
    seed_list = list(np.atleast_1d(np.asarray(seeds, dtype=object)).tolist())
    if not seed_list:
        raise ValueError("seeds must hold at least one seed")
    seed_list = [check.integer("seeds", s, low=0) for s in seed_list]
    if len(set(seed_list)) != len(seed_list):
        raise ValueError(f"seeds must be distinct, got {seed_list}")
    return np.stack([batch_indices(n, batch_size, steps, scheme, s) for s in seed_list])
