"""A reader's path: open each chapter in a real JupyterLab, run it in a real kernel, and use
its widgets with the mouse: every slider dragged, every drop-down changed, a digit drawn in
the MNIST chapter's lab."""

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
from digit_lab import check_lab
from sliders import SELECTOR, assert_every_widget_works

ROOT = Path(__file__).resolve().parents[1]
JUPYTERLAB_TF_ENV = {
    "TF_ENABLE_ONEDNN_OPTS": "0" if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "1" else "1",
    "TF_NUM_INTRAOP_THREADS": "1"}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    for nb in (ROOT / "chapters").glob("*.ipynb"):
        shutil.copy(nb, work / nb.name)
    # Render every cell (JupyterLab may otherwise leave cells far out of view out of the
    # page), so that the widgets and the lab of long chapters can be reached and used.
    settings = work / ".lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), secrets.token_hex(16)
    # The kernels run the chapters under the TensorFlow settings that nbval does not: oneDNN
    # the other way round and one thread per operation (TensorFlow's defaults differ by
    # machine, and both change the rounding). So `make test` runs every chapter's asserted
    # claims under two settings, and CI's second pass (scripts/test_matrix.sh) need not
    # run the chapters again.
    env = dict(os.environ, **JUPYTERLAB_TF_ENV,
               JUPYTER_CONFIG_DIR=str(work / ".jupyter-config"),
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


# Each chapter in the table of contents' order, with its sliders and drop-down grids.
CHAPTERS = {"intro": (0, 0), "activations": (2, 0), "regularization": (1, 1),
            "initialization": (0, 1), "cnn_mnist": (0, 0)}


@pytest.mark.browser
@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_chapter_runs_and_its_widgets_work_in_jupyterlab(jupyterlab, new_page, chapter):
    sliders, grids = CHAPTERS[chapter]
    page, rec = new_page()
    # ?reset: a fresh workspace, so that the chapters opened by earlier tests are not
    # restored beside this one (one of them could become the current notebook).
    page.goto(f"{jupyterlab['url']}/lab/tree/{chapter}.ipynb?reset&token={jupyterlab['token']}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell"
                           " && document.querySelector('.jp-Notebook')", timeout=90_000)
    # Wait for the kernel, then Run > Run All Cells.
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # Every code cell ran (it has an execution count) and the kernel is idle again.
    errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
    try:
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w.content.widgets.filter(c => c.model.type === 'code')"
            ".every(c => c.model.executionCount !== null)"
            " && w.sessionContext.session.kernel.status === 'idle'; }",
            timeout=480_000, polling=1000)
    except Exception:
        state = page.evaluate(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " const code = w.content.widgets.filter(c => c.model.type === 'code');"
            " return {kernel: w.sessionContext.session.kernel.status,"
            " pending: code.map((c, i) => [i, c.model.executionCount,"
            " c.model.sharedModel.source.slice(0, 60)]).filter(x => x[1] === null)}; }")
        pytest.fail(f"{chapter}: not every cell ran: {state}; "
                    f"errors: {[e.inner_text()[:800] for e in errors.all()]}")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    seen = page.evaluate(
        "async () => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;"
        " const f = k.requestExecute({code: 'import os; print(os.environ.get(\"TF_ENABLE_ONEDNN_OPTS\"),"
        " os.environ.get(\"TF_NUM_INTRAOP_THREADS\"))', silent: false, store_history: false});"
        " let out = ''; f.onIOPub = m => { if (m.header.msg_type === 'stream') out += m.content.text; };"
        " await f.done; return out.trim(); }")
    assert seen == f"{JUPYTERLAB_TF_ENV['TF_ENABLE_ONEDNN_OPTS']} 1", (
        f"the kernel ran under TF_ENABLE_ONEDNN_OPTS/TF_NUM_INTRAOP_THREADS = {seen!r}")
    assert_every_widget_works(page, sliders, grids, timeout=60_000)
    if chapter == "cnn_mnist":
        check_lab(page)          # its output was made in this session, so it is trusted
    if sliders and os.environ.get("DLBOOK_SCREENSHOTS"):
        shots = os.environ["DLBOOK_SCREENSHOTS"]
        page.locator(SELECTOR).first.screenshot(path=os.path.join(shots, f"lab-{chapter}.png"))
    assert rec.outside == [], f"JupyterLab requested outside hosts: {rec.outside}"
