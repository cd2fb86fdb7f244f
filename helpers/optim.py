r"""Optimizers as pure ``(init, step)`` pairs, in the style of optax.

``state = opt.init(params)`` builds the optimizer state; ``params, state = opt.step(params, grad,
state)`` returns *new* arrays and never mutates its inputs.

Hyperparameters may be numpy arrays that broadcast against ``params``: with params of shape
``(C, d)`` and ``lr``/``momentum`` of shape ``(C, 1)`` one call advances C configurations at once.
With batched params (C > 1 rows) a 1-D hyperparameter array of length > 1 is rejected as ambiguous (per
configuration or per coordinate?): give it shape ``(C, 1)`` or ``(1, d)``.

Conventions (PyTorch's, dampening 0):

* SGD with momentum :math:`\beta`:  :math:`v \leftarrow \beta v + g,\; p \leftarrow p - \eta v`,
  with :math:`v_0 = 0`, so the first step uses :math:`v = g`.
* Nesterov:  :math:`v \leftarrow \beta v + g,\; p \leftarrow p - \eta (g + \beta v)`.
  This is Sutskever et al.'s "gradient at the look-ahead point" after the change of variables
  :math:`p = \tilde p - \eta\beta v` (see notebook 4).
* Adam: :math:`m \leftarrow b_1 m + (1-b_1) g`, :math:`s \leftarrow b_2 s + (1-b_2) g^2`,
  :math:`p \leftarrow p - \eta\, \hat m / (\sqrt{\hat s} + \epsilon)` with the bias corrections
  :math:`\hat m = m/(1-b_1^t)`, :math:`\hat s = s/(1-b_2^t)` (eps outside the square root).
* Lookahead (Zhang, Lucas, Hinton, Ba 2019) wraps any of them: k inner steps on the fast weights,
  then the slow weights move a fraction alpha towards them and the fast weights restart there.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = [
    "INNER_STATE_MODES",
    "AdamState",
    "LookaheadState",
    "Optimizer",
    "SGDState",
    "adam",
    "lookahead",
    "sgd",
    "state_nbytes",
]


class Optimizer(NamedTuple):
    """A pure optimizer: ``init(params) -> state`` and ``step(params, grad, state) -> (params, state)``."""

    init: Callable[[np.ndarray], Any]
    step: Callable[[np.ndarray, np.ndarray, Any], tuple[np.ndarray, Any]]


class SGDState(NamedTuple):
    """Momentum buffer ``velocity`` (zeros when momentum is 0)."""

    velocity: np.ndarray


class AdamState(NamedTuple):
    """First and second moment estimates and the number of steps taken."""

    m: np.ndarray
    s: np.ndarray
    count: int


def _check_start(params) -> np.ndarray:
    """Finite params of shape (d,) or (C, d), d >= 1: where an optimizer starts."""
    params = _check_params(params)
    if not np.isfinite(params).all():
        raise ValueError("params must be finite (no NaN or inf) where an optimizer starts")
    return params


def _check_params(params) -> np.ndarray:
    """Real params of shape (d,) or (C, d), d >= 1 (NaN/inf allowed: a diverged iterate)."""
    params = check.real_array("params", params)
    if params.ndim not in (1, 2) or params.size == 0:
        raise ValueError(f"params must have shape (d,) or (C, d), d >= 1, got {params.shape}")
    return params


def _check_grad(params: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    params = _check_params(params)
    grad = check.real_array("grad", grad)
    if grad.shape != params.shape:
        raise ValueError(f"grad must have the shape of params {params.shape}, got {grad.shape}")
    return params, grad


def _check_state(state, kind: type, params: np.ndarray):
    """``state`` must be a ``kind`` (what this optimizer's ``init`` returned) for ``params``."""
    check.instance("state", state, kind, f"a {kind.__name__} (from this optimizer's init)")
    for name, leaf in zip(state._fields, state, strict=True):
        if isinstance(leaf, np.ndarray) and leaf.dtype.kind == "f" and leaf.shape != params.shape:
            raise ValueError(
                f"state must be the state of params of shape {params.shape}, got {name} of shape "
                f"{leaf.shape}"
            )
    return state


def _quiet(*arrays: np.ndarray):
    """No floating-point warnings in a step: a non-finite input (a diverged iterate, an overflowed
    gradient) or an overflow gives a non-finite result, which the training loops detect and
    report as divergence. (Unconditional: scanning the inputs first cost more than the step.)"""
    return np.errstate(all="ignore")


def _check_broadcast(name: str, hyper: np.ndarray, params: np.ndarray) -> None:
    """``hyper`` must broadcast against ``params``. With batched params ``(C, d)``, C > 1, a 1-D
    hyperparameter of length > 1 is rejected: numpy would apply it per coordinate, which reads
    as one value per configuration when C == d. Use ``(C, 1)`` for one value per configuration,
    ``(1, d)`` for one per coordinate."""
    if params.ndim == 2 and params.shape[0] > 1 and hyper.ndim == 1 and hyper.size > 1:
        C, d = params.shape
        raise ValueError(
            f"{name} of shape {hyper.shape} is ambiguous with batched params of shape "
            f"{params.shape}: pass shape ({C}, 1) for one value per configuration or (1, {d}) "
            "for one per coordinate"
        )
    try:
        shape = np.broadcast_shapes(hyper.shape, params.shape)
    except ValueError:
        shape = None
    if shape != params.shape:
        raise ValueError(
            f"{name} of shape {hyper.shape} must broadcast against params of shape {params.shape}"
        )


def sgd(lr: ArrayLike, momentum: ArrayLike = 0.0, nesterov: ArrayLike = False) -> Optimizer:
    r"""Stochastic gradient descent with optional heavy-ball or Nesterov momentum.

    :math:`v \leftarrow \beta v + g`; plain/heavy ball :math:`p \leftarrow p - \eta v`;
    Nesterov :math:`p \leftarrow p - \eta (g + \beta v)`. ``momentum=0`` is plain SGD.

    Args:
        lr: learning rate :math:`\eta > 0` (number or array broadcasting against params).
        momentum: :math:`\beta \in [0, 1)` (number or array).
        nesterov: bool, or bool array; Nesterov requires ``momentum > 0`` wherever it is True.
    """
    lr = check.positive("lr", lr)
    momentum = check.in_unit_interval("momentum", momentum)
    nesterov_arr = check.boolean("nesterov", nesterov)
    try:
        nesterov_without_momentum = np.any(nesterov_arr & (momentum <= 0))
    except ValueError:
        raise ValueError(
            f"nesterov of shape {nesterov_arr.shape} must broadcast against momentum of shape "
            f"{momentum.shape}"
        ) from None
    if nesterov_without_momentum:
        raise ValueError("nesterov requires momentum > 0 (momentum in (0, 1)) wherever it is True")
    any_nesterov = bool(np.any(nesterov_arr))
    all_nesterov = bool(np.all(nesterov_arr))

    def init(params: np.ndarray) -> SGDState:
        params = _check_start(params)
        for name, hyper in (("lr", lr), ("momentum", momentum), ("nesterov", nesterov_arr)):
            _check_broadcast(name, hyper, params)
        return SGDState(velocity=np.zeros_like(params))

    def step(params: np.ndarray, grad: np.ndarray, state: SGDState):
        params, grad = _check_grad(params, grad)
        _check_state(state, SGDState, params)
        with _quiet(params, grad):
            # show: momentum step
            velocity = momentum * state.velocity + grad
            if all_nesterov:
                direction = grad + momentum * velocity
            elif any_nesterov:
                direction = np.where(nesterov_arr, grad + momentum * velocity, velocity)
            else:
                direction = velocity
            return params - lr * direction, SGDState(velocity=velocity)
            # end show: momentum step

    return Optimizer(init, step)


def adam(
    lr: ArrayLike = 1e-3, b1: ArrayLike = 0.9, b2: ArrayLike = 0.999, eps: ArrayLike = 1e-8
) -> Optimizer:
    r"""Adam (Kingma and Ba 2015), PyTorch's convention.

    :math:`m \leftarrow b_1 m + (1-b_1) g`, :math:`s \leftarrow b_2 s + (1-b_2) g^2`,
    :math:`p \leftarrow p - \eta\, \frac{m/(1-b_1^t)}{\sqrt{s/(1-b_2^t)} + \epsilon}`.

    Where :math:`g^2` exceeds the float range (:math:`|g| > 1.3 \cdot 10^{154}`) the second
    moment is inf and the step cannot be computed in floating point (it would freeze that
    coordinate for good): those coordinates of the returned params are NaN, without a warning,
    so :func:`helpers.train.run` stops such a run and marks it diverged.

    Args:
        lr: :math:`\eta > 0`; b1, b2: in [0, 1); eps: > 0. Each may be an array broadcasting
            against params.
    """
    lr = check.positive("lr", lr)
    b1 = check.in_unit_interval("b1", b1)
    b2 = check.in_unit_interval("b2", b2)
    eps = check.positive("eps", eps)

    def init(params: np.ndarray) -> AdamState:
        params = _check_start(params)
        for name, hyper in (("lr", lr), ("b1", b1), ("b2", b2), ("eps", eps)):
            _check_broadcast(name, hyper, params)
        return AdamState(m=np.zeros_like(params), s=np.zeros_like(params), count=0)

    def step(params: np.ndarray, grad: np.ndarray, state: AdamState):
        params, grad = _check_grad(params, grad)
        _check_state(state, AdamState, params)
        count = state.count + 1
        with _quiet(params, grad):
            m = b1 * state.m + (1 - b1) * grad
            with np.errstate(over="ignore", invalid="ignore"):  # |g| > 1.3e154: see the docstring
                s = b2 * state.s + (1 - b2) * grad * grad
                m_hat = m / (1 - b1**count)
                s_hat = s / (1 - b2**count)
                new = params - lr * m_hat / (np.sqrt(s_hat) + eps)
            if not np.isfinite(
                s
            ).all():  # rare: mark what cannot be computed, never freeze silently
                new = np.where(np.isinf(s), np.nan, new)
            return new, AdamState(m=m, s=s, count=count)

    return Optimizer(init, step)


INNER_STATE_MODES = ("keep", "reset", "pullback")


class LookaheadState(NamedTuple):
    r"""Lookahead's state.

    ``slow``: the slow weights :math:`\phi`; ``inner``: the inner optimizer's state; ``count``:
    inner steps taken so far; ``inner_at_sync``: with ``inner_state="pullback"`` only, the inner
    state left by the last synchronization (what pullback interpolates towards; the initial inner
    state before the first one), else None. So Lookahead's memory beyond the inner optimizer's is
    one copy of the weights (plus one copy of the inner state for pullback).
    """

    slow: np.ndarray
    inner: Any
    count: int
    inner_at_sync: Any


def _map_state(fn, *states):
    """Apply ``fn`` leaf by leaf to inner states (NamedTuples of arrays and step counters)."""
    first = states[0]
    if isinstance(first, tuple):
        mapped = [_map_state(fn, *leaves) for leaves in zip(*states, strict=True)]
        return type(first)(*mapped) if hasattr(first, "_fields") else tuple(mapped)
    return fn(*states)


def _is_counter(leaf) -> bool:
    return np.issubdtype(np.asarray(leaf).dtype, np.integer)


def lookahead(
    inner: Optimizer, k: ArrayLike = 5, alpha: ArrayLike = 0.5, inner_state: str = "keep"
) -> Optimizer:
    r"""Lookahead around any inner optimizer: "k steps forward, 1 step back".

    With slow weights :math:`\phi_0 = \theta_0` (the initial params), outer loop t:

    .. math::
        \theta_{t,0} = \phi_{t}, \qquad
        \theta_{t,i} = \theta_{t,i-1} + \mathrm{inner}(\theta_{t,i-1}, g_{t,i}),
        \; i = 1..k, \qquad
        \phi_{t+1} = \phi_t + \alpha (\theta_{t,k} - \phi_t).

    Unrolled, the slow weights are an exponential moving average of the fast weights at the end
    of each inner loop: :math:`\phi_t = \alpha\sum_{j<t}(1-\alpha)^{t-1-j}\theta_{j,k}
    + (1-\alpha)^t\phi_0`.

    ``step`` is one inner step; on every k-th call it also synchronizes and returns the new slow
    weights as the fast weights (:math:`\theta_{t+1,0} = \phi_{t+1}`). The returned params are
    always where the next gradient is taken; ``state.slow`` holds :math:`\phi`. ``alpha = 1`` gives
    back the inner optimizer exactly (with ``"keep"`` or ``"pullback"``).

    Args:
        inner: any :class:`Optimizer` (its hyperparameters may be ``(C, 1)`` arrays).
        k: synchronization period, an integer >= 1 or an integer array broadcasting against
            params (e.g. ``(C, 1)``, one period per configuration).
        alpha: slow step size in (0, 1], a number or an array broadcasting against params.
        inner_state: what happens to the inner optimizer's state at a synchronization:
            ``"keep"`` (the paper's default: left as it is), ``"reset"`` (re-initialized, as a fresh
            optimizer at the slow weights) or ``"pullback"`` (every non-counter entry, e.g. the
            momentum buffer, interpolated like the weights:
            :math:`v \leftarrow v_{\mathrm{sync}} + \alpha(v - v_{\mathrm{sync}})`, with
            :math:`v_{\mathrm{sync}}` the value after the previous synchronization, as in the
            official PyTorch implementation's ``pullback_momentum``).
    """
    check.optimizer("inner", inner)
    k_arr = check.integers("k", k, low=1)
    alpha = check.fraction("alpha", alpha)
    check.one_of("inner_state", inner_state, INNER_STATE_MODES)

    def init(params: np.ndarray) -> LookaheadState:
        params = _check_start(params)
        _check_broadcast("k", k_arr, params)
        _check_broadcast("alpha", alpha, params)
        inner0 = inner.init(params)
        at_sync = inner0 if inner_state == "pullback" else None
        return LookaheadState(slow=params.copy(), inner=inner0, count=0, inner_at_sync=at_sync)

    def step(params: np.ndarray, grad: np.ndarray, state: LookaheadState):
        params, grad = _check_grad(params, grad)
        _check_state(state, LookaheadState, params)
        with _quiet(params, grad):
            return _lookahead_step(params, grad, state)

    def _lookahead_step(params: np.ndarray, grad: np.ndarray, state: LookaheadState):
        # show: synchronization
        fast, inner_new = inner.step(params, grad, state.inner)
        count = state.count + 1
        sync = count % k_arr == 0
        if not np.any(sync):
            return fast, LookaheadState(state.slow, inner_new, count, state.inner_at_sync)
        # (1 - alpha) * slow + alpha * fast, not slow + alpha * (fast - slow): exact at alpha = 1.
        interpolated = alpha * fast
        interpolated += (1 - alpha) * state.slow  # in place on a fresh array: one temporary less
        if np.all(sync):  # every configuration synchronizes: no masking needed
            # Equal values, two arrays: the returned params never alias state.slow.
            slow, fast = interpolated, interpolated.copy()
        else:
            slow = np.where(sync, interpolated, state.slow)
            fast = np.where(sync, slow, fast)
        # end show: synchronization
        at_sync = None
        if inner_state == "reset":
            fresh = inner.init(fast)
            inner_new = _map_state(lambda new, f: np.where(sync, f, new), inner_new, fresh)
        elif inner_state == "pullback":

            def pull(new, cached):
                if _is_counter(new):
                    return new
                return np.where(sync, (1 - alpha) * cached + alpha * new, new)

            inner_new = _map_state(pull, inner_new, state.inner_at_sync)
            at_sync = _map_state(
                lambda new, old: np.where(sync, new, old), inner_new, state.inner_at_sync
            )
        return fast, LookaheadState(slow, inner_new, count, at_sync)

    return Optimizer(init, step)


def state_nbytes(state: Any) -> int:
    """Bytes held by the arrays of an optimizer state (NamedTuples nested; counters and None
    count 0): what an optimizer costs in memory beyond the weights themselves."""
    if not _is_state(state):
        raise TypeError(
            f"state must be an optimizer state (a NamedTuple of arrays, counters and None, from "
            f"an optimizer's init), got {type(state).__name__}"
        )
    return _nbytes(state)


def _is_state(state) -> bool:
    if isinstance(state, tuple) and hasattr(state, "_fields"):
        return all(
            leaf is None
            or isinstance(leaf, np.ndarray | numbers.Integral)
            or (isinstance(leaf, tuple) and _is_state(leaf))
            for leaf in state
        )
    return False


def _nbytes(state: Any) -> int:
    if state is None:
        return 0
    if isinstance(state, tuple):
        return sum(_nbytes(leaf) for leaf in state)
    if isinstance(state, np.ndarray) and not _is_counter(state):
        return int(state.nbytes)
    return 0
