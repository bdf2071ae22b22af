"""The forms content may take: an item's kind in the author's order, role labels and
attendance options in council.yaml, bilag numbers set by hand, and date lines in
Markdown that stay text."""

from __future__ import annotations

import pytest

from docxdump import dump
from rardocs import build, load
from rardocs.errors import ContentError
from rardocs.formatting import kind_label
from rardocs.markdown import to_html, to_text
from rardocs.model import ROLE_LABELS, ROLES, Council, Numbering
from test_markdown import convert

MEETING = "content/rar-test/2023-01-10"
ITEM = f"{MEETING}/2.1-ledighed.md"
COUNCIL = "content/rar-test/council.yaml"


def _set(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(project) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(project)
    return [str(p) for p in caught.value.problems]


def _item(project):
    archive, warnings = load(project)
    return next(item for item in archive.meetings[0].items if item.number == "2.1"), warnings


# --- kind: the category letter anywhere among the parts ------------------------------------

@pytest.mark.parametrize("written, parts", [
    ("B", ("B",)),
    ("b", ("B",)),
    ("D + oplæg", ("D", "oplæg")),
    ("Oplæg + D", ("Oplæg", "D")),
    ("oplæg+d", ("oplæg", "D")),
    ("[Oplæg, D]", ("Oplæg", "D")),
    ("[O, oplæg]", ("O", "oplæg")),
    ("Oplæg + O + gæst", ("Oplæg", "O", "gæst")),
])
def test_kind_forms(project, written, parts):
    _set(project / ITEM, "kind: O\n", f"kind: {written}\n")
    item, _ = _item(project)
    assert item.kind == parts
    assert item.category == next(p for p in parts if p in "BOD")
    assert kind_label(item.kind) == "(" + " + ".join(parts) + ")"


def test_kind_in_the_authors_order_is_shown_so(project):
    _set(project / ITEM, "kind: O\n", "kind: Oplæg + D\n")
    dagsorden = next(p for p in build(project).written if "Dagsorden" in p.name)
    lines = dump(dagsorden).splitlines()
    assert "[Heading2] 2.1 Ledigheden i regionen (Oplæg + D)" in lines


def test_presentation_first_still_needs_an_indstilling_for_d(project):
    _set(project / ITEM, "kind: O\n", "kind: Oplæg + D\n")
    _set(project / ITEM, "## Indstilling\n\nDet indstilles, at Rådet tager orienteringen til efterretning.\n\n", "")
    _, warnings = _item(project)
    assert [str(w) for w in warnings] == [f"{ITEM}:4: advarsel: et drøftelsespunkt (D) uden '## Indstilling'"]


FORMS = "(skriv B, O eller D, evt. med et tillæg som 'B + oplæg' eller 'Oplæg + D')"


@pytest.mark.parametrize("written, message", [
    ("X", f"ukendt kategori 'X' {FORMS}"),
    ("Oplæg", f"ukendt kategori 'Oplæg' {FORMS}"),
    ("oplæg + gæst", f"ukendt kategori 'oplæg + gæst' {FORMS}"),
    ("Beslutning", f"ukendt kategori 'Beslutning' – mente du 'B'? {FORMS}"),
    ("B + D", f"'B + D' har mere end én kategori {FORMS}"),
    ("[Oplæg, d, O]", f"'Oplæg + d + O' har mere end én kategori {FORMS}"),
    ("{B: oplæg}", f"'kind' skal være en tekst {FORMS}"),
])
def test_kind_mistakes(project, written, message):
    _set(project / ITEM, "kind: O\n", f"kind: {written}\n")
    assert _problems(project) == [f"{ITEM}:4: {message}"]


# --- council.yaml: role labels, lone members, where the meeting ended ----------------------

def _council(project):
    archive, _ = load(project)
    return archive.councils[0]


def test_role_defaults_are_todays_words(project):
    council = _council(project)
    assert council.role_labels == {"medlem": "", "suppleant": "suppleant", "tilforordnet": "tilforordnet",
                                   "baglandsrepræsentant": "baglandsrepræsentant"}
    assert council.role_headings == ROLES
    assert council.lone_member_inline is False
    assert council.ended_position == "before_attendance"
    made = Council("x", "X", "Xs", Numbering(), "role", ())
    assert made.role_labels == ROLE_LABELS and made.role_headings == ROLES
    assert made.role_labels is not ROLE_LABELS  # every council its own copy


def test_role_labels_and_options(project):
    _set(project / COUNCIL, "  group_by: role\n",
         "  group_by: organisation\n"
         "  roles:\n"
         "    baglandsrepræsentant: {label: bagland, heading: Baglandsrepræsentanter}\n"
         "    suppleant: {label: supl.}\n"
         "    medlem: {label: medlem, heading: 'Rådets medlemmer:'}\n"
         "    tilforordnet: {label: ''}\n"
         "  lone_member: same_line\n"
         "ended: after_attendance\n")
    council = _council(project)
    assert council.role_labels == {"medlem": "medlem", "suppleant": "supl.", "tilforordnet": "",
                                   "baglandsrepræsentant": "bagland"}
    assert council.role_headings == {**ROLES, "medlem": "Rådets medlemmer"}
    assert council.lone_member_inline is True
    assert council.ended_position == "after_attendance"


@pytest.mark.parametrize("yaml, message", [
    ("  roles:\n    supleant: {label: supl.}\n",
     "ukendt rolle 'supleant' – mente du 'suppleant'? (brug medlem, suppleant, tilforordnet, baglandsrepræsentant)"),
    ("  roles:\n    suppleant: {lable: supl.}\n", "ukendt nøgle 'lable' – mente du 'label'?"),
    ("  roles:\n    suppleant: supl.\n", "rollen 'suppleant' skal være nøgler med værdier (nøgle: værdi)"),
    ("  roles: [suppleant]\n",
     "'roles' skal være roller med label og heading, fx suppleant: {label: supl., heading: Suppleanter}"),
    ("  lone_member: sameline\n", "'lone_member' skal være own_line eller same_line – mente du 'same_line'?"),
    ("  lone_mmber: same_line\n", "ukendt nøgle 'lone_mmber' – mente du 'lone_member'?"),
    ("ended: \"16.05\"\n", "'ended' skal være before_attendance eller after_attendance (hvor 'Mødet sluttede kl. …'"
                           " står i referatet; selve klokkeslættet skrives i meeting.yaml)"),
])
def test_council_option_mistakes(project, yaml, message):
    _set(project / COUNCIL, "  group_by: role\n", "  group_by: role\n" + yaml)
    line = 9 + yaml.count("\n") - 1  # the last line added
    assert _problems(project) == [f"{COUNCIL}:{line}: {message}"]


# --- bilag numbers set by hand ----------------------------------------------------------

def _bilag(project, entries: str, numbering: str | None = None):
    if numbering:
        _set(project / COUNCIL, '  bilag: "{section}.{item}.{n}"\n', f'  bilag: "{numbering}"\n')
    _set(project / ITEM, "bilag:\n  - title: Notat om ledighed\n    url: https://example.dk/notat.pdf\n",
         "bilag:\n" + entries)
    item, _ = _item(project)
    return [b.number for b in item.bilag]


def test_bilag_continue_from_a_number_set_by_hand(project):
    entries = "  - Første\n  - {title: Tredje, number: 2.1.3}\n  - Fjerde\n  - Femte\n"
    assert _bilag(project, entries) == ["2.1.1", "2.1.3", "2.1.4", "2.1.5"]


def test_bilag_number_set_by_hand_first_and_counted_up_past_nine(project):
    assert _bilag(project, "  - {title: A, number: 2.1.9}\n  - B\n") == ["2.1.9", "2.1.10"]


def test_a_lone_bilag_takes_the_number_written(project):
    assert _bilag(project, "  - {title: Notat, number: 2.1.2}\n") == ["2.1.2"]


def test_bilag_after_a_number_set_by_hand_follow_it_in_any_pattern(project):
    entries = "  - Første\n  - {title: Andet, number: B-07}\n  - Tredje\n"
    assert _bilag(project, entries, numbering="Bilag {section}.{item}-{n}") == ["Bilag 2.1-1", "B-07", "B-08"]


def test_bilag_number_as_an_integer_is_text(project):
    assert _bilag(project, "  - {title: A, number: 3}\n  - B\n", numbering="{n}") == ["3", "4"]


@pytest.mark.parametrize("entries, message", [
    ("  - Første\n  - {title: Andet, number: 2.1.1}\n",
     f"{ITEM}:7: bilag 2.1.1 står to gange i punktet (også linje 6); ret 'number'"),
    ("  - {title: Første, number: 2.1.4}\n  - Andet\n  - {title: Tredje, number: 2.1.5}\n",
     f"{ITEM}:8: bilag 2.1.5 står to gange i punktet (også linje 7); ret 'number'"),
    ("  - {title: Første, number: 1.1.1}\n",
     None),  # the minimal project's item 1.1 has no bilag: no clash
    ("  - {title: Første, number: Bilag A}\n  - Andet\n",
     f"{ITEM}:7: bilaget efter bilag Bilag A kan ikke nummereres ud fra det, for Bilag A ender ikke med et tal;"
     " skriv også dette bilags nummer med number:"),
    ("  - {title: Første, number: [2, 1]}\n", f"{ITEM}:6: 'number' skal være bilagets nummer, fx number: 2.1.2"),
    ("  - {title: Første, number: 2.1.1.1.1.1.1.1.1.1.1.1}\n",
     f"{ITEM}:6: bilagsnummeret '2.1.1.1.1.1.1.1.1.1.…' er for langt (højst 20 tegn)"),
])
def test_bilag_number_mistakes(project, entries, message):
    if message is None:
        assert _bilag(project, entries) == ["1.1.1"]
        return
    _set(project / ITEM, "bilag:\n  - title: Notat om ledighed\n    url: https://example.dk/notat.pdf\n",
         "bilag:\n" + entries)
    assert _problems(project) == [message]


def test_bilag_number_set_by_hand_is_not_another_items(project):
    _set(project / f"{MEETING}/1.1-dagsorden.md", "kind: B\n", "kind: B\nbilag:\n  - Referat\n  - Notat\n")
    _set(project / ITEM, "    url: https://example.dk/notat.pdf\n",
         "    url: https://example.dk/notat.pdf\n    number: 1.1.2\n")
    assert _problems(project) == [f"{ITEM}:8: bilag 1.1.2 er også nummeret på et bilag til punkt 1.1; ret 'number'"]


# --- "3. oktober" begins a sentence, not a list -------------------------------------------

@pytest.mark.parametrize("line", [
    "3. oktober 2022 holder Rådet møde med kommunerne.",
    "1. januar træder loven i kraft.",
    "28. November er der rådsmøde.",
    "12. MAJ",
    "3\\. oktober 2022 holder Rådet møde med kommunerne.",
])
def test_a_line_beginning_with_a_date_stays_text(tmp_path, line):
    shown = line.replace("\\.", ".")
    assert to_html(line) == f"<p>{shown}</p>"
    assert to_text(line) == shown
    assert convert(line, tmp_path) == [f"[Normal] {shown}"]


def test_date_lines_after_a_colon_or_in_a_row_stay_one_paragraph(tmp_path):
    text = "Kommende møder:\n3. oktober 2022 i Aarhus\n28. november 2022 i Randers"
    assert to_html(text) == f"<p>{text}</p>"
    assert convert(text, tmp_path) == ["[Normal] Kommende møder: 3. oktober 2022 i Aarhus 28. november 2022 i Randers"]


def test_numbered_lines_that_are_no_dates_are_still_lists(tmp_path):
    assert to_text("3. majs\n4. oktobers") == "3. majs\n4. oktobers"
    assert to_html("3. Oktoberfest").startswith('<ol data-kind="decimal" data-start="3"')
    assert to_html("1) maj") .startswith("<ol")  # only "3." with a dot is a date
    lines = convert("Rådet:\n1. godkender\n2. oktobermødet forberedes", tmp_path)
    assert lines[0] == "[Normal] Rådet:"
    assert [line.split("] ", 1)[1] for line in lines[1:]] == ["1. godkender", "2. oktobermødet forberedes"]
    assert all(line.startswith("[ListParagraph") for line in lines[1:])


def test_escaped_number_stays_text(tmp_path):
    assert to_text("3\\. punkt på listen") == "3. punkt på listen"
    assert convert("3\\. punkt på listen", tmp_path) == ["[Normal] 3. punkt på listen"]


def test_a_date_line_inside_a_list_continues_the_item():
    assert to_text("1. Møde\n3. oktober i Aarhus") == "1. Møde 3. oktober i Aarhus"
    assert to_html("- Møde\n3. oktober i Aarhus").count("<li>") == 1
