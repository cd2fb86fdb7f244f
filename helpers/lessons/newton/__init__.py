"""Notebook 2, Newton's method: the cost model and measurements of explicit vs Hessian-free steps
(:mod:`.cost`) and the GD-vs-Newton slider panel (:mod:`.explorer`). The method itself is
:mod:`helpers.newton`."""
