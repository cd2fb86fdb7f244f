import numpy as np
import pytest

from helpers.controls import NICE_MANTISSAS, Grid, format_number, png_width


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1000.0, "1000"),
        (0.0001, "0.0001"),
        (0.05, "0.05"),
        (10**-1.3, "0.0501"),
        (31.62, "31.6"),
        (20_000, "20,000"),
        (10**6, "1e6"),
        (2.5e-7, "2.5e-7"),
        (0.0, "0"),
        (-0.5, "-0.5"),
    ],
)
def test_numbers_are_written_for_people(value, text):
    assert format_number(value) == text
    assert "e+" not in format_number(value) and not format_number(value).endswith("00e")


def test_log_grid_holds_the_round_presets_exactly():
    grid = Grid.log("lr", 0.001, 10.0)
    for preset in (0.001, 0.01, 0.05, 0.1, 0.5, 1.0, 1.5, 2.0, 3.0, 10.0):
        assert grid.exact(preset) == preset
        assert grid.label(preset) == f"{preset:g}"
    assert len(grid.values) == 4 * len(NICE_MANTISSAS) + 1
    ratios = np.diff(np.log(grid.values))
    assert ratios.max() < np.log(1.34)  # no gap wider than a factor 1.34
    assert Grid.log("kappa", 1, 1000).exact(30) == 30
    with pytest.raises(ValueError, match=r"^lr 0.033 is not on the slider's grid \(nearest 0.03\)"):
        grid.exact(0.033)
    with pytest.raises(ValueError, match="low and high"):
        Grid.log("lr", 0.0011, 1.0)


def test_linear_grid_values_are_the_decimals():
    grid = Grid.linear("beta", 0.05, 0.99, 0.01)
    assert 0.15 in grid.values and 0.9 in grid.values and grid.values[-1] == 0.99
    assert Grid.linear("k", 1, 20, 1).options()[:2] == [("1", 1), ("2", 2)]
    with pytest.raises(ValueError, match="multiple of step"):
        Grid.linear("x", 0.0, 1.0, 0.3)


@pytest.mark.parametrize(
    ("text", "value", "message"),
    [
        ("0.05", 0.05, ""),
        (" 5e-2 ", 0.05, ""),
        ("5", 3.0, "lr 5 is above the maximum 3; using 3"),
        ("1e9", 3.0, "lr 1e9 is above the maximum 3; using 3"),
        ("-1", 0.001, "lr -1 is below the minimum 0.001; using 0.001"),
        ("0.033", 0.03, "lr 0.033 is between the slider's values; using 0.03"),
        ("abc", 0.5, "lr 'abc' is not a number; keeping 0.5"),
        ("1,5", 0.5, "lr '1,5' is not a number (use a point for decimals); keeping 0.5"),
        ("nan", 0.5, "lr nan is not a finite number; keeping 0.5"),
        ("inf", 0.5, "lr inf is not a finite number; keeping 0.5"),
        ("", 0.5, "lr '' is not a number; keeping 0.5"),
    ],
)
def test_typed_text_gives_the_value_used_and_says_why(text, value, message):
    assert Grid.log("lr", 0.001, 3.0).parse(text, current=0.5) == (value, message)


def test_integer_grids_read_thousands_and_refuse_fractions_honestly():
    grid = Grid.of("n", (1, 10, 100, 1000, 10**6), log_snap=True)
    assert grid.parse("1,000") == (1000, "")
    assert grid.parse("1_000_000") == (10**6, "")
    assert grid.parse("400") == (1000, "n 400 is between the slider's values; using 1,000")
    assert grid.label(10**6) == "1,000,000"
    assert Grid.linear("k", 1, 20, 1).parse("2.4") == (
        2,
        "k 2.4 is between the slider's values; using 2",
    )
    assert Grid.linear("k", 1, 20, 1).parse("x") == (None, "k 'x' is not a number")


def test_powers_grid_is_a_log_sliders_grid():
    grid = Grid.powers("kappa", [round(0.1 * i, 10) for i in range(31)])
    assert grid.exact(100.0) == 100.0 and grid.label(10**1.5) == "31.6"
    assert grid.parse("30") == (10**1.5, "kappa 30 is between the slider's values; using 31.6")


def test_png_width_reads_the_header():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from helpers.figures import figure_png

    fig = Figure(figsize=(10, 2), dpi=84)
    FigureCanvasAgg(fig)
    png = figure_png(fig)
    assert png_width(png) == 840 and png_width(memoryview(png)) == 840
    with pytest.raises(ValueError, match="PNG"):
        png_width(b"GIF89a" + bytes(30))
    with pytest.raises(TypeError, match="png"):
        png_width("x")


def test_grids_reject_bad_values():
    with pytest.raises(ValueError, match="increasing"):
        Grid("x", (1.0, 1.0))
    with pytest.raises(ValueError, match="positive"):
        Grid("x", (0.0, 1.0), log_snap=True)


def test_slider_entry_redraws_before_the_box_shows_the_value_even_if_the_redraw_fails():
    import ipywidgets

    from helpers.controls import slider_entry

    status = ipywidgets.HTML("an old message")
    control = slider_entry(ipywidgets, Grid.of("lr", (0.05, 0.1, 0.2)), 0.05, "lr", status)
    seen = []
    control.observe(lambda change: seen.append((change["new"], control.entry.value)))
    control.value = 0.1
    assert seen == [(0.1, "0.05")]  # the callback ran first, the box followed
    assert control.entry.value == "0.1" and status.value == ""

    def broken(_change):
        raise RuntimeError("redraw failed")

    control.observe(broken)
    with pytest.raises(RuntimeError, match="redraw failed"):
        control.value = 0.2
    assert control.entry.value == "0.2"  # the box still shows the slider's value
    assert status.value == "could not redraw: redraw failed"  # and the picture is stale
