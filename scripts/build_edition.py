"""Build the Chinese edition, or the English messages its catalogs translate.

    python scripts/build_edition.py [SOURCE] [--path-output OUT]            # _build/html/zh
    python scripts/build_edition.py [SOURCE] [--path-output OUT] --gettext  # _build/gettext

Both read ``_config.yml`` and ``_toc.yml`` as ``jupyter-book build`` does (its own
``build_sphinx``), with the few settings that make them differ, and both need the
English build first: they execute nothing and read its execution cache
(``OUT/_build/.jupyter_cache``); ``_ext/dlbook_i18n.py`` stops them if a notebook has no
run there. Warnings are errors, and references are checked (``-W -n --keep-going``), as
in ``make book``.

``--gettext`` writes one ``.pot`` per page (``_build/gettext/chapters/*.pot``);
``sphinx-intl update -p _build/gettext -l zh_CN`` then merges them into
``locales/zh_CN/LC_MESSAGES/`` (``make catalogs`` does both).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=".", help="the book's folder")
    parser.add_argument("--path-output", help="the folder holding _build (default: SOURCE)")
    parser.add_argument("--gettext", action="store_true",
                        help="write the English messages (.pot) instead of the Chinese HTML")
    args = parser.parse_args(argv)

    from jupyter_book.sphinx import build_sphinx

    source = Path(args.source).resolve()
    build = Path(args.path_output or source).resolve() / "_build"
    overrides = {
        "external_toc_path": (source / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
        "nb_execution_cache_path": str(build / ".jupyter_cache"),
    }
    if args.gettext:
        outdir, builder, doctrees = build / "gettext", "gettext", build / ".doctrees-gettext"
    else:
        outdir, builder, doctrees = build / "html" / "zh", "html", build / ".doctrees-zh_CN"
        overrides["language"] = "zh_CN"
    print(f"build_edition: {builder} of {source} into {outdir}", flush=True)
    status = build_sphinx(source, outdir, noconfig=True, path_config=source / "_config.yml",
                          confoverrides=overrides, doctreedir=doctrees, builder=builder,
                          warningiserror=True, keep_going=True)
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
