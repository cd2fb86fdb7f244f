"""helpers.frames: a slider panel's display bundle carries its first frame."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from helpers.figures import png_alt_text, png_with_alt_text
from helpers.frames import (
    LIVE_NOTE,
    WIDGET_VIEW,
    LivePanel,
    caption_text,
    control_values,
    frame_bundle,
    framed_png,
)


class FakeWidget:
    """Just what the frames code uses of an ipywidgets widget."""

    def __init__(self, description="", value=None, children=(), disabled=False):
        self.description, self.value, self.children = description, value, children
        self.disabled = disabled

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": "VBox(...)", WIDGET_VIEW: {"model_id": "abc", "version_major": 2}}


PNG = png_with_alt_text(np.full((40, 60, 4), 255, np.uint8), "Figure with 1 panel.")


def test_frame_bundle_keeps_the_widget_view_and_adds_picture_alt_and_caption():
    widget_bundle = FakeWidget()._repr_mimebundle_()
    data, metadata = frame_bundle(widget_bundle, PNG, alt="a frame", caption="live with a kernel")
    assert data[WIDGET_VIEW] == widget_bundle[WIDGET_VIEW]
    assert base64.b64decode(data["image/png"]) == PNG
    assert data["text/plain"] == "live with a kernel"
    assert metadata == {"image/png": {"alt": "a frame"}}
    with pytest.raises(ValueError, match="alt"):
        frame_bundle(widget_bundle, PNG, alt=" ", caption="c")
    with pytest.raises(TypeError, match="png"):
        frame_bundle(widget_bundle, b"", alt="a", caption="c")


def test_control_values_walks_children_and_marks_disabled_controls():
    box = FakeWidget(
        children=(
            FakeWidget(children=(FakeWidget("lr", 0.031622776601683794), FakeWidget("n", 1000))),
            FakeWidget("beta", 0.9, disabled=True),
            FakeWidget("", b"png bytes"),  # the Image widget: no description
        )
    )
    assert control_values(box) == {"lr": "0.0316", "n": "1,000", "beta": "0.9 (off)"}
    assert caption_text({"lr": "0.0316"}) == f"{LIVE_NOTE}\nControls at: lr = 0.0316."


def test_framed_png_puts_a_caption_band_above_the_picture_and_keeps_alt_text():
    framed = framed_png(PNG, "a caption")
    image = Image.open(io.BytesIO(framed))
    assert image.width == 60 and image.height > 40
    assert png_alt_text(framed) == "a caption Figure with 1 panel."
    pixels = np.asarray(image.convert("L"))
    assert pixels[1 : -(40 + 1), 1:-1].min() < 128  # text drawn in the band


def test_live_panel_displays_as_widget_plus_frame_and_reaches_the_widget():
    widget = FakeWidget(children=(FakeWidget("k", 5),))
    panel = LivePanel(widget, PNG, extra=["loss 0.1"])
    data, metadata = panel._repr_mimebundle_()
    assert set(data) == {WIDGET_VIEW, "image/png", "text/plain"}
    assert data["text/plain"] == f"{LIVE_NOTE}\nControls at: k = 5.\nloss 0.1"
    alt = metadata["image/png"]["alt"]
    assert alt.startswith(LIVE_NOTE) and alt.endswith("Figure with 1 panel.")
    assert png_alt_text(base64.b64decode(data["image/png"])) == alt
    assert panel.children is widget.children  # attributes reach the widget


def test_live_panel_takes_an_ipywidgets_image_value_a_memoryview():
    # ipywidgets.Image.value is a memoryview: the panels pass it as the first frame
    panel = LivePanel(FakeWidget(), memoryview(PNG))
    assert panel.png == LivePanel(FakeWidget(), PNG).png
    assert png_alt_text(memoryview(PNG)) == "Figure with 1 panel."
    with pytest.raises(TypeError, match="png must be"):
        LivePanel(FakeWidget(), "not bytes")


def test_showing_a_panel_settles_garbage_and_frees_frozen_cycles_on_the_next():
    import gc
    import weakref

    from helpers.frames import settle_garbage

    class Node:
        pass

    try:
        node = Node()
        node.self = node  # a reference cycle: only the cyclic collector frees it
        alive = weakref.ref(node)
        settle_garbage()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()  # a frozen cycle waits...
        assert alive() is not None
        settle_garbage()  # ...for the next settle
        assert alive() is None
    finally:
        gc.unfreeze()


def test_showing_a_live_panel_settles_garbage(monkeypatch):
    import helpers.frames as frames

    calls = []
    monkeypatch.setattr(frames, "settle_garbage", lambda: calls.append(1))
    frames.LivePanel(FakeWidget(), PNG)._repr_mimebundle_()
    assert calls == [1]
