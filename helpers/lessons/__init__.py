"""One package per notebook: what only that notebook uses (its studies, figures, claim checks and
slider panel). A lesson may use the library (:mod:`helpers`) but never another lesson; what two
lessons share belongs in the library (tests/test_layout.py enforces both rules).

* :mod:`helpers.lessons.lookahead`: notebook 1, Lookahead;
* :mod:`helpers.lessons.newton`: notebook 2, Newton's method;
* :mod:`helpers.lessons.sampling`: notebook 3, sampling with vs without replacement;
* :mod:`helpers.lessons.optimizers`: notebook 4, GD, SGD, momentum and Nesterov compared.

Every lesson's slider panel lives in its ``explorer`` module: classes ``*Explorer`` whose
``update(...)`` (recompute and redraw) and ``render()`` (PNG bytes) are the plain, tested
functions a slider move calls, and one ``panel(explorer, ...)`` that only wires widgets to them.
"""
