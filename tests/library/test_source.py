"""helpers.source: the lines a notebook shows are the lines of the real source."""

import inspect
import textwrap
from pathlib import Path

import pytest

from helpers import newton, optim, sampling
from helpers.source import ROOT, Source, excerpt, show

SHOWN = [  # every (function, section) a notebook shows
    (optim.sgd, "momentum step"),
    (optim.lookahead, "synchronization"),
    (newton._direction, "newton direction"),
    (newton._explicit_newton, "newton solve"),
    (newton.run, "newton update"),
    (newton._conjugate_gradient, "cg loop"),
    (sampling.batch_indices, "schemes"),
]


@pytest.mark.parametrize(("function", "section"), SHOWN, ids=[s for _, s in SHOWN])
def test_the_shown_lines_are_the_source_lines_between_the_markers(function, section):
    source = show(function, section)
    assert isinstance(source, Source) and source.code.strip()
    file_lines = (ROOT / source.path).read_text().splitlines()
    first, last = source.lines
    assert file_lines[first - 2].strip() == f"# show: {section}"
    assert file_lines[last].strip() == f"# end show: {section}"
    assert textwrap.dedent("\n".join(file_lines[first - 1 : last])) == source.code
    own = inspect.getsource(function)
    assert all(line.strip() in own for line in source.code.splitlines())
    assert sum(ln.strip() == f"# show: {section}" for ln in file_lines) == 1
    assert all(len(line) <= 100 for line in repr(source).splitlines())
    markdown = source._repr_markdown_()
    assert markdown.endswith(f"```python\n{source.code}\n```") and source.path in markdown


def test_the_excerpts_hold_the_algorithms_key_lines():
    assert "velocity = momentum * state.velocity + grad" in show(optim.sgd, "momentum step").code
    assert "grad + momentum * velocity" in show(optim.sgd, "momentum step").code
    assert "(1 - alpha) * state.slow" in show(optim.lookahead, "synchronization").code
    assert "cho_solve" in show(newton._explicit_newton, "newton solve").code
    assert "rr_new / " in show(newton._conjugate_gradient, "cg loop").code
    code = show(sampling.batch_indices, "schemes").code
    assert all(s in code for s in ("with_replacement", "random_reshuffling", "shuffle_once"))


def test_without_a_section_the_whole_body_below_the_docstring():
    body = excerpt(sampling.p_at_least_once)
    assert '"""' not in body.code and "return" in body.code
    assert body.path == "helpers/sampling.py" and "p_at_least_once" in body.name


def _no_markers():
    return 1


def test_missing_markers_and_bad_arguments_are_errors():
    with pytest.raises(ValueError, match="no marker"):
        show(optim.sgd, "no such section")
    with pytest.raises(TypeError, match="function"):
        show(42)
    with pytest.raises(TypeError, match="section"):
        show(optim.sgd, "")
    assert excerpt(_no_markers).code == "return 1"
    assert Path(ROOT / "helpers" / "source.py").exists()


def test_the_docstring_example_runs():
    import doctest

    from helpers import source

    assert doctest.testmod(source).failed == 0
