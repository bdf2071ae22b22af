"""Decoding text files as the user's editor saved them, and cleaning pasted text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Problem

# Characters that PDF and Word copy-paste leaves behind.
_BULLETS = "[\uf0a7\uf0b7\uf0d8\uf076\uf0fc\u2022\u25cf\u25aa\u25e6]"
_PDF_BULLET = re.compile(rf"^([ \t]*){_BULLETS}[ \t]*", re.MULTILINE)
_DROP = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C)]
    + list(range(0x7F, 0xA0)) + [0xAD, 0xFEFF, 0xFFFE, 0xFFFF]
    + list(range(0xE000, 0xF900)),
)
_DROP.update({0x0B: " ", 0x0C: "\n"})
# str.translate looks every character up in _DROP (a miss raises and catches KeyError):
# a text none of whose characters is there is left alone after one regex search.
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\ue000-\uf8ff\ufeff\ufffe\uffff]")
_BULLET = re.compile(_BULLETS)
# Only YAML escapes such as "\ud800" make these: a pair written so is one character, a half alone is dropped.
_SURROGATE = re.compile("[\ud800-\udfff]")

#: The warning for a text that :func:`clean` changed.
CLEANED = "usynlige tegn (fx fra PDF eller Word) er fjernet eller erstattet"


@dataclass
class TextFile:
    """A decoded text file: what the user sees as its path, and its text."""

    path: str
    text: str
    problems: list[Problem] = field(default_factory=list)


def read_text(path: Path, shown: str) -> TextFile:
    """Read ``path`` as the user's editor would and return its cleaned text.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such; a file that
    is not UTF-8 is read as Windows-1252 with a warning. Line endings become
    ``\\n``; control characters, soft hyphens and private-use bullets pasted
    from PDFs are cleaned (bullets at a line start become Markdown ``- ``).
    """
    data = path.read_bytes()
    problems: list[Problem] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ContentError([Problem(shown, 1, "filen er gemt som UTF-16 men er ufuldstændig; gem den som UTF-8")]) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ContentError([Problem(shown, line, "filen er ikke gemt som UTF-8 og kan ikke læses; gem den som UTF-8")]) from None
            problems.append(Problem(shown, line, "filen er gemt som Windows-1252 (ANSI) og er læst som sådan; gem den som UTF-8", warning=True))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = clean(text)
    if cleaned != text:
        line = next((n for n, (a, b) in enumerate(zip(text.split("\n"), cleaned.split("\n")), 1) if a != b), 1)
        problems.append(Problem(shown, line, CLEANED, warning=True))
    return TextFile(shown, cleaned, problems)


def clean(text: str) -> str:
    """Remove or replace characters that do not belong in a document's text.

    Control characters (a vertical tab becomes a space, a form feed a line break),
    soft hyphens, private-use characters, U+FFFE, U+FFFF and lone surrogates go;
    a PDF bullet at a line start becomes ``- ``.
    """
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    if _BULLET.search(text):
        text = _PDF_BULLET.sub(r"\1- ", text)
    text = unicodedata.normalize("NFC", text)
    return text.translate(_DROP) if _DROPPED.search(text) else text
