"""tools/blas_core.py: which OpenBLAS kernels to pin, and that the venv's kernels get them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("blas_core", ROOT / "tools" / "blas_core.py")
blas_core = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(blas_core)

HASWELL_CPU = "processor\t: 0\nflags\t\t: fpu sse2 avx fma avx2 avx512f\n\nprocessor\t: 1\n"


def test_cpu_flags_are_read_from_the_first_processor():
    assert {"fma", "avx2", "avx512f"} <= blas_core.cpu_flags(HASWELL_CPU)
    assert blas_core.cpu_flags("") == set()


@pytest.mark.parametrize(
    ("flags", "core"),
    [("fpu avx fma avx2", "Haswell"), ("fpu avx avx2", ""), ("fpu avx fma", ""), ("", "")],
)
def test_haswell_is_pinned_only_where_the_cpu_runs_it(flags, core):
    assert blas_core.core_for(f"flags\t: {flags}\n") == core


def test_a_core_set_in_the_environment_is_kept(monkeypatch):
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Zen")
    assert blas_core.core() == "Zen"


def test_pinning_a_kernel_spec_keeps_the_rest_and_unpinning_removes_it(tmp_path):
    path = tmp_path / "kernel.json"
    spec = {"argv": ["python", "-m", "ipykernel_launcher"], "env": {"OTHER": "1"}}
    path.write_text(json.dumps(spec))
    pinned = blas_core.pin_kernel_spec(path, "Haswell")
    assert json.loads(path.read_text()) == pinned
    assert pinned == {**spec, "env": {"OTHER": "1", "OPENBLAS_CORETYPE": "Haswell"}}
    assert blas_core.pin_kernel_spec(path, "") == spec
    path.write_text(json.dumps({"argv": ["python"]}))
    assert "env" not in blas_core.pin_kernel_spec(path, "")


def test_the_venv_kernel_spec_pins_what_this_machine_needs():
    """`make install` wrote the pin into the kernel spec that nbclient, nbval and JupyterLab
    start (the notebooks' outputs were stored with those kernels)."""
    path = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
    if not path.exists():
        pytest.skip(f"no kernel spec at {path} (not the project's venv)")
    env = json.loads(path.read_text()).get("env", {})
    wanted = blas_core.core()
    assert env.get("OPENBLAS_CORETYPE", "") == wanted, "run `make install`"
