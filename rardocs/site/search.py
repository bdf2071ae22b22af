"""The site's search: a compact index, and the ranking ``search.js`` applies to it.

The index (:func:`compact`) is ``{"entries": [[kind, title, snippet, url, date], …],
"words": [[word, [entry, …]], …]}``: one entry per public agenda item (its fields
as plain text, the decision first; the index keeps the first
:data:`SNIPPET` characters to show) and per press release, ``url`` relative to the
site root, ``date`` ISO; and every word of the entries' texts, sorted, with the
entries whose text has it (ascending, each number the difference from the one before,
followed by ``-n`` when the word stands there ``n`` > 1 times: small numbers, a small
file). A text is stored once as a snippet and once as its
distinct words, not whole: 200 meetings take a fraction of the size. Closed items
have no entry at all. The site ships it as ``search-index.js``
(``window.RARDOCS_INDEX = …;``), loaded with ``<script src>``, because a browser will
not ``fetch()`` a file from ``file://``.

Ranking (:func:`rank`, and ``templates/web/search.js`` does the same): the query is
split into words (letters and digits, lower case). Every word must match an entry;
each word scores 4 when it is a whole word of the title, 3 when it begins a word
of the title, 2 when it is a whole word of the text, 1 when it begins a word of the
text, its best. Entries are ordered by the sum of their scores, then by how often
the query's words stand whole in title and text, then newest first, then index order.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from typing import NamedTuple

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """``text``'s words in lower case: runs of letters and digits."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


SNIPPET = 240


def prepared(entry: list[str]) -> tuple[list[str], tuple[str, ...], bytes | tuple[int, ...]]:
    """An entry (``[kind, title, text, url, date]``, the whole text) as the index keeps it:
    with its text cut to a snippet, its words (:func:`words`, each once, in order of
    first use) and how often each stands there (as bytes when every count is below
    256, as nearly all are). Words are interned: an archive's thousands of entries
    share one copy of each word. Flat, not a dict of counts: 200 meetings' entries
    take a third of the memory."""
    kind, title, text, url, date = entry
    counts: dict[str, int] = {}
    for word in words(text):
        counts[word] = counts.get(word, 0) + 1
    snippet = text if len(text) <= SNIPPET else text[:SNIPPET].rsplit(" ", 1)[0] + " …"
    numbers = tuple(counts.values())
    return ([kind, title, snippet, url, date], tuple(map(sys.intern, counts)),
            bytes(numbers) if all(n < 256 for n in numbers) else numbers)


def compact(entries) -> dict:
    """The index of ``entries``, each :func:`prepared`: snippets and an inverted list of
    the texts' words, each list made as the words come (entry numbers as differences,
    each followed by ``-count`` when the word stands there more than once:
    ``[(3, 1), (4, 2)]`` → ``[3, 1, -2]``)."""
    postings: dict[str, list[int]] = {}  # word → its list so far
    last: dict[str, int] = {}  # word → the number of the last entry in its list
    shown = []
    for number, (entry, own, counts) in enumerate(entries):
        for word, count in zip(own, counts):
            found = postings.get(word)
            if found is None:
                found = postings[word] = []
            found.append(number - last.get(word, 0))
            last[word] = number
            if count > 1:
                found.append(-count)
        shown.append(entry)
    return {"entries": shown, "words": [[word, found] for word, found in sorted(postings.items())]}


class Part(NamedTuple):
    """Some entries of the index (a meeting's, or several meetings'), numbered from 0,
    as :func:`joined` joins them and :func:`script` writes them: ``entries`` their JSON,
    joined by commas, and ``count`` how many; ``words`` each word of their texts once,
    ``firsts`` and ``lasts`` the first and the last of the entries that has it, and
    ``tails`` what comes after that first number in the word's list (``,-2,3``), as JSON,
    the words' joined by NUL. A part does not depend on where it stands in the index:
    kept, it is joined to others as it is."""
    entries: str
    count: int
    words: tuple[str, ...]
    firsts: bytes | tuple[int, ...]
    lasts: bytes | tuple[int, ...]
    tails: str


def part(entries) -> Part:
    """The :class:`Part` of ``entries``, each :func:`prepared`: :func:`compact`'s index of
    them, its lists taken apart (a word's last entry is the sum of its list's differences)."""
    index = compact(entries)
    words = tuple(word for word, _ in index["words"])
    lists = [found for _, found in index["words"]]
    return Part(",".join(map(_json, index["entries"])), len(index["entries"]), words,
                _numbers(found[0] for found in lists), _numbers(sum(n for n in found if n > 0) for found in lists),
                "\0".join("".join(f",{n}" for n in found[1:]) for found in lists))


def joined(parts) -> Part:
    """``parts`` as one, their entries in turn: each word's list is its lists in the parts
    one after the other, the first number of each made relative to the last entry of the
    word before it. As many steps as the parts have words, not as their entries do."""
    firsts, tails, last, count = _join(parts)
    words = tuple(firsts)
    return Part(",".join(own.entries for own in parts if own.count), count, words,
                _numbers(firsts[word] for word in words), _numbers(last[word] for word in words),
                "\0".join("".join(tails[word]) for word in words))


def script(parts) -> bytes:
    """``search-index.js``, ``window.RARDOCS_INDEX = <index as compact JSON>;``, of the
    entries of ``parts`` in turn: byte for byte :func:`compact`'s index of them all as
    :func:`json.dumps` writes it (compactly, not ASCII). Written a part's entries and a
    word at a time, each made bytes at once: 200 meetings' index is megabytes, and no
    text of it all is made (the snippets' "…" would make such a text two bytes a character)."""
    firsts, tails, _, _ = _join(parts)
    words = b",".join(f"[{_json(word)},[{firsts[word]}{''.join(tails.pop(word))}]]".encode("utf-8")
                      for word in sorted(firsts))
    entries = b",".join(own.entries.encode("utf-8") for own in parts if own.count)
    return b"".join((b'window.RARDOCS_INDEX = {"entries":[', entries, b'],"words":[', words, b"]};\n"))


def _join(parts) -> tuple[dict[str, int], dict[str, list[str]], dict[str, int], int]:
    """What :func:`joined` and :func:`script` make of ``parts``: by word its first entry,
    the rest of its list as pieces of JSON, and its last entry; and how many entries."""
    firsts: dict[str, int] = {}
    tails: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    start = 0
    for own in parts:
        for word, first, end, tail in zip(own.words, own.firsts, own.lasts, own.tails.split("\0")):
            before = last.get(word)
            if before is None:
                firsts[word] = start + first
                tails[word] = [tail]
            else:
                tails[word].append(f",{start + first - before}{tail}")
            last[word] = start + end
        start += own.count
    return firsts, tails, last, start


def _numbers(numbers) -> bytes | tuple[int, ...]:
    """Entry numbers as bytes when all are below 256 (as a meeting's are), else a tuple."""
    numbers = tuple(numbers)
    return bytes(numbers) if all(n < 256 for n in numbers) else numbers


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _decode(encoded: list[int]) -> dict[int, int]:
    """Entry number → how often the word stands in its text (:func:`_encode` undone)."""
    out, number = {}, 0
    for value in encoded:
        if value < 0:
            out[number] = -value
        else:
            number += value
            out[number] = 1
    return out


def rank(index: dict, query: str) -> list[dict]:
    """The entries of ``index`` (:func:`compact`) matching ``query``, best first, each as
    a dict (``kind``, ``title``, ``text`` (the snippet), ``url``, ``date``, ``score``)."""
    terms = list(dict.fromkeys(words(query)))
    if not terms:
        return []
    whole: dict[str, dict[int, int]] = {term: {} for term in terms}
    begins: dict[str, set[int]] = {term: set() for term in terms}
    for word, encoded in index["words"]:
        for term in terms:
            if word.startswith(term):
                found = _decode(encoded)
                begins[term] |= found.keys()
                if word == term:
                    whole[term] = found
    found = []
    for position, (kind, title, text, url, date) in enumerate(index["entries"]):
        title_words = words(title)
        title_set = set(title_words)
        score = 0
        for term in terms:
            level = (4 if term in title_set else 3 if any(w.startswith(term) for w in title_set)
                     else 2 if position in whole[term] else 1 if position in begins[term] else 0)
            if not level:
                break
            score += level
        else:
            hits = sum(title_words.count(term) + whole[term].get(position, 0) for term in terms)
            found.append(((-score, -hits, _negated(date), position),
                          {"kind": kind, "title": title, "text": text, "url": url, "date": date, "score": score}))
    found.sort(key=lambda pair: pair[0])
    return [entry for _, entry in found]


def _negated(date: str) -> tuple[int, ...]:
    """A sort key putting newer ISO dates first."""
    return tuple(-int(part) for part in date.split("-")) if date else (0,)
