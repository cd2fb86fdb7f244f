"""The validation contract of every public callable of ``helpers``, as a property-based test engine.

The promise (README, "Reliability"): every public callable validates its arguments and raises
``ValueError`` (or ``TypeError``) whose message names the offending parameter and says what is
allowed ("lr must be finite and > 0, got -1.0"), before it computes anything.

This module does three things; ``tests/test_contract.py`` runs them.

1. :func:`public_api` enumerates the public API from the package itself. The rule:

   * modules: every module of ``helpers`` that :func:`pkgutil.walk_packages` finds, lessons
     included, except those with a component starting with ``_`` (``helpers._validate``);
   * in each module, every name without a leading underscore bound to a function or a class
     *defined in that module* (``obj.__module__`` is the module: re-exports such as
     ``helpers.run`` count once, where they are defined);
   * a function is one callable; a class contributes its constructor (``module.Class``) unless it is
     a ``typing.Protocol`` (a description of an interface, never called) or a ``NamedTuple`` (a
     tuple of fields such as an optimizer state, built once per step in the hot loops; the
     functions receiving one check its type), plus every public function, classmethod,
     staticmethod and property in the class's *own* ``__dict__`` (``module.Class.method``);
     inherited and generated members (dataclass ``__init__``, NamedTuple field accessors) do
     not count twice;
   * a callable whose signature has no parameter left once ``self``/``cls`` is bound (every
     property, ``breast_cancer()``) cannot be given a bad argument: it is enumerated and counted
     but needs no example. Every other one needs an :class:`Example` in one of the registries
     (``tests/library/contract_examples.py``, ``tests/lessons/contract_examples.py``).

2. :class:`Example` is the registry format: a zero-argument factory returning the callable to call
   (a function, a class, or a bound method of a small object built once), a *complete* dict of
   valid keyword arguments (every parameter, defaults included, so that each one can be replaced),
   and optional knowledge: extra bad values per parameter, a value range, a kind, and bad-value
   tags that are in fact valid for a parameter.

3. :func:`bad_calls` generates, for one example, calls that replace *one* valid argument at a time
   by a bad value; :func:`classify` calls one and names the outcome. Bad values come from the
   parameter's kind (inferred from its valid value, its annotation and its name) and from its
   range (from :data:`NAME_RANGES` or the example). Every canonical bad value of each parameter is
   sent once; hypothesis (derandomized, no database, so a rerun makes the same calls) adds
   ``HYPOTHESIS_CALLS`` more per example, drawn from strategies of the same kinds.

Outcomes: ``rejected`` (ValueError/TypeError whose message names the parameter as a word and
says what it "must" be), ``misnamed`` (ValueError/TypeError that does not), ``crash`` (any
other exception, a timeout included), ``warning`` (any warning emitted, whatever happened next)
and ``silent`` (the call returned normally). A generated value that an example declares valid
(its ``accept`` tags, :data:`NAME_ACCEPT`, None where the signature allows it, a one-element
list for an ``ArrayLike``) is still sent: it must return normally without a warning
(``accepted``); anything else is a ``crash`` or a ``warning``.
"""

from __future__ import annotations

import importlib
import inspect
import math
import numbers
import pkgutil
import re
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

import helpers

OUTCOMES = ("rejected", "accepted", "misnamed", "crash", "warning", "silent")
HYPOTHESIS_CALLS = 6
"""Extra hypothesis-drawn bad calls per example (besides every canonical bad value)."""
TIMEOUT = 10.0
"""Seconds a call may take before it counts as a crash: a rejection takes microseconds, and the
slowest valid example about 0.1 s; generous, so that a loaded machine never turns one into a crash."""


# --- 1. the public API ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiItem:
    """One public callable: its dotted name, what it is, and its parameters (self excluded)."""

    name: str
    kind: str  # "function", "constructor", "method" or "property"
    params: tuple[str, ...]


def _modules(package=helpers) -> list[str]:
    names = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def _parameters(fn, *, bound: bool) -> tuple[str, ...]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return ()
    params = [
        p.name
        for p in sig.parameters.values()
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    return tuple(params[1:] if bound and params else params)


def _is_namedtuple(cls) -> bool:
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


def public_api(package=helpers) -> list[ApiItem]:
    """Every public callable of ``package``, by the rule of this module's docstring."""
    items: list[ApiItem] = []
    for modname in _modules(package):
        module = importlib.import_module(modname)
        for name, obj in sorted(vars(module).items()):
            if name.startswith("_") or getattr(obj, "__module__", None) != modname:
                continue
            dotted = f"{modname}.{name}"
            if inspect.isfunction(obj):
                items.append(ApiItem(dotted, "function", _parameters(obj, bound=False)))
            elif inspect.isclass(obj):
                if getattr(obj, "_is_protocol", False):
                    continue
                if not _is_namedtuple(obj):
                    items.append(ApiItem(dotted, "constructor", _parameters(obj, bound=False)))
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(member, property):
                        items.append(ApiItem(f"{dotted}.{attr}", "property", ()))
                    elif isinstance(member, classmethod):
                        params = _parameters(member.__func__, bound=True)
                        items.append(ApiItem(f"{dotted}.{attr}", "method", params))
                    elif isinstance(member, staticmethod):
                        params = _parameters(member.__func__, bound=False)
                        items.append(ApiItem(f"{dotted}.{attr}", "method", params))
                    elif inspect.isfunction(member):
                        params = _parameters(member, bound=True)
                        items.append(ApiItem(f"{dotted}.{attr}", "method", params))
    return items


def target_name(fn) -> str:
    """The dotted name :func:`public_api` gives the callable ``fn`` (a function, a class or a
    bound method)."""
    if inspect.ismethod(fn):
        owner = fn.__self__ if inspect.isclass(fn.__self__) else type(fn.__self__)
        # The class that defines the method, as public_api names it.
        for klass in owner.__mro__:
            if fn.__name__ in vars(klass):
                return f"{klass.__module__}.{klass.__qualname__}.{fn.__name__}"
    return f"{fn.__module__}.{fn.__qualname__}"


# --- 2. the registry format ----------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """What a number must satisfy: ``low <= x`` (``<`` if ``low_open``), ``x <= high`` (``<`` if
    ``high_open``), and an integer if ``integer``. ``bad_values`` are just outside it."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def bad_values(self) -> list[tuple[str, Any]]:
        bad: list[tuple[str, Any]] = []
        if self.low is not None:
            below = self.low if self.low_open else self.low - (1 if self.integer else 1e-3)
            bad.append((f"range:{below:g}", int(below) if self.integer else float(below)))
            if self.low > -1e300:
                bad.append(("range:-1e308", -1e308 if not self.integer else -(2**62)))
        if self.high is not None:
            above = self.high if self.high_open else self.high + (1 if self.integer else 1e-3)
            bad.append((f"range:{above:g}", int(above) if self.integer else float(above)))
        return bad

    def strategy(self) -> st.SearchStrategy | None:
        """Random values outside the range (None if it is unbounded)."""
        parts = []
        if self.low is not None:
            if self.integer:
                parts.append(st.integers(max_value=int(self.low) - (0 if self.low_open else 1)))
            else:
                parts.append(
                    st.floats(max_value=self.low, exclude_max=not self.low_open, allow_nan=False)
                )
        if self.high is not None:
            if self.integer:
                parts.append(st.integers(min_value=int(self.high) + (0 if self.high_open else 1)))
            else:
                parts.append(
                    st.floats(min_value=self.high, exclude_min=not self.high_open, allow_nan=False)
                )
        return st.one_of(*parts) if parts else None


POSITIVE = Range(low=0, low_open=True)
NONNEGATIVE = Range(low=0)
UNIT = Range(low=0, high=1, high_open=True)  # [0, 1): momentum, betas
FRACTION = Range(low=0, high=1, low_open=True)  # (0, 1]: alpha, fractions
PROBABILITY_OPEN = Range(low=0, high=1, low_open=True, high_open=True)
COUNT = Range(low=1, integer=True)  # n, k, d, batch_size, ...
INDEX = Range(low=0, integer=True)  # seeds, steps, indices

NAME_RANGES: dict[str, Range] = {
    "lr": POSITIVE,
    "eps": POSITIVE,
    "sigma": NONNEGATIVE,
    "tol": POSITIVE,
    "cg_tol": POSITIVE,
    "grad_tol": POSITIVE,
    "kappa": Range(low=1),
    "momentum": UNIT,
    "beta": UNIT,
    "b1": UNIT,
    "b2": UNIT,
    "alpha": FRACTION,
    "margin": NONNEGATIVE,
    "damping": NONNEGATIVE,
    "l2": NONNEGATIVE,
    "radius": POSITIVE,
    "blowup": Range(low=1, low_open=True),
    "test_fraction": PROBABILITY_OPEN,
    "level": PROBABILITY_OPEN,
    "seed": INDEX,
    "steps": INDEX,
    "c": INDEX,
    "idx": INDEX,
    "n": COUNT,
    "d": COUNT,
    "k": COUNT,
    "b": COUNT,
    "batch_size": COUNT,
    "num": COUNT,
    "count": COUNT,
    "repeats": COUNT,
    "chains": COUNT,
    "replicates": COUNT,
    "hidden": COUNT,
    "log_every": COUNT,
    "maxiter": COUNT,
    "cg_maxiter": COUNT,
    "outer_steps": COUNT,
    "levels": COUNT,
    "digits": COUNT,
}
"""Value ranges known from a parameter's name alone (an example may override them)."""

NAME_ACCEPT: dict[str, set[str]] = {
    "idx": {"shape"},  # a minibatch of any length, repeats allowed (sampling with replacement)
}
"""Bad-value tags that are valid for a parameter of this name wherever it occurs."""

FREE_TEXT = {"text", "title", "worst", "missing", "prefix", "difference_label", "label"}
"""String parameters whose every string is valid (only non-strings are bad)."""


class Lazy:
    """A valid argument built on first use (``Lazy(factory)``): examples whose argument is costly
    to build (an explorer draws its figure) cost nothing when the test module is only collected,
    as pytest-xdist's other worker does."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._value: Any = None
        self._built = False

    def get(self) -> Any:
        if not self._built:
            self._value, self._built = self._factory(), True
        return self._value


@dataclass(frozen=True)
class Example:
    """One valid call of a public callable, and what the generator should know about it.

    Args:
        call: zero-argument factory returning the callable (e.g. ``lambda: QUAD.loss``).
        kwargs: every parameter's valid value, by name.
        bad: extra bad values per parameter (sent besides the generated ones).
        ranges: per-parameter :class:`Range` (overrides :data:`NAME_RANGES`).
        kinds: per-parameter kind, overriding the inferred one: "number", "integer", "bool",
            "choice", "text", "array", "elementwise" (an array of any shape, empty included:
            the callable works entry by entry), "function", "mapping", "sequence" or "object".
        accept: per-parameter bad-value tags that are in fact valid there (e.g. ``{"ax": {"none"}}``),
            with the reason in a comment next to it.
        fixed: parameters never replaced (their valid value is a structure no bad value could be
            generated for), with the reason in a comment.
    """

    call: Callable[[], Callable]
    kwargs: dict[str, Any]
    bad: dict[str, list[Any]] = field(default_factory=dict)
    ranges: dict[str, Range] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    accept: dict[str, set[str]] = field(default_factory=dict)
    fixed: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        return target_name(self.call())

    def arguments(self) -> dict[str, Any]:
        """``kwargs`` with every :class:`Lazy` argument built (its factory caches it)."""
        return {k: v.get() if isinstance(v, Lazy) else v for k, v in self.kwargs.items()}


# --- 3. bad calls --------------------------------------------------------------------------------


class Junk:
    """An arbitrary object: no attribute, no number, no array."""

    def __repr__(self) -> str:
        return "<Junk>"


def infer_kind(name: str, value: Any, annotation: str) -> str:
    """The kind of a parameter, from its valid value, its annotation and its name."""
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, str):
        return "text" if name in FREE_TEXT else "choice"
    if isinstance(value, numbers.Integral):
        return "integer"
    if isinstance(value, numbers.Real):
        return "number"
    if isinstance(value, np.ndarray):
        return "array"
    if hasattr(value, "_fields"):  # a NamedTuple (an optimizer state)
        return "object"
    if isinstance(value, list | tuple):
        if value and all(
            isinstance(v, numbers.Real | np.ndarray) and not isinstance(v, bool) for v in value
        ):
            return "array"
        return "sequence"
    if isinstance(value, dict):
        return "mapping"
    if value is None:
        if "int" in annotation:
            return "integer"
        if "float" in annotation:
            return "number"
        if "Callable" in annotation:
            return "function"
        if "ndarray" in annotation or "ArrayLike" in annotation:
            return "array"
        return "object"
    if callable(value) and not inspect.isclass(value) and not hasattr(value, "__dict__"):
        return "function"
    if inspect.isfunction(value) or inspect.ismethod(value):
        return "function"
    return "object"


def _scalar_bad(value) -> list[tuple[str, Any]]:
    return [
        ("str", str(value)),
        ("bytes", str(value).encode()),
        ("none", None),
        ("bool", True),
        ("complex", complex(value, 1.0)),
        ("list1", [value]),
        ("dict", {}),
        ("junk", Junk()),
        ("nan", math.nan),
        ("inf", math.inf),
        ("-inf", -math.inf),
    ]


def _array_bad(value) -> list[tuple[str, Any]]:
    if value is None:  # an optional array: only values that are no array of real numbers
        return [("str", "abc"), ("dict", {}), ("junk", Junk()), ("complex", np.array([1j]))]
    arr = np.asarray(value)
    bad: list[tuple[str, Any]] = [
        ("str", "abc"),
        ("none", None),
        ("dict", {}),
        ("junk", Junk()),
        ("dtype-object", np.array([Junk()] * max(arr.size, 1), dtype=object).reshape(arr.shape)),
        ("dtype-str", arr.astype(str)),
        ("ndim+2", arr[None, None]),
        ("empty", arr[..., :0] if arr.ndim else np.zeros(0)),
    ]
    if arr.dtype.kind in "iuf":
        bad.append(("complex", arr + 1j))
        bad.append(("dtype-bool", arr != 0))
    if arr.dtype.kind == "f" and arr.size:
        for tag, x in (("nan", np.nan), ("inf", np.inf)):
            broken = arr.copy()
            broken.flat[0] = x
            bad.append((tag, broken))
    if arr.ndim >= 1:
        last = np.concatenate([arr, arr[..., :1]], axis=-1) if arr.shape[-1] else arr
        bad.append(("shape", last))
    return bad


def canonical_bad(kind: str, value: Any, rng: Range | None) -> list[tuple[str, Any]]:
    """The deterministic bad values of a parameter of ``kind`` whose valid value is ``value``."""
    junk = ("junk", Junk())
    if kind == "number":
        bad = _scalar_bad(1.0 if value is None else value)
    elif kind == "integer":
        base = 1 if value is None else value
        bad = [*_scalar_bad(base), ("float", float(base) + 0.5), ("float-integral", float(base))]
    elif kind == "bool":
        bad = [("int", 1), ("zero", 0), ("float", 1.0), ("str", "yes"), ("none", None)]
        bad += [("list1", [value]), junk]
    elif kind == "choice":
        bad = [("str", "no such choice"), ("bytes", value.encode()), ("int", 3), ("none", None)]
        bad += [("list1", [value]), junk]
    elif kind == "text":
        bad = [("int", 3), ("bytes", value.encode()), ("none", None), ("list1", [value]), junk]
    elif kind in ("array", "elementwise"):
        bad = _array_bad(value)  # for "elementwise", shape, ndim+2, empty are valid
    elif kind == "function":
        bad = [("int", 3), ("str", "f"), ("none", None), junk]
    elif kind == "mapping":
        bad = [("list", []), ("str", "x"), ("none", None), ("int", 3), junk]
    elif kind == "sequence":
        bad = [("str", "x"), ("none", None), ("int", 3), ("empty", []), ("junk-item", [Junk()])]
        bad.append(junk)
    else:  # an object: a problem, an optimizer, a state, an axes, a result, ...
        bad = [("none", None), ("int", 3), ("str", "x"), ("dict", {}), junk]
    if rng is not None and kind in ("number", "integer"):
        bad += rng.bad_values()
    elif rng is not None and kind in ("array", "elementwise") and np.asarray(value).size:
        arr = np.asarray(value)
        for tag, x in rng.bad_values():  # one entry of the valid array out of range
            broken = arr.astype(float if isinstance(x, float) else arr.dtype)
            broken.flat[0] = x
            bad.append((tag, broken))
    return bad


def bad_strategy(
    kind: str,
    value: Any,
    rng: Range | None,
    accepted: set[str] = frozenset(),
    list_valid: bool = False,
) -> st.SearchStrategy:
    """Random bad values of the same kinds as :func:`canonical_bad`'s (none of the ``accepted``
    tags' kinds: "nan"/"inf" accepted drops the non-finite values). ``list_valid``: a
    one-element list is a valid (1,) array here (an array-like parameter), so only lists holding
    a value outside ``rng`` are drawn."""
    parts: list[st.SearchStrategy] = [st.builds(Junk)]
    outside = None if rng is None else rng.strategy()  # numbers just outside the range
    if kind in ("number", "integer"):
        parts += [  # strings, bytes, bools, complex, NaN/inf, one-element lists
            st.text(max_size=4),
            st.binary(max_size=4),
            st.booleans(),
            st.complex_numbers(allow_nan=False).filter(lambda z: z.imag != 0),
        ]
        if not list_valid:
            parts.append(st.lists(st.floats(-10, 10), min_size=1, max_size=1))
        elif outside is not None:
            parts.append(st.lists(outside, min_size=1, max_size=1))
        # the non-finite values whose tags are not accepted (a formatter prints nan and inf)
        tags = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
        non_finite = [x for tag, x in tags.items() if tag not in accepted]
        if non_finite:
            parts.append(st.sampled_from(non_finite))
        if kind == "integer":
            parts.append(st.floats(-1e6, 1e6).filter(lambda x: x != int(x)))
    elif kind in ("array", "elementwise"):
        arr = np.asarray(value)
        if arr.dtype.kind == "f" and arr.size and not {"nan", "inf"} & accepted:

            def poison(args):
                i, x = args
                broken = arr.copy()
                broken.flat[i % arr.size] = x
                return broken

            parts.append(
                st.tuples(st.integers(0, 10**6), st.sampled_from([np.nan, np.inf, -np.inf])).map(
                    poison
                )
            )
        parts.append(st.text(max_size=4))
    elif kind in ("choice", "text", "bool", "function", "mapping", "sequence", "object"):
        parts += [st.integers(-5, 5), st.none()]
        if kind not in ("choice", "text"):
            parts.append(st.text(max_size=4))
    if outside is not None and kind in ("number", "integer"):
        parts.append(outside)
    return st.one_of(*parts)


def _annotation(fn, name: str) -> tuple[str, Any]:
    try:
        p = inspect.signature(fn).parameters[name]
    except (TypeError, ValueError, KeyError):
        return "", inspect.Parameter.empty
    ann = p.annotation
    ann = "" if ann is inspect.Parameter.empty else (ann if isinstance(ann, str) else repr(ann))
    return ann, p.default


def _none_allowed(annotation: str, default: Any) -> bool:
    return default is None or re.search(r"\bNone\b", annotation) is not None


@dataclass(frozen=True)
class BadCall:
    """One generated call: the example, the replaced parameter, the bad value and its tag."""

    example: Example
    param: str
    tag: str
    value: Any
    source: str  # "canonical", "extra" or "hypothesis"

    def __str__(self) -> str:
        return f"{self.example.target}({self.param}={self.value!r:.60}) [{self.tag}]"


def parameter_plan(example: Example) -> list[tuple[str, str, Range | None]]:
    """Each replaceable parameter of ``example`` with its kind and range."""
    fn = example.call()
    plan = []
    for name, value in example.arguments().items():
        if name in example.fixed:
            continue
        ann, _ = _annotation(fn, name)
        kind = example.kinds.get(name) or infer_kind(name, value, ann)
        rng = example.ranges.get(name, NAME_RANGES.get(name))
        plan.append((name, kind, rng))
    return plan


ELEMENTWISE_VALID = {"shape", "ndim+2", "empty"}
"""What an "elementwise" parameter takes besides its example: any shape, the empty one included
(a parameter that must be non-empty is an "array" with ``accept`` {"shape", "ndim+2"})."""


def _accepted(example: Example, fn, name: str, tag: str) -> bool:
    if tag in example.accept.get(name, set()) or tag in NAME_ACCEPT.get(name, set()):
        return True
    if tag in ELEMENTWISE_VALID and example.kinds.get(name) == "elementwise":
        return True
    ann, default = _annotation(fn, name)
    if tag == "list1" and "ArrayLike" in ann:
        return True  # an array-like parameter: a one-element list is a (1,) array
    return tag == "none" and _none_allowed(ann, default)


def bad_calls(example: Example) -> Iterator[BadCall]:
    """Every canonical and extra bad call of ``example`` (one argument replaced at a time)."""
    fn = example.call()
    for name, kind, rng in parameter_plan(example):
        for tag, value in canonical_bad(kind, example.arguments()[name], rng):
            source = "accepted" if _accepted(example, fn, name, tag) else "canonical"
            yield BadCall(example, name, tag, value, source)
        for value in example.bad.get(name, []):
            yield BadCall(example, name, "extra", value, "extra")


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout(f"took more than {TIMEOUT} s")


def _copy_arg(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def _names_parameter(message: str, name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message) is not None and (
        "must" in message
    )


@dataclass
class Result:
    call: BadCall
    outcome: str
    detail: str
    seconds: float


def classify(call: BadCall) -> Result:
    """Make one bad call and name its outcome (see the module docstring)."""
    example = call.example
    kwargs = {k: _copy_arg(v) for k, v in example.arguments().items()}
    kwargs[call.param] = call.value
    main = threading.current_thread() is threading.main_thread()
    start = time.perf_counter()
    outcome, detail = "silent", ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if main:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
        try:
            fn = example.call()
            fn(**kwargs)
        except (ValueError, TypeError) as exc:
            message = str(exc)
            if call.source == "accepted":
                outcome, detail = (
                    "crash",
                    f"a value declared valid raised {type(exc).__name__}: {exc}",
                )
            elif _names_parameter(message, call.param):
                outcome, detail = "rejected", message
            else:
                outcome, detail = "misnamed", f"{type(exc).__name__}: {message}"
        except Exception as exc:
            outcome, detail = "crash", f"{type(exc).__name__}: {exc}"
        else:
            if call.source == "accepted":
                outcome = "accepted"
        finally:
            if main:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
    if caught:
        w = caught[0]
        outcome, detail = "warning", f"{w.category.__name__}: {w.message} ({outcome}: {detail})"
    return Result(call, outcome, detail[:300], time.perf_counter() - start)


def valid_call(example: Example) -> str | None:
    """Call ``example`` with its valid arguments: None if it returned without a warning, else
    what went wrong (an example must be valid for its bad calls to mean anything)."""
    kwargs = {k: _copy_arg(v) for k, v in example.arguments().items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            example.call()(**kwargs)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
    if caught:
        return f"{caught[0].category.__name__}: {caught[0].message}"
    return None


def hypothesis_calls(
    example: Example, count: int = HYPOTHESIS_CALLS, seed: int | None = None
) -> list[Result]:
    """``count`` hypothesis-drawn bad calls of ``example``: derandomized (the same every run), or
    drawn from hypothesis seed ``seed`` (``make contract-seeds`` runs several)."""
    plan = parameter_plan(example)
    if not plan:
        return []
    fn = example.call()
    results: list[Result] = []

    @settings(
        max_examples=count,
        derandomize=seed is None,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[__import__("hypothesis").Phase.generate],
    )
    @given(st.data())
    def draw(data):
        name, kind, rng = data.draw(st.sampled_from(plan), label="parameter")
        accepted = example.accept.get(name, set()) | NAME_ACCEPT.get(name, set())
        list_valid = _accepted(example, fn, name, "list1")
        strategy = bad_strategy(kind, example.arguments()[name], rng, accepted, list_valid)
        value = data.draw(strategy, label=name)
        if value is None and _accepted(example, fn, name, "none"):
            return
        if isinstance(value, bool) and _accepted(example, fn, name, "bool"):
            return
        results.append(classify(BadCall(example, name, "hypothesis", value, "hypothesis")))

    (draw if seed is None else hypothesis_seed(seed)(draw))()
    return results


def run_contract(examples: list[Example]) -> list[Result]:
    """Every bad call of every example, classified."""
    results: list[Result] = []
    for example in examples:
        results += [classify(call) for call in bad_calls(example)]
        results += hypothesis_calls(example)
    return results


def summary(results: list[Result]) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for r in results:
        counts[r.outcome] += 1
    return counts
