"""The Chinese catalogs and their checker (tests/catalogs.py), with no build: every entry
translated, not fuzzy, keeping its message's roles, targets, formulas, code and links
(issue #22). Against today's English messages: tests/test_editions.py."""

from __future__ import annotations

import sys

from book_pages import CJK
from catalogs import LOCALE, ROOT, markup, problems

sys.path.insert(0, str(ROOT / "_ext"))


def test_markup_checker_sees_what_a_translation_drops_or_alters():
    msgid = ("With $f(x) = x^2$ the {term}`activation function` is {glue:text}`peak:.4f` "
             "{cite:p}`glorot2010understanding`; see {doc}`intro`, `np.tanh` and [d2l](x.md).")
    good = ("当 $f(x) = x^2$ 时，{term}`激活函数 <Activation Function>` 为 "
            "{glue:text}`peak:.4f` {cite:p}`glorot2010understanding`；见 {doc}`intro`、"
            "`np.tanh` 和 [d2l](x.md)。")
    assert markup(msgid) == markup(good)
    for bad in [good.replace("x^2", "x^3"),                     # a formula changed
                good.replace("peak:.4f", "peak:.2f"),           # a glued number's format
                good.replace(" <Activation Function>", ""),     # a term's target translated
                good.replace("{cite:p}`glorot2010understanding`", ""),   # a citation lost
                good.replace("`np.tanh`", "np.tanh"),           # code no longer code
                good.replace("(x.md)", "(y.md)"),               # a link's target
                good + " {numref}`fig-x`"]:                     # a role added
        assert markup(bad) != markup(msgid), bad


def test_catalog_checker_reports_untranslated_fuzzy_and_broken_entries(tmp_path):
    po = tmp_path / "page.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Two"\nmsgstr ""\n\n'
                  '#, fuzzy\nmsgid "Three $x$"\nmsgstr "三 $x$"\n\n'
                  'msgid "Four {term}`weight`"\nmsgstr "四 {term}`权重`"\n\n'
                  'msgid "Gone"\nmsgstr "旧"\n', encoding="utf-8")
    pot = tmp_path / "page.pot"
    pot.write_text('msgid ""\nmsgstr ""\n\nmsgid "One"\nmsgstr ""\n\nmsgid "Two"\nmsgstr ""\n\n'
                   'msgid "Three $x$"\nmsgstr ""\n\nmsgid "Four {term}`weight`"\nmsgstr ""\n',
                   encoding="utf-8")
    found = "\n".join(problems(po, pot))
    assert "no entry for the English message 'One'" in found
    assert "untranslated: 'Two'" in found
    assert "fuzzy" in found and "Three" in found
    assert "lost role 'term' 'weight'" in found and "added role 'term' '权重'" in found
    assert "no longer has" in found and "Gone" in found


def test_every_catalog_is_translated_and_keeps_its_markup():
    """Every entry of every Chinese catalog: translated, not fuzzy, and with its
    message's roles (same targets), formulas, code, links and substitutions."""
    catalogs = sorted(LOCALE.rglob("*.po"))
    assert len(catalogs) >= 7
    found = [p for po in catalogs for p in problems(po)]
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:40])


def _notebook_alt_texts() -> dict[str, str]:
    """Every figure's alt text in the chapters (a code cell's ``mystnb.image.alt``), with
    the notebook it is in."""
    import json

    found = {}
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
            if alt:
                found[alt] = notebook.name
    return found


def test_every_figures_alt_text_has_its_chinese_translation():
    """The Chinese pages' alt text (locales/zh_CN/figures/alt.po, which
    _ext/dlbook_i18n.py writes on the images): one translation for each English alt text
    of today's notebooks, none for an alt text they no longer have."""
    from dlbook_i18n import alt_texts  # _ext/

    english = _notebook_alt_texts()
    assert len(english) >= 20
    translated = alt_texts(LOCALE.parent / "figures" / "alt.po")
    missing = {text: nb for text, nb in english.items() if text not in translated}
    assert not missing, f"alt text with no Chinese (add it to figures/alt.po): {missing}"
    stale = sorted(set(translated) - set(english))
    assert not stale, f"figures/alt.po translates alt text no notebook has: {stale}"
    assert all(CJK.search(zh) for zh in translated.values())
