"""The built HTML book: it builds with warnings as errors, makes no request to any
outside host, renders its math, and its sliders work with no kernel."""

import re
from html.parser import HTMLParser

import pytest
from conftest import run_jupyter_book
from sliders import (GRID_SELECTOR, SELECTOR, assert_grid_changes_figure,
                     assert_slider_moves_figure)

PAGES = ["chapters/intro.html", "chapters/activations.html", "chapters/regularization.html",
         "chapters/initialization.html", "chapters/cnn_mnist.html", "chapters/references.html"]
# Interactive figures on each page: (sliders, drop-down grids).
WIDGET_PAGES = {"chapters/activations.html": (2, 0), "chapters/regularization.html": (1, 1),
                "chapters/initialization.html": (0, 1)}


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def sphinx_verdict(log):
    """Sphinx's own closing line of a build log: ``(succeeded, number_of_warnings)``.

    Sphinx ends every build with "build succeeded." or "build succeeded, N warnings."
    (or, with -W, "build finished with problems, N warnings."). Only this line decides:
    whatever a kernel or a library writes to stderr during the build ("WARNING: All log
    messages before absl::InitializeLog() ...") has no say.
    """
    log = ANSI.sub("", log)
    lines = re.findall(r"^build (succeeded|finished with problems)(?:, (\d+) warnings?)?\.",
                       log, flags=re.M)
    assert len(lines) == 1, f"no single Sphinx closing line in the log:\n{log[-3000:]}"
    status, count = lines[0]
    return status == "succeeded", int(count or 0)


def test_build_has_no_warnings(built_book):
    # -W turns every Sphinx warning into a failed build (the fixture checks the exit status).
    assert built_book["returncode"] == 0
    assert sphinx_verdict(built_book["log"]) == (True, 0), built_book["log"][-4000:]


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


# What TensorFlow, absl, CUDA or XLA write to stderr when they start: none of it may reach a
# page. The test suite forces oneDNN on (conftest.py), so TensorFlow does write
# these lines on every x86-64 machine; dlbook_utils.training.quiet_tensorflow keeps them out.
NOISE = re.compile(
    r"absl|oneDNN|port\.cc|cpu_feature_guard|cuda|cuDNN|cuBLAS|TF-TRT|XLA service|"
    r"\b[IWEF]\d{4} \d\d:\d\d:\d+\.\d+|TF_ENABLE_ONEDNN_OPTS|rebuild TensorFlow|"
    r"WARNING:tensorflow|WARNING:absl|retracing",
    re.I)


class _Outputs(HTMLParser):
    """The text of every cell output of a page, and the number of stderr output blocks."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # > 0 inside a cell output
        self.text = []
        self.stderr_blocks = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += tag not in VOID
        elif "cell_output" in classes:
            self.depth = 1
        if "stderr" in classes:
            self.stderr_blocks += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def test_outputs_parser_finds_noise():
    parser = _Outputs()
    parser.feed('<p>oneDNN in prose is fine</p><div class="cell_output docutils container">'
                '<div class="output stderr highlight-myst-ansi notranslate"><pre>I0000 '
                '00:00:1795794584.495479    2520 port.cc:153] oneDNN custom operations are on'
                '</pre></div></div><p>after</p>')
    assert parser.stderr_blocks == 1
    assert NOISE.findall(" ".join(parser.text)) == ["I0000 00:00:1795794584.495479", "port.cc",
                                                    "oneDNN"]
    assert "prose" not in " ".join(parser.text) and "after" not in " ".join(parser.text)


def test_no_page_shows_startup_logs_or_stderr(built_book):
    pages = sorted(built_book["html"].rglob("*.html"))
    assert len(pages) >= len(PAGES)
    outputs_seen = 0
    for path in pages:
        parser = _Outputs()
        parser.feed(path.read_text(encoding="utf-8"))
        text = " ".join(parser.text)
        outputs_seen += bool(text.strip())
        assert parser.stderr_blocks == 0, f"{path.name} shows {parser.stderr_blocks} stderr block(s)"
        assert not NOISE.search(text), f"{path.name}: {NOISE.findall(text)}"
    assert outputs_seen >= 4  # the chapters' outputs were scanned, not nothing


def test_build_reuses_the_chapters_nbval_ran(built_book):
    """When nbval ran every chapter in this session, the book shows those runs and executes
    nothing itself (half of `make test`'s time); its pages are then checked like any other."""
    import notebook_outputs
    from conftest import chapter_notebooks

    errors = {str(p): r.error for p, r in notebook_outputs.RECORDINGS.items() if r.error}
    assert not errors, f"recording nbval's runs failed: {errors}"
    ran = notebook_outputs.complete_notebooks(chapter_notebooks())
    if ran is None:
        pytest.skip("nbval did not run every chapter in this session (run the whole suite); "
                    "the build executed the chapters itself")
    log = ANSI.sub("", built_book["log"])
    assert built_book["reused_nbval"]
    assert "Executing notebook" not in log, log[-3000:]
    assert log.count("Using cached notebook") == len(ran), log[-3000:]


@pytest.mark.parametrize("page", PAGES)
def test_page_exists(built_book, page):
    assert (built_book["html"] / page).is_file()


class _Resources(HTMLParser):
    """Collect every URL a page loads by itself (not the links a reader may click)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and "stylesheet" in (a.get("rel") or "") + \
                (a.get("as") or "") + ("preload" if "preload" in (a.get("rel") or "") else ""):
            self.urls.append(a["href"])
        if tag == "link" and a.get("rel") in ("icon", "preload", "modulepreload", "prefetch"):
            self.urls.append(a.get("href", ""))


def test_no_page_references_an_outside_resource(built_book):
    html_files = sorted(built_book["html"].rglob("*.html"))
    assert len(html_files) >= len(PAGES)
    for path in html_files:
        parser = _Resources()
        parser.feed(path.read_text(encoding="utf-8"))
        outside = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        assert outside == [], f"{path.name} loads {outside}"


# Static figures (cell outputs drawn as images) each chapter must show.
FIGURES = {"chapters/intro.html": 3, "chapters/activations.html": 3,
           "chapters/regularization.html": 3, "chapters/initialization.html": 3,
           "chapters/cnn_mnist.html": 8}


@pytest.mark.parametrize("path", sorted(FIGURES))
def test_figures_are_drawn_as_images(built_book, path):
    page = (built_book["html"] / path).read_text(encoding="utf-8")
    # A Figure that Jupyter could not display as an image shows up as its text repr.
    assert "&lt;Figure size" not in page and "<Figure size" not in page
    images = re.findall(r'<img[^>]+src="\.\./_images/[^"]+\.png"', page)
    assert len(images) >= FIGURES[path], f"{path}: {len(images)} figure images"
    for match in images:
        src = re.search(r'src="\.\./(_images/[^"]+)"', match).group(1)
        assert (built_book["html"] / src).stat().st_size > 2000


def test_widget_state_is_embedded(built_book):
    page = (built_book["html"] / "chapters/activations.html").read_text(encoding="utf-8")
    assert 'type="application/vnd.jupyter.widget-state+json"' in page
    assert "dlbook-vendor/html-manager/embed.js" in page
    assert "require.min.js" not in page  # the standalone embed.js needs no require.js


def test_glued_numbers_are_in_the_prose(built_book):
    text = (built_book["html"] / "chapters/activations.html").read_text(encoding="utf-8")
    # sigma'(0) = 1/4 and tanh'(0) = 1, glued from the executed cells with 4 decimals.
    assert "0.2500" in text and "1.0000" in text
    intro = (built_book["html"] / "chapters/intro.html").read_text(encoding="utf-8")
    assert "101,770" in intro  # 784*128 + 128 + 128*10 + 10


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_offline_with_math_rendered(book_url, new_page, path):
    page, rec = new_page()
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    math = page.locator("span.math, div.math")
    if math.count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('span.math, div.math')]"
            ".every(el => el.querySelector('mjx-container'))", timeout=20_000)
        assert page.locator("mjx-merror, mjx-container [data-mjx-error]").count() == 0
    sliders, grids = WIDGET_PAGES.get(path, (0, 0))
    if sliders or grids:
        page.wait_for_selector(f"{SELECTOR if sliders else GRID_SELECTOR} img.widget-image",
                               timeout=20_000)
    assert page.locator(SELECTOR).count() == sliders
    assert page.locator(GRID_SELECTOR).count() == grids
    page.wait_for_load_state("networkidle")
    assert rec.outside == [], f"requests to outside hosts: {rec.outside}"
    assert rec.bad_responses == []
    assert rec.errors == []
    assert any(u.startswith(book_url) for u in rec.requests)


@pytest.mark.browser
def test_math_is_typeset_on_activation_page(book_url, new_page):
    page, rec = new_page()
    page.goto(f"{book_url}/chapters/activations.html", wait_until="networkidle")
    page.wait_for_selector("mjx-container", timeout=20_000)
    assert page.locator("mjx-container").count() >= 40
    # The TeX source is gone from view: no raw \frac left in the visible text.
    assert "\\frac" not in page.locator("article").inner_text()
    assert rec.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(WIDGET_PAGES))
def test_widgets_change_the_figure_in_static_html(book_url, new_page, path):
    """Drag every slider and pick other options in every drop-down, in the page with no
    kernel: the figure on screen must change each time."""
    sliders, grids = WIDGET_PAGES[path]
    page, rec = new_page()
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    page.wait_for_selector(f"{SELECTOR if sliders else GRID_SELECTOR} img.widget-image",
                           timeout=20_000)
    boxes = page.locator(SELECTOR)
    assert boxes.count() == sliders
    for i in range(sliders):
        assert_slider_moves_figure(boxes.nth(i))
    grid_boxes = page.locator(GRID_SELECTOR)
    assert grid_boxes.count() == grids
    for i in range(grids):
        assert_grid_changes_figure(grid_boxes.nth(i))
    assert rec.outside == [] and rec.errors == [] and rec.bad_responses == []
