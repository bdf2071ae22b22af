"""Lines of a page (a PDF's, or its extracted text's) into blocks: the page's artefacts
set aside, the lines re-flowed into paragraphs and list entries.

The rules, in the order they apply:

- A line the reader marked as an artefact (a running header or footer, a page
  number, a table's repeated header row) is set aside for the report. In a ``.txt``
  without pages, a line such as "Referat af RAR Østjyllands møde den 29. september
  2022" below the document's top, and a number alone between blank lines, are the
  page's header and number.
- A line that only repeats an address given earlier (the footnotes of a PDF made from
  Word) is set aside too.
- In an attendance list (after "Medlemmer:", "Fra FH:" and the like), each line is a
  block of its own: a name.
- A new block begins at a bullet (``-``, ``•``, ``–``, or a private-use character that a
  Word symbol bullet becomes, such as ````), at ``a.``, ``A)``, ``1.`` and their kin
  (not at a date such as "1. oktober"), at a field label ("Beslutning:"), at an item's
  or section's heading, and after a blank line unless the text plainly goes on (the
  line before ends without a full stop, colon or the like, and the next begins in
  lower case).
- Lines of one block are joined with a space; a word broken at the line's end with a
  hyphen is joined without it ("beskæftigelses-" + "planer"), except after one or two
  letters or an abbreviation in capitals ("a-kasser", "FH-siden"), where the document
  writes the word with its hyphen elsewhere and never without ("dagpenge-modtagere"),
  and in a web address, which is joined as it is. A link whose text goes on over the line's end
  (``[Midtvejsevaluering af a-](u) [kasseforsøg](u)``) is one link, its two parts
  joined as two lines are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .blocks import Block, ImportFault, Line

#: Bullets as they come out of PDFs: symbol-font bullets land in the private-use area.
BULLETS = "•▪‣◦●○■□➢➤✓-–—*"
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_BULLET = re.compile(rf"^(?:[\ue000-\uf8ff]|[{re.escape(BULLETS)}])(?:\s+|$)")
_ENUMERATOR = re.compile(r"^(?:(\d{1,2})|([a-zA-Z]))([.)])\s+(?=\S)")
_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")
_RUNNING_HEAD = re.compile(r"^(?:referat|dagsorden)\b.{0,80}\bmøde\b.{0,40}\b(?:19|20)\d\d\b\s*(?:side\s*)?\d{0,3}$",
                           re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:side\s+)?-?\s*\d{1,3}\s*-?(?:\s*(?:af|/)\s*\d{1,3})?$", re.IGNORECASE)
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_ENDS = (".", ":", "!", "?", ";", ")", "”", '"', "»")

#: The field labels a referat writes before a field's text ("Sagen kort: …"); these and
#: the meeting's facts ("Tid:", "Sted:", "Mødet sluttede kl. …") and the attendance
#: list's headings ("Medlemmer:", "Fra FH:") begin a block.
LABELS = ("Sagen kort", "Indstilling", "Beslutning", "Sagsfremstilling", "Videre proces", "Baggrund", "Bilag")
_LABEL = re.compile(rf"^(?:{'|'.join(LABELS)}|Tid|Tidspunkt|Dato|Sted|Mødested|Mødeleder|Ordstyrer|Afbud|"
                    r"Fraværende|Mødet sluttede)\s*:?\s"
                    r"|^(?:Fra [^:.]{1,60}|Medlemmer|Suppleanter|Tilforordnede|Baglandsrepræsentanter|På mødet deltog"
                    r"|Deltagere|Til stede)\s*:")
#: The headings of an attendance list: after one, each line is a name (or another heading).
_PEOPLE = re.compile(r"^(?:Fra [^:.]{1,60}|Medlemmer|Suppleanter|Tilforordnede|Baglandsrepræsentanter|"
                     r"På mødet deltog|Deltagere|Til stede|Afbud)\s*:")
#: "2.1 Titel (B)", "- 2.1. Titel (O)", "2.1.1 Titel (Oplæg + D)"; "1. RAR’s interne forhold".
ITEM_HEADING = re.compile(r"^(?:[-–•]\s*)?(\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+(\S.*)$")
SECTION_HEADING = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
#: The category closing an item's heading: "(B)", "(B + oplæg)", "(Oplæg + D)", "(Lukket punkt)".
CATEGORY = re.compile(r"\(\s*(?:[^()]*\b[BODbod]\b[^()]*|[^()]*\blukket\b[^()]*)\)\s*$", re.IGNORECASE)
#: Abbreviations a line may end with, in the middle of a sentence.
ABBREVIATIONS = ("vedr.", "bl.a.", "f.eks.", "jf.", "mv.", "m.fl.", "pr.", "ca.", "inkl.", "ekskl.", "evt.", "nr.",
                  "kl.", "d.", "dvs.", "iht.", "ift.", "eks.", "mht.", "st.", "tlf.")


@dataclass
class SetAside:
    """A line of the input and what became of it, for the report: set aside (``placed``
    false: it reached no content), or placed by a guess or as one of the meeting's facts."""

    where: str
    text: str
    why: str
    placed: bool = False
    guessed: bool = False  # placed by a guess the user should look at


def read_text(path: Path) -> list[Line]:
    """The lines of a ``.txt`` (UTF-8, with or without BOM, or Windows-1252); a form feed
    begins a page."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFault(f"{path.name}: filen kan ikke læses ({exc.strerror or exc})") from None
    if b"\0" in data[:4096]:
        raise ImportFault(f"{path.name}: filen er ikke tekst; importér en .docx, .pdf eller .txt")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise ImportFault(f"{path.name}: filen er tom")
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    lines: list[Line] = []
    number = 0
    for page_index, page in enumerate(pages):
        blank = False
        for raw in page.split("\n"):
            number += 1
            if not raw.strip():
                blank = True
                continue
            indent = len(raw) - len(raw.lstrip(" \t"))
            lines.append(Line(raw.strip(), number, page_index + 1 if len(pages) > 1 else 0, float(indent),
                              gap_before=blank))
            blank = False
    return lines


def mark_text_artefacts(lines: list[Line]) -> None:
    """Mark the running headers and page numbers of a text without pages (see the module)."""
    for index, line in enumerate(lines):
        if line.artefact:
            continue
        if index >= 5 and _RUNNING_HEAD.match(line.text):
            line.artefact = "sidehoved"
        elif _PAGE_NUMBER.match(line.text) and _alone(lines, index):
            line.artefact = "sidetal"


def _alone(lines: list[Line], index: int) -> bool:
    """A line with a blank line (or the input's edge) before and after it."""
    after = lines[index + 1] if index + 1 < len(lines) else None
    before_header = index > 0 and lines[index - 1].artefact == "sidehoved"
    return (lines[index].gap_before or before_header) and (after is None or after.gap_before)


def clean(text: str) -> str:
    """A line's text without the PDF's leftovers: soft hyphens, odd spaces, ligatures."""
    text = unicodedata.normalize("NFC", text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u2009", " "))
    text = text.replace("ﬁ", "fi").replace("ﬂ", "fl").replace("ﬀ", "ff")
    return re.sub(r"[ \t]+", " ", text).strip()


def to_blocks(lines: list[Line]) -> tuple[list[Block], list[SetAside]]:
    """The blocks of ``lines`` and what was set aside (see the module)."""
    vocabulary = {word.lower() for line in lines for word in re.findall(r"\w+(?:-\w+)*", line.text)}
    set_aside: list[SetAside] = []
    blocks: list[Block] = []
    seen_urls: set[str] = set()
    current: Block | None = None
    current_line: Line | None = None
    bullet = ""  # the character the current list entry began with
    people = False  # in an attendance list: a line each name
    list_indents: list[float] = []
    for index, line in enumerate(lines):
        if line.artefact:
            set_aside.append(SetAside(line.where, line.text, line.artefact))
            continue
        text = clean(line.text)
        if not text:
            continue
        if line.cells is not None:
            cells = [clean(c) for c in line.cells]
            if current is not None and current.kind == "table" and current_line is not None and current_line.cells is not None:
                current.rows.append(cells)
            else:
                current = Block("table", where=line.where, rows=[cells])
                blocks.append(current)
            current_line = line
            continue
        if _URL.match(text) and _url_key(text) in seen_urls and current is not None and not _open_url(current):
            set_aside.append(SetAside(line.where, text, "gentaget adresse (fodnote)"))
            continue
        marker, rest = marker_of(text)
        if (marker == "-" and text[:1] in "-–—" and not line.gap_before and current is not None
                and (current.kind == "para" or current.kind == "list" and bullet != text[:1])
                and not current.text.endswith(_ENDS) and current_line is not None
                and len(clean(current_line.text)) >= 60 and line.indent >= current_line.indent - 1):
            # A dash that a line break put first, after a full line ("… arbejdskraft" / "- særligt
            # …"); not in a list of dashes, where it is the next entry.
            marker = None
        numbered = SECTION_HEADING.match(text) and not _is_date(text)
        if numbered:  # a section's heading or a numbered list's entry: the structure decides
            marker, rest = None, text
        labelled = bool(_LABEL.match(text) or _starts_heading(lines, index))
        if _PEOPLE.match(text):
            people = True
        elif labelled:
            people = False
        starts = (marker is not None or numbered or people or labelled
                  or current is None or current.kind == "table" or _heading_line(current.text)
                  or (line.gap_before and not _goes_on(current.text, current_line, text)))
        if not starts and current is not None:
            current.text = join(current.text, text, vocabulary)
        else:
            if marker is not None:
                level = _level(list_indents, line.indent) if current is not None and current.kind == "list" else 0
                if level == 0:
                    list_indents[:] = [line.indent]
                current = Block("list", rest, line.where, level=level, marker=marker)
                bullet = text[:1]
            else:
                current = Block("para", text, line.where)
                list_indents.clear()
            blocks.append(current)
        current_line = line
        # The block's addresses as joined so far (an address broken over lines counts whole).
        seen_urls.update(_url_key(url) for url in re.findall(r"https?://\S+", current.text))
    for block in blocks:
        if block.kind != "table":
            block.text = merge_links(block.text)
    return blocks, set_aside


_LINK_TEXT = r"\[((?:[^\]\\]|\\.)*)\]"
_LINK_ADDRESS = r"\(((?:[^()\s]|\([^()\s]*\))+)\)"
_SAME_LINKS = re.compile(rf"{_LINK_TEXT}{_LINK_ADDRESS} {_LINK_TEXT}\(\2\)")


def merge_links(text: str) -> str:
    """Links to one address next to each other (a link's text broken over two lines of a
    PDF: ``[… a-](u) [kasseforsøg …](u)``) as one link, its texts joined as two lines are
    (:func:`join`: ``[… a-kasseforsøg …](u)``)."""
    while match := _SAME_LINKS.search(text):
        merged = f"[{join(match.group(1), match.group(3))}]({match.group(2)})"
        text = text[:match.start()] + merged + text[match.end():]
    return text


def _level(indents: list[float], indent: float) -> int:
    """A list entry's depth from its indent against the entries before it."""
    while indents and indent < indents[-1] - 1.5:
        indents.pop()
    if not indents:
        indents.append(indent)
        return 0
    if indent > indents[-1] + 1.5:
        indents.append(indent)
    return len(indents) - 1


def marker_of(text: str) -> tuple[str | None, str]:
    """The list marker ``text`` begins with (``-``, or the letter or number as written:
    ``C)`` continues a list whose ``A)`` and ``B)`` came before), and the text after it."""
    bullet = _BULLET.match(text)
    if bullet and not text.startswith(("--", "—")):
        rest = text[bullet.end():].strip()
        if rest and not ITEM_HEADING.match(text):
            return "-", rest
    enumerator = _ENUMERATOR.match(text)
    if enumerator and not _is_date(text) and not ITEM_HEADING.match(text):
        digits, letter, close = enumerator.groups()
        if digits:
            return f"{int(digits)}{close}", text[enumerator.end():]
        if len(text) > enumerator.end():
            return f"{letter}{close}", text[enumerator.end():]
    return None, text


def _is_date(text: str) -> bool:
    """"1. oktober 2022 …": a date, not a list entry or a heading."""
    match = re.match(r"^\d{1,2}\.\s+(\w+)", text)
    return bool(match and match.group(1).lower() in _MONTHS)


def _heading_line(text: str) -> bool:
    """An item's whole heading: its number, title and category in parentheses."""
    return bool(ITEM_HEADING.match(text) and CATEGORY.search(text))


def _starts_heading(lines: list[Line], index: int) -> bool:
    """Whether ``lines[index]`` begins an item's heading: a number such as ``2.1`` and,
    on it or one of the next two lines, the category in parentheses ("0.2.1 Heri er …"
    in a paragraph is a bilag's number, not a heading)."""
    if not ITEM_HEADING.match(clean(lines[index].text)):
        return False
    text = ""
    for line in lines[index:index + 3]:
        text = f"{text} {clean(line.text)}"
        if CATEGORY.search(text):
            return True
        if text.rstrip().endswith((".", ":")):
            return False
    return False


def _goes_on(before: str, last: Line | None, after: str) -> bool:
    """Whether ``after``, after a blank line, still belongs to the text ``before``."""
    if not before:
        return False
    if before.endswith("-") or _open_url_text(before):
        return True
    if before.lower().endswith(ABBREVIATIONS) and after[:1].islower():
        return True
    if before.endswith(_ENDS):
        return False
    # After a line as long as a wrapped one, the text goes on; after a short one (a
    # heading of its own?) only what begins in lower case.
    wrapped = last is not None and len(clean(last.text)) >= 60
    return after[:1].islower() or (after[:1].isdigit() and not marker_of(after)[0]) or wrapped


def _open_url(block: Block) -> bool:
    return _open_url_text(block.text)


def _open_url_text(text: str) -> bool:
    """Whether ``text`` ends in a web address broken at the line's end."""
    last = text.rsplit(" ", 1)[-1]
    return bool(re.match(r"^(?:https?://|www\.)", last, re.IGNORECASE)) and last.endswith(("-", "/", "_", "=", "&", "?"))


def _url_key(url: str) -> str:
    return re.sub(r"(%20|\s)", "", url).rstrip("/.,)").lower().removeprefix("https://").removeprefix("http://")


_ADDRESS_PART = re.compile(r"^[\w%./?=&#~:+-]+$")
_FILE_NAME = re.compile(r"^[\w-]*\.(?:pdf|docx?|xlsx?|pptx?|html?|aspx|php)\b", re.IGNORECASE)


def _rest_of_address(address: str, first: str) -> bool:
    """Whether ``first``, the next line's first word, goes on the web address a line ended
    with: it has an address's characters (``/``, ``%``, ``?``, ``=``, ``_``, ``&``, ``#``)
    or is a file's name, or the address broke at a hyphen and the word is in lower case.
    A plain word after an address ending in ``/`` is the sentence going on."""
    if not first or not _ADDRESS_PART.match(first):
        return False
    if re.search(r"[/%?=_&#]", first) or _FILE_NAME.match(first):
        return True
    return address.endswith(("-", "_", "=", "&", "?", "%")) and (first[:1].islower() or first[:1].isdigit())


def join(before: str, after: str, vocabulary: set[str] | None = None) -> str:
    """Two lines of one block as one text (see the module for hyphens and addresses).

    A word broken with a hyphen keeps it when ``vocabulary`` (the words the document
    writes within its lines) has it with the hyphen ("dagpenge-modtagere") and not
    without."""
    last = before.rsplit(" ", 1)[-1]
    if re.match(r"^(?:https?://|www\.)", after, re.IGNORECASE):  # a new address (a footnote's), not the rest of one
        return f"{before} {after}"
    if re.match(r"^(?:https?://|www\.)", last, re.IGNORECASE) and _rest_of_address(last, after.partition(" ")[0]):
        return before + after
    if before.endswith("-") and after[:1].isalpha():
        stem = re.search(r"(\w+)-$", before)
        word = stem.group(1) if stem else ""
        if after.split(" ", 1)[0].lower() in ("og", "eller", "til", "samt"):
            return f"{before} {after}"
        if len(word) <= 2 or word.isupper() or word.isdigit() or after[:1].isupper():
            return before + after
        rest = re.match(r"\w+", after)
        whole = f"{word}{rest.group(0) if rest else ''}".lower()
        if vocabulary and f"{word}-{rest.group(0) if rest else ''}".lower() in vocabulary \
                and whole not in vocabulary:
            return before + after
        return before[:-1] + after
    return f"{before} {after}"
