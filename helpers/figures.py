"""Figure plumbing every notebook shares: loss surfaces and contours, trajectories, the optimizer
palette, and figures as PNG bytes for the slider panels (drawn once, then only what moves).

Nothing here uses ``matplotlib.pyplot``: the functions draw on the Axes or Figure they are given,
so a lesson decides how its figures are made and shown.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from helpers import _validate as check
from helpers import png

__all__ = [
    "OKABE_ITO",
    "OPTIMIZER_COLORS",
    "OPTIMIZER_STYLES",
    "STATIC_WIDTH_IN",
    "blit_png",
    "canvas_png",
    "contour_levels",
    "describe_figure",
    "draw_loss_bands",
    "draw_trajectories",
    "figure_png",
    "freeze_background",
    "freeze_overlay",
    "loss_surface",
    "png_alt_text",
    "png_with_alt_text",
    "register_alt_text",
    "trajectory_limits",
]


OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
"""Okabe and Ito's colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design"): its
colours stay apart under deuteranopia, protanopia and tritanopia."""

OPTIMIZER_STYLES = {
    "GD": {"color": OKABE_ITO["blue"], "linestyle": "-", "marker": "o"},
    "SGD": {"color": OKABE_ITO["sky blue"], "linestyle": "--", "marker": "o"},
    "GD+momentum": {"color": OKABE_ITO["vermillion"], "linestyle": "-", "marker": "s"},
    "SGD+momentum": {"color": OKABE_ITO["orange"], "linestyle": "--", "marker": "s"},
    "GD+Nesterov": {"color": OKABE_ITO["bluish green"], "linestyle": "-", "marker": "^"},
    "SGD+Nesterov": {"color": OKABE_ITO["reddish purple"], "linestyle": "--", "marker": "^"},
}
"""Colour, line style and marker of each optimizer: a colour of :data:`OKABE_ITO` each, solid
lines for full-batch and dashed for stochastic methods, a marker per method (circle: plain,
square: momentum, triangle: Nesterov), so no two optimizers differ by hue or lightness alone."""

STATIC_WIDTH_IN = 10.0
"""Widest static figure, in inches: JupyterLab's output column is 848 px wide in a 1280 px window
with the file browser open, so a 10 in figure (1011 px at 100 dpi) is shown at 0.84x and its
8 pt text at 9.4 px; no figure text is smaller than 8 pt."""

OPTIMIZER_COLORS = {name: style["color"] for name, style in OPTIMIZER_STYLES.items()}
"""The colour of each optimizer in :data:`OPTIMIZER_STYLES`."""


def loss_surface(
    problem, xlim: tuple[float, float], ylim: tuple[float, float], num: int = 120
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss of a 2-parameter problem on a ``num x num`` grid: ``(W1, W2, L)`` for ``contour``.

    The whole grid is one batched ``problem.loss`` call on a ``(num*num, 2)`` array.
    """
    check.objective("problem", problem, needs=("loss",))
    if problem.d != 2:
        raise ValueError(f"problem must have d = 2 parameters, got d = {problem.d}")
    xlim = check.interval("xlim", xlim)
    ylim = check.interval("ylim", ylim)
    num = check.integer("num", num, low=2, high=2000)
    w1, w2 = np.meshgrid(np.linspace(*xlim, num), np.linspace(*ylim, num))
    loss = problem.loss(np.column_stack([w1.ravel(), w2.ravel()])).reshape(w1.shape)
    return w1, w2, loss


def trajectory_limits(trajectories, margin: float = 0.15) -> tuple[tuple, tuple]:
    """Axis limits (xlim, ylim) enclosing every finite point of the 2-D trajectories, plus margin."""
    margin = check.number("margin", margin, at_least=0)
    points = np.concatenate(_trajectory_points(trajectories))
    points = points[np.isfinite(points).all(axis=1)]
    if points.size == 0:
        raise ValueError("trajectories must contain at least one finite point")
    low, high = points.min(axis=0), points.max(axis=0)
    pad = margin * np.maximum(high - low, 1e-3)
    return (low[0] - pad[0], high[0] + pad[0]), (low[1] - pad[1], high[1] + pad[1])


def _trajectory_points(trajectories) -> list[np.ndarray]:
    """Each trajectory of a non-empty sequence as real ``(T, 2)`` points (NaN allowed)."""
    if isinstance(trajectories, str | bytes | dict) or not hasattr(trajectories, "__iter__"):
        raise TypeError(
            f"trajectories must be a sequence of (T, 2) point arrays, got "
            f"{type(trajectories).__name__}"
        )
    points = [check.real_array("trajectories", t) for t in trajectories]
    if not points or any(p.ndim != 2 or p.shape[1] != 2 or not p.size for p in points):
        raise ValueError("trajectories must be a non-empty sequence of non-empty (T, 2) arrays")
    return points


def contour_levels(loss: np.ndarray, count: int = 20) -> np.ndarray:
    """``count`` increasing levels at evenly spaced quantiles of ``loss`` (denser where the view
    has more area), so flat valleys and steep walls both get lines. Non-finite values (a loss
    that overflowed somewhere in view) are left out."""
    loss = check.real_array("loss", loss)
    count = check.integer("count", count, low=1, high=200)
    finite = loss[np.isfinite(loss)]
    if finite.size == 0:
        raise ValueError("loss must hold at least one finite value")
    levels = np.quantile(finite, np.linspace(0, 1, count + 2)[1:-1] ** 2)
    return np.unique(levels)


def draw_loss_bands(ax: Axes, problem, xlim, ylim, levels: int = 20, num: int = 300) -> None:
    """The loss of a 2-parameter ``problem`` as grey bands between contour levels (darker =
    lower loss), drawn as one image: much cheaper to redraw than contour lines, for live figures."""
    check.axes("ax", ax)
    levels = check.integer("levels", levels, low=1, high=200)
    _, _, loss = loss_surface(problem, xlim, ylim, num)
    bands = np.digitize(loss, contour_levels(loss, levels))
    ax.imshow(
        bands,
        extent=(*xlim, *ylim),
        origin="lower",
        aspect="auto",
        cmap="Greys_r",
        interpolation="nearest",
        alpha=0.6,
    )
    _parameter_axes(ax, xlim, ylim)


def draw_trajectories(
    ax: Axes, problem, trajectories: dict, xlim, ylim, levels: int = 20, colors: dict | None = None
) -> None:
    """Loss contours of a 2-parameter ``problem`` with each named trajectory (``(T, 2)`` points).

    Contour levels are quantiles of the loss in view (see :func:`contour_levels`).
    """
    check.axes("ax", ax)
    check.instance("trajectories", trajectories, dict, "a dict of name -> (T, 2) points")
    paths = dict(zip(trajectories, _trajectory_points(trajectories.values()), strict=True))
    check.instance("colors", colors, dict | None, "None or a dict of name -> color")
    levels = check.integer("levels", levels, low=1, high=200)
    w1, w2, loss = loss_surface(problem, xlim, ylim)
    ax.contour(w1, w2, loss, levels=contour_levels(loss, levels), cmap="Greys_r", linewidths=0.7)
    colors = colors or OPTIMIZER_COLORS
    for name, points in paths.items():
        style = OPTIMIZER_STYLES.get(name, {"linestyle": "-", "marker": "."})
        ax.plot(
            points[:, 0],
            points[:, 1],
            color=colors.get(name),
            linestyle=style["linestyle"],
            marker=style["marker"],
            lw=1.2,
            ms=3,
            label=name,
        )
        ax.plot(*points[0], "ko", ms=5)
    _parameter_axes(ax, xlim, ylim)


DIVERGED_COLOR = "#b2182b"
"""The colour a panel writes divergence in."""


def alarm_text(ax: Axes, y: float = 0.5):
    """An empty, animated text artist centred across ``ax`` at height ``y`` (axes fraction), in
    large bold :data:`DIVERGED_COLOR` on a white box: where a slider panel writes "diverged"
    (set its text on each move; it is blitted, not part of the frozen background).

    Example:
        >>> from matplotlib.figure import Figure
        >>> alarm_text(Figure().subplots()).get_text()
        ''
    """
    check.axes("ax", ax)
    y = check.number("y", y)
    if not 0 <= y <= 1:
        raise ValueError(f"y must be in [0, 1] (a fraction of the axes' height), got {y!r}")
    return ax.text(
        0.5,
        y,
        "",
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=15,
        color=DIVERGED_COLOR,
        weight="bold",
        animated=True,
        bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": DIVERGED_COLOR},
    )


def _parameter_axes(ax: Axes, xlim, ylim) -> None:
    """Limits and labels of a (w1, w2) parameter-space panel."""
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")


def canvas_png(fig: Figure) -> bytes:
    """What the figure's Agg canvas currently holds, as PNG bytes (fast, light compression),
    with the figure's description (:func:`describe_figure`) as the PNG's alt text."""
    check.figure("fig", fig)
    return png_with_alt_text(np.asarray(fig.canvas.buffer_rgba()), describe_figure(fig))


ALT_TEXT_KEY = "Description"
"""The PNG text chunk that carries a picture's alt text."""


def png_with_alt_text(pixels: np.ndarray, alt: str, compress_level: int = 1) -> bytes:
    """RGBA ``pixels`` (``(h, w, 4)`` uint8) as PNG bytes whose ``Description`` text chunk
    holds ``alt``: the alt text travels with the picture (see :func:`png_alt_text`);
    ``compress_level`` is zlib's, 0 (none) to 9 (most). Stored as RGB when every pixel is
    opaque, as a drawn figure's are: the same picture, fewer bytes. Encoded by
    :func:`helpers.png.encode` (2 ms for an 840 x 380 figure; panels encode one per move)."""
    pixels = check.instance("pixels", pixels, np.ndarray, "an (h, w, 4) uint8 array")
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4 or not pixels.size:
        raise ValueError(
            f"pixels must be an (h, w, 4) uint8 RGBA array, h, w >= 1, got {pixels.dtype} "
            f"{pixels.shape}"
        )
    check.text("alt", alt)
    compress_level = check.integer("compress_level", compress_level, low=0, high=9)
    if pixels[..., 3].min() == 255:
        pixels = pixels[..., :3]
    return png.encode(pixels, {ALT_TEXT_KEY: alt}, compress_level)


def png_alt_text(png: bytes) -> str:
    """The alt text a PNG carries (its ``Description`` text chunk), or ``""``.

    Example:
        >>> png_alt_text(png_with_alt_text(np.zeros((2, 3, 4), np.uint8), "a black square"))
        'a black square'
    """
    check.instance("png", png, bytes | bytearray | memoryview, "PNG bytes")
    try:
        with Image.open(io.BytesIO(png)) as image:
            return str(image.text.get(ALT_TEXT_KEY, ""))
    except (OSError, ValueError, AttributeError):
        return ""


def _plain(text: str) -> str:
    """Figure text for a screen reader: mathtext markup dropped, line breaks read as "; "."""
    text = re.sub(r"\\(mathrm|mathbf|mathit|operatorname)\{([^}]*)\}", r"\2", text)
    text = text.replace("$", "").replace("\\", "").replace("{", "").replace("}", "")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "; ".join(line for line in lines if line)


def describe_figure(fig: Figure) -> str:
    """Alt text of a figure, read off what is drawn: its title, then per panel its title, what
    it holds (lines, images, contours, bars), its axes (label, log scale) and legend entries.
    A figure given explicit alt text (``fig.alt_text = "..."``) starts with it; lines, legends
    and figure texts marked ``artist.alt_skip = True`` (said in that alt text already) are left
    out.

    Example:
        >>> fig = Figure()
        >>> ax = fig.subplots()
        >>> _ = ax.plot([1, 2], [3, 4], label="GD")
        >>> _ = ax.set(title="loss", xlabel="step", ylabel="f", yscale="log")
        >>> _ = ax.legend()
        >>> describe_figure(fig)
        'Figure with 1 panel. Panel 1: loss; 1 line; x axis: step; y axis (log): f; legend: GD.'
    """
    check.figure("fig", fig)
    parts = [str(getattr(fig, "alt_text", "") or "").strip()]
    panels = [ax for ax in fig.axes if ax.get_visible() and not hasattr(ax, "_colorbar")]
    bars = [ax for ax in fig.axes if ax.get_visible() and hasattr(ax, "_colorbar")]
    title = _plain(fig._suptitle.get_text()) if fig._suptitle is not None else ""
    count = f"{len(panels)} panel{'s' if len(panels) != 1 else ''}"
    parts.append(f"Figure with {count}" + (f": {title}." if title else "."))
    for number, ax in enumerate(panels, 1):
        titles = (ax.get_title(loc) for loc in ("left", "center", "right"))
        bits = [_plain("; ".join(t for t in titles if t.strip()))]
        lines = [
            ln
            for ln in ax.get_lines()
            if ln.get_visible() and len(ln.get_xdata()) and not getattr(ln, "alt_skip", False)
        ]
        kinds = {
            "line": len(lines),
            "image": len(ax.get_images()),
            "contour set": sum(type(c).__name__ == "QuadContourSet" for c in ax.collections),
            "bar": len(ax.patches),
        }
        bits += [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in kinds.items() if n]
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            label = _plain(axis.get_label_text())
            scale = axis.get_scale()
            if label or scale != "linear":
                where = f"{name} axis" + (f" ({scale})" if scale != "linear" else "")
                bits.append(f"{where}: {label}" if label else where)
        legend = ax.get_legend()
        if legend is not None and not getattr(legend, "alt_skip", False):
            entries = [_plain(t.get_text()) for t in legend.get_texts() if t.get_text()]
            if entries:
                bits.append("legend: " + ", ".join(entries))
        parts.append(f"Panel {number}: " + "; ".join(b for b in bits if b) + ".")
    for ax in bars:
        label = _plain(ax.get_ylabel() or ax.get_xlabel())
        parts.append(f"Colour bar{': ' + label if label else ''}.")
    texts = [
        _plain(t.get_text())
        for t in fig.texts
        if t is not fig._suptitle
        and t.get_visible()
        and t.get_text().strip()
        and not getattr(t, "alt_skip", False)
    ]
    if texts:
        parts.append("Text: " + "; ".join(texts) + ".")
    return " ".join(p for p in parts if p)


def _figure_alt_bundle(fig) -> tuple[dict, dict]:
    """Mime-bundle printer for matplotlib figures: no data (the PNG formatter of the inline
    backend draws the picture), only its alt text as ``image/png`` metadata. A figure this cannot
    describe is shown without alt text (the notebook tests then fail), never not at all."""
    try:
        return {}, {"image/png": {"alt": describe_figure(fig)}}
    except Exception:  # displaying the figure matters more than its alt text
        return {}, {}


def _image_alt_bundle(image):
    """Mime-bundle printer for ``IPython.display.Image``: its own bundle, with the alt text the
    PNG carries (:func:`png_alt_text`) when none was given."""
    if getattr(image, "alt", None) is None and isinstance(image.data, bytes):
        image.alt = png_alt_text(image.data) or None
    return image._repr_mimebundle_()


def register_alt_text(shell=None) -> bool:
    """Give every figure an IPython shell displays alt text (``metadata["image/png"]["alt"]``):
    matplotlib figures shown by the inline backend get :func:`describe_figure`, and
    ``IPython.display.Image`` of PNG bytes the alt text those bytes carry. Registered by type
    name, so nothing is imported here; ``helpers`` calls it on import. Returns whether a shell
    was found (False outside IPython: then it does nothing)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
        if shell is None:
            return False
    if not hasattr(shell, "display_formatter"):
        raise TypeError(
            f"shell must be an IPython shell (with display_formatter) or None, got "
            f"{type(shell).__name__}"
        )
    bundles = shell.display_formatter.mimebundle_formatter
    bundles.for_type_by_name("matplotlib.figure", "Figure", _figure_alt_bundle)
    bundles.for_type_by_name("IPython.core.display", "Image", _image_alt_bundle)
    return True


def figure_png(fig: Figure) -> bytes:
    """The whole figure drawn anew, as PNG bytes."""
    check.figure("fig", fig)
    fig.canvas.draw()
    return canvas_png(fig)


def freeze_background(fig: Figure):
    """Lay out and draw ``fig`` once (its ``animated=True`` artists left out), fix the layout and
    return the drawn background for :func:`blit_png`: live figures then redraw only what moves."""
    check.figure("fig", fig)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    return fig.canvas.copy_from_bbox(fig.bbox)


@dataclass(frozen=True)
class _Overlay:
    """Artists drawn once, transparency kept (:func:`freeze_overlay`), to be composited over each
    blitted frame by :func:`blit_png`: a legend stays on top of the moving curves, looking as if
    drawn there, without its text being rendered again (a four-entry legend costs 10-20 ms).

    ``rows``, ``cols``: the pixel box it covers; ``color``: its premultiplied RGB there (float);
    ``keep``: how much of what lies under it shows through (1 - alpha)."""

    rows: slice
    cols: slice
    color: np.ndarray
    keep: np.ndarray


def freeze_overlay(fig: Figure, artists) -> _Overlay:
    """Draw ``artists`` (e.g. a legend) alone on a transparent canvas of ``fig``'s size and keep
    their pixels and alpha for :func:`blit_png`. They must not change afterwards."""
    from matplotlib.artist import Artist
    from matplotlib.backends.backend_agg import RendererAgg

    check.figure("fig", fig)
    if isinstance(artists, str | bytes) or not hasattr(artists, "__iter__"):
        raise TypeError(f"artists must be a sequence of matplotlib artists, got {artists!r}")
    artists = [check.instance("artists", a, Artist, "a matplotlib artist") for a in artists]
    width, height = fig.canvas.get_width_height(physical=True)
    renderer = RendererAgg(width, height, fig.dpi)
    for artist in artists:
        artist.draw(renderer)
    rgba = np.asarray(renderer.buffer_rgba())
    rows, cols = np.nonzero(rgba[..., 3])
    if not rows.size:
        raise ValueError("artists must draw something (all of their pixels are transparent)")
    box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
    alpha = rgba[box][..., 3:].astype(np.float32) / 255
    return _Overlay(box[0], box[1], rgba[box][..., :3] * alpha, 1 - alpha)


def blit_png(fig: Figure, background, artists) -> bytes:
    """``artists`` drawn over the ``background`` of :func:`freeze_background`, in order, as PNG
    bytes. An item may also be an overlay of :func:`freeze_overlay`: it is composited
    at that point over what was drawn before it."""
    from matplotlib.artist import Artist

    check.figure("fig", fig)
    if type(background).__name__ != "BufferRegion":
        raise TypeError(
            f"background must be what freeze_background(fig) returned, got "
            f"{type(background).__name__}"
        )
    if isinstance(artists, str | bytes) or not hasattr(artists, "__iter__"):
        raise TypeError(f"artists must be a sequence of matplotlib artists, got {artists!r}")
    artists = list(artists)
    for artist in artists:
        if not isinstance(artist, _Overlay):
            check.instance("artists", artist, Artist, "a sequence of matplotlib artists")
    fig.canvas.restore_region(background)
    for artist in artists:
        if isinstance(artist, _Overlay):
            pixels = np.asarray(fig.canvas.buffer_rgba())[artist.rows, artist.cols, :3]
            pixels[...] = (pixels * artist.keep + artist.color + 0.5).astype(np.uint8)
        else:
            fig.draw_artist(artist)
    return canvas_png(fig)
