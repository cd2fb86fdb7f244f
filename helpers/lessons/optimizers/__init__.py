"""Notebook 4, GD, SGD, momentum and Nesterov on logistic regression: the 56-setting grid
(:mod:`.grid`), Sutskever's Nesterov form (:mod:`.nesterov`), quadratic stability regions
(:mod:`.stability`), the seed's claims (:mod:`.claims`), figures (:mod:`.figures`) and the slider
panel (:mod:`.explorer`)."""
