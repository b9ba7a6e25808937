"""The two editions of the built book never out of step (issue #22): every English message
of today's source translated; the Chinese build executing nothing; the same glued numbers,
figures, widget states, code and outputs on both editions' pages; no Markdown left
unrendered; the language switch on every page; Chinese search. (The catalogs themselves,
with no build: tests/test_catalogs.py.)"""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from book_pages import CJK, PAGES, ZH, english_path, html_pages, sphinx_verdict
from catalogs import LOCALE, catalog_pairs, problems

# -- the built editions ----------------------------------------------------------------

def test_chinese_edition_builds_without_warnings_and_executes_nothing(built_book):
    """The Chinese build (-W -n) succeeds with no warning, reading every notebook's run
    from the English build's cache: it executes nothing."""
    from conftest import chapter_notebooks

    log = built_book["zh_log"]
    assert built_book["zh_returncode"] == 0, log[-6000:]
    assert sphinx_verdict(log) == (True, 0), log[-4000:]
    plain = re.sub(r"\x1b\[[0-9;]*m", "", log)
    assert "Executing notebook" not in plain
    assert plain.count("Using cached notebook") == len(chapter_notebooks()), plain[-3000:]
    # myst-nb's outputs went where the English build writes them (_build/jupyter_execute),
    # not into the English HTML nor beside _build.
    assert not (built_book["html"] / "jupyter_execute").exists()
    assert not (built_book["out"] / "jupyter_execute").exists()
    assert (built_book["out"] / "_build" / "jupyter_execute").is_dir()


def test_every_english_message_has_its_chinese_translation(built_book):
    """The English messages of today's source (Sphinx's gettext builder, from the
    English build's runs) against the catalogs: a new or changed English sentence
    without its Chinese fails here, so both change in the same commit."""
    from conftest import BOOK_BUILD_ENV, ROOT, run_edition

    proc = run_edition(ROOT, built_book["out"], "--gettext", env=BOOK_BUILD_ENV)
    assert proc.returncode == 0, proc.stdout[-4000:]
    pairs = catalog_pairs(built_book["out"] / "_build" / "gettext")
    assert len(pairs) >= 7
    missing = [str(po) for po, _ in pairs if not po.is_file()]
    assert not missing, f"pages with no Chinese catalog (run `make catalogs`): {missing}"
    found = [p for po, pot in pairs for p in problems(po, pot)]
    assert not found, (f"{len(found)} problems (run `make catalogs`, then translate):\n"
                       + "\n".join(found[:40]))
    stray = sorted(set(LOCALE.rglob("*.po")) - {po for po, _ in pairs})
    assert not stray, f"catalogs of pages the book no longer has: {stray}"


class _Page(HTMLParser):
    """What must be the same on a page in both editions: the glued numbers, the figures,
    the widget state, every code cell and every cell output; and the text outside code
    and math (where unrendered Markdown would show)."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                      "meta", "source", "track", "wbr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []    # (tag, what it collects into)
        self.glued: list[str] = []
        self.images: list[str] = []
        self.code: list[str] = []
        self.outputs: list[str] = []
        self.widget_state: list[str] = []
        self.prose: list[str] = []
        self.lang = None
        self.switch = []

    def _into(self):
        return self.stack[-1][1] if self.stack else "prose"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and "dlbook-language-switch" in classes:
            self.switch.append(a)
        if tag == "img" and a.get("src"):
            self.images.append(a["src"].rsplit("/", 1)[-1] if "_images/" in a["src"]
                               else a["src"])
        if tag in self.VOID:
            return
        into = self._into()
        if "pasted-text" in classes and into == "prose":
            into = "glued"
            self.glued.append("")
        elif "cell_input" in classes:
            into = "code"
            self.code.append("")
        elif "cell_output" in classes:
            into = "outputs"
            self.outputs.append("")
        elif tag == "figcaption":       # a code cell's figure caption is translated prose
            into = "prose"
        elif tag == "script" and a.get("type") == "application/vnd.jupyter.widget-state+json":
            into = "widget_state"
            self.widget_state.append("")
        elif tag in ("script", "style") or "math" in classes or "katex" in classes \
                or tag in ("pre", "code"):
            into = "hidden" if into == "prose" else into
        self.stack.append((tag, into))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        into = self._into()
        if into in ("glued", "code", "outputs", "widget_state"):
            getattr(self, into)[-1] += data
        elif into == "prose":
            self.prose.append(data)


def _json_or_text(output: str):
    """A widget's view (JSON, whose key order depends on whether the build executed the
    notebook or read the cache) as its value; any other output as its text."""
    try:
        return json.loads(output)
    except ValueError:
        return output


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.mark.parametrize("path", PAGES)
def test_both_editions_show_the_same_numbers_figures_widgets_code_and_outputs(built_book,
                                                                             path):
    """A page and its translation differ in their prose only: the same glued numbers
    (each as often), the same figure files (same bytes), the same widget state, the same
    code and the same printed outputs."""
    html = built_book["html"]
    en, zh = _parse(html / path), _parse(html / ZH / path)
    # A translation may put a sentence's numbers in another order (Chinese word order);
    # tests/catalogs.py checks that each message keeps its glue names.
    assert Counter(en.glued) == Counter(zh.glued), "glued numbers differ"
    assert en.images == zh.images, "figures differ"
    for name in en.images:
        if re.fullmatch(r"[0-9a-f]{20,}\.\w+", name):
            assert ((html / "_images" / name).read_bytes()
                    == (html / ZH / "_images" / name).read_bytes()), name
    assert [json.loads(s) for s in en.widget_state] == [json.loads(s) for s in zh.widget_state]
    assert en.code == zh.code, "code cells differ"
    assert [_json_or_text(o) for o in en.outputs] == [_json_or_text(o) for o in zh.outputs], \
        "cell outputs differ"
    if path != "chapters/references.html":
        assert len(en.code) == 0 or en.outputs, "nothing compared"


#: Markdown or MyST that did not become HTML (in a translation whose markup CommonMark
#: would not read, e.g. ``**“强调”**的``, or a role with a typo).
UNRENDERED = re.compile(r"\*\*|\{(?:term|doc|glue:text|cite(?::[pt])?|numref|ref|eq)\}`|"
                        r"(?<![\w\\])\$[^$\s][^$]*\$|\]\(")


@pytest.mark.parametrize("path", [ZH + p for p in PAGES] + PAGES)
def test_no_markup_is_left_unrendered(built_book, path):
    page = _parse(built_book["html"] / path)
    text = " ".join(page.prose)
    assert not UNRENDERED.search(text), UNRENDERED.findall(text)[:5]


def _glossary_ids(path: Path) -> list[str]:
    return re.findall(r'<dt id="(term-[^"]+)"', path.read_text(encoding="utf-8"))


def test_the_chinese_glossary_keeps_the_english_order(built_book):
    """The glossary says it is in the order of the English terms: the Chinese headwords
    are not re-sorted by their characters (dlbook_i18n's _sort_glossary)."""
    html = built_book["html"]
    english = _glossary_ids(html / "chapters" / "glossary.html")
    assert len(english) >= 25 and english == sorted(english, key=str.lower), english[:5]
    assert _glossary_ids(html / ZH / "chapters" / "glossary.html") == english


def test_every_page_links_to_the_same_page_in_the_other_edition(built_book):
    """Both editions have the same pages; each page's switch leads to its counterpart
    (a relative link, so it works served and opened from disk), which links back; the
    Chinese pages are marked zh-CN, the English en."""
    html = built_book["html"]
    english = [p for p in html_pages(html) if not p.startswith(ZH)]
    chinese = [p.removeprefix(ZH) for p in html_pages(html) if p.startswith(ZH)]
    assert set(PAGES) <= set(english) and english == chinese
    for path in english:
        for here, lang, other_lang in [(path, "en", "zh-CN"), (ZH + path, "zh-CN", "en")]:
            page = _parse(html / here)
            assert page.lang == lang, (here, page.lang)
            if english_path(here) == "index.html":   # the redirect to the edition's intro
                refresh = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"',
                                    (html / here).read_text(encoding="utf-8"))
                assert refresh and (html / here).parent.joinpath(refresh[1]).resolve() == (
                    html / here).parent.joinpath("chapters/intro.html").resolve(), here
                continue
            assert len(page.switch) == 1, (here, page.switch)
            link = page.switch[0]
            assert link["hreflang"] == other_lang and not link["href"].startswith(("/", "http"))
            target = ((html / here).parent / link["href"]).resolve()
            counterpart = html / (english_path(here) if lang == "zh-CN" else ZH + path)
            assert target == counterpart.resolve(), (here, link["href"])


class _Interface(HTMLParser):
    """What a page's chrome and images say to a reader: the tooltips, labels and
    placeholders outside the article (``UI_ATTRIBUTES``), the footer's text, every
    image's alt text, and the article's textual citations."""

    UI_ATTRIBUTES = ("title", "aria-label", "placeholder", "data-bs-title")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0                      # inside <article class="bd-article">
        self.footer = 0
        self.attributes, self.footer_text, self.alts = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "article" and "bd-article" in classes or self.depth and tag == "article":
            self.depth += 1
        if tag == "footer" or self.footer and tag == "footer":
            self.footer += 1
        if tag == "img" and a.get("alt"):
            self.alts.append(a["alt"])
        if not self.depth:
            self.attributes += [(n, a[n]) for n in self.UI_ATTRIBUTES if a.get(n)]

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1
        if tag == "footer" and self.footer:
            self.footer -= 1

    def handle_data(self, data):
        if self.footer and data.strip():
            self.footer_text.append(data.strip())


#: English words a Chinese page's chrome keeps: the switch to the English edition, and the
#: label of the print-only table of contents (sphinx-book-theme's layout, not translatable).
ENGLISH_ON_PURPOSE = {("title", "Read this page in English"), ("aria-label", "Page")}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize("path", PAGES)
def test_the_chinese_pages_interface_and_alt_text_are_chinese(built_book, path):
    """A Chinese page's tooltips, labels, search box and footer (the theme's words,
    translated by locales/zh_CN/ui/*.po) and its figures' alt text
    (locales/zh_CN/figures/alt.po) are Chinese, where the English page's are English."""
    html = built_book["html"]
    zh, en = _Interface(), _Interface()
    zh.feed((html / ZH / path).read_text(encoding="utf-8"))
    en.feed((html / path).read_text(encoding="utf-8"))
    english = [(n, v) for n, v in zh.attributes
               if LATIN_WORD.search(v) and not CJK.search(v) and (n, v) not in ENGLISH_ON_PURPOSE]
    assert not english, english
    assert any(n == "placeholder" and v == "Search..." for n, v in en.attributes), en.attributes
    footer = " ".join(zh.footer_text)
    if path != "index.html":
        assert "作者：dlbook作者团队" in footer and "版权所有" in footer, footer
        assert "the dlbook authors" in " ".join(en.footer_text), en.footer_text
    assert len(zh.alts) == len(en.alts)
    for zh_alt, en_alt in zip(zh.alts, en.alts):
        if LATIN_WORD.search(en_alt) and " " in en_alt:     # a sentence, not a file name
            assert CJK.search(zh_alt) and zh_alt != en_alt, (zh_alt, en_alt)


def _text(path: Path) -> str:
    return re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))


def test_a_textual_citation_reads_as_chinese(built_book):
    """{cite:t}, the subject of a sentence, in the Chinese edition: "Glorot和Bengio[2010]",
    "He等人[2015]" (_ext/dlbook_i18n.py's reference style); in the English, "Glorot and
    Bengio [2010]", "He et al. [2015]"."""
    html = built_book["html"]
    page = "chapters/initialization.html"
    zh, en = _text(html / ZH / page), _text(html / page)
    assert "Glorot and Bengio [2010]" in en and "He et al. [2015]" in en
    assert "Glorot和Bengio[2010]" in zh and "He等人[2015]" in zh
    assert "Glorot and Bengio [" not in zh and " et al. [" not in zh


# -- in Chromium ----------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("start", ["chapters/activations.html", ZH + "chapters/activations.html"])
def test_language_switch_is_reached_by_keyboard_and_opens_the_same_page(book_url, new_page,
                                                                       start):
    """Tab from the top of the page reaches the switch within a few stops; Enter opens
    the same chapter in the other language, at the same URL path below the edition."""
    page, rec = new_page()
    page.goto(f"{book_url}/{start}", wait_until="networkidle")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains("
                         "'dlbook-language-switch')"):
            break
    else:
        pytest.fail("12 Tab presses did not reach the language switch")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    other = english_path(start) if start.startswith(ZH) else ZH + start
    page.wait_for_url(f"{book_url}/{other}", timeout=10_000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.documentElement.lang") == (
        "en" if start.startswith(ZH) else "zh-CN")
    assert rec.outside == [] and rec.errors == [] and rec.bad_responses == []


@pytest.mark.browser
def test_language_switch_works_opened_from_disk(built_book, new_page):
    page, rec = new_page(local_files=True)
    page.goto((built_book["html"] / "chapters" / "glossary.html").as_uri(), wait_until="load")
    page.locator("a.dlbook-language-switch").click()
    page.wait_for_url(re.compile(r"/zh/chapters/glossary\.html$"), timeout=10_000)
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    page.locator("a.dlbook-language-switch").click()
    page.wait_for_url(re.compile(r"/html/chapters/glossary\.html$"), timeout=10_000)
    assert rec.outside == [] and rec.errors == []


_HAN = re.compile(r"[\u3400-\u9fff]{2,}")


def _glossary_terms(html: Path) -> dict[str, str]:
    """The Chinese glossary's terms (the Chinese part of each headword), each with the
    chapter its definition links to."""
    text = (html / ZH / "chapters" / "glossary.html").read_text(encoding="utf-8")
    terms = {}
    for dt, dd in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", text, re.DOTALL):
        words = _HAN.findall(re.sub(r"<[^>]+>", "", dt))
        chapters = re.findall(r'href="(\w+)\.html(?:#[^"]*)?"', dd)
        chapters = [c for c in chapters if c not in ("glossary", "references")]
        if words and chapters:
            terms[words[0]] = chapters[-1]
    return terms


@pytest.mark.browser
def test_chinese_search_finds_each_glossary_terms_chapter(built_book, book_url, new_page):
    """Sphinx's Chinese search (words split with jieba, the glossary's terms added to its
    dictionary): searching each Chinese glossary term lists the chapter the glossary
    sends the reader to. The first term goes through the search page as a reader's search
    does (``search.html?q=``, the listed results); the others through the same page's
    query functions (Sphinx's ``Search._parseQuery`` and ``Search._performSearch``, which
    its ``Search.query`` calls before it lists the results), so that the search index is
    loaded once rather than once per term."""
    terms = _glossary_terms(built_book["html"])
    assert len(terms) >= 25, terms
    (first, first_chapter), *others = terms.items()
    page, rec = new_page()
    page.goto(f"{book_url}/{ZH}search.html?q={first}", wait_until="load")
    # Sphinx lists the results one at a time (5 ms apart) and writes the summary
    # line ("found N pages" or "no match") when the last is listed.
    page.wait_for_function("() => document.querySelector("
                           "'#search-results p.search-summary')?.innerText.trim()",
                           timeout=20_000)
    listed = page.evaluate("() => [...document.querySelectorAll('#search-results li a')]"
                           ".map(a => a.getAttribute('href'))")
    assert any(f"chapters/{first_chapter}.html" in (h or "") for h in listed), (first, listed)
    found = page.evaluate("""terms => Object.fromEntries(terms.map(q => {
        const [query, words, excluded, highlight, objects] = Search._parseQuery(q);
        const results = Search._performSearch(query, words, excluded, highlight, objects);
        return [q, results.map(r => r[0])];          // each result's docname
    }))""", [t for t, _ in others])
    missed = {term: (chapter, found[term][:5]) for term, chapter in others
              if f"chapters/{chapter}" not in found[term]}
    assert not missed, f"searches that miss the term's chapter: {missed}"
    assert rec.outside == [] and rec.errors == []
