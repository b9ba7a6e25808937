"""The book's two editions, English and Simplified Chinese, from one source (issue #22).

The Chinese edition is the same notebooks and pages read through the translation
catalogs in ``locales/zh_CN/LC_MESSAGES/`` (Sphinx's gettext machinery: the English text
of each paragraph, heading, caption or list item is a message; its ``msgstr`` is the
Chinese). ``scripts/build_edition.py`` builds it into ``_build/html/zh/`` with
``language = "zh_CN"`` after the English build; this extension then

- refuses to build if any notebook has no run in the English build's execution cache:
  the Chinese edition executes nothing, so its glued numbers, figures and widget states
  are those of the English pages;
- writes myst-nb's notebook outputs where the English build writes them
  (``_build/jupyter_execute``), not into the English HTML folder;
- indexes the pages for Chinese search (Sphinx's ``zh`` splitter, with ``jieba``), with
  the glossary's Chinese terms added to jieba's dictionary so that a term such as 激活函数
  is one searchable word;
- lets a translated paragraph paste the notebook's glued values: myst-nb parses a
  translated message as a fresh Markdown document, whose ``{glue:text}`` roles find no
  glue data (myst-nb 1.4 keeps it on the notebook's document only while that is parsed),
  so the notebook's renderer is lent to the translations parsed for that notebook;
- writes the figures' alt text from ``locales/zh_CN/figures/alt.po``;
- writes a solution's title in Chinese word order (「练习1的解答」);
- writes a textual citation the Chinese way ("Glorot和Bengio[2010]");
- puts the edition's catalogs of the theme's interface words
  (``locales/zh_CN/ui/*.po``) before the theme's own, and sets the edition's title,
  author and search-box text;
- marks the pages ``<html lang="zh-CN">`` (Sphinx writes the catalog name, ``zh_CN``,
  which is not a language tag).

In both editions the folder's ``index.html`` redirects to the first page in the edition's
language, and every page gets a link to the same page in the other edition (the
template ``templates/dlbook-language-switch.html``, in the article's header bar) and
``<link rel="alternate" hreflang>`` links in its head.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError

#: The editions: Sphinx language, the folder under the English HTML, the BCP 47 tag of
#: the pages, and the switch's label (in the language it leads to).
EDITIONS = {
    "en": {"folder": "", "lang": "en", "label": "English", "title": "Read this page in English"},
    "zh_CN": {"folder": "zh", "lang": "zh-CN", "label": "中文", "title": "阅读本页的中文版"},
}
#: The Chinese edition's words for what extensions, not pages, write on a page.
ZH_CONFIG = {
    "html_title": "dlbook：讲得清楚、经得起检验的深度学习",
    "author": "dlbook作者团队",
    "togglebutton_hint": "点击显示",
    "togglebutton_hint_hide": "点击隐藏",
    "nb_code_prompt_show": "显示代码",
    "nb_code_prompt_hide": "隐藏代码",
}
ZH_SEARCH_BAR_TEXT = "搜索……"
ZH_NUMFIG_FORMAT = {"figure": "图%s", "table": "表%s", "code-block": "代码%s",
                    "exercise": "练习%s"}
#: sphinxcontrib-bibtex's reference style for the Chinese edition (registered in setup).
ZH_REFERENCE_STYLE = "dlbook_author_year_zh"
TEMPLATES = Path(__file__).parent / "templates"


def edition(config) -> str:
    """``"zh_CN"`` in the Chinese build, else ``"en"`` (the English build leaves
    ``language`` at Sphinx's default)."""
    language = config.language or "en"
    if language not in EDITIONS:
        raise ExtensionError(f"dlbook_i18n: language {language!r} has no edition; the book "
                             f"has {sorted(EDITIONS)}")
    return language


def _config_inited(app, config):
    config.templates_path = [str(TEMPLATES)] + list(config.templates_path)
    if edition(config) == "en":
        return
    # myst-nb writes notebook outputs to <outdir>/../jupyter_execute: for _build/html/zh
    # that is inside the English HTML. The same execution's outputs go where the English
    # build writes them.
    import myst_nb.sphinx_ext

    myst_nb.sphinx_ext.OUTPUT_FOLDER = str(Path("..") / "jupyter_execute")
    config.html_search_language = "zh"
    for name, value in ZH_CONFIG.items():
        config[name] = value
    config.bibtex_reference_style = ZH_REFERENCE_STYLE
    # 图1, 练习1: no space between the word and the number (sphinx-exercise merges its
    # own default under these at its config-inited, which runs after this one)
    config.numfig_format = {**config.numfig_format, **ZH_NUMFIG_FORMAT}
    config.html_theme_options = {**config.html_theme_options,
                                 "search_bar_text": ZH_SEARCH_BAR_TEXT}
    _lend_glue_to_translations(app)


_RENDERERS: dict = {}


def _lend_glue_to_translations(app):
    """Patch myst-nb so that a message translated for a notebook sees its glue data:
    each notebook's element renderer (which holds the run's glue data) is remembered
    while the notebook is read, and set on the documents of its translated messages."""
    from myst_nb import sphinx_

    if not (hasattr(sphinx_, "load_renderer") and hasattr(sphinx_.Parser, "parse")):
        raise ExtensionError("dlbook_i18n: myst-nb changed (no sphinx_.load_renderer or "
                             "Parser.parse): check how translated notebooks find their glue "
                             "data before building the Chinese edition")
    if getattr(sphinx_.Parser.parse, "_dlbook", False):
        return
    load_renderer, parse = sphinx_.load_renderer, sphinx_.Parser.parse

    def remembering_load_renderer(name):
        cls = load_renderer(name)

        def make(*args, **kwargs):
            renderer = cls(*args, **kwargs)
            _RENDERERS[app.env.docname] = renderer
            return renderer
        return make

    def lending_parse(self, inputstring, document):
        if not document.current_source.endswith("<translated>"):
            return parse(self, inputstring, document)
        renderer = _RENDERERS.get(app.env.docname)
        lent = renderer is not None and "nb_renderer" not in document
        if lent:
            document.attributes["nb_renderer"] = renderer
        try:
            return parse(self, inputstring, document)
        finally:
            if lent:
                document.attributes.pop("nb_renderer", None)

    lending_parse._dlbook = True
    sphinx_.load_renderer = remembering_load_renderer
    sphinx_.Parser.parse = lending_parse


def _chinese_reference_style():
    """The book's author-year citations with a textual citation, the subject of a Chinese
    sentence ({cite:t}), written the Chinese way: "Glorot和Bengio[2010]", "He等人[2015]"
    (the English style writes "Glorot and Bengio [2010]", "He *et al.* [2015]").
    Parenthetical citations, "[Goodfellow *et al.*, 2016]", stay as the references page
    writes them."""
    from dataclasses import dataclass

    from sphinxcontrib.bibtex.style.referencing import PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
        BasicAuthorYearTextualReferenceStyle,
    )

    @dataclass
    class ChineseTextualAuthorYear(AuthorYearReferenceStyle):
        text_reference_sep: str = ""

        def __post_init__(self):
            super().__post_init__()
            chinese = PersonStyle(sep="、", sep2="和", last_sep="和", other="等人")
            for style in self.styles:
                if isinstance(style, BasicAuthorYearTextualReferenceStyle):
                    style.person = chinese

    return ChineseTextualAuthorYear


def _locale_folder(app, name: str) -> Path:
    """``locales/<language>/<name>``: the edition's catalogs that are not Sphinx's page
    catalogs (``ui``, ``figures``)."""
    return Path(app.srcdir) / app.config.locale_dirs[0] / app.config.language / name


def _ui_catalogs(app):
    """Put the edition's own catalogs of interface words (``locales/<language>/ui/<domain>.po``:
    ``sphinx`` for Sphinx's and the pydata theme's, ``booktheme`` for sphinx-book-theme's)
    before the packages' catalogs of the same domain, which leave some of them in English
    ("Link to this heading", "Color mode") or use Taiwanese wording (列印成 PDF). A message
    of these catalogs left untranslated or fuzzy stops the build."""
    if edition(app.config) == "en":
        return
    import gettext
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from sphinx import locale

    folder = _locale_folder(app, "ui")
    catalogs = sorted(folder.glob("*.po"))
    if not catalogs:
        raise ExtensionError(f"dlbook_i18n: no catalog of interface words in {folder}")
    templates = getattr(app.builder, "templates", None)
    for path in catalogs:
        with path.open("rb") as po:
            catalog = read_po(po, locale=app.config.language)
        undone = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        if undone:
            raise ExtensionError(f"dlbook_i18n: {path} leaves {undone} untranslated or fuzzy")
        mo = io.BytesIO()
        write_mo(mo, catalog)
        mo.seek(0)
        ours = gettext.GNUTranslations(mo)
        key = ("general", path.stem)
        theirs = locale.translators.get(key)
        if theirs is not None:
            ours.add_fallback(theirs)
        locale.translators[key] = ours
        if path.stem == "sphinx" and templates is not None:
            # the templates' _() was bound to Sphinx's translator when the builder started
            app.translator = ours
            templates.environment.install_gettext_translations(ours)


def _require_cached_runs(app, env, docnames):
    """The Chinese edition executes nothing: every notebook must have its run in the
    English build's cache (so must the extraction of the catalogs' messages, whose
    glued figures' captions exist only with their outputs)."""
    if edition(app.config) == "en" and app.builder.name != "gettext":
        return
    import nbformat
    from jupyter_cache import get_cache

    cache_path = Path(app.env.mystnb_config.execution_cache_path)
    if not cache_path.is_dir():
        raise ExtensionError(
            f"dlbook_i18n: no execution cache at {cache_path}; the Chinese edition reuses "
            "the English build's runs and executes nothing: build the English edition first "
            "(`make book`)")
    cache = get_cache(cache_path)
    missing = []
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if path.suffix != ".ipynb":
            continue
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(str(path.relative_to(app.srcdir)))
    if missing:
        raise ExtensionError(
            f"dlbook_i18n: the English build's cache ({cache_path}) holds no run of "
            f"{', '.join(missing)} as it is now; the Chinese edition executes nothing: "
            "build the English edition first (`make book`)")


_HAN = re.compile(r"[\u3400-\u9fff]{2,}")


def _search_words(app, env):
    """Add the glossary's Chinese terms to jieba's dictionary before the pages are
    indexed (Sphinx's Chinese splitter loads ``html_search_options['dict']``)."""
    if edition(app.config) == "en" or app.builder.format != "html":
        return
    words = set()
    for docname in env.found_docs:
        if Path(docname).name != "glossary":
            continue
        for term in env.get_doctree(docname).findall(nodes.term):
            words.update(_HAN.findall(term.astext()))
    _RENDERERS.clear()
    if not words:
        raise ExtensionError("dlbook_i18n: the Chinese glossary has no Chinese term: is "
                             "chapters/glossary translated?")
    path = Path(app.doctreedir) / "dlbook-search-words.txt"
    path.write_text("".join(f"{w} 1000 n\n" for w in sorted(words)), encoding="utf-8")
    app.config.html_search_options = {**app.config.html_search_options, "dict": str(path)}


def _relative_root(pagename: str) -> str:
    return "../" * pagename.count("/")


def _page_context(app, pagename, templatename, context, doctree):
    here = edition(app.config)
    other = "zh_CN" if here == "en" else "en"
    root = _relative_root(pagename)
    # From an English page down into zh/; from a Chinese page up out of it.
    to_root_of_other = root + ("zh/" if here == "en" else "../")
    href = f"{to_root_of_other}{pagename}.html"
    context["dlbook_other_edition"] = {**EDITIONS[other], "href": href}
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{EDITIONS[other]["lang"]}" href="{href}" />')
    if here != "en":
        context["language"] = EDITIONS[here]["lang"]


def alt_texts(path: Path) -> dict[str, str]:
    """A catalog of alt texts (``locales/<language>/figures/alt.po``): English to
    translation, the empty or fuzzy ones left out."""
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


#: The edition's alt-text catalog, read when the builder starts: (path, translations).
_ALT_TEXTS: dict = {}


def _read_alt_texts(app):
    if edition(app.config) == "en":
        return
    path = _locale_folder(app, "figures") / "alt.po"
    _ALT_TEXTS.update(path=path, translated=alt_texts(path))


def _translate_alt_text(app, doctree):
    """In a translated edition, the figures' alt text from ``figures/alt.po``: Sphinx's
    gettext catalogs hold a page's text, not its images' ``alt`` attributes, which a
    screen reader reads and a reader without the image sees. An alt text with no
    translation stops the build."""
    if edition(app.config) == "en":
        return
    path, translated = _ALT_TEXTS["path"], _ALT_TEXTS["translated"]
    missing = []
    for image in doctree.findall(nodes.image):
        text = image.get("alt")
        if not text:
            continue
        if text in translated:
            image["alt"] = translated[text]
        else:
            missing.append(text)
    if missing:
        raise ExtensionError(f"dlbook_i18n: {app.env.docname}: no translation in {path} of "
                             f"the alt text {missing}")


def _sort_glossary(app, doctree):
    """In a translated edition, keep the glossary in the order of its English terms, as
    its introduction says: ``:sorted:`` sorted the English, and the translated headwords
    would otherwise be read in whatever order their characters' code points give."""
    if edition(app.config) == "en":
        return
    from sphinx import addnodes

    for glossary in doctree.findall(addnodes.glossary):
        for dlist in glossary.findall(nodes.definition_list):
            def english(item):
                term = next(item.findall(nodes.term))
                return (term["ids"][0] if term["ids"] else term.astext()).lower()
            dlist.children.sort(key=english)


def _solution_title_post_transform():
    """A post-transform that writes a solution's title in Chinese word order: sphinx-exercise
    builds it as its word for "Solution to" followed by a link to the exercise, which in
    Chinese reads 「解答 练习 1」; the Chinese edition writes 「练习1的解答」 (the link first).
    It runs after sphinx-exercise's own (priority 21), which resolves the exercise's
    number."""
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx_exercise.nodes import solution_node
    from sphinx_exercise.nodes import translate

    class ChineseSolutionTitles(SphinxPostTransform):
        default_priority = 22

        def run(self):
            if edition(self.config) == "en":
                return
            word = translate("Solution to")
            for solution in self.document.findall(solution_node):
                title = solution.children[0]
                if (len(title.children) == 2 and isinstance(title[0], nodes.Text)
                        and title[0].astext() == word
                        and isinstance(title[1], nodes.reference)):
                    link = title[1]
                    # sphinx-exercise joins its word and the number with a space
                    text = re.sub(r"(\D)\s+(\d)", r"\1\2", link.astext().strip())
                    link.children = []
                    link += nodes.Text(text)
                    title.children = []
                    title += link
                    title += nodes.Text("的解答")
                    solution["title"] = f"{text}的解答"

    return ChineseSolutionTitles


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8" />
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={url}" />
<link rel="canonical" href="{url}" />
</head>
<body><p><a href="{url}">{text}</a></p></body>
</html>
"""
REDIRECT_WORDS = {"en": "Open the book", "zh_CN": "打开本书"}


def _write_index(app, exception):
    """The folder's ``index.html``: a redirect to the book's first page, as the one
    sphinx-external-toc writes, but a whole HTML document in the edition's language, with
    a link for a browser that does not follow the redirect."""
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    here = edition(app.config)
    url = f"{app.config.root_doc}.html"
    (Path(app.outdir) / "index.html").write_text(REDIRECT.format(
        lang=EDITIONS[here]["lang"], title=app.config.html_title, url=url,
        text=REDIRECT_WORDS[here]), encoding="utf-8")


def setup(app):
    import sphinxcontrib.bibtex.plugin

    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", ZH_REFERENCE_STYLE,
        _chinese_reference_style())
    app.add_post_transform(_solution_title_post_transform())
    # before the other extensions read their settings at config-inited (sphinx-togglebutton)
    app.connect("config-inited", _config_inited, priority=100)
    app.connect("builder-inited", _ui_catalogs)
    app.connect("builder-inited", _read_alt_texts)
    app.connect("env-before-read-docs", _require_cached_runs)
    app.connect("env-updated", _search_words)
    app.connect("doctree-read", _sort_glossary)
    app.connect("doctree-read", _translate_alt_text)
    app.connect("html-page-context", _page_context)
    # before sphinx-external-toc's ensure_index_file, which writes none where one exists
    app.connect("build-finished", _write_index, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
