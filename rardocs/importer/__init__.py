"""``rardocs import``: a published referat or dagsorden (``.docx``, ``.pdf`` or its
extracted ``.txt``) into a new meeting folder of the archive.

The stages: a reader (:mod:`.word`, :mod:`.pdf`, :func:`.lines.read_text`) gives the
input's blocks or lines; :mod:`.lines` cleans a page's lines into blocks;
:mod:`.structure` recognises the meeting in the blocks; :mod:`.files` writes it as
the archive's files. Nothing of the input is dropped silently: every line reaches the
content or ``import-rapport.txt`` in the new folder, which also says what was guessed
and what ``rardocs check`` finds to fix.

The meeting's date is the one the document gives (its "Tid:" line, title or running
header); ``--date`` wins over it, and without either the file's name is used
(``2022-09-29 Referat.pdf``). A meeting folder that exists is never written into.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content.archive import shown_path
from ..errors import ContentError, Problem
from ..model import Numbering
from ..scaffold import write_folder
from ..sources import COUNCIL_FILE, IMPORT_REPORT, MEETING_FILE
from . import files
from .blocks import Block, ImportFault
from .lines import SetAside, mark_text_artefacts, read_text, to_blocks
from .structure import Meeting, recognise

SUFFIXES = (".docx", ".pdf", ".txt")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\((\S+?)\)")


@dataclass
class Imported:
    """What an import made: the new folder, its files, the share of the input's words
    that reached the content, and the problems ``rardocs check`` found."""

    folder: Path
    written: list[Path]
    share: float
    items: int
    problems: list[Problem] = field(default_factory=list)
    extended: Path | None = None  # the council's council.yaml, when members were added to it


def import_meeting(root: Path, council: str, source: Path, date: dt.date | None = None) -> Imported:
    """Import ``source`` as a meeting of ``council`` under ``root/content`` (see the module)."""
    if not _SLUG.match(council):
        raise ImportFault(f"rådets mappenavn '{council}' må kun have små bogstaver a-z, tal og bindestreger "
                          "(fx rar-oestjylland)")
    if not source.is_file():
        raise ImportFault(f"{source}: filen findes ikke")
    suffix = source.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFault(f"{source.name}: kan ikke importeres; rardocs læser .docx, .pdf og .txt")
    blocks, set_aside, input_text = _read(source, suffix)
    meeting = recognise(blocks, set_aside)
    if not meeting.items:
        raise ImportFault(f"{source.name}: der er ingen dagsordenspunkter i filen (et punkt begynder med sit nummer "
                          "og slutter med kategorien i parentes, fx '2.1 Positivlisten (B)')")
    guesses: list[str] = []
    _settle_date(meeting, source, date, guesses)
    council_folder = root / "content" / council
    _not_a_typo(root / "content", council)
    folder = council_folder / meeting.date.isoformat()
    if folder.exists():
        raise ImportFault(f"mødet findes allerede: {shown_path(folder, root)}; flyt eller slet mappen, hvis det skal "
                          "importeres igen")
    sections = _sections(meeting, guesses)
    council_file = council_folder / COUNCIL_FILE
    council_text, pattern, names, new_entries = _council(meeting, council, council_file, source, guesses)
    item_texts = files.item_files(meeting, pattern)
    meeting_text = files.meeting_file(meeting, names, source.name, sections)
    # The content is the meeting's files and the council's (the attendance's groups stand there).
    council_words = council_text if council_text is not None else (
        council_file.read_text(encoding="utf-8-sig") if council_file.is_file() else "")
    written_words = Counter(files.words("\n".join([meeting_text, *item_texts.values(), council_words])))
    wanted = Counter(files.words(input_text))
    reached = sum(min(count, written_words[word]) for word, count in wanted.items())
    share = reached / max(1, sum(wanted.values()))

    try:
        written = write_folder(folder, {MEETING_FILE: meeting_text, **item_texts})
    except OSError as exc:
        raise ImportFault(f"{shown_path(folder, root)} kan ikke skrives ({exc.strerror or exc})") from None
    extended = council_file if council_text is not None and council_file.is_file() else None
    if council_text is not None:
        _replace(council_file, council_text)
        written.insert(0, council_file)
    problems = _check(root, folder)
    report = _report(source, meeting, set_aside, guesses, share, problems, root, folder, new_entries)
    (folder / IMPORT_REPORT).write_text(report, encoding="utf-8")
    written.append(folder / IMPORT_REPORT)
    return Imported(folder, written, share, len(meeting.items), problems, extended)


def _read(source: Path, suffix: str) -> tuple[list[Block], list[SetAside], str]:
    """The blocks of ``source``, what was set aside on the way, and the input's text (for counting words)."""
    if suffix == ".docx":
        from .word import read_docx

        blocks = read_docx(source)
        return blocks, [], "\n".join(_visible(b.words()) for b in blocks)
    if suffix == ".pdf":
        from .pdf import read_pdf

        lines = read_pdf(source)
    else:
        lines = read_text(source)
    if not lines:
        raise ImportFault(f"{source.name}: filen har ingen tekst")
    mark_text_artefacts(lines)
    blocks, set_aside = to_blocks(lines)
    return blocks, set_aside, "\n".join(_visible(line.text) for line in lines)


def _visible(text: str) -> str:
    """``text`` as the document shows it: a link's text without its address."""
    return _LINK.sub(r"\1", text)


def _settle_date(meeting: Meeting, source: Path, date: dt.date | None, guesses: list[str]) -> None:
    found = meeting.date
    if date is not None:
        if found and found != date:
            guesses.append(f"Dokumentet siger {found.isoformat()} ({meeting.date_from}); --date {date.isoformat()} "
                           "er brugt.")
        meeting.date = date
        return
    if found:
        guesses.append(f"Mødets dato {found.isoformat()} er fundet i dokumentet ({meeting.date_from}).")
        return
    named = re.search(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", source.name)
    if named:
        try:
            meeting.date = dt.date(*(int(part) for part in named.groups()))
        except ValueError:
            meeting.date = None
        if meeting.date:
            guesses.append(f"Mødets dato står ikke i dokumentet; {meeting.date.isoformat()} er taget fra filens navn.")
            return
    raise ImportFault(f"{source.name}: mødets dato står ikke i dokumentet; angiv den med --date ÅÅÅÅ-MM-DD")


def _not_a_typo(content: Path, council: str) -> None:
    """A council that does not exist is made, unless its name is one letter or so from
    one that does (``rar-oestjyland``): then the user surely meant that one."""
    if (content / council).is_dir():
        return
    existing = [p.name for p in content.iterdir() if p.is_dir() and not p.name.startswith(".")]
    close = difflib.get_close_matches(council, existing, n=1, cutoff=0.9)
    if close:
        raise ImportFault(f"rådet '{council}' findes ikke under content/; mente du '{close[0]}'? (Et nyt råd med "
                          f"et navn så tæt på: opret først mappen content/{council})")


def _sections(meeting: Meeting, guesses: list[str]) -> dict[str, str]:
    """Every section of the items, with its title (guessed when the document has none)."""
    sections: dict[str, str] = {}
    for item in meeting.items:
        if item.section in sections:
            continue
        title = meeting.sections.get(item.section)
        if not title:
            titles = [i.title for i in meeting.items if i.section == item.section]
            prefixes = {t.split(":", 1)[0].strip() for t in titles if ":" in t}
            if len(prefixes) == 1 and all(":" in t for t in titles) and len(next(iter(prefixes))) <= 40:
                title = next(iter(prefixes))
            else:
                title = f"Afsnit {item.section}"
            guesses.append(f"Afsnit {item.section} har ingen overskrift i dokumentet; titlen '{title}' er gættet "
                           "(ret den i meeting.yaml).")
        sections[item.section] = title
    for number in meeting.sections:
        sections.setdefault(number, meeting.sections[number])
    return dict(sorted(sections.items(), key=lambda pair: int(pair[0]) if pair[0].isdigit() else 999))


def _council(meeting: Meeting, slug: str, council_file: Path, source: Path, guesses: list[str]):
    """The council file's new text (``None``: left as it is), the numbering in force,
    the attendees' names as the council writes them, and the members added."""
    people = meeting.present + meeting.absent
    if council_file.is_file():
        text = council_file.read_text(encoding="utf-8-sig")
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError:
            raise ImportFault(f"{council_file.name} kan ikke læses (YAML-fejl); kør rardocs check og ret den først") \
                from None
        members = [m.get("name") for m in data.get("members", []) or [] if isinstance(m, dict) and m.get("name")]
        numbering = data.get("numbering") or {}
        pattern = {"item": numbering.get("item", Numbering.item), "bilag": numbering.get("bilag", Numbering.bilag)}
        if numbering.get("lone_bilag"):
            pattern["lone_bilag"] = numbering["lone_bilag"]
        found = files.numbering(meeting)
        if found["item"] != pattern["item"]:
            guesses.append(f"Dokumentet nummererer punkterne som {found['item']}, rådet som {pattern['item']}: "
                           "punkterne har fået numre efter rådets mønster.")
        names, close = files.match_members(people, members)
        for written, member in close:
            guesses.append(f"'{written}' er taget som rådets medlem '{member}' (council.yaml).")
        unknown = [a for a in _unique(people) if names[a.name] not in members]
        if not unknown:
            return None, pattern, names, []
        entries = files.member_entries(unknown)
        return files.extend_council(text, entries, source.name), pattern, names, entries
    pattern = files.numbering(meeting)
    names = {a.name: a.name for a in people}
    entries = files.member_entries(_unique(people))
    name = _council_name(meeting, slug)
    guesses.append(f"Rådet havde ingen council.yaml: den er oprettet med navnet '{name}', nummereringen "
                   f"{pattern['item']} og deltagerne som medlemmer (ret roller og organisationer efter behov).")
    return files.new_council(name, pattern, meeting.grouping, entries, meeting.lone_member), pattern, names, entries


def _unique(people):
    seen, result = set(), []
    for person in people:
        if person.name not in seen:
            seen.add(person.name)
            result.append(person)
    return result


def _council_name(meeting: Meeting, slug: str) -> str:
    name = meeting.council_name
    if name:
        name = re.sub(r"\s+møde.*$", "", name).strip()
        if name.endswith("s") and not name.endswith("ss"):
            stem = name[:-1]
            if re.match(r"^RAR\s", stem):
                name = stem
        return name
    return slug.replace("-", " ").upper() if slug.startswith("rar-") else slug


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _check(root: Path, folder: Path) -> list[Problem]:
    """What ``rardocs check`` finds wrong in the imported meeting (and its council)."""
    from ..content import read_archive
    from ..validate import validate

    try:
        _, warnings = validate(read_archive(root))
        problems = warnings
    except ContentError as exc:
        problems = exc.problems
    council = folder.parent.name
    return [p for p in problems if f"/{council}/" in f"/{p.path}"]


def _report(source: Path, meeting: Meeting, set_aside: list[SetAside], guesses: list[str], share: float,
            problems: list[Problem], root: Path, folder: Path, new_entries: list[dict]) -> str:
    out = [f"Import af {source.name} til {shown_path(folder, root)}",
           f"{len(meeting.items)} punkter, {len(meeting.present)} deltagere"
           f"{f', {len(meeting.absent)} med afbud' if meeting.absent else ''}; "
           f"{percent(share)} af ordene i filen står i indholdet.", ""]
    out.append("GÆTTET – se efter, om det er rigtigt:")
    lines = list(guesses)
    if new_entries:
        lines.append("Tilføjet til council.yaml: " + ", ".join(e["name"] for e in new_entries) + ".")
    lines += [f"{a.where}: {a.why}: {a.text}" for a in set_aside if a.guessed]
    out += [f"- {line}" for line in lines] or ["- intet"]
    out += ["", "BRUGT TIL MØDETS OPLYSNINGER ELLER LAVES AF RARDOCS – ikke tekst i et punkt:"]
    out += [f"- {a.where}: {a.why}: {a.text}" for a in set_aside if a.placed and not a.guessed] or ["- intet"]
    out += ["", "IKKE PLACERET – står ikke i indholdet:"]
    unplaced = [a for a in set_aside if not a.placed]
    out += [f"- {a.where}: {a.why}: {a.text}" for a in unplaced] or ["- intet"]
    out += ["", "RET DETTE (rardocs check):" if problems else "rardocs check: mødet er i orden."]
    out += [f"- {problem}" for problem in problems]
    return "\n".join(out) + "\n"


def percent(share: float) -> str:
    """``97,4 %``: a share as a Danish percentage."""
    return f"{share * 100:.1f}".replace(".", ",") + " %"
