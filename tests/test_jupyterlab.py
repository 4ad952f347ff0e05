"""The explorer in a real JupyterLab: run it in headless Chromium, move a control, see the chart change.

JupyterLab runs from this environment (``sys.executable -m jupyter lab``, so the ``python3`` kernel is the
project's), on 127.0.0.1 with a random token, its config, data, runtime and workspace folders in tmp, over a
tmp copy of ``notebooks/explorer`` (autosave and checkpoints never touch the repository). The browser may only
reach 127.0.0.1. Screenshots before and after the change are saved in the test's tmp folder.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from zoomcase.paths import REPO_ROOT

pytestmark = pytest.mark.slow

NOTEBOOK = REPO_ROOT / "notebooks" / "explorer" / "zoom_explorer.ipynb"
SERVER_START = 60  # seconds
RUN_TIMEOUT = 90_000  # ms: kernel start + corpus + claims + first render
CHANGE_TIMEOUT = 30_000  # ms

# Counts of what the live chart draws: points per trace (markers) and the number of line traces.
FINGERPRINT = """() => {
  const plot = document.querySelector('.zc-explorer .js-plotly-plot');
  if (!plot) return null;
  const traces = [...plot.querySelectorAll('.scatterlayer .trace')];
  return JSON.stringify({
    points: traces.map(t => t.querySelectorAll('path.point').length),
    lines: traces.map(t => t.querySelectorAll('path.js-line').length),
    title: (plot.querySelector('.gtitle') || {}).textContent || '',
  });
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, token: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            request = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer within {SERVER_START}s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server over a tmp copy of the explorer folder: yields (base url, token)."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    home = tmp_path / "jupyter"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_DATA_DIR": str(home / "data"),  # no user-level kernels shadow the environment's python3
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    # no "Would you like to get notified about Jupyter news?" toast over the notebook
    notification = (
        home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    )
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "jupyterlab.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "lab",
                "--no-browser",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                "--ServerApp.ip=127.0.0.1",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.open_browser=False",
                f"--LabApp.workspaces_dir={home / 'workspaces'}",
                f"--LabApp.user_settings_dir={home / 'settings'}",
                "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run commands
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.extension_manager=readonly",  # no PyPI queries
                *(["--allow-root"] if os.geteuid() == 0 else []),  # CI containers run as root
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(url, token, proc, log)
        yield url, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _fingerprint(page) -> str | None:
    return page.evaluate(FINGERPRINT)


def test_explorer_runs_in_jupyterlab_and_a_control_changes_the_chart(browser, jupyterlab, tmp_path):
    url, token = jupyterlab
    blocked: list[str] = []
    errors: list[str] = []
    started = time.monotonic()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(CHANGE_TIMEOUT)
    page.route(
        re.compile(r"^(?!http://127\.0\.0\.1:\d+/).*"),
        lambda route: (blocked.append(route.request.url), route.abort()),
    )
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}", timeout=RUN_TIMEOUT)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=RUN_TIMEOUT)
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
        timeout=RUN_TIMEOUT,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector(".zc-explorer .js-plotly-plot .main-svg", timeout=RUN_TIMEOUT)
    page.wait_for_function(
        "() => document.querySelectorAll('.zc-explorer .js-plotly-plot path.point').length > 0",
        timeout=CHANGE_TIMEOUT,
    )
    rendered = time.monotonic() - started
    before = _fingerprint(page)
    status_before = page.locator(".zc-explorer .zc-status").inner_text()
    plot = page.locator(".zc-explorer .js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    plot.screenshot(path=str(tmp_path / "explorer-before.png"))

    # Uncheck the verdict "supported": its diamonds must leave the chart.
    box = page.locator(".zc-explorer .zc-verdict-supported input[type=checkbox]")
    box.scroll_into_view_if_needed()
    box.click()
    page.wait_for_function(
        f"() => ({FINGERPRINT})() !== {json.dumps(before)}",
        timeout=CHANGE_TIMEOUT,
    )
    page.wait_for_function(
        f"() => document.querySelector('.zc-explorer .zc-status').innerText !== {json.dumps(status_before)}",
        timeout=CHANGE_TIMEOUT,
    )
    page.wait_for_timeout(500)  # let plotly finish drawing before the screenshot
    after = _fingerprint(page)
    status_after = page.locator(".zc-explorer .zc-status").inner_text()
    plot = page.locator(".zc-explorer .js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    plot.screenshot(path=str(tmp_path / "explorer-after.png"))
    page.screenshot(path=str(tmp_path / "jupyterlab.png"), full_page=True)
    static = page.get_by_text("Static snapshot (for reports)").count()
    print(
        f"rendered after {rendered:.1f}s, total {time.monotonic() - started:.1f}s; "
        f"screenshots in {tmp_path}\n"
        f"before: {before} / {status_before}\nafter:  {after} / {status_after}"
    )
    b, a = json.loads(before), json.loads(after)
    assert sum(a["points"]) < sum(b["points"]), (before, after)
    assert "claim(s) selected" in status_after
    assert static >= 1
    assert not blocked, f"requests outside 127.0.0.1: {blocked[:5]}"
    assert not [e for e in errors if "plotly" in e.lower() or "widget" in e.lower()], errors
