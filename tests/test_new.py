"""`rardocs new`: the next meeting, from the previous one, that builds at once."""

from __future__ import annotations

import shutil

from conftest import copy_example, tree
from docxdump import dump

from rardocs import build, load
from rardocs.cli import main


def _archive(tmp_path):
    root = tmp_path / "project"
    copy_example(root)
    return root


def test_new_meeting_builds_at_once(tmp_path, capsys):
    root = _archive(tmp_path)
    assert main(["new", "rar-oestjylland", "2023-01-30", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "oprettede content/rar-oestjylland/2023-01-30/meeting.yaml" in out
    folder = root / "content/rar-oestjylland/2023-01-30"
    assert sorted(p.name for p in folder.iterdir()) == [
        "1.1-dagsorden.md", "1.2-referater.md", "3.1-formandskabet.md", "3.2-sagsudvalget.md", "3.3-tilforordnede.md",
        "3.4-arbejdsmarkedskontoret.md", "3.5-kommunikation.md", "3.6-eventuelt.md", "meeting.yaml"]

    archive, _ = load(root)
    meeting = next(m for m in archive.meetings if m.date.isoformat() == "2023-01-30")
    november = next(m for m in archive.meetings if m.date.isoformat() == "2022-11-28")
    assert [s.title for s in meeting.sections] == [s.title for s in november.sections]
    assert set(meeting.attendance.present) == set(november.attendance.present + november.attendance.absent)
    assert (meeting.start, meeting.place, meeting.chair) == (november.start, november.place, november.chair)
    assert not meeting.has_decisions
    first = meeting.items[0]
    assert first.title == "Dagsorden for dagens møde" and first.standing
    assert [b.title for b in first.bilag] == ["Opfølgningsark efter RAR Østjyllands møde den 28. november 2022"]
    assert [b.number for b in first.bilag] == ["1.1"]
    assert first.field("Indstilling").markdown == "Det indstilles, at Rådet godkender dagsordenen."
    assert all(not item.actions for item in meeting.items)

    result = build(root, meeting="2023-01-30")
    names = sorted(p.name for p in result.written if "2023-01-30" in p.name and "web" not in p.parts)
    assert names == ["2023-01-30 Dagsorden RAR Østjylland.docx"]
    lines = dump(root / "output/rar-oestjylland/2023-01-30" / names[0]).splitlines()
    assert "[Felttekst] Bilag:\t1.1 – Opfølgningsark efter RAR Østjyllands møde den 28. november 2022" in lines


def test_new_refuses_to_overwrite(tmp_path, capsys):
    root = _archive(tmp_path)
    before = tree(root / "content")
    assert main(["new", "rar-oestjylland", "2022-11-28", "--root", str(root)]) == 1
    assert "fejl: mødet findes allerede: content/rar-oestjylland/2022-11-28; intet er ændret" in capsys.readouterr().err
    assert tree(root / "content") == before


def test_new_unknown_council_and_bad_date(tmp_path, capsys):
    root = _archive(tmp_path)
    assert main(["new", "rar-vestjylland", "2023-01-30", "--root", str(root)]) == 2
    assert "rardocs: forkert brug: rådet 'rar-vestjylland' findes ikke" in capsys.readouterr().err
    try:
        status = main(["new", "rar-oestjylland", "30-01-2023", "--root", str(root)])
    except SystemExit as exc:
        status = exc.code
    assert status == 2
    assert "ugyldig dato '30-01-2023'" in capsys.readouterr().err


def test_first_meeting_of_a_new_council(project):
    shutil.rmtree(project / "content/rar-test/2023-01-10")
    assert main(["new", "rar-test", "2023-03-01", "--root", str(project)]) == 0
    assert main(["check", "--root", str(project)]) == 0


def test_new_refuses_a_date_before_the_newest_meeting(tmp_path, capsys):
    root = _archive(tmp_path)
    before = tree(root / "content")
    assert main(["new", "rar-oestjylland", "2022-10-15", "--root", str(root)]) == 1
    assert ("fejl: datoen 2022-10-15 er før rådets seneste møde (2022-11-28); intet er oprettet."
            " Skriv --force for at oprette mødet alligevel") in capsys.readouterr().err
    assert tree(root / "content") == before


def test_new_with_force_creates_a_meeting_between_two(tmp_path, capsys):
    root = _archive(tmp_path)
    assert main(["new", "rar-oestjylland", "2022-10-15", "--force", "--root", str(root)]) == 0
    assert "oprettede content/rar-oestjylland/2022-10-15/meeting.yaml" in capsys.readouterr().out
    archive, _ = load(root)
    meeting = next(m for m in archive.meetings if m.date.isoformat() == "2022-10-15")
    september = next(m for m in archive.meetings if m.date.isoformat() == "2022-09-29")
    assert [b.title for b in meeting.items[0].bilag] == ["Opfølgningsark efter RAR Østjyllands møde den 29. september 2022"]
    assert [s.title for s in meeting.sections] == [s.title for s in september.sections]
    assert main(["check", "--root", str(root)]) == 0


def test_new_refuses_a_year_typo(tmp_path, capsys):
    root = _archive(tmp_path)
    before = tree(root / "content")
    assert main(["new", "rar-oestjylland", "2202-01-30", "--root", str(root)]) == 1
    assert ("fejl: årstallet 2202 ligner en tastefejl (datoen skal ligge mellem 1980 og 2107); intet er oprettet"
            in capsys.readouterr().err)
    assert tree(root / "content") == before
