"""Bad arguments raise ValueError whose message starts with the offending parameter's name."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import _validate
from helpers.optim import adam, sgd
from helpers.problems import LogisticRegression, Quadratic
from helpers.sampling import SCHEMES, batch_indices
from helpers.train import run

few = settings(max_examples=50, deadline=None, derandomize=True)

not_positive = st.floats(max_value=0.0) | st.sampled_from([np.nan, np.inf])
outside_unit = (
    st.floats(max_value=0.0, exclude_max=True)
    | st.floats(min_value=1.0)
    | st.sampled_from([np.nan, -np.inf, np.inf])
)
not_bool = (
    st.integers()
    | st.floats()
    | st.text()
    | st.none()
    | st.lists(st.integers(0, 1), min_size=1, max_size=3)
)
not_int = (
    st.floats()
    | st.text()
    | st.none()
    | st.booleans()
    | st.sampled_from([np.float64(3.0), np.array([2]), "3"])
)


def raises(name):
    return pytest.raises(ValueError, match=rf"^{re.escape(name)}\b")


RNG = np.random.default_rng(0)
X = RNG.standard_normal((6, 3))
Y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
LOGREG = LogisticRegression(X, Y)
QUAD = Quadratic(np.diag([1.0, 2.0, 3.0]), np.ones(3))


# --- optimizers ---------------------------------------------------------------------------------


@few
@given(not_positive)
def test_sgd_lr(lr):
    with raises("lr"):
        sgd(lr=lr)


@few
@given(not_positive)
def test_batched_lr_with_one_bad_entry(lr):
    with raises("lr"):
        sgd(lr=np.array([[0.1], [lr], [0.2]]))


@few
@given(outside_unit)
def test_sgd_momentum(momentum):
    with raises("momentum"):
        sgd(lr=0.1, momentum=momentum)


def test_nesterov_requires_momentum():
    with raises("nesterov"):
        sgd(lr=0.1, momentum=0.0, nesterov=True)
    with raises("nesterov"):
        sgd(lr=0.1, momentum=np.array([[0.5], [0.0]]), nesterov=np.array([[True], [True]]))
    # Nesterov off where momentum is 0 is fine.
    sgd(lr=0.1, momentum=np.array([[0.0], [0.5]]), nesterov=np.array([[False], [True]]))


@few
@given(not_bool)
def test_nesterov_must_be_bool(nesterov):
    with raises("nesterov"):
        sgd(lr=0.1, momentum=0.5, nesterov=nesterov)


@few
@given(not_positive)
def test_adam_lr(lr):
    with raises("lr"):
        adam(lr=lr)


@few
@given(st.sampled_from(["b1", "b2"]), outside_unit)
def test_adam_betas(name, value):
    with raises(name):
        adam(**{name: value})


@few
@given(not_positive)
def test_adam_eps(eps):
    with raises("eps"):
        adam(eps=eps)


# --- problems -----------------------------------------------------------------------------------

wrong_w_shape = st.sampled_from([(), (2,), (4,), (1, 2), (5, 4), (3, 1), (2, 2, 3), (0,)])


@few
@given(st.sampled_from([LOGREG, QUAD]), wrong_w_shape, st.sampled_from(["loss", "grad", "hessian"]))
def test_problem_rejects_wrong_w_shape(problem, shape, method):
    with raises("w"):
        getattr(problem, method)(np.zeros(shape))


@few
@given(st.sampled_from([LOGREG, QUAD]), wrong_w_shape)
def test_hvp_rejects_wrong_w_shape(problem, shape):
    with raises("w"):
        problem.hvp(np.zeros(shape), np.zeros(shape))


@pytest.mark.parametrize("problem", [LOGREG, QUAD])
def test_hvp_rejects_wrong_v_shape(problem):
    with raises("v"):
        problem.hvp(np.zeros(3), np.zeros(4))
    with raises("v"):
        problem.hvp(np.zeros((2, 3)), np.zeros(3))


@few
@given(st.integers(0, 5), st.integers(0, 2), st.sampled_from([np.nan, np.inf, -np.inf]))
def test_logreg_rejects_non_finite_X(i, j, bad):
    X_bad = X.copy()
    X_bad[i, j] = bad
    with raises("X"):
        LogisticRegression(X_bad, Y)


@few
@given(st.integers(0, 5), st.sampled_from([np.nan, np.inf, -np.inf]))
def test_logreg_rejects_non_finite_y(i, bad):
    y_bad = Y.copy()
    y_bad[i] = bad
    with raises("y"):
        LogisticRegression(X, y_bad)


@few
@given(
    st.integers(0, 5),
    st.floats(max_value=0.0, exclude_max=True) | st.floats(min_value=1.0, exclude_min=True),
)
def test_logreg_rejects_labels_outside_unit_interval(i, bad):
    y_bad = Y.copy()
    y_bad[i] = bad
    with raises("y"):
        LogisticRegression(X, y_bad)


def test_logreg_rejects_mismatched_shapes():
    with raises("y"):
        LogisticRegression(X, Y[:-1])
    with raises("X"):
        LogisticRegression(X[0], Y[:1])


@few
@given(st.integers(0, 2), st.integers(0, 2), st.floats(1e-6, 10.0))
def test_quadratic_rejects_non_symmetric_A(i, j, delta):
    A = np.eye(3)
    A[i, j] += delta
    if i == j:
        A[(i + 1) % 3, i] += delta
    with raises("A"):
        Quadratic(A, np.ones(3))


@few
@given(st.integers(0, 6).filter(lambda n: n != 3))
def test_quadratic_rejects_mismatched_b(n):
    with raises("b"):
        Quadratic(np.eye(3), np.ones(n))


def test_quadratic_rejects_non_square_or_non_finite_A():
    with raises("A"):
        Quadratic(np.ones((2, 3)), np.ones(2))
    with raises("A"):
        Quadratic(np.array([[1.0, np.nan], [np.nan, 1.0]]), np.ones(2))


# --- sampling -----------------------------------------------------------------------------------


@few
@given(st.text().filter(lambda s: s not in SCHEMES))
def test_unknown_scheme(scheme):
    with raises("scheme"):
        batch_indices(10, 2, 3, scheme=scheme)


@few
@given(st.data())
def test_batch_size_out_of_range(data):
    n = data.draw(st.integers(1, 50))
    batch_size = data.draw(st.integers(max_value=0) | st.integers(min_value=n + 1))
    with raises("batch_size"):
        batch_indices(n, batch_size, 3)


@few
@given(st.integers(max_value=0))
def test_n_below_one(n):
    with raises("n"):
        batch_indices(n, 1, 3)


@few
@given(not_int)
def test_n_must_be_an_integer(n):
    with raises("n"):
        batch_indices(n, 1, 3)


@few
@given(st.integers(max_value=-1))
def test_negative_seed(seed):
    with raises("seed"):
        batch_indices(10, 2, 3, seed=seed)


@pytest.mark.parametrize("name", ["n", "batch_size", "steps", "seed"])
@pytest.mark.parametrize("flag", [True, False])
def test_bool_is_not_an_integer(name, flag):
    kwargs = {"n": 10, "batch_size": 1, "steps": 3, "seed": 1, name: flag}
    with raises(name):
        batch_indices(**kwargs)


# --- train.run ----------------------------------------------------------------------------------


@few
@given(st.integers(0, 2), st.sampled_from([np.nan, np.inf, -np.inf]))
def test_run_rejects_non_finite_w0(i, bad):
    w0 = np.zeros(3)
    w0[i] = bad
    with raises("w0"):
        run(QUAD, sgd(0.1), w0, steps=2)


@few
@given(wrong_w_shape)
def test_run_rejects_wrong_w0_shape(shape):
    with raises("w0"):
        run(LOGREG, sgd(0.1), np.zeros(shape), steps=2)


@few
@given(st.integers(max_value=-1) | not_int)
def test_run_rejects_bad_steps(steps):
    with raises("steps"):
        run(QUAD, sgd(0.1), np.zeros(3), steps=steps)


def test_run_rejects_batch_size_for_quadratic():
    with raises("batch_size"):
        run(QUAD, sgd(0.1), np.zeros(3), steps=2, batch_size=1)


@few
@given(st.integers(max_value=0) | st.integers(min_value=7))
def test_run_rejects_bad_batch_size(batch_size):
    with raises("batch_size"):
        run(LOGREG, sgd(0.1), np.zeros(3), steps=2, batch_size=batch_size)


@few
@given(st.floats(max_value=1.0) | st.sampled_from([np.nan, np.inf]))
def test_run_rejects_blowup_not_above_one(blowup):
    with raises("blowup"):
        run(QUAD, sgd(0.1), np.zeros(3), steps=2, blowup=blowup)


@pytest.mark.parametrize("value", [0.0, -0.1, 1.0001, np.nan, [0.5, 0.0]])
def test_fraction_rejects_values_outside_zero_one(value):
    with pytest.raises(ValueError, match=r"^alpha must be"):
        _validate.fraction("alpha", value)


def test_fraction_and_integers_accept_valid_values():
    np.testing.assert_array_equal(_validate.fraction("alpha", [1.0, 0.25]), [1.0, 0.25])
    np.testing.assert_array_equal(_validate.integers("k", np.array([[1], [7]]), low=1), [[1], [7]])


@pytest.mark.parametrize("value", [0, 1.5, True, np.array([2, 0]), "3"])
def test_integers_rejects_non_integers_and_small_values(value):
    with pytest.raises(ValueError, match=r"^k must be"):
        _validate.integers("k", value, low=1)


def test_number_checks_its_bounds():
    assert _validate.number("blowup", 2, above=1) == 2.0
    assert _validate.number("l2", 0.0, at_least=0) == 0.0
    with pytest.raises(ValueError, match=r"^blowup must be finite and > 1, got 1"):
        _validate.number("blowup", 1, above=1)
    with pytest.raises(ValueError, match=r"^l2 must be finite and >= 0, got -0.5"):
        _validate.number("l2", -0.5, at_least=0)
    for bad in (np.nan, [1.0, 2.0], "x"):
        with pytest.raises(ValueError, match=r"^damping"):
            _validate.number("damping", bad, at_least=0)


def test_points_accepts_one_or_a_batch_of_vectors():
    assert _validate.points("w0", [1.0, 2.0], 2).shape == (2,)
    assert _validate.points("w0", np.zeros((3, 2)), 2).shape == (3, 2)
    for bad in (np.zeros(3), np.zeros((2, 2, 2)), [np.inf, 0.0]):
        with pytest.raises(ValueError, match=r"^w0"):
            _validate.points("w0", bad, 2)


# --- the shared checks of helpers._validate (issue 14) ------------------------------------------


@pytest.mark.parametrize("value", ["1.0", b"1", None, True, 1 + 1j, [1, "a"], {}, object()])
def test_real_array_rejects_what_is_not_a_real_number(value):
    with raises("x"):
        _validate.real_array("x", value)


def test_real_array_keeps_reals_and_non_finite_values():
    np.testing.assert_array_equal(_validate.real_array("x", [1, 2.5]), [1.0, 2.5])
    assert np.isnan(_validate.real_array("x", np.nan))
    arr = np.ones(3)
    assert _validate.real_array("x", arr) is arr  # the fast path of the loops: no copy
    with raises("x"):
        _validate.as_finite_array("x", [1.0, np.inf])


def test_number_rejects_one_element_lists_and_bools():
    for value in ([0.1], True, np.array([0.1]), "0.1"):
        with raises("lr"):
            _validate.number("lr", value, above=0)
    assert _validate.number("lr", np.float32(0.5), above=0) == 0.5


def test_flag_text_and_sequences():
    assert _validate.flag("f", np.bool_(True)) is True
    for value in (1, 0, 1.0, "yes", None, [True]):
        with raises("f"):
            _validate.flag("f", value)
    assert _validate.text("t", "") == ""
    with pytest.raises(TypeError, match=r"^t must be a string"):
        _validate.text("t", b"x")
    assert _validate.texts("e", ["a", "b"]) == ("a", "b")
    for value in ("ab", None, [1], {"a": 1}):
        with pytest.raises(TypeError, match=r"^e must be a sequence"):
            _validate.texts("e", value)
    assert _validate.sequence("s", range(3), "integers") == [0, 1, 2]


def test_object_checks_raise_type_errors_naming_the_parameter():
    for value in (None, 3, "x", object()):
        with pytest.raises(TypeError, match=r"^problem must be a problem"):
            _validate.objective("problem", value)
        with pytest.raises(TypeError, match=r"^optimizer must be an Optimizer"):
            _validate.optimizer("optimizer", value)
        with pytest.raises(TypeError, match=r"^fn must be a function"):
            _validate.function("fn", value)
        with pytest.raises(TypeError, match=r"^ax must be a matplotlib Axes"):
            _validate.axes("ax", value)
    assert _validate.objective("problem", QUAD) is QUAD
    assert _validate.optimizer("optimizer", sgd(0.1)) is not None
    assert _validate.function("fn", None, optional=True) is None


def test_parameters_allow_a_diverged_iterate_and_indices_their_range():
    w = _validate.parameters("w", [np.inf, 0.0, 1.0], 3)
    assert np.isinf(w[0])
    for value in ([1.0, 2.0], np.zeros((1, 1, 3)), "abc", [1j, 0, 0]):
        with raises("w"):
            _validate.parameters("w", value, 3)
    np.testing.assert_array_equal(_validate.indices("idx", [0, 0, 5], 6), [0, 0, 5])
    for value in ([], [6], [-1], [0.0], [True], [[0]]):
        with raises("idx"):
            _validate.indices("idx", value, 6)


def test_interval_and_real():
    assert _validate.interval("xlim", (-1, 2)) == (-1.0, 2.0)
    for value in ((1, 1), (2, 1), (0, np.nan), [0], "ab", (0, 1j)):
        with raises("xlim"):
            _validate.interval("xlim", value)
    assert np.isinf(_validate.real("value", np.inf))
    with raises("value"):
        _validate.real("value", [1.0])


def test_problem_methods_are_quiet_at_a_diverged_iterate():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not np.isfinite(QUAD.loss(np.array([np.inf, 0.0, 0.0])))
        assert not np.isfinite(LOGREG.loss(np.array([np.inf, -np.inf, 0.0]))).all()
        # At a finite w an overflow is the right limit, +inf, also without a warning (issue 14).
        big = Quadratic(np.diag([1e300, 1.0, 1.0]), np.ones(3)).loss(np.array([1e300, 0.0, 0.0]))
        assert big == np.inf


def test_elementwise_laws_take_an_empty_array():
    from helpers import sampling

    for law in (sampling.p_any_repeat, sampling.p_at_least_once, sampling.harmonic):
        assert law(np.array([], dtype=int)).shape == (0,)
    assert sampling.poisson_pmf(np.array([], dtype=int)).shape == (0,)
