"""One citation style for the whole book: author–year in the text *and* in the list.

sphinxcontrib-bibtex cites author–year in the text (``bibtex_reference_style:
author_year``) but labels the reference list with the formatting style's labels, which for
the built-in styles are numbers ([1], [2], ...) or alpha codes ([GB10]): a reader who sees
"[Glorot and Bengio, 2010]" in a chapter then finds "[12]" in the list. This extension
registers a pybtex style, ``dlbook``, that is pybtex's ``plain`` (entries sorted by author,
year, title) with labels written as the text cites them: "Bishop, 2006", "Glorot and
Bengio, 2010", "Srivastava et al., 2014", with a, b, ... added to two equal labels.
"""

from collections import Counter
import re

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _last_name(person):
    # pybtex's rich text decodes LaTeX ({\\"u} -> ü), as the text citations show it
    parts = person.rich_prelast_names + person.rich_last_names
    return " ".join(part.render_as("text") for part in parts)


class AuthorYearLabelStyle(BaseLabelStyle):
    """"Author, year", "A and B, year" or "A et al., year"; editors if there are no authors."""

    def format_label(self, entry):
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_last_name(p) for p in people]
        if not names:
            who = re.sub(r"[{}]", "", entry.fields.get("key", entry.key))
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} and {names[1]}"
        else:
            who = f"{names[0]} et al."
        return f"{who}, {entry.fields.get('year', 'n.d.')}"

    def format_labels(self, sorted_entries):
        sorted_entries = list(sorted_entries)
        labels = [self.format_label(e) for e in sorted_entries]
        repeated = {label for label, n in Counter(labels).items() if n > 1}
        seen = Counter()
        for label in labels:
            if label in repeated:
                seen[label] += 1
                label += "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            yield label


class Style(PlainStyle):
    default_label_style = "dlbook_author_year"


def setup(app):
    register_plugin("pybtex.style.labels", "dlbook_author_year", AuthorYearLabelStyle)
    register_plugin("pybtex.style.formatting", "dlbook", Style)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
