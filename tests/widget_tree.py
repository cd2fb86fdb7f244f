"""Find the parts of a slider panel (an ipywidgets box) by what they are, not by position."""

from __future__ import annotations


def walk(widget):
    """``widget`` and everything inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def controls(panel) -> dict:
    """The panel's sliders and dropdowns by description."""
    kinds = ("Slider", "Dropdown")
    return {
        w.description: w
        for w in walk(panel)
        if any(k in type(w).__name__ for k in kinds) and getattr(w, "description", "")
    }


def entries(panel) -> dict:
    """The text box beside each slider, by the slider's description."""
    found = {}
    for w in walk(panel):
        kids = getattr(w, "children", ())
        if (
            len(kids) == 2
            and type(kids[1]).__name__ == "Text"
            and "Slider" in type(kids[0]).__name__
        ):
            found[kids[0].description] = kids[1]
    return found


def image(panel):
    """The panel's (first) Image widget."""
    return next(w for w in walk(panel) if type(w).__name__ == "Image")


def status(panel):
    """The panel's status line: the first HTML widget (typed-input messages)."""
    return next(w for w in walk(panel) if type(w).__name__ == "HTML")
