"""The built HTML book: it builds with warnings as errors, makes no request to any
outside host, renders its math, and its sliders work with no kernel."""

import re
from html.parser import HTMLParser

import pytest
from sliders import (GRID_SELECTOR, SELECTOR, assert_grid_changes_figure,
                     assert_slider_moves_figure)

PAGES = ["chapters/intro.html", "chapters/activations.html", "chapters/regularization.html",
         "chapters/initialization.html", "chapters/cnn_mnist.html", "chapters/references.html"]
# Interactive figures on each page: (sliders, drop-down grids).
WIDGET_PAGES = {"chapters/activations.html": (2, 0), "chapters/regularization.html": (1, 1),
                "chapters/initialization.html": (0, 1)}


def test_build_has_no_warnings(built_book):
    log = built_book["log"]
    assert "build succeeded" in log
    assert not re.search(r"WARNING: (?!.*Kernel is running over TCP)", log), log[-4000:]


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
FIGURES = {"chapters/intro.html": 2, "chapters/activations.html": 2,
           "chapters/regularization.html": 3, "chapters/initialization.html": 3,
           "chapters/cnn_mnist.html": 5}


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
