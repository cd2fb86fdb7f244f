"""helpers.lessons.sampling.explorer and .figures: what each slider move computes and draws."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import sampling
from helpers.lessons.sampling import coverage
from helpers.lessons.sampling.explorer import (
    N_CHOICES,
    SCHEME_YLIM,
    SGD_N_CHOICES,
    STEP_GRID,
    CoverageExplorer,
    SchemeExplorer,
    panel,
    scheme_divergence_message,
    scheme_finding,
    sorted_problem,
)
from helpers.lessons.sampling.figures import draw_floors, draw_naive_error, draw_rates, unstable
from helpers.lessons.sampling.shuffling import SCHEME_LABELS, rounding_level, run_schemes
from tests import widget_tree


@pytest.fixture(scope="module")
def cov():
    return CoverageExplorer(epochs=2.0, draws=20_000, seed=0)


@pytest.fixture(scope="module")
def sgd():
    return SchemeExplorer(epochs=6, seeds=range(3))


def test_coverage_update_is_the_simulation(cov):
    counts = cov.update(100)
    expected = coverage.monte_carlo_epoch(100, cov.replicates(100), seed=0)
    np.testing.assert_array_equal(counts.histogram, expected.histogram)
    assert cov.replicates(100) == 200 and cov.replicates(10**6) == 2  # capped by max_draws
    assert CoverageExplorer(draws=20_000, max_draws=10**7).replicates(10**6) == 10
    assert "n = 100:" in cov.ax_counts.get_title()
    assert f"exact {sampling.p_at_least_once(100):.4f}" in cov.ax_counts.get_title()
    half = 1.96 * np.sqrt(sampling.var_fraction_seen(100) / 200)
    assert f"± {half:.4f} (95%)" in cov.ax_counts.get_title()


def test_coverage_caps_and_caches():
    explorer = CoverageExplorer(epochs=1.0, draws=1000, curve_n=50, seed=0)
    counts = explorer.update(200)
    assert counts.replicates == 10  # min_replicates
    curves_n = explorer.simulate(200)[2]
    assert curves_n == 50 and "at n = 50" in explorer.ax_cover.get_title()
    assert explorer.simulate(200)[0] is counts  # cached
    png = explorer.render()
    explorer.update(20)
    assert explorer.render() != png
    explorer.update(200)
    assert explorer.render() is png  # rendered once per n
    with pytest.raises(ValueError, match=r"^update"):
        CoverageExplorer().render()


def test_coverage_render_follows_n(cov):
    cov.update(10)
    small = cov.render()
    cov.update(1000)
    large = cov.render()
    assert small.startswith(b"\x89PNG") and small != large
    cov.update(10)
    assert cov.render() == small  # same n, same seed, same pixels


def test_coverage_update_handles_the_smallest_n(cov):
    counts = cov.update(1)
    assert np.all(counts.seen == 1.0)


def test_coverage_panel_moves_with_the_slider(cov):
    box = panel(cov, n=10)
    slider, entry = widget_tree.controls(box)["n"], widget_tree.entries(box)["n"]
    image = widget_tree.image(box)
    assert [v for _, v in slider.options] == list(N_CHOICES)
    assert slider.readout is False and entry.value == "10"  # the box beside it takes typing
    before = bytes(image.value)
    slider.value = 1000
    assert bytes(image.value) != before and "n = 1,000:" in cov.ax_counts.get_title()
    assert entry.value == "1,000"
    entry.value = "400"  # between 100 and 1,000: the nearer in log distance, with a message
    assert slider.value == 1000 and entry.value == "1,000"
    assert widget_tree.status(box).value == "n 400 is between the slider's values; using 1,000"
    entry.value = "10**6"
    assert slider.value == 1000 and "not a number" in widget_tree.status(box).value


def test_scheme_update_is_run_schemes(sgd):
    runs = sgd.update(0.05, 16, 2)
    problem = sorted_problem(16)
    expected = run_schemes(problem, np.zeros(problem.d), 6, 0.05, seeds=range(3), batch_size=2)
    np.testing.assert_array_equal(runs.subopt, expected.subopt)
    assert sgd.problem(16) is sgd.problem(16)  # built once per n
    labels = sgd.labels()
    assert len(labels) == 4 and all("floor" in label for label in labels)


def test_scheme_update_shows_divergence(sgd):
    runs = sgd.update(5.0, 8, 1)
    assert runs.diverged.all()
    labels = sgd.labels()
    assert all("diverged" in label for label in labels)


def test_with_replacement_diverges_first():
    """At step 2 (between the slider's 1.6 and 2.4: the explorer called directly) sampling with
    replacement diverges where reshuffling does not; the slider's largest step makes every
    scheme diverge (the panel's 40 epochs and 8 seeds)."""
    explorer = SchemeExplorer(epochs=40, seeds=range(8))
    for n in (8, 32, 256):
        runs = explorer.update(2.0, n, 1)
        diverged = runs.diverged.any(axis=(1, 2))
        assert diverged[runs.scheme_index("with_replacement")]
        assert not diverged[runs.scheme_index("random_reshuffling")]
        top = STEP_GRID.values[-1]  # the slider's maximum
        assert explorer.update(top, n, 1).diverged.any(axis=(1, 2)).all()


def test_scheme_panel_wiring(sgd):
    box = panel(sgd, lr=0.05, n=32, batch_size=16)
    controls, entries = widget_tree.controls(box), widget_tree.entries(box)
    image = widget_tree.image(box)
    assert set(controls) == {"step size", "n", "batch size"}
    assert controls["step size"].value == 0.05 and entries["step size"].value == "0.05"
    assert controls["n"].readout is False and entries["n"].value == "32"
    assert [v for _, v in controls["n"].options] == list(SGD_N_CHOICES)
    before = bytes(image.value)
    controls["step size"].value = 0.1
    assert bytes(image.value) != before and "step 0.1," in sgd.title.get_text()
    controls["n"].value = 8  # batch size 16 > 8: the nearest offered, 8, with a message
    assert controls["batch size"].value == 8 and entries["batch size"].value == "8"
    assert "n = 8, batch size 8" in sgd.title.get_text()
    assert "batch size 16 is above the maximum 8; using 8" in widget_tree.status(box).value
    entries["step size"].value = "10"
    assert controls["step size"].value == 3.2
    controls["batch size"].value = 1
    assert sgd.alarm.get_visible() and "diverged at epoch" in sgd.alarm.get_text()


def test_scheme_divergence_message_names_the_epoch_and_seeds(sgd):
    runs = sgd.update(3.0, 32, 1)
    message = scheme_divergence_message(runs)
    first = int(runs.diverged_at[0, 0].min())
    assert message.splitlines()[0] == f"with replacement diverged at epoch {first} (3 of 3 seeds)"
    assert scheme_divergence_message(sgd.update(0.05, 32, 1)) == ""


def test_static_drawings_run():
    fig, axes = plt.subplots(1, 4)
    ns = np.array([1.0, 10.0, 1e6, 1e18])
    refs = [sampling.reference(int(n)) for n in ns]
    errors = [
        np.array([sampling.relative_error(v, r) for v, r in zip(values, refs, strict=True)])
        for values in (coverage.p_at_least_once_naive(ns), sampling.p_at_least_once(ns))
    ]
    assert errors[0][0] == 0.0  # n = 1 is exact: drawn as a hollow marker, not lost
    draw_naive_error(axes[0], ns, *errors)
    assert any("exactly 0" in t.get_text() for t in axes[0].get_legend().get_texts())
    problem = sorted_problem(8)
    runs = run_schemes(problem, np.zeros(problem.d), 12, [0.05, 0.1], seeds=range(2))
    draw_floors(axes[1], runs, last=0.5)  # epoch ends only: one error-bar series per scheme
    assert len(axes[1].containers) == 4 and axes[1].get_yscale() == "log"
    both = run_schemes(
        problem, np.zeros(problem.d), 12, [0.05, 0.1], seeds=range(2), iterate_last=0.5
    )
    draw_floors(axes[3], both, last=0.5)  # ends and all iterates, each with its slope interval
    assert len(axes[3].containers) == 8
    assert all(" / " in t.get_text() for t in axes[3].get_legend().get_texts()[:4])
    decaying = run_schemes(problem, np.zeros(problem.d), 12, 0.1, seeds=range(2), decay_epochs=2.0)
    draw_rates(axes[2], decaying, (2, 12))
    assert all("theory" in t.get_text() for t in axes[2].get_legend().get_texts())
    plt.close(fig)


def test_explorer_arguments():
    with pytest.raises(ValueError, match=r"^epochs\b"):
        CoverageExplorer(epochs=0)
    with pytest.raises(ValueError, match=r"^min_replicates\b"):
        CoverageExplorer(min_replicates=1)
    with pytest.raises(ValueError, match=r"^epochs\b"):
        SchemeExplorer(epochs=0)
    with pytest.raises(ValueError, match=r"^n\b"):
        CoverageExplorer().update(0)


def test_step_grid_holds_section_a_steps():
    """Every step of section (a)'s table is on the slider exactly (0.4 / 2^k), 0.05 included."""
    for k in range(7):
        assert 0.4 / 2**k in STEP_GRID.values
    assert STEP_GRID.exact(0.05) == 0.05 and STEP_GRID.exact(0.00625) == 0.00625


def test_scheme_panel_flags_partial_divergence_and_unstable_runs():
    """Review finding: a run diverged at 1 of 8 seeds, or one that rose far above its start
    without being flagged, must say so (legend, banner, a triangle where it leaves the axes)."""
    explorer = SchemeExplorer(epochs=40, seeds=range(8))
    runs = explorer.update(2.0, 32, 1)
    labels = explorer.labels()
    k = int(runs.diverged[0, 0].sum())
    assert 0 < k < 8 and labels[0] == f"with replacement (diverged at {k} of 8 seeds)"
    assert f"({k} of 8 seeds)" in scheme_divergence_message(runs).splitlines()[0]
    runs = explorer.update(1.6, 256, 1)
    assert not runs.diverged.any()
    fixed = runs.scheme_index("fixed")
    peak = float(np.nanmax(runs.mean()[fixed, 0]))
    assert peak > 10  # off the top of the fixed axes
    labels = explorer.labels()
    assert labels[fixed] == f"fixed order (unstable, up to {peak:.2g})"
    message = scheme_divergence_message(runs)  # all four rose: one line says so
    start = runs.mean()[0, 0, 0]
    assert message == f"every scheme unstable: f - f* rose above its start {start:.2g}"
    marker = explorer.edges[2 * fixed]  # a triangle at the top edge where the mean leaves
    assert marker.get_marker() == "^" and list(marker.get_ydata()) == [SCHEME_YLIM[1]]
    first_above = np.flatnonzero(runs.mean()[fixed, 0] > SCHEME_YLIM[1])[0]
    assert list(marker.get_xdata()) == [runs.epochs[first_above]]
    calm = runs.scheme_index("random_reshuffling")
    assert np.nanmax(runs.mean()[calm, 0]) <= SCHEME_YLIM[1]
    assert len(explorer.edges[2 * calm].get_xdata()) == 0


def test_scheme_panel_marks_a_mean_that_falls_below_the_axes():
    """Review finding: at batch size n the full-batch runs reach f* to rounding (1e-32), below
    the axes' 1e-9, and left them unmarked."""
    explorer = SchemeExplorer(epochs=40, seeds=range(8))
    runs = explorer.update(3.2, 256, 256)
    marked = 0
    for s in range(len(runs.schemes)):
        below = np.flatnonzero(runs.mean()[s, 0] < SCHEME_YLIM[0])
        marker = explorer.edges[2 * s + 1]
        assert marker.get_marker() == "v"
        assert list(marker.get_xdata()) == list(runs.epochs[below[:1]])
        assert list(marker.get_ydata()) == [SCHEME_YLIM[0]] * min(1, below.size)
        marked += bool(below.size)
    assert marked >= 3  # the three schemes that take the full-batch step
    rounding = rounding_level(explorer.problem(256))
    assert explorer.labels()[1:] == [
        f"random reshuffling (f* to rounding, < {rounding:.0e})",
        f"shuffle once (f* to rounding, < {rounding:.0e})",
        f"fixed order (f* to rounding, < {rounding:.0e})",
    ]
    assert scheme_finding(runs, rounding).startswith(
        "Random reshuffling, shuffle once, fixed order reach f* to rounding"
    )
    # Review finding: a floor of 1e-21 that is still falling fast is no floor either.
    runs = explorer.update(3.2, 32, 32)
    falling = [label for label in explorer.labels() if "still falling" in label]
    assert len(falling) == 3 and "with replacement (floor at ends" in explorer.labels()[0]
    # Equal floors (to the digits shown) are not ranked.
    runs = explorer.update(0.05, 8, 7)
    assert scheme_finding(runs).startswith("Floor at epoch ends 0.013 for with replacement")


def test_scheme_legend_notes_fit_in_the_frame_and_the_titles_do_not_overlap():
    """The legend (two columns above the axes: it hides no curve) has its names drawn once and
    the notes beside them redrawn each move: every note, at its widest, must sit on its name's
    line, inside the frame, clear of the next column; the setting (top right) must leave the
    heading readable at the widest setting; the titles sit above the legend."""
    explorer = SchemeExplorer(epochs=40, seeds=range(8))
    renderer = explorer.fig.canvas.get_renderer()
    legend = explorer.ax.get_legend()
    frame = legend.get_window_extent(renderer)
    assert frame.y0 >= explorer.ax.bbox.y1  # above the axes
    names = [t.get_window_extent(renderer) for t in legend.get_texts()]
    starts = sorted({round(b.x0) for b in names})
    assert len(starts) == 2  # two columns
    second = min(h.get_window_extent(renderer).x0 for h in legend.legend_handles[2:])
    widest = [
        f"diverged at {8} of {8} seeds",
        "unstable, up to 8.8e+05",
        "floor at ends 8.8e-10",
        "f* to rounding, < 2e-29",
        "still falling: 1.6e-25 at epoch 40",
    ]
    for text in widest:
        for name, note in zip(names, explorer.notes, strict=True):
            note.set_text(text)
            box = note.get_window_extent(renderer)
            assert name.x1 < box.x0 and box.x1 < explorer.fig.bbox.x1 - 5, text
            if round(name.x0) == starts[0]:
                assert box.x1 + 10 < second, text  # clear of the second column's lines
            assert abs(box.y0 - name.y0) < 1  # on the name's line
    explorer.update(STEP_GRID.values[0], 256, 256)  # the longest setting text
    left = explorer.heading.get_window_extent(renderer)
    right = explorer.title.get_window_extent(renderer)
    assert left.x1 + 10 < right.x0 and right.x1 <= explorer.fig.bbox.x1
    assert min(left.y0, right.y0) > frame.y1


def test_scheme_results_are_cached_and_shown_again_exactly():
    explorer = SchemeExplorer(epochs=6, seeds=range(3), cache_size=2)
    first = explorer.update(0.05, 16, 1)
    png = explorer.render()
    explorer.update(0.1, 16, 2)
    assert explorer.update(0.05, 16, 1) is first  # a hit: the same runs, not a rerun
    assert explorer.render() == png
    assert explorer.title.get_text() == "step 0.05, n = 16, batch size 1"  # the figure too
    fresh = SchemeExplorer(epochs=6, seeds=range(3), cache_size=0)
    fresh.update(0.05, 16, 1)
    assert fresh.render() == png and fresh.labels() == explorer.labels()
    second = explorer.update(0.1, 16, 2)  # a hit, now the most recent
    explorer.update(0.2, 16, 1)  # a third setting evicts the least recent, (0.05, 16, 1)
    assert list(explorer._cache) == [(0.1, 16, 2), (0.2, 16, 1)]
    assert explorer.update(0.1, 16, 2) is second
    rerun = explorer.update(0.05, 16, 1)
    assert rerun is not first and np.array_equal(rerun.subopt, first.subopt)
    with pytest.raises(ValueError, match="cache_size"):
        SchemeExplorer(cache_size=-1)
    with pytest.raises(ValueError, match="batch_size"):
        explorer.update(0.05, 16, 17)


def test_scheme_alt_text_pairs_each_note_with_its_scheme():
    from helpers.figures import png_alt_text

    explorer = SchemeExplorer(epochs=6, seeds=range(3))
    explorer.update(0.05, 16, 1)
    alt = png_alt_text(explorer.render())
    assert f"Legend: {'; '.join(explorer.labels())}." in alt
    assert "Text: floor" not in alt  # each note once, beside its name


def test_coverage_marks_a_probability_above_its_axis_and_keeps_its_legends():
    """At n = 1 the one sample is drawn once with probability 1, above the axis' 0.8: a triangle
    on the top edge and the value say so. The legends are drawn once and composited."""
    from helpers.lessons.sampling.figures import COUNTS_YMAX

    explorer = CoverageExplorer(draws=2_000, max_draws=20_000)
    explorer.update(1000)
    explorer.render()
    explorer.update(1)
    tops = [ln for ln in explorer.ax_counts.lines if ln.get_marker() == "^"]
    assert len(tops) == 1 and list(tops[0].get_ydata()) == [COUNTS_YMAX]
    assert list(tops[0].get_xdata()) == [1]
    assert [t.get_text() for t in explorer.ax_counts.texts] == ["1.00"]
    assert "2,000 simulated epochs" in explorer.ax_counts.get_title()
    labels = [t.get_text() for t in explorer.ax_counts.get_legend().get_texts()]
    assert labels == ["Binomial(n, 1/n)", "Poisson(1)", "simulated (95% CI)"]
    assert len(explorer._legends) == 2
    explorer.update(100)  # back below the axis top: no marker
    assert not [ln for ln in explorer.ax_counts.lines if ln.get_marker() == "^"]


def test_with_replacement_diverges_no_later_than_any_scheme_at_the_largest_steps():
    """What notebook 3 says of steps 2.4 and 3.2 at batch size 1, at every n of the slider."""
    explorer = SchemeExplorer(epochs=40, seeds=range(8), cache_size=0)
    for n in SGD_N_CHOICES:
        for lr in (2.4, 3.2):
            runs = explorer.update(lr, n, 1)
            first = []
            for s in range(len(runs.schemes)):
                at = runs.diverged_at[s, 0]
                first.append(at[at >= 0].min() if (at >= 0).any() else np.inf)
            wr = first[runs.scheme_index("with_replacement")]
            assert np.isfinite(wr) and wr <= min(first), (n, lr, first)


def test_some_unstable_schemes_are_named_on_a_second_line():
    """Two of the four rose (not diverged) at step 0.8, n = 32: the line says what, the next
    which (every scheme rising is one line: see the test above)."""
    runs = SchemeExplorer(epochs=40, seeds=range(8), cache_size=0).update(0.8, 32, 1)
    rising = [s for s in range(len(runs.schemes)) if unstable(runs, s, 0) is not None]
    assert 1 < len(rising) < len(runs.schemes) and not runs.diverged[rising].any()
    first, second = scheme_divergence_message(runs).splitlines()
    assert first == f"unstable: f - f* rose above its start {runs.mean()[0, 0, 0]:.2g}"
    assert second == ", ".join(SCHEME_LABELS[runs.schemes[s]] for s in rising)


def test_one_unstable_scheme_gets_its_own_line_with_its_peak():
    explorer = SchemeExplorer(epochs=40, seeds=range(8), cache_size=0)
    for lr in STEP_GRID.values[::-1]:
        runs = explorer.update(lr, 32, 1)
        peaks = [unstable(runs, s, 0) for s in range(len(runs.schemes))]
        rising = [s for s, p in enumerate(peaks) if p is not None and not runs.diverged[s, 0].any()]
        if len(rising) == 1:
            s = rising[0]
            line = scheme_divergence_message(runs).splitlines()[-1]
            start = runs.mean()[s, 0, 0]
            label = SCHEME_LABELS[runs.schemes[s]]
            assert line == f"{label} unstable: f - f* rose from {start:.2g} to {peaks[s]:.2g}"
            return
    pytest.skip("no step on the slider has exactly one unstable scheme at n = 32")


def test_still_falling_is_resolved_over_the_seeds():
    """Review finding: a rule on the seed mean at two epochs flipped with the seeds (16% of the
    random schemes' notes). Now the same for seeds 0-7 and 8-15 at the settings it flipped at,
    and still found where the runs do fall (batch size n: gradient descent)."""
    first = SchemeExplorer(epochs=40, seeds=range(8), cache_size=0)
    second = SchemeExplorer(epochs=40, seeds=range(8, 16), cache_size=0)
    for setting in ((0.075, 8, 1), (0.3, 8, 4), (0.0375, 16, 1)):
        first.update(*setting)
        second.update(*setting)
        kinds = [
            [label.split("(")[1].split(":")[0].split(" at ")[0] for label in e.labels()]
            for e in (first, second)
        ]
        assert kinds[0] == kinds[1], setting
    first.update(3.2, 32, 32)
    assert sum("still falling" in label for label in first.labels()) == 3
