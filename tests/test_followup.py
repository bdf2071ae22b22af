"""Follow-up actions carried across meetings: the opfølgningsark and `rardocs opfølgning`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docxdump import dump
from rardocs import build, load
from rardocs.cli import main
from rardocs.errors import ContentError
from rardocs.model import Action

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def november(example_output) -> list[str]:
    path = example_output / "rar-oestjylland/2022-11-28/2022-11-28 Opfølgningsark RAR Østjylland.docx"
    return dump(path).splitlines()


def test_golden_dump(november, update_golden):
    golden = GOLDEN / "rar-oestjylland-2022-11-28-opfoelgningsark.txt"
    actual = "\n".join(november) + "\n"
    if update_golden:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_title_header_and_landscape(november, example_output):
    assert "[Title] Opfølgningsark efter RAR Østjyllands møde den 28. november 2022" in november
    assert "[Normal] Status pr. 28. november 2022." in november
    assert "header1: [Header] Opfølgningsark efter RAR Østjyllands møde den 28. november 2022" in november
    assert "footer1: [Footer] Side {PAGE} af {NUMPAGES}" in november
    import zipfile
    with zipfile.ZipFile(example_output / "rar-oestjylland/2022-11-28/2022-11-28 Opfølgningsark RAR Østjylland.docx") as z:
        assert b'w:orient="landscape"' in z.read("word/document.xml")


def _table(lines: list[str], heading: str) -> list[str]:
    """The table rows under ``heading``, up to the next heading."""
    rows = []
    for line in lines[lines.index(f"[Heading1] {heading}") + 1:]:
        if line.startswith("[Heading1]"):
            break
        if line.startswith("| "):
            rows.append(line)
    return rows


def test_actions_of_the_meeting(november):
    rows = _table(november, "Handlinger fra mødet")
    assert rows[0] == "| Punkt | Handling | Ansvarlig | Frist | Status |"
    groups = [row.split(" | ")[0].removeprefix("| ") for row in rows[1:] if not row.startswith("|  |")]
    assert groups == ["2.1", "2.2"]  # only the items that set actions going
    assert "|  | Den godkendte overordnede strategi 2022–2026 offentliggøres på Rådets hjemmeside | Sekretariatet |" \
           " 15.12.2022 | åben |" in rows


def test_earlier_open_actions_carried_forward(november):
    rows = _table(november, "Handlinger fra tidligere møder, som ikke er afsluttet")
    assert rows[0] == "| Møde | Punkt | Handling | Ansvarlig | Frist | Status |"
    groups = [row for row in rows[1:] if not row.startswith("|  |")]
    assert all(row.startswith("| 29.09.2022 |") for row in groups)
    texts = " ".join(rows)
    assert "Rådet gives status på udviklingen i antal jobordrer" in texts  # åben
    assert "tilgængelig på Rådets hjemmeside" not in texts  # afsluttet 3 October: not carried to November
    assert "SIRI" not in texts
    overdue = [row for row in rows if "Frist overskredet" in row]
    assert len(overdue) == 1 and "| 20.10.2022 | i gang / Frist overskredet |" in overdue[0]


def test_a_sheet_shows_each_status_as_it_stood_on_its_meeting_date(example, example_output):
    """The 29 September sheet was sent before anything was done: rebuilding it today must
    not show actions closed in October and November as afsluttet."""
    september = dump(example["opfoelgningsark"]).splitlines()
    rows = _table(september, "Handlinger fra mødet")
    hjemmeside = next(row for row in rows if "tilgængelig på Rådets hjemmeside" in row)
    assert hjemmeside.endswith("| 01.10.2022 | åben |")  # done: 2022-10-03
    assert not any(row.endswith("| afsluttet |") for row in rows)


def test_first_meeting_has_no_earlier_actions(example):
    lines = dump(example["opfoelgningsark"]).splitlines()
    assert "[Normal] Ingen handlinger fra tidligere møder er åbne." in lines


def test_action_ids_are_stable_and_unique(project):
    item = project / "content/rar-test/2023-01-10/1.1-dagsorden.md"
    text = item.read_text(encoding="utf-8").replace("kind: B\n", "kind: B\nfollowup:\n"
        "  - action: Uden id\n    owner: Sekretariatet\n"
        "  - id: med-id\n    action: Med id\n    owner: Sekretariatet\n    due: 2023-02-01\n")
    item.write_text(text, encoding="utf-8")
    archive, _ = load(project)
    actions = archive.meetings[0].items[0].actions
    assert [a.id for a in actions] == ["2023-01-10/1.1-dagsorden#1", "med-id"]
    other = project / "content/rar-test/2023-01-10/2.1-ledighed.md"
    other.write_text(other.read_text(encoding="utf-8").replace("kind: O\n", "kind: O\nfollowup:\n"
                     "  - id: med-id\n    action: Igen\n    owner: Bo\n"), encoding="utf-8")
    assert main(["check", "--root", str(project)]) == 1


def test_opfoelgning_command_lists_open_actions_overdue_first(example_project, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1669593600")  # 28 November 2022
    assert main(["opfølgning", "--root", str(example_project), "--council", "rar-oestjylland"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["Frist", "Status", "Ansvarlig", "Møde", "og", "punkt", "Opfølgning"]
    assert out[1].startswith("! 20.10.2022  i gang  Sekretariatet  RAR Østjylland 29.09.2022 pkt. 0.1")
    assert not any("afsluttet" in line for line in out)
    assert out[-1] == "9 åbne punkter, heraf 1 med overskredet frist (mærket !)."


def test_closed_items_actions_stay_out_of_the_public_sheet(project):
    item = project / "content/rar-test/2023-01-10/1.1-dagsorden.md"
    item.write_text(item.read_text(encoding="utf-8").replace(
        "kind: B\n", "kind: B\nclosed: true\nfollowup:\n  - action: Hemmelig opfølgning\n    owner: Sagsudvalget\n"),
        encoding="utf-8")
    result = build(project)
    public = [p for p in result.written if "intern" not in p.parts and p.name.endswith("Opfølgningsark RAR Test.docx")]
    internal = [p for p in result.written if "intern" in p.parts and "Opfølgningsark" in p.name]
    assert public and internal
    assert "Hemmelig opfølgning" not in dump(public[0])
    assert "Hemmelig opfølgning" in dump(internal[0])


# --- the status on a date: done, history --------------------------------------------------
D = dt.date


def test_status_on_without_history_is_the_status_from_the_start():
    action = Action("a", "Gør noget", "Sekretariatet", None, "afsluttet")
    assert action.status_on(D(1999, 1, 1)) == action.status_on(D(2100, 1, 1)) == "afsluttet"


def test_status_on_follows_the_history():
    action = Action("a", "Gør noget", "Sekretariatet", None, "afsluttet",
                    history=((D(2022, 10, 5), "i gang"), (D(2022, 11, 20), "afsluttet")))
    assert action.status_on(D(2022, 9, 29)) == "åben"  # before the first entry
    assert action.status_on(D(2022, 10, 5)) == "i gang"  # from the entry's own day
    assert action.status_on(D(2022, 11, 19)) == "i gang"
    assert action.status_on(D(2022, 11, 20)) == "afsluttet"
    assert action.status_on(D(2023, 1, 1)) == "afsluttet"


ITEM = "content/rar-test/2023-01-10/1.1-dagsorden.md"


def _followup(project, yaml: str):
    path = project / ITEM
    path.write_text(path.read_text(encoding="utf-8").replace("kind: B\n", "kind: B\nfollowup:\n" + yaml, 1),
                    encoding="utf-8")


def _actions(project):
    archive, warnings = load(project)
    return archive.meetings[0].items[0].actions, [str(w) for w in warnings]


def test_done_means_afsluttet_from_that_date(project):
    _followup(project, "  - action: Send notatet\n    owner: Bo\n    done: 2023-01-20\n")
    (action,), warnings = _actions(project)
    assert warnings == []
    assert action.status == "afsluttet" and action.history == ((D(2023, 1, 20), "afsluttet"),)
    assert action.status_on(D(2023, 1, 10)) == "åben"
    assert action.status_on(D(2023, 1, 20)) == "afsluttet"


def test_done_on_the_meeting_day_is_fine(project):
    _followup(project, "  - action: Send notatet\n    owner: Bo\n    status: afsluttet\n    done: 2023-01-10\n")
    (action,), _ = _actions(project)
    assert action.status_on(D(2023, 1, 10)) == "afsluttet"


def test_history_gives_the_status_when_none_is_written(project):
    _followup(project, "  - action: Send notatet\n    owner: Bo\n    history:\n"
                       "      2023-02-01: afsluttet\n      2023-01-12: i gang\n")
    (action,), warnings = _actions(project)
    assert warnings == []
    assert action.status == "afsluttet"
    assert action.history == ((D(2023, 1, 12), "i gang"), (D(2023, 2, 1), "afsluttet"))  # oldest first


def test_afsluttet_without_a_date_is_a_warning(project):
    _followup(project, "  - action: Send notatet\n    owner: Bo\n    status: Afsluttet\n")
    (action,), warnings = _actions(project)
    assert action.status_on(D(2023, 1, 10)) == "afsluttet"
    assert warnings == [f"{ITEM}:8: advarsel: 'afsluttet' uden dato: også opfølgningsark fra før handlingen blev"
                        " afsluttet viser den som afsluttet; skriv hvornår med done: ÅÅÅÅ-MM-DD"]


@pytest.mark.parametrize("yaml, message", [
    ("    done: 2023-01-20\n    history:\n      2023-01-20: afsluttet\n",
     ":8: skriv enten 'done' eller 'history', ikke begge (done: ÅÅÅÅ-MM-DD er det samme som en sidste linje"
     " 'ÅÅÅÅ-MM-DD: afsluttet' i history)"),
    ("    status: åben\n    done: 2023-01-20\n",
     ":9: 'done' er datoen, handlingen blev afsluttet, men status er 'åben' (skriv status: afsluttet, eller fjern done)"),
    ("    done: 20.01.2023\n", ":8: ugyldig dato '20.01.2023' (skriv ÅÅÅÅ-MM-DD, fx 2022-10-03)"),
    ("    done: 2203-01-20\n", ":8: årstallet 2203 ligner en tastefejl (datoen skal ligge mellem 1980 og 2107)"),
    ("    history:\n      2023-01-09: i gang\n",
     ":9: datoen 2023-01-09 er før mødet den 2023-01-10, hvor handlingen blev besluttet; en tastefejl?"),
    ("    history:\n      2023-01-12:\n", ":9: mangler status i history (brug åben, i gang eller afsluttet)"),
    ("    history: [2023-01-12, i gang]\n",
     ":8: 'history' skal være datoer, hver med den status, handlingen fik den dag, fx 2022-10-05: i gang"),
    ("    status: afsluttet\n    history:\n      2023-01-12: i gang\n",
     ":8: status er 'afsluttet', men ifølge history er den 'i gang' fra 2023-01-12 (ret den ene, eller udelad status)"),
    ("    donne: 2023-01-12\n", ":8: ukendt nøgle 'donne' – mente du 'done'?"),
])
def test_status_date_mistakes(project, yaml, message):
    _followup(project, "  - action: Send notatet\n    owner: Bo\n" + yaml)
    with pytest.raises(ContentError) as caught:
        load(project)
    assert [str(p) for p in caught.value.problems] == [ITEM + message]


def test_every_closed_action_of_the_example_says_when(example_project):
    archive, warnings = load(example_project)
    assert not [w for w in warnings if "uden dato" in w.message]
    actions = {a.id: (meeting, a) for meeting in archive.meetings for item in meeting.items for a in item.actions}
    for meeting, action in actions.values():
        assert all(since >= meeting.date for since, _ in action.history)
        if action.status == "afsluttet":
            assert action.history, action.id
    november = D(2022, 11, 28)
    _, hjemmeside = actions["positivliste-hjemmeside"]
    assert hjemmeside.status_on(D(2022, 9, 29)) == "åben" and hjemmeside.status_on(november) == "afsluttet"
    # what the 28 November meeting was shown as done was done by then
    for name in ("siri-repraesentation", "strategi-justering", "indsatsark-2023-udkast"):
        assert actions[name][1].status_on(november) == "afsluttet", name
