import numpy as np
import pandas as pd
import pytest

from helpers.tables import LossTable, format_loss, side_by_side


def _frame(values):
    return pd.DataFrame(
        values,
        index=pd.Index([0.1, 1.0], name="lr"),
        columns=pd.Index([0.7, 0.9], name="beta"),
    )


def test_format_loss_uses_significant_digits_and_names_divergence():
    assert format_loss(0.0012345) == "0.00123"
    assert format_loss(1.5) == "1.5"
    assert format_loss(np.nan) == "diverged"
    assert format_loss(np.inf) == "diverged"


def test_best_cell_is_the_smallest_finite_loss():
    table = LossTable(_frame([[0.5, np.nan], [0.2, 0.3]]), "t")
    assert table.best == (1.0, 0.7)
    text = repr(table)
    assert "*0.2" in text and "diverged" in text and text.startswith("t\n")
    html = table._repr_html_()
    assert html.count("font-weight:bold") == 1
    assert '<td style="color:#b2182b">diverged</td>' in html


def test_all_diverged_has_no_best():
    table = LossTable(_frame([[np.nan, np.nan], [np.nan, np.nan]]))
    assert table.best is None
    assert "(every run diverged)" in repr(table)
    assert "font-weight:bold" not in table._repr_html_()


def test_html_is_escaped_and_deterministic():
    frame = _frame([[1.0, 2.0], [3.0, 4.0]])
    a = LossTable(frame, "<b>x</b>")._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt;" in a
    assert a == LossTable(frame.copy(), "<b>x</b>")._repr_html_()


def test_side_by_side_joins_tables():
    tables = [LossTable(_frame([[1.0, 2.0], [3.0, 4.0]]), name) for name in ("A", "B")]
    both = side_by_side(tables)
    assert repr(both) == repr(tables[0]) + "\n\n" + repr(tables[1])
    assert both._repr_html_().count("<table") == 2


@pytest.mark.parametrize("bad", [pd.DataFrame(), [[1.0]]])
def test_rejects_non_frames(bad):
    with pytest.raises(ValueError, match="values"):
        LossTable(bad)


def test_rejects_bad_digits():
    with pytest.raises(ValueError, match="digits"):
        LossTable(_frame([[1.0, 2.0], [3.0, 4.0]]), digits=0)


def test_missing_label_keeps_the_default_and_names_empty_cells():
    frame = _frame([[0.5, np.nan], [0.2, 0.3]])
    default = LossTable(frame, "t")
    explicit = LossTable(frame, "t", missing="diverged")
    assert repr(default) == repr(explicit) and default._repr_html_() == explicit._repr_html_()
    table = LossTable(frame, "t", missing="missing")
    text = repr(table)
    assert "missing" in text and "diverged" not in text and "*0.2" in text
    html = table._repr_html_()
    assert '<td style="color:#888888">missing</td>' in html and "b2182b" not in html
    empty = LossTable(_frame([[np.nan, np.nan], [np.nan, np.nan]]), missing="missing")
    assert "(no values)" in repr(empty)
    with pytest.raises(ValueError, match="missing"):
        LossTable(frame, missing="")
