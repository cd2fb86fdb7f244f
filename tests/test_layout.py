"""The layout's rules, read from the imports of every module under helpers/.

* The library (helpers/ outside helpers/lessons/) never imports a lesson, ipywidgets or
  matplotlib.pyplot, not even inside a function.
* A lesson never imports another lesson: what two lessons share belongs in the library.
* Every lesson has an ``explorer`` module of the same shape: ``*Explorer`` classes with
  ``update`` and ``render``, and one ``panel(explorer, ...)`` that wires widgets to them.
* Tests mirror the tree: tests/library/ for the library, tests/lessons/<lesson>/ per lesson.
* The import paths that notebooks, graders and outside checks use keep working.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "helpers"
LESSONS = PACKAGE / "lessons"
LESSON_NAMES = sorted(p.name for p in LESSONS.iterdir() if (p / "__init__.py").exists())
FORBIDDEN_IN_LIBRARY = ("helpers.lessons", "ipywidgets", "matplotlib.pyplot")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth (function bodies included), resolved to an
    absolute dotted name; ``from a import b`` yields ``a`` and ``a.b``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the file's own package
                package = module_name(path)
                if path.name != "__init__.py":
                    package = package.rsplit(".", 1)[0]
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def lesson_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["helpers", "lessons"] and len(parts) > 2:
        return parts[2]
    return None


LIBRARY_FILES = sorted(p for p in PACKAGE.rglob("*.py") if LESSONS not in p.parents)
LESSON_FILES = sorted(p for p in LESSONS.rglob("*.py") if p.parent != LESSONS)


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def test_there_are_four_lessons():
    assert LESSON_NAMES == ["lookahead", "newton", "optimizers", "sampling"]


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=_ids(LIBRARY_FILES))
def test_the_library_imports_no_lesson_no_widgets_and_no_pyplot(path):
    bad = {
        m
        for m in imported_modules(path)
        if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_IN_LIBRARY)
    }
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", LESSON_FILES, ids=_ids(LESSON_FILES))
def test_a_lesson_imports_no_other_lesson(path):
    own = lesson_of(module_name(path))
    others = {lesson_of(m) for m in imported_modules(path)} - {None, own}
    assert not others, f"{module_name(path)} (lesson {own}) imports lessons {sorted(others)}"


def test_the_rule_reader_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def panel():\n    import ipywidgets as w\n    from matplotlib import pyplot\n"
    )
    assert {"ipywidgets", "matplotlib.pyplot"} <= imported_modules(module)


@pytest.mark.parametrize("lesson", LESSON_NAMES)
def test_every_lesson_has_an_explorer_of_the_same_shape(lesson):
    explorer = importlib.import_module(f"helpers.lessons.{lesson}.explorer")
    classes = [
        obj
        for name, obj in vars(explorer).items()
        if inspect.isclass(obj)
        and name.endswith("Explorer")
        and obj.__module__ == explorer.__name__
    ]
    assert classes, f"helpers.lessons.{lesson}.explorer defines no *Explorer class"
    for cls in classes:
        for method in ("update", "render"):
            assert callable(getattr(cls, method, None)), f"{cls.__name__} has no {method}()"
    assert inspect.isfunction(explorer.panel), f"helpers.lessons.{lesson}.explorer has no panel()"
    first = next(iter(inspect.signature(explorer.panel).parameters))
    assert first == "explorer", "panel's first argument is the explorer it wires"
    assert "panel" in explorer.__all__


def test_tests_mirror_the_tree():
    tests = ROOT / "tests"
    lesson_tests = (tests / "lessons").iterdir()
    assert sorted(p.name for p in lesson_tests if (p / "__init__.py").exists()) == LESSON_NAMES
    for lesson in LESSON_NAMES:
        assert (tests / "lessons" / lesson / "test_explorer.py").exists(), lesson
    assert (tests / "library").is_dir()
    assert (tests / "notebooks" / "test_notebooks.py").exists()


STABLE_PATHS = {
    "helpers.optim": ["sgd", "adam", "lookahead"],
    "helpers.train": ["run"],
    "helpers.problems": ["LogisticRegression", "Quadratic", "Rosenbrock"],
    "helpers.data": ["blobs", "breast_cancer", "digits"],
    "helpers.sampling": ["batch_indices", "p_at_least_once", "p_exactly_once", "draw_count_pmf"],
    "helpers.newton": ["run"],
    "helpers": [
        "History",
        "LogisticRegression",
        "Optimizer",
        "Quadratic",
        "adam",
        "batch_indices",
        "blobs",
        "breast_cancer",
        "run",
        "sgd",
    ],
}


@pytest.mark.parametrize("module", sorted(STABLE_PATHS))
def test_the_public_import_paths_keep_working(module):
    mod = importlib.import_module(module)
    missing = [name for name in STABLE_PATHS[module] if not hasattr(mod, name)]
    assert not missing, f"{module} lost {missing}"
