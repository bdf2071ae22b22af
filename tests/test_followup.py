"""Follow-up actions carried across meetings: the opfølgningsark and `rardocs opfølgning`."""

from __future__ import annotations

from pathlib import Path

import pytest

from docxdump import dump
from rardocs import build, load
from rardocs.cli import main

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
    assert "[Title] Opfølgningsark efter Rådsmødet den 28. november 2022" in november
    assert "header1: [Header] Opfølgningsark efter RAR Østjyllands møde den 28. november 2022" in november
    assert "footer1: [Footer] Side {PAGE} af {NUMPAGES}" in november
    import zipfile
    with zipfile.ZipFile(example_output / "rar-oestjylland/2022-11-28/2022-11-28 Opfølgningsark RAR Østjylland.docx") as z:
        assert b'w:orient="landscape"' in z.read("word/document.xml")


def test_decision_items_of_the_meeting(november):
    rows = november[november.index("[Heading1] Punkter fra mødet") + 1:november.index("[Heading1] Tidligere punkter under opfølgning")]
    assert rows[0] == "| Punkt | Emne | Beslutning | Videre proces / opfølgning | Ansvarlig | Frist | Status |"
    numbers = [row.split(" | ")[0].removeprefix("| ") for row in rows[1:]]
    assert numbers == ["1.1", "2.1", "2.2", "3.5"]  # B and D items; the O items carry no actions
    strategy = next(row for row in rows if row.startswith("| 2.1 |"))
    assert "Sekretariatet | 15.12.2022 | åben |" in strategy


def test_earlier_open_actions_carried_forward(november):
    earlier = november[november.index("[Heading1] Tidligere punkter under opfølgning") + 2:]
    assert all(row.startswith("| 29.09.2022 |") for row in earlier)
    texts = " ".join(earlier)
    assert "Rådet gives status på udviklingen i antal jobordrer" in texts  # åben
    assert "tilgængelig på Rådets hjemmeside" not in texts  # positivliste-hjemmeside is afsluttet: not carried
    assert "SIRI" not in texts
    overdue = [row for row in earlier if "(overskredet)" in row]
    assert len(overdue) == 1 and "20.10.2022 | i gang (overskredet) |" in overdue[0]
    dues = [row.split(" | ")[-2] for row in earlier]
    assert dues == sorted(dues, key=lambda d: d.split(".")[::-1])  # oldest first


def test_first_meeting_has_no_earlier_actions(example):
    lines = dump(example["opfoelgningsark"]).splitlines()
    assert "[Normal] Der er ingen åbne punkter fra tidligere møder." in lines


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
