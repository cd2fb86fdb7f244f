r"""Lookahead vs its inner optimizer on a real task, many settings and seeds in one batched run.

:func:`run_study` trains one network per (setting, seed) with
:func:`helpers.optim.lookahead` around an inner optimizer; a setting is ``(lr, k, alpha)`` and
``(lr, 1, 1.0)`` is the inner optimizer alone (Lookahead with alpha = 1 *is* the inner optimizer).
All S x R networks run in one vectorized :func:`helpers.train.run` call; for a given seed every
setting starts from the same initial weights and sees the same minibatches, so differences
between settings can be compared seed by seed (paired), which removes most of the seed noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from helpers import _validate as check
from helpers.claims import Claim, claims_table
from helpers.divergence import Trajectory, Watch
from helpers.lessons.lookahead.explorer import INNER_OPTIMIZERS, inner_optimizer
from helpers.optim import lookahead
from helpers.sampling import SCHEMES, batch_indices_per_seed
from helpers.train import History, run

__all__ = [
    "StudyResult",
    "amplification",
    "best_setting",
    "chaotic",
    "claims_with_legend",
    "inner_loop_accuracy",
    "paired_difference",
    "run_study",
    "setting_label",
    "sweep_table",
    "validation_split",
]


def setting_label(inner_name: str, lr: float, k: int, alpha: float) -> str:
    """``"SGD+momentum lr=0.1 alone"`` or ``"Lookahead(k=5, alpha=0.5) lr=0.1"``."""
    check.one_of("inner_name", inner_name, tuple(INNER_OPTIMIZERS))
    lr = check.number("lr", lr, above=0)
    k = check.integer("k", k, low=1)
    alpha = float(check.fraction("alpha", check.as_finite_array("alpha", alpha, ndim=(0,))))
    if alpha == 1.0:
        return f"{inner_name} alone, lr={lr:g}"
    return f"Lookahead k={k}, alpha={alpha:g}, lr={lr:g}"


@dataclass(frozen=True)
class StudyResult:
    """Settings (S), seeds (R) and the batched History (C = S*R rows, setting-major)."""

    inner_name: str
    lr: np.ndarray
    k: np.ndarray
    alpha: np.ndarray
    seeds: tuple[int, ...]
    history: History

    def __post_init__(self) -> None:
        check.one_of("inner_name", self.inner_name, tuple(INNER_OPTIMIZERS))
        lr = check.positive("lr", check.as_finite_array("lr", self.lr, ndim=(1,)))
        if lr.size == 0:
            raise ValueError("lr must hold one learning rate per setting, got none")
        k = check.integers("k", self.k, low=1)
        alpha = check.fraction("alpha", check.as_finite_array("alpha", self.alpha, ndim=(1,)))
        if k.shape != lr.shape or alpha.shape != lr.shape:
            raise ValueError(
                f"lr, k and alpha must have one entry per setting each, got lr {lr.shape}, k "
                f"{k.shape}, alpha {alpha.shape}"
            )
        if not isinstance(self.seeds, tuple):
            raise TypeError(f"seeds must be a tuple of integer seeds, got {self.seeds!r:.80}")
        seeds = check.seeds("seeds", self.seeds)
        check.instance("history", self.history, History, "a History of run_study")
        if np.ndim(self.history.loss) != 2 or len(self.history) != lr.size * len(seeds):
            raise ValueError(
                f"history must hold one row per (setting, seed) ({lr.size * len(seeds)}), got "
                f"{np.shape(self.history.loss)}"
            )

    @property
    def labels(self) -> list[str]:
        """One label per setting."""
        return [
            setting_label(self.inner_name, lr, int(k), alpha)
            for lr, k, alpha in zip(self.lr, self.k, self.alpha, strict=True)
        ]

    def per_setting(self, values: np.ndarray) -> np.ndarray:
        """Reshape one value per network ``(S*R,)`` to ``(S, R)``."""
        values = np.asarray(values) if isinstance(values, np.ndarray | list) else np.asarray(None)
        if values.dtype.kind not in "biuf" or values.shape != (len(self.lr) * len(self.seeds),):
            raise ValueError(
                f"values must be an array of shape ({len(self.lr) * len(self.seeds)},) (one number "
                f"or bool per network), got {values!r:.80}"
            )
        return values.reshape(len(self.lr), len(self.seeds))

    @property
    def diverged(self) -> np.ndarray:
        """``(S, R)``: which networks diverged."""
        return self.per_setting(self.history.diverged)

    @property
    def final_loss(self) -> np.ndarray:
        """``(S, R)`` training loss at the end (NaN where diverged). The run ends on a
        synchronization of every setting, so fast and slow weights coincide there."""
        return self.per_setting(self.history.final_loss)

    def accuracy(self, net, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """``(S, R)`` accuracy of the final (slow) weights on ``(X, y)``; NaN where diverged."""
        _network("net", net)
        _labelled(net, X, y, ("X", "y"))
        acc = net.accuracy(self.history.tracked[:, -1], X, y)
        return np.where(self.diverged, np.nan, self.per_setting(acc))


def _network(name: str, net):
    """``net`` if it is a classifier with ``n_samples``, ``d``, ``init``, ``grad`` and
    ``accuracy`` (e.g. :class:`helpers.problems.mlp.MLP`)."""
    check.objective(name, net, needs=("loss", "grad", "init", "accuracy"))
    if isinstance(net.n_samples, bool) or not isinstance(net.n_samples, int) or net.n_samples < 1:
        raise TypeError(f"{name} must be a problem with samples (n_samples >= 1), e.g. an MLP")
    return net


def _labelled(net, X, y, names: tuple[str, str]) -> None:
    """Check ``X`` (finite, one row per example, ``net.n_inputs`` columns) and its integer
    labels ``y`` (bools excluded), one per row."""
    X = check.as_finite_array(names[0], X, ndim=(2,))
    columns = getattr(net, "n_inputs", X.shape[1])
    if X.shape[0] == 0 or X.shape[1] != columns:
        raise ValueError(f"{names[0]} must have shape (n >= 1, {columns}), got {X.shape}")
    y = np.asarray(y) if isinstance(y, np.ndarray | list | tuple) else np.asarray(None)
    if y.dtype == bool or not np.issubdtype(y.dtype, np.integer) or y.shape != (X.shape[0],):
        raise ValueError(
            f"{names[1]} must be {X.shape[0]} integer class labels (one per row of {names[0]})"
        )


def _settings(settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lr, k, alpha)`` columns of a non-empty sequence of ``(lr, k, alpha)`` triples."""
    if isinstance(settings, str | bytes | dict) or not hasattr(settings, "__len__"):
        raise TypeError(f"settings must be a sequence of (lr, k, alpha) triples, got {settings!r}")
    if len(settings) == 0:
        raise ValueError("settings must hold at least one (lr, k, alpha) triple")
    for triple in settings:
        if not isinstance(triple, tuple | list) or len(triple) != 3:
            raise ValueError(f"settings must hold (lr, k, alpha) triples, got {triple!r:.80}")
        check.number("lr in settings", triple[0], above=0)
        check.integer("k in settings", triple[1], low=1)
        alpha = check.as_finite_array("alpha in settings", triple[2], ndim=(0,))
        check.fraction("alpha in settings", alpha)
    return tuple(np.array(column) for column in zip(*settings, strict=True))


def run_study(
    net,
    inner_name: str,
    settings: Sequence[tuple[float, int, float]],
    seeds: Sequence[int],
    epochs: int,
    batch_size: int,
    scheme: str = "random_reshuffling",
    log_every: int | None = None,
    perturb: float = 0.0,
) -> StudyResult:
    """Train one network per (setting, seed) in one batched run.

    Args:
        net: a problem with ``n_samples``, ``init(seeds)`` and minibatch ``grad(w, idx)`` with
            ``idx`` of shape ``(C, B)`` (e.g. :class:`helpers.problems.mlp.MLP`).
        inner_name: a key of :data:`helpers.lessons.lookahead.explorer.INNER_OPTIMIZERS`.
        settings: ``(lr, k, alpha)`` triples; ``(lr, 1, 1.0)`` is the inner optimizer alone.
        seeds: one seed per repetition (initial weights and minibatch order).
        epochs: passes over the data (>= 1); the step count is rounded up to a multiple of
            every k so that all settings end on a synchronization.
        batch_size, scheme: as in :func:`helpers.train.run`.
        log_every: steps between full-data loss evaluations (default: once per epoch); the
            full-data loss of many networks costs more than their minibatch steps, so a study
            that only needs the final state logs rarely.
        perturb: relative perturbation of the initial weights (``w0 * (1 + perturb)``, default
            0): a rerun with ``perturb=1e-13`` tells a chaotic setting (its final loss moves by
            far more than 1e-13) from a stable one (see :func:`chaotic`).
    """
    _network("net", net)
    check.one_of("inner_name", inner_name, tuple(INNER_OPTIMIZERS))
    lr, k, alpha = _settings(settings)
    seeds = check.seeds("seeds", seeds, distinct=False)
    check.one_of("scheme", scheme, SCHEMES)
    epochs = check.integer("epochs", epochs, low=1)
    batch_size = check.integer("batch_size", batch_size, low=1, high=net.n_samples)
    repeat = len(seeds)
    opt = lookahead(
        inner_optimizer(inner_name, np.repeat(lr, repeat)[:, None]),
        k=np.repeat(k, repeat)[:, None],
        alpha=np.repeat(alpha, repeat)[:, None],
    )
    steps_per_epoch = -(-net.n_samples // batch_size)
    period = int(np.lcm.reduce(k.astype(int)))
    steps = -(-epochs * steps_per_epoch // period) * period
    all_seeds = list(seeds) * len(lr)
    history = run(
        net,
        opt,
        net.init(all_seeds) * (1 + check.number("perturb", perturb, at_least=0)),
        steps,
        batch_size=batch_size,
        scheme=scheme,
        seed=all_seeds,
        log_every=steps_per_epoch
        if log_every is None
        else check.integer("log_every", log_every, low=1),
        track=lambda state: state.slow,
    )
    return StudyResult(
        inner_name, lr.astype(float), k.astype(int), alpha.astype(float), seeds, history
    )


def chaotic(final_loss: np.ndarray, perturbed_loss: np.ndarray, tol: float = 0.01) -> np.ndarray:
    """Which settings are chaotic: one bool per row of ``final_loss`` ``(S, R)``, True where some
    seed's final training loss differs by more than a relative ``tol`` from ``perturbed_loss``
    (the same settings and seeds rerun with ``run_study(..., perturb=1e-13)``), or diverged in
    one run but not the other. A chaotic setting's printed numbers depend on the floating point
    (the CPU, the library versions), so verdicts must not rest on them.

    Example:
        >>> chaotic(np.array([[1.0, 2.0], [1.0, 2.0]]), np.array([[1.0, 2.0], [1.5, 2.0]]))
        array([False,  True])
    """
    tol = float(check.positive("tol", check.as_finite_array("tol", tol, ndim=(0,))))
    a = check.results("final_loss", final_loss, ndim=(2,))
    b = check.results("perturbed_loss", perturbed_loss, ndim=(2,))
    if a.shape != b.shape:
        raise ValueError(
            f"perturbed_loss must have the shape of final_loss {a.shape}, got {b.shape}"
        )
    with np.errstate(invalid="ignore"):
        moved = np.abs(a - b) > tol * np.abs(a)
    return np.any(moved | (np.isnan(a) != np.isnan(b)), axis=1)


def paired_difference(values: np.ndarray, baseline: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error over seeds of ``values[s] - values[baseline]`` (seed by seed),
    for every setting s; ``values`` is ``(S, R)``. NaN where a network diverged."""
    values = check.results("values", values, ndim=(2,))
    baseline = check.integer("baseline", baseline, low=0, high=values.shape[0] - 1)
    diff = values - values[baseline]
    n = diff.shape[1]
    mean = diff.mean(axis=1)
    se = diff.std(axis=1, ddof=1) / np.sqrt(n) if n > 1 else np.full(len(diff), np.nan)
    return mean, se


def inner_loop_accuracy(
    net,
    X_test: np.ndarray,
    y_test: np.ndarray,
    inner_name: str,
    lr: float,
    k: int,
    alpha: float,
    seeds: Sequence[int],
    steps: int,
    batch_size: int,
    scheme: str = "random_reshuffling",
    w0: np.ndarray | None = None,
) -> Trajectory:
    r"""Test accuracy of Lookahead's fast and slow weights after every inner step, one network
    per seed (its own initial weights and minibatches), trained in one vectorized loop.

    This is the picture of the paper's fast-vs-slow figure that the write-up shows: within an
    inner loop the fast weights move away from the slow ones, and at each synchronization the
    slow weights jump to :math:`\phi + \alpha(\theta_{t,k} - \phi)`. Only the test accuracy is
    evaluated (no full training loss), so logging every step stays cheap.

    ``fast[:, t k + i]`` is the accuracy of :math:`\theta_{t,i}` for i = 1..k: at a
    synchronization step (a multiple of k) it is the fast weights' *end point*
    :math:`\theta_{t,k}`, taken before the slow update (the optimizer then restarts the fast
    weights at the new slow weights, whose accuracy is ``slow`` at that step). It is computed
    by the wrapped inner optimizer's own step, so it is exactly what Lookahead interpolates.

    ``w0`` (``(S, d)``, e.g. weights already trained) is the start; default ``net.init(seeds)``.

    Returns:
        ``fast``, ``slow``: arrays ``(S, steps + 1)`` of accuracies (step 0 is the start, where
        both are the start's); the slow weights change only at steps k, 2k, ...; as a
        :class:`helpers.divergence.Trajectory` whose ``diverged`` / ``diverged_at`` (per seed)
        mark networks whose weights left the float range or blew up
        (:class:`helpers.divergence.Watch`): they stop there, their later accuracies are NaN.
    """
    _network("net", net)
    _labelled(net, X_test, y_test, ("X_test", "y_test"))
    check.one_of("inner_name", inner_name, tuple(INNER_OPTIMIZERS))
    lr = check.number("lr", lr, above=0)
    alpha = float(check.fraction("alpha", check.as_finite_array("alpha", alpha, ndim=(0,))))
    seeds = check.seeds("seeds", seeds, distinct=False)
    check.one_of("scheme", scheme, SCHEMES)
    steps = check.integer("steps", steps, low=1)
    k = check.integer("k", k, low=1)
    batch_size = check.integer("batch_size", batch_size, low=1, high=net.n_samples)
    inner = inner_optimizer(inner_name, lr)
    opt = lookahead(inner, k=k, alpha=alpha)
    schedule = batch_indices_per_seed(net.n_samples, batch_size, steps, scheme, seeds)
    w = net.init(list(seeds)) if w0 is None else check.points("w0", w0, net.d)
    if w.shape[0] != len(seeds):
        raise ValueError(f"w0 must have one row per seed ({len(seeds)}), got {w.shape}")
    state = opt.init(w)
    fast = np.empty((len(seeds), steps + 1))
    slow = np.empty_like(fast)
    fast[:, 0] = slow[:, 0] = net.accuracy(w, X_test, y_test)
    watch = Watch(w)
    with np.errstate(all="ignore"):
        for t in range(steps):
            grad = net.grad(w, schedule[:, t])
            if (t + 1) % k == 0:  # theta_{t,k}: the inner step Lookahead is about to interpolate
                fast[:, t + 1] = net.accuracy(inner.step(w, grad, state.inner)[0], X_test, y_test)
            w_new, state_new = opt.step(w, grad, state)
            alive = watch.update(t + 1, params=np.hstack([w_new, state_new.slow]))
            if not alive.all():  # stopped networks stay at their last finite weights
                keep = alive[:, None]
                w_new = np.where(keep, w_new, w)
                state_new = _map_rows(keep, state_new, state)
            w, state = w_new, state_new
            if (t + 1) % k:
                fast[:, t + 1] = net.accuracy(w, X_test, y_test)
                slow[:, t + 1] = slow[:, t]  # phi moves at synchronizations only
            else:
                slow[:, t + 1] = net.accuracy(state.slow, X_test, y_test)
    dead = watch.diverged_at
    later = np.arange(steps + 1)[None, :] >= np.where(dead >= 0, dead, steps + 1)[:, None]
    fast[later], slow[later] = np.nan, np.nan
    return Trajectory((fast, slow), dead, steps)


def _map_rows(keep: np.ndarray, new, old):
    """Optimizer state: rows where ``keep`` from ``new``, the others from ``old`` (leaf by leaf;
    counters and None come from ``new``)."""
    if isinstance(new, tuple):
        mapped = [_map_rows(keep, a, b) for a, b in zip(new, old, strict=True)]
        return type(new)(*mapped) if hasattr(new, "_fields") else tuple(mapped)
    if isinstance(new, np.ndarray) and new.ndim == 2 and new.shape[0] == keep.shape[0]:
        return np.where(keep, new, old)
    return new


def validation_split(
    X: np.ndarray, y: np.ndarray, n_validation: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hold ``n_validation`` of the training images out for choosing hyperparameters, stratified
    by class (every class keeps its share) and seeded, so that the test set judges only.

    Returns ``X_fit, y_fit, X_val, y_val``.

    Example:
        >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0, 1] * 5)
        >>> [part.shape[0] for part in validation_split(X, y, 4)]
        [6, 6, 4, 4]
    """
    X = check.as_finite_array("X", X, ndim=(2,))
    if X.shape[1] == 0:
        raise ValueError(f"X must have at least one column, got shape {X.shape}")
    y = np.asarray(y) if isinstance(y, np.ndarray | list | tuple) else np.asarray(None)
    if y.dtype == bool or not np.issubdtype(y.dtype, np.integer) or y.shape != (X.shape[0],):
        raise ValueError(f"y must be {X.shape[0]} integer class labels, one per row of X")
    n_classes = len(np.unique(y))
    n_validation = check.integer(
        "n_validation", n_validation, low=n_classes, high=X.shape[0] - n_classes
    )
    seed = check.integer("seed", seed, low=0)
    from sklearn.model_selection import train_test_split  # imported once the call is valid

    X_fit, X_val, y_fit, y_val = train_test_split(
        X, y, test_size=n_validation, stratify=y, random_state=seed
    )
    return X_fit, y_fit, X_val, y_val


def best_setting(values: np.ndarray, rows: Sequence[int], exclude: np.ndarray | None = None) -> int:
    """The row of ``values`` ``(S, R)`` among ``rows`` with the highest mean over seeds (e.g.
    validation accuracy), skipping rows marked in ``exclude`` (chaotic) and rows with a NaN
    (a diverged seed). Raises ValueError if no row is left.

    Example:
        >>> best_setting(np.array([[0.9, 0.9], [0.95, 0.93], [0.99, np.nan]]), [0, 1, 2])
        1
    """
    values = check.results("values", values, ndim=(2,))
    if isinstance(rows, str | bytes | dict) or not hasattr(rows, "__len__") or len(rows) == 0:
        raise TypeError(f"rows must be a non-empty sequence of row numbers, got {rows!r:.80}")
    rows = [check.integer("rows", r, low=0, high=values.shape[0] - 1) for r in rows]
    if len(set(rows)) != len(rows):
        raise ValueError(f"rows must be distinct row numbers, got {rows}")
    skip = np.zeros(values.shape[0], bool) if exclude is None else check.boolean("exclude", exclude)
    if skip.shape != (values.shape[0],):
        raise ValueError(f"exclude must have shape ({values.shape[0]},), got {skip.shape}")
    left = [r for r in rows if not skip[r] and np.all(np.isfinite(values[r]))]
    if not left:
        raise ValueError("no row left to choose from (all excluded or diverged)")
    return max(left, key=lambda r: float(values[r].mean()))


def amplification(final_loss: np.ndarray, perturbed_loss: np.ndarray, perturb: float) -> np.ndarray:
    r"""How much a relative perturbation ``perturb`` of the initial weights is amplified by
    training, per setting: :math:`\max_\text{seeds} |L' - L| / |L| / \text{perturb}` for final
    losses ``(S, R)`` L and L' (``perturbed_loss``). About 1 or less: the setting forgets the
    perturbation; :math:`10^{11}` for ``perturb = 1e-13`` means a 1% change, chaos
    (:func:`chaotic`). inf where only one of the two runs diverged, NaN where both did.

    Example:
        >>> amplification(np.array([[1.0, 2.0]]), np.array([[1.0, 2.0 + 2e-10]]), 1e-13).round()
        array([1000.])
    """
    perturb = float(check.positive("perturb", check.as_finite_array("perturb", perturb, ndim=(0,))))
    a = check.results("final_loss", final_loss, ndim=(2,))
    b = check.results("perturbed_loss", perturbed_loss, ndim=(2,))
    if a.shape != b.shape:
        raise ValueError(
            f"perturbed_loss must have the shape of final_loss {a.shape}, got {b.shape}"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.abs(a - b) / np.abs(a) / perturb
    rel = np.where(np.isnan(a) != np.isnan(b), np.inf, rel)
    both = np.all(np.isnan(a) & np.isnan(b), axis=1)
    out = np.nanmax(np.where(np.isnan(rel), -np.inf, rel), axis=1)
    return np.where(both, np.nan, out)


def sweep_table(
    result: StudyResult,
    accuracy: np.ndarray,
    test_loss: np.ndarray,
    baseline: int = 0,
    chaotic: np.ndarray | None = None,
    validation: np.ndarray | None = None,
) -> str:
    """Text table, one row per setting: final training loss (median over seeds, robust to the
    odd chaotic seed), the mean validation accuracy (``validation`` ``(S, R)``, if given: what
    a best learning rate is chosen by), test accuracy (mean ± sd over seeds), mean test loss,
    and the paired difference of test accuracy to the ``baseline`` setting in points (mean ±
    standard error over seeds). A setting with a diverged seed prints ``diverged (n/S seeds)``,
    one marked in ``chaotic`` (see :func:`chaotic`) prints ``chaotic`` instead of numbers.
    Every ± says what it is."""
    check.instance("result", result, StudyResult, "a StudyResult of run_study")
    shape = result.diverged.shape
    acc = 100 * check.results("accuracy", accuracy, ndim=(2,))
    test_loss = check.results("test_loss", test_loss, ndim=(2,))
    for name, value in (("accuracy", acc), ("test_loss", test_loss)):
        if value.shape != shape:
            raise ValueError(f"{name} must have shape {shape} (settings, seeds), got {value.shape}")
    baseline = check.integer("baseline", baseline, low=0, high=shape[0] - 1)
    if chaotic is not None:
        chaotic = check.boolean("chaotic", chaotic)
        if chaotic.shape != (shape[0],):
            raise ValueError(f"chaotic must have shape ({shape[0]},), got {chaotic.shape}")
    if validation is not None:
        validation = check.results("validation", validation, ndim=(2,))
        if validation.shape != shape:
            raise ValueError(f"validation must have shape {shape}, got {validation.shape}")
    n_seeds = acc.shape[1]
    diff, se = paired_difference(acc, baseline)
    labels = result.labels
    width = max(len(label) for label in labels) + 1
    val = None if validation is None else 100 * np.asarray(validation, dtype=float)
    head = f"{'setting':<{width}}{'train loss':>11}" + (
        f"{'val acc':>8}" if val is not None else ""
    )
    head += f"{'test acc % ± sd':>16}{'test loss':>10}{'vs base ± se':>14}"
    sub = f"{'':<{width}}{'(median)':>11}" + (f"{'(%)':>8}" if val is not None else "")
    lines = [head, sub + f"{'':>26}{'(points)':>14}"]
    for s, label in enumerate(labels):
        n_div = int(result.diverged[s].sum())
        if n_div:
            lines.append(f"{label:<{width}}{f'diverged ({n_div}/{n_seeds} seeds)':>28}")
            continue
        if chaotic is not None and chaotic[s]:
            lines.append(f"{label:<{width}}{'chaotic (1e-13 moves its final loss > 1%)':>45}")
            continue
        vs = "(baseline)" if s == baseline else f"{diff[s]:+.2f} ± {se[s]:.2f}"
        row = f"{label:<{width}}{np.median(result.final_loss[s]):>11.4f}"
        if val is not None:
            row += f"{val[s].mean():>8.2f}"
        lines.append(
            row + f"{f'{acc[s].mean():.2f} ± {acc[s].std(ddof=1):.2f}':>16}"
            f"{test_loss[s].mean():>10.4f}{vs:>14}"
        )
    lines.append(f"(± over the {n_seeds} seeds: sd = standard deviation of one run,")
    lines.append(" se = standard error of the paired mean difference to the baseline row)")
    return "\n".join(lines)


def claims_with_legend(claims: Sequence, prefix: str = "C", width: int = 100) -> str:
    """Verdicts as :func:`helpers.claims.claims_table` under short ids (``C1``, ``C2``, ...),
    each id's full claim printed above the table: a verdict table over many seeds keeps its
    per-seed column and its paired difference within ``width`` characters a line.

    When the per-seed column would not fit (many seeds), the table is printed compactly
    instead: the verdict, the seeds at which the claim held in every case (``21/30``), the
    cases held over all seeds (``148/240``) and the paired difference ± standard error; the
    verdicts are the same :class:`helpers.claims.Claim` verdicts.
    """
    if not isinstance(claims, list | tuple):
        raise TypeError(f"claims must be a non-empty list of Claim, got {claims!r:.80}")
    if not claims or not all(isinstance(c, Claim) for c in claims):
        raise ValueError("claims must be a non-empty sequence of Claim")
    check.text("prefix", prefix)
    width = check.integer("width", width, low=60)
    legend = [f"{prefix}{i}: {c.text}" for i, c in enumerate(claims, start=1)]
    short = [replace(c, text=f"{prefix}{i}") for i, c in enumerate(claims, start=1)]
    table = claims_table(short, width=width)
    fits = all(
        c.per_seed in line and (not c.difference_text or c.difference_text in line)
        for c, line in zip(short, table.splitlines()[1:], strict=True)
    )
    if fits:
        return "\n".join(legend) + "\n" + table
    id_w = max(len("claim"), *(len(c.text) for c in short))
    verdict_w = max(len(c.verdict) for c in short)
    head = f"{'claim':<{id_w}}  {'verdict':<{verdict_w}}  {'all cases at':>12}  {'cases held':>11}"
    lines = [head + "  difference ± se"]
    for c in short:
        seeds = f"{c.seeds_holding}/{len(c.seeds)} seeds" if c.seeds else ""
        line = f"{c.text:<{id_w}}  {c.verdict:<{verdict_w}}  {seeds:>12}  {c.held:>5}/{c.cases:<5}"
        lines.append((line + "  " + c.difference_text).rstrip()[:width])
    return "\n".join(legend) + "\n" + "\n".join(lines)
