"""A reader's path in a real JupyterLab: each chapter, as a real kernel ran it, opened in
JupyterLab and used with the mouse: every slider dragged, every drop-down changed, a digit
drawn in the MNIST chapter's lab, and a new slider made and moved in a live kernel.

No chapter is executed a second time here: the notebooks JupyterLab opens are nbval's runs
of the chapters in this session (tests/notebook_outputs.py; the same runs the book build
shows), signed as trusted as a reader's own run is. ipywidgets' JupyterLab manager restores
their saved widget state, and the sliders' links live in the browser, as in the static book.
Run alone (no nbval run of the chapters in this session), the fixture executes each chapter
once with nbclient instead. The chapters' claims under a second TensorFlow setting are
checked by CI's second pass (scripts/test_matrix.sh), not here.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import notebook_outputs
import pytest
from digit_lab import check_lab
from nbformat.sign import NotebookNotary
from sliders import SELECTOR, assert_every_widget_works

ROOT = Path(__file__).resolve().parents[1]


def place_executed_chapter(lab, chapter):
    """Put the executed ``chapter`` into JupyterLab's folder, signed with the server's
    secret: trusted, as the output of a reader's own run is (the lab's script runs only in
    a trusted output). It is nbval's run of this session (waited for if another worker is
    still running it); without one, the chapter is executed once here, with nbclient."""
    path = ROOT / "chapters" / f"{chapter}.ipynb"
    executed = notebook_outputs.wait_for_notebooks([path])
    if executed is not None:
        nb = nbformat.from_dict(executed[path.resolve()])
    else:
        from nbclient import NotebookClient

        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=1800, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    lab["notary"].sign(nb)
    nbformat.write(nb, lab["work"] / path.name)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    # The signing secret exists before the server starts, so both use the same one.
    (work / ".data").mkdir()
    notary = NotebookNotary(data_dir=str(work / ".data"))
    assert notary.secret
    for other in (ROOT / "chapters").iterdir():       # the glossary, references, ...
        if other.suffix != ".ipynb" and other.is_file():
            shutil.copy(other, work / other.name)
    # Render every cell (JupyterLab may otherwise leave cells far out of view out of the
    # page), so that the widgets and the lab of long chapters can be reached and used.
    settings = work / ".lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(work / ".jupyter-config"),
               JUPYTER_DATA_DIR=str(work / ".data"),
               JUPYTERLAB_SETTINGS_DIR=str(work / ".lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(work / ".lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(work / ".runtime"))
    cmd = [Path(sys.executable).with_name("jupyter"), "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
           "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly",
           f"--NotebookNotary.data_dir={work / '.data'}"]
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
    yield {"url": url, "token": token, "work": work,
           "notary": notary}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


# Each chapter in the table of contents' order, with its sliders and drop-down grids.
CHAPTERS = {"intro": (0, 0), "activations": (2, 0), "regularization": (1, 1),
            "initialization": (0, 1), "cnn_mnist": (0, 0)}


# A slider made in the live kernel (widgets over the kernel's comms, not saved state).
LIVE_SLIDER = """\
import matplotlib.pyplot as plt
from dlbook_utils.widgets import figure_slider

def frame(k):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, k])
    ax.set_ylim(0, 3)
    ax.set_title(f"a line of slope {k}")
    return fig

figure_slider(frame, [1, 2, 3], description="slope")
"""


@pytest.mark.browser
@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_chapter_opens_and_its_widgets_work_in_jupyterlab(jupyterlab, new_page, chapter):
    sliders, grids = CHAPTERS[chapter]
    place_executed_chapter(jupyterlab, chapter)
    page, rec = new_page()
    # ?reset: a fresh workspace, so that the chapters opened by earlier tests are not
    # restored beside this one (one of them could become the current notebook).
    # JupyterLab's page can take long to load while the other worker's browser tests share
    # the two cores; what it must show is waited for below.
    page.goto(f"{jupyterlab['url']}/lab/tree/{chapter}.ipynb?reset&token={jupyterlab['token']}",
              wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell"
                           " && document.querySelector('.jp-Notebook')", timeout=90_000)
    # Its kernel starts, as a reader's does.
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=90_000)
    # The run is there, trusted: its outputs are in the cells, no output is an error, and
    # every figure is drawn.
    state = page.evaluate(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const code = w.content.widgets.filter(c => c.model.type === 'code');"
        " return {cells: code.length,"
        " untrusted: code.filter(c => !c.model.trusted).length,"
        " outputs: code.reduce((n, c) => n + c.model.outputs.length, 0)}; }")
    assert state["cells"] > 0 and state["untrusted"] == 0, state
    assert state["outputs"] >= state["cells"] // 2, state
    errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    images = page.locator(".jp-RenderedImage img")
    assert images.count() >= 1
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-RenderedImage img')]"
        ".every(i => i.complete && i.naturalWidth > 0)", timeout=30_000)
    assert_every_widget_works(page, sliders, grids, timeout=60_000)
    if chapter == "cnn_mnist":
        check_lab(page)          # the signed (trusted) output runs the lab's script
    if chapter == "activations":
        # A new cell at the end, run in the live kernel: a slider made there works too.
        page.evaluate(
            "async code => { const app = window.jupyterapp, nb = app.shell.currentWidget.content;"
            " nb.activeCellIndex = nb.widgets.length - 1;"
            " await app.commands.execute('notebook:insert-cell-below');"
            " nb.activeCell.model.sharedModel.setSource(code);"
            " await app.commands.execute('notebook:run-cell'); }", LIVE_SLIDER)
        page.wait_for_function(f"n => document.querySelectorAll('{SELECTOR}').length === n",
                               arg=sliders + 1, timeout=60_000)
        assert_every_widget_works(page, sliders + 1, grids, timeout=60_000)
        assert "a line of slope" in page.locator(SELECTOR).last.inner_html()
    if sliders and os.environ.get("DLBOOK_SCREENSHOTS"):
        shots = os.environ["DLBOOK_SCREENSHOTS"]
        page.locator(SELECTOR).first.screenshot(path=os.path.join(shots, f"lab-{chapter}.png"))
    assert rec.outside == [], f"JupyterLab requested outside hosts: {rec.outside}"
