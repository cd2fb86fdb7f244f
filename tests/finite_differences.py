"""Numerical derivatives shared by the tests (the reference the analytic ones are checked against)."""

import numpy as np


def central_difference(f, w, h=1e-5):
    """Jacobian of ``f`` at ``w`` by central differences, shape ``f(w).shape + w.shape``."""
    columns = []
    for j in range(w.size):
        e = np.zeros_like(w)
        e[j] = h
        columns.append((f(w + e) - f(w - e)) / (2 * h))
    return np.stack(columns, axis=-1)


def points(d, count=3, seed=1):
    """``count`` seeded standard-normal points in d dimensions, shape ``(count, d)``."""
    return np.random.default_rng(seed).standard_normal((count, d))
