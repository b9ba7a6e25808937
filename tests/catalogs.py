"""The checks that keep the Chinese edition in step with the English (issue #22).

A catalog (``locales/zh_CN/LC_MESSAGES/<page>.po``) translates each message of the
English page (``_build/gettext/<page>.pot``, written by
``scripts/build_edition.py --gettext``). :func:`problems` lists what is wrong with one:

- a message of the English page with no entry, an empty translation or a fuzzy one
  (``sphinx-intl update`` marks a changed English sentence fuzzy: the Chinese is of the
  old English);
- an entry for a message the page no longer has (``#~`` obsolete entries included);
- a translation that does not keep its message's MyST roles with the same targets
  (``{glue:text}``, ``{cite:p}``, ``{term}``, ``{doc}``, ``{numref}``...; a displayed
  text may be translated, ``{term}`激活函数 <activation function>```, its target not),
  its math spans (``$…$``, ``$$…$$``) character for character, its inline code, its link
  targets and its substitutions (``{{ name }}``).

Run it on catalogs while translating::

    python tests/catalogs.py locales/zh_CN/LC_MESSAGES/chapters/activations.po [...]

(with ``--pot _build/gettext`` it also checks them against the English messages;
``--drop-obsolete`` first deletes the entries of messages the English no longer has).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"

ROLE = re.compile(r"\{([A-Za-z][\w:+-]*)\}`([^`]*)`")
CODE = re.compile(r"(`+)(.+?)\1")
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$")
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$")
LINK = re.compile(r"\]\(([^)\s]+)\)")
SUBSTITUTION = re.compile(r"\{\{\s*([\w.-]+)\s*\}\}")
EXPLICIT_TARGET = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)
#: Roles whose content is "text <target>" or a target alone.
XREF_ROLES = {"term", "doc", "ref", "numref", "any", "eq", "download", "prf:ref"}


def _role_key(name: str, content: str) -> tuple[str, str]:
    if name in XREF_ROLES:
        match = EXPLICIT_TARGET.match(content)
        target = match.group(2) if match else content
        if name == "term":            # Sphinx looks terms up lower-cased
            target = target.lower()
        if name == "numref" and not match:
            target = content
        return name, " ".join(target.split())
    return name, content


def markup(text: str) -> Counter:
    """What a translation must keep of its message: roles (name and target), math,
    inline code, link targets and substitutions, each with its count."""
    found: Counter = Counter()
    rest = text
    for match in ROLE.finditer(rest):
        found[("role",) + _role_key(match.group(1), match.group(2))] += 1
    rest = ROLE.sub(" ", rest)
    for match in CODE.finditer(rest):
        found[("code", match.group(2).strip())] += 1
    rest = CODE.sub(" ", rest)
    for match in DISPLAY_MATH.finditer(rest):
        found[("math", " ".join(match.group(1).split()))] += 1
    rest = DISPLAY_MATH.sub(" ", rest)
    for match in INLINE_MATH.finditer(rest):
        found[("math", " ".join(match.group(1).split()))] += 1
    rest = INLINE_MATH.sub(" ", rest)
    for match in LINK.finditer(rest):
        found[("link", match.group(1))] += 1
    for match in SUBSTITUTION.finditer(rest):
        found[("substitution", match.group(1))] += 1
    return found


def _describe(items: Counter) -> str:
    return ", ".join(f"{kind} {' '.join(repr(p) for p in parts)}" + (f" ×{n}" if n > 1 else "")
                     for (kind, *parts), n in sorted(items.items()))


def _read(path: Path):
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        return read_po(f)


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def problems(po_path: Path, pot_path: Path | None = None) -> list[str]:
    """Everything wrong with one catalog (see the module's docstring); [] if nothing."""
    po_path = Path(po_path)
    catalog = _read(po_path)
    name = po_path.relative_to(LOCALE) if po_path.is_relative_to(LOCALE) else po_path
    found = []
    entries = {m.id: m for m in catalog if m.id}
    for msgid in catalog.obsolete:
        found.append(f"{name}: obsolete entry (the English no longer has it; delete it): "
                     f"{_short(str(msgid))!r}")
    if pot_path is not None:
        source = [m.id for m in _read(Path(pot_path)) if m.id]
        for msgid in source:
            if msgid not in entries:
                found.append(f"{name}: no entry for the English message {_short(msgid)!r} "
                             "(run `make catalogs`, then translate it)")
        for msgid in set(entries) - set(source):
            found.append(f"{name}: entry for a message the English page no longer has "
                         f"(run `make catalogs`): {_short(msgid)!r}")
    for msgid, message in entries.items():
        if isinstance(msgid, tuple):
            found.append(f"{name}: plural message {msgid!r}: the book has none")
            continue
        if not message.string:
            found.append(f"{name}: untranslated: {_short(msgid)!r}")
            continue
        if message.fuzzy:
            found.append(f"{name}: fuzzy (the English changed; update the Chinese and "
                         f"remove the fuzzy flag): {_short(msgid)!r}")
        want, got = markup(msgid), markup(message.string)
        if want != got:
            lost, added = want - got, got - want
            what = []
            if lost:
                what.append(f"lost {_describe(lost)}")
            if added:
                what.append(f"added {_describe(added)}")
            found.append(f"{name}: the translation of {_short(msgid, 60)!r} does not keep "
                         f"its markup: {'; '.join(what)}")
    return found


def catalog_pairs(pot_dir: Path) -> list[tuple[Path, Path]]:
    """(catalog, English messages) for every page the gettext build wrote."""
    pot_dir = Path(pot_dir)
    return [(LOCALE / pot.relative_to(pot_dir).with_suffix(".po"), pot)
            for pot in sorted(pot_dir.rglob("*.pot"))]


def drop_obsolete(po_path: Path) -> int:
    """Delete the ``#~`` entries ``sphinx-intl update`` keeps for messages the English no
    longer has (it has already used them to propose fuzzy translations); how many."""
    from babel.messages.pofile import write_po

    catalog = _read(po_path)
    n = len(catalog.obsolete)
    if n:
        with open(po_path, "wb") as f:
            write_po(f, catalog, width=76, ignore_obsolete=True)
    return n


def main(argv: list[str]) -> int:
    pot_dir = None
    drop = "--drop-obsolete" in argv
    argv = [a for a in argv if a != "--drop-obsolete"]
    if "--pot" in argv:
        i = argv.index("--pot")
        pot_dir = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    paths = [Path(a) for a in argv] or sorted(LOCALE.rglob("*.po"))
    total = 0
    for po in paths:
        pot = None
        if pot_dir is not None:
            pot = pot_dir / po.resolve().relative_to(LOCALE).with_suffix(".pot")
        if drop:
            drop_obsolete(po)
        found = problems(po.resolve(), pot)
        total += len(found)
        print("\n".join(found) if found else f"{po}: ok")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
