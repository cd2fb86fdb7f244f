"""Pin numpy's and OpenBLAS's floating-point code paths, so that the stored outputs reproduce on
every x86-64 CPU of the x86-64-v3 level (AVX2, FMA, BMI2...) or above.

Both libraries pick their compute code when numpy is imported, by CPU, and the choices round
differently:

* numpy's own loops (``exp``, ``log``, ``expm1``, ``power``...) have an AVX2 (``X86_V3``) and
  an AVX-512 (``X86_V4``) version that differ in the last bit for a few percent of inputs;
* the OpenBLAS bundled with numpy's wheels (``DYNAMIC_ARCH``) has ``Haswell`` (AVX2) and
  ``SkylakeX`` (AVX-512) kernels, among others, that sum in another order.

On 2026-12-02 a new machine picked ``SkylakeX``: notebook 2's conjugate gradients took 56
products instead of 57, notebook 1's chaotic runs ended elsewhere, and ``make test`` failed.
The notebooks are executed with the AVX2 versions of both, which every x86-64-v3 CPU runs
(an AVX-512 CPU runs them when told to), so this module asks for them::

    OPENBLAS_CORETYPE=Haswell
    NPY_DISABLE_CPU_FEATURES=X86_V4 AVX512_ICL AVX512_SPR      (numpy 2.4's names)

``make install`` copies this file into the venv's site-packages as ``_pin_floats.py`` with a
``_pin_floats.pth`` that imports it: Python runs it at the start of every process of the venv,
before any numpy import (kernels, JupyterLab, pytest, scripts), and it sets each variable only
where the environment does not already (set one, even empty, to choose for yourself). It pins
nothing on a CPU below x86-64-v3 or without /proc/cpuinfo (ARM, macOS, Windows): there the
libraries choose. See the README, "For graders".

Usage: ``python tools/pin_floats.py`` prints what it would set on this machine;
``python tools/pin_floats.py --install`` installs the hook into the running Python's
site-packages (``make install`` does this).
"""

from __future__ import annotations

import os
import sys

# Python runs this module at the start of every process of the venv: it imports only os and
# sys (both already loaded then), the rest where needed.

X86_64_V3 = ("avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave")
"""The /proc/cpuinfo flags of the x86-64-v3 level (``abm`` is how Linux names LZCNT): what
numpy's ``X86_V3`` loops and OpenBLAS's Haswell kernels need."""
OPENBLAS_CORE = "Haswell"
NUMPY_AVX512 = {
    (2, 4): "X86_V4 AVX512_ICL AVX512_SPR",
    (0, 0): "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL "
    "AVX512_ICL AVX512_SPR",
}
"""numpy's names of its dispatched AVX-512 levels, by the first numpy version that uses them
(numpy 2.4 grouped them; a name numpy does not dispatch draws an ImportWarning)."""
HOOK = "_pin_floats"


def cpu_flags(cpuinfo: str) -> set[str]:
    """The flags of the first processor in the text of /proc/cpuinfo (empty: none listed)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            return set(value.split())
    return set()


def numpy_version(site_packages: str) -> tuple[int, int] | None:
    """(major, minor) of the numpy installed in ``site_packages``, read from its dist-info
    folder's name (importing numpy, or importlib.metadata at 20 ms, would cost every process
    more), or None."""
    try:
        names = os.listdir(site_packages)
    except OSError:
        return None
    for name in names:
        if name.startswith("numpy-") and name.endswith(".dist-info"):
            try:
                major, minor = name[len("numpy-") :].split(".")[:2]
                return int(major), int(minor)
            except ValueError:
                return None
    return None


def settings_for(cpuinfo: str, numpy: tuple[int, int] | None) -> dict[str, str]:
    """The variables to set for a CPU described by ``cpuinfo`` (the text of /proc/cpuinfo) and
    numpy version ``numpy``: both when the CPU is x86-64-v3 or above, else none."""
    if not set(X86_64_V3) <= cpu_flags(cpuinfo):
        return {}
    names = next(v for since, v in sorted(NUMPY_AVX512.items(), reverse=True) if numpy >= since)
    return {"OPENBLAS_CORETYPE": OPENBLAS_CORE, "NPY_DISABLE_CPU_FEATURES": names}


def settings(site_packages: str | None = None) -> dict[str, str]:
    """:func:`settings_for` this machine and the numpy in ``site_packages`` (by default the
    folder this module is in, where ``make install`` put it, or the running Python's)."""
    try:
        with open("/proc/cpuinfo") as f:  # up to the first flags line (one per core follows)
            cpuinfo = next((line for line in f if line.startswith("flags")), "")
    except OSError:
        return {}
    folder = site_packages or os.path.dirname(os.path.abspath(__file__))
    version = numpy_version(folder) or numpy_version(_purelib())
    return settings_for(cpuinfo, version or (0, 0))


def _purelib() -> str:
    import sysconfig

    return sysconfig.get_paths()["purelib"]


def apply(environ=os.environ, site_packages: str | None = None) -> dict[str, str]:
    """Set each variable of :func:`settings` in ``environ`` where it is not set yet; returns
    what was set."""
    chosen = {k: v for k, v in settings(site_packages).items() if k not in environ}
    environ.update(chosen)
    return chosen


def install(site_packages: str) -> str:
    """Copy this file into ``site_packages`` as ``_pin_floats.py`` with ``_pin_floats.pth``,
    which Python's site module runs at every start; returns the .pth file's path."""
    import shutil

    shutil.copyfile(__file__, os.path.join(site_packages, f"{HOOK}.py"))
    pth = os.path.join(site_packages, f"{HOOK}.pth")
    with open(pth, "w") as f:
        f.write(f"import {HOOK}; {HOOK}.apply()\n")
    return pth


def main(argv: list[str]) -> int:
    purelib = _purelib()
    if argv == ["--install"]:
        print(f"installed {install(purelib)}")
    elif not argv:
        print(" ".join(f"{k}={v!r}" for k, v in settings(purelib).items()) or "nothing to pin")
    else:
        print(__doc__.split("Usage:")[1].strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
