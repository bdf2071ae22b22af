"""The site's search: a compact index, and the ranking ``search.js`` applies to it.

The index is ``{"entries": [[kind, title, text, url, date], …]}``: one entry per
public agenda item (its fields as plain text, the decision first) and per press
release; ``url`` is relative to the site root, ``date`` ISO. Closed items have no
entry at all. The site ships it as ``search-index.js`` (``window.RARDOCS_INDEX =
…;``), loaded with ``<script src>``, because a browser will not ``fetch()`` a file
from ``file://``.

Ranking (:func:`rank`, and ``templates/web/search.js`` does the same): the query is
split into words (letters and digits, lower case). Every word must match an entry;
each word scores 4 when it is a whole word of the title, 3 when it begins a word
of the title, 2 when it is a whole word of the text, 1 when it begins a word of the
text, its best. Entries are ordered by the sum of their scores, then by how often
the query's words occur whole in title and text, then newest first, then index order.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """``text``'s words in lower case: runs of letters and digits."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def rank(index: dict, query: str) -> list[dict]:
    """The entries of ``index`` matching ``query``, best first, each as a dict
    (``kind``, ``title``, ``text``, ``url``, ``date``, ``score``)."""
    terms = list(dict.fromkeys(words(query)))
    if not terms:
        return []
    found = []
    for position, (kind, title, text, url, date) in enumerate(index["entries"]):
        title_words, text_words = words(title), words(text)
        title_set, text_set = set(title_words), set(text_words)
        score = 0
        for term in terms:
            level = (4 if term in title_set else 3 if any(w.startswith(term) for w in title_set)
                     else 2 if term in text_set else 1 if any(w.startswith(term) for w in text_set) else 0)
            if not level:
                break
            score += level
        else:
            hits = sum(1 for w in title_words + text_words if w in terms)
            found.append(((-score, -hits, _negated(date), position),
                          {"kind": kind, "title": title, "text": text, "url": url, "date": date, "score": score}))
    found.sort(key=lambda pair: pair[0])
    return [entry for _, entry in found]


def _negated(date: str) -> tuple[int, ...]:
    """A sort key putting newer ISO dates first."""
    return tuple(-int(part) for part in date.split("-")) if date else (0,)
