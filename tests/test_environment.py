"""environment.yml (conda, Binder) must mirror pyproject.toml's dependencies exactly."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES: dict[str, str] = {}


def _split(requirement: str) -> tuple[str, str]:
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return match.group(1).lower(), match.group(2).replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _conda() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_conda_dependencies_mirror_pyproject() -> None:
    project = _pyproject()["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    expected = {CONDA_NAMES.get(n, n): spec for n, spec in map(_split, wanted)}
    expected["python"] = project["requires-python"]
    conda = {}
    for dep in _conda()["dependencies"]:
        if isinstance(dep, str) and dep != "pip":
            name, spec = _split(dep)
            conda[name] = spec
    assert conda == expected


def test_conda_installs_the_project_itself_from_conda_forge() -> None:
    env = _conda()
    assert env["channels"] == ["conda-forge"]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]  # conda provides the dependencies; pip adds the package
