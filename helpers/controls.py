"""Honest slider controls: grids that hold their presets, readouts for people, typed input that
says what it did.

A :class:`Grid` is the finite set of values a slider can take, each with its label. Typed text
goes through :meth:`Grid.parse`, which returns the grid value used and, when that is not what
was typed (out of range, between two grid points, not a number), a sentence saying so, for the
panel's status line. :func:`slider_entry` builds the widgets (a slider without its own readout,
which would accept typing but clamp or revert it silently, plus a text box) from the
``ipywidgets`` module it is given: the library itself never imports ipywidgets.

Example:
    >>> grid = Grid.log("lr", 0.001, 3)
    >>> grid.label(0.05), 0.05 in grid.values
    ('0.05', True)
    >>> grid.parse("5")
    (3.0, 'lr 5 is above the maximum 3; using 3')
"""

from __future__ import annotations

import html
import math
import numbers
import re
from dataclasses import dataclass

import numpy as np

from helpers import _validate as _check

__all__ = ["NICE_MANTISSAS", "Grid", "format_number", "png_width", "slider_entry"]

NICE_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
"""Ten values per decade of :meth:`Grid.log`: each within a factor 1.34 of the next, and the
decade holds 1, 1.5, 2, 2.5, 3 and 5 exactly (presets such as 0.05, 0.5, 30 and 1000)."""

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def format_number(value: float, digits: int = 3) -> str:
    """``value`` as a person writes it: at most ``digits`` significant digits, no exponent between
    1e-4 and 1e6, thousands separated by commas from 10,000 on, no trailing zeros.

    Example:
        >>> [format_number(v) for v in (1000.0, 0.0001, 0.05, 31.62, 20000, 1e6, 2.5e-7)]
        ['1000', '0.0001', '0.05', '31.6', '20,000', '1e6', '2.5e-7']
    """
    value = _check.real("value", value)
    digits = _check.integer("digits", digits, low=1, high=17)
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    rounded = float(f"{value:.{digits}g}")
    if not 1e-4 <= abs(rounded) < 1e6:
        mantissa, exponent = f"{rounded:.{digits - 1}e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    text = np.format_float_positional(rounded, trim="-")
    if abs(rounded) >= 10_000 and rounded == int(rounded):
        text = f"{int(rounded):,}"
    return text


@dataclass(frozen=True)
class Grid:
    """The values ``values`` (increasing) a slider named ``name`` can take, with their labels.

    Build one with :meth:`log`, :meth:`linear` or :meth:`of`. ``log_snap``: typed values between
    two grid points go to the nearer one in log distance (else in plain distance).
    """

    name: str
    values: tuple[float, ...]
    log_snap: bool = False
    integer: bool = False

    def __post_init__(self) -> None:
        _check.text("name", self.name)
        values = _check.as_finite_array("values", self.values, ndim=(1,))
        _check.flag("log_snap", self.log_snap)
        _check.flag("integer", self.integer)
        if values.ndim != 1 or values.size < 2 or not np.all(np.diff(values) > 0):
            raise ValueError(f"values must be >= 2 increasing numbers, got {self.values!r}")
        if self.log_snap and values[0] <= 0:
            raise ValueError(f"a log grid needs positive values, got {self.values!r}")

    @classmethod
    def log(cls, name: str, low: float, high: float, mantissas=NICE_MANTISSAS) -> Grid:
        """The numbers ``m * 10**e`` (m in ``mantissas``) from ``low`` to ``high``, both of which
        must be such numbers; each value is the double nearest its decimal (0.05 is ``0.05``)."""
        _check.text("name", name)
        low = _check.number("low", low, above=0)
        high = _check.number("high", high, above=low)
        mantissas = _check.positive("mantissas", mantissas)
        if (
            mantissas.ndim != 1
            or mantissas.size == 0
            or not np.all(np.diff(mantissas) > 0)
            or not (mantissas[0] >= 1 and mantissas[-1] < 10)
        ):
            raise ValueError(
                f"mantissas must be increasing numbers in [1, 10), got {mantissas!r:.80}"
            )
        if not 0 < low < high:
            raise ValueError(f"need 0 < low < high, got low={low!r}, high={high!r}")
        values = [
            float(f"{m:g}e{e}")
            for e in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
            for m in mantissas
        ]
        values = sorted(v for v in set(values) if low <= v <= high)
        if values[0] != low or values[-1] != high:
            raise ValueError(f"low and high must be on the grid, got {low!r}, {high!r}")
        return cls(name, tuple(values), log_snap=True)

    @classmethod
    def powers(cls, name: str, exponents, base: float = 10.0) -> Grid:
        """``base ** e`` for the given exponents (a log slider's grid), snapped in log distance."""
        _check.text("name", name)
        exponents = _check.as_finite_array("exponents", exponents, ndim=(1,))
        if exponents.size < 2 or not np.all(np.diff(exponents) > 0):
            raise ValueError(f"exponents must be >= 2 increasing numbers, got {exponents!r:.80}")
        base = _check.number("base", base, above=1)
        if np.any(np.abs(exponents) * math.log10(base) > 300):
            raise ValueError(f"exponents must give base ** e within 1e-300 .. 1e300, got {base}")
        return cls(name, tuple(float(base**e) for e in exponents), log_snap=True)

    @classmethod
    def linear(cls, name: str, low: float, high: float, step: float) -> Grid:
        """``low, low + step, ..., high``, each the double nearest its decimal (0.15, not
        0.15000000000000002); integers if all three are."""
        _check.text("name", name)
        low = _check.number("low", low)
        high = _check.number("high", high, above=low)
        step = _check.number("step", step, above=0)
        if not (high - low) / step <= 1e6:
            raise ValueError(f"step must give at most 1e6 values, got {step!r}")
        count = round((high - low) / step)
        if count < 1 or not math.isclose(low + count * step, high, rel_tol=1e-9, abs_tol=1e-12):
            raise ValueError(f"(high - low) must be a positive multiple of step, got {low}, {high}")
        decimals = max(0, -math.floor(math.log10(step)) + 3)
        values = tuple(float(round(low + i * step, decimals)) for i in range(count + 1))
        integer = all(float(v).is_integer() for v in (low, high, step))
        return cls(name, values, integer=integer)

    @classmethod
    def of(cls, name: str, values, log_snap: bool = False) -> Grid:
        """The given values (increasing)."""
        _check.text("name", name)
        values = _check.as_finite_array("values", values, ndim=(1,))
        _check.flag("log_snap", log_snap)
        values = tuple(float(v) for v in values)
        return cls(name, values, log_snap, integer=all(v.is_integer() for v in values))

    def label(self, value: float) -> str:
        """The readout of ``value``."""
        value = _check.number("value", value)
        if self.integer:
            return f"{round(value):,}"
        return format_number(value)

    def options(self) -> list[tuple[str, float | int]]:
        """``(label, value)`` pairs for a ``SelectionSlider``."""
        return [(self.label(v), self.value_type(v)) for v in self.values]

    def value_type(self, value: float) -> float | int:
        """``value`` as the grid's type (int for an integer grid)."""
        value = _check.number("value", value)
        return int(value) if self.integer else float(value)

    def exact(self, value: float, name: str | None = None) -> float | int:
        """``value`` itself if it is on the grid, else ValueError (a preset off the grid would
        be shown as another value). ``name``: the parameter the value came from, named by the
        error ("lr must be on the slider's grid ...") instead of the slider.

        Example:
            >>> Grid.linear("k", 1, 3, 1).exact(2), Grid.linear("k", 1, 3, 1).exact(2.0, "k")
            (2, 2)
        """
        given = value
        value = _check.number("value", value)
        if name is not None:
            _check.text("name", name)
        if value not in self.values:
            near = self.nearest(value)
            if name is not None:
                raise ValueError(
                    f"{name} must be on the {self.name} slider's grid ({self.label(self.values[0])}"
                    f" to {self.label(self.values[-1])}; nearest {self.label(near)}), got {given!r}"
                )
            raise ValueError(
                f"{self.name} {given!r} is not on the slider's grid (nearest {self.label(near)})"
            )
        return self.value_type(value)

    def nearest(self, value: float) -> float:
        """The grid value nearest ``value`` (in log distance for a log grid)."""
        value = _check.number("value", value)
        values = np.asarray(self.values)
        if self.log_snap and value > 0:
            i = int(np.argmin(np.abs(np.log(values) - math.log(value))))
        else:
            i = int(np.argmin(np.abs(values - value)))
        return float(values[i])

    def parse(self, text: str, current: float | None = None) -> tuple[float | int | None, str]:
        """The grid value to use for the typed ``text``, and what the status line says ("" when
        the text named a grid value). Not a number: ``(current, message)`` (None if no current).

        Accepts "0.05", "5e-2", "1_000" and "1,000" (a comma only as a thousands separator:
        "1,5" is refused, not read as 15 or 1.5).
        """
        _check.text("text", text)
        if current is not None:
            current = _check.number("current", current)
        raw = str(text).strip()
        cleaned = raw.replace("_", "").replace(" ", "")
        if _THOUSANDS.match(cleaned):
            cleaned = cleaned.replace(",", "")
        keep = "" if current is None else f"; keeping {self.label(current)}"
        try:
            value = float(cleaned)
        except ValueError:
            hint = " (use a point for decimals)" if "," in cleaned else ""
            return (self.value_type(current) if current is not None else None), (
                f"{self.name} {raw!r} is not a number{hint}{keep}"
            )
        if not math.isfinite(value):
            return (self.value_type(current) if current is not None else None), (
                f"{self.name} {raw} is not a finite number{keep}"
            )
        low, high = self.values[0], self.values[-1]
        shown = format_number(value, 6)
        if value > high:
            return self.value_type(high), (
                f"{self.name} {shown} is above the maximum {self.label(high)}; "
                f"using {self.label(high)}"
            )
        if value < low:
            return self.value_type(low), (
                f"{self.name} {shown} is below the minimum {self.label(low)}; "
                f"using {self.label(low)}"
            )
        near = self.nearest(value)
        if value in self.values or self.label(near) == format_number(value, 6):
            return self.value_type(near), ""
        return self.value_type(near), (
            f"{self.name} {shown} is between the slider's values; using {self.label(near)}"
        )


class slider_entry:  # used like a widget constructor
    """A ``SelectionSlider`` over ``grid`` (no readout of its own) and a text box showing its
    value, into which a value can be typed: :meth:`Grid.parse` decides the value used and
    ``status`` (an HTML widget, shared by the panel) says what happened.

    ``widgets`` is the ipywidgets module (passed in: the library does not import it).
    :attr:`box` is what to display; :meth:`observe` registers a callback on value changes;
    :meth:`set_disabled` greys both out and shows "n/a" instead of a stale value.
    """

    def __init__(self, widgets, grid: Grid, value, description: str, status, **slider_kw):
        if not all(hasattr(widgets, w) for w in ("SelectionSlider", "Text", "HBox", "Layout")):
            raise TypeError(f"widgets must be the ipywidgets module, got {type(widgets).__name__}")
        _check.instance("grid", grid, Grid, "a helpers.controls.Grid")
        value = grid.exact(value, "value")
        _check.text("description", description)
        if not hasattr(status, "value") or isinstance(status, str | bytes | numbers.Number):
            raise TypeError(
                f"status must be a widget with a value (an HTML widget), got {status!r}"
            )
        self.grid, self.status = grid, status
        self.slider = widgets.SelectionSlider(
            options=grid.options(),
            value=grid.exact(value),
            description=description,
            readout=False,
            **slider_kw,
        )
        self.entry = widgets.Text(
            value=grid.label(value),
            continuous_update=False,
            layout=widgets.Layout(width="7em"),
            tooltip=f"type a value for {grid.name} and press Enter",
        )
        self.entry.add_class("honest-entry")
        self._typing = False
        self.box = widgets.HBox([self.slider, self.entry])
        self._callbacks: list = []
        self.slider.observe(self._changed, names="value")
        self.entry.observe(self._typed, names="value")

    @property
    def value(self):
        return self.slider.value

    @value.setter
    def value(self, new) -> None:
        self.slider.value = self.grid.exact(new)

    def observe(self, callback) -> None:
        """Call ``callback(change)`` whenever the value changes, before the box shows the new
        value: a panel's redraw is sent first, so that the page has nothing to lay out while
        the kernel computes (the box's update follows the picture by a millisecond)."""
        _check.function("callback", callback)
        self._callbacks.append(callback)

    def _changed(self, change) -> None:
        if not self._typing:
            self.status.value = ""  # the last message was about a typed value
        try:
            for callback in self._callbacks:
                callback(change)
        except Exception as error:  # the picture is the last one drawn: say so
            self.status.value = html.escape(f"could not redraw: {error}", quote=False)
            raise
        finally:  # the box shows the slider's value even if a redraw failed
            if not self.entry.disabled:
                self.entry.value = self.grid.label(change["new"])

    def set_grid(self, grid: Grid) -> None:
        """Offer the values of ``grid`` instead; the value stays if ``grid`` holds it, else
        becomes the nearest one of ``grid`` and the status line says why."""
        _check.instance("grid", grid, Grid, "a helpers.controls.Grid")
        current = self.slider.value
        value, message = grid.parse(self.grid.label(current), current)
        self.grid = grid
        self._typing = True
        try:
            self.slider.options = grid.options()
            self.slider.value = value
        finally:
            self._typing = False
        if value != current:
            self.status.value = html.escape(message, quote=False)
        self.entry.value = grid.label(value)

    def set_disabled(self, disabled: bool, why: str = "n/a") -> None:
        """Grey out (``disabled``) or enable both widgets; a disabled entry reads ``why``."""
        disabled = _check.flag("disabled", disabled)
        _check.text("why", why)
        self.slider.disabled = self.entry.disabled = bool(disabled)
        self.entry.value = why if disabled else self.grid.label(self.slider.value)

    def _typed(self, change) -> None:
        if self.entry.disabled or change["new"] == self.grid.label(self.slider.value):
            return
        value, message = self.grid.parse(change["new"], self.slider.value)
        self._typing = True
        try:
            if value is not None and value != self.slider.value:
                self.slider.value = value  # redraws; _changed shows the label
        finally:
            self._typing = False
        self.status.value = html.escape(message, quote=False)
        self.entry.value = self.grid.label(self.slider.value)


def png_width(png: bytes) -> int:
    """The width in pixels of PNG bytes (from the IHDR header), for showing an image at its own
    size.

    Example:
        >>> png_width(bytes.fromhex("89504e470d0a1a0a0000000d49484452000003480000017c"))
        840
    """
    if not isinstance(png, bytes | bytearray | memoryview):
        raise TypeError(f"png must be bytes, got {type(png).__name__}")
    head = bytes(png[:24])
    if head[:8] != b"\x89PNG\r\n\x1a\n" or len(head) < 24:
        raise ValueError("png must be PNG bytes")
    return int.from_bytes(head[16:20], "big")
