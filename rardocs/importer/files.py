"""A recognised meeting as the archive's files: ``meeting.yaml``, an item file each,
the council's ``council.yaml`` (new, or extended with members it lacks) and the report.

Choices made here:

- an item's file is named by its number and the first words of its title
  (``2.1-justering-af-positivlisten.md``); the number in the name only sorts;
- the council's numbering is read off the document's numbers (``2.1`` or ``2.1.1``
  items, ``2.1.1`` bilag, a lone bilag numbered as its item) and written in a new
  ``council.yaml``; into an existing council, an item or bilag whose number the
  council's numbering would not give gets its ``number:`` written;
- a name in the attendance list that is close to a member of ``council.yaml`` (one
  letter off, a middle name missing) is that member, and the report says so; other
  names are added to ``council.yaml``'s members, which is extended in place after its
  last member (nothing else in it is touched).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import yaml

from .blocks import Block
from .structure import Attendee, Item, Meeting

_SLUG_LETTERS = {"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"}


def markdown(blocks: list[Block]) -> str:
    """The Markdown of a field's blocks: paragraphs apart, a list's entries together,
    letters and numbers counted afresh in each list."""
    out: list[str] = []
    previous: Block | None = None
    counters: dict[int, int] = {}  # per level, the number of the entry written last
    for block in blocks:
        if block.kind == "list":
            in_list = previous is not None and (previous.kind == "list" or previous.continues)
            if not in_list:
                counters.clear()
            if out and not (previous is not None and previous.kind == "list"):
                out.append("")
            for level in [lv for lv in counters if lv > block.level]:
                del counters[level]
            counters[block.level] = counters[block.level] + 1 if block.level in counters else _value(block.marker)
            out.append("    " * block.level + _marker(block.marker, counters[block.level]) + " " + block.text.strip())
        else:
            if out:
                out.append("")
            if block.kind == "table":
                out.extend(_table(block.rows))
            elif block.continues and counters:  # indented under its entry: the list goes on after it
                out.append("    " * (block.level + 1) + _escape(block.text.strip()))
            else:
                out.append(_escape(block.text.strip()))
        previous = block
    return "\n".join(out).strip() + "\n" if out else ""


def _value(marker: str) -> int:
    """The number a list's first marker gives its entry: ``C)`` 3, ``4.`` 4, ``-`` 1."""
    first = marker.rstrip(".)")
    if first.isdigit():
        return int(first)
    if len(first) == 1 and first.isalpha():
        return ord(first.lower()) - ord("a") + 1
    return 1


def _marker(marker: str, count: int) -> str:
    if marker in ("-", "*", "+"):
        return "-"
    close = marker[-1] if marker[-1:] in ".)" else "."
    first = marker[:-1] if marker[-1:] in ".)" else marker
    if first.isdigit():
        return f"{count}{close}"
    letter = chr(ord("A" if first.isupper() else "a") + (count - 1) % 26)
    return f"{letter}{close}"


def _escape(text: str) -> str:
    """A paragraph that Markdown would otherwise read as a list, heading or quote."""
    if re.match(r"^\d+[.)]\s", text):
        return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    if re.match(r"^([-*+]\s|#{1,6}(\s|$)|>|[a-zA-Z][.)]\s)", text):
        return "\\" + text
    return text


def _table(rows: list[list[str]]) -> list[str]:
    width = max(len(row) for row in rows)
    cells = [[c.replace("|", "\\|").strip() for c in row] + [""] * (width - len(row)) for row in rows]
    return (["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
            + ["| " + " | ".join(row) + " |" for row in cells[1:]])


def slug(text: str, words: int = 4) -> str:
    """``justering-af-positivlisten-for`` from a title: ASCII, lower case, a few words."""
    lowered = "".join(_SLUG_LETTERS.get(ch, ch) for ch in text.lower())
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(parts[:words])[:40].strip("-") or "punkt"


def numbering(meeting: Meeting) -> dict[str, str]:
    """The council's numbering (``council.yaml``'s ``numbering:``) the document's numbers follow."""
    items = meeting.items
    three = sum(1 for item in items if item.number.count(".") == 2)
    if three > len(items) / 2:
        parts = [item.number.split(".") for item in items if item.number.count(".") == 2]
        if all(p[2] == parts[0][2] for p in parts) and len({p[1] for p in parts}) > 1:
            item_pattern = "{section}.{item}." + parts[0][2]
        else:
            item_pattern = "{section}." + parts[0][1] + ".{item}" if all(p[1] == parts[0][1] for p in parts) \
                else "{section}.{item}.1"
    else:
        item_pattern = "{section}.{item}"
    result = {"item": item_pattern}
    # Bilag: the item's number and a count, or the section, the item's position and a count.
    with_bilag = [item for item in items if item.bilag]
    extends = sum(1 for item in with_bilag for b in item.bilag if b.number.startswith(item.number + "."))
    total = sum(len(item.bilag) for item in with_bilag)
    if item_pattern == "{section}.{item}" or not total or extends >= total / 2:
        result["bilag"] = item_pattern + ".{n}" if item_pattern != "{section}.{item}" else "{section}.{item}.{n}"
    else:
        result["bilag"] = "{section}.{item}.{n}"
    lone = [item for item in with_bilag if len(item.bilag) == 1]
    if lone and sum(1 for item in lone if item.bilag[0].number == item.number) >= len(lone) / 2:
        # not when the bilag pattern gives a first bilag the item's number anyway
        # ("{section}.{item}.1" and "{section}.{item}.{n}": 2.1.1 either way)
        sample = {"section": "7", "item": 3, "n": 1}
        if item_pattern.format(**sample) != result["bilag"].format(**sample):
            result["lone_bilag"] = item_pattern
    return result


def item_position(number: str, pattern: str) -> int | None:
    """The item's position in its section (``{item}``) in ``number`` under ``pattern``."""
    names = pattern.split(".")
    parts = number.split(".")
    if len(names) != len(parts):
        return None
    for name, part in zip(names, parts):
        if name == "{item}":
            return int(part) if part.isdigit() else None
    return None


def expected_bilag(pattern: dict[str, str], section: str, position: int, count: int, n: int) -> str:
    values = {"section": section, "item": position, "n": n}
    if count == 1 and "lone_bilag" in pattern:
        return pattern["lone_bilag"].format(**values)
    return pattern["bilag"].format(**values)


def item_file(item: Item, pattern: dict[str, str], expected_position: int) -> str:
    """The text of an item's file."""
    data: dict = {"title": item.title, "section": _number(item.section)}
    if item.kind:
        data["kind"] = " + ".join(item.kind)
    position = item_position(item.number, pattern["item"])
    if position is not None and position != expected_position:
        data["number"] = position
    if item.closed:
        data["closed"] = True
    bilag = []
    for n, entry in enumerate(item.bilag, start=1):
        one: dict = {"title": entry.title}
        if entry.url:
            one["url"] = entry.url
        wanted = expected_bilag(pattern, item.section, position or expected_position, len(item.bilag), n)
        if entry.number != wanted:
            one["number"] = entry.number
        bilag.append(one)
    if bilag:
        data["bilag"] = bilag
    text = "---\n" + _yaml(data) + "---\n"
    if item.closed and not item.kind:
        # a public referat hides a closed item's category: the secretariat writes it
        text = text.replace("\nclosed: true\n", "\n# kind: B, O eller D – står ikke i det offentlige referat; "
                            "skriv punktets kategori her\nclosed: true\n", 1)
    if not item.closed:
        for label in ("Sagen kort", "Indstilling", "Beslutning", "Sagsfremstilling", "Videre proces", "Baggrund",
                      "Bilag"):
            if label in item.fields:
                body = markdown(item.fields[label])
                text += f"\n## {label}\n" + (f"\n{body}" if body else "")
    return text


def meeting_file(meeting: Meeting, names: dict[str, str], source: str, sections: dict[str, str]) -> str:
    data: dict = {"date": meeting.date}
    for key in ("start", "end", "ended", "place"):
        value = getattr(meeting, key)
        if value:
            data[key] = value
    if meeting.chair:
        data["chair"] = names.get(meeting.chair, meeting.chair)
    data["sections"] = [{"number": _number(number), "title": title} for number, title in sections.items()]
    data["attendance"] = {"present": [names[a.name] for a in meeting.present],
                          "absent": [names[a.name] for a in meeting.absent]}
    return f"# Importeret fra {source} af rardocs import; se import-rapport.txt.\n" + _yaml(data)


def _number(text: str):
    return int(text) if text.isdigit() else text


def _yaml(data) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 16, default_flow_style=False)
    # Times are written in quotes, as the README asks (13.00 would be a number).
    return re.sub(r"^(start|end|ended): '?(\d\d\.\d\d)'?$", r'\1: "\2"', text, flags=re.MULTILINE)


def match_members(attendees: list[Attendee], members: list[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each attendee's name as ``council.yaml`` writes it (a close member's name, or as
    written), and the names matched by closeness (written, member) for the report."""
    names: dict[str, str] = {}
    guessed: list[tuple[str, str]] = []
    for attendee in attendees:
        if attendee.name in names:
            continue
        if attendee.name in members:
            names[attendee.name] = attendee.name
            continue
        close = _closest(attendee.name, members)
        if close and close not in names.values():
            names[attendee.name] = close
            guessed.append((attendee.name, close))
        else:
            names[attendee.name] = attendee.name
    return names, guessed


def _closest(name: str, members: list[str]) -> str | None:
    """A member whose name is ``name`` with a letter or a middle name more or less."""
    best = difflib.get_close_matches(name, members, n=1, cutoff=0.88)
    if best:
        return best[0]
    words = name.lower().split()
    for member in members:
        other = member.lower().split()
        if len(words) >= 2 and len(other) >= 2 and words[0] == other[0] and words[-1] == other[-1] \
                and abs(len(words) - len(other)) == 1:
            return member
    return None


def member_entries(attendees: list[Attendee]) -> list[dict]:
    """``council.yaml`` entries for people it does not have yet."""
    entries = []
    for attendee in attendees:
        entry: dict = {"name": attendee.name}
        organisation = attendee.organisation
        if organisation.lower() == "kommunerne":
            organisation = "kommune"
        if organisation:
            entry["organisation"] = organisation
        entry["role"] = attendee.role or "medlem"
        if attendee.position:
            entry["position"] = attendee.position
        entries.append(entry)
    return entries


def new_council(name: str, pattern: dict[str, str], grouping: str, entries: list[dict], lone_member: str = "") -> str:
    """A new ``council.yaml``; ``lone_member`` is ``same_line`` when the document wrote a
    group of one on its heading's line ("Fra Lederne: Lene Christensen"). "Fra
    kommunerne:" needs no label: its members' organisation is ``kommune``, which rardocs
    shows so."""
    data: dict = {"name": name, "genitive": name if name.endswith("s") else name + "s", "numbering": pattern,
                  "attendance": {"group_by": grouping}}
    if lone_member == "same_line":
        data["attendance"]["lone_member"] = lone_member
    data["members"] = entries
    return ("# Oprettet af rardocs import ud fra et referat: ret navn, nummerering og medlemmer efter behov.\n"
            + _yaml(data))


def extend_council(text: str, entries: list[dict], source: str) -> str:
    """``council.yaml``'s ``text`` with ``entries`` added after its last member; the rest
    of the file as it was."""
    lines = text.splitlines(keepends=True)
    if text and not text.endswith("\n"):
        lines[-1] += "\n"
    root = yaml.compose(text) if text.strip() else None
    members_node = None
    if root is not None and isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "members":
                members_node = value
    block = _yaml(entries)
    if isinstance(members_node, yaml.SequenceNode) and members_node.value:
        first = members_node.value[0]
        indent = " " * max(first.start_mark.column - 2, 0)
        end = members_node.value[-1].end_mark.line
        # the end mark is at the line after the last entry (or its end, at the file's end)
        insert_at = end if members_node.value[-1].end_mark.column == 0 else end + 1
        # blank lines and comments less indented than the entries' keys after the last
        # entry belong to what follows ("# The press contact …" before "press:")
        last_line = members_node.value[-1].start_mark.line
        while insert_at > last_line + 1 and (not lines[insert_at - 1].strip() or (
                lines[insert_at - 1].lstrip().startswith("#")
                and len(lines[insert_at - 1]) - len(lines[insert_at - 1].lstrip()) <= len(indent))):
            insert_at -= 1
        added = [f"{indent}# tilføjet af rardocs import ({source}):\n"] + [
            indent + line + "\n" for line in block.splitlines()]
        return "".join(lines[:insert_at] + added + lines[insert_at:])
    if members_node is None:
        return "".join(lines) + f"# tilføjet af rardocs import ({source}):\nmembers:\n" + "".join(
            f"  {line}\n" for line in block.splitlines())
    raise ValueError("members")


def item_files(meeting: Meeting, pattern: dict[str, str]) -> dict[str, str]:
    """File name -> text, for every item; the names unique."""
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    for item in meeting.items:
        counts[item.section] = counts.get(item.section, 0) + 1
        name = f"{item.number}-{slug(item.title)}.md"
        while name in files:
            name = name[:-3] + "-2.md"
        files[name] = item_file(item, pattern, counts[item.section])
    return files


def words(text: str) -> list[str]:
    """The words of ``text`` as the share of words reached counts them."""
    text = re.sub(r"-\s*\n\s*", "", text)
    return re.findall(r"\w+", text.replace("-", "").lower())
