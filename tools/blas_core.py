"""Pin OpenBLAS's kernels, so that the stored outputs reproduce on every x86-64 CPU with AVX2.

numpy's wheels bundle OpenBLAS built for many CPUs at once (``DYNAMIC_ARCH``): it picks its
compute kernels when numpy is imported, by CPU, and the kernels round differently. On the
machines here it picked ``Haswell`` until 2026-12-02, then ``SkylakeX`` on another machine's CPU,
where notebook 2's conjugate gradients took 56 products instead of 57 and notebook 1's chaotic
runs ended elsewhere: a fresh execution no longer equalled the committed notebooks. They were
executed with the Haswell kernels, which any x86-64 CPU with AVX2 and FMA runs, so the project
asks OpenBLAS for them (``OPENBLAS_CORETYPE=Haswell``) wherever the CPU has both:

* the Makefile exports it to everything it runs (tests, notebook execution, JupyterLab, benchmarks),
  unless ``OPENBLAS_CORETYPE`` is already set;
* ``make install`` writes it into the environment of the virtual environment's ``python3`` kernel
  spec, so a kernel that JupyterLab (or nbclient, or nbval) starts from this venv has it however
  the server was started.

Elsewhere (other CPUs, other operating systems) nothing is pinned; see the README, "For graders".

Usage: ``python tools/blas_core.py`` prints the core to pin (``Haswell``, or nothing);
``python tools/blas_core.py KERNEL_JSON`` also sets (or, with nothing to pin, removes)
``OPENBLAS_CORETYPE`` in that kernel spec's ``env``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

CORE = "Haswell"
"""The OpenBLAS kernels the committed notebooks were executed with."""
NEEDS = ("avx2", "fma")
"""CPU flags (as /proc/cpuinfo names them) that the Haswell kernels need."""
VARIABLE = "OPENBLAS_CORETYPE"


def cpu_flags(cpuinfo: str) -> set[str]:
    """The flags of the first processor in the text of /proc/cpuinfo."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            return set(value.split())
    return set()


def core_for(cpuinfo: str) -> str:
    """:data:`CORE` when the CPU described by ``cpuinfo`` can run it, else ``""``."""
    return CORE if set(NEEDS) <= cpu_flags(cpuinfo) else ""


def core() -> str:
    """The core to pin on this machine: the environment's ``OPENBLAS_CORETYPE`` if set, else
    :func:`core_for` of /proc/cpuinfo (``""`` where there is none, e.g. macOS)."""
    if os.environ.get(VARIABLE):
        return os.environ[VARIABLE]
    try:
        return core_for(Path("/proc/cpuinfo").read_text())
    except OSError:
        return ""


def pin_kernel_spec(path: Path, core: str) -> dict:
    """Set ``env[OPENBLAS_CORETYPE]`` of the kernel spec at ``path`` to ``core`` (remove it when
    ``core`` is empty), keep everything else, write it back and return the spec."""
    spec = json.loads(path.read_text())
    env = dict(spec.get("env", {}))
    if core:
        env[VARIABLE] = core
    else:
        env.pop(VARIABLE, None)
    if env:
        spec["env"] = env
    else:
        spec.pop("env", None)
    path.write_text(json.dumps(spec, indent=1) + "\n")
    return spec


def main(argv: list[str]) -> int:
    chosen = core()
    if argv:
        pin_kernel_spec(Path(argv[0]), chosen)
    else:
        print(chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
