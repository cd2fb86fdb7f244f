"""The optimizers lesson's exercise checks (helpers.lessons.optimizers.exercises): right answers accepted,
wrong ones rejected with a hint, the answer never printed, nonsense input refused."""

import numpy as np

from helpers.lessons.optimizers import exercises
from tests.exercise_checks import check_exercise_set


def test_the_exercise_checks_accept_the_answer_reject_others_and_never_print_it(capsys):
    check_exercise_set(exercises.EXERCISES, capsys)


def test_the_docstring_example_runs():
    import doctest

    assert doctest.testmod(exercises).failed == 0


def test_start_divergence_is_the_heavy_ball_bound_over_the_closed_form_curvature_at_zero():
    """At w = 0 every sigma(1 - sigma) is 1/4, so the Hessian is X^T X / (4n): the answer is
    (2 + 2 beta) over its top eigenvalue, computed here without the library's stability code."""
    from helpers import breast_cancer

    X, y = breast_cancer()
    top = np.linalg.eigvalsh(X.T @ X / (4 * len(y)))[-1]
    beta = exercises.START_BETA
    expected = (2 + 2 * beta) / top
    assert np.isclose(exercises.EXERCISES["start-divergence"].answer(), expected, rtol=1e-12)


def _spectral_radius(h: float, beta: float, nesterov: bool) -> float:
    if nesterov:
        m = np.array([[(1 + beta) * (1 - h), -beta * (1 - h)], [1.0, 0.0]])
    else:
        m = np.array([[1 + beta - h, -beta], [1.0, 0.0]])
    return float(np.max(np.abs(np.linalg.eigvals(m))))


def test_nesterov_divergence_is_where_a_brute_force_spectral_radius_crosses_one():
    """A loop over lr on the quadratic's eigenvalues (0.01 and 1): the last lr whose 2 x 2
    iteration matrices all have spectral radius < 1 is within 0.1% of the answer."""
    beta = exercises.START_BETA
    lrs = np.linspace(0.5, 3.0, 2501)
    stable = [max(_spectral_radius(lr * lam, beta, True) for lam in (0.01, 1.0)) < 1 for lr in lrs]
    last = lrs[np.flatnonzero(stable)[-1]]
    answer = exercises.EXERCISES["nesterov-divergence"].answer()
    assert abs(last - answer) <= 1e-3 * answer
    assert all(stable[: np.flatnonzero(stable)[-1] + 1])  # one crossing


def test_optimal_beta_is_polyaks_closed_form_and_its_rate_beats_nearby_betas():
    kappa = exercises.SLIDER_KAPPA
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    assert np.isclose(exercises.EXERCISES["optimal-beta"].answer(), beta, rtol=1e-12)
    lr = (2 / (1 + np.sqrt(1 / kappa))) ** 2  # Polyak's lr for eigenvalues in [1/kappa, 1]

    def worst(b: float) -> float:
        return max(_spectral_radius(lr * lam, b, False) for lam in (1 / kappa, 1.0))

    assert worst(beta) < min(worst(beta - 0.02), worst(beta + 0.02))


def test_no_answer_is_printed_in_the_notebook():
    """Each expected value, at 3 significant digits, appears in no stored output or markdown
    cell of notebook 4 (the student has to compute it or move the slider)."""
    import json
    import re
    from pathlib import Path

    path = Path(__file__).parents[3] / "notebooks" / "4_optimizers.ipynb"
    nb = json.loads(path.read_text())
    texts = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            texts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            texts.extend(
                "".join(v) for v in output.get("data", {}).values() if isinstance(v, str | list)
            )
            texts.append(json.dumps(output.get("metadata", {})))
    text = "\n".join(texts)
    for key in exercises.EXERCISES.keys:
        shown = f"{float(exercises.EXERCISES[key].answer()):.3g}"
        assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?!\d)", text), (key, shown)


def test_right_answers_computed_other_reasonable_ways_are_accepted():
    """The regularized problem's curvature at w = 0 (off by l2 = 0.01) and a scan of lr with
    the library's spectral radius both land within the tolerance."""
    from helpers import LogisticRegression, breast_cancer
    from helpers.stability import spectral_radius, stability_limit

    X, y = breast_cancer()
    top_l2 = np.linalg.eigvalsh(LogisticRegression(X, y, l2=0.01).hessian(np.zeros(X.shape[1])))
    beta = exercises.START_BETA
    assert exercises.EXERCISES.evaluate(
        "start-divergence", float(stability_limit(beta) / top_l2[-1])
    ).correct
    lrs = np.arange(0.5, 3.0, 0.005)
    rho = spectral_radius(lrs[:, None] * np.array([0.01, 1.0]), beta, nesterov=True).max(axis=1)
    assert exercises.EXERCISES.evaluate("nesterov-divergence", float(lrs[rho < 1][-1])).correct
    assert exercises.EXERCISES.evaluate("optimal-beta", 0.881).correct  # the panel's 3 decimals


def test_a_0d_array_from_the_named_helper_is_accepted(capsys):
    """stability_limit returns a 0-d array (here the answer itself: the quadratic's largest
    eigenvalue is 1); the check takes it as the number it is."""
    from helpers.stability import stability_limit

    value = stability_limit(exercises.START_BETA, True)
    assert isinstance(value, np.ndarray) and value.ndim == 0
    exercises.check("nesterov-divergence", value)
    assert capsys.readouterr().out.startswith("nesterov-divergence: right")
