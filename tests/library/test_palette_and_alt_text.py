"""The optimizer and scheme palettes are colour-blind safe and each series has its own style;
every figure and PNG the helpers make carries specific alt text."""

import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from helpers.figures import (
    OKABE_ITO,
    OPTIMIZER_COLORS,
    OPTIMIZER_STYLES,
    describe_figure,
    figure_png,
    png_alt_text,
    png_with_alt_text,
    register_alt_text,
)
from helpers.lessons.sampling.figures import SCHEME_COLORS, SCHEME_LINESTYLES, SCHEME_MARKERS

# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of color
# vision deficiency", severity 1.0, applied to linear RGB.
MACHADO = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}
MIN_DELTA_E = (
    15.0  # CIE76 distance; about 2.3 is "just noticeable", 10+ tells lines apart at a glance
)


def _linear(rgb):
    c = np.asarray(rgb, float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ linear_rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b, vision=None) -> float:
    """CIE76 distance of colours a and b as seen with normal vision or ``vision``."""
    la, lb = _linear(to_rgb(a)), _linear(to_rgb(b))
    if vision is not None:
        la, lb = (np.clip(MACHADO[vision] @ x, 0, 1) for x in (la, lb))
    return float(np.linalg.norm(_lab(la) - _lab(lb)))


def test_delta_e_sees_the_old_red_green_pair_as_one_colour_under_deuteranopia():
    # the palette this replaced: GD+momentum #d62728 and GD+Nesterov #2ca02c
    assert delta_e("#d62728", "#2ca02c") > 60
    assert delta_e("#d62728", "#2ca02c", "deuteranopia") < 10


@pytest.mark.parametrize(
    "palette", [OPTIMIZER_COLORS, SCHEME_COLORS], ids=["optimizers", "schemes"]
)
@pytest.mark.parametrize("vision", [None, "protanopia", "deuteranopia"])
def test_palette_colours_stay_apart_under_colour_blindness(palette, vision):
    for a, b in itertools.combinations(palette, 2):
        assert delta_e(palette[a], palette[b], vision) >= MIN_DELTA_E, (a, b, vision)


def test_palette_uses_okabe_ito_colours():
    allowed = set(OKABE_ITO.values())
    assert set(OPTIMIZER_COLORS.values()) <= allowed
    assert set(SCHEME_COLORS.values()) <= allowed


def test_no_two_series_differ_by_colour_alone():
    styles = [(s["linestyle"], s["marker"]) for s in OPTIMIZER_STYLES.values()]
    assert len(set(styles)) == len(styles)
    assert OPTIMIZER_COLORS == {name: s["color"] for name, s in OPTIMIZER_STYLES.items()}
    for styles in (SCHEME_LINESTYLES, SCHEME_MARKERS):
        assert set(styles) == set(SCHEME_COLORS)
        assert len({str(v) for v in styles.values()}) == len(styles)


def _figure():
    fig = Figure(figsize=(4, 3))
    FigureCanvasAgg(fig)
    ax_loss, ax_path = fig.subplots(1, 2)
    ax_loss.semilogy([1, 2, 3], [3, 2, 1], label="GD")
    ax_loss.semilogy([1, 2, 3], [3, 1, 0.5], label="$\\beta$ = 0.9")
    ax_loss.set(title="loss per step", xlabel="step", ylabel="$f - f^*$")
    ax_loss.legend()
    image = ax_path.imshow(np.eye(3))
    fig.colorbar(image, ax=ax_path, label="final loss")
    fig.suptitle("two optimizers")
    return fig


def test_describe_figure_names_titles_axes_legends_and_colour_bars():
    text = describe_figure(_figure())
    assert text.startswith("Figure with 2 panels: two optimizers.")
    assert "Panel 1: loss per step; 2 lines; x axis: step; y axis (log): f - f^*" in text
    assert "legend: GD, beta = 0.9" in text
    assert "Panel 2: 1 image" in text
    assert "Colour bar: final loss." in text


def test_explicit_alt_text_comes_first():
    fig = _figure()
    fig.alt_text = "Loss falls faster with momentum."
    assert describe_figure(fig).startswith("Loss falls faster with momentum. Figure with 2")


def test_pngs_carry_their_figures_description():
    fig = _figure()
    png = figure_png(fig)
    assert png_alt_text(png) == describe_figure(fig)
    assert png_alt_text(b"not a png") == ""
    plain = png_with_alt_text(np.zeros((2, 2, 4), np.uint8), "x")
    assert png_alt_text(plain) == "x"


def test_opaque_pictures_are_stored_as_rgb_and_transparent_ones_keep_their_alpha():
    import io

    from PIL import Image

    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (5, 7, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    opaque = Image.open(io.BytesIO(png_with_alt_text(pixels, "x")))
    assert opaque.mode == "RGB"
    assert np.array_equal(np.asarray(opaque), pixels[..., :3])
    pixels[2, 3, 3] = 0
    clear = Image.open(io.BytesIO(png_with_alt_text(pixels, "x")))
    assert clear.mode == "RGBA"
    assert np.array_equal(np.asarray(clear), pixels)


def test_register_alt_text_adds_alt_metadata_to_displayed_figures_and_images():
    from IPython.core.formatters import DisplayFormatter
    from IPython.display import Image

    class Shell:
        display_formatter = DisplayFormatter()

    shell = Shell()
    assert register_alt_text(shell)
    fig = _figure()
    _, metadata = shell.display_formatter.format(fig)
    assert metadata["image/png"]["alt"] == describe_figure(fig)
    data, metadata = shell.display_formatter.format(Image(figure_png(fig)))
    assert "image/png" in data
    assert metadata["image/png"]["alt"] == describe_figure(fig)
    assert not register_alt_text(None)  # no IPython shell running here


def test_a_figure_that_cannot_be_described_is_still_displayed():
    from helpers.figures import _figure_alt_bundle

    assert _figure_alt_bundle(object()) == ({}, {})


def test_figure_texts_marked_alt_skip_are_left_out_of_the_description():
    fig = Figure()
    fig.subplots()
    fig.text(0.1, 0.1, "kept")
    skipped = fig.text(0.2, 0.2, "said elsewhere")
    skipped.alt_skip = True
    text = describe_figure(fig)
    assert "Text: kept." in text and "said elsewhere" not in text
