"""Notebook 4, GD, SGD, momentum and Nesterov on logistic regression: the 56-setting grid
(:mod:`.grid`), Sutskever's Nesterov form (:mod:`.nesterov`), the seed's claims (:mod:`.claims`),
figures (:mod:`.figures`) and the slider panel (:mod:`.explorer`). The stability regions are in
:mod:`helpers.stability`."""
