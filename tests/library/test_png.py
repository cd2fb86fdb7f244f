"""helpers.png: the PNG encoder of the slider panels, checked against Pillow's decoder."""

import io
import zlib

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from helpers import png
from helpers.figures import png_alt_text, png_with_alt_text


def _decoded(data: bytes) -> tuple[np.ndarray, str, dict]:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return np.asarray(image), image.mode, dict(image.text)


@pytest.mark.parametrize("channels, mode", [(3, "RGB"), (4, "RGBA")])
@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (37, 101)])
def test_pixels_decode_back_exactly(channels, mode, shape):
    pixels = np.random.default_rng(shape[0]).integers(0, 256, (*shape, channels), dtype=np.uint8)
    back, got_mode, _ = _decoded(png.encode(pixels))
    assert got_mode == mode
    np.testing.assert_array_equal(back, pixels)


def test_a_drawn_figure_decodes_back_exactly_at_every_level():
    fig = Figure(figsize=(3, 2), dpi=50)
    FigureCanvasAgg(fig)
    fig.subplots().plot([0, 1], [1, 0], label="GD")
    fig.canvas.draw()
    rgb = np.ascontiguousarray(np.asarray(fig.canvas.buffer_rgba())[..., :3])
    sizes = []
    for level in (0, 1, 9):
        data = png.encode(rgb, compress_level=level)
        np.testing.assert_array_equal(_decoded(data)[0], rgb)
        sizes.append(len(data))
    assert sizes[0] > sizes[1] >= sizes[2]


def test_a_non_contiguous_view_is_encoded_as_its_values():
    rgba = np.random.default_rng(1).integers(0, 256, (5, 7, 4), dtype=np.uint8)
    view = rgba[::-1, ::2, :3]
    np.testing.assert_array_equal(_decoded(png.encode(view))[0], view)


def test_text_chunks_carry_unicode_and_every_chunk_checks():
    data = png.encode(np.zeros((2, 2, 3), np.uint8), {"Description": "f - f* ≤ 1e-3", "A": ""})
    assert _decoded(data)[2] == {"Description": "f - f* ≤ 1e-3", "A": ""}
    assert data.startswith(png.SIGNATURE)
    at = len(png.SIGNATURE)
    kinds = []
    while at < len(data):  # every chunk's CRC-32 covers its type and data
        length = int.from_bytes(data[at : at + 4], "big")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert int.from_bytes(data[at + 8 + length : at + 12 + length], "big") == zlib.crc32(
            kind + body
        )
        kinds.append(kind)
        at += 12 + length
    assert kinds == [b"IHDR", b"iTXt", b"iTXt", b"IDAT", b"IEND"]


def test_alt_text_round_trip_and_opaque_figures_stored_as_rgb():
    opaque = np.full((3, 4, 4), 200, np.uint8)
    opaque[..., 3] = 255
    data = png_with_alt_text(opaque, "a grey square")
    assert png_alt_text(data) == "a grey square"
    back, mode, _ = _decoded(data)
    assert mode == "RGB"
    np.testing.assert_array_equal(back, opaque[..., :3])
    see_through = opaque.copy()
    see_through[0, 0, 3] = 10
    back, mode, _ = _decoded(png_with_alt_text(see_through, "a hole"))
    assert mode == "RGBA"
    np.testing.assert_array_equal(back, see_through)


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda: png.encode(np.zeros((2, 2, 2), np.uint8)), ValueError, "pixels"),
        (lambda: png.encode(np.zeros((2, 2, 3), np.float64)), ValueError, "pixels"),
        (lambda: png.encode(np.zeros((0, 2, 3), np.uint8)), ValueError, "pixels"),
        (lambda: png.encode([[[0, 0, 0]]]), TypeError, "pixels"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), {"": "x"}), ValueError, "text keys"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), {"a\0b": "x"}), ValueError, "text"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), {"k": 3}), TypeError, "text"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), {" a": "x"}), ValueError, "spaces"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), {"a  b": "x"}), ValueError, "spaces"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), {"a": "x\0y"}), ValueError, "NUL"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), {"a": "\ud800"}), ValueError, "UTF-8"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), ["k"]), TypeError, "text"),
        (lambda: png.encode(np.zeros((1, 1, 3), np.uint8), None, 10), ValueError, "compress"),
    ],
)
def test_bad_arguments_name_the_parameter(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_long_compressed_data_is_split_into_idat_chunks(monkeypatch):
    """A PNG chunk holds at most 2**31 - 1 bytes: longer data goes in several IDAT chunks (one
    stream), checked here with a small limit."""
    monkeypatch.setattr(png, "MAX_CHUNK", 100)
    pixels = np.random.default_rng(2).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    data = png.encode(pixels, compress_level=0)
    assert data.count(b"IDAT") > 10
    np.testing.assert_array_equal(_decoded(data)[0], pixels)
