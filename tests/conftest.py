"""Shared fixtures: the book built once into a temporary folder, a local HTTP server,
and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("DLBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}

# The MNIST chapter trains on a subset for one epoch when DLBOOK_QUICK=1: the kernels that
# nbval and the book build start inherit this, so the suite stays fast. Readers get the
# full run.
os.environ["DLBOOK_QUICK"] = "1"

# The project's copy of MNIST sits beside the repository (on the project's machines and in
# CI). Point the loader at it here, as the Makefile does, so that a plain `pytest` reads the
# same file as `make test` (the kernels of nbval and of the book build inherit it too).
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist.npz"
if "DLBOOK_MNIST_PATH" not in os.environ and SHARED_MNIST.is_file():
    os.environ["DLBOOK_MNIST_PATH"] = str(SHARED_MNIST)

# The test suite forces TensorFlow's oneDNN operations on (unless the caller chose: see
# scripts/test_matrix.sh). On every x86-64 CPU TensorFlow then writes its start-up log
# ("oneDNN custom operations are on", absl's "All log messages before absl::InitializeLog()")
# to the kernels' stderr, so the tests that the pages show none of it can fail on any
# machine, not only on CPUs where oneDNN is the default. .ci/run adds a pass with it off.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
BOOK_BUILD_ENV = {"TF_ENABLE_ONEDNN_OPTS": os.environ["TF_ENABLE_ONEDNN_OPTS"]}

# nbval's runs of the chapters are recorded (tests/notebook_outputs.py) and handed to the
# book build and to the JupyterLab test, which then execute no chapter a second time. The
# first pytest process makes the session's folder of recordings; pytest-xdist's workers
# inherit its environment, so they all write and read the same folder.
if "PYTEST_XDIST_WORKER" not in os.environ:
    os.environ["DLBOOK_RECORDINGS"] = tempfile.mkdtemp(prefix="dlbook-recordings-")
sys.path.insert(0, str(Path(__file__).parent))
import notebook_outputs  # noqa: E402

notebook_outputs.install()
VENDOR = ROOT / "assets" / "dlbook-vendor"


@pytest.fixture(scope="session")
def shared_mnist():
    """The project's copy of MNIST: $DLBOOK_MNIST_PATH, else ../shared/data/mnist.npz."""
    path = Path(os.environ.get("DLBOOK_MNIST_PATH", SHARED_MNIST))
    if not path.is_file():
        pytest.skip(f"no MNIST file at {path}: set DLBOOK_MNIST_PATH to a copy of Keras' "
                    "mnist.npz (or place one at ../shared/data/mnist.npz) to run this test")
    return path


def run_logged(cmd, *, env=None, timeout=1800):
    """Run CMD with its log in a file and in a process group of its own, killed when it
    ends; the finished process (its stdout holds stdout and stderr together).

    Not a pipe: a helper a build leaves behind (sphinxcontrib-katex's Node.js server has
    been seen to outlive the build) can then neither hold the test waiting on a pipe nor
    linger.
    """
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True,
                                env={**os.environ, **(env or {})}, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        log.seek(0)
        output = log.read()
    return subprocess.CompletedProcess(cmd, proc.returncode, output, "")


def run_jupyter_book(source, out, *, env=None, timeout=1800):
    """``jupyter-book build SOURCE`` into OUT with warnings as errors."""
    jb = Path(sys.executable).with_name("jupyter-book")
    return run_logged([str(jb), "build", str(source), "--path-output", str(out), "-W", "-n",
                       "--keep-going"], env=env, timeout=timeout)


def run_edition(source, out, *extra, env=None, timeout=900):
    """``scripts/build_edition.py SOURCE --path-output OUT [--gettext]``: the Chinese
    edition (or the English messages), from the English build in OUT."""
    return run_logged([sys.executable, str(ROOT / "scripts" / "build_edition.py"), str(source),
                       "--path-output", str(out), *extra], env=env, timeout=timeout)


def chapter_notebooks():
    """The notebooks the book's table of contents lists, in its order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [entry["file"] for part in toc.get("parts", [toc])
                             for entry in part.get("chapters", [])]
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").is_file()]


#: The chapters' order under nbval: the longest first, so that two pytest-xdist workers
#: finish them at about the same time (seconds in the test setting, 2-core AMD EPYC,
#: `python benchmarks/bench_chapters.py --test-setting`, 2026-12-02: 123, 68, 46, 18, 5).
CHAPTER_ORDER = ["regularization", "initialization", "cnn_mnist", "activations", "intro"]


def _is_chapter_cell(item):
    return (notebook_outputs.IPyNbCell is not None
            and isinstance(item, notebook_outputs.IPyNbCell))


def pytest_configure(config):
    """Keep this file's order under pytest-xdist: by default `--dist loadfile` hands out the
    files with the most tests first, which could give both workers tests that wait for
    chapters nobody has started. In order, every chapter is handed out before any test
    that waits for it."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    """Run the chapters under nbval first (the longest first), the unit tests next, and the
    tests that read nbval's runs (the built book, JupyterLab) last: with pytest-xdist's
    `--dist loadfile`, each worker takes whole files in this order, and the last ones wait
    for the chapters' recordings. An otherwise stable order."""
    def rank(item):
        if _is_chapter_cell(item):
            stem = Path(str(item.parent.fspath)).stem
            return (0, CHAPTER_ORDER.index(stem) if stem in CHAPTER_ORDER else len(CHAPTER_ORDER))
        if {"built_book", "book_url", "jupyterlab"} & set(item.fixturenames):
            return (2, 0)
        return (1, 0)

    items.sort(key=rank)


def pytest_collection_finish(session):
    """Note which chapters this session runs whole under nbval (each process collects the
    same items), so that the readers of the recordings know which to wait for."""
    cells = {}
    for item in session.items:
        if _is_chapter_cell(item):
            cells.setdefault(item.parent, []).append(item)
    notebook_outputs.expect(
        Path(str(parent.fspath)) for parent, items in cells.items()
        if len(items) == sum(c.cell_type == "code" for c in parent.nb.cells))


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the whole book with warnings as errors, into a temporary folder: the English
    edition, then the Chinese one from its runs (``html/zh``; the tests of that build
    check its exit status).

    If nbval runs every chapter completely in this session (in this process or another
    pytest-xdist worker), the fixture waits for those runs and stores them in the build's
    (empty) execution cache, and the build reuses them; otherwise the build executes every
    chapter itself. The book is built once per session: the first worker to need it builds
    it into the session's folder, under a lock, and the others read what that build left.
    """
    import fcntl
    import json

    if not (VENDOR / ".versions").is_file():
        fetched = subprocess.run([str(ROOT / "scripts" / "fetch_vendor.sh")],
                                 capture_output=True, text=True)
        if fetched.returncode != 0:
            pytest.fail("the bundled browser assets are missing and scripts/fetch_vendor.sh "
                        f"failed (it needs npm; `make test` installs it):\n{fetched.stderr}")
    folder = notebook_outputs.recording_dir() or tmp_path_factory.mktemp("session")
    with open(folder / "book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)        # released when the file is closed
        done = folder / "book.json"
        if done.is_file():
            book = json.loads(done.read_text())
        else:
            out = folder / "book"
            executed = notebook_outputs.wait_for_notebooks(chapter_notebooks())
            if executed is not None:
                notebook_outputs.seed_jupyter_cache(out / "_build" / ".jupyter_cache", executed)
            proc = run_jupyter_book(ROOT, out, env=BOOK_BUILD_ENV)
            book = {"html": str(out / "_build" / "html"), "log": proc.stdout + proc.stderr,
                    "returncode": proc.returncode, "reused_nbval": executed is not None,
                    "out": str(out)}
            # The Chinese edition, into html/zh, from the English build's runs (issue #22)
            zh = run_edition(ROOT, out, env=BOOK_BUILD_ENV) if proc.returncode == 0 else None
            book.update(zh_log=zh.stdout if zh else "the English build failed",
                        zh_returncode=zh.returncode if zh else None)
            done.write_text(json.dumps(book))
    assert book["returncode"] == 0, f"the book build failed:\n{book['log'][-6000:]}"
    return {**book, "html": Path(book["html"]), "out": Path(book["out"])}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def book_url(built_book):
    """Serve the built HTML on 127.0.0.1 for the browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(built_book["html"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's "
                    "chromium) or set DLBOOK_CHROMIUM to a Chromium binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class PageRecorder:
    """Everything a page did that a test may want to fail on."""

    def __init__(self, page, *, local_files=False):
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.bad_responses: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("console", lambda m: self.errors.append(f"console.error: {m.text}")
                if m.type == "error" else None)
        page.on("requestfailed", lambda r: self.bad_responses.append(f"failed: {r.url}")
                if r.url not in self.outside else None)
        page.on("response", lambda r: self.bad_responses.append(f"{r.status}: {r.url}")
                if r.status >= 400 else None)

        def guard(route):
            # Any request to a host other than 127.0.0.1 is recorded and never sent.
            url = route.request.url
            host = urlparse(url).hostname
            # With local_files (a page opened from disk), file: URLs are the local ones.
            if (url.startswith(("blob:", "data:")) or host in LOCAL_HOSTS
                    or (local_files and url.startswith("file:"))):
                route.continue_()
            else:
                self.outside.append(url)
                route.abort()

        page.route("**/*", guard)


def open_page(browser, *, local_files=False, **kwargs):
    """A page in a new browser context (1280 × 1000 unless KWARGS say otherwise) with its
    ``PageRecorder``: ``(context, page, recorder)``; the caller closes the context."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 1000}, **kwargs})
    page = context.new_page()
    return context, page, PageRecorder(page, local_files=local_files)


@pytest.fixture
def new_page(browser):
    pages = []

    def make(**kwargs):
        context, page, recorder = open_page(browser, **kwargs)
        pages.append(context)
        return page, recorder

    yield make
    for context in pages:
        context.close()
