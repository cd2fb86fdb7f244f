"""The newton lesson's exercise checks (helpers.lessons.newton.exercises): right answers accepted,
wrong ones rejected with a hint, the answer never printed, nonsense input refused."""

import numpy as np

from helpers.lessons.newton import exercises
from tests.exercise_checks import check_exercise_set


def test_the_exercise_checks_accept_the_answer_reject_others_and_never_print_it(capsys):
    check_exercise_set(exercises.EXERCISES, capsys)


def test_the_docstring_example_runs():
    import doctest

    assert doctest.testmod(exercises).failed == 0


# Each expected value against an independent closed form or loop (cheap: < 10 ms each).


def test_damped_steps_match_a_plain_loop_and_f2_stays_positive_along_the_run():
    c = 0.15 * np.pi

    def d1(x):
        return np.cos(c * x) - c * x * np.sin(c * x)

    def d2(x):
        return -2 * c * np.sin(c * x) - c * c * x * np.cos(c * x)

    x, steps = 10.0, 0
    while abs(d1(x)) > 1e-8:
        assert d2(x) > 0  # so "damping shortens every step" holds on this run
        x -= d1(x) / (d2(x) + 1.0)
        steps += 1
        assert steps < 200
    assert exercises.damped_steps() == steps
    assert exercises.undamped_steps() != steps


def test_negative_curvature_is_the_closed_form_eigenvector_of_rosenbrocks_hessian():
    x, y = exercises.ROSENBROCK_POINT
    a, b, d = 2 - 400 * (y - 3 * x * x), -400 * x, 200.0  # [[a, b], [b, d]]
    lam = (a + d) / 2 - np.hypot((a - d) / 2, b)
    v = np.array([b, lam - a])
    v /= np.linalg.norm(v)
    assert lam < 0 and abs(b) > 0  # indefinite and not diagonal
    got = exercises.negative_curvature()
    assert abs(abs(got @ v) - 1) < 1e-12
    assert "right" in str(exercises.EXERCISES.evaluate("negative-curvature", -2 * v))
    # a vector with v^T H v < 0 that is not the eigenvector is rejected
    H = np.array([[a, b], [b, d]])
    cone = np.array([0.5, 1.0])
    assert cone @ H @ cone < 0
    assert exercises.EXERCISES.evaluate("negative-curvature", cone).status == "wrong"


def test_indefinite_y_is_one_over_sqrt_6q():
    q = exercises.QUARTIC
    assert q != 0.5  # not the saddle whose inflection the notebook prints
    assert abs(exercises.indefinite_y() - 1 / np.sqrt(6 * q)) < 1e-12
    assert exercises.EXERCISES.evaluate("indefinite-y", 1 / np.sqrt(3)).status == "wrong"


def test_gd_prediction_is_the_closed_form_and_the_linearized_one_is_rejected():
    kappa, lr = 10**1.5, 1.5
    predicted = np.log(1e6) / -np.log(1 - lr / kappa)
    assert abs(exercises.gd_prediction() - predicted) < 1e-9 * predicted
    for right in (predicted, np.log(1e6) / -np.log(1 - lr / 31.6)):  # typed readout is fine
        assert exercises.EXERCISES.evaluate("gd-prediction", right).correct
    wrong = exercises.EXERCISES.evaluate("gd-prediction", np.log(1e6) * kappa / lr)
    assert wrong.status == "wrong" and "linearizes" in wrong.message


def test_gd_steps_match_a_plain_gd_loop_on_the_rotated_quadratic():
    kappa, lr, angle = 10**1.5, 1.5, np.pi / 6
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    A = R @ np.diag([1.0, 1 / kappa]) @ R.T
    w0 = np.array([-2.0, 2.0])
    w, steps = w0.copy(), 0
    while np.linalg.norm(w) > 1e-6 * np.linalg.norm(w0):
        w = w - lr * (A @ w)
        steps += 1
    assert exercises.gd_steps() == steps
