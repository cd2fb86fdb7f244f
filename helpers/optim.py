r"""Optimizers as pure ``(init, step)`` pairs, in the style of optax.

``state = opt.init(params)`` builds the optimizer state; ``params, state = opt.step(params, grad,
state)`` returns *new* arrays and never mutates its inputs.

Hyperparameters may be numpy arrays that broadcast against ``params``: with params of shape
``(C, d)`` and ``lr``/``momentum`` of shape ``(C, 1)`` one call advances C configurations at once.

Conventions (PyTorch's, dampening 0):

* SGD with momentum :math:`\beta`:  :math:`v \leftarrow \beta v + g,\; p \leftarrow p - \eta v`,
  with :math:`v_0 = 0`, so the first step uses :math:`v = g`.
* Nesterov:  :math:`v \leftarrow \beta v + g,\; p \leftarrow p - \eta (g + \beta v)`.
  This is Sutskever et al.'s "gradient at the look-ahead point" after the change of variables
  :math:`p = \tilde p - \eta\beta v` (see notebook 4).
* Adam: :math:`m \leftarrow b_1 m + (1-b_1) g`, :math:`s \leftarrow b_2 s + (1-b_2) g^2`,
  :math:`p \leftarrow p - \eta\, \hat m / (\sqrt{\hat s} + \epsilon)` with the bias corrections
  :math:`\hat m = m/(1-b_1^t)`, :math:`\hat s = s/(1-b_2^t)` (eps outside the square root).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = ["AdamState", "Optimizer", "SGDState", "adam", "sgd"]


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


def _check_grad(params: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    params = np.asarray(params, dtype=float)
    grad = np.asarray(grad, dtype=float)
    if grad.shape != params.shape:
        raise ValueError(f"grad must have the shape of params {params.shape}, got {grad.shape}")
    return params, grad


def _check_broadcast(name: str, hyper: np.ndarray, params: np.ndarray) -> None:
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
        params = np.asarray(params, dtype=float)
        for name, hyper in (("lr", lr), ("momentum", momentum), ("nesterov", nesterov_arr)):
            _check_broadcast(name, hyper, params)
        return SGDState(velocity=np.zeros_like(params))

    def step(params: np.ndarray, grad: np.ndarray, state: SGDState):
        params, grad = _check_grad(params, grad)
        velocity = momentum * state.velocity + grad
        if all_nesterov:
            direction = grad + momentum * velocity
        elif any_nesterov:
            direction = np.where(nesterov_arr, grad + momentum * velocity, velocity)
        else:
            direction = velocity
        return params - lr * direction, SGDState(velocity=velocity)

    return Optimizer(init, step)


def adam(
    lr: ArrayLike = 1e-3, b1: ArrayLike = 0.9, b2: ArrayLike = 0.999, eps: ArrayLike = 1e-8
) -> Optimizer:
    r"""Adam (Kingma and Ba 2015), PyTorch's convention.

    :math:`m \leftarrow b_1 m + (1-b_1) g`, :math:`s \leftarrow b_2 s + (1-b_2) g^2`,
    :math:`p \leftarrow p - \eta\, \frac{m/(1-b_1^t)}{\sqrt{s/(1-b_2^t)} + \epsilon}`.

    Args:
        lr: :math:`\eta > 0`; b1, b2: in [0, 1); eps: > 0. Each may be an array broadcasting
            against params.
    """
    lr = check.positive("lr", lr)
    b1 = check.in_unit_interval("b1", b1)
    b2 = check.in_unit_interval("b2", b2)
    eps = check.positive("eps", eps)

    def init(params: np.ndarray) -> AdamState:
        params = np.asarray(params, dtype=float)
        for name, hyper in (("lr", lr), ("b1", b1), ("b2", b2), ("eps", eps)):
            _check_broadcast(name, hyper, params)
        return AdamState(m=np.zeros_like(params), s=np.zeros_like(params), count=0)

    def step(params: np.ndarray, grad: np.ndarray, state: AdamState):
        params, grad = _check_grad(params, grad)
        count = state.count + 1
        m = b1 * state.m + (1 - b1) * grad
        s = b2 * state.s + (1 - b2) * grad * grad
        m_hat = m / (1 - b1**count)
        s_hat = s / (1 - b2**count)
        return params - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(m=m, s=s, count=count)

    return Optimizer(init, step)
