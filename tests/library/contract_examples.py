"""Contract examples for the library's public callables (everything under helpers/ outside
helpers/lessons/): one cheap valid call each, with every parameter given.

Format: :class:`tests.contract.Example`. ``EXAMPLES`` is read by tests/test_contract.py; every
value here is valid, the suite replaces one at a time by bad values. Objects are built once, at
import, and are small so that a call that is (wrongly) accepted still costs little.
"""

from decimal import Decimal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers import (
    claims,
    data,
    divergence,
    exercises,
    figures,
    fits,
    frames,
    lru,
    newton,
    optim,
    png,
    sampling,
    source,
    stability,
    tables,
    timing,
    train,
)
from helpers.problems import (
    MLP,
    Cosh,
    LeastSquares,
    LogisticRegression,
    NoisyGradient,
    Quadratic,
    Rosenbrock,
    Saddle,
    XCos,
    conditioned_quadratic,
    logistic,
    random_logistic_regression,
    synthetic_regression,
)
from tests.contract import COUNT, INDEX, NONNEGATIVE, POSITIVE, Example, Range

RNG = np.random.default_rng(0)
X = RNG.standard_normal((6, 3))
Y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
W = np.array([0.1, -0.2, 0.3])
V = np.array([1.0, 0.0, -1.0])
IDX = np.array([0, 2, 4])
LOGREG = LogisticRegression(X, Y, l2=0.1)
LSQ = LeastSquares(X, X @ W, l2=0.0)
QUAD = Quadratic(np.diag([1.0, 2.0, 3.0]), np.ones(3))
QUAD2 = conditioned_quadratic(10.0)
ROSEN = Rosenbrock()
SADDLE = Saddle()
MLP_NET = MLP(X, Y.astype(int), hidden=2)
MLP_W = MLP_NET.init(0)
NOISY = NoisyGradient(QUAD, sigma=0.1, steps=5, seed=0)
SGD = optim.sgd(0.1)
HIST = train.run(QUAD2, SGD, np.array([[1.0, 1.0], [2.0, 0.5]]), 3)
NHIST = newton.run(QUAD, np.ones((2, 3)), 2)
CLAIM = claims.Claim("x", cases=2, held=1)
TABLE = tables.LossTable(pd.DataFrame([[1.0, 2.0]], index=["a"], columns=["b", "c"]))
FIG, AX = plt.subplots(figsize=(1, 1), dpi=20)
(LINE,) = AX.plot([0, 1], [0, 1])
BACKGROUND = figures.freeze_background(FIG)
TRAJ = {"GD": np.array([[1.0, 1.0], [0.5, 0.5]])}
EXACT = Decimal("0.5")
# A problem evaluated at a diverged iterate returns a non-finite value without a warning: that is
# how the training loops detect divergence (helpers.problems.base), so NaN/inf w is valid there.
DIVERGED = {"w": {"nan", "inf"}}
# The same for an optimizer's step: a non-finite params or grad gives non-finite params.
STEP = {"params": {"nan", "inf"}, "grad": {"nan", "inf"}}
# Runs record NaN after a stop and the non-finite loss that stopped them.
RECORDED = {"loss": {"nan", "inf"}, "params": {"nan", "inf", "shape"}}  # any d
# The least-squares methods take any batch shape (..., d) (notebook 3 runs (S, C, d) at once).
ANY_BATCH = {"w": {"nan", "inf", "ndim+2"}}


PIXELS = np.zeros((2, 3, 4), np.uint8)
PNG = figures.png_with_alt_text(PIXELS, "a black square")
WATCH = divergence.Watch(np.zeros((2, 1)), np.zeros(2), 10.0)
TOL = exercises.Tolerance(rel=1e-3)


class _Widget:
    """A stand-in for an ipywidgets box: a description, a value, children and a display bundle."""

    description, value, children, disabled = "lr", 0.1, (), False

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": "Widget()"}


WIDGET = _Widget()


def _noop() -> None:
    return None


def _sqrt2() -> float:
    return 2.0**0.5


def _two() -> float:
    return 2.0


EXERCISE = exercises.Exercise("sqrt2", _sqrt2, TOL, mistakes=((_two, "that is its square"),))
EXERCISES = exercises.ExerciseSet([EXERCISE])
EXERCISE_TEXT = {name: "text" for name in ("key", "why", "too_low", "too_high", "hint")}


def _grad(w):
    return w


EXAMPLES: list[Example] = [
    # --- claims -------------------------------------------------------------------------------
    Example(
        lambda: claims.Claim,
        dict(
            text="a claim",
            cases=2,
            held=1,
            worst="",
            evidence=("e",),
            otherwise="fails",
            seeds=(),
            held_per_seed=(),
            difference=None,
            difference_label="",
        ),
        kinds={"evidence": "sequence", "seeds": "sequence", "held_per_seed": "sequence"},
        accept={"evidence": {"empty"}, "seeds": {"empty"}, "held_per_seed": {"empty"}},
    ),
    Example(
        lambda: claims.Claim.over_seeds,
        dict(
            text="a claim",
            held=np.ones((8, 2), dtype=bool),
            seeds=tuple(range(8)),
            worst="",
            evidence=(),
            difference=(0.1, 0.05),
            difference_label="a - b",
        ),
        kinds={"held": "array", "seeds": "array", "evidence": "sequence"},
        ranges={"seeds": Range(low=0, integer=True)},
        accept={"evidence": {"empty"}, "held": {"shape"}},  # any number of cases
    ),
    Example(
        lambda: claims.claims_table,
        dict(claims=[CLAIM], width=100),
        ranges={"width": Range(low=40, integer=True)},
    ),
    Example(
        lambda: claims.paired_difference,
        dict(a=np.array([1.0, 2.0, 3.0]), b=np.array([0.5, 1.0, 2.0])),
        ranges={"b": None},
    ),
    # --- data ---------------------------------------------------------------------------------
    Example(lambda: data.add_bias, dict(X=X), accept={"X": {"shape", "empty"}}),  # any p >= 0
    Example(lambda: data.standardize, dict(X=X), accept={"X": {"shape", "empty"}}),
    Example(lambda: data.blobs, dict(n=4, seed=0), ranges={"n": Range(low=2, integer=True)}),
    Example(lambda: data.digits, dict(test_fraction=0.25, seed=0)),
    # --- divergence ---------------------------------------------------------------------------
    Example(
        lambda: divergence.Watch,
        dict(params0=np.zeros((2, 1)), loss0=np.zeros(2), blowup=10.0),
        accept={"params0": {"shape"}},  # any d >= 1
    ),
    Example(
        # a fresh watch per call: update marks rows as diverged
        lambda: divergence.Watch(np.zeros((2, 1)), np.zeros(2), 10.0).update,
        dict(t=1, params=np.ones((2, 1)), loss=np.ones(2)),
        ranges={"t": INDEX},
        # NaN/inf is what it detects; params may hold more columns than the start (a velocity)
        accept={"params": {"nan", "inf", "shape", "empty"}, "loss": {"nan", "inf"}},
    ),
    Example(lambda: WATCH.status, dict(steps=3)),
    Example(
        lambda: divergence.Trajectory,
        dict(arrays=(np.zeros(2),), diverged_at=-1, steps=3),
        kinds={"arrays": "sequence"},
        ranges={"diverged_at": Range(low=-1, integer=True)},
        accept={"arrays": {"empty"}},  # a tuple of no arrays is still a tuple
    ),
    # --- exercises ----------------------------------------------------------------------------
    Example(
        lambda: exercises.Tolerance,
        dict(rel=1e-3, abs=0.0, degrees=1.0),
        ranges={"rel": NONNEGATIVE, "abs": NONNEGATIVE, "degrees": NONNEGATIVE},
    ),
    Example(lambda: TOL.describe, dict(integer=False, vector=False)),
    Example(
        lambda: exercises.Result,
        dict(key="sqrt2", status="right", message="right"),
        kinds={"key": "text", "message": "text"},
    ),
    Example(
        lambda: exercises.Exercise,
        dict(
            key="sqrt2",
            answer=_sqrt2,
            tolerance=TOL,
            why="its square is 2",
            too_low="too small",
            too_high="too large",
            hint="",
            mistakes=((_two, "that is its square"),),
            integer=False,
            vector=False,
            fraction=False,
        ),
        kinds=EXERCISE_TEXT,
        accept={"mistakes": {"empty"}},  # no known mistake
    ),
    # None is the answer cell as shipped: "not answered yet"
    Example(lambda: EXERCISE.evaluate, dict(answer=1.4), accept={"answer": {"none"}}),
    Example(
        lambda: exercises.ExerciseSet,
        dict(exercises=[EXERCISE]),
        accept={"exercises": {"empty"}},  # a lesson without exercises
    ),
    Example(lambda: EXERCISES.evaluate, dict(key="sqrt2", answer=1.4), accept={"answer": {"none"}}),
    Example(lambda: EXERCISES.check, dict(key="sqrt2", answer=1.4), accept={"answer": {"none"}}),
    # --- figures ------------------------------------------------------------------------------
    Example(lambda: figures.describe_figure, dict(fig=FIG)),
    Example(lambda: figures.png_alt_text, dict(png=PNG)),
    Example(
        lambda: figures.png_with_alt_text,
        dict(pixels=PIXELS, alt="a black square", compress_level=1),
        kinds={"alt": "text"},
        ranges={"compress_level": Range(low=0, high=9, integer=True)},
    ),
    Example(lambda: figures.register_alt_text, dict(shell=None)),  # None: IPython's, if any
    Example(lambda: figures.freeze_overlay, dict(fig=FIG, artists=[LINE])),
    # --- lru ------------------------------------------------------------------------------------
    Example(lambda: lru.LRUCache, dict(size=2)),
    # any hashable key and any value (but None) are valid: nothing to replace them by
    Example(lambda: lru.LRUCache(2).get, dict(key="a"), fixed=("key",)),
    Example(lambda: lru.LRUCache(2).put, dict(key="a", value=1), fixed=("key", "value")),
    Example(lambda: lru.read_only, dict(value=np.zeros(2)), fixed=("value",)),
    # --- png ------------------------------------------------------------------------------------
    Example(
        lambda: png.encode,
        dict(pixels=PIXELS, text={"Description": "a black square"}, compress_level=1),
        accept={"text": {"none"}},
        ranges={"compress_level": Range(low=0, high=9, integer=True)},
    ),
    Example(
        lambda: figures.loss_surface,
        dict(problem=QUAD2, xlim=(-1.0, 1.0), ylim=(-1.0, 1.0), num=3),
        ranges={"num": Range(low=2, integer=True)},
    ),
    Example(
        lambda: figures.trajectory_limits,
        dict(trajectories=list(TRAJ.values()), margin=0.15),
        kinds={"trajectories": "sequence"},
    ),
    Example(
        lambda: figures.contour_levels,
        dict(loss=np.array([[0.0, 1.0], [2.0, 3.0]]), count=3),
        accept={"loss": {"nan", "inf", "shape", "ndim+2"}},  # overflowed somewhere in view
    ),
    Example(
        lambda: figures.draw_loss_bands,
        dict(ax=AX, problem=QUAD2, xlim=(-1.0, 1.0), ylim=(-1.0, 1.0), levels=3, num=3),
        ranges={"num": Range(low=2, integer=True), "levels": Range(low=1, high=200, integer=True)},
    ),
    Example(lambda: figures.alarm_text, dict(ax=AX, y=0.5)),
    Example(
        lambda: figures.draw_trajectories,
        dict(
            ax=AX,
            problem=QUAD2,
            trajectories=TRAJ,
            xlim=(-1.0, 1.0),
            ylim=(-1.0, 1.0),
            levels=3,
            colors={"GD": "k"},
        ),
        ranges={"levels": Range(low=1, high=200, integer=True)},
    ),
    Example(lambda: figures.canvas_png, dict(fig=FIG)),
    Example(lambda: figures.figure_png, dict(fig=FIG)),
    Example(lambda: figures.freeze_background, dict(fig=FIG)),
    Example(
        lambda: figures.blit_png,
        dict(fig=FIG, background=BACKGROUND, artists=[LINE]),
        accept={"artists": {"empty"}},  # the background alone
    ),
    # --- frames -------------------------------------------------------------------------------
    Example(lambda: frames.control_values, dict(widget=WIDGET)),
    Example(
        lambda: frames.caption_text,
        dict(controls={"lr": "0.1"}, note="a note"),
        kinds={"note": "text"},
    ),
    Example(
        lambda: frames.framed_png,
        dict(png=PNG, caption="a caption", alt="alt text"),
        kinds={"caption": "text", "alt": "text"},
    ),
    Example(
        lambda: frames.frame_bundle,
        dict(widget_bundle={"text/plain": "Widget()"}, png=PNG, alt="alt text", caption="c"),
        kinds={"alt": "text", "caption": "text"},
    ),
    Example(
        lambda: frames.LivePanel,
        dict(widget=WIDGET, png=PNG, controls={"lr": "0.1"}, extra=("a readout",)),
        accept={"extra": {"empty"}},  # no line under the controls
    ),
    # --- fits ---------------------------------------------------------------------------------
    Example(
        lambda: fits.loglog_slope, dict(x=np.array([1.0, 2.0, 4.0]), y=np.array([1.0, 0.5, 0.25]))
    ),
    # --- newton -------------------------------------------------------------------------------
    Example(
        lambda: newton.NewtonHistory,
        dict(
            loss=NHIST.loss,
            params=NHIST.params,
            diverged=NHIST.diverged,
            diverged_at=NHIST.diverged_at,
            steps=NHIST.steps,
            tracked=None,
            grad_norm=NHIST.grad_norm,
            hvps=NHIST.hvps,
            converged_at=NHIST.converged_at,
            status=NHIST.status,
            radius=None,
            accepted=None,
        ),
        kinds={"status": "sequence"},
        accept={**RECORDED, "grad_norm": {"nan", "inf"}},
    ),
    Example(lambda: NHIST.config, dict(c=1), ranges={"c": Range(low=0, high=1, integer=True)}),
    Example(lambda: newton.classify_point, dict(problem=QUAD, w=W, grad_tol=1e-6)),
    Example(
        lambda: newton.forcing_tolerance,
        dict(forcing="fixed", cg_tol=1e-10, grad_norm=np.array([1.0, 0.5])),
        kinds={"grad_norm": "elementwise"},
    ),
    Example(
        lambda: newton.format_small,
        dict(value=1e-3, floor=1e-14, digits=2),
        accept={"value": {"nan", "inf", "-inf"}},  # printed as nan / inf
    ),
    Example(
        lambda: newton.newton_direction,
        dict(
            problem=QUAD,
            w=W,
            method="newton",
            damping=0.0,
            cg_tol=1e-10,
            cg_maxiter=None,
            forcing="fixed",
            trust_radius=None,
        ),
    ),
    Example(
        lambda: newton.run,
        dict(
            problem=QUAD,
            w0=W,
            steps=2,
            method="newton",
            lr=1.0,
            damping=0.0,
            cg_tol=1e-10,
            cg_maxiter=None,
            line_search=False,
            grad_tol=0.0,
            blowup=1e6,
            forcing="fixed",
            trust_radius=None,
            max_radius=None,
        ),
        ranges={"grad_tol": NONNEGATIVE, "blowup": Range(low=1, low_open=True)},
    ),
    Example(
        lambda: newton.steihaug_cg,
        dict(
            hvp=lambda p: p @ QUAD.A,
            g=QUAD.grad(W)[None],
            radius=1.0,
            tol=1e-8,
            maxiter=5,
            damping=0.0,
        ),
        ranges={"radius": POSITIVE, "tol": POSITIVE},
    ),
    Example(
        lambda: newton.step_curvature, dict(problem=QUAD, params=np.array([W, 0.5 * W, 0.1 * W]))
    ),
    Example(
        lambda: newton.steps_to_tolerance,
        dict(values=np.array([1.0, 0.1, 0.01]), tol=0.05),
        ranges={"tol": None},
        accept={"values": {"nan", "inf", "shape", "ndim+2"}},  # NaN never counts as below tol
    ),
    Example(
        lambda: newton.trust_region_saddle_free,
        dict(H=np.diag([1.0, -1.0]), g=np.array([1.0, 1.0]), radius=1.0, damping=0.0),
    ),
    # --- optim --------------------------------------------------------------------------------
    Example(lambda: optim.sgd, dict(lr=0.1, momentum=0.5, nesterov=False)),
    Example(lambda: optim.adam, dict(lr=1e-3, b1=0.9, b2=0.999, eps=1e-8)),
    Example(lambda: optim.lookahead, dict(inner=SGD, k=5, alpha=0.5, inner_state="keep")),
    Example(lambda: optim.state_nbytes, dict(state=SGD.init(W))),
    Example(lambda: SGD.init, dict(params=W), accept={"params": {"shape"}}),  # any d
    Example(lambda: SGD.step, dict(params=W, grad=V, state=SGD.init(W)), accept=STEP),
    Example(
        lambda: optim.adam().step, dict(params=W, grad=V, state=optim.adam().init(W)), accept=STEP
    ),
    Example(
        lambda: optim.lookahead(SGD).step,
        dict(params=W, grad=V, state=optim.lookahead(SGD).init(W)),
        accept=STEP,
    ),
    # --- problems -----------------------------------------------------------------------------
    Example(lambda: Cosh, dict(c=0.5), ranges={"c": POSITIVE}),
    Example(lambda: XCos, dict(c=0.5), ranges={"c": POSITIVE}),
    Example(lambda: Saddle, dict(quartic=0.5), ranges={"quartic": NONNEGATIVE}),
    Example(lambda: SADDLE.loss, dict(w=np.array([0.1, 0.2])), accept=DIVERGED),
    Example(lambda: SADDLE.grad, dict(w=np.array([0.1, 0.2])), accept=DIVERGED),
    Example(lambda: SADDLE.hessian, dict(w=np.array([0.1, 0.2])), accept=DIVERGED),
    Example(
        lambda: SADDLE.hvp, dict(w=np.array([0.1, 0.2]), v=np.array([1.0, 0.0])), accept=DIVERGED
    ),
    Example(lambda: LeastSquares, dict(X=X, y=X @ W, l2=0.0)),
    Example(lambda: LSQ.loss, dict(w=W, idx=IDX), accept=ANY_BATCH),
    Example(lambda: LSQ.grad, dict(w=W, idx=IDX), accept={**ANY_BATCH, "idx": {"ndim+2"}}),
    Example(
        lambda: LSQ.minibatch_grad, dict(w=W, idx=IDX), accept={**ANY_BATCH, "idx": {"ndim+2"}}
    ),
    Example(lambda: LSQ.hessian, dict(w=W), accept=ANY_BATCH),
    Example(lambda: LSQ.hvp, dict(w=W, v=V), accept=DIVERGED),
    Example(lambda: LSQ.suboptimality, dict(w=W), accept=ANY_BATCH),
    Example(
        lambda: synthetic_regression,
        dict(n=4, d=2, noise=0.5, seed=0, sort_by_target=False),
        ranges={"noise": NONNEGATIVE},
    ),
    Example(lambda: LogisticRegression, dict(X=X, y=Y, l2=0.1), accept={"X": {"shape"}}),  # any p
    Example(lambda: LOGREG.loss, dict(w=W, idx=IDX), accept=DIVERGED),
    Example(lambda: LOGREG.grad, dict(w=W, idx=IDX), accept=DIVERGED),
    Example(lambda: LOGREG.loss_and_grad, dict(w=W, idx=IDX), accept=DIVERGED),
    Example(lambda: LOGREG.hessian, dict(w=W, idx=IDX), accept=DIVERGED),
    Example(lambda: LOGREG.hessian_factor, dict(w=W, idx=IDX), accept=DIVERGED),
    Example(lambda: LOGREG.hvp_operator, dict(w=W, idx=IDX), accept=DIVERGED),
    Example(lambda: LOGREG.hvp, dict(w=W, v=V, idx=IDX), accept=DIVERGED),
    Example(
        lambda: random_logistic_regression,
        dict(n=4, d=2, l2=0.01, seed=0, decay=1.0, signal=2.0),
        ranges={"decay": POSITIVE, "signal": NONNEGATIVE},
    ),
    Example(
        lambda: logistic.sigmoid,
        dict(z=np.array([-1.0, 0.0, 2.0])),
        kinds={"z": "elementwise"},
        accept={"z": {"nan", "inf"}},
    ),
    Example(
        lambda: logistic.softplus,
        dict(z=np.array([-1.0, 0.0, 2.0])),
        kinds={"z": "elementwise"},
        accept={"z": {"nan", "inf"}},
    ),
    Example(
        lambda: MLP,
        dict(X=X, y=Y.astype(int), hidden=2, l2=0.0, n_classes=2),
        accept={"X": {"shape"}},
        ranges={"n_classes": Range(low=2, integer=True)},
    ),
    Example(lambda: MLP_NET.unpack, dict(w=MLP_W[None]), accept=DIVERGED),
    Example(lambda: MLP_NET.init, dict(seed=0), accept={"seed": {"list1"}}),  # C seeds
    Example(lambda: MLP_NET.loss_and_grad, dict(w=MLP_W, idx=IDX), accept=DIVERGED),
    Example(lambda: MLP_NET.loss, dict(w=MLP_W, idx=IDX), accept=DIVERGED),
    Example(lambda: MLP_NET.grad, dict(w=MLP_W, idx=IDX), accept=DIVERGED),
    Example(lambda: MLP_NET.predict, dict(w=MLP_W, X=X), accept=DIVERGED),
    Example(lambda: MLP_NET.accuracy, dict(w=MLP_W, X=X, y=Y.astype(int)), accept=DIVERGED),
    Example(lambda: NoisyGradient, dict(problem=QUAD, sigma=0.1, steps=5, seed=0)),
    Example(lambda: NOISY.loss, dict(w=W), accept=DIVERGED),
    Example(lambda: NOISY.grad, dict(w=W, idx=None), accept=DIVERGED),
    Example(lambda: Quadratic, dict(A=np.diag([1.0, 2.0]), b=np.ones(2)), ranges={"b": None}),
    Example(lambda: QUAD.loss, dict(w=W), accept=DIVERGED),
    Example(lambda: QUAD.grad, dict(w=W), accept=DIVERGED),
    Example(lambda: QUAD.hessian, dict(w=W), accept=DIVERGED),
    Example(lambda: QUAD.hvp, dict(w=W, v=V), accept=DIVERGED),
    Example(
        lambda: conditioned_quadratic,
        dict(kappa=10.0, angle=0.5, minimizer=(0.0, 0.0), largest=1.0),
        ranges={"largest": POSITIVE},
    ),
    Example(lambda: Rosenbrock, dict(a=1.0, b=100.0), ranges={"b": POSITIVE}),
    Example(lambda: ROSEN.loss, dict(w=np.array([0.1, 0.2])), accept=DIVERGED),
    Example(lambda: ROSEN.grad, dict(w=np.array([0.1, 0.2])), accept=DIVERGED),
    Example(lambda: ROSEN.hessian, dict(w=np.array([0.1, 0.2])), accept=DIVERGED),
    Example(
        lambda: ROSEN.hvp, dict(w=np.array([0.1, 0.2]), v=np.array([1.0, 0.0])), accept=DIVERGED
    ),
    # --- sampling -----------------------------------------------------------------------------
    Example(
        lambda: sampling.batch_indices,
        dict(n=6, batch_size=2, steps=3, scheme="random_reshuffling", seed=0),
    ),
    Example(
        lambda: sampling.batch_indices_per_seed,
        dict(n=6, batch_size=2, steps=3, scheme="random_reshuffling", seeds=[0, 1]),
    ),
    Example(
        lambda: sampling.coupon_cdf,
        dict(n=4, t=np.array([4, 8]), max_work=5e8),
        ranges={"max_work": POSITIVE, "t": NONNEGATIVE},
        accept={"t": {"shape", "ndim+2"}},
    ),
    Example(
        lambda: sampling.coupon_mean_draws, dict(n=np.array([1, 10])), kinds={"n": "elementwise"}
    ),
    Example(
        lambda: sampling.draw_count_pmf,
        dict(n=10, k=np.array([0, 1, 2])),
        ranges={"k": Range(low=0, integer=True)},
        kinds={"k": "elementwise"},
    ),
    Example(lambda: sampling.harmonic, dict(n=np.array([1, 10])), kinds={"n": "elementwise"}),
    Example(
        lambda: sampling.minibatch_variance_factor,
        dict(n=10, b=np.array([1, 5])),
        accept={"b": {"shape", "ndim+2"}},
    ),
    Example(lambda: sampling.p_any_repeat, dict(n=np.array([1, 10])), kinds={"n": "elementwise"}),
    Example(
        lambda: sampling.p_at_least_once, dict(n=np.array([1, 10])), kinds={"n": "elementwise"}
    ),
    Example(
        lambda: sampling.p_draw_on_repeated, dict(n=np.array([1, 10])), kinds={"n": "elementwise"}
    ),
    Example(lambda: sampling.p_exactly_once, dict(n=np.array([1, 10])), kinds={"n": "elementwise"}),
    Example(lambda: sampling.p_repeated, dict(n=np.array([1, 10])), kinds={"n": "elementwise"}),
    Example(
        lambda: sampling.poisson_pmf,
        dict(k=np.array([0, 1, 2]), rate=1.0),
        ranges={"rate": POSITIVE, "k": Range(low=0, integer=True)},
        kinds={"k": "elementwise"},
    ),
    Example(lambda: sampling.reference, dict(n=10, which="at_least_once", digits=20)),
    Example(lambda: sampling.relative_error, dict(value=0.5, ref=EXACT)),
    Example(
        lambda: sampling.var_fraction_seen, dict(n=np.array([1, 10])), kinds={"n": "elementwise"}
    ),
    # --- source -------------------------------------------------------------------------------
    Example(
        lambda: source.Source,
        dict(code="x = 1", path="helpers/x.py", name="helpers.x.f", lines=(1, 1)),
        kinds={"code": "text", "path": "text", "name": "text"},
    ),
    # section None: the whole body below the docstring
    Example(lambda: source.excerpt, dict(function=optim.sgd, section="momentum step")),
    Example(lambda: source.show, dict(function=optim.sgd, section="momentum step")),
    # --- stability ----------------------------------------------------------------------------
    Example(
        lambda: stability.stability_limit,
        dict(beta=np.array([0.0, 0.9]), nesterov=False),
        kinds={"beta": "elementwise"},
    ),
    Example(
        lambda: stability.stable_on_quadratic,
        dict(lr=np.array([0.1, 1.0]), beta=0.9, curvature=1.0, nesterov=False),
        ranges={"curvature": POSITIVE},
        kinds={"lr": "elementwise"},
    ),
    Example(
        lambda: stability.iteration_matrix,
        dict(lr=0.1, beta=0.9, curvature=1.0, nesterov=False),
        ranges={"curvature": POSITIVE},
    ),
    Example(
        lambda: stability.spectral_radius,
        dict(h=np.array([0.1, 1.0]), beta=0.9, nesterov=False),
        ranges={"h": NONNEGATIVE},
        kinds={"h": "elementwise"},
    ),
    Example(
        lambda: stability.critical_damping,
        dict(h=np.array([0.1, 1.0])),
        ranges={"h": NONNEGATIVE},
        kinds={"h": "elementwise"},
    ),
    Example(
        lambda: stability.optimal_heavy_ball,
        dict(mu=1.0, L=10.0),
        ranges={"mu": POSITIVE, "L": POSITIVE},
    ),
    Example(
        lambda: stability.optimal_nesterov,
        dict(mu=1.0, L=10.0),
        ranges={"mu": POSITIVE, "L": POSITIVE},
    ),
    Example(
        lambda: stability.worst_rate,
        dict(lr=0.1, beta=0.5, mu=1.0, L=10.0, nesterov=False, num=4),
        ranges={"mu": POSITIVE, "L": POSITIVE, "num": Range(low=2, integer=True)},
    ),
    # --- tables -------------------------------------------------------------------------------
    Example(
        lambda: tables.format_loss,
        dict(value=0.5, digits=3, missing="diverged"),
        accept={"value": {"nan", "inf", "-inf"}},
    ),
    Example(
        lambda: tables.LossTable,
        dict(values=TABLE.values, title="t", digits=3, missing="diverged"),
        kinds={"values": "object"},
    ),
    Example(lambda: tables.SideBySide, dict(tables=(TABLE, TABLE)), kinds={"tables": "sequence"}),
    Example(lambda: tables.side_by_side, dict(tables=[TABLE, TABLE]), kinds={"tables": "sequence"}),
    # --- timing -------------------------------------------------------------------------------
    Example(
        lambda: timing.median_seconds,
        dict(fn=_noop, repeats=2, warmup=0),
        ranges={"warmup": Range(low=0, integer=True)},
    ),
    Example(lambda: timing.fastest, dict(fn=_noop, repeats=2)),
    Example(
        lambda: timing.seconds_per_step,
        dict(optimizer=SGD, params=W, grad_fn=_grad, steps=2, repeats=2),
        ranges={"steps": COUNT},
        accept={"params": {"shape"}},  # any d
    ),
    Example(
        lambda: timing.compare_seconds_per_step,
        dict(first=SGD, second=SGD, params=W, grad_fn=_grad, steps=2, repeats=2),
        ranges={"steps": COUNT},
        accept={"params": {"shape"}},
    ),
    Example(lambda: timing.report_targets, dict(verdicts={"fast": True})),
    # --- train --------------------------------------------------------------------------------
    Example(
        lambda: train.History,
        dict(
            loss=HIST.loss,
            params=HIST.params,
            diverged=HIST.diverged,
            diverged_at=HIST.diverged_at,
            steps=HIST.steps,
            tracked=None,
        ),
        accept=RECORDED,
    ),
    Example(lambda: HIST.config, dict(c=1), ranges={"c": Range(low=0, high=1, integer=True)}),
    Example(
        lambda: train.run,
        dict(
            problem=LOGREG,
            optimizer=SGD,
            w0=W,
            steps=2,
            batch_size=2,
            scheme="random_reshuffling",
            seed=0,
            blowup=1e6,
            log_every=1,
            track=None,
        ),
    ),
]

# --- controls (the sliders' grids, readouts and typed input) ------------------------------------
import ipywidgets  # noqa: E402  (tests may use widgets; the library is given the module)

from helpers import controls  # noqa: E402

GRID = controls.Grid.linear("lr", 0.1, 0.5, 0.1)
KGRID = controls.Grid.linear("k", 1, 4, 1)
STATUS = ipywidgets.HTML()


def _entry():
    return controls.slider_entry(ipywidgets, GRID, 0.2, "lr", STATUS)


EXAMPLES += [
    Example(
        lambda: controls.Grid,
        dict(name="lr", values=(0.1, 0.2, 0.5), log_snap=True, integer=False),
        kinds={"name": "text", "values": "array"},
    ),
    Example(
        lambda: controls.Grid.log,
        dict(name="lr", low=0.01, high=1.0, mantissas=controls.NICE_MANTISSAS),
        kinds={"name": "text", "mantissas": "array"},
    ),
    Example(
        lambda: controls.Grid.powers,
        dict(name="kappa", exponents=(0.0, 0.5, 1.0), base=10.0),
        kinds={"name": "text", "exponents": "array"},
        ranges={"base": Range(low=1.0, low_open=True)},
    ),
    Example(
        lambda: controls.Grid.linear,
        dict(name="k", low=1, high=5, step=1),
        kinds={"name": "text", "low": "number", "high": "number", "step": "number"},
        ranges={"step": Range(low=0.0, low_open=True)},
    ),
    Example(
        lambda: controls.Grid.of,
        dict(name="n", values=(10, 100, 1000), log_snap=True),
        kinds={"name": "text", "values": "array"},
    ),
    Example(lambda: GRID.label, dict(value=0.2), kinds={"value": "number"}),
    Example(lambda: KGRID.value_type, dict(value=2), kinds={"value": "number"}),
    Example(
        lambda: GRID.exact,
        dict(value=0.2, name="lr"),
        kinds={"value": "number", "name": "text"},
        accept={"name": {"none"}},  # None: the error names the slider instead
    ),
    Example(lambda: GRID.nearest, dict(value=0.23), kinds={"value": "number"}),
    Example(
        lambda: GRID.parse,
        dict(text="0.3", current=0.2),
        kinds={"text": "text", "current": "number"},
        accept={"current": {"none"}},  # None: no value to keep
    ),
    Example(
        lambda: controls.format_number,
        dict(value=0.05, digits=3),
        kinds={"value": "number", "digits": "integer"},
        accept={"value": {"nan", "inf", "-inf"}},  # written as nan / inf
    ),
    Example(lambda: controls.png_width, dict(png=PNG)),
    Example(
        lambda: controls.slider_entry,
        dict(widgets=ipywidgets, grid=GRID, value=0.2, description="lr", status=STATUS),
        kinds={"widgets": "object", "grid": "object", "value": "number", "description": "text"},
    ),
    Example(lambda: _entry().observe, dict(callback=_noop), kinds={"callback": "function"}),
    Example(lambda: _entry().set_grid, dict(grid=GRID), kinds={"grid": "object"}),
    Example(
        lambda: _entry().set_disabled,
        dict(disabled=True, why="n/a"),
        kinds={"disabled": "bool", "why": "text"},
    ),
]
