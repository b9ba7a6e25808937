"""A reader's path: open a chapter in a real JupyterLab, run it in a real kernel, and move
the slider with the mouse."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sliders import SELECTOR, assert_slider_moves_figure

ROOT = Path(__file__).resolve().parents[1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    for nb in (ROOT / "chapters").glob("*.ipynb"):
        shutil.copy(nb, work / nb.name)
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(work / ".jupyter-config"),
               JUPYTERLAB_SETTINGS_DIR=str(work / ".lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(work / ".lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(work / ".runtime"))
    cmd = [Path(sys.executable).with_name("jupyter"), "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
           "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]
    if os.geteuid() == 0:  # CI runs as root
        cmd.append("--allow-root")
    log = open(work / "lab.log", "w")
    proc = subprocess.Popen([str(c) for c in cmd], stdout=log, stderr=subprocess.STDOUT,
                            env=env, cwd=work)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("JupyterLab did not start:\n" + (work / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    yield {"url": url, "token": token}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.mark.browser
def test_slider_works_live_in_jupyterlab(jupyterlab, new_page):
    page, rec = new_page()
    page.goto(f"{jupyterlab['url']}/lab/tree/activations.ipynb?token={jupyterlab['token']}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell"
                           " && document.querySelector('.jp-Notebook')", timeout=90_000)
    # Wait for the kernel, then Run > Run All Cells.
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector(f"{SELECTOR} img.widget-image", timeout=240_000)
    boxes = page.locator(SELECTOR)
    assert boxes.count() >= 1
    assert_slider_moves_figure(boxes.first)
    # Every code cell ran (it has an execution count) and none shows an error.
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.content.widgets"
        ".filter(c => c.model.type === 'code').every(c => c.model.executionCount !== null)",
        timeout=240_000)
    assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0
    if os.environ.get("DLBOOK_SCREENSHOTS"):
        boxes.first.screenshot(path=os.path.join(os.environ["DLBOOK_SCREENSHOTS"], "lab.png"))
    assert rec.outside == [], f"JupyterLab requested outside hosts: {rec.outside}"
