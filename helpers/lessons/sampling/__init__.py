"""Notebook 3, sampling with vs without replacement: Monte Carlo epochs (:mod:`.coverage`), SGD
under the four sampling schemes (:mod:`.shuffling`), the seed's claims (:mod:`.claims`), figures
(:mod:`.figures`) and the slider panels (:mod:`.explorer`). The laws themselves are in
:mod:`helpers.sampling`."""
