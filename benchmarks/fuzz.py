"""Random mutation fuzzing of item files: rardocs must answer every file with exit 0, 1 or 2.

    python benchmarks/fuzz.py [--count 2000] [--seed S] [--jobs 2] [--timeout 20]
    python benchmarks/fuzz.py --seed S --case N          # run one case again, verbosely
    python benchmarks/fuzz.py --replay benchmarks/fuzz-findings/S-N

Each case takes one Markdown file of ``tests/example/`` or ``tests/minimal/``
(agenda items and press releases), applies one to five random mutations (byte
flips, deleted and duplicated lines, YAML and Markdown special characters,
encodings, control characters, escaped lone surrogates, huge numbers, deep
nesting, very long lines, odd front matter values for ``section``, ``kind``,
``number``, ``closed``, ``bilag``, ``followup`` …) and runs
``rardocs build --force`` in-process on a private copy of the project. The
copies live in a temporary folder; the repository's ``content/`` and
``output/`` are never touched. rardocs itself is imported from a copy of
``rardocs/`` and ``templates/`` taken when the run starts, so that edits made to
the working tree during a run do not mix into it (``--live`` imports the
working tree instead), and the run starts only if the unmutated projects build
(exit 0); otherwise it stops with exit status 2.

A *finding* is anything but a clean answer:

* ``exit3``        the build reported an internal error (a bug, whatever the input);
* ``exception``    an exception escaped ``rardocs.cli.main``;
* ``timeout``      the case ran longer than ``--timeout`` seconds (counted as a hang);
* ``crash``        the worker process died (segfault, out of memory);
* ``wrote-on-error``  exit 1 or 2, yet files were left in ``output/``;
* ``content-changed``  the build changed a file under ``content/``;
* ``broken-docx``  exit 0, yet a written .docx is no zip or its XML does not parse;
* ``odd-message``  exit 1 without a single ``path:line: message`` (or ``fejl: …``) line.

Every finding is saved in ``benchmarks/fuzz-findings/<seed>-<case>/`` (git-ignored
by a ``.gitignore`` in that folder): the mutated file under its own name, the
traceback, what the build printed, ``case.json`` (project, file, mutations) and,
for ``exit3`` and ``exception``, ``minimized-<name>``, the smallest file found by
removing lines and characters that still fails the same way. The summary
prints the counts per exit status, the time taken, and one line per finding.
Cases are reproducible: case ``N`` of seed ``S`` is the same file on any machine.

Exit status: 0 when there is no finding, 1 when there is one or more, 2 when
the unmutated projects do not build.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import io
import json
import multiprocessing
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from multiprocessing.connection import wait
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PROJECTS = {"example": REPO / "tests" / "example", "minimal": REPO / "tests" / "minimal"}
FINDINGS = REPO / "benchmarks" / "fuzz-findings"
LOG = "rardocs-fejl.log"
#: A bilag file every meeting folder of the fuzzing copies gets, so that ``file:`` can be valid.
BILAG_FILE = "bilag/notat.pdf"
#: A worker process is replaced after this many cases, so that caches cannot grow without end.
CASES_PER_WORKER = 200
FINDING_KINDS = ("exit3", "exception", "timeout", "crash", "wrote-on-error", "content-changed", "broken-docx",
                 "odd-message")

# -- what mutations insert --------------------------------------------------------------

YAML_SPECIALS = [
    ": ", ":", "- ", "-", "[", "]", "{", "}", "&a ", "*a", "& ", "* ", "!", "!!", "!!python/object/apply:os.system ['true'] ",
    "!!binary ", "!!str ", "!!int ", "!!timestamp ", "!<tag:x> ", "|", "|-", "|+", ">", ">-", "%YAML 1.1", "%TAG ! x", "@",
    "`", "#", " #", "'", '"', "''", '""', "\t", "---", "...", "? ", "<<: ", "<<: {a: 1}", "~", "null", "yes", "no", "on",
    "0o17", "0x1F", "1_000", ".inf", ".nan", "-.inf", "2022-09-29", "2022-09-29T10:00:00", "13:00", "1:20:30", "1e309",
    "9" * 40, "-0", "=", ",", "\\", "\\n",
]
YAML_ESCAPES = [  # inside double quotes, YAML turns these into characters no file can hold as UTF-8
    '"\\ud800"', '"\\udfff"', '"\\ud83d\\ude00"', '"\\ud83d"', '"\\x00"', '"\\0"', '"\\x85"', '"\\x9f"', '"\\u2028"',
    '"\\e"', '"\\N"', '"\\_"', '"\\L"', '"\\P"', '"\\a\\b\\v\\f"', '"\\U0010FFFF"', '"\\U00110000"', '"\\q"', '"\\x"',
    '"\\uFFFE"', '"\\uFEFF"', '"\\u00AD"', '"\\uF0B7 x"', '"a\\tb"', '"\\r\\n"', '"\\U0001F600"',
]
CONTROLS = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\u2028", "\u2029",
    "\ufeff", "\ufffe", "\uffff", "\u200b", "\u200d", "\u202e", "\u2066", "\u00ad", "\u00a0", "\uf0b7", "\uf0a7 ", "\r",
    "\r\n", "\n\r", "\t", "\u0301", "\u0000\u0000",
]
MARKDOWN = [
    "[", "![", "](", "]", ")", "(", "\\", "# ", "## ", "##", "### ", "#### ", "###### ", "##### Beslutning",
    "**Beslutning**", "**Beslutning:**", "Beslutning:", "## Beslutning", "## beslutning", "## BESLUTNING", "## Beslutnng",
    "## Sagen kort", "## Indstilling", "## Bilag", "## Videre proces", "## Baggrund", "## Sagsfremstilling", "## ",
    "## Beslutning ##", "##Beslutning", "**", "*", "_", "__", "~~", "`", "``", "```", "```python", "~~~", "> ", ">",
    "> > ", "- ", "* ", "+ ", "1. ", "1) ", "a. ", "A) ", "z) ", "999. ", "1000. ", "0. ", "  - ", "    - ", "\t- ",
    "        - ", "- - - ", "* * *", "- [ ] ", "| a | b |\n|---|--:|\n| 1 | 2 |", "|", "||", "|---|", "| x |\n|:-:|\n",
    "|a|b|\n|-|-|\n|1|2|3|4|", "| a |\n|---|\n| **b** | [c](https://e.dk) |", "---", "***", "___", "===",
    "[x](https://e.dk)", "[x](https://e.dk \"t\")", "[x](javascript:alert(1))", "[x](<javascript:alert(1)>)",
    "[x](JaVaScRiPt:alert(1))", "[x](data:text/html,<script>)", "[x](file:///etc/passwd)", "[x](#anker)", "[x]()",
    "[](https://e.dk)", "[x](https://e.dk/\x00)", "[x](https://e.dk/\"><w:p>)", "<javascript:alert(1)>",
    "![img](x.png)", "![](bilag/../../council.yaml)", "![x](https://e.dk/a.png)", "[x][1]\n\n[1]: https://e.dk",
    "[x][nope]", "[1]: javascript:x", "<https://x.dk>", "https://e.dk/a_b", "https://e.dk/(a)", "http://",
    "https://e.dk/" + "a" * 3000, "www.dr.dk", "www.", "mailto:a@b.dk", "<a@b.dk>", "&amp;", "&#0;", "&#x110000;",
    "&#xD800;", "&nbsp;", "&bogus;", "<script>alert(1)</script>", "<b>fed</b>", "<br>", "</w:t>", "<w:p>", "]]>",
    "<!--", "-->", "<?xml?>", "<div>\n\nx\n\n</div>", "{{ x }}", "{% if %}", "{{", "}}", "{%", "%}", "{#", "#}",
    "{{ meeting.__class__ }}", "{% for x in range(10**9) %}", "{%p endfor %}", "{{ item.title }}", "${x}", "%s", "{0}",
    "😀", "👨\u200d👩\u200d👧", "🇩🇰", "æøå ÆØÅ", "»«", "’", "…", "–", "\u0301", "ﷺ", "𝕏", "\U0010ffff", "ß", "İ", "ﬀ",
    "٢", "Ⅱ", "\u0660", "a  \nb", "\\\n", "  \n",
]
LONG = [
    "x" * 100_000, "[" * 30_000, "](" * 10_000, "*" * 20_000, "_" * 20_000, "`" * 10_000, "<" * 10_000,
    "\\" * 10_000, "|" * 10_000, "a " * 50_000, "![" * 10_000, "[a](" * 5_000, "http://" * 3_000, "www." * 5_000,
    "- " * 5_000, "> " * 3_000, "#" * 5_000, "\n" * 20_000, "- x\n" * 5_000,
    "".join(" " * (2 * k) + "- x\n" for k in range(300)), "".join(" " * k + "1. x\n" for k in range(300)),
    "1. x\n" * 5_000, "a. x\n" * 3_000, "| a |\n" * 5_000, "|a|b|\n|-|-|\n" + "|1|2|\n" * 5_000, "**a " * 10_000,
    "[a]" * 10_000, "`a" * 10_000, "&amp;" * 10_000, "{{" * 10_000, "\\[" * 10_000, "[x](https://e.dk) " * 5_000,
    "😀" * 20_000, "\u0301" * 20_000, "\t" * 20_000, " " * 100_000 + "x", "## Beslutning\n" * 2_000,
]
YAML_DEEP = [
    "bilag: " + "[" * 1_000, "bilag: " + "[" * 60 + "]" * 60, "bilag: " + "{a: " * 200, "bilag: " + "[" * 40 + "]" * 40,
    "x:\n" + "".join(" " * (k + 1) + "a:\n" for k in range(200)),
    "followup:\n" + "".join("  " * k + "- \n" for k in range(120)),
    "bilag:\n" + "".join("  " * k + "- - x\n" for k in range(100)),
    "title: " + "[" * 49 + "]" * 49, "title: " + "[" * 51 + "]" * 51, "kind: " + "[" * 30 + "B" + "]" * 30,
    "title: &a [x]\nsection: *a", "a: &a [*a]",
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
    "? " + "[" * 100 + "]" * 100 + "\n: x", "title: !!python/object/apply:os.system ['echo']",
    "title: !!python/name:builtins.exit", "title: !!set {a, b}", "title: !!omap [a: 1]", "title: !!binary aGVq",
    "title: !!timestamp 2022-09-29", "title: !!float 1e400", "title: !!int 99999999999999999999999999",
    "<<: {title: x}", "<<: [*a]",
]

TEXTS = ["", "~", "null", "''", '""', "[]", "{}", "[a, b]", "{a: b}", "a: b", "'unclosed", '"unclosed', "|\n  to\n  linjer",
         ">\n  foldet\n  tekst", "x" * 10_000, "123", "true", "2022-09-29", "😀", "{{ x }}", "{% if x %}", "<script>x</script>",
         "&a x", "*a", "!!str x", "!!int x", "!!python/name:os.system", "- a", " ", "'  '", "\"\\ud800\"", "\"\\x00x\"",
         "\"\\u2028\"", "\"a\\tb\"", "x # kommentar", "#", "'#'", "Rådet", "? x", "9" * 30, "1e309", ".nan",
         "'It''s'", "\"\\\"\"", "`x`", "@x", "%x", "|", ">", "-", "---", "...", "\u202eabc", "\uf0b7 punkt"]
SECTIONS = ["1", "2", "3", "0", "99", "-1", "2.0", "2.5", "'2'", "\"3\"", "x", "", "[]", "{}", "[2]", "true", "null", "~",
            "9" * 30, "99999999999999999999", "1e309", ".inf", "0x2", "002", "+2", "2_0", " 2", "Ⅱ", "٢", "²", "𝟚",
            "'2 '", "'\\t2'", "2 # kommentar"]
KINDS = ["B", "O", "D", "b", "o", "X", "", "[B, oplæg]", "B + oplæg", "B+oplæg", "[]", "[[]]", "{}", "[B, [x]]", "B+", "+",
         "+B", "[null]", "[1]", "1", "true", "'B'", "Ｂ", "ß", "ﬀ", "[O, D, B]", "'B + '", "[' B ']", "[B, {a: b}]",
         "\"\\ud800\"", "B" * 1000, "[" + ", ".join(["B"] * 500) + "]", "O + " + "x" * 5000]
NUMBERS = ["1", "5", "0", "-1", "99999999999999999999", "999999999999999999", "1000000000000000000", "1.5", "'3'",
           "true", "null", "[]", "1e3", "0x10", "0o10", "1_0", "9223372036854775808", "100000", "18446744073709551616",
           "+3", "-0", "٣", ".inf"]
FLAGS = ["true", "false", "ja", "nej", "JA", " Ja ", "yes", "no", "on", "1", "0", "''", "[]", "null", "'true'", "True",
         "FALSE", "{}", "~"]
URLS = ["https://example.dk/notat.pdf", "http://e.dk", "https://", "https://a b", "https://e.dk/\"><script>", "mailto:",
        "mailto:a@b.dk", "ftp://x", "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "file:///etc/passwd",
        "https://e.dk/" + "a" * 5000, "https://e.dk/\\ud800", "\"https://e.dk/\\x00\"", "\"https://e.dk/\\u202e\"",
        "'https://e.dk/a b'", "https://e.dk/æøå", "https://xn--80ak6aa92e.com", "https://e.dk/%00", "//e.dk", "e.dk",
        "www.e.dk", "[]", "{}", "123", "https://e.dk/{{x}}", "https://e.dk/]]>", "https://e.dk/&amp;",
        "https://e.dk/'\"<>"]
FILES = [BILAG_FILE, "bilag/./notat.pdf", "bilag//notat.pdf", "./bilag/notat.pdf", "bilag/../bilag/notat.pdf",
         "bilag\\notat.pdf", "bilag/ikke.pdf", "../../council.yaml", "../2022-11-28/meeting.yaml", "/etc/passwd",
         "C:\\x.pdf", "c:x", "\\\\server\\x", "meeting.yaml", "2.1-positivlisten.md", "2.1-ledighed.md", "", ".", "..",
         "bilag", "bilag/", "\"\\x00\"", "\"bilag/\\x00.pdf\"", "a" * 300 + ".pdf", "b" * 5000, "~/x", "con", "NUL",
         "...", "bilag/.skjult", ".rardocs-state.json", "../../../output/x", "bilag/notat.pdf/", "*", "?", "bilag/*.pdf",
         "'bilag/notat.pdf '", "bilag/NOTAT.PDF", "\"\\ud800\"", "😀.pdf", "[]", "{}", "123"]
DATES = ["2022-10-01", "2022-02-30", "2022-13-01", "0000-01-01", "0001-01-01", "9999-12-31", "1979-12-31", "2108-01-01",
         "2022-10-01T10:00", "2022-10-01 10:00", "20221001", "'2022-10-01'", "2022-1-1", "2022-10-01x", "1.10.2022",
         "2022-W40", "+2022-10-01", "-2022-10-01", "[]", "{}", "true", "99999999999999999999", "", "null",
         "\"2022-10-01\\x00\"", "２０２２-１０-０１", "2022-10-0١"]
STATUSES = ["åben", "Åben", "ÅBEN", "i gang", "I GANG", "afsluttet", "lukket", "", "[]", "aaben", "åben ", "\"\\x00\"",
            "i  gang", "ı gang", "afslutte"]
IDS = ["positivliste", "a.b-c_d", "æøå", "a b", "a/b", "#1", "", "x" * 5000, "123", "[]", "-", ".", "..", "a\\b",
       "positivliste-hjemmeside", "baeredygtighedskurser-evaluering", "𝟚", "\"\\u2028\""]
PRESS = {"date": DATES, "lead": TEXTS, "item": ["2022-09-29/2.1", "2.1", "2022-09-29/9.9", "2023-01-10/2.1",
                                                 "../2.1", "/", "2022-09-29/", "2022-09-29//2.1", "[]", "2022-09-29/1.1",
                                                 "2022-13-45/2.1", "2.1/2022-09-29"],
         "quote": ["{text: x, who: y}", "{text: '', who: ''}", "{}", "[]", "x", "{text: [a], who: {b: c}}",
                   "\n  text: \"«x»\"\n  who: Jesper Thorup\n  role: formand", "{who: x}", "{text: x, who: y, extra: z}"],
         "contact": ["{name: x}", "{}", "[]", "x", "{name: '', email: [a]}", "{phone: 1, name: 2}"],
         "illustrative": FLAGS}


def bilag_entry(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(TEXTS + ["- x", "[a]", "{}", "- ", "-"])
    keys = {"title": rng.choice(TEXTS + ["Notat om ledighed"] * 8)}
    if rng.random() < 0.6:
        keys["url"] = rng.choice(URLS)
    if rng.random() < 0.5:
        keys["file"] = rng.choice(FILES)
    if rng.random() < 0.1:
        keys[rng.choice(["titel", "link", "File", "url ", "1", "''"])] = "x"
    if rng.random() < 0.2:
        keys.pop("title")
    return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in keys.items()) + "}"


def followup_entry(rng: random.Random) -> str:
    keys = {"action": rng.choice(TEXTS + ["Ny liste på hjemmesiden"] * 8),
            "owner": rng.choice(TEXTS + ["Sekretariatet"] * 8)}
    for key, values, chance in (("id", IDS, 0.5), ("due", DATES, 0.7), ("status", STATUSES, 0.6), ("note", TEXTS, 0.3)):
        if rng.random() < chance:
            keys[key] = rng.choice(values)
    for key in list(keys):
        if rng.random() < 0.08:
            keys.pop(key)
    if rng.random() < 0.08:
        keys[rng.choice(["ansvarlig", "Due", "frist", "statuss"])] = "x"
    if rng.random() < 0.1:
        return rng.choice(["x", "[]", "- a", "{}", "null"])
    return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in keys.items()) + "}"


def _flow(value: str) -> str:
    """A value as it may stand in a flow mapping: multi-line block scalars are written quoted or plain."""
    return value.replace("\n", " ") if value.startswith(("|", ">")) else value


def front_value(rng: random.Random, key: str) -> str:
    """A YAML snippet ``key: value`` (possibly several lines) with an interesting value."""
    if key == "bilag" or key == "followup":
        entry = bilag_entry if key == "bilag" else followup_entry
        style = rng.random()
        entries = [entry(rng) for _ in range(rng.choice([0, 1, 1, 2, 3, 30]))]
        if style < 0.6:
            return f"{key}:\n" + "".join(f"  - {e}\n" for e in entries).rstrip("\n") if entries else f"{key}:"
        if style < 0.8:
            return f"{key}: [{', '.join(entries)}]"
        return f"{key}: {rng.choice(TEXTS)}"
    values = {"title": TEXTS, "section": SECTIONS, "kind": KINDS, "number": NUMBERS, "closed": FLAGS, "standing": FLAGS,
              **PRESS}.get(key, TEXTS)
    return f"{key}: {rng.choice(values)}"


FRONT_KEYS = ["title", "section", "kind", "number", "closed", "standing", "bilag", "followup"]
PRESS_KEYS = ["title", "date", "lead", "quote", "contact", "item", "illustrative"]
ODD_KEYS = ["titel", "Title", "'': x", "1", "null", "~", "sektion", "kind ", "beslutning", "date"]

# -- mutations ----------------------------------------------------------------------------


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _front_end(lines: list[str]) -> int | None:
    """The index of the line closing the front matter, if the file has one."""
    if not lines or lines[0].strip() != "---":
        return None
    return next((n for n in range(1, len(lines)) if lines[n].strip() == "---"), None)


def m_flip(rng, data):
    if not data:
        return data, "flip: empty"
    out = bytearray(data)
    spots = [rng.randrange(len(out)) for _ in range(rng.choice([1, 1, 2, 4, 8]))]
    for at in spots:
        out[at] = rng.randrange(256) if rng.random() < 0.3 else out[at] ^ (1 << rng.randrange(8))
    return bytes(out), f"flip bytes at {spots}"


def m_delete(rng, data):
    if not data:
        return data, "delete: empty"
    if rng.random() < 0.5:
        lines = _lines(data)
        at = rng.randrange(len(lines))
        n = rng.choice([1, 1, 1, 2, 5, 20])
        return b"\n".join(lines[:at] + lines[at + n:]), f"delete lines {at + 1}..{at + n}"
    at = rng.randrange(len(data))
    n = rng.choice([1, 1, 2, 3, 8, 64, 512])
    return data[:at] + data[at + n:], f"delete {n} bytes at {at}"


def m_duplicate(rng, data):
    lines = _lines(data)
    at = rng.randrange(len(lines))
    n = rng.choice([1, 1, 2, 3, 10])
    times = rng.choice([1, 1, 2, 100, 2000])
    where = rng.randrange(len(lines) + 1)
    block = lines[at:at + n] * times
    return b"\n".join(lines[:where] + block + lines[where:]), f"duplicate lines {at + 1}..{at + n} x{times} at {where + 1}"


def m_swap(rng, data):
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines), f"swap lines {a + 1} and {b + 1}"


def _insert(rng, data: bytes, fragment: str, what: str):
    text = _text(data)
    lines = text.split("\n")
    end = _front_end(lines)
    place = rng.random()
    if place < 0.35:  # anywhere
        at = rng.randrange(len(text) + 1)
        return _bytes(text[:at] + fragment + text[at:]), f"insert {what} {fragment[:40]!r} at char {at}"
    if place < 0.55 and end:  # into the front matter: at a line start or after a key's colon
        n = rng.randrange(1, end + 1)
        line = lines[n] if n < len(lines) else ""
        if ":" in line and rng.random() < 0.6:
            cut = line.index(":") + 1 + rng.choice([0, 1])
            lines[n] = line[:cut] + fragment + line[cut:]
            return _bytes("\n".join(lines)), f"insert {what} {fragment[:40]!r} into front matter line {n + 1}"
        lines.insert(n, fragment)
        return _bytes("\n".join(lines)), f"insert {what} {fragment[:40]!r} as front matter line {n + 1}"
    n = rng.randrange(len(lines) + 1)
    if rng.random() < 0.5:
        lines.insert(n, fragment)
        return _bytes("\n".join(lines)), f"insert {what} {fragment[:40]!r} as line {n + 1}"
    n = min(n, len(lines) - 1)
    lines[n] = fragment + lines[n] if rng.random() < 0.5 else lines[n] + fragment
    return _bytes("\n".join(lines)), f"insert {what} {fragment[:40]!r} at an end of line {n + 1}"


def m_yaml_special(rng, data):
    return _insert(rng, data, rng.choice(YAML_SPECIALS + YAML_ESCAPES), "yaml")


def m_control(rng, data):
    return _insert(rng, data, rng.choice(CONTROLS) * rng.choice([1, 1, 3]), "control")


def m_markdown(rng, data):
    fragment = rng.choice(MARKDOWN)
    if rng.random() < 0.3:
        fragment = "".join(rng.choice(MARKDOWN) for _ in range(rng.randrange(2, 12)))
    return _insert(rng, data, fragment, "markdown")


def m_long(rng, data):
    return _insert(rng, data, rng.choice(LONG), "long")


def m_body_block(rng, data):
    """A Markdown block after a field heading (or at the end)."""
    text = _text(data)
    block = "\n\n" + "\n".join(rng.choice(MARKDOWN) + rng.choice(["x", "tekst", "", "**a**", "[b](https://e.dk)"])
                               for _ in range(rng.randrange(1, 8))) + "\n\n"
    headings = [m.end() for m in re.finditer(r"^## .*$", text, re.MULTILINE)]
    at = rng.choice(headings) if headings else len(text)
    return _bytes(text[:at] + block + text[at:]), f"insert markdown block {block[:60]!r} at char {at}"


def m_heading(rng, data):
    text = _text(data)
    headings = list(re.finditer(r"^## (.*)$", text, re.MULTILINE))
    if not headings:
        return m_markdown(rng, data)
    h = rng.choice(headings)
    new = rng.choice(["### {}", "#{}", "##{}", "## {}:", "**{}**", "**{}:**", "{}:", "## {} ##", "##  {}  ", "# {}",
                      "## {}\n## {}", "## Beslutning", "## Bilag", "## Sagen kort", "## Beslutnng", "## ", "##",
                      "    ## {}", "> ## {}", "- ## {}", "## {}\n```", "## {}\n~~~\n## Beslutning", "## {}\x00",
                      "## {}\u00a0", "## \u202e{}"]).format(h.group(1), h.group(1))
    return _bytes(text[:h.start()] + new + text[h.end():]), f"heading {h.group(0)!r} -> {new!r}"


def m_front_value(rng, data):
    text = _text(data)
    lines = text.split("\n")
    end = _front_end(lines)
    if end is None:
        return m_yaml_special(rng, data)
    press = any(re.match(r"^(date|lead|quote):", line) for line in lines[1:end])
    keys = PRESS_KEYS if press else FRONT_KEYS
    key = rng.choice(keys) if rng.random() < 0.93 else rng.choice(ODD_KEYS)
    snippet = front_value(rng, key) if rng.random() < 0.9 else rng.choice(YAML_DEEP)
    kept, skipping = [], False
    for line in lines[1:end]:
        if re.match(rf"^{re.escape(key)}\s*:", line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t", "-")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    kept.insert(rng.randrange(len(kept) + 1), snippet)
    return _bytes("\n".join([lines[0], *kept, *lines[end:]])), f"front matter: {snippet[:120]!r}"


def m_encoding(rng, data):
    text = _text(data)
    choice = rng.randrange(11)
    if choice == 0:
        return b"\xef\xbb\xbf" + data, "utf-8 BOM"
    if choice == 1:
        return data.replace(b"\n", b"\r\n"), "CRLF"
    if choice == 2:
        return data.replace(b"\n", b"\r"), "CR only"
    if choice == 3:
        return text.encode("cp1252", "replace"), "Windows-1252"
    if choice == 4:
        return text.encode("utf-16", "surrogatepass"), "UTF-16 with BOM"
    if choice == 5:
        return text.encode("utf-16", "surrogatepass")[:-1], "UTF-16, odd byte count"
    if choice == 6:
        return text.encode("utf-16-le", "surrogatepass"), "UTF-16 LE without BOM"
    if choice == 7:
        return data[: rng.randrange(len(data) + 1)], "truncated"
    if choice == 8:
        at = rng.randrange(len(data) + 1)
        raw = rng.choice([b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc3", b"\xff", b"\xfe\xff", b"\x81\x8d\x8f\x90\x9d",
                          b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\xe2\x80"])
        return data[:at] + raw + data[at:], f"raw bytes {raw!r} at {at}"
    if choice == 9:
        return b"\xef\xbb\xbf" * 2 + data.replace(b"\n", b"\r\n"), "two BOMs and CRLF"
    return data.replace(b"\n", b"\n\x00") if rng.random() < 0.2 else data.rstrip(b"\n"), "NULs or no final newline"


MUTATIONS = [(m_flip, 6), (m_delete, 6), (m_duplicate, 5), (m_swap, 3), (m_yaml_special, 10), (m_control, 5),
             (m_markdown, 10), (m_long, 4), (m_body_block, 6), (m_heading, 5), (m_front_value, 25), (m_encoding, 5)]


@dataclasses.dataclass
class Case:
    seed: int
    number: int
    project: str
    path: str  # relative to the project
    data: bytes
    steps: list[str]

    @property
    def name(self) -> str:
        return f"{self.seed}-{self.number}"


def sources() -> list[tuple[str, str]]:
    """(project, path) of every Markdown file the fuzzer mutates."""
    found = [("example", p.relative_to(PROJECTS["example"]).as_posix())
             for p in sorted((PROJECTS["example"] / "content" / "rar-oestjylland").glob("*/*.md"))]
    found += [("minimal", p.relative_to(PROJECTS["minimal"]).as_posix())
              for p in sorted((PROJECTS["minimal"] / "content").glob("*/*/*.md"))]
    return found


def make_case(seed: int, number: int, files: list[tuple[str, str]]) -> Case:
    """Case ``number`` of ``seed``: the same bytes on every run."""
    rng = random.Random(f"{seed}/{number}")
    project, path = rng.choice(files)
    data = (PROJECTS[project] / path).read_bytes()
    steps = []
    functions, weights = zip(*MUTATIONS)
    for _ in range(min(5, 1 + int(rng.expovariate(1.0)))):
        data, step = rng.choices(functions, weights)[0](rng, data)
        steps.append(step)
    return Case(seed, number, project, path, data, steps)


# -- running one case -----------------------------------------------------------------------


class _Hang(BaseException):
    """Raised by the alarm in a worker: not an ``Exception``, so that rardocs cannot catch it."""


def _on_alarm(signum, frame):
    raise _Hang()


def prepare(scratch: Path) -> dict[str, Path]:
    """Private copies of the projects, each meeting folder with a bilag file."""
    roots = {}
    for name, source in PROJECTS.items():
        root = scratch / name
        shutil.copytree(source, root)
        for meeting in (root / "content").glob("*/*/meeting.yaml"):
            (meeting.parent / BILAG_FILE).parent.mkdir(exist_ok=True)
            (meeting.parent / BILAG_FILE).write_bytes(b"%PDF-1.4 fuzz")
        roots[name] = root
    return roots


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape"))
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def run_case(root: Path, path: str, data: bytes, timeout: float) -> dict:
    """Build the project at ``root`` with ``data`` as the file at ``path``; then put the file back.

    Returns the outcome ("0", "1", "2", or a finding kind), what was printed and a traceback.
    """
    from rardocs import cli

    target = root / path
    original = target.read_bytes()
    content_before = _fingerprint(root / "content")
    shutil.rmtree(root / "output", ignore_errors=True)
    target.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    result = {"outcome": None, "stdout": "", "stderr": "", "traceback": "", "seconds": 0.0}
    start = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(["build", "--root", str(root), "--force"])
        signal.setitimer(signal.ITIMER_REAL, 0)
        result["outcome"] = str(status)
    except _Hang:
        result["outcome"] = "timeout"
        result["traceback"] = traceback.format_exc()
    except BaseException:  # noqa: BLE001  (anything escaping cli.main is what we are looking for)
        signal.setitimer(signal.ITIMER_REAL, 0)
        result["outcome"] = "exception"
        result["traceback"] = traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    result["seconds"] = time.perf_counter() - start
    result["stdout"], result["stderr"] = out.getvalue(), err.getvalue()
    output = root / "output"
    if result["outcome"] == "3":
        log = output / LOG
        result["outcome"] = "exit3"
        result["traceback"] = log.read_text(encoding="utf-8", errors="replace") if log.exists() else "(no log)"
    elif result["outcome"] in ("1", "2") and output.exists() and any(p.is_file() for p in output.rglob("*")):
        result["outcome"] = "wrote-on-error"
        result["traceback"] = "\n".join(sorted(p.relative_to(output).as_posix() for p in output.rglob("*")))
    elif result["outcome"] == "0":
        broken = _broken_documents(output)
        if broken:
            result["outcome"] = "broken-docx"
            result["traceback"] = broken
    elif result["outcome"] == "1" and not _has_located_message(result["stderr"]):
        result["outcome"] = "odd-message"
    target.write_bytes(original)
    if _fingerprint(root / "content") != content_before and result["outcome"] in ("0", "1", "2"):
        result["outcome"] = "content-changed"
    shutil.rmtree(output, ignore_errors=True)
    return result


MESSAGE = re.compile(r"^(content/\S.*?:(\d+: )?|fejl: |rardocs: forkert brug: )")


def _has_located_message(stderr: str) -> bool:
    return any(MESSAGE.match(line) for line in stderr.splitlines())


def _broken_documents(output: Path) -> str:
    from lxml import etree

    problems = []
    for path in output.rglob("*.docx"):
        try:
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.endswith((".xml", ".rels")):
                        etree.fromstring(z.read(name))
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{path.relative_to(output)}: {type(exc).__name__}: {exc}")
    return "\n".join(problems)


def exception_line(text: str) -> str:
    """The ``Type: message`` line of the last exception in a traceback (the message's first line)."""
    lines = text.strip().splitlines()
    frames = [n for n, line in enumerate(lines) if line.startswith("  File ")]
    after = lines[frames[-1] + 1:] if frames else lines
    return next((line.strip() for line in after if line.strip() and not line.startswith(" ")), "")


def signature(result: dict) -> str:
    """What makes two findings the same bug: the exception and the innermost rardocs frame."""
    text = result.get("traceback") or ""
    last = exception_line(text) or result["outcome"]
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', text)
    ours = [f for f in frames if "/rardocs/" in f[0] and "/benchmarks/" not in f[0]]
    where = ""
    if ours:
        file, line, function = ours[-1]
        where = f" at {file.split('/rardocs/', 1)[-1]}:{line} in {function}"
    kind = re.match(r"^([\w.]+)(:|$)", last)
    return f"{result['outcome']}: {kind.group(1) if kind else last[:80]}{where}"


# -- workers ------------------------------------------------------------------------------------


def snapshot(scratch: Path) -> Path:
    """A copy of ``rardocs/`` and the default ``templates/`` as they are now.

    Other people may be editing the working tree while a run lasts; fuzzing a
    copy keeps one run about one version of the code.
    """
    code = scratch / "code"
    shutil.copytree(REPO / "rardocs", code / "rardocs", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", code / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    return code


def use_code(code: Path | None) -> None:
    """Import rardocs from ``code`` (a snapshot) rather than from the working tree."""
    if code is not None:
        sys.path.insert(0, str(code))
        assert "rardocs" not in sys.modules, "rardocs was imported before choosing its copy"


def preflight(roots: dict[str, Path], timeout: float) -> list[str]:
    """Problems building the unmutated projects: with any, a run would only find those."""
    problems = []
    for name, root in roots.items():
        item = next((root / "content").glob("*/*/*.md")).relative_to(root).as_posix()
        result = run_case(root, item, (root / item).read_bytes(), timeout)
        if result["outcome"] != "0":
            tail = (result["traceback"] or result["stderr"]).strip().splitlines()[-3:]
            problems.append(f"{name}: {result['outcome']}: " + " / ".join(tail))
    return problems


def _worker(conn, timeout: float, code: Path | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    use_code(code)
    with tempfile.TemporaryDirectory(prefix="rardocs-fuzz-") as scratch:
        roots = prepare(Path(scratch))
        preflight(roots, 600.0)  # imports everything, so that no case's time goes on imports
        while True:
            task = conn.recv()
            if task is None:
                return
            project, path, data = task
            conn.send(run_case(roots[project], path, data, timeout))


class Worker:
    def __init__(self, context, timeout: float, code: Path | None):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, timeout, code), daemon=True)
        self.process.start()
        child.close()
        self.case: Case | None = None
        self.started = 0.0
        self.done = 0

    def give(self, case: Case) -> None:
        self.case, self.started = case, time.monotonic()
        self.conn.send((case.project, case.path, case.data))

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def run(cases, jobs: int, timeout: float, code: Path | None, report) -> None:
    """Run ``cases`` on ``jobs`` worker processes importing rardocs from ``code``; ``report(case, result)`` for each."""
    context = multiprocessing.get_context("spawn")
    pending = iter(cases)
    waiting = next(pending, None)
    workers = [Worker(context, timeout, code) for _ in range(jobs)]
    # The alarm inside a worker ends most hangs; the parent kills a worker stuck where it cannot.
    hard = timeout + 15
    try:
        while waiting is not None or any(w.case for w in workers):
            for i, w in enumerate(workers):
                if w.case is None and w.done >= CASES_PER_WORKER:
                    w.stop()
                    w = workers[i] = Worker(context, timeout, code)
                if w.case is None and waiting is not None:
                    w.give(waiting)
                    waiting = next(pending, None)
            busy = [w for w in workers if w.case]
            ready = wait([w.conn for w in busy], timeout=1.0)
            for i, w in enumerate(workers):
                if w.case is None:
                    continue
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        w.process.join(1)
                        result = {"outcome": "crash", "traceback": f"worker exit code {w.process.exitcode}",
                                  "stdout": "", "stderr": "", "seconds": time.monotonic() - w.started}
                        report(w.case, result)
                        workers[i] = Worker(context, timeout, code)
                        continue
                    report(w.case, result)
                    w.case, w.done = None, w.done + 1
                    if result["outcome"] == "timeout":  # interrupted anywhere, the interpreter is suspect
                        w.stop()
                        workers[i] = Worker(context, timeout, code)
                elif time.monotonic() - w.started > hard:
                    w.process.kill()
                    w.process.join()
                    result = {"outcome": "timeout", "traceback": f"killed after {hard:.0f} s (the alarm did not stop it)",
                              "stdout": "", "stderr": "", "seconds": time.monotonic() - w.started}
                    report(w.case, result)
                    workers[i] = Worker(context, timeout, code)
    finally:
        for w in workers:
            if w.case is None:
                w.stop()
            else:
                w.process.kill()
                w.process.join()


# -- findings ---------------------------------------------------------------------------------


def _shown(path: Path) -> str:
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.as_posix()


def save_finding(case: Case, result: dict) -> Path:
    FINDINGS.mkdir(parents=True, exist_ok=True)
    ignore = FINDINGS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Written by benchmarks/fuzz.py: reproducers, not source.\n*\n", encoding="utf-8")
    folder = FINDINGS / case.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    name = Path(case.path).name
    (folder / name).write_bytes(case.data)
    (folder / "traceback.txt").write_text(result.get("traceback") or "", encoding="utf-8", errors="replace")
    (folder / "output.txt").write_text(f"--- stdout\n{result.get('stdout', '')}\n--- stderr\n{result.get('stderr', '')}",
                                       encoding="utf-8", errors="replace")
    meta = {"seed": case.seed, "case": case.number, "project": case.project, "path": case.path, "steps": case.steps,
            "outcome": result["outcome"], "signature": signature(result), "seconds": round(result["seconds"], 2),
            "replay": f"python benchmarks/fuzz.py --replay {_shown(folder)}"}
    (folder / "case.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def minimize(root: Path, path: str, data: bytes, wanted: str, timeout: float, budget: float = 120.0) -> bytes:
    """The smallest ``data`` found (removing lines, then characters) that still gives the finding ``wanted``."""
    deadline = time.monotonic() + budget

    def fails(candidate: bytes) -> bool:
        return time.monotonic() < deadline and signature(run_case(root, path, candidate, timeout)) == wanted

    for unit in ("lines", "bytes"):
        parts = data.split(b"\n") if unit == "lines" else [bytes([b]) for b in data]
        joiner = b"\n" if unit == "lines" else b""
        chunk = max(1, len(parts) // 2)
        while chunk >= 1 and time.monotonic() < deadline:
            i, changed = 0, False
            while i < len(parts) and time.monotonic() < deadline:
                candidate = parts[:i] + parts[i + chunk:]
                if candidate != parts and fails(joiner.join(candidate)):
                    parts, changed = candidate, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        data = joiner.join(parts)
    return data


def replay(folder: Path, timeout: float) -> int:
    meta = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    name = Path(meta["path"]).name
    data = (folder / f"minimized-{name}").read_bytes() if (folder / f"minimized-{name}").exists() else (folder / name).read_bytes()
    with tempfile.TemporaryDirectory(prefix="rardocs-fuzz-") as scratch:
        roots = prepare(Path(scratch))
        result = run_case(roots[meta["project"]], meta["path"], data, timeout)
    print(f"{meta['project']}:{meta['path']} ({len(data)} bytes) -> {result['outcome']} in {result['seconds']:.2f} s")
    print(result["stderr"][-3000:])
    print(result["traceback"])
    return 0 if result["outcome"] in ("0", "1", "2") else 1


def fuzz(args, seed: int, files, numbers, code: Path | None):
    """Run the cases; return the counts per outcome, the findings, the time per case and the total time."""
    counts: Counter[str] = Counter()
    findings: list[tuple[Case, dict]] = []
    times: list[tuple[float, Case]] = []
    start = time.monotonic()

    def report(case: Case, result: dict) -> None:
        counts[result["outcome"]] += 1
        times.append((result["seconds"], case))
        if result["outcome"] not in ("0", "1", "2"):
            findings.append((case, result))
            folder = save_finding(case, result)
            print(f"  case {case.number}: {signature(result)} -> {_shown(folder)}", flush=True)
        elif args.case:
            print(f"  case {case.number}: exit {result['outcome']} in {result['seconds']:.2f} s\n"
                  f"    {case.project}:{case.path}\n    " + "\n    ".join(case.steps) + "\n" + result["stderr"][-2000:])
        done = sum(counts.values())
        if done % 100 == 0:
            print(f"  {done}/{len(numbers)} after {time.monotonic() - start:.0f} s", flush=True)

    try:
        run((make_case(seed, n, files) for n in numbers), args.jobs, args.timeout, code, report)
    except KeyboardInterrupt:
        print("interrupted; the summary covers the cases run", flush=True)
    return counts, findings, times, time.monotonic() - start


def shrink(findings, roots: dict[str, Path], args) -> None:
    """Write ``minimized-<name>`` for the first case of every distinct exit-3 or exception finding."""
    done: set[str] = set()
    for case, result in findings:
        wanted = signature(result)
        if result["outcome"] not in ("exit3", "exception") or wanted in done:
            continue
        done.add(wanted)
        small = minimize(roots[case.project], case.path, case.data, wanted, args.timeout, args.minimize_seconds)
        (FINDINGS / case.name / f"minimized-{Path(case.path).name}").write_bytes(small)
        print(f"  shrank case {case.number} from {len(case.data)} to {len(small)} bytes", flush=True)


def summary(counts, findings, times, elapsed: float, seed: int, jobs: int) -> None:
    print(f"\n{sum(counts.values())} cases in {elapsed:.0f} s (seed {seed}, {jobs} jobs)")
    for outcome in ("0", "1", "2", *FINDING_KINDS):
        label = f"exit {outcome}" if outcome.isdigit() else outcome
        print(f"  {label:16} {counts[outcome]}")
    slowest = sorted(times, key=lambda t: -t[0])[:3]
    print("  slowest cases: " + ", ".join(f"{c.name} ({s:.1f} s)" for s, c in slowest))
    if not findings:
        print("\nno findings")
        return
    groups = Counter(signature(r) for _, r in findings)
    print(f"\n{len(findings)} findings, {len(groups)} distinct (saved in {_shown(FINDINGS)}/):")
    for sig, n in groups.most_common():
        cases = [c for c, r in findings if signature(r) == sig]
        first = next(r for _, r in findings if signature(r) == sig)
        print(f"  {n:4} x {sig}\n       {exception_line(first.get('traceback') or '')[:160]}\n       cases: "
              + ", ".join(c.name for c in cases[:8]) + (" …" if len(cases) > 8 else ""))


def main() -> int:
    global FINDINGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--count", type=int, default=2000, help="number of mutated files to build (default 2000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a case counts as a hang (default 20)")
    parser.add_argument("--case", type=int, action="append", help="run only this case number of --seed (repeatable)")
    parser.add_argument("--replay", type=Path, help="build a saved finding (its minimized file if any) with the "
                                                    "working tree's rardocs and print the outcome")
    parser.add_argument("--live", action="store_true", help="import rardocs from the working tree during the run "
                                                           "(default: from a copy taken at the start)")
    parser.add_argument("--findings", type=Path, default=FINDINGS, help="where findings are saved "
                                                                        "(default benchmarks/fuzz-findings)")
    parser.add_argument("--no-minimize", action="store_true", help="do not shrink the files of exit-3 findings")
    parser.add_argument("--minimize-seconds", type=float, default=120.0, help="time spent shrinking each distinct bug")
    args = parser.parse_args()
    FINDINGS = args.findings.resolve()
    if args.replay:
        return replay(args.replay, args.timeout)
    if args.case and args.seed is None:
        parser.error("--case needs --seed")
    seed = args.seed if args.seed is not None else int(time.time())
    files = sources()
    numbers = args.case or range(args.count)
    with tempfile.TemporaryDirectory(prefix="rardocs-fuzz-") as scratch:
        code = None if args.live else snapshot(Path(scratch))
        use_code(code)
        roots = prepare(Path(scratch))
        problems = preflight(roots, max(args.timeout, 60.0))
        if problems:
            print("rardocs does not build the unmutated projects; fuzzing would only find that:\n  "
                  + "\n  ".join(problems), file=sys.stderr)
            return 2
        print(f"fuzzing {len(numbers)} cases, seed {seed}, {args.jobs} jobs, timeout {args.timeout:.0f} s, "
              f"{len(files)} source files, rardocs from {'the working tree' if code is None else 'a copy taken now'}",
              flush=True)
        counts, findings, times, elapsed = fuzz(args, seed, files, numbers, code)
        if findings and not args.no_minimize:
            shrink(findings, roots, args)
    summary(counts, findings, times, elapsed, seed, args.jobs)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
