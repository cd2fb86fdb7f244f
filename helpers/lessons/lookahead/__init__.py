"""Notebook 1, Lookahead: Algorithm 1 and its theory (:mod:`.theory`), the digits study
(:mod:`.study`) and the fast/slow-weights slider panel (:mod:`.explorer`). The optimizer itself is
:func:`helpers.optim.lookahead`."""
