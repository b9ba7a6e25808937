"""Shared fixtures: the book built once into a temporary folder, a local HTTP server,
and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
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


@pytest.fixture(scope="session")
def shared_mnist():
    """The project's copy of MNIST: $DLBOOK_MNIST_PATH, else ../shared/data/mnist.npz."""
    path = Path(os.environ.get("DLBOOK_MNIST_PATH", ROOT.parent / "shared/data/mnist.npz"))
    if not path.is_file():
        pytest.fail(f"the shared MNIST file is missing at {path}; set DLBOOK_MNIST_PATH")
    return path


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the whole book from scratch (no cache) with warnings as errors."""
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=1800,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"the book build failed:\n{log[-6000:]}"
    return {"html": out / "_build" / "html", "log": log}


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

    def __init__(self, page):
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
            if url.startswith(("blob:", "data:")) or host in LOCAL_HOSTS:
                route.continue_()
            else:
                self.outside.append(url)
                route.abort()

        page.route("**/*", guard)


@pytest.fixture
def new_page(browser):
    pages = []

    def make(**kwargs):
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, **kwargs)
        page = context.new_page()
        recorder = PageRecorder(page)
        pages.append(context)
        return page, recorder

    yield make
    for context in pages:
        context.close()
