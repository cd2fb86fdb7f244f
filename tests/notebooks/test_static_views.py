"""What a reader without a kernel sees in the committed notebooks: every slider panel's first
frame with its caption, alt text on every picture (also in an HTML export), and static figures
drawn at a size at which their text stays legible (no text under 9 px as shown).

Measured in JupyterLab 4.6 (headless Chromium, 1280 x 1000 window, file browser open): the
output column is 848 px wide (tests/notebooks/test_browser.py prints it as ``areaWidth``).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import nbformat
import pytest
from PIL import Image

from helpers.frames import LIVE_NOTE, WIDGET_VIEW

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TEMPLATES = ROOT / "tools" / "jupyter" / "nbconvert" / "templates"
COLUMN_PX = 848  # JupyterLab's output column at 1280 px with the file browser open
MIN_TEXT_PX = 9.0
LIBRARY_MIN_FONT_PT = 8.0  # smallest font of the static figures helpers draws (tested below)
PANEL_CALL = re.compile(r"^\s*panel\(", re.M)


def _ids(paths):
    return [p.name for p in paths]


def _images(nb):
    """(cell index, cell, output) of every stored PNG."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                yield index, cell, output


def _alt(output) -> str:
    return (output.get("metadata", {}).get("image/png") or {}).get("alt", "")


def _is_frame(output) -> bool:
    return output.get("data", {}).get("text/plain", "").startswith(LIVE_NOTE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_every_panel_cell_stores_its_first_frame_with_a_caption(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    panels = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    panels = [(i, c) for i, c in panels if PANEL_CALL.search(c.source)]
    assert panels, f"{path.name} has no slider panel cell"
    for index, cell in panels:
        frames = [o for o in cell.outputs if _is_frame(o)]
        assert len(frames) == 1, f"cell {index}: {len(frames)} stored frames, want 1"
        frame = frames[0]
        assert WIDGET_VIEW not in frame.data, f"cell {index}: a dead widget view is stored"
        assert "kernel" in frame.data["text/plain"]
        assert _alt(frame).startswith(LIVE_NOTE), f"cell {index}: frame without alt text"
        image = Image.open(io.BytesIO(base64.b64decode(frame.data["image/png"])))
        assert image.width >= 400 and image.height >= 200, (index, image.size)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_every_stored_image_has_specific_alt_text(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    alts = []
    for index, _, output in _images(nb):
        alt = _alt(output)
        # what helpers.figures.describe_figure writes: the panels, their titles, axes, legends
        assert "Figure with" in alt and "Panel 1:" in alt, f"cell {index}: alt text {alt!r}"
        assert len(alt) >= 60, f"cell {index}: alt text too short to say anything: {alt!r}"
        alts.append(alt)
    assert alts, f"{path.name} stores no image"
    repeated = {a[:80] for a in alts if alts.count(a) > 1}
    assert not repeated, f"the same alt text on several images: {repeated}"


FINDING_ALT = [p for p in NOTEBOOKS if p.name == "1_lookahead.ipynb"]
"""Notebooks whose figures' alt text starts with what the figure shows (fig.alt_text)."""


@pytest.mark.parametrize("path", FINDING_ALT, ids=_ids(FINDING_ALT))
def test_every_static_figure_alt_text_starts_with_its_finding(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for index, _, output in _images(nb):
        if not _is_frame(output):
            alt = _alt(output)
            assert not alt.startswith("Figure with"), f"cell {index}: structural alt text only"
            assert len(alt.split(". Figure with")[0]) >= 60, f"cell {index}: {alt!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_html_export_shows_every_panel_frame_with_alt_text(path: Path) -> None:
    """``jupyter nbconvert --to html`` as `make install` configures it (template lab_alt)."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    exporter = HTMLExporter(template_name="lab_alt", extra_template_basedirs=[str(TEMPLATES)])
    html, _ = exporter.from_notebook_node(nb)
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) == sum(1 for _ in _images(nb))
    assert "No description has been provided for this image" not in html  # nbconvert's filler
    assert all(re.search(r'\balt="[^"]{60,}', img) for img in images)
    for index, _, output in _images(nb):
        if _is_frame(output):
            assert output.data["image/png"][-200:] in html, f"cell {index}: frame not in HTML"


def _font_sizes(source: str) -> list[float]:
    return [float(v) for v in re.findall(r"(?:fontsize|labelsize)\s*=\s*([0-9.]+)", source)]


def test_static_figure_code_draws_no_text_under_8_pt() -> None:
    """The library's static figures (helpers/figures.py, each lesson's figures.py and the
    lookahead figure) use no font under :data:`LIBRARY_MIN_FONT_PT`. The slider panels'
    own figures (the explorers) are sized with the panels and are not checked here."""
    files = [
        ROOT / "helpers" / "figures.py",
        *sorted((ROOT / "helpers").glob("lessons/*/figures.py")),
    ]
    lookahead = (ROOT / "helpers/lessons/lookahead/explorer.py").read_text()
    sources = {str(f.relative_to(ROOT)): f.read_text() for f in files}
    sources["lookahead_figure"] = lookahead[lookahead.index("def lookahead_figure") :]
    small = {
        name: s
        for name, text in sources.items()
        if (s := [v for v in _font_sizes(text) if v < LIBRARY_MIN_FONT_PT])
    }
    assert not small, f"fonts under {LIBRARY_MIN_FONT_PT} pt: {small}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_static_figures_are_drawn_at_a_size_their_text_stays_legible(path: Path) -> None:
    """A PNG wider than the column is shrunk to fit it; its smallest text (the smallest font
    size in its cell's source, or the library's :data:`LIBRARY_MIN_FONT_PT`) must still be at
    least 9 px as shown."""
    nb = nbformat.read(path, as_version=4)
    small = []
    for index, cell, output in _images(nb):
        if _is_frame(output):
            continue  # slider panels: sized with the panel widgets
        image = Image.open(io.BytesIO(base64.b64decode(output.data["image/png"])))
        dpi = float(image.info.get("dpi", (100.0, 100.0))[0])
        points = min([LIBRARY_MIN_FONT_PT, *_font_sizes(cell.source)])
        shown = points / 72 * dpi * min(1.0, COLUMN_PX / image.width)
        if shown < MIN_TEXT_PX:
            small.append((index, image.width, points, round(shown, 1)))
    assert not small, f"(cell, PNG width px, smallest font pt, shown px) under 9 px: {small}"
