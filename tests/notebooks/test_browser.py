"""Real-browser end-to-end test: JupyterLab driven by headless Chromium through Playwright.

For every case in ``CASES`` the test opens the notebook in JupyterLab, runs all cells, checks that
no cell produced an error, moves the named ipywidgets slider and checks that the plot it controls
is redrawn. Screenshots go to ``build/browser-<notebook>.png``.

For every notebook in ``FRAME_CASES`` (``BROWSER_TEST_FRAMES="a.ipynb,b.ipynb"`` replaces it) the
frame test opens the committed notebook and checks that each slider panel shows its stored first
frame before anything runs; then runs all, saves, reopens it and checks that no panel says
"Error displaying widget: model not found" (``build/browser-frame-<notebook>-*.png``).

Run with ``make browser-test`` (``.venv/bin/pytest -q -m browser tests/test_browser.py``); the
default pytest run deselects the ``browser`` marker.

Environment variables:

* ``REQUIRE_BROWSER=1``: fail (instead of skip) when Chromium or the playwright package is
  missing.
* ``BROWSER_TEST_CHROMIUM``: Chromium executable (default: ``chromium`` on PATH, then
  /usr/bin/chromium).
* ``BROWSER_TEST_NOTEBOOKS``: folder whose copy JupyterLab serves (default:
  ``<project>/notebooks``).
* ``BROWSER_TEST_CASES``: replaces ``CASES``, e.g. ``"a.ipynb:lr,b.ipynb:beta"``.

JupyterLab always serves a temporary copy of the notebooks (autosave never touches tracked files),
with its config, data, runtime, settings and workspace folders in the same temporary directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"

# (notebook file, description label of the slider that controls a plot). One line per notebook.
CASES = [
    ("1_lookahead.ipynb", "alpha"),
    ("2_newton.ipynb", "condition number"),
    ("3_sampling.ipynb", "n"),
    ("4_optimizers.ipynb", "lr"),
    ("4_optimizers.ipynb", "condition number"),
]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_BROWSER_HINT = "apt-get install chromium"

SERVER_START_TIMEOUT = 60  # s, JupyterLab answering /api/status
KERNEL_IDLE_TIMEOUT = 60  # s, kernel started and idle after opening the notebook
RUN_ALL_TIMEOUT = 120  # s, "Run All" finished
WIDGET_TIMEOUT = 20  # s, slider and plot rendered; plot redrawn after the slider moved

# JupyterLab user settings for the temporary server: render every cell (no windowing, so all
# prompts and outputs are in the DOM) and no news/update notifications over the page.
LAB_USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def _cases() -> list[tuple[str, str]]:
    spec = os.environ.get("BROWSER_TEST_CASES", "").strip()
    if not spec:
        return CASES
    cases = []
    for item in spec.split(","):
        name, sep, label = item.strip().rpartition(":")
        if not sep or not name or not label:
            raise ValueError(f"BROWSER_TEST_CASES item {item!r} is not 'notebook.ipynb:label'")
        cases.append((name, label))
    return cases


# --------------------------------------------------------------------------------------------------
# Chromium / playwright availability
# --------------------------------------------------------------------------------------------------


def _chromium_executable() -> str | None:
    override = os.environ.get("BROWSER_TEST_CHROMIUM")
    if override:
        path = Path(override)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    fallback = Path("/usr/bin/chromium")
    return str(fallback) if fallback.is_file() else None


def _skip_or_fail(message: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(message)


def _require_chromium() -> str:
    """Chromium's path; skip (or fail with REQUIRE_BROWSER=1) when it or playwright is missing.

    Called from the test body, before any browser/server fixture is set up, so that the
    REQUIRE_BROWSER=1 case is reported as a test failure and a skip costs nothing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        _skip_or_fail(f"playwright not importable ({exc}): pip install playwright")
    path = _chromium_executable()
    if path is None:
        where = os.environ.get("BROWSER_TEST_CHROMIUM") or "PATH, /usr/bin/chromium"
        _skip_or_fail(f"chromium not found ({where}): {MISSING_BROWSER_HINT}")
    return path


@pytest.fixture(scope="module")
def chromium_executable() -> str:
    return _require_chromium()


@pytest.fixture(scope="module")
def browser(chromium_executable: str):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
    except Exception:
        pw.stop()
        raise
    yield chromium
    chromium.close()
    pw.stop()


# --------------------------------------------------------------------------------------------------
# JupyterLab server
# --------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path
    proc: subprocess.Popen
    # Plain HTTP to 127.0.0.1: never through a proxy from the environment.
    _opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(urllib.request.ProxyHandler({}))
    )

    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with self._opener.open(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def notebook_url(self, name: str) -> str:
        # `reset` starts from an empty workspace, so tabs of earlier cases are not restored.
        return f"{self.url}/lab/tree/{quote(name)}?reset&token={self.token}"

    def delete_sessions(self) -> None:
        if self.proc.poll() is not None:
            return
        for session in self.api("GET", "/api/sessions") or []:
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


def _notebook_source() -> Path:
    return Path(os.environ.get("BROWSER_TEST_NOTEBOOKS") or ROOT / "notebooks").resolve()


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    source = _notebook_source()
    if not source.is_dir():
        pytest.fail(f"notebook folder {source} does not exist", pytrace=False)

    tmp = Path(tempfile.mkdtemp(prefix="browser-test-"))
    root = tmp / "notebooks"
    shutil.copytree(
        source, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    dirs = {name: tmp / name for name in ("config", "data", "runtime", "ipython")}
    for path in dirs.values():
        path.mkdir()
    settings_dir = dirs["config"] / "lab" / "user-settings"
    for rel, value in LAB_USER_SETTINGS.items():
        target = settings_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))

    env = dict(os.environ)
    # The kernel inherits this environment. A non-interactive MPLBACKEND (the Makefile exports
    # Agg) would stop ipykernel from selecting the inline backend: no plots in the page.
    env.pop("MPLBACKEND", None)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["config"] / "lab" / "workspaces"),
        IPYTHONDIR=str(dirs["ipython"]),
        # `helpers` is importable even if the project is not installed in this interpreter.
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )

    port = _free_port()
    token = secrets.token_hex(24)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")

    log = tmp / "jupyterlab.log"
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(
            cmd,
            cwd=tmp,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = Lab(url=f"http://127.0.0.1:{port}", token=token, root=root, log=log, proc=proc)
    try:
        _wait_for_server(server)
        _check_kernelspec(server)
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.delete_sessions()
        _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_for_server(server: Lab) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with code {server.proc.returncode} before answering "
                f"/api/status. Server log:\n{server.log_tail(60)}",
                pytrace=False,
            )
        try:
            server.api("GET", f"/api/status?token={server.token}", timeout=2)
            return
        except (urllib.error.URLError, OSError, ValueError) as exc:
            last_error = exc
        time.sleep(0.25)
    _stop(server.proc)
    pytest.fail(
        f"JupyterLab did not answer {server.url}/api/status within {SERVER_START_TIMEOUT} s "
        f"(last error: {last_error}). Server log:\n{server.log_tail(60)}",
        pytrace=False,
    )


def _check_kernelspec(server: Lab) -> None:
    """`python3` must run this interpreter: jupyter_client maps argv[0] == python* to it."""
    specs = server.api("GET", "/api/kernelspecs")["kernelspecs"]
    if "python3" not in specs:
        pytest.fail(f"kernelspec python3 missing; server offers {sorted(specs)}", pytrace=False)
    executable = specs["python3"]["spec"]["argv"][0]
    aliases = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info)}
    if executable not in aliases and Path(executable).resolve() != Path(sys.executable).resolve():
        pytest.fail(
            f"kernelspec python3 runs {executable}, not {sys.executable}; "
            f"resource dir {specs['python3'].get('resources')}",
            pytrace=False,
        )


# --------------------------------------------------------------------------------------------------
# Page helpers
# --------------------------------------------------------------------------------------------------

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# true when the kernel is idle, no cell shows [*], and every non-empty code cell has an execution
# count (or execution stopped at an error output).
JS_RUN_FINISHED = """
() => {
  const panel = document.querySelector('PANEL');
  if (!panel) return false;
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator')
    || document.querySelector('.jp-Notebook-ExecutionIndicator');
  if (!indicator || indicator.dataset.status !== 'idle') return false;
  let allNumbered = true;
  for (const cell of panel.querySelectorAll('.jp-Notebook .jp-Cell.jp-CodeCell')) {
    const prompt = cell.querySelector('.jp-InputArea .jp-InputPrompt');
    const text = prompt ? prompt.textContent : '';
    if (text.includes('*')) return false;
    const editor = cell.querySelector('.cm-content');
    const source = editor ? editor.textContent.trim() : '';
    if (source && !/\\[\\d+\\]/.test(text)) allNumbered = false;
  }
  return allNumbered || window.__browserTestErrors().length > 0;
}
""".replace("PANEL", PANEL)

# Error outputs render as application/vnd.jupyter.stderr (like plain stderr), so look at the text;
# the notebook model (window.jupyterapp) also reports output_type == "error".
JS_DEFINE_ERRORS = """
() => {
  window.__browserTestErrors = () => {
    const errors = [];
    const panel = document.querySelector('PANEL');
    if (!panel) return errors;
    const pattern = /Traceback \\(most recent call last\\)|^\\s*\\w*(Error|Exception)\\b/m;
    const selector = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]';
    for (const el of panel.querySelectorAll(selector)) {
      const text = el.innerText || el.textContent || '';
      if (pattern.test(text)) errors.push(text);
    }
    const app = window.jupyterapp;
    const widget = app && app.shell && app.shell.currentWidget;
    const model = widget && widget.content && widget.content.model;
    if (model && model.cells) {
      for (const cell of model.cells) {
        if (cell.type !== 'code') continue;
        for (let i = 0; i < cell.outputs.length; i++) {
          const out = cell.outputs.get(i).toJSON();
          if (out.output_type === 'error') {
            const message = `${out.ename}: ${out.evalue}`;
            if (!errors.some((e) => e.includes(out.ename))) errors.push(message);
          }
        }
      }
    }
    return errors;
  };
}
""".replace("PANEL", PANEL)

JS_CELL_PROMPTS = """
() => Array.from(document.querySelectorAll('PANEL .jp-Cell.jp-CodeCell')).map((cell) => {
  const prompt = cell.querySelector('.jp-InputArea .jp-InputPrompt');
  const editor = cell.querySelector('.cm-content');
  const source = editor ? editor.textContent : '';
  return [prompt ? prompt.textContent.trim() : '?', source.slice(0, 60)];
})
""".replace("PANEL", PANEL)

# Given the slider element: mark the element holding the plot it controls (the Output widget /
# output area around the nearest image: same widget box first, then the same cell, then the first
# image output after the slider) with data-browser-test-plot. Returns the image src or null.
JS_MARK_PLOT = """
(slider) => {
  for (const el of document.querySelectorAll('[data-browser-test-plot]')) {
    delete el.dataset.browserTestPlot;
  }
  const after = (img) => !!(slider.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING);
  const images = (root) => Array.from(root.querySelectorAll('img'))
    .filter((img) => img.getAttribute('src') && !slider.contains(img));
  let found = null;
  const cell = slider.closest('.jp-Cell');
  for (let el = slider.parentElement; el && !found; el = el.parentElement) {
    const imgs = images(el);
    if (imgs.length) found = imgs.find(after) || imgs[0];
    if (el === cell || el === document.body) break;
  }
  if (!found) {
    found = Array.from(document.querySelectorAll('PANEL .jp-OutputArea img')).find(after) || null;
  }
  if (!found) return null;
  const holder = found.closest('.widget-output') || found.closest('.jp-OutputArea') || found;
  holder.dataset.browserTestPlot = '1';
  return found.getAttribute('src');
}
""".replace("PANEL", PANEL)

JS_PLOT_SRC = """
() => {
  const holder = document.querySelector('[data-browser-test-plot]');
  if (!holder) return null;
  const img = holder.tagName === 'IMG' ? holder : holder.querySelector('img');
  return img ? img.getAttribute('src') : null;
}
"""


@dataclass
class Steps:
    """`with steps("name"):` turns any failure into one that names the step, with a screenshot."""

    page: object
    lab: Lab
    failure_shot: Path
    page_errors: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)

    def summary(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings) or "none"

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
            self.timings.append((name, time.monotonic() - start))
        except Exception as exc:
            with contextlib.suppress(Exception):
                self.page.screenshot(path=str(self.failure_shot), full_page=True)
            message = [
                f"step {name!r} failed: {exc}",
                f"screenshot: {self.failure_shot}",
                f"earlier steps: {self.summary()}",
            ]
            if self.page_errors:
                message.append(
                    "JavaScript errors in the page:\n" + "\n".join(self.page_errors[-5:])
                )
            message.append(f"JupyterLab log (tail):\n{self.lab.log_tail()}")
            if isinstance(exc, AssertionError):  # our own message says it all
                raise AssertionError("\n".join(message)) from None
            raise AssertionError("\n".join(message)) from exc


def _wait_until(predicate, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def _panel_cells_when(page, ready) -> list:
    """The open notebook's panel cells (``JS_PANEL_CELLS``) once ``ready(cell)`` holds for every
    one of them, or as they are when ``WIDGET_TIMEOUT`` runs out."""
    found = _wait_until(
        lambda: (cells := page.evaluate(JS_PANEL_CELLS)) and all(map(ready, cells)) and cells,
        WIDGET_TIMEOUT,
    )
    return found or page.evaluate(JS_PANEL_CELLS)


def _scrolled_to(locator) -> bool:
    """Scroll `locator` into view; False (try again) if the element was re-rendered meanwhile."""
    try:
        locator.scroll_into_view_if_needed(timeout=2_000)
    except Exception:  # Playwright's Error: detached while JupyterLab re-renders the cell
        return False
    return True


def _run_menu_command(page, menu: str, item_command: str, fallback_command: str) -> None:
    """Click menu bar `menu`, then its item `item_command`; if that fails, execute
    `fallback_command` through the command registry (window.jupyterapp)."""
    label = page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^\s*{menu}\s*$"))
    item = page.locator(f'.lm-Menu-item[data-command="{item_command}"]:not(.lm-mod-disabled)')
    try:
        label.first.click(timeout=5_000)
        item.first.click(timeout=5_000)
        return
    except Exception:
        page.keyboard.press("Escape")
    page.evaluate("(command) => window.jupyterapp.commands.execute(command)", fallback_command)


def _wait_for_idle_kernel(page, lab: Lab, notebook: str) -> None:
    def idle_session() -> bool:
        dialog_accept = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog_accept.count():  # e.g. "Select Kernel" when the notebook has no kernelspec
            dialog_accept.first.click()
        for session in lab.api("GET", "/api/sessions") or []:
            if session.get("path", "").endswith(notebook):
                return (session.get("kernel") or {}).get("execution_state") == "idle"
        return False

    if not _wait_until(idle_session, KERNEL_IDLE_TIMEOUT, interval=0.5):
        sessions = lab.api("GET", "/api/sessions")
        raise AssertionError(
            f"no idle kernel for {notebook} after {KERNEL_IDLE_TIMEOUT} s; sessions: {sessions}"
        )
    page.locator(f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(
        timeout=KERNEL_IDLE_TIMEOUT * 1000
    )


def _wait_for_stable_plot(page, timeout: float = 10) -> None:
    """Wait until the kernel is idle and the plot image stayed the same for half a second."""
    idle = f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]'
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        src = page.evaluate(JS_PLOT_SRC)
        if src and src == last and page.locator(idle).count():
            return
        last = src
        time.sleep(0.5)


def _slider_value(slider) -> str | None:
    readout = slider.locator(".widget-readout")
    if not readout.count():
        return None
    return readout.first.evaluate("(el) => el.value ?? el.textContent")


# --------------------------------------------------------------------------------------------------
# Every control of a notebook: does it redraw its plot, and how fast (also used by
# benchmarks/bench_panels_browser.py)
# --------------------------------------------------------------------------------------------------

CONTROLS = f"{PANEL} :is(.widget-dropdown, .widget-slider, .widget-hslider)"

# Resolve once the page has painted twice and its main thread has been idle (at most 2 s), with
# how long that took and whether the 2 s ran out: after scrolling a panel into view, JupyterLab
# renders the cells that came into view (pictures, typeset formulas); a student looks at the
# panel before moving it, so the timed actions start then. SETTLE_WAITS keeps each wait.
JS_SETTLE = """
() => new Promise((resolve) => {
  const start = performance.now();
  requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(
    (deadline) => resolve([performance.now() - start, deadline.didTimeout]), {timeout: 2000})));
})
"""
SETTLE_WAITS: list[tuple[str, float, bool]] = []
"""``(control, ms, timed out)`` of every wait for an idle page after a scroll (JS_SETTLE)."""

# Record the time (performance.now, ms) of every src change of the marked plot image.
JS_WATCH_PLOT = """
() => {
  const holder = document.querySelector('[data-browser-test-plot]');
  const img = holder && (holder.tagName === 'IMG' ? holder : holder.querySelector('img'));
  if (!img) return false;
  if (window.__plotObserver) window.__plotObserver.disconnect();
  window.__plotChanges = [];
  window.__plotObserver = new MutationObserver(() => window.__plotChanges.push(performance.now()));
  window.__plotObserver.observe(img, {attributes: true, attributeFilter: ['src']});
  // When each input happened: a key press, or a dropdown's new selection. event.timeStamp is
  // when the browser created the event (same clock as performance.now()), so a main thread
  // still busy with the previous frame counts as latency too.
  if (!window.__inputTimes) {
    window.__inputTimes = [];
    const note = (e) => window.__inputTimes.push(e.timeStamp);
    document.addEventListener('keydown', note, true);
    document.addEventListener('change', (e) => { if (e.target.tagName === 'SELECT') note(e); }, true);
  }
  return true;
}
"""


@dataclass
class Control:
    """One control of a panel: its label, kind ("slider" or "dropdown") and locator."""

    label: str
    kind: str
    locator: object

    @property
    def disabled(self) -> bool:
        return bool(
            self.locator.evaluate(
                "(el) => !!el.querySelector('[disabled], .noUi-target[disabled]')"
                " || el.classList.contains('mod-disabled')"
            )
        )


def find_controls(page) -> list[Control]:
    """Every dropdown and slider of the open notebook, in page order."""
    found = []
    locators = page.locator(CONTROLS)
    for i in range(locators.count()):
        loc = locators.nth(i)
        label = loc.locator(".widget-label").first.inner_text().strip()
        kind = "dropdown" if "widget-dropdown" in (loc.get_attribute("class") or "") else "slider"
        found.append(Control(label, kind, loc))
    return found


def _idle(page) -> bool:
    return bool(
        page.locator(f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]').count()
    )


CLOCK_FALLBACKS: list[str] = []
"""Actions :func:`timed_redraw` timed from before ``act()`` because the page saw no key press or
selection (the benchmark reports them)."""


def timed_redraw(page, act, timeout: float = WIDGET_TIMEOUT) -> float | None:
    """Milliseconds from the input ``act()`` makes (the key press or selection as the page's
    event records it; Enter for a typed value: the last input before the redraw) until the
    marked plot's image src changes (None if it does not within ``timeout``); then waits for
    the kernel to be idle and the image to settle. Without such an event the clock starts just
    before ``act()``, and the action is listed in :data:`CLOCK_FALLBACKS`."""
    count, inputs, before = page.evaluate(
        "() => [window.__plotChanges.length, window.__inputTimes.length, performance.now()]"
    )
    act()
    try:
        page.wait_for_function(
            "(n) => window.__plotChanges.length > n",
            arg=count,
            timeout=timeout * 1000,
            polling=100,
        )
    except Exception:
        return None
    # From the browser's receiving the key press (the last one: Enter in a text box) or the new
    # selection, not from when Playwright was asked to press (its own round trips are no latency
    # a student sees).
    changed, start = page.evaluate(
        "([n, k]) => [window.__plotChanges[n],"
        " window.__inputTimes.slice(k).filter((t) => t <= window.__plotChanges[n]).pop()]",
        [count, inputs],
    )
    if start is None:  # no key press or selection seen: time from before the action
        start = before
        CLOCK_FALLBACKS.append(getattr(act, "__name__", repr(act)))
    _wait_until(lambda: _idle(page), timeout)
    time.sleep(0.3)  # a second redraw (merged key presses) lands before the next action
    _wait_until(lambda: _idle(page), timeout)
    return changed - start


def control_actions(control: Control, presses: int, typed: bool) -> list[tuple[str, object]]:
    """What to do to ``control``: ``(description, act)`` pairs. Sliders: ``presses`` arrow-key
    presses (right, then back left when at the end) and, with ``typed``, typing a huge, a tiny
    and a huge value again into the box beside the slider; dropdowns: every other option,
    in order (so a panel ends at its last optimizer, the one that uses every control), and with
    ``presses`` > 1 back to the first and every other one again."""
    loc = control.locator
    if control.kind == "dropdown":
        select = loc.locator("select").first
        options = select.locator("option").all_inner_texts()
        current = select.input_value()
        others = [o for o in options if o != current]
        # every other option, back to the first, and every other option again: at least three
        # timed selections (a single one is no median); ends at the last option
        order = [*others, current, *others] if presses > 1 else others
        return [(f"select {o}", lambda o=o: select.select_option(label=o)) for o in order]
    handle = loc.locator(".noUi-handle").first
    actions = []
    for i in range(presses):
        key = "ArrowRight" if i < (presses + 1) // 2 else "ArrowLeft"
        actions.append((key, lambda key=key: (handle.focus(), handle.press(key))))
    entry = loc.locator("xpath=following-sibling::*[1]").locator("input")
    if typed and entry.count():
        box = entry.first

        def typer(text):
            def act():
                box.fill(text)
                box.press("Enter")

            return act

        for text in ("1e9", "-1e9", "1e9"):
            actions.append((f"type {text}", typer(text)))
    return actions


# The settings of the panel whose plot is marked: its output area's place in the page, and the
# position of every slider handle and the value of every dropdown in it.
JS_PANEL_SETTING = """
() => {
  const holder = document.querySelector('[data-browser-test-plot]');
  const area = holder && (holder.closest('.jp-OutputArea') || holder.parentElement);
  if (!area) return null;
  const areas = Array.from(document.querySelectorAll('.jp-OutputArea'));
  const handles = Array.from(area.querySelectorAll('.noUi-handle'))
    .map((h) => h.getAttribute('aria-valuenow'));
  const selects = Array.from(area.querySelectorAll('select')).map((s) => s.value);
  return JSON.stringify([areas.indexOf(area), handles, selects]);
}
"""


def exercise_controls(
    page, presses: int = 1, typed: bool = False, revisits: bool = False
) -> dict[str, list]:
    """Do :func:`control_actions` to every enabled control of the open notebook; returns
    ``{"label #i": [(action, ms or None), ...]}`` (None: the plot did not change; a typed value
    equal to the current one changes nothing, so those are not counted as failures). With
    ``revisits`` each entry is ``(action, ms, revisit)``: whether the panel's settings after the
    action (every slider and dropdown of it) were shown before in this run, a panel's first
    frame included, which panels that keep recent results answer from them."""
    results = {}
    seen: set = set()
    for i, control in enumerate(find_controls(page)):
        name = f"{control.label} #{i}"
        if control.disabled:
            results[name] = [("disabled", None)]
            continue
        control.locator.scroll_into_view_if_needed()
        SETTLE_WAITS.append((name, *page.evaluate(JS_SETTLE)))
        if not control.locator.evaluate(JS_MARK_PLOT) or not page.evaluate(JS_WATCH_PLOT):
            raise AssertionError(f"no plot found for the control {name!r}")
        results[name] = []
        handle = control.locator.locator(".noUi-handle").first
        if revisits:
            seen.add(page.evaluate(JS_PANEL_SETTING))
        for what, act in control_actions(control, presses, typed):
            ms = timed_redraw(page, act, timeout=8 if what == "ArrowRight" else WIDGET_TIMEOUT)
            if ms is None and what == "ArrowRight":  # the slider sits at its maximum
                what = "ArrowLeft (at the maximum)"
                ms = timed_redraw(page, lambda h=handle: (h.focus(), h.press("ArrowLeft")))
            if not revisits:
                results[name].append((what, ms))
                continue
            setting = page.evaluate(JS_PANEL_SETTING)
            results[name].append((what, ms, setting in seen))
            seen.add(setting)
    return results


# --------------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def page(browser, lab: Lab):
    lab.delete_sessions()
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
    lab.delete_sessions()


@pytest.mark.browser
@pytest.mark.parametrize(("notebook", "label"), _cases(), ids=[name for name, _ in _cases()])
def test_slider_redraws_plot(request: pytest.FixtureRequest, notebook: str, label: str) -> None:
    _require_chromium()
    if not (_notebook_source() / notebook).is_file():
        pytest.fail(f"{notebook} not found in {_notebook_source()}", pytrace=False)
    page = request.getfixturevalue("page")  # starts Chromium and JupyterLab once per module
    lab: Lab = request.getfixturevalue("lab")

    BUILD.mkdir(exist_ok=True)
    stem = Path(notebook).stem
    screenshot = BUILD / f"browser-{stem}.png"
    steps = Steps(page=page, lab=lab, failure_shot=BUILD / f"browser-{stem}-failure.png")
    page.on("pageerror", lambda error: steps.page_errors.append(str(error)))
    page.add_init_script(f"({JS_DEFINE_ERRORS})()")  # window.__browserTestErrors()

    with steps("open the notebook in JupyterLab"):
        page.goto(lab.notebook_url(notebook), wait_until="domcontentloaded")
        page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)

    with steps("wait for the kernel to be idle"):
        _wait_for_idle_kernel(page, lab, notebook)

    with steps("run all cells"):
        # Clearing first resets every prompt to [ ], so "all numbered" means "all ran now", and
        # errors saved in the file do not count.
        _run_menu_command(page, "Edit", "editmenu:clear-all", "notebook:clear-all-cell-outputs")
        _run_menu_command(page, "Run", "runmenu:run-all", "notebook:run-all-cells")

    with steps(f"wait for execution to finish (up to {RUN_ALL_TIMEOUT} s)"):
        try:
            page.wait_for_function(JS_RUN_FINISHED, timeout=RUN_ALL_TIMEOUT * 1000, polling=250)
        except Exception as exc:
            prompts = "\n".join(f"{p} {src}" for p, src in page.evaluate(JS_CELL_PROMPTS))
            message = f"execution did not finish; code cell prompts:\n{prompts}"
            raise AssertionError(message) from exc

    with steps("check that no cell produced an error"):
        errors = page.evaluate("() => window.__browserTestErrors()")
        if errors:
            details = "\n---\n".join(error[-3000:] for error in errors)
            raise AssertionError(f"{len(errors)} error output(s) in {notebook}:\n{details}")
        unrun = [
            f"{prompt} {source}"
            for prompt, source in page.evaluate(JS_CELL_PROMPTS)
            if source.strip() and not re.search(r"\[\d+\]", prompt)
        ]
        if unrun:
            raise AssertionError("code cells that did not run:\n" + "\n".join(unrun))

    with steps(f"find the slider labelled {label!r}"):
        exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
        slider = (
            page.locator(f"{PANEL} :is(.widget-slider, .widget-hslider)")
            .filter(has=page.locator(".widget-label", has_text=exact))
            .first
        )
        try:
            slider.wait_for(timeout=WIDGET_TIMEOUT * 1000)
        except Exception as exc:
            labels = page.locator(f"{PANEL} .widget-label").all_inner_texts()
            raise AssertionError(f"no slider labelled {label!r}; widget labels: {labels}") from exc
        slider.scroll_into_view_if_needed()

    with steps("find the plot the slider controls"):
        before = _wait_until(lambda: slider.evaluate(JS_MARK_PLOT), WIDGET_TIMEOUT)
        if not before:
            raise AssertionError(
                f"no <img> near the {label!r} slider (same widget box, same cell, or after it)"
            )

    with steps(f"move the {label!r} slider"):
        value_before = _slider_value(slider)
        handle = slider.locator(".noUi-handle").first
        for key in ("ArrowRight", "ArrowLeft"):  # ArrowLeft if the slider sits at its maximum
            handle.focus()
            for _ in range(3):
                handle.press(key)
            if value_before is None or _wait_until(
                lambda: _slider_value(slider) != value_before, timeout=3
            ):
                break
        value_after = _slider_value(slider)
        if value_before is not None and value_after == value_before:
            raise AssertionError(f"readout stayed at {value_before!r} after ArrowRight/ArrowLeft")

    with steps("wait for the plot to be redrawn"):
        changed = _wait_until(
            lambda: (src := page.evaluate(JS_PLOT_SRC)) and src != before, WIDGET_TIMEOUT
        )
        if changed:  # let the redraws of all key presses land, so the screenshot matches
            _wait_for_stable_plot(page)
        slider.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot), full_page=True)
        errors = page.evaluate("() => window.__browserTestErrors()")
        if errors:  # e.g. a traceback in the Output widget from the slider's callback
            details = "\n---\n".join(error[-3000:] for error in errors)
            raise AssertionError(f"error output(s) after moving {label!r}:\n{details}")
        if not changed:
            raise AssertionError(
                f"plot image did not change within {WIDGET_TIMEOUT} s after moving {label!r} "
                f"from {value_before} to {value_after}"
            )
    with steps("every control of the notebook redraws its plot"):
        results = exercise_controls(page, presses=1)
        silent = [
            f"{name}: {what}"
            for name, actions in results.items()
            for what, ms in actions
            if ms is None and what != "disabled"
        ]
        page.screenshot(path=str(BUILD / f"browser-{stem}-controls.png"), full_page=True)
        if silent:
            raise AssertionError("controls that did not redraw their plot:\n" + "\n".join(silent))
    print(f"{notebook}: {steps.summary()}")


# --------------------------------------------------------------------------------------------------
# Slider panels without a kernel: the stored first frame, and save-and-reopen
# --------------------------------------------------------------------------------------------------

# Notebooks whose panels the frame test checks (each costs one open, run all, save and reopen:
# about 25 s). BROWSER_TEST_FRAMES="a.ipynb,b.ipynb" replaces the list.
FRAME_CASES = ["2_newton.ipynb"]
LIVE_NOTE = "Static picture of this panel's first frame"

# For every code cell whose stored output (in the notebook model) is a panel's frame: its index,
# whether the cell shows a loaded <img>, a live slider, the text "model not found", and the width
# of the output area and of the image as shown (CSS px).
JS_PANEL_CELLS = """
() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  const found = [];
  notebook.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const outputs = cell.model.outputs.toJSON();
    const frame = outputs.some((o) => ((o.data || {})['text/plain'] || '').toString()
      .startsWith(NOTE));
    if (!frame) return;
    const imgs = Array.from(cell.node.querySelectorAll('.jp-OutputArea-output img'))
      .filter((img) => img.complete && img.naturalWidth > 0);
    const area = cell.node.querySelector('.jp-OutputArea-output');
    found.push({
      index,
      image: imgs.length > 0,
      slider: !!cell.node.querySelector('.widget-slider, .widget-hslider, .widget-dropdown'),
      modelNotFound: cell.node.innerText.includes('model not found'),
      areaWidth: area ? area.clientWidth : 0,
      imageWidth: imgs.length ? imgs[0].clientWidth : 0,
      naturalWidth: imgs.length ? imgs[0].naturalWidth : 0,
    });
  });
  return found;
}
""".replace("NOTE", json.dumps(LIVE_NOTE))


def _frame_cases() -> list[str]:
    spec = os.environ.get("BROWSER_TEST_FRAMES", "").strip()
    return [name.strip() for name in spec.split(",") if name.strip()] if spec else FRAME_CASES


def _open(page, lab: Lab, notebook: str) -> None:
    page.goto(lab.notebook_url(notebook), wait_until="domcontentloaded")
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    _wait_for_idle_kernel(page, lab, notebook)


def _panel_screenshot(page, index: int, path: Path) -> None:
    cell = page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=str(path))


@pytest.mark.browser
@pytest.mark.parametrize("notebook", _frame_cases())
def test_panels_show_a_frame_before_running_and_after_save_and_reopen(
    request: pytest.FixtureRequest, notebook: str
) -> None:
    """Before running: every panel cell of the committed notebook shows its stored frame.
    After run all, save and reopen (new kernel): no panel says "model not found"; each shows a
    picture (the widget state JupyterLab saved with the notebook, `make install`'s
    saveState setting). Screenshots: build/browser-frame-<notebook>-{before,live,reopened}.png."""
    _require_chromium()
    page = request.getfixturevalue("page")
    lab: Lab = request.getfixturevalue("lab")
    BUILD.mkdir(exist_ok=True)
    stem = Path(notebook).stem
    steps = Steps(page=page, lab=lab, failure_shot=BUILD / f"browser-frame-{stem}-failure.png")
    page.on("pageerror", lambda error: steps.page_errors.append(str(error)))
    page.add_init_script(f"({JS_DEFINE_ERRORS})()")

    with steps("open the committed notebook"):
        _open(page, lab, notebook)
    with steps("every panel shows its stored frame before running"):
        cells = _panel_cells_when(page, lambda c: c["image"])
        assert cells, f"no panel frame stored in {notebook}"
        assert all(c["image"] and not c["modelNotFound"] for c in cells), cells
        _panel_screenshot(page, cells[0]["index"], BUILD / f"browser-frame-{stem}-before.png")
        print(f"{notebook} before running: {cells}")
    panel_indices = [c["index"] for c in cells]

    with steps("run all cells"):
        _run_menu_command(page, "Run", "runmenu:run-all", "notebook:run-all-cells")
        page.wait_for_function(JS_RUN_FINISHED, timeout=RUN_ALL_TIMEOUT * 1000, polling=250)
        assert not page.evaluate("() => window.__browserTestErrors()")
    with steps("every panel is live"):
        live = _panel_cells_when(page, lambda c: c["slider"] and c["image"])
        assert [c["index"] for c in live] == panel_indices, live
        assert all(c["slider"] and c["image"] for c in live), live
        _panel_screenshot(page, panel_indices[0], BUILD / f"browser-frame-{stem}-live.png")
        print(f"{notebook} live: {live}")

    with steps("save, close and reopen the notebook"):
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        _wait_until(
            lambda: not page.locator(f"{PANEL}.jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty").count(),
            20,
        )
        time.sleep(1)
        lab.delete_sessions()
        _open(page, lab, notebook)
    with steps("no panel says 'model not found' after reopening; each shows a picture"):
        time.sleep(3)  # the widget manager restores the saved state once the kernel is ready
        reopened = _panel_cells_when(page, lambda c: c["image"])
        _panel_screenshot(page, panel_indices[0], BUILD / f"browser-frame-{stem}-reopened.png")
        print(f"{notebook} reopened: {reopened}")
        assert [c["index"] for c in reopened] == panel_indices, reopened
        assert not any(c["modelNotFound"] for c in reopened), reopened
        assert all(c["image"] for c in reopened), reopened


JS_HIDDEN_INPUTS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell')].map(cell => [
        cell.querySelector('.jp-InputArea') === null
            || getComputedStyle(cell.querySelector('.jp-InputArea')).display === 'none'
            || cell.querySelector('.jp-InputPlaceholder') !== null,
        (cell.querySelector('.jp-OutputArea') || {innerText: ''}).innerText,
        (cell.querySelector('.jp-InputPlaceholder') || {innerText: ''}).innerText])"""


@pytest.mark.browser
def test_exercise_solutions_open_collapsed_with_their_output_shown(
    request: pytest.FixtureRequest,
) -> None:
    """The exercise solutions (``jupyter.source_hidden``) open with their code collapsed and
    their stored "right" output visible; the answer cells open with their code shown."""
    _require_chromium()
    notebook = "4_optimizers.ipynb"
    page = request.getfixturevalue("page")
    lab: Lab = request.getfixturevalue("lab")
    BUILD.mkdir(exist_ok=True)
    cells = json.loads((_notebook_source() / notebook).read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    hidden = [c.get("metadata", {}).get("jupyter", {}).get("source_hidden", False) for c in code]
    assert sum(hidden) >= 3
    page.goto(lab.notebook_url(notebook), wait_until="domcontentloaded")
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)

    def rendered() -> list:
        # JupyterLab re-renders the cells while the notebook opens, so a handle taken early can
        # be detached from the page: scroll again on every try, and count what is there.
        _scrolled_to(page.locator(f"{PANEL} .jp-Notebook .jp-Cell").last)
        found = page.evaluate(JS_HIDDEN_INPUTS)
        return found if len(found) == len(code) else []

    shown = _wait_until(rendered, WIDGET_TIMEOUT)
    assert shown, "the notebook's code cells did not all render"
    collapsed = [is_hidden for is_hidden, _, _ in shown]
    assert collapsed == hidden, f"collapsed inputs {collapsed} != source_hidden {hidden}"
    for (_, output, preview), is_hidden in zip(shown, hidden, strict=True):
        if is_hidden:  # the one line a collapsed cell shows is the neutral first line
            assert ": right" in output, output
            assert preview.startswith("# Solution (JupyterLab shows only this line"), preview
    _wait_until(lambda: _scrolled_to(page.locator(f"{PANEL} .jp-CodeCell").nth(len(code) - 3)), 30)
    page.wait_for_timeout(500)
    page.screenshot(path=str(BUILD / "browser-exercises-4_optimizers.png"), full_page=False)
