"""helpers.lessons.newton.cost: exact byte and flop counts, slopes, and the measurement helper."""

import numpy as np
import pytest

from helpers.lessons.newton.cost import (
    CG_VECTORS,
    cheapest_step,
    counting_products,
    dual_newton_flops,
    explicit_newton_flops,
    format_bytes,
    gradient_flops,
    hessian_bytes,
    loglog_slope,
    measure_step_costs,
    newton_cg_bytes,
    newton_cg_flops,
    step_problem,
)
from helpers.newton import newton_direction


def test_exact_memory_of_a_hessian():
    assert hessian_bytes(10_000) == 800_000_000
    assert hessian_bytes(10**6) == 8 * 10**12
    assert hessian_bytes(31) == np.zeros((31, 31)).nbytes
    assert newton_cg_bytes(10_000) == 8 * CG_VECTORS * 10_000


def test_flop_counts():
    assert explicit_newton_flops(200, 1000) == 200 * 1000**2 + 1000**3 // 3
    assert dual_newton_flops(200, 1000) == 200**2 * 1000 + 200**3 // 3 + 4 * 200 * 1000
    assert gradient_flops(200, 1000) == newton_cg_flops(200, 1000, 1)
    assert newton_cg_flops(200, 1000, 7) == 7 * 4 * 200 * 1000
    assert newton_cg_flops(200, 1000, 0) == 0


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0 B"),
        (800, "800 B"),
        (48_000, "48 kB"),
        (8e8, "800 MB"),
        (8e12, "8 TB"),
        (1.5e18, "1.5e+03 PB"),
    ],
)
def test_format_bytes(count, text):
    assert format_bytes(count) == text


def test_loglog_slope_recovers_a_power_law():
    x = np.array([10.0, 100.0, 1000.0])
    assert loglog_slope(x, 3.0 * x**2.5) == pytest.approx(2.5)
    assert loglog_slope(x, np.full(3, 7.0)) == pytest.approx(0.0, abs=1e-12)


def test_step_problem_is_seeded():
    (a, wa), (b, wb) = step_problem(50), step_problem(50)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(wa, wb)
    assert a.X.shape == (200, 50)


def test_primal_wins_below_n_and_dual_above():
    # primal n d^2 + d^3/3 against dual n^2 d + n^3/3 + 4nd: the exact steps swap at d ~ n
    for n in (50, 200, 1000):
        assert cheapest_step(n, n // 2, 10**9) == "primal"
        assert cheapest_step(n, 2 * n, 10**9) == "dual"
    # CG against the dual step: CG wins while k 4nd < n^2 d + ..., i.e. k below about n/4
    assert cheapest_step(200, 10_000, 50) == "CG"
    assert cheapest_step(200, 10_000, 52) == "dual"


def test_measure_step_costs_small():
    costs = measure_step_costs([5, 40], n=30, repeats=1)
    assert [c.d for c in costs] == [5, 40]
    for c in costs:
        assert c.explicit_seconds > 0 and c.cg_seconds > 0 and c.ratio > 0
        assert c.dual_seconds > 0 and c.dual_ratio > 0
        assert c.explicit_peak_bytes >= hessian_bytes(c.d)
        assert c.cg_peak_bytes > 0 and c.dual_peak_bytes > 0
        problem, w = step_problem(c.d, n=30)
        assert c.hvps == newton_direction(problem, w, "newton-cg").hvps
    quiet = measure_step_costs([5], n=30, timing=False, memory=False)[0]
    assert np.isnan(quiet.explicit_seconds) and quiet.explicit_peak_bytes is None


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: hessian_bytes(0), "d"),
        (lambda: newton_cg_bytes(2.0), "d"),
        (lambda: explicit_newton_flops(0, 3), "n"),
        (lambda: newton_cg_flops(3, 3, -1), "hvps"),
        (lambda: format_bytes(-1), "count"),
        (lambda: loglog_slope([1.0], [1.0]), "x and y"),
        (lambda: loglog_slope([1.0, -2.0], [1.0, 2.0]), "x"),
        (lambda: measure_step_costs([0]), "ds"),
        (lambda: measure_step_costs([3], repeats=0), "repeats"),
        (lambda: measure_step_costs([3], memory=1), "memory"),
        (lambda: measure_step_costs([3], threads=0), "threads"),
        (lambda: dual_newton_flops(3, 0), "d"),
        (lambda: cheapest_step(3, 3, -1), "hvps"),
    ],
)
def test_bad_arguments_are_rejected(call, name):
    with pytest.raises((ValueError, TypeError), match=rf"^{name}\b"):
        call()


def test_counting_products_counts_matrix_vector_products_with_x():
    problem, w = step_problem(40, n=30)
    v = np.random.default_rng(1).standard_normal(40)
    expected = {  # products with X (2nd flops each)
        "grad": (lambda: problem.grad(w), 2),
        "loss_and_grad": (lambda: problem.loss_and_grad(w), 2),
        "hvp": (lambda: problem.hvp(w, v), 3),  # recomputes X w every call
        "hvp_operator": (lambda: problem.hvp_operator(w), 1),  # the curvature, once
    }
    for name, (call, count) in expected.items():
        with counting_products(problem) as products:
            call()
        assert products.count == count, name
    with counting_products(problem) as products:
        product = problem.hvp_operator(w)
        for _ in range(7):
            product(v)
    assert products.count == 1 + 2 * 7  # each product as much as one gradient
    assert type(problem.X) is np.ndarray  # restored


def test_a_newton_cg_direction_costs_a_gradient_a_curvature_and_two_products_per_hvp():
    for d in (20, 300):
        problem, w = step_problem(d, n=50)
        with counting_products(problem) as products:
            direction = newton_direction(problem, w, "newton-cg")
        assert direction.hvps > 1
        assert products.count == 2 + 1 + 2 * direction.hvps


def test_counting_products_rejects_other_problems():
    from helpers.problems import Rosenbrock

    with pytest.raises(TypeError, match="problem"):
        with counting_products(Rosenbrock()):
            pass


def test_counting_products_checks_its_problem_when_called():
    # A generator-based context manager would check only when the block is entered.
    with pytest.raises(TypeError, match=r"^problem"):
        counting_products(object())
