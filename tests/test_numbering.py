"""Item and bilag numbering schemes, categories and attendance grouping."""

from __future__ import annotations

from docxdump import dump
from rardocs import build, load


def _set(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _add_item(project, name, front, body="## Sagen kort\n\nTekst.\n"):
    path = project / "content/rar-test/2023-01-10" / name
    path.write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")


def test_oestjylland_scheme(project):
    _add_item(project, "2.2-flere-bilag.md", "title: To bilag\nsection: 2\nkind: O\nbilag:\n  - Første\n  - title: Andet")
    archive, _ = load(project)
    items = {item.title: item for item in archive.meetings[0].items}
    assert items["Ledigheden i regionen"].number == "2.1"
    assert [b.number for b in items["Ledigheden i regionen"].bilag] == ["2.1"]
    assert [b.number for b in items["To bilag"].bilag] == ["2.2.1", "2.2.2"]


def test_nordjylland_scheme(project):
    _set(project / "content/rar-test/council.yaml",
         'item: "{section}.{item}"\n  bilag: "{section}.{item}.{n}"\n  lone_bilag: "{section}.{item}"\n',
         'item: "{section}.{item}.1"\n  bilag: "{section}.{item}.{n}"\n')
    _add_item(project, "2.2-flere-bilag.md", "title: To bilag\nsection: 2\nkind: O\nbilag:\n  - Første\n  - Andet")
    archive, _ = load(project)
    items = {item.title: item for item in archive.meetings[0].items}
    assert items["Dagsorden for dagens møde"].number == "1.1.1"
    assert items["To bilag"].number == "2.2.1"
    assert [b.number for b in items["Ledigheden i regionen"].bilag] == ["2.1.1"]
    assert [b.number for b in items["To bilag"].bilag] == ["2.2.1", "2.2.2"]


def test_explicit_number_overrides_and_numbering_continues(project):
    _add_item(project, "2.2-x.md", "title: Fem\nsection: 2\nkind: D\nnumber: 5", "## Indstilling\n\nDrøft.\n")
    _add_item(project, "2.3-y.md", "title: Seks\nsection: 2\nkind: O")
    archive, _ = load(project)
    assert [item.number for item in archive.meetings[0].items] == ["1.1", "2.1", "2.5", "2.6"]


def test_files_sort_naturally(project):
    for n in range(2, 11):
        _add_item(project, f"2.{n}-punkt.md", f"title: Punkt {n}\nsection: 2\nkind: O")
    archive, _ = load(project)
    assert [item.title for item in archive.meetings[0].items][-2:] == ["Punkt 9", "Punkt 10"]


def test_categories(project):
    _add_item(project, "2.2-oplaeg.md", "title: Tema\nsection: 2\nkind: [B, oplæg]", "## Indstilling\n\nGodkend.\n")
    result = build(project)
    dagsorden = next(p for p in result.written if "Dagsorden" in p.name)
    lines = dump(dagsorden).splitlines()
    assert "[Heading2] 2.2 Tema (B + oplæg)" in lines
    assert "| 2.1 | Ledigheden i regionen | (O) |" in lines


def test_attendance_by_organisation(project):
    _set(project / "content/rar-test/council.yaml", "group_by: role", "group_by: organisation")
    _set(project / "content/rar-test/2023-01-10/meeting.yaml", "    - Bo Berg\n", "    - Bo Berg\n    - Carl Christensen\n  absent: []\n")
    _set(project / "content/rar-test/2023-01-10/meeting.yaml", "  absent:\n    - Carl Christensen\n", "")
    result = build(project)
    referat = next(p for p in result.written if "Referat" in p.name)
    lines = dump(referat).splitlines()
    tail = lines[lines.index("[Heading1] På mødet deltog:") - 1:]
    assert tail == ["[Normal] Mødet sluttede kl. 11.45.", "[Heading1] På mødet deltog:",
                    "[Feltnavn] Fra DA:", "[ListBullet] Anna Andersen, formand",
                    "[Feltnavn] Fra FH:", "[ListBullet] Bo Berg",
                    "[Feltnavn] Fra kommunerne:", "[ListBullet] Carl Christensen (suppleant)"]


def test_attendance_by_role_with_absent(project):
    result = build(project)
    referat = next(p for p in result.written if "Referat" in p.name)
    lines = dump(referat).splitlines()
    tail = lines[lines.index("[Heading1] På mødet deltog:"):]
    # "Afbud" is a block of its own, of the same rank as "På mødet deltog", never inside it.
    assert tail == ["[Heading1] På mødet deltog:", "[Feltnavn] Medlemmer:", "[ListBullet] Anna Andersen (DA), formand",
                    "[ListBullet] Bo Berg (FH)", "[Heading1] Afbud:", "[ListBullet] Carl Christensen (kommune)"]


def _drop_decision(project, name: str) -> None:
    path = project / "content/rar-test/2023-01-10" / name
    path.write_text(path.read_text(encoding="utf-8").split("## Beslutning")[0], encoding="utf-8")


def test_no_referat_before_the_meeting_has_decisions(project):
    _drop_decision(project, "1.1-dagsorden.md")
    _drop_decision(project, "2.1-ledighed.md")
    result = build(project)
    assert [p.name for p in result.written if "web" not in p.parts] == ["2023-01-10 Dagsorden RAR Test.docx"]


def test_indstilling_without_beslutning_is_a_warning(project):
    _drop_decision(project, "2.1-ledighed.md")
    result = build(project)
    assert [str(w) for w in result.warnings] == [
        "content/rar-test/2023-01-10/2.1-ledighed.md:16: advarsel: punkt 2.1 har en Indstilling men ingen Beslutning i referatet"]


def test_attendance_as_another_council_prints_it(project):
    """Organisation groups with a lone member on the label's line, the council's word for a
    role in brackets, and "Mødet sluttede" after the attendance."""
    _set(project / "content/rar-test/council.yaml", "  group_by: role\n",
         "  group_by: organisation\n  labels: {kommune: KL}\n  lone_member: same_line\n"
         "  roles:\n    suppleant: {label: supl.}\nended: after_attendance\n")
    _set(project / "content/rar-test/council.yaml", "    organisation: FH\n", "    organisation: DA\n")
    _set(project / "content/rar-test/2023-01-10/meeting.yaml", "    - Bo Berg\n", "    - Bo Berg\n    - Carl Christensen\n  absent: []\n")
    _set(project / "content/rar-test/2023-01-10/meeting.yaml", "  absent:\n    - Carl Christensen\n", "")
    result = build(project)
    referat = next(p for p in result.written if "Referat" in p.name)
    lines = dump(referat).splitlines()
    tail = lines[lines.index("[Heading1] På mødet deltog:"):]
    assert tail == ["[Heading1] På mødet deltog:", "[Feltnavn] Fra DA:", "[ListBullet] Anna Andersen, formand",
                    "[ListBullet] Bo Berg", "[Feltnavn] Fra KL: Carl Christensen (supl.)",
                    "[Normal] Mødet sluttede kl. 11.45."]
