"""rardocs import (issue 12): another council's scheme, a closed item, an existing council.

The referats imported here are built from copies of the example archive:

- with a council that numbers items ``2.1.1`` (RAR Nordjylland's way: item
  ``{section}.{item}.1``, bilag ``{section}.{item}.{n}``) and lists the attendance by
  organisation ("Fra FH:", a group of one on its heading's line), imported into a
  council that does not exist yet;
- with item 2.2 closed: the public referat has its title and "Lukket punkt" only;
- into the example's own council, whose ``council.yaml`` lacks two of the attendees and
  spells one member's name one letter differently.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml

from conftest import copy_example
from rardocs import build
from rardocs.cli import main
from rardocs.content import read_archive
from rardocs.importer.structure import Meeting
from rardocs.validate import validate

COUNCIL = "rar-oestjylland"
DATE = "2022-09-29"
NORD_NUMBERING = {"item": "{section}.{item}.1", "bilag": "{section}.{item}.{n}"}


def _import(root: Path, council: str, referat: Path) -> int:
    return main(["import", "--root", str(root), "--council", council, str(referat)])


def _check(root: Path) -> int:
    return main(["check", "--root", str(root)])


def _meeting(root: Path, council: str, date: str = DATE):
    archive, _ = validate(read_archive(root))
    return next(m for m in archive.meetings if m.council.slug == council and m.date.isoformat() == date)


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(path).paragraphs]


def _headings(path: Path) -> list[str]:
    return [text for style, text in _paragraphs(path) if style == "Heading 2"]


def _attendance(path: Path) -> list[tuple[str, str]]:
    """The referat's lines from "På mødet deltog:" on (style and text)."""
    paragraphs = _paragraphs(path)
    start = [text for _, text in paragraphs].index("På mødet deltog:")
    return [(style, text) for style, text in paragraphs[start:] if text.strip()]


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return yaml.safe_load(text.split("---\n", 2)[1])


def _item_files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.glob("*.md") if not p.name.startswith("presse")),
                  key=lambda p: [int(n) for n in p.name.split("-", 1)[0].split(".")])


# -- (a) another council's scheme ------------------------------------------------------


@pytest.fixture(scope="module")
def nordtest(tmp_path_factory) -> dict:
    """The example meeting built by 'RAR Nordtest' (items 2.1.1, attendance by
    organisation), and that referat imported into a fresh example copy as rar-nordtest."""
    base = tmp_path_factory.mktemp("nordtest")
    source = copy_example(base / "source")
    council_file = source / "content" / COUNCIL / "council.yaml"
    text = council_file.read_text(encoding="utf-8")
    text = text.replace("name: RAR Østjylland\ngenitive: RAR Østjyllands\n", "name: RAR Nordtest\ngenitive: RAR Nordtests\n")
    text = re.sub(r"^numbering:\n(?:  .*\n)+", "numbering:\n" + "".join(
        f'  {key}: "{value}"\n' for key, value in NORD_NUMBERING.items()), text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^attendance:\n(?:  .*\n)+", "attendance:\n  group_by: organisation\n"
                  "  labels: {kommune: kommunerne}\n  lone_member: same_line\n", text, count=1, flags=re.MULTILINE)
    council_file.write_text(text, encoding="utf-8")
    # the press release quotes item 2.1, which this council calls 2.1.1
    press = source / "content" / COUNCIL / DATE / "presse-positivlisten.md"
    press.write_text(press.read_text(encoding="utf-8").replace(f"item: {DATE}/2.1\n", f"item: {DATE}/2.1.1\n"),
                     encoding="utf-8")
    build(source)
    referat = source / "output" / COUNCIL / DATE / f"{DATE} Referat RAR Nordtest.docx"
    assert referat.is_file()

    target = copy_example(base / "target")
    assert _import(target, "rar-nordtest", referat) == 0
    build(target, council="rar-nordtest")
    rebuilt = target / "output" / "rar-nordtest" / DATE / f"{DATE} Referat RAR Nordtest.docx"
    return {"source": source, "referat": referat, "target": target, "rebuilt": rebuilt,
            "council": yaml.safe_load(text), "folder": target / "content" / "rar-nordtest" / DATE}


def test_the_built_referat_has_the_scheme(nordtest):
    # the document to import really is in the other scheme
    headings = _headings(nordtest["referat"])
    assert headings[0].startswith("0.1.1 TEMA: De unge") and headings[-1] == "3.6.1 Eventuelt (O)"
    lines = [text for _, text in _attendance(nordtest["referat"])]
    assert "Fra DA:" in lines and "Fra kommunerne:" in lines and "Fra Lederne: Lene Christensen" in lines
    assert "Kresten Vendelboe (suppleant)" in lines


def test_a_new_council_yaml_with_the_scheme(nordtest):
    council = yaml.safe_load((nordtest["target"] / "content" / "rar-nordtest" / "council.yaml").read_text("utf-8"))
    assert council["name"] == "RAR Nordtest"
    assert council["numbering"]["item"] == NORD_NUMBERING["item"]
    assert council["numbering"]["bilag"] == NORD_NUMBERING["bilag"]
    # a lone bilag is numbered as any first bilag (2.1.1): no lone_bilag pattern needed
    assert council["numbering"].get("lone_bilag", NORD_NUMBERING["item"]) == NORD_NUMBERING["item"]
    assert council["attendance"]["group_by"] == "organisation"


def test_the_members_with_their_organisations_and_roles(nordtest):
    council = yaml.safe_load((nordtest["target"] / "content" / "rar-nordtest" / "council.yaml").read_text("utf-8"))
    imported = {m["name"]: (m.get("organisation"), m["role"], m.get("position")) for m in council["members"]}
    built = {m["name"]: (m["organisation"], m["role"], m.get("position")) for m in nordtest["council"]["members"]}
    assert imported == built
    assert imported["Kresten Vendelboe"] == ("FH", "suppleant", None)
    assert imported["Dorthe Jensen"] == ("kommune", "suppleant", None)
    assert imported["Susanne Søndergaard Hansen"] == ("VIA", "tilforordnet", None)
    assert imported["Christian Brincker Nordbek"] == ("KL", "baglandsrepræsentant", None)
    assert imported["Jesper Thorup"] == ("FH", "medlem", "formand")


def test_fourteen_items_with_section_title_and_bilag_numbers(nordtest):
    files = _item_files(nordtest["folder"])
    assert [p.name.split("-", 1)[0] for p in files] == [
        "0.1.1", "0.2.1", "1.1.1", "1.2.1", "1.3.1", "2.1.1", "2.2.1", "2.3.1",
        "3.1.1", "3.2.1", "3.3.1", "3.4.1", "3.5.1", "3.6.1"]
    original = _meeting(nordtest["source"], COUNCIL)
    imported = _meeting(nordtest["target"], "rar-nordtest")
    assert len(original.items) == len(imported.items) == 14
    for before, after in zip(original.items, imported.items):
        assert (after.number, after.section, after.title, after.kind) == \
               (before.number, before.section, before.title, before.kind)
        assert [(b.number, b.title) for b in after.bilag] == [(b.number, b.title) for b in before.bilag], after.number
    # the numbers follow the council's pattern: no item or bilag needs its number written
    for path in files:
        front = _front(path)
        assert "number" not in front
        assert all("number" not in b for b in front.get("bilag", [])), path.name
    assert [b.number for b in imported.items[4].bilag] == ["1.3.1", "1.3.2"]


def test_the_imported_meeting_passes_check(nordtest, capsys):
    assert _check(nordtest["target"]) == 0
    report = (nordtest["folder"] / "import-rapport.txt").read_text("utf-8")
    assert "rardocs check: mødet er i orden." in report


def test_rebuilt_referat_has_the_same_item_headings(nordtest):
    assert _headings(nordtest["rebuilt"]) == _headings(nordtest["referat"])


@pytest.mark.xfail(not hasattr(Meeting(), "lone_member"), strict=True,
                   reason="structure.Meeting has no lone_member yet: 'Fra Lederne: Lene Christensen' (a group of "
                          "one on its heading's line) must give lone_member: same_line in the new council.yaml")
def test_rebuilt_referat_has_the_same_attendance(nordtest):
    # "Fra Lederne: Lene Christensen": the group of one on its heading's line needs
    # lone_member: same_line in the new council.yaml
    assert _attendance(nordtest["rebuilt"]) == _attendance(nordtest["referat"])


# -- (b) a closed item -----------------------------------------------------------------

CLOSED = "2.2-jobordrer.md"


@pytest.fixture(scope="module")
def closed(tmp_path_factory) -> dict:
    """The example meeting with item 2.2 closed, its public referat imported into a copy
    of the example without that meeting."""
    base = tmp_path_factory.mktemp("closed")
    source = copy_example(base / "source")
    item = source / "content" / COUNCIL / DATE / CLOSED
    item.write_text(item.read_text(encoding="utf-8").replace("---\n", "---\nclosed: true\n", 1), encoding="utf-8")
    build(source)
    referat = source / "output" / COUNCIL / DATE / f"{DATE} Referat RAR Østjylland.docx"
    assert "Lukket punkt" in [text for _, text in _paragraphs(referat)]

    target = copy_example(base / "target")
    shutil.rmtree(target / "content" / COUNCIL / DATE)
    council_before = (target / "content" / COUNCIL / "council.yaml").read_bytes()
    code = _import(target, COUNCIL, referat)
    return {"source": source, "target": target, "code": code, "council_before": council_before,
            "folder": target / "content" / COUNCIL / DATE}


def test_closed_item_has_title_only(closed):
    files = _item_files(closed["folder"])
    assert len(files) == 14
    path = next(p for p in files if p.name.startswith("2.2-"))
    text = path.read_text("utf-8")
    front = _front(path)
    assert front["closed"] is True
    assert front["title"] == "Indsats vedrørende overvågning af jobordrer og virksomhedsservice"
    assert front["section"] == 2
    # the public referat does not give a closed item's category: the file asks for it
    assert "kind" not in front and "# kind: B, O eller D" in text
    assert "bilag" not in front and "followup" not in front
    assert "## " not in text and text.endswith("---\n")


def _fields(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, flags=re.MULTILINE)


def test_the_other_items_keep_fields_and_bilag(closed):
    original = {i.number: i for i in _meeting(closed["source"], COUNCIL).items}
    sources = {p.name.split("-", 1)[0]: p for p in _item_files(closed["source"] / "content" / COUNCIL / DATE)}
    for path in _item_files(closed["folder"]):
        number = path.name.split("-", 1)[0]
        if number == "2.2":
            continue
        front = _front(path)
        assert "closed" not in front and tuple(front["kind"].split(" + ")) == original[number].kind, path.name
        assert _fields(path.read_text("utf-8")) == _fields(sources[number].read_text("utf-8")), path.name
        assert [b["title"] for b in front.get("bilag", [])] == [b.title for b in original[number].bilag], path.name


def test_nothing_of_the_closed_item_is_imported(closed):
    source = (closed["source"] / "content" / COUNCIL / DATE / CLOSED).read_text("utf-8")
    body = source.split("---\n", 2)[2]
    front = yaml.safe_load(source.split("---\n", 2)[1])
    secrets = [line.strip("-*#> ").strip() for line in body.splitlines() if len(line.strip("-*#> ").strip()) > 25]
    secrets += [b["title"] if isinstance(b, dict) else b for b in front["bilag"]]
    secrets += [action["action"] for action in front["followup"]]
    # not the sentences every orientation item has ("Det indstilles at Rådet tager orienteringen …")
    others = "".join(p.read_text("utf-8") for p in _item_files(closed["source"] / "content" / COUNCIL / DATE)
                     if p.name != CLOSED)
    secrets = [secret for secret in secrets if secret not in others]
    assert len(secrets) > 5
    imported = {p.name: p.read_text("utf-8") for p in closed["folder"].iterdir()}
    imported["council.yaml"] = (closed["target"] / "content" / COUNCIL / "council.yaml").read_text("utf-8")
    for secret in secrets:
        for name, text in imported.items():
            assert secret not in text, (name, secret)


def test_closed_item_check_asks_for_the_kind_only(closed, capsys):
    # the only thing to fix is the closed item's category, which no public document gives
    assert closed["code"] == 1
    report = (closed["folder"] / "import-rapport.txt").read_text("utf-8")
    to_fix = report.split("RET DETTE (rardocs check):\n", 1)[1].strip().splitlines()
    assert len(to_fix) == 1 and "2.2-" in to_fix[0] and "mangler 'kind'" in to_fix[0]
    # the council's file was not touched: every attendee is a member
    assert (closed["target"] / "content" / COUNCIL / "council.yaml").read_bytes() == closed["council_before"]
    path = next(p for p in closed["folder"].glob("2.2-*.md"))
    path.write_text(path.read_text("utf-8").replace("closed: true\n", "kind: O\nclosed: true\n"), "utf-8")
    try:
        assert _check(closed["target"]) == 0
    finally:
        path.write_text(path.read_text("utf-8").replace("kind: O\n", ""), "utf-8")


# -- (c) an existing council that lacks attendees ----------------------------------------

MISSING = ("Kresten Vendelboe", "Susanne Søndergaard Hansen")


@pytest.fixture(scope="module")
def extended(example_output, tmp_path_factory) -> dict:
    """The example's referat imported into a copy without the meeting, whose council.yaml
    lacks two attendees and writes 'Joan Brøgger' as 'Joan Brøger'."""
    referat = example_output / COUNCIL / DATE / f"{DATE} Referat RAR Østjylland.docx"
    target = copy_example(tmp_path_factory.mktemp("extended") / "target")
    content = target / "content" / COUNCIL
    shutil.rmtree(content / DATE)
    council_file = content / "council.yaml"
    text = council_file.read_text(encoding="utf-8")
    for name in MISSING:
        text, removed = re.subn(rf"^  - name: {name}\n(?:    .*\n)+", "", text, flags=re.MULTILINE)
        assert removed == 1
    # the council (and its other meeting) spell the name one letter differently from the referat
    text = text.replace("name: Joan Brøgger\n", "name: Joan Brøger\n")
    council_file.write_text(text, encoding="utf-8")
    other = content / "2022-11-28" / "meeting.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("Joan Brøgger", "Joan Brøger"), encoding="utf-8")
    code = _import(target, COUNCIL, referat)
    return {"target": target, "code": code, "before": text, "after": council_file.read_text(encoding="utf-8"),
            "folder": content / DATE}


def test_council_yaml_extended_in_place(extended):
    before = extended["before"].splitlines(keepends=True)
    after = extended["after"].splitlines(keepends=True)
    # the lines added are one run, right after the last member (Christian Brincker Nordbek)
    last = max(i for i, line in enumerate(before) if line.startswith("  - name: "))
    end = last + 1
    while end < len(before) and before[end].startswith("    "):
        end += 1
    added = len(after) - len(before)
    assert after[:end] == before[:end] and after[end + added:] == before[end:]
    block = "".join(after[end:end + added])
    assert block == ("  # tilføjet af rardocs import (2022-09-29 Referat RAR Østjylland.docx):\n"
                     "  - name: Kresten Vendelboe\n"
                     "    organisation: FH\n"
                     "    role: suppleant\n"
                     "  - name: Susanne Søndergaard Hansen\n"
                     "    organisation: VIA\n"
                     "    role: tilforordnet\n")


def test_the_close_name_is_matched_not_added(extended):
    council = yaml.safe_load(extended["after"])
    names = [m["name"] for m in council["members"]]
    assert "Joan Brøger" in names and "Joan Brøgger" not in names
    assert len(names) == len(set(names)) == 22
    meeting = yaml.safe_load((extended["folder"] / "meeting.yaml").read_text("utf-8"))
    assert "Joan Brøger" in meeting["attendance"]["present"]
    assert "Joan Brøgger" not in meeting["attendance"]["present"]
    assert set(MISSING) <= set(meeting["attendance"]["present"])


def test_the_report_names_added_and_guessed(extended):
    report = (extended["folder"] / "import-rapport.txt").read_text("utf-8")
    guessed = report.split("GÆTTET", 1)[1].split("IKKE PLACERET", 1)[0]
    assert "Tilføjet til council.yaml: Kresten Vendelboe, Susanne Søndergaard Hansen." in guessed
    assert "'Joan Brøgger' er taget som rådets medlem 'Joan Brøger' (council.yaml)." in guessed
    assert "rardocs check: mødet er i orden." in report


def test_extended_council_passes_check(extended, capsys):
    assert extended["code"] == 0
    assert _check(extended["target"]) == 0
