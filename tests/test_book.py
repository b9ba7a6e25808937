"""The built HTML book: it builds with warnings as errors, makes no request to any
outside host, renders its math, and its sliders work with no kernel."""

import re
from html.parser import HTMLParser

import pytest
from book_pages import (
    ANSI,
    CHAPTERS,
    CJK,
    PAGES,
    WIDGET_PAGES,
    ZH,
    both_editions,
    english_path,
    sphinx_verdict,
)
from digit_lab import check_lab
from sliders import assert_every_widget_works


def test_build_has_no_warnings(built_book):
    # -W turns every Sphinx warning into a failed build (the fixture checks the exit status).
    assert built_book["returncode"] == 0
    assert sphinx_verdict(built_book["log"]) == (True, 0), built_book["log"][-4000:]


# What TensorFlow, absl, CUDA or XLA write to stderr when they start: none of it may reach a
# page. The test suite forces oneDNN on (conftest.py), so TensorFlow does write
# these lines on every x86-64 machine; dlbook_utils.training.quiet_tensorflow keeps them out.
NOISE = re.compile(
    r"absl|oneDNN|port\.cc|cpu_feature_guard|cuda|cuDNN|cuBLAS|TF-TRT|XLA service|"
    r"\b[IWEF]\d{4} \d\d:\d\d:\d+\.\d+|TF_ENABLE_ONEDNN_OPTS|rebuild TensorFlow|"
    r"WARNING:tensorflow|WARNING:absl|retracing",
    re.I)


class _Outputs(HTMLParser):
    """The text a reader sees in every cell output of a page (not the code of its scripts
    and styles, such as the digit lab's base64 weights), and the number of stderr output
    blocks."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # > 0 inside a cell output
        self.hidden = 0  # > 0 inside <script> or <style>
        self.text = []
        self.stderr_blocks = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += tag not in VOID
        elif "cell_output" in classes:
            self.depth = 1
        self.hidden += tag in ("script", "style")
        if "stderr" in classes:
            self.stderr_blocks += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.depth and not self.hidden:
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
    parser = _Outputs()
    parser.feed('<div class="cell_output"><script>var w = "xabslCudax";</script>'
                '<style>.cuda {}</style><p>shown text</p></div>')
    assert parser.text == ["shown text"]


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
    folder = notebook_outputs.recording_dir()
    broken = {f.name: f.read_text() for f in folder.glob("*.failed")
              if f.read_text().startswith("recording error")} if folder else {}
    assert not broken, f"recording nbval's runs failed: {broken}"
    ran = notebook_outputs.wait_for_notebooks(chapter_notebooks())
    if ran is None:
        pytest.skip("nbval did not run every chapter in this session (run the whole suite); "
                    "the build executed the chapters itself")
    log = ANSI.sub("", built_book["log"])
    assert built_book["reused_nbval"]
    assert "Executing notebook" not in log, log[-3000:]
    assert log.count("Using cached notebook") == len(ran), log[-3000:]


@pytest.mark.parametrize("page", both_editions(PAGES))
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


def test_every_formula_is_typeset_when_the_book_is_built(built_book):
    """KaTeX turns every formula into HTML during the build, so a page needs no math script.
    A formula it cannot parse is left as red TeX in a katex-error span (MathJax accepted
    ``\\lambda_\\max``, KaTeX wants ``\\lambda_{\\max}``): none may be left."""
    for path in sorted(built_book["html"].rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        error = re.search(r'class="katex-error"[^>]*>[^<]*', text)
        assert error is None, f"{path.name}: {error.group(0)[:300]}"
        formulas = re.findall(r'<(?:span|div) class="math[" ]', text)
        assert text.count('<span class="katex">') >= len(formulas), path.name
    page = (built_book["html"] / "chapters" / "activations.html").read_text(encoding="utf-8")
    assert page.count('<span class="katex">') >= 40


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
    assert "_static/dlbook-widgets.js" in page        # the book's own renderer
    assert "html-manager" not in page and "require.min.js" not in page


def test_glued_numbers_are_in_the_prose(built_book):
    text = (built_book["html"] / "chapters/activations.html").read_text(encoding="utf-8")
    # sigma'(0) = 1/4 and tanh'(0) = 1, glued from the executed cells with 4 decimals.
    assert "0.2500" in text and "1.0000" in text
    intro = (built_book["html"] / "chapters/intro.html").read_text(encoding="utf-8")
    assert "101,770" in intro  # 784*128 + 128 + 128*10 + 10


def test_glossary_gives_chinese_names_and_chapters_link_to_it(built_book):
    """Every glossary entry names the term in Chinese (as the source article does) and
    points to a chapter; every chapter links its terms to the glossary."""
    html = (built_book["html"] / "chapters/glossary.html").read_text(encoding="utf-8")
    entries = re.findall(r'<dt id="term-([^"]+)">(.*?)</dt>\s*<dd>(.*?)</dd>', html, re.S)
    assert len(entries) >= 30, f"{len(entries)} glossary entries"
    for anchor, _, body in entries:
        assert CJK.search(body), f"glossary entry {anchor!r} has no Chinese name"
        assert re.search(r'href="(intro|activations|regularization|initialization|cnn_mnist)'
                         r'\.html"', body), f"glossary entry {anchor!r} links to no chapter"
    anchors = {a for a, _, _ in entries}
    for chapter in CHAPTERS:
        page = (built_book["html"] / f"chapters/{chapter}.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="glossary\.html#term-([^"]+)"', page))
        assert len(linked) >= 8, f"{chapter}: {len(linked)} glossary terms linked"
        assert linked <= anchors




@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_ends_with_exercises_and_folded_solutions(built_book, chapter):
    """At least five exercises per chapter, each followed by its solution, folded
    (sphinx-exercise's dropdown class, which sphinx-togglebutton hides until clicked)."""
    page = (built_book["html"] / f"chapters/{chapter}.html").read_text(encoding="utf-8")
    exercises = re.findall(r'<div class="exercise admonition" id="([^"]+)">', page)
    solutions = re.findall(r'<div class="solution dropdown admonition" id="[^"]+">\s*'
                           r'<p class="admonition-title">Solution to<a class="reference '
                           r'internal" href="#([^"]+)">', page)
    assert len(exercises) >= 5, f"{chapter}: {len(exercises)} exercises"
    assert solutions == exercises, f"{chapter}: solutions {solutions} for {exercises}"


def test_each_cell_prints_one_output_block(built_book):
    """Printed lines (a training log, a table) come out as one block per cell, not one
    box per line (myst-nb's nb_merge_streams)."""
    for page in PAGES:
        html = (built_book["html"] / page).read_text(encoding="utf-8")
        for output in html.split('<div class="cell_output docutils container">')[1:]:
            output = output.split('<div class="cell docutils container"')[0]
            streams = re.findall(r'<div class="output stream', output)
            assert len(streams) <= 1, f"{page}: a cell shows {len(streams)} output boxes"


def strip_tags(html):
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_reference_list_uses_the_citations_author_year_labels(built_book):
    """One citation style: each citation in the text reads as its entry's label in the
    reference list ("Glorot and Bengio, 2010"), not a number."""
    html = built_book["html"]
    refs = (html / "chapters/references.html").read_text(encoding="utf-8")
    labels = {k: strip_tags(v).strip("[]") for k, v in re.findall(
        r'<div class="citation" id="([^"]+)"[^>]*>\s*<span class="label">(.*?)</span>\s*<p>',
        refs, re.S)}
    assert len(labels) >= 40
    assert all(re.fullmatch(r"\D+, \d{4}[a-z]?", v) for v in labels.values()), labels
    cited = 0
    for page in PAGES:
        text = (html / page).read_text(encoding="utf-8")
        for m in re.finditer(r'<a class="reference internal" href="references\.html#([^"]+)"'
                             r'[^>]*>(.*?)</a>', text, re.S):
            label, shown = labels[m.group(1)], strip_tags(m.group(2))
            before = strip_tags(text[max(0, m.start() - 300):m.start()])
            who, year = label.rsplit(", ", 1)
            # {cite:p} shows the label itself; {cite:t} shows "Who [year]"
            assert shown == label or (shown == year and before.endswith(f"{who} [")), \
                f"{page}: citation {shown!r} (preceded by {before[-40:]!r}), label {label!r}"
            cited += 1
    assert cited >= 80


@pytest.mark.browser
def test_math_is_typeset_on_activation_page(book_url, new_page):
    page, rec = new_page()
    page.goto(f"{book_url}/chapters/activations.html", wait_until="networkidle")
    assert page.locator(".katex").count() >= 40
    # The TeX source is not in view (KaTeX keeps it only as the MathML annotation), and the
    # formulas are set in KaTeX's own fonts, which the page loaded.
    assert "\\frac" not in page.locator("article").inner_text()
    assert page.evaluate("[...document.fonts].some(f => f.family.replace(/\"/g, '')"
                         " === 'KaTeX_Main' && f.status === 'loaded')")
    assert any("/katex/fonts/KaTeX_Main-Regular.woff2" in u for u in rec.requests)
    assert rec.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("path", both_editions(sorted(WIDGET_PAGES)))
def test_widgets_change_the_figure_in_static_html(book_url, new_page, path):
    """Drag every slider and pick other options in every drop-down, in the page with no
    kernel: the figure on screen must change each time."""
    sliders, grids = WIDGET_PAGES[english_path(path)]
    page, rec = new_page()
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    assert_every_widget_works(page, sliders, grids)
    assert rec.outside == [] and rec.errors == [] and rec.bad_responses == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_figure_has_a_numbered_caption_and_alt_text(built_book, chapter):
    """Each picture a chapter draws sits in a numbered figure with a caption, and its alt
    text describes it (not the file's hash, which is what an image output gets otherwise)."""
    html = (built_book["html"] / f"chapters/{chapter}.html").read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="\.\./_images/[^"]+"[^>]*>', html)
    assert images, f"{chapter}: no figures"
    figures = re.findall(r'<figure[^>]*>(.*?)</figure>', html, re.S)
    captioned = [f for f in figures if '<span class="caption-number">' in f]
    for img in images:
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1).split()) >= 5, f"{chapter}: poor alt text in {img[:160]}"
        assert not re.fullmatch(r"[0-9a-f]{20,}\S*", alt.group(1)), img[:160]
        assert any(img in f for f in captioned), f"{chapter}: figure without a caption: {img[:160]}"


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["", ZH], ids=["en", "zh"])
def test_digit_lab_reads_a_drawn_seven(book_url, new_page, edition):
    """The MNIST chapter's lab, served locally: a 7 drawn with the mouse is read as 7, the
    28 × 28 preview and the feature maps change, and nothing is fetched from elsewhere."""
    page, rec = new_page()
    page.goto(f"{book_url}/{edition}chapters/cnn_mnist.html", wait_until="networkidle")
    check_lab(page)
    assert rec.outside == [] and rec.errors == [] and rec.bad_responses == []


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["", ZH], ids=["en", "zh"])
def test_digit_lab_works_opened_from_disk(built_book, new_page, edition):
    """The same, with the page opened as a file (file://) and every other request blocked."""
    page, rec = new_page(local_files=True)
    page.goto((built_book["html"] / edition / "chapters" / "cnn_mnist.html").as_uri(),
              wait_until="load")
    check_lab(page)
    assert rec.outside == [] and rec.errors == []
    assert all(u.startswith(("file:", "data:", "blob:")) for u in rec.requests)
