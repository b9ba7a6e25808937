"""The reader's tools in the built book, in headless Chromium: every page offline with its
math, navigation on phones and tablets, folded solutions, no sideways scrolling, axe-core,
the widgets' accessible names, figure text size, and what each page weighs. (A file of its
own, so that a second pytest-xdist worker runs these while the first runs
tests/test_book.py on the same build.) Each page is opened once for the offline, axe and
budget checks (``page_visits``)."""

import re
from pathlib import Path

import pytest
from book_pages import (
    CHAPTERS,
    PAGES,
    WIDGET_PAGES,
    ZH,
    both_editions,
    english_path,
    html_pages,
)
from sliders import GRID_SELECTOR, SELECTOR


def visible_one(page, selector):
    """The one element matching ``selector`` that a reader can see (and click)."""
    shown = [el for el in page.locator(selector).all() if el.is_visible()]
    assert len(shown) == 1, f"{len(shown)} visible elements match {selector!r}"
    return shown[0]


@pytest.mark.browser
@pytest.mark.parametrize("edition,width,height", [("", 390, 844), ("", 820, 1180),
                                                  (ZH, 390, 844)],
                         ids=["phone-en", "tablet-en", "phone-zh"])
def test_navigation_opens_and_navigates_on_narrow_screens(book_url, new_page, width, height,
                                                          edition):
    """Below the themes' 992 px breakpoint both sidebars are hidden behind buttons: the ☰
    button must open the table of contents, whose links lead to the other chapters, and
    "On this page" must open the page's contents, whose links lead to its sections."""
    page, rec = new_page(viewport={"width": width, "height": height}, has_touch=True)
    page.goto(f"{book_url}/{edition}chapters/regularization.html", wait_until="networkidle")
    toc = page.locator("#pst-primary-sidebar-modal")
    assert not toc.evaluate("d => d.open")
    visible_one(page, ".primary-toggle").click()
    page.wait_for_function("() => document.querySelector('#pst-primary-sidebar-modal').open",
                           timeout=5_000)
    name = "权重初始化" if edition else "Weight initialization"
    link = toc.get_by_role("link", name=re.compile(name, re.I)).first
    assert link.is_visible()
    link.click()
    page.wait_for_url(re.compile(rf"/{edition}chapters/initialization\.html"), timeout=10_000)
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
@pytest.mark.parametrize("edition", ["", ZH], ids=["en", "zh"])
def test_a_solution_opens_when_clicked(book_url, new_page, edition):
    page, rec = new_page()
    page.goto(f"{book_url}/{edition}chapters/regularization.html", wait_until="networkidle")
    solution = page.locator("div.solution.dropdown").first
    body = solution.locator("section#solution-content")
    assert not body.is_visible()
    solution.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=5_000)
    assert rec.outside == [] and rec.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("path", both_editions(PAGES))
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


def _visit(browser, url, path, checked):
    """Open PATH as a reader opens it, in a fresh context (nothing cached): widgets drawn,
    the search page searching. What it transferred (every response body, by URL, taken
    once the page is idle), what failed or went to another host, its console errors; and,
    for a CHECKED page (one of PAGES), what the offline test asserts of it and axe-core's
    violations, run after all the rest is taken (axe is injected inline: it is no
    request)."""
    from conftest import open_page

    search = english_path(path) == "search.html"
    context, page, rec = open_page(browser)
    try:
        sizes = {}
        page.on("requestfinished",
                lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
        page.goto(f"{url}/{path}" + ("?q=relu" if search else ""), wait_until="networkidle")
        sliders, grids = WIDGET_PAGES.get(english_path(path), (0, 0))
        if sliders or grids:
            page.wait_for_selector(f"{SELECTOR if sliders else GRID_SELECTOR} img.widget-image",
                                   timeout=20_000)
        if search:
            page.wait_for_selector("#search-results li", timeout=20_000)
        page.wait_for_load_state("networkidle")
        visit = {"sizes": dict(sizes), "bad": list(rec.bad_responses),
                 "outside": list(rec.outside), "axe": None, "search": search,
                 "errors": list(rec.errors),
                 "local": any(u.startswith(url) for u in rec.requests)}
        if checked:
            # What test_page_offline_with_math_rendered asserts: the math arrived as HTML
            # (KaTeX, run when the book is built), no script of MathJax or Font Awesome,
            # the page's widgets, all taken before axe runs.
            visit["page"] = page.evaluate("""([sliders, grids]) => ({
                math: [...document.querySelectorAll("span.math, div.math")].every(el =>
                    el.querySelector(".katex .katex-html") && el.querySelector(".katex math")),
                errors: document.querySelectorAll(".katex-error").length,
                scripts: document.querySelectorAll(
                    "script[src*='mathjax'], script[src*='fontawesome']").length,
                sliders: document.querySelectorAll(sliders).length,
                grids: document.querySelectorAll(grids).length})""", [SELECTOR, GRID_SELECTOR])
            page.add_script_tag(path=str(AXE))
            visit["axe"] = page.evaluate("""async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
                    count: v.nodes.length}));
            }""")
        return visit
    except Exception as e:       # noqa: BLE001  (each page's own test reports it)
        return {"error": f"{path}: {type(e).__name__}: {e}"}
    finally:
        context.close()


@pytest.fixture(scope="module")
def page_visits(built_book, book_url, browser):
    """Every page of both editions opened once (``_visit``): the page budget's pass over
    the book, in which the offline checks and axe-core also run on each page of PAGES, so
    that no page is loaded once per check. A page whose visit failed records why, and its
    tests fail."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run scripts/fetch_vendor.sh (make test does)")
    checked = set(both_editions(PAGES))
    return {path: _visit(browser, book_url, path, path in checked)
            for path in html_pages(built_book["html"])}


@pytest.mark.browser
@pytest.mark.parametrize("path", both_editions(PAGES))
def test_page_offline_with_math_rendered(page_visits, path):
    """Each page, served on 127.0.0.1 with every other host blocked: every formula drawn by
    KaTeX when the book was built, with its MathML for screen readers, none an error; no
    MathJax or Font Awesome script; its sliders and drop-down grids there; no request to
    another host, no failed request, no error in the console. (Checked in the page
    budget's visit of the page, ``page_visits``.)"""
    assert path in page_visits, f"{path} is not in the built book"
    visit = page_visits[path]
    assert "error" not in visit, visit.get("error")
    shown = visit["page"]
    assert shown["math"] and shown["errors"] == 0 and shown["scripts"] == 0, shown
    sliders, grids = WIDGET_PAGES.get(english_path(path), (0, 0))
    assert (shown["sliders"], shown["grids"]) == (sliders, grids), shown
    assert visit["outside"] == [], f"requests to outside hosts: {visit['outside']}"
    assert visit["bad"] == []
    assert visit["errors"] == []
    assert visit["local"]


@pytest.mark.browser
@pytest.mark.parametrize("path", both_editions(PAGES))
def test_axe_finds_no_critical_or_serious_violation(page_visits, path):
    """axe-core (the accessibility engine of Chrome's Lighthouse) on every built page, once
    its math and widgets have rendered: no violation of impact "critical" or "serious".
    (Run in the page budget's visit of the page, ``page_visits``.)"""
    assert path in page_visits, f"{path} is not in the built book"
    visit = page_visits[path]
    assert "error" not in visit, visit.get("error")
    bad = [v for v in visit["axe"] if v["impact"] in ("critical", "serious")]
    assert bad == [], "\n".join(f"{v['impact']}: {v['id']} ({v['help']}), {v['count']} "
                                 f"nodes, e.g. {v['nodes']}" for v in bad)


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(WIDGET_PAGES))
def test_widgets_have_accessible_names_and_values(book_url, new_page, path):
    """Each frame's alt text says which setting it shows and what it plots; each slider
    is named by its label and announces the value shown in its readout, also after a move.
    (English pages only: a translation cannot change them. The Chinese pages' widget states
    are the English pages', tests/test_editions.py; their labels stay English.)"""
    sliders, grids = WIDGET_PAGES[english_path(path)]
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


def _png_bytes(src, page_path, html_root):
    import base64
    from urllib.parse import unquote, urlparse

    if src.startswith("data:image/png;base64,"):
        return base64.b64decode(src.split(",", 1)[1])
    rel = unquote(urlparse(src).path).split("/_images/", 1)
    assert len(rel) == 2, f"{page_path}: a figure outside _images: {src[:120]}"
    return ((html_root / page_path).parent / unquote(urlparse(src).path)).resolve().read_bytes()


@pytest.mark.browser
@pytest.mark.parametrize("path", [f"chapters/{c}.html" for c in CHAPTERS])
def test_figure_text_is_at_least_9_css_pixels_at_desktop_width(built_book, book_url, new_page,
                                                               path):
    """Every figure a chapter draws, static or widget frame, records its smallest font size
    (points) and resolution in its PNG (dlbook_utils.notebook / widgets.figure_to_png); shown
    in a 1366-pixel window, that text must be at least 9 CSS pixels tall. (English pages
    only: the Chinese pages show the same PNGs, byte for byte, tests/test_editions.py, in
    the same theme's column.)"""
    import io

    from PIL import Image

    from dlbook_utils.plotting import MIN_FONT_KEY

    page, rec = new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{book_url}/{path}", wait_until="networkidle")
    if english_path(path) in WIDGET_PAGES:
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
    if english_path(path) in WIDGET_PAGES:
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


@pytest.mark.browser
def test_pages_stay_within_budget_and_static_holds_only_what_they_load(built_book,
                                                                      page_visits):
    """Every HTML page of the book, in both editions, opened as a reader opens it (widgets drawn, the search
    page searching), transfers at most 2.5 MB; and every file in _static is one that some
    page loads (or a font a formula may ask for, or a licence notice). The search page, once it has results,
    also fetches the pages it found to quote a line of each (Sphinx's search summaries):
    those are pages of the book, counted on their own, not in the search page's total."""
    html = built_book["html"]
    pages = html_pages(html)
    assert set(both_editions(PAGES)) <= set(pages) and set(page_visits) == set(pages)
    failed = [v["error"] for v in page_visits.values() if "error" in v]
    assert failed == [], failed
    loaded, heavy = {"": set(), ZH: set()}, {}
    for path in pages:
        edition = ZH if path.startswith(ZH) else ""
        visit = page_visits[path]
        assert visit["bad"] == [] and visit["outside"] == [], (path, visit["bad"],
                                                              visit["outside"])
        sizes = visit["sizes"]
        total = sum(size for url, size in sizes.items()
                    if not visit["search"] or not url.split("?")[0].endswith(".html")
                    or url.split("?")[0].endswith("/search.html"))
        if total > PAGE_BUDGET:
            heavy[path] = (total, sorted(sizes.items(), key=lambda kv: -kv[1])[:4])
        for url in sizes:
            local = url.split("?")[0].split("#")[0]
            if "/_static/" in local:
                loaded[edition].add(local.split("/_static/", 1)[1])
    assert heavy == {}, "pages over 2.5 MB: " + "; ".join(
        f"{p}: {t / 1e6:.2f} MB, largest {[(u.rsplit('/', 1)[-1], s) for u, s in big]}"
        for p, (t, big) in heavy.items())
    for edition, used in loaded.items():
        static = html / edition / "_static"
        files = {p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
        unused = sorted(f for f in files - used if not f.startswith(tuple(NOT_LOADED_BUT_KEPT)))
        assert unused == [], f"{len(unused)} files in {edition}_static that no page loads: {unused}"
