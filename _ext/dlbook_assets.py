"""Only what a page loads (issue #13: a widget page transferred 6 MB, ``_static`` held
34 MB of which 5 MB was ever requested).

- The theme's Font Awesome *script* (1.5 MB in every page's ``<head>``) is left out. The
  theme's style sheet already draws every icon it uses from the Font Awesome *font*
  (``.fa-bars::before`` and so on, with its ``@font-face``); the script only turns those
  ``<i>`` elements into inline SVG, "so that users can add custom icons" (the theme's
  comment), which this book does not. The theme's ``webpack-macros.html`` is copied with
  that one ``<script>`` removed into a templates folder searched before the theme's.
- After the build, ``_static`` loses the files no page asks for: source maps (``*.map``,
  3.5 MB: only a browser's developer tools read them), the script above, the icon fonts'
  TrueType copies (every browser that runs the theme takes the woff2 listed first) and
  the brand and regular icon fonts (the theme's icons here are all solid), the themes'
  translations (read while building), templates, launch-button logos and the copy
  button's spare icons and test helpers. A page that did ask for one would get a 404,
  which the browser tests fail on.
  ``tests/test_book.py::test_pages_stay_within_budget_and_static_holds_only_what_they_load`` opens every page and
  checks that each file left is one some page loads.
- Sphinx copies static files into ``_static`` but never deletes any, so a rebuild into an
  existing ``_build/html`` would keep what an earlier version of the book served (MathJax,
  say). ``_static`` is emptied when an HTML build starts writing pages; the build then
  copies it afresh. (Not earlier: a build that finds nothing out of date writes nothing,
  not even ``_static``, and must leave the last build's in place.)
"""

from pathlib import Path
import re
import shutil

from sphinx.errors import ExtensionError

FONTAWESOME_SCRIPT = re.compile(
    r"[ \t]*<!-- So that users can add custom icons -->\n"
    r"[ \t]*<script defer src=\"\{\{ pathto\('_static/scripts/fontawesome\.js', 1\) \}\}"
    r"\?digest=[0-9a-f]+\"></script>\n")


def macros_without_fontawesome(theme_macros: str) -> str:
    """The theme's ``webpack-macros.html`` without its Font Awesome ``<script>``."""
    text, n = FONTAWESOME_SCRIPT.subn("", theme_macros)
    if n != 1:
        raise ExtensionError(
            "dlbook_assets: pydata-sphinx-theme's static/webpack-macros.html should load "
            f"scripts/fontawesome.js exactly once; found {n} such <script>. The theme "
            "changed: check how it loads its icons before removing anything")
    return text


def _templates(app, config):
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    folder = Path(app.doctreedir) / "dlbook-templates"    # beside the build's doctrees
    target = folder / "static" / "webpack-macros.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = macros_without_fontawesome(
        (theme / "static" / "webpack-macros.html").read_text(encoding="utf-8"))
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    config.templates_path = [str(folder)] + list(config.templates_path)


#: Files in ``_static`` that no page requests, removed after an HTML build.
UNUSED = ("**/*.map", "scripts/fontawesome.js", "scripts/fontawesome.js.LICENSE.txt",
          "vendor/fontawesome/webfonts/*.ttf", "vendor/fontawesome/webfonts/fa-brands-*",
          "vendor/fontawesome/webfonts/fa-regular-*", "locales/**/*", "*webpack-macros.html",
          "images/logo_*", "check-solid.svg", "copy-button.svg", "copybutton_funcs.js",
          "file.png", "minus.png", "plus.png")


def _fresh_static(app, builder):
    if app.builder.format == "html":
        shutil.rmtree(Path(app.outdir) / "_static", ignore_errors=True)


def _prune(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for pattern in UNUSED:
        for path in static.glob(pattern):
            if path.is_file():
                path.unlink()
    for folder in sorted((p for p in static.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def setup(app):
    app.connect("config-inited", _templates)
    app.connect("write-started", _fresh_static)
    app.connect("build-finished", _prune)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
