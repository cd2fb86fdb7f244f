"""A slider panel that also shows where no kernel runs: its first frame as a picture.

A widget's display bundle holds only a pointer to a model that lives in the kernel (the
``application/vnd.jupyter.widget-view+json`` key). Where no kernel runs (GitHub, nbviewer,
``jupyter nbconvert --to html``, JupyterLab before the notebook is run) that pointer shows
nothing. :class:`LivePanel` wraps the widget and adds, in the same bundle,

* ``image/png``: the panel's first frame, with a caption band above it saying that the panel is
  live in JupyterLab with a running kernel and which values its controls start at, and alt text
  in the output's metadata (``metadata["image/png"]["alt"]``);
* ``text/plain``: the caption, for renderers that show text only.

Frontends that render widgets prefer the widget view; the others fall back to the picture.
``tools/execute_notebooks.py`` stores the picture and the caption and drops the widget view
(a stored view would point at a model that no longer exists).

Nothing here imports ipywidgets: the widget is used through its own ``_repr_mimebundle_``.

Example:
    >>> bundle, metadata = frame_bundle(
    ...     {"text/plain": "VBox()"}, b"\\x89PNG...", alt="Loss per step.", caption="Static frame."
    ... )
    >>> sorted(bundle), metadata["image/png"]["alt"]
    (['image/png', 'text/plain'], 'Loss per step.')
"""

from __future__ import annotations

import base64
import gc
import io
import textwrap
from collections.abc import Iterable, Mapping

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from helpers import _validate as check
from helpers.figures import png_alt_text, png_with_alt_text

__all__ = [
    "LIVE_NOTE",
    "WIDGET_VIEW",
    "LivePanel",
    "caption_text",
    "control_values",
    "frame_bundle",
    "framed_png",
    "settle_garbage",
]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
"""The mime type of a widget's view in a display bundle."""

LIVE_NOTE = "Static picture of this panel's first frame: live in JupyterLab with a running kernel."
"""The first line of every frame's caption."""

CAPTION_WIDTH = 100
"""Caption lines are wrapped at this many characters (stored text lines stay within 100)."""

CAPTION_FONT_PX = 13
"""Font size of the caption band, in pixels of the PNG (shown at that size or larger)."""


def _format(value) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{float(value):.3g}"
    return str(value)


def control_values(widget) -> dict[str, str]:
    """``{description: shown value}`` of every control inside ``widget`` (depth first, through
    ``children``): each child with a non-empty ``description`` and a ``value``. A disabled
    control's value is marked "(off)". Duck-typed: works on any object tree with those
    attributes.

    Example:
        >>> class W:
        ...     def __init__(self, description="", value=None, children=(), disabled=False):
        ...         self.description, self.value = description, value
        ...         self.children, self.disabled = children, disabled
        >>> control_values(W(children=(W("lr", 0.0316), W("beta", 0.9, disabled=True))))
        {'lr': '0.0316', 'beta': '0.9 (off)'}
    """
    if not (
        hasattr(widget, "children") or (hasattr(widget, "description") and hasattr(widget, "value"))
    ):
        raise TypeError(
            "widget must be a widget (an object with children, or a description and a value), "
            f"got {type(widget).__name__}"
        )
    found: dict[str, str] = {}
    stack = [widget]
    while stack:
        item = stack.pop(0)
        description = getattr(item, "description", "")
        if description and hasattr(item, "value"):
            text = _format(item.value)
            found[description] = text + (" (off)" if getattr(item, "disabled", False) else "")
        stack[:0] = list(getattr(item, "children", ()) or ())
    return found


def caption_text(controls: Mapping[str, str], note: str = LIVE_NOTE) -> str:
    """The caption: ``note`` then the controls' starting values on one line."""
    _controls(controls)
    check.text("note", note)
    if not controls:
        return note
    values = ", ".join(f"{name} = {value}" for name, value in controls.items())
    return f"{note}\nControls at: {values}."


def _controls(controls) -> None:
    """``controls`` must map control names to their shown values, all strings."""
    if not isinstance(controls, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in controls.items()
    ):
        raise TypeError(
            f"controls must be a mapping of control names to shown values (strings), got "
            f"{type(controls).__name__} {controls!r:.60}"
        )


def _png(png) -> None:
    """``png`` must be non-empty PNG bytes (``bytes``, ``bytearray`` or a ``memoryview`` such as
    an ipywidgets Image's value), which PIL then reads."""
    if not isinstance(png, bytes | bytearray | memoryview) or not len(png):
        raise TypeError(f"png must be non-empty PNG bytes, got {type(png).__name__}")


def _caption_rows(caption: str, width_px: int, dpi: float = 100.0) -> np.ndarray:
    """The caption drawn in a white band ``width_px`` wide (lines wrapped to fit), as RGBA."""
    chars = max(20, int(width_px / (0.55 * CAPTION_FONT_PX)))  # about 0.55 em per character
    lines: list[str] = []
    for paragraph in caption.splitlines():
        words, line = paragraph.split(), ""
        for word in words:
            if line and len(line) + 1 + len(word) > chars:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    line_px = 1.35 * CAPTION_FONT_PX
    height_px = int(np.ceil(line_px * len(lines) + 8))
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    for i, line in enumerate(lines):
        fig.text(
            6 / width_px,
            1 - (4 + line_px * (i + 0.5)) / height_px,
            line,
            fontsize=CAPTION_FONT_PX * 72 / dpi,
            va="center",
            ha="left",
            color="#333333",
            style="italic" if i == 0 else "normal",
        )
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())


def framed_png(png: bytes, caption: str, alt: str | None = None) -> bytes:
    """``png`` with a caption band above it (and a thin grey border), as PNG bytes carrying
    ``alt`` (by default the caption and the alt text ``png`` carries) in its Description chunk."""
    _png(png)
    check.text("caption", caption)
    if alt is not None:
        check.text("alt", alt)
    try:
        image = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    except OSError as exc:
        raise ValueError(f"png must be PNG bytes that PIL can read: {exc}") from None
    band = _caption_rows(caption, image.shape[1])
    framed = np.concatenate([band[:, : image.shape[1]], image])
    framed[[0, -1], :, :3] = 180
    framed[:, [0, -1], :3] = 180
    if alt is None:
        alt = " ".join(filter(None, [caption.replace("\n", " "), png_alt_text(png)]))
    return png_with_alt_text(framed, alt)


def frame_bundle(widget_bundle: Mapping, png: bytes, alt: str, caption: str) -> tuple[dict, dict]:
    """``(data, metadata)`` of a display bundle: the widget's own bundle (its view, if any) plus
    ``image/png`` (base64 of ``png``, alt text in ``metadata["image/png"]["alt"]``) and
    ``text/plain`` (``caption``, replacing the widget's repr)."""
    if not isinstance(widget_bundle, Mapping):
        raise TypeError(
            f"widget_bundle must be a display bundle (a mapping of mime types), got "
            f"{type(widget_bundle).__name__}"
        )
    _png(png)
    check.text("alt", alt)
    if not alt.strip():
        raise ValueError("alt must be a non-empty description of the picture")
    check.text("caption", caption)
    data = {key: value for key, value in widget_bundle.items() if key == WIDGET_VIEW}
    data["image/png"] = base64.b64encode(png).decode("ascii")
    data["text/plain"] = caption
    return data, {"image/png": {"alt": alt}}


def settle_garbage() -> None:
    """Collect garbage now and exempt every object alive from later full collections
    (``gc.unfreeze(); gc.collect(); gc.freeze()``), as a panel is shown.

    Python's full (generation 2) collection visits every tracked object of the process; in a
    kernel that has run a notebook's studies that is 90-160 ms (notebook 3), a pause that lands
    on a random slider move. After the freeze it visits only what was made since. Reference
    counting still frees frozen objects; only frozen objects in reference cycles that become
    garbage wait for the next call (the next panel shown), which unfreezes and collects them:
    after a session's last panel they stay until the kernel restarts (one call costs about
    0.1 s with 675,000 objects alive).
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class LivePanel:
    """A widget (the live panel) displayed together with its first frame.

    Displaying it gives one bundle (see :func:`frame_bundle`): the widget view where a kernel
    runs, the framed first picture everywhere else. ``widget`` is the wrapped widget (its
    ``children``, ``observe``... are reached through it).

    Args:
        widget: the panel's widget box (anything with ``_repr_mimebundle_``).
        png: the first frame, as PNG bytes (the explorer's ``render()`` right after the panel's
            first redraw).
        controls: the controls' starting values shown in the caption; by default
            :func:`control_values` of ``widget``.
        extra: further text under the controls line (e.g. a readout the panel shows).
    """

    def __init__(
        self,
        widget,
        png: bytes,
        controls: Mapping[str, str] | None = None,
        extra: Iterable[str] = (),
    ) -> None:
        if not callable(getattr(widget, "_repr_mimebundle_", None)):
            raise TypeError(
                f"widget must be a widget (with _repr_mimebundle_), got {type(widget).__name__}"
            )
        _png(png)
        if controls is not None:
            _controls(controls)
        extra = check.texts("extra", extra)
        self.widget = widget
        self.controls = dict(control_values(widget) if controls is None else controls)
        lines = "\n".join([caption_text(self.controls), *extra]).splitlines()
        self.caption = "\n".join(textwrap.fill(line, CAPTION_WIDTH) for line in lines)
        self.alt = " ".join(filter(None, [self.caption.replace("\n", " "), png_alt_text(png)]))
        self.png = framed_png(png, self.caption, self.alt)

    def __getattr__(self, name: str):
        if name == "widget":  # not set yet (e.g. while unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.widget, name)

    def _repr_mimebundle_(self, include=None, exclude=None):
        settle_garbage()  # shown: the slider moves start
        method = getattr(self.widget, "_repr_mimebundle_", None)
        bundle = method(include=include, exclude=exclude) if method else {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        return frame_bundle(bundle or {}, self.png, self.alt, self.caption)
