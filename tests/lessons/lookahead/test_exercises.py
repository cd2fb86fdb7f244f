"""The lookahead lesson's exercise checks (helpers.lessons.lookahead.exercises): right answers accepted,
wrong ones rejected with a hint, the answer never printed, nonsense input refused."""

from helpers.lessons.lookahead import exercises
from tests.exercise_checks import check_exercise_set


def test_the_exercise_checks_accept_the_answer_reject_others_and_never_print_it(capsys):
    check_exercise_set(exercises.EXERCISES, capsys)


def test_the_docstring_example_runs():
    import doctest

    assert doctest.testmod(exercises).failed == 0


# -- each expected value against an independent closed form or loop (cheap: < 0.1 s) ----------


def _matched_ratio_loop(lr_a: float, k: int, alpha: float) -> float:
    """Lookahead's steady-state variance over an equally fast SGD's, from the recursion
    phi <- c phi + alpha * noise (noise variance V_SGD (1 - r^2k)), written out here."""
    r = 1 - lr_a
    c = abs(1 - alpha * (1 - r**k))

    def v_sgd(g):  # gamma^2 a^2 sigma^2 / (1 - r^2) with a = sigma = 1
        return g * g / (1 - (1 - g) ** 2)

    v_la = alpha**2 * v_sgd(lr_a) * (1 - r ** (2 * k)) / (1 - c**2)
    return v_la / v_sgd(1 - c ** (1 / k))  # matched step: (1 - gamma')^k = c


def test_matched_k_is_the_first_k_whose_ratio_a_closed_loop_puts_above_2():
    ratios = {k: _matched_ratio_loop(0.2, k, 0.5) for k in (18, 19)}
    assert abs(ratios[18] - 1.9983) < 1e-4 and abs(ratios[19] - 2.0933) < 1e-4, ratios
    assert all(_matched_ratio_loop(0.2, k, 0.5) <= 2 for k in range(1, 19))
    assert exercises.matched_k() == 19


def test_same_step_limit_is_alpha_over_2_minus_alpha():
    alpha = exercises.LIMIT["alpha"]
    assert abs(exercises.same_step_limit() - alpha / (2 - alpha)) < 1e-12
    assert abs(exercises.same_step_limit() - 2 / 3) < 1e-12


def test_rescue_alpha_is_the_closed_form_bound_and_the_band_rejects_diverging_alphas(capsys):
    bound = 2 / (1 + abs(1 - 50.0 * 10**-1.35) ** 5)  # steep curvature 50, k = 5 (odd)
    assert abs(bound - 0.518855) < 1e-6
    assert abs(exercises.rescue_alpha() - bound) < 1e-9
    factor = lambda a: abs(1 - a * (1 - (1 - 50.0 * 10**-1.35) ** 5))  # noqa: E731
    assert factor(0.52) > 1 and factor(0.5185) < 1
    for accepted in (0.5185, 0.519, bound):
        assert exercises.EXERCISES.evaluate("rescue-alpha", accepted).correct, accepted
    for rejected in (0.52, 0.524, 0.5, 0.5163):  # 0.52+ diverge; 0.5 the slider; 0.5163: lr 0.0447
        assert not exercises.EXERCISES.evaluate("rescue-alpha", rejected).correct, rejected
    assert "rounded readout" in str(exercises.EXERCISES.evaluate("rescue-alpha", 0.5163))


def test_ema_loops_is_the_first_t_with_0_8_to_the_t_below_1_percent():
    weight, t = 1.0, 0
    while weight >= 0.01:
        weight, t = weight * 0.8, t + 1
    assert t == 21 and exercises.ema_loops() == t
    assert "round up" in str(exercises.EXERCISES.evaluate("ema-loops", 20))


def test_rescue_alpha_refuses_a_percentage_and_takes_a_one_number_array():
    import numpy as np
    import pytest

    with pytest.raises(ValueError, match="fraction"):
        exercises.EXERCISES.evaluate("rescue-alpha", 51.9)
    assert exercises.EXERCISES.evaluate("rescue-alpha", np.array([0.5188])).correct
    assert exercises.EXERCISES.evaluate("ema-loops", np.int64(21)).correct
