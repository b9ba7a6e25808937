"""What the tests of the built book share: its pages, which of them hold widgets, and
Sphinx's own verdict on a build log."""

import re

PAGES = ["chapters/intro.html", "chapters/activations.html", "chapters/regularization.html",
         "chapters/initialization.html", "chapters/cnn_mnist.html", "chapters/glossary.html",
         "chapters/references.html"]
# Interactive figures on each page: (sliders, drop-down grids).
WIDGET_PAGES = {"chapters/activations.html": (2, 0), "chapters/regularization.html": (1, 1),
                "chapters/initialization.html": (0, 1)}


ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: A Chinese character (CJK Unified Ideographs): what a Chinese text has and an English one not.
CJK = re.compile(r"[\u4e00-\u9fff]")


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

#: The chapters, in the table of contents' order.
CHAPTERS = ["intro", "activations", "regularization", "initialization", "cnn_mnist"]

#: The Chinese edition's folder under the built HTML (issue #22): each page of the English
#: edition at PATH has its translation at ZH + PATH.
ZH = "zh/"


def both_editions(paths):
    """PATHS of the English edition, then the same pages of the Chinese one."""
    return [*paths, *(ZH + p for p in paths)]


def html_pages(html):
    """Every HTML page under the built book's folder HTML, both editions, as paths relative
    to it: not the files under a top-level ``_*`` folder (``_static``, ``_sources``, ...) or
    ``jupyter_execute``."""
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not p.relative_to(html).parts[0].startswith(("_", "jupyter_execute")))


def english_path(path):
    """The English page a path of either edition shows (``zh/x.html`` -> ``x.html``)."""
    return path.removeprefix(ZH)
