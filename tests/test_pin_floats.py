"""tools/pin_floats.py: which code paths to pin, and that every process of the venv (a script,
a Jupyter kernel) runs numpy's and OpenBLAS's AVX2 code where the CPU has it."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("pin_floats", ROOT / "tools" / "pin_floats.py")
pin_floats = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pin_floats)

V3 = " ".join(pin_floats.X86_64_V3)
PINNED = {
    "OPENBLAS_CORETYPE": "Haswell",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
}
# What a process reports: the variables, OpenBLAS's kernels (threadpoolctl), numpy's AVX-512 level.
PROBE = (
    "import json, os, numpy, threadpoolctl\n"
    "from numpy._core._multiarray_umath import __cpu_features__ as features\n"
    "print(json.dumps([os.environ.get('OPENBLAS_CORETYPE'),\n"
    "    [i.get('architecture') for i in threadpoolctl.threadpool_info()],\n"
    "    features.get('X86_V4')]))\n"
)


def test_cpu_flags_are_read_from_the_first_processor():
    cpuinfo = f"processor\t: 0\nflags\t\t: fpu {V3} avx512f\n\nprocessor\t: 1\nflags\t: fpu\n"
    assert {"avx2", "fma", "avx512f"} <= pin_floats.cpu_flags(cpuinfo)
    assert pin_floats.cpu_flags("Features\t: fp asimd\n") == set()  # aarch64 says Features


def test_both_are_pinned_on_an_x86_64_v3_cpu_and_nothing_below():
    assert pin_floats.settings_for(f"flags\t: {V3}\n", (2, 4)) == PINNED
    assert pin_floats.settings_for(f"flags\t: {V3} avx512f avx512bw\n", (2, 5)) == PINNED
    for missing in pin_floats.X86_64_V3:
        flags = " ".join(f for f in pin_floats.X86_64_V3 if f != missing)
        assert pin_floats.settings_for(f"flags\t: {flags}\n", (2, 4)) == {}, missing
    assert pin_floats.settings_for("", (2, 4)) == {}


def test_numpy_before_2_4_gets_its_own_names_of_the_avx512_levels():
    names = pin_floats.settings_for(f"flags\t: {V3}\n", (2, 3))["NPY_DISABLE_CPU_FEATURES"]
    assert "AVX512_SKX" in names.split() and "X86_V4" not in names.split()


def test_the_numpy_version_is_read_from_its_dist_info(tmp_path):
    assert pin_floats.numpy_version(str(tmp_path)) is None
    (tmp_path / "numpy-2.4.6.dist-info").mkdir()
    assert pin_floats.numpy_version(str(tmp_path)) == (2, 4)
    assert pin_floats.numpy_version(str(tmp_path / "missing")) is None


def test_a_value_already_set_is_kept_even_empty(monkeypatch):
    monkeypatch.setattr(pin_floats, "settings", lambda site_packages=None: dict(PINNED))
    environ = {"OPENBLAS_CORETYPE": ""}
    assert pin_floats.apply(environ) == {
        "NPY_DISABLE_CPU_FEATURES": PINNED["NPY_DISABLE_CPU_FEATURES"]
    }
    assert environ["OPENBLAS_CORETYPE"] == ""


def test_install_writes_a_hook_that_python_runs(tmp_path):
    pth = Path(pin_floats.install(str(tmp_path)))
    assert pth.read_text() == "import _pin_floats; _pin_floats.apply()\n"
    assert (tmp_path / "_pin_floats.py").read_text() == (ROOT / "tools/pin_floats.py").read_text()


def _hooked() -> dict[str, str]:
    """What this machine pins, skipping where the venv has no hook (not installed by make)."""
    import sysconfig

    if not (Path(sysconfig.get_paths()["purelib"]) / "_pin_floats.pth").exists():
        pytest.skip("the venv has no _pin_floats.pth: run `make install`")
    return pin_floats.settings()


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PINNED}
    return {**env, **extra}


def _expect(report: list, wanted: dict[str, str]) -> None:
    core, kernels, avx512 = report
    if wanted:
        assert core == "Haswell" and set(kernels) == {"Haswell"} and avx512 is False, report
    else:
        assert core is None, report


def test_a_process_of_the_venv_runs_the_pinned_code():
    wanted = _hooked()
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=_clean_env(), capture_output=True, text=True, check=True
    )
    _expect(json.loads(out.stdout), wanted)


def test_a_value_set_by_the_user_wins_in_a_process_of_the_venv():
    _hooked()
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=_clean_env(OPENBLAS_CORETYPE="Sandybridge"),
        capture_output=True,
        text=True,
        check=True,
    )
    core, kernels, _ = json.loads(out.stdout)
    assert core == "Sandybridge" and set(kernels) == {"Sandybridge"}


def test_a_jupyter_kernel_runs_the_pinned_code():
    """The kernels that nbclient, nbval and JupyterLab start from this venv, with nothing set by
    the process that starts them."""
    wanted = _hooked()
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", env=_clean_env())
    try:
        lines = []
        kc.execute_interactive(
            PROBE,
            output_hook=lambda msg: lines.append(msg["content"].get("text", "")),
            timeout=60,
        )
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    _expect(json.loads("".join(lines)), wanted)
