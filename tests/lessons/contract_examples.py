"""Contract examples for the lessons' public callables (everything under helpers/lessons/): one
cheap valid call each, with every parameter given.

Format: :class:`tests.contract.Example`. ``EXAMPLES`` is read by tests/test_contract.py; every
value here is valid, the suite replaces one at a time by bad values. The objects the calls need
(runs, grids, explorers, axes) are built once, on first use, and are small, so that a call that
is (wrongly) accepted still costs little.
"""

from functools import cache

import numpy as np
from matplotlib.figure import Figure

import helpers.lessons.lookahead.explorer as la_ex
import helpers.lessons.lookahead.study as la_st
import helpers.lessons.lookahead.theory as la_th
import helpers.lessons.newton.cost as nw_co
import helpers.lessons.newton.explorer as nw_ex
import helpers.lessons.newton.invariance as nw_in
import helpers.lessons.optimizers.claims as op_cl
import helpers.lessons.optimizers.compute as op_co
import helpers.lessons.optimizers.divergence as op_dv
import helpers.lessons.optimizers.explorer as op_ex
import helpers.lessons.optimizers.figures as op_fi
import helpers.lessons.optimizers.grid as op_gr
import helpers.lessons.optimizers.nesterov as op_ne
import helpers.lessons.optimizers.separability as op_se
import helpers.lessons.optimizers.writeup as op_wr
import helpers.lessons.sampling.claims as sa_cl
import helpers.lessons.sampling.coverage as sa_cv
import helpers.lessons.sampling.explorer as sa_ex
import helpers.lessons.sampling.figures as sa_fi
import helpers.lessons.sampling.minibatch as sa_mb
import helpers.lessons.sampling.shuffling as sa_sh
from helpers import sampling
from helpers.claims import Claim
from helpers.data import blobs
from helpers.optim import sgd
from helpers.problems import LogisticRegression, Rosenbrock, conditioned_quadratic
from helpers.problems.least_squares import LeastSquares, synthetic_regression
from helpers.problems.mlp import MLP
from tests.contract import INDEX, NONNEGATIVE, Example, Lazy, Range

FREE = Range()  # a parameter whose name suggests a range it does not have

EXAMPLES: list[Example] = []


def ex(call, _options=None, **kwargs) -> None:
    """Register one valid call: ``call()`` returns the callable, ``kwargs`` every argument."""
    EXAMPLES.append(Example(call, kwargs, **(_options or {})))


# ---------------------------------------------------------------- shared, built once
@cache
def la_hist():
    return la_ex.lookahead_runs("quadratic", "SGD", 0.01, steps=12)


@cache
def la_explorer():
    return la_ex.LookaheadExplorer(steps=12)


@cache
def mlp_data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((12, 3))
    y = np.arange(12) % 2
    return MLP(X, y, hidden=2), X, y


@cache
def study():
    net = mlp_data()[0]
    return la_st.run_study(net, "SGD", [(0.1, 1, 1.0), (0.1, 2, 0.5)], [0, 1], 1, 6)


@cache
def logreg():
    X, y = blobs(n=12, seed=0)
    return LogisticRegression(X, y)


@cache
def claims():
    held = np.ones((8, 2), bool)
    return [Claim("a", 2, 2), Claim.over_seeds("b", held, range(8))]


@cache
def grid_result():
    names = ("GD", "SGD", "GD+momentum")  # few panels: the figures of this grid stay cheap
    return op_gr.run_grid(
        logreg(), np.zeros(3), steps=3, lrs=(0.1, 1.0), betas=(0.9,), optimizers=names, batch_size=4
    )


@cache
def seeded_grid():
    return op_gr.run_grid_over_seeds(
        logreg(), np.zeros(3), range(8), steps=2, lrs=(0.1,), betas=(0.9,), batch_size=4
    )


@cache
def sweep():
    return op_co.batch_size_sweep(logreg(), np.zeros(3), [0.1, 1.0], [4, 12], range(8), epochs=1)


@cache
def scan():
    return op_dv.lr_scan(
        conditioned_quadratic(10.0), [1.0, 1.0], [1.0, 3.0], kinds=("GD",), steps=8
    )


@cache
def lsq():
    X, y = synthetic_regression(8, 2, 0.5, 0)
    return LeastSquares(X, y, 0.05)


@cache
def scheme_runs():
    return sa_sh.run_schemes(lsq(), np.zeros(2), 4, [0.05, 0.1], seeds=range(8), iterate_last=0.5)


@cache
def decaying_runs():
    return sa_sh.run_schemes(lsq(), np.zeros(2), 4, [0.05], seeds=range(8), decay_epochs=2.0)


@cache
def epoch_counts():
    return sa_cv.monte_carlo_epoch(5, 4, 0)


@cache
def simulated():
    return {5: sa_cv.epochs_over_seeds(5, 4, range(8))}


@cache
def minibatch():
    return sa_mb.measure(sa_mb.per_example_grads(lsq(), np.zeros(2)), [1, 2], 4, range(8))


def axes():
    """Fresh axes of their own for each drawing function (a log scale set by one drawing would
    make another's limits warn); the bad calls are rejected before anything is drawn."""
    return Figure(figsize=(2, 2), dpi=20).subplots()


def drawing(fn):
    return lambda: fn


@cache
def quad_explorer():
    return nw_ex.QuadraticExplorer(max_steps=50)


@cache
def opt_explorer():
    X, y = blobs(n=12, seed=0)
    p3 = LogisticRegression(X, y)
    p2 = LogisticRegression(X[:, :2], y)
    return op_ex.OptimizerExplorer(p3, np.zeros(3), p2, np.zeros(2), (-2, 2), (-2, 2), steps=3)


@cache
def rate_explorer():
    return op_ex.RateMapExplorer(num=10)


@cache
def cov_explorer():
    return sa_ex.CoverageExplorer(epochs=1.0, draws=20, max_draws=40)


@cache
def scheme_explorer():
    return sa_ex.SchemeExplorer(epochs=2, seeds=(0, 1))


DIVERGED = {"nan"}  # NaN marks a diverged run in every result array


ELEMENTWISE_N = dict(kinds={"n": "elementwise"})  # as helpers.sampling's laws: any shape of n


def f(fn):
    return lambda: fn


# ---------------------------------------------------------------- lookahead.explorer
ex(
    f(la_ex.Scene),
    problem=Rosenbrock(),
    w0=np.zeros(2),
    xlim=(-1, 1),
    ylim=(-1, 1),
    loss_ylim=(1e-3, 1.0),
)
ex(f(la_ex.inner_optimizer), name="SGD", lr=np.array([[0.1], [0.2]]))
ex(
    f(la_ex.lookahead_runs),
    scene_name="quadratic",
    inner_name="SGD",
    lr=0.01,
    k=2,
    alpha=0.5,
    sigma=0.0,
    steps=4,
    seed=0,
)
ex(f(la_ex.sync_points), hist=la_hist(), k=5)
ex(f(la_ex.view_limits), scene=la_ex.SCENES["quadratic"], hist=la_hist(), k=5, margin=0.05)
ex(f(la_ex.outside_view), scene=la_ex.SCENES["quadratic"], hist=la_hist(), k=5)
ex(f(la_ex.tail_losses), hist=la_hist(), scene_name="quadratic", window=5, k=5)
ex(f(la_ex.outcome), hist=la_hist(), scene_name="quadratic", k=5, window=5)
ex(f(la_ex.LookaheadExplorer), steps=4, seed=0, cache_size=2)
ex(
    lambda: la_explorer().update,
    scene_name="quadratic",
    inner_name="SGD",
    lr=0.01,
    k=5,
    alpha=0.5,
    sigma=0.0,
)
ex(
    f(la_ex.lookahead_figure),
    settings={"quadratic": {"inner_name": "SGD", "lr": 0.01}},
    steps=4,
    seed=0,
)
ex(f(la_ex.panel), explorer=Lazy(la_explorer), sigma=0.0)
ex(f(la_ex.divergence_message), hist=la_hist())

# ---------------------------------------------------------------- lookahead.study
ex(f(la_st.setting_label), inner_name="SGD", lr=0.1, k=5, alpha=0.5)
ex(
    f(la_st.StudyResult),
    inner_name="SGD",
    lr=study().lr,
    k=study().k,
    alpha=study().alpha,
    seeds=study().seeds,
    history=study().history,
)
ex(
    lambda: study().per_setting,
    dict(accept={"values": {"nan", "inf", "dtype-bool"}}),
    values=np.arange(4.0),
)
ex(lambda: study().accuracy, net=mlp_data()[0], X=mlp_data()[1], y=mlp_data()[2])
ex(
    f(la_st.run_study),
    net=mlp_data()[0],
    inner_name="SGD",
    settings=[(0.1, 1, 1.0)],
    seeds=[0],
    epochs=1,
    batch_size=6,
    scheme="random_reshuffling",
    log_every=None,
    perturb=0.0,
)
ex(
    f(la_st.chaotic),
    dict(accept={"final_loss": DIVERGED, "perturbed_loss": DIVERGED}),
    final_loss=np.ones((2, 2)),
    perturbed_loss=np.ones((2, 2)),
    tol=0.01,
)
ex(
    f(la_st.paired_difference),
    dict(accept={"values": {"nan", "shape"}}),
    values=np.arange(4.0).reshape(2, 2),
    baseline=0,
)
ex(
    f(la_st.inner_loop_accuracy),
    net=mlp_data()[0],
    X_test=mlp_data()[1],
    y_test=mlp_data()[2],
    inner_name="SGD",
    lr=0.1,
    k=2,
    alpha=0.5,
    seeds=[0],
    steps=2,
    batch_size=6,
    scheme="random_reshuffling",
    w0=None,
)
ex(
    f(la_st.validation_split),
    dict(accept={"X": {"shape"}}),
    X=np.arange(20.0).reshape(10, 2),
    y=np.array([0, 1] * 5),
    n_validation=4,
    seed=0,
)
ex(
    f(la_st.best_setting),
    dict(accept={"values": {"nan", "shape"}}),
    values=np.array([[0.9, 0.9], [0.95, 0.93]]),
    rows=[0, 1],
    exclude=None,
)
ex(
    f(la_st.amplification),
    dict(accept={"final_loss": DIVERGED, "perturbed_loss": DIVERGED}),
    final_loss=np.ones((1, 2)),
    perturbed_loss=np.ones((1, 2)),
    perturb=1e-13,
)
ex(
    f(la_st.sweep_table),
    dict(accept={"accuracy": DIVERGED, "test_loss": DIVERGED, "validation": DIVERGED}),
    result=study(),
    accuracy=np.full((2, 2), 0.5),
    test_loss=np.ones((2, 2)),
    baseline=0,
    chaotic=None,
    validation=None,
)
ex(f(la_st.claims_with_legend), claims=claims(), prefix="C", width=100)

# ---------------------------------------------------------------- lookahead.theory
ex(
    f(la_th.algorithm1),
    dict(accept={"phi0": {"shape"}}, ranges={"outer_steps": INDEX}),
    grad_fn=lambda theta, step: theta,
    phi0=np.ones(2),
    inner=sgd(0.1),
    k=2,
    alpha=0.5,
    outer_steps=2,
)
ex(f(la_th.ema_expansion), thetas=np.ones((2, 2)), phi0=np.zeros(2), alpha=0.5)
ex(f(la_th.nqm_sgd_variance), a=1.0, lr=0.1, sigma=1.0)
ex(f(la_th.nqm_variance_ratio), a=1.0, lr=0.1, k=5, alpha=0.5)
ex(f(la_th.nqm_variance_ratio_paper_form), a=1.0, lr=0.1, k=5, alpha=0.5)
ex(f(la_th.nqm_lookahead_variance), a=1.0, lr=0.1, sigma=1.0, k=5, alpha=0.5)
ex(f(la_th.nqm_contraction), a=1.0, lr=0.1, k=5, alpha=0.5)
ex(f(la_th.burn_in_steps), a=1.0, lr=0.1, k=5, alpha=0.5, tol=1e-6)
ex(
    f(la_th.nqm_simulate),
    a=1.0,
    lr=0.1,
    sigma=1.0,
    k=2,
    alpha=0.5,
    chains=2,
    steps=4,
    seed=0,
    inner_state="keep",
    status=False,
)
ex(f(la_th.nqm_matched_lr), a=1.0, lr=0.2, k=1, alpha=0.5)
ex(f(la_th.nqm_matched_variance_ratio), a=1.0, lr=0.2, k=5, alpha=0.5)
ex(
    f(la_th.nqm_expected_loss),
    dict(accept={"curvatures": {"shape"}, "noise_var": {"shape"}}),
    curvatures=[1.0],
    noise_var=[1.0],
    lr=0.5,
    k=1,
    alpha=1.0,
    steps=4,
    x0=0.0,
)
ex(f(la_th.outer_matrix), lr=0.5, curvature=1.0, k=2, alpha=0.5, beta=0.0, inner_state="keep")
ex(f(la_th.spectral_radius), dict(accept={"matrix": {"nan", "inf"}}), matrix=np.eye(2))
ex(
    f(la_th.per_step_rate),
    dict(accept={"curvatures": {"shape"}}),
    lr=0.1,
    curvatures=[1.0, 10.0],
    k=1,
    alpha=1.0,
    beta=0.0,
    inner_state="keep",
)
ex(
    f(la_th.tuned_rate),
    dict(accept={"curvatures": {"shape"}, "lrs": {"shape"}, "betas": {"shape"}}),
    curvatures=[1.0, 3.0],
    lrs=[0.25, 0.5],
    betas=(0.0,),
    k=1,
    alpha=1.0,
    inner_state="keep",
)
ex(f(la_th.optimal_alpha), dict(ranges={"b": FREE}), A=np.eye(1), b=[0.0], phi=[2.0], theta=[-2.0])
ex(
    f(la_th.nqm_adaptive_alpha_runs),
    dict(accept={"curvatures": {"shape"}}),
    curvatures=[1.0],
    noise_var=[1.0],
    lr=0.1,
    k=2,
    alphas=(0.5, "optimal"),
    outer_steps=2,
    seeds=[0],
    x0=1.0,
)

# ---------------------------------------------------------------- newton
ex(f(nw_co.ProductCount), dict(ranges={"count": INDEX}), count=0)
ex(f(nw_co.counting_products), problem=logreg())
ex(f(nw_co.hessian_bytes), d=3)
ex(f(nw_co.newton_cg_bytes), d=3)
ex(f(nw_co.explicit_newton_flops), n=10, d=3)
ex(f(nw_co.dual_newton_flops), n=10, d=3)
ex(f(nw_co.gradient_flops), n=10, d=3)
ex(f(nw_co.cheapest_step), n=10, d=3, hvps=2)
ex(f(nw_co.newton_cg_flops), n=10, d=3, hvps=2)
ex(f(nw_co.format_bytes), dict(ranges={"count": NONNEGATIVE}), count=800.0)
ex(f(nw_co.step_problem), d=3, n=10, l2=1e-2, seed=0)
ex(
    f(nw_co.StepCost),
    {
        "accept": {f"{m}_seconds": {"nan"} for m in ("explicit", "cg", "dual")},  # not timed
        "ranges": {f"{m}_peak_bytes": INDEX for m in ("explicit", "cg", "dual")} | {"hvps": INDEX},
    },
    d=3,
    explicit_seconds=1.0,
    cg_seconds=1.0,
    explicit_peak_bytes=8,
    cg_peak_bytes=8,
    hvps=2,
    dual_seconds=1.0,
    dual_peak_bytes=8,
)
ex(
    f(nw_co.measure_step_costs),
    ds=[2],
    n=5,
    l2=1e-2,
    seed=0,
    repeats=1,
    memory=False,
    cg_tol=1e-10,
    timing=False,
    threads=1,
)

ex(f(nw_ex.kappa_on_slider), kappa=100.0)
ex(
    f(nw_ex.gd_until_close),
    problem=conditioned_quadratic(10.0),
    lr=0.1,
    w0=np.ones(2),
    tol=1e-3,
    max_steps=20,
)
ex(f(nw_ex.QuadraticExplorer), w0=(-2.0, 2.0), angle=0.5, max_steps=10, tol=1e-6, lim=3.0)
ex(lambda: quad_explorer().update, kappa=10.0, lr=0.5)
ex(f(nw_ex.panel), explorer=Lazy(quad_explorer), kappa=100.0, lr=1.5)
ex(
    f(nw_ex.gd_closed_form),
    problem=conditioned_quadratic(10.0),
    lr=0.1,
    w0=np.ones(2),
    tol=1e-3,
    max_steps=20,
    blowup=1e6,
)

ex(f(nw_in.Reparametrized), problem=Rosenbrock(), A=np.diag([2.0, 0.5]))


def REP():
    return nw_in.Reparametrized(Rosenbrock(), np.diag([2.0, 0.5]))


for m in ("to_w", "to_z", "loss", "grad", "hessian"):
    point = "w" if m == "to_z" else "z"
    ex(
        lambda m=m: getattr(REP(), m),
        {"accept": {point: {"nan", "inf"}}},  # a diverged point maps to a non-finite one
        **{point: np.array([0.5, 2.0])},
    )
ex(
    lambda: nw_in.Reparametrized(conditioned_quadratic(10.0), np.eye(2)).hvp,
    {"accept": {"z": {"nan", "inf"}}},
    z=np.ones(2),
    v=np.ones(2),
)
ex(f(nw_in.coordinate_change), d=3, seed=0, condition=10.0)

# ---------------------------------------------------------------- optimizers
ex(f(op_cl.check_claims), result=grid_result())
ex(f(op_cl.check_claims_over_seeds), grid=seeded_grid())
ex(
    f(op_co.batch_size_sweep),
    # exactly one budget: with epochs given, iterations=None is valid, epochs=None is not, so the
    # given budget is fixed here and varied in the example below
    dict(fixed=("epochs",)),
    problem=logreg(),
    w0=np.zeros(3),
    lrs=[0.1],
    batch_sizes=[4, 12],
    seeds=[0, 1],
    iterations=None,
    epochs=1.0,
    momentum=0.0,
    scheme="random_reshuffling",
)
ex(
    f(op_co.batch_size_sweep),
    dict(fixed=("iterations",)),
    problem=logreg(),
    w0=np.zeros(3),
    lrs=[0.1],
    batch_sizes=[4, 12],
    seeds=[0, 1],
    iterations=2,
    epochs=None,
    momentum=0.0,
    scheme="random_reshuffling",
)
ex(f(op_co.sgd_vs_gd_claim), text="SGD wins", sweep=sweep(), sgd_wins=True)
ex(f(op_co.best_lr_table), sweep=sweep())
ex(f(op_co.best_lr_claim), text="SGD wins", sweep=sweep())
ex(
    f(op_dv.lr_scan),
    problem=conditioned_quadratic(10.0),
    w0=[1.0, 1.0],
    lrs=[1.0, 3.0],
    beta=0.9,
    steps=8,
    kinds=("GD",),
    blowup=1e6,
    f_star=0.0,
    tol=1e-8,
    log_every=1,
)
ex(f(op_dv.boundary_table), scan=scan(), curvatures={"L": 1.0})
ex(f(op_dv.outcome_bands), scan=scan())
ex(
    lambda: op_ex.OptimizerExplorer,
    problem=Lazy(lambda: opt_explorer().problem),
    w0=np.zeros(3),
    problem2d=Lazy(lambda: opt_explorer().problem2d),
    w0_2d=np.zeros(2),
    xlim=(-2, 2),
    ylim=(-2, 2),
    steps=3,
    scheme="random_reshuffling",
    seed=0,
    loss_ylim=(1e-4, 10.0),
)
ex(lambda: opt_explorer().update, optimizer_name="SGD+momentum", lr=0.1, beta=0.9, batch_size=4)
ex(f(op_ex.best_on_grid), kappa=10.0, nesterov=False, num=10)
ex(f(op_ex.RateMapExplorer), overlay={"run": (np.array([0.1, 1.0]), np.array([0.5, 0.5]))}, num=10)
ex(lambda: rate_explorer().update, kappa=10.0, label="")
ex(
    f(op_ex.panel),
    explorer=Lazy(opt_explorer),
    optimizer_name="GD+momentum",
    lr=0.5,
    beta=0.9,
    batch_size=4,
    kappa=100.0,
)
ex(f(op_fi.loss_curve_grid), result=grid_result(), title="t")
ex(f(op_fi.final_loss_heatmaps), result=grid_result(), title="t")
ex(f(op_gr.optimizer_kind), name="GD+momentum")
ex(f(op_gr.grid_configs), lrs=(0.1,), betas=(0.9,), optimizers=("GD", "SGD+momentum"))
ex(f(op_gr.optimizer), name="GD+momentum", lr=0.1, beta=0.9)
ex(f(op_gr.GridResult), configs=grid_result().configs, history=grid_result().history)
ex(lambda: grid_result().final_loss_table, name="GD")
ex(lambda: grid_result().final_loss_of, name="GD+momentum", lr=0.1, beta=0.9)
ex(lambda: grid_result().outside_quadratic_region, curvature=1.0)
ex(lambda: grid_result().diverged_table, name="GD")
ex(
    f(op_gr.run_grid),
    problem=logreg(),
    w0=np.zeros(3),
    steps=2,
    lrs=(0.1,),
    betas=(0.9,),
    optimizers=("GD", "SGD+momentum"),
    batch_size=4,
    scheme="random_reshuffling",
    seed=0,
)
ex(
    f(op_gr.SeededGrid),
    dict(accept={"final_loss": DIVERGED}),
    configs=seeded_grid().configs,
    seeds=seeded_grid().seeds,
    final_loss=seeded_grid().final_loss,
    diverged=seeded_grid().diverged,
)
ex(lambda: seeded_grid().at_seed, s=0)
ex(lambda: seeded_grid().final_loss_table, name="GD", s=0)
ex(
    f(op_gr.run_grid_over_seeds),
    problem=logreg(),
    w0=np.zeros(3),
    seeds=[0, 1],
    steps=2,
    lrs=(0.1,),
    betas=(0.9,),
    optimizers=("GD", "SGD+momentum"),
    batch_size=4,
    scheme="random_reshuffling",
)
ex(
    f(op_ne.sutskever_nesterov),
    dict(accept={"theta0": {"shape"}}),
    grad=lambda w: w,
    theta0=np.ones(2),
    lr=0.1,
    beta=0.9,
    steps=3,
    blowup=1e6,
)
ex(f(op_se.is_separable), X=[[1.0], [-1.0]], y=[1, 0])
ex(f(op_se.max_margin_direction_2d), X=[[1.0, 2.0], [-1.0, -2.0]], y=[1, 0], num=64)
ex(
    f(op_se.valley_floor),
    dict(accept={"w2": {"shape"}}),
    problem=LogisticRegression(blobs(n=12, seed=0)[0][:, :2], blobs(n=12, seed=0)[1]),
    w2=[0.0, 1.0],
    w1_bounds=(-5.0, 5.0),
)
ex(
    f(op_se.sklearn_optimum),
    dict(accept={"X": {"shape"}}),
    X=blobs(n=12, seed=0)[0],
    y=blobs(n=12, seed=0)[1],
    l2=0.1,
)
ex(f(op_wr.load_writeup_losses))
ex(f(op_wr.possible_readings), df=None)
ex(f(op_wr.writeup_table), name="GD", df=None)
ex(f(op_wr.rank_table), table=op_wr.writeup_table("GD"))
ex(
    f(op_wr.kendall_tau),
    dict(accept={"a": {"nan", "inf"}, "b": {"nan", "inf"}}, ranges={"b": FREE}),
    a=[1, 2, 3, 4],
    b=[10, 20, 40, 30],
)

# ---------------------------------------------------------------- sampling
ex(
    f(sa_cl.z_score),
    dict(accept={"samples": {"shape"}}),
    samples=np.array([1.0, 2.0, 3.0]),
    exact=2.0,
)
ex(f(sa_cl.check_sixty_three_percent), simulated=simulated(), seeds=list(range(8)))
ex(f(sa_cl.check_limit_sixty_three), tolerance=0.005, n_max=100)
ex(f(sa_cl.check_more_than_once), simulated=simulated(), seeds=list(range(8)))
ex(
    f(sa_cl.check_floor_below),
    constant=scheme_runs(),
    scheme="random_reshuffling",
    other="with_replacement",
    last=0.5,
    max_lr=None,
    min_lr=None,
    measures=("ends", "iterates"),
    diff_lr=0.05,
)
ex(f(sa_cl.floor_rows), constant=scheme_runs(), last=0.5, pairs=None)
ex(f(sa_cl.check_epoch_below), decaying=decaying_runs(), epoch=2, schemes=("random_reshuffling",))
ex(f(sa_cl.epoch_rows), decaying=decaying_runs(), epoch=2, seeds=None)
ex(f(sa_cl.offset_slope), window=(10, 100), power=-2.0, offset=5.0)
ex(
    f(sa_cl.check_rate_slopes),
    dict(kinds={"window": "text"}),
    slopes={"fixed": (-2.0, -2.1, -1.9)},
    targets={"fixed": -2.0},
    window="K = 10..100",
    tolerance=0.01,
)
ex(f(sa_cl.check_variance_factor), measured=minibatch())
ex(f(sa_cl.dkw_epsilon), replicates=100, alpha=1e-6)
ex(
    f(sa_cl.ks_distance),
    dict(accept={"samples": {"shape"}}),
    samples=np.array([1, 2, 2]),
    cdf=np.array([0.0, 0.5, 1.0]),
)
ex(
    f(sa_cl.check_coupon),
    dict(accept={"draws_with": {"shape"}, "draws_without": {"shape"}}),
    draws_with=np.array([[2, 3], [3, 4]] * 4),
    draws_without=np.full((8, 2), 2),
    n=2,
    seeds=list(range(8)),
    cdf=sampling.coupon_cdf(2, np.arange(10)),
)
ex(f(sa_cl.verdict_table), claims=claims(), width=100)

ex(f(sa_cv.p_at_least_once_naive), ELEMENTWISE_N, n=np.array([1, 10]))
ex(f(sa_cv.p_exactly_once_naive), ELEMENTWISE_N, n=np.array([1, 10]))
ex(f(sa_cv.draw_counts), dict(kinds={"indices": "elementwise"}), indices=np.array([[0, 1, 1]]), n=3)
ex(
    f(sa_cv.distinct_fraction),
    dict(kinds={"indices": "elementwise"}),
    indices=np.array([[0, 1, 1]]),
    n=3,
)
ex(f(sa_cv.EpochCounts), n=3, histogram=np.array([[1, 1, 1]]))
ex(f(sa_cv.count_histogram), dict(kinds={"counts": "elementwise"}), counts=np.array([[0, 1, 2]]))
ex(f(sa_cv.monte_carlo_epoch), n=5, replicates=2, seed=0, chunk_draws=2**20)
ex(
    f(sa_cv.coverage_curve),
    dict(accept={"stream": {"shape"}}),
    stream=np.array([0, 1, 1, 2]),
    n=3,
    checkpoints=np.array([0, 2, 4]),
)
ex(
    f(sa_cv.coverage_monte_carlo),
    n=5,
    epochs=1.0,
    scheme="with_replacement",
    replicates=2,
    points_per_epoch=2,
    seed=0,
)
ex(
    f(sa_cv.coverage_after),
    dict(kinds={"draws": "elementwise"}),
    n=5,
    draws=np.array([0, 5]),
    scheme="with_replacement",
)
ex(
    f(sa_cv.mean_ci95),
    dict(accept={"samples": {"shape"}}),
    samples=np.array([1.0, 2.0, 3.0]),
    axis=0,
)
ex(f(sa_cv.epochs_over_seeds), n=5, replicates=2, seeds=[0, 1])
ex(f(sa_cv.coupon_monte_carlo), n=5, replicates=2, seed=0, scheme="with_replacement")

ex(f(sa_ex.sorted_problem), n=8, d=2, noise=0.5, l2=0.05, seed=0)
ex(
    f(sa_ex.CoverageExplorer),
    epochs=1.0,
    draws=20,
    min_replicates=2,
    seed=0,
    max_draws=40,
    curve_n=10,
)
ex(lambda: cov_explorer().replicates, n=5)
ex(lambda: cov_explorer().simulate, n=5)
ex(lambda: cov_explorer().update, n=5)
ex(f(sa_ex.SchemeExplorer), epochs=2, seeds=(0, 1), cache_size=2)
ex(lambda: scheme_explorer().problem, n=8)
ex(lambda: scheme_explorer().update, lr=0.05, n=8, batch_size=1)
ex(f(sa_ex.panel), explorer=Lazy(cov_explorer))
ex(f(sa_ex.batch_grid), n=4)
ex(f(sa_ex.scheme_divergence_message), runs=scheme_runs())
ex(f(sa_ex.scheme_finding), runs=scheme_runs(), rounding=1e-30)
ex(f(sa_fi.unstable), runs=scheme_runs(), s=0, g=0)
ex(
    f(sa_fi.scheme_note),
    dict(accept={"floor_last": {"none"}}),
    runs=scheme_runs(),
    s=0,
    g=0,
    floor_last=0.25,
    rounding=1e-30,
)
ex(f(sa_sh.rounding_level), problem=sa_ex.sorted_problem(8), ulps=100.0)
ex(f(op_ex.batch_grid), n_samples=8)

ns = np.array([10.0, 100.0])
ex(
    drawing(sa_fi.draw_naive_error),
    ax=axes(),
    ns=ns,
    err_naive=np.array([1e-15, 0.0]),
    err_stable=np.array([0.0, 1e-16]),
    zero=1e-17,
)
ex(drawing(sa_fi.draw_count_distribution), ax=axes(), counts=epoch_counts(), kmax=6, legend=True)
ex(
    drawing(sa_fi.draw_coverage),
    ax=axes(),
    n=5,
    curves={
        "with_replacement": sa_cv.coverage_monte_carlo(5, 1.0, "with_replacement", replicates=2)
    },
    epochs=1.0,
    legend=True,
)
ex(
    drawing(sa_fi.draw_scheme_curves),
    ax=axes(),
    runs=scheme_runs(),
    lr=0.05,
    ylim=(1e-9, 10.0),
    floor_last=None,
    rounding=0.0,
)
ex(drawing(sa_fi.draw_floors), ax=axes(), runs=scheme_runs(), last=0.5)
ex(
    drawing(sa_fi.draw_rates),
    dict(accept={"slopes": {"dict"}}),
    ax=axes(),
    runs=decaying_runs(),
    window=(1, 3),
    slopes=None,
)
ex(drawing(sa_fi.draw_variance), ax_var=axes(), ax_ratio=axes(), measured=minibatch())
ex(
    drawing(sa_fi.draw_coupon),
    dict(accept={"draws_with": {"shape", "ndim+2"}}),
    ax=axes(),
    draws_with=np.array([2, 3, 4]),
    n=2,
    cdf=sampling.coupon_cdf(2, np.arange(10)),
    band=0.1,
)

ex(f(sa_mb.per_example_grads), problem=lsq(), w=np.zeros(2))
ex(
    f(sa_mb.exact_variance),
    dict(accept={"grads": {"shape"}, "b": {"shape"}}),
    grads=np.arange(6.0).reshape(3, 2),
    b=[1, 2],
)
ex(
    f(sa_mb.MinibatchVariance),
    n=3,
    bs=np.array([1]),
    seeds=(0,),
    draws=2,
    with_repl=np.ones((1, 1)),
    without=np.ones((1, 1)),
    se_with=np.ones((1, 1)),
    se_without=np.ones((1, 1)),
    exact_with=np.ones(1),
    exact_without=np.ones(1),
)
ex(
    f(sa_mb.measure),
    dict(accept={"grads": {"shape"}}),
    grads=np.arange(6.0).reshape(3, 2),
    bs=[1, 2],
    draws=2,
    seeds=[0],
)

ex(
    f(sa_sh.t_interval),
    dict(accept={"values": {"shape", "nan"}}),
    values=[1.0, 2.0, 3.0],
    level=0.95,
    axis=0,
)
ex(
    f(sa_sh.bootstrap_slope),
    x=np.arange(1.0, 4.0),
    per_seed=np.array([[1.0, 0.5, 0.3], [1.1, 0.6, 0.3]]),
    resamples=10,
    level=0.95,
    seed=0,
)
ex(
    f(sa_sh.SchemeRuns),
    dict(accept={"subopt": {"nan", "shape"}, "position_mean": {"nan", "shape"}}),
    **{
        k: getattr(scheme_runs(), k)
        for k in (
            "schemes",
            "lrs",
            "seeds",
            "n",
            "batch_size",
            "decay_epochs",
            "subopt",
            "diverged_at",
            "iterate_last",
            "position_mean",
        )
    },
)
ex(lambda: scheme_runs().scheme_index, scheme="fixed")
ex(lambda: scheme_runs().lr_index, lr=0.05)
ex(lambda: scheme_runs().curves, scheme="fixed", lr=0.05)
ex(lambda: scheme_runs().band, low=0.1, high=0.9)
ex(lambda: scheme_runs().floor, last=0.5)
ex(lambda: scheme_runs().floor_per_seed, last=0.5)
ex(lambda: scheme_runs().iterate_floor_slope, scheme="fixed")
ex(lambda: decaying_runs().rate_slope, scheme="fixed", window=(1, 3), lr=None)
ex(lambda: scheme_runs().floor_slope, scheme="fixed", last=0.5)
ex(
    f(sa_sh.predicted_floor),
    dict(accept={"lrs": {"shape"}}),
    problem=lsq(),
    lrs=[0.05],
    scheme="with_replacement",
)
ex(
    f(sa_sh.run_schemes),
    problem=lsq(),
    w0=np.zeros(2),
    epochs=2,
    lrs=[0.05],
    schemes=("fixed",),
    seeds=(0, 1),
    batch_size=1,
    decay_epochs=None,
    blowup=1e6,
    iterate_last=None,
)
