"""The parts of the book's build that need no built book: Sphinx's verdict fails a build on
a real warning; the bundled KaTeX styles match the KaTeX that typesets; the book's widget
renderer draws a page saved by ipywidgets' own embedder; the KaTeX server is connected to
only once it listens."""

import re
from pathlib import Path

import pytest
from book_pages import ANSI, sphinx_verdict
from conftest import run_jupyter_book
from sliders import assert_every_widget_works


def test_a_real_sphinx_warning_fails_the_build(tmp_path):
    """The check above can fail: a broken cross-reference makes Sphinx warn, and the same
    build command (-W -n --keep-going) fails on it."""
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text('title: t\nexecute:\n  execute_notebooks: "off"\n')
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (book / "index.md").write_text("# Index\n\nSee {ref}`a-label-that-does-not-exist`.\n")
    proc = run_jupyter_book(book, tmp_path / "out", timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0, log[-3000:]
    assert sphinx_verdict(log) == (False, 1), log[-3000:]
    assert re.search(r"index\.md:\d+: WARNING: .*a-label-that-does-not-exist",
                     ANSI.sub("", log)), log[-3000:]


def test_bundled_katex_styles_match_the_katex_that_typesets():
    """The style sheet and fonts fetched from npm are those of the KaTeX version that
    sphinxcontrib-katex runs at build time (its HTML and its CSS go together)."""
    from sphinxcontrib import katex

    fetch = (Path(__file__).resolve().parents[1] / "scripts" / "fetch_vendor.sh").read_text()
    assert f'KATEX="katex@{katex.katex_version}"' in fetch


@pytest.mark.browser
def test_widget_renderer_draws_saved_state_and_shows_what_it_cannot(new_page, tmp_path):
    """assets/dlbook-widgets.js on a page saved by ipywidgets' own embedder: the book's
    slider is drawn and works; a kind of widget it does not draw (IntSlider) and a setting
    it does not draw (a vertical slider) each show an error in their place."""
    import json

    import ipywidgets as widgets
    from ipywidgets.embed import embed_data
    from matplotlib.figure import Figure

    from dlbook_utils.widgets import figure_slider

    def make(n):
        fig = Figure(figsize=(3, 2))
        fig.add_subplot().plot(range(n + 2), label=f"n = {n}")
        fig.axes[0].set_title(f"line {n}")
        return fig

    views = [figure_slider(make, [1, 2, 3], description="n"), widgets.IntSlider(description="k"),
             widgets.SelectionSlider(options=["a", "b"], description="v", orientation="vertical")]
    data = embed_data(views=views, drop_defaults=False)   # every attribute, as myst-nb saves
    assets = Path(__file__).resolve().parents[1] / "assets"
    renderer, style = (assets / "dlbook-widgets.js").read_text(), (assets / "dlbook.css").read_text()
    page_html = (
        f"<!doctype html><html lang='en'><head><title>widgets</title><style>{style}</style>"
        "</head><body>"
        f"<script type='application/vnd.jupyter.widget-state+json'>"
        f"{json.dumps(data['manager_state'])}</script>"
        + "".join(f"<div><script type='application/vnd.jupyter.widget-view+json'>"
                  f"{json.dumps(v)}</script></div>" for v in data["view_specs"])
        + f"<script>{renderer}</script></body></html>")
    path = tmp_path / "widgets.html"
    path.write_text(page_html, encoding="utf-8")
    page, rec = new_page(local_files=True)
    page.goto(path.as_uri())
    assert_every_widget_works(page, 1, 0, timeout=10_000)
    errors = page.locator(".dlbook-widget-error")
    assert errors.count() == 2
    assert "IntSliderModel" in errors.nth(0).inner_text()
    assert "orientation" in errors.nth(1).inner_text()
    assert rec.outside == []


def test_katex_server_start_waits_until_the_socket_listens(tmp_path):
    """_ext/dlbook_katex.py: a server that binds its Unix socket and only listens 0.5 s
    later (the moment in which sphinxcontrib-katex's own start is refused and the build
    stops) is connected to once it listens; a server that exits fails with its status."""
    import socket
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
    from dlbook_katex import _start_server_process

    slow = ("import socket, sys, time; s = socket.socket(socket.AF_UNIX); "
            "s.bind(sys.argv[1]); time.sleep(0.5); s.listen(1); s.settimeout(3); "
            "c, _ = s.accept(); "
            "c.sendall(b'up'); time.sleep(1)")

    class Server:
        command = slow

        @classmethod
        def build_command(cls, socket):
            return [sys.executable, "-c", cls.command, str(socket)]

        @classmethod
        def timeout_error(cls, timeout):
            return RuntimeError(f"timed out after {timeout} s")

    from sphinxcontrib.katex import KaTeXServer

    package_start = KaTeXServer.start_server_process.__func__
    assert package_start is not _start_server_process    # the package's, in this process
    (tmp_path / "package").mkdir()
    with pytest.raises(ConnectionRefusedError):          # the race the build met
        package_start(Server, tmp_path / "package", 5.0)

    (tmp_path / "ours").mkdir()
    process, sock = _start_server_process(Server, tmp_path / "ours", 5.0)
    try:
        assert isinstance(sock, socket.socket) and sock.recv(2) == b"up"
    finally:
        sock.close()
        process.kill()

    Server.command = "import sys; sys.exit(3)"
    (tmp_path / "exits").mkdir()
    with pytest.raises(RuntimeError, match="exited with status 3"):
        _start_server_process(Server, tmp_path / "exits", 5.0)
