"""The built HTML book: it builds with warnings as errors, makes no request to any
outside host, renders its math, and its sliders work with no kernel."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_jupyter_book
from digit_lab import check_lab
from sliders import GRID_SELECTOR, SELECTOR, assert_every_widget_works

PAGES = ["chapters/intro.html", "chapters/activations.html", "chapters/regularization.html",
         "chapters/initialization.html", "chapters/cnn_mnist.html", "chapters/glossary.html",
         "chapters/references.html"]
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


CJK = re.compile(r"[\u4e00-\u9fff]")


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


CHAPTERS = ["intro", "activations", "regularization", "initialization", "cnn_mnist"]


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
@pytest.mark.parametrize("path", PAGES)
def test_page_offline_with_math_rendered(book_url, new_page, path):
    page, rec = new_page()
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    # The math arrives as HTML (KaTeX, run when the book is built): every formula is drawn,
    # with its MathML for screen readers, and none is an error.
    math = page.locator("span.math, div.math")
    assert math.evaluate_all(
        "els => els.every(el => el.querySelector('.katex .katex-html')"
        " && el.querySelector('.katex math'))")
    assert page.locator(".katex-error").count() == 0
    assert page.locator("script[src*='mathjax'], script[src*='fontawesome']").count() == 0
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
    assert page.locator(".katex").count() >= 40
    # The TeX source is not in view (KaTeX keeps it only as the MathML annotation), and the
    # formulas are set in KaTeX's own fonts, which the page loaded.
    assert "\\frac" not in page.locator("article").inner_text()
    assert page.evaluate("[...document.fonts].some(f => f.family.replace(/\"/g, '')"
                         " === 'KaTeX_Main' && f.status === 'loaded')")
    assert any("/katex/fonts/KaTeX_Main-Regular.woff2" in u for u in rec.requests)
    assert rec.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(WIDGET_PAGES))
def test_widgets_change_the_figure_in_static_html(book_url, new_page, path):
    """Drag every slider and pick other options in every drop-down, in the page with no
    kernel: the figure on screen must change each time."""
    sliders, grids = WIDGET_PAGES[path]
    page, rec = new_page()
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    assert_every_widget_works(page, sliders, grids)
    assert rec.outside == [] and rec.errors == [] and rec.bad_responses == []


def visible_one(page, selector):
    """The one element matching ``selector`` that a reader can see (and click)."""
    shown = [el for el in page.locator(selector).all() if el.is_visible()]
    assert len(shown) == 1, f"{len(shown)} visible elements match {selector!r}"
    return shown[0]


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(390, 844), (820, 1180)], ids=["phone", "tablet"])
def test_navigation_opens_and_navigates_on_narrow_screens(book_url, new_page, width, height):
    """Below the themes' 992 px breakpoint both sidebars are hidden behind buttons: the ☰
    button must open the table of contents, whose links lead to the other chapters, and
    "On this page" must open the page's contents, whose links lead to its sections."""
    page, rec = new_page(viewport={"width": width, "height": height}, has_touch=True)
    page.goto(f"{book_url}/chapters/regularization.html", wait_until="networkidle")
    toc = page.locator("#pst-primary-sidebar-modal")
    assert not toc.evaluate("d => d.open")
    visible_one(page, ".primary-toggle").click()
    page.wait_for_function("() => document.querySelector('#pst-primary-sidebar-modal').open",
                           timeout=5_000)
    link = toc.get_by_role("link", name=re.compile("Weight initialization", re.I)).first
    assert link.is_visible()
    link.click()
    page.wait_for_url(re.compile(r"/chapters/initialization\.html"), timeout=10_000)
    page.wait_for_load_state("networkidle")

    contents = page.locator("#pst-secondary-sidebar-modal")
    visible_one(page, ".secondary-toggle").click()
    page.wait_for_function(
        "() => document.querySelector('#pst-secondary-sidebar-modal').open", timeout=5_000)
    section = contents.locator("nav.page-toc a.nav-link").nth(1)
    assert section.is_visible()
    target = section.get_attribute("href")
    assert target.startswith("#")
    section.click()
    page.wait_for_function(f"() => location.hash === {target!r}", timeout=5_000)
    assert rec.outside == [] and rec.errors == [] and rec.bad_responses == []


@pytest.mark.browser
def test_a_solution_opens_when_clicked(book_url, new_page):
    page, rec = new_page()
    page.goto(f"{book_url}/chapters/regularization.html", wait_until="networkidle")
    solution = page.locator("div.solution.dropdown").first
    body = solution.locator("section#solution-content")
    assert not body.is_visible()
    solution.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=5_000)
    assert rec.outside == [] and rec.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(book_url, new_page, path):
    """At 390 px nothing (a long formula, inline code, a figure, a widget) makes the whole
    page wider than the screen; wide code scrolls inside its own box."""
    page, rec = new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    page.wait_for_timeout(500)
    overflow = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll("article *")].filter(el => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.right > width + 1 && !el.closest("pre, .highlight, .math");
        }).map(el => el.tagName + "." + el.className + " " + Math.round(el.getBoundingClientRect().right));
        return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
    }""")
    assert overflow["scroll"] <= overflow["width"], overflow


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_critical_or_serious_violation(book_url, new_page, path):
    """axe-core (the accessibility engine of Chrome's Lighthouse) on every built page, once
    its math and widgets have rendered: no violation of impact "critical" or "serious"."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run scripts/fetch_vendor.sh (make test does)")
    page, rec = new_page()
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    sliders, grids = WIDGET_PAGES.get(path, (0, 0))
    if sliders or grids:
        page.wait_for_selector(f"{SELECTOR if sliders else GRID_SELECTOR} img.widget-image",
                               timeout=20_000)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")), count: v.nodes.length}));
    }""")
    bad = [v for v in violations if v["impact"] in ("critical", "serious")]
    assert bad == [], "\n".join(f"{v['impact']}: {v['id']} ({v['help']}), {v['count']} "
                                 f"nodes, e.g. {v['nodes']}" for v in bad)


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(WIDGET_PAGES))
def test_widgets_have_accessible_names_and_values(book_url, new_page, path):
    """Each frame's alt text says which setting it shows and what it plots; each slider
    is named by its label and announces the value shown in its readout, also after a move."""
    sliders, grids = WIDGET_PAGES[path]
    page, rec = new_page()
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    page.wait_for_selector(f"{SELECTOR if sliders else GRID_SELECTOR} img.widget-image",
                           timeout=20_000)
    page.wait_for_timeout(300)
    alts = page.locator("img.widget-image").evaluate_all("els => els.map(e => e.alt)")
    assert alts and all(a.startswith("Figure for ") and "Plot" in a for a in alts), alts[:3]
    for box in page.locator(SELECTOR).all():
        handle = box.locator("[role='slider']")
        readout = box.locator(".widget-readout")
        name = box.locator(".widget-slider .widget-label").inner_text().strip()
        assert name and handle.get_attribute("aria-label") == name
        before = readout.inner_text().strip()
        assert handle.get_attribute("aria-valuetext") == before
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "([h, r, before]) => h.getAttribute('aria-valuetext') === r.textContent.trim() "
            "&& r.textContent.trim() !== before",
            arg=[handle.element_handle(), readout.element_handle(), before], timeout=5_000)
        assert readout.inner_text().strip() != before
        assert readout.get_attribute("contenteditable") == "false"
    assert rec.errors == []


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
def test_digit_lab_reads_a_drawn_seven(book_url, new_page):
    """The MNIST chapter's lab, served locally: a 7 drawn with the mouse is read as 7, the
    28 × 28 preview and the feature maps change, and nothing is fetched from elsewhere."""
    page, rec = new_page()
    page.goto(f"{book_url}/chapters/cnn_mnist.html", wait_until="networkidle")
    check_lab(page)
    assert rec.outside == [] and rec.errors == [] and rec.bad_responses == []


@pytest.mark.browser
def test_digit_lab_works_opened_from_disk(built_book, new_page):
    """The same, with the page opened as a file (file://) and every other request blocked."""
    page, rec = new_page(local_files=True)
    page.goto((built_book["html"] / "chapters" / "cnn_mnist.html").as_uri(), wait_until="load")
    check_lab(page)
    assert rec.outside == [] and rec.errors == []
    assert all(u.startswith(("file:", "data:", "blob:")) for u in rec.requests)


def _png_bytes(src, page_path, html_root):
    import base64
    from urllib.parse import unquote, urlparse

    if src.startswith("data:image/png;base64,"):
        return base64.b64decode(src.split(",", 1)[1])
    rel = unquote(urlparse(src).path).split("/_images/", 1)
    assert len(rel) == 2, f"{page_path}: a figure outside _images: {src[:120]}"
    return (html_root / "_images" / rel[1]).read_bytes()


@pytest.mark.browser
@pytest.mark.parametrize("path", [f"chapters/{c}.html" for c in CHAPTERS])
def test_figure_text_is_at_least_9_css_pixels_at_desktop_width(built_book, book_url, new_page,
                                                               path):
    """Every figure a chapter draws, static or widget frame, records its smallest font size
    (points) and resolution in its PNG (dlbook_utils.notebook / widgets.figure_to_png); shown
    in a 1366-pixel window, that text must be at least 9 CSS pixels tall."""
    import io

    from PIL import Image

    from dlbook_utils.plotting import MIN_FONT_KEY

    page, rec = new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    if path in WIDGET_PAGES:
        page.wait_for_selector("img.widget-image", timeout=20_000)
    shown = page.evaluate("""() => [...document.querySelectorAll(
            '.cell_output img, img.widget-image')].map(i => ({
        src: i.getAttribute('src'), width: i.getBoundingClientRect().width, widget: i.classList.contains('widget-image')}))""")
    assert shown, f"{path}: no figures"
    # Hidden frames of a widget have no layout; every frame is as wide as the visible one.
    widget_width = max([s["width"] for s in shown if s["widget"]], default=0)
    small = []
    for s in shown:
        with Image.open(io.BytesIO(_png_bytes(s["src"], path, built_book["html"]))) as img:
            assert MIN_FONT_KEY in img.info, f"{path}: a figure without its font size: {s['src'][:80]}"
            pt, dpi, natural = float(img.info[MIN_FONT_KEY]), img.info["dpi"][0], img.size[0]
        width = widget_width if s["widget"] else s["width"]
        px = pt * dpi / 72 * width / natural
        if px < 9:
            small.append(f"{s['src'][:60]}: {pt:g} pt at {width:.0f}/{natural} px = {px:.1f} px")
    # The frames not on screen live in the page's widget state: check every one of them at
    # the width of the frames shown (a widget's frames are drawn at one size).
    import base64

    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)",
                        (built_book["html"] / path).read_text(encoding="utf-8"))
    if path in WIDGET_PAGES:
        assert widget_width > 0 and len(frames) >= 10, (widget_width, len(frames))
    for data in frames:
        with Image.open(io.BytesIO(base64.b64decode(data))) as img:
            assert MIN_FONT_KEY in img.info, f"{path}: a widget frame without its font size"
            px = (float(img.info[MIN_FONT_KEY]) * img.info["dpi"][0] / 72 * widget_width
                  / img.size[0])
        if px < 9:
            small.append(f"a widget frame: {px:.1f} px")
    assert not small, f"{path}: text under 9 CSS px:\n" + "\n".join(small)
    assert rec.errors == []


#: The most a page may transfer, uncompressed, with everything it loads (issue #13).
PAGE_BUDGET = 2_500_000
#: Files in _static that no page loads on opening, and why they stay.
NOT_LOADED_BUT_KEPT = {
    # KaTeX's style sheet names 20 fonts; the browser fetches one only when a formula on
    # the page is set in it (\mathfrak, \mathtt, bold, ...).
    "dlbook-vendor/katex/fonts/",
    # the licence notices that must travel with the bundled files
    "dlbook-vendor/katex/LICENSE", "scripts/bootstrap.js.LICENSE.txt",
}


@pytest.mark.browser
def test_pages_stay_within_budget_and_static_holds_only_what_they_load(built_book, book_url,
                                                                      new_page):
    """Every HTML page of the book, opened as a reader opens it (widgets drawn, the search
    page searching), transfers at most 2.5 MB; and every file in _static is one that some
    page loads (or a font a formula may ask for, or a licence notice). The search page, once it has results,
    also fetches the pages it found to quote a line of each (Sphinx's search summaries):
    those are pages of the book, counted on their own, not in the search page's total."""
    html = built_book["html"]
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                   if not p.relative_to(html).parts[0].startswith(("_", "jupyter_execute")))
    assert set(PAGES) <= set(pages)
    loaded, heavy = set(), {}
    for path in pages:
        page, rec = new_page()
        sizes = {}
        page.on("requestfinished",
                lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
        page.goto(f"{book_url}/{path}" + ("?q=relu" if path == "search.html" else ""),
                  wait_until="networkidle")
        sliders, grids = WIDGET_PAGES.get(path, (0, 0))
        if sliders or grids:
            page.wait_for_selector(f"{SELECTOR if sliders else GRID_SELECTOR} img.widget-image")
        if path == "search.html":
            page.wait_for_selector("#search-results li", timeout=20_000)
        page.wait_for_load_state("networkidle")
        assert rec.bad_responses == [] and rec.outside == [], (path, rec.bad_responses)
        total = sum(size for url, size in sizes.items()
                    if path != "search.html" or not url.split("?")[0].endswith(".html")
                    or url.split("?")[0].endswith("/search.html"))
        if total > PAGE_BUDGET:
            heavy[path] = (total, sorted(sizes.items(), key=lambda kv: -kv[1])[:4])
        for url in sizes:
            local = url.split("?")[0].split("#")[0]
            if "/_static/" in local:
                loaded.add(local.split("/_static/", 1)[1])
        page.context.close()
    assert heavy == {}, "pages over 2.5 MB: " + "; ".join(
        f"{p}: {t / 1e6:.2f} MB, largest {[(u.rsplit('/', 1)[-1], s) for u, s in big]}"
        for p, (t, big) in heavy.items())
    static = html / "_static"
    files = {p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    unused = sorted(f for f in files - loaded if not f.startswith(tuple(NOT_LOADED_BUT_KEPT)))
    assert unused == [], f"{len(unused)} files in _static that no page loads: {unused}"


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
