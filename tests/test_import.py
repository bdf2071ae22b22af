"""rardocs import: the seed referat's text, the example's own referat (.docx) back into
content, and the mistakes a user can make (each a Danish message, nothing written)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, SEED, copy_example, tree
from docx import Document

from rardocs import build
from rardocs.cli import main
from rardocs.importer import files as import_files
from rardocs.importer.blocks import Line
from rardocs.importer.lines import join, mark_text_artefacts, to_blocks
from rardocs.importer.word import read_docx

MEETING = "2022-09-29"
REFERAT = f"output/rar-oestjylland/{MEETING}/{MEETING} Referat RAR Østjylland.docx"


def words(text: str) -> list[str]:
    """Words as the coverage counts them: a hyphen and a line-end hyphenation do not count."""
    return import_files.words(text)


def shingles(text: str, n: int = 6) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i:i + n]) for i in range(len(found) - n + 1)}


def referat_text(path: Path) -> str:
    """The referat as its reader sees it: list letters and numbers as Word shows them."""
    return import_files.markdown(read_docx(path))


def bilag_lines(path: Path) -> list[str]:
    """The referat's bilag lines ("2.1.1 – Titel …"), the field's label left out."""
    found = []
    for line in referat_text(path).replace("**", "").splitlines():
        line = line.removeprefix("Bilag: ")
        if re.match(r"^\d\.\d(\.\d)? – ", line):
            found.append(line)
    return found


def without_meeting(target: Path) -> Path:
    root = copy_example(target)
    shutil.rmtree(root / "content" / "rar-oestjylland" / MEETING)
    return root


def import_into_example(tmp_path: Path, capsys, source: Path) -> Path:
    """A project of the example archive without 29 September, ``source`` imported into it."""
    root = without_meeting(tmp_path / "project")
    status, _, err = run(capsys, "import", "--root", str(root), "--council", "rar-oestjylland", str(source))
    assert status == 0, err
    return root


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def fields(path: Path) -> dict[str, str]:
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    return {part.partition("\n")[0].strip(): part.partition("\n")[2] for part in re.split(r"^## ", body, flags=re.MULTILINE)[1:]}


def plain(markdown: str) -> str:
    """A field's Markdown as its words read: links, autolinks, emphasis and list markers aside."""
    markdown = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 \2", markdown)
    markdown = re.sub(r"<(https?://[^>]+)>", r"\1", markdown).replace("**", "").replace("\\", "")
    markdown = re.sub(r"^\s*(?:[-*]|\d+[.)]|[a-zA-Z][.)])\s+", "", markdown, flags=re.MULTILINE)
    return " ".join(markdown.split())


def item_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The example's item files of 29 September and those imported under ``root``, in order."""
    original = EXAMPLE / "content" / "rar-oestjylland" / MEETING
    return (sorted(p for p in original.glob("*.md") if not p.name.startswith("presse")),
            sorted((root / "content" / "rar-oestjylland" / MEETING).glob("*.md")))


def same_meeting(root: Path) -> None:
    """The imported meeting.yaml gives what the example's does (a referat shows no planned end)."""
    folder = Path("content") / "rar-oestjylland" / MEETING / "meeting.yaml"
    before = yaml.safe_load((EXAMPLE / folder).read_text(encoding="utf-8"))
    after = yaml.safe_load((root / folder).read_text(encoding="utf-8"))
    for key in ("date", "start", "ended", "place", "chair", "sections", "attendance"):
        assert before[key] == after[key], key


def words_in_place(old: list[Path], new: list[Path]) -> float:
    """The share of the words of ``old``'s fields that stand in the same item's same field
    of ``new`` (which has the same fields)."""
    total = in_place = 0
    for before, after in zip(old, new, strict=True):
        theirs = fields(after)
        assert set(fields(before)) == set(theirs), after.name
        for name, text in fields(before).items():
            want, have = Counter(words(plain(text))), Counter(words(plain(theirs[name])))
            total += sum(want.values())
            in_place += sum(min(count, have[word]) for word, count in want.items())
    return in_place / total


def paragraphs(path: Path, style: str) -> list[str]:
    return [p.text for p in Document(path).paragraphs if p.style.name == style]


def attendance(path: Path) -> list[str]:
    """The referat's attendance list: its group headings and names, in order."""
    texts = [(p.style.name, p.text) for p in Document(path).paragraphs]
    start = next(i for i, (_, text) in enumerate(texts) if text.startswith("På mødet deltog"))
    return [text for _, text in texts[start:]]


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory, example_output):
    """The seed referat's text imported into the example archive without its meeting, and built."""
    root = without_meeting(tmp_path_factory.mktemp("seed-import") / "project")
    status = main(["import", "--root", str(root), "--council", "rar-oestjylland", str(SEED)])
    assert status == 0
    build(root)
    return root, example_output.parent


def test_seed_text_gives_the_14_items_with_their_categories_and_bilag(seed_import):
    root, example = seed_import
    folder = root / "content" / "rar-oestjylland" / MEETING
    items = sorted(folder.glob("*.md"))
    assert [p.name.split("-", 1)[0] for p in items] == [
        "0.1", "0.2", "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert [front(p)["kind"] for p in items] == [
        "B + oplæg", "B", "B", "O", "B", "B", "O", "O", "O", "O", "O", "O", "D", "O"]
    # The headings and the bilag lines of the built referat are the hand-transcribed example's.
    built, original = root / REFERAT, example / REFERAT
    assert paragraphs(built, "Heading 2") == paragraphs(original, "Heading 2")
    assert paragraphs(built, "Heading 1") == paragraphs(original, "Heading 1")
    bilag = bilag_lines(built)
    # the seed gives 3.4's address, which the hand transcription left out
    assert [line.split(": https://")[0] for line in bilag] == [line.split(": https://")[0] for line in bilag_lines(original)]
    assert [line.split(" – ")[0] for line in bilag] == [
        "0.1.1", "0.1.2", "0.2.1", "0.2.2", "0.2.3", "1.2", "1.3.1", "1.3.2", "2.1", "2.2", "3.2", "3.4"]


def test_seed_text_gives_the_hand_transcription_back(seed_import):
    """The example's 29 September is the seed referat transcribed by hand: the import
    gives the same titles, sections and fields, and 0.99 of the transcription's words
    in the same item's same field (what differs is the seed's own: a typo "op-rettede",
    addresses the transcriber took from the PDF's footnotes)."""
    root, _ = seed_import
    old, new = item_files(root)
    for before, after in zip(old, new, strict=True):
        assert (front(before)["title"], front(before)["section"]) == (front(after)["title"], front(after)["section"])
    assert words_in_place(old, new) >= 0.99


def test_seed_text_gives_all_22_attendees_in_their_groups(seed_import):
    root, example = seed_import
    present = yaml.safe_load((root / "content" / "rar-oestjylland" / MEETING / "meeting.yaml").read_text())[
        "attendance"]["present"]
    assert len(present) == 22
    built = attendance(root / REFERAT)
    assert built[:3] == ["På mødet deltog:", "Medlemmer:", "Finn D. Pedersen (DA)"]
    for heading, count in (("Suppleanter:", 2), ("Tilforordnede:", 1), ("Baglandsrepræsentanter:", 3)):
        assert heading in built
    assert [t for t in built if "(" in t] == [t for t in attendance(example / REFERAT) if "(" in t]


def test_seed_text_built_covers_97_percent_of_its_six_word_sequences(seed_import):
    root, _ = seed_import
    seed = shingles(SEED.read_text(encoding="utf-8"))
    built = shingles(referat_text(root / REFERAT))
    assert len(seed & built) / len(seed) >= 0.97


def test_seed_import_report_lists_what_was_set_aside_and_guessed(seed_import):
    root, _ = seed_import
    report = (root / "content" / "rar-oestjylland" / MEETING / "import-rapport.txt").read_text(encoding="utf-8")
    assert "14 punkter, 22 deltagere" in report
    assert "linje 502: sidehoved: Referat af RAR Østjyllands møde den 29. september 2022" in report
    assert "linje 504: sidetal: 12" in report
    assert "Mødets dato 2022-09-29 er fundet i dokumentet (linje 502)" in report
    assert "Afsnit 0 har ingen overskrift i dokumentet; titlen 'TEMA' er gættet" in report
    assert "linje 882: gentaget adresse (fodnote): https://rar-bm.dk/rar-oestjylland/nyheder/" in report
    assert "rardocs check: mødet er i orden." in report
    used = report.split("BRUGT TIL MØDETS OPLYSNINGER")[1].split("IKKE PLACERET")[0]
    assert "- linje 828: en gruppe i deltagerlisten" in used and "Medlemmer:" in used
    # Every line of the input is in the content or the report.
    council = root / "content" / "rar-oestjylland"
    content = "\n".join(p.read_text(encoding="utf-8") for p in [*(council / MEETING).iterdir(), council / "council.yaml"])
    assert set(words(SEED.read_text(encoding="utf-8"))) - set(words(content)) == set()


def test_import_prints_the_files_and_the_share_of_words(tmp_path, capsys):
    root = without_meeting(tmp_path / "project")
    status, out, _ = run(capsys, "import", "--root", str(root), "--council", "rar-oestjylland", str(SEED))
    assert status == 0
    assert f"skrev content/rar-oestjylland/{MEETING}/meeting.yaml" in out
    assert f"skrev content/rar-oestjylland/{MEETING}/2.1-justering-af-positivlisten-for.md" in out
    share = re.search(r"Importerede 14 punkter; (\d+),(\d) % af ordene i filen står i indholdet", out)
    assert share and int(share.group(1)) >= 95
    assert run(capsys, "check", "--root", str(root))[0] == 0


def test_own_referat_docx_gives_the_content_back(tmp_path, example_output, capsys):
    """Round trip: the example's referat (.docx) imports as the items, fields, bilag and
    attendance it was built from (text equal after whitespace; follow-up actions are
    not in a referat)."""
    root = import_into_example(tmp_path, capsys, example_output.parent / REFERAT)
    old, new = item_files(root)
    imported = root / "content" / "rar-oestjylland" / MEETING
    assert len(old) == len(new) == 14
    for before, after in zip(old, new):
        a, b = front(before), front(after)
        for key in ("title", "section", "closed"):
            assert a.get(key) == b.get(key), (after.name, key)
        kind = a["kind"] if isinstance(a["kind"], str) else " + ".join(a["kind"])
        assert kind == b["kind"]
        assert [(e["title"], e.get("url")) if isinstance(e, dict) else (e, None) for e in a.get("bilag", [])] == [
            (e["title"], e.get("url")) for e in b.get("bilag", [])]
        assert {k: plain(v) for k, v in fields(before).items()} == {k: plain(v) for k, v in fields(after).items()}
    same_meeting(root)
    # A list entry's second paragraph stays in its entry: the letters go on after it.
    activities = fields(next(imported.glob("1.3-*.md")))["Sagsfremstilling"]
    assert re.findall(r"^([A-Z])\) ", activities, flags=re.MULTILINE) == ["A", "B", "C", "D"]
    assert "\n\n    Tidligere praksis (jævnfør RAR Østjyllands beslutning" in activities


def test_an_existing_meeting_is_never_written_into(tmp_path, capsys):
    root = copy_example(tmp_path / "project")
    before = tree(root)
    status, out, err = run(capsys, "import", "--root", str(root), "--council", "rar-oestjylland", str(SEED))
    assert status == 1
    assert err.strip() == (f"fejl: mødet findes allerede: content/rar-oestjylland/{MEETING}; flyt eller slet mappen, "
                           "hvis det skal importeres igen")
    assert tree(root) == before


@pytest.mark.parametrize("name, data, message", [
    ("tom.txt", b"  \n\n", "tom.txt: filen er tom"),
    ("binaer.txt", b"\x00\x01PK\x03\x04" * 100, "binaer.txt: filen er ikke tekst; importér en .docx, .pdf eller .txt"),
    ("referat.odt", b"x", "referat.odt: kan ikke importeres; rardocs læser .docx, .pdf og .txt"),
    ("noter.txt", b"Et referat uden punkter.\n\nKun tekst.\n",
     "noter.txt: der er ingen dagsordenspunkter i filen (et punkt begynder med sit nummer og slutter med "
     "kategorien i parentes, fx '2.1 Positivlisten (B)')"),
    ("udateret.txt", b"1. Afsnit\n\n1.1 Et punkt (B)\n\nBeslutning: Godkendt.\n",
     "udateret.txt: mødets dato står ikke i dokumentet; angiv den med --date ÅÅÅÅ-MM-DD"),
    ("ødelagt.docx", b"PK\x03\x04 not really a zip",
     "ødelagt.docx: filen kan ikke læses som et Word-dokument (.docx)"),
    ("ødelagt.pdf", b"%PDF-1.7\n garbage", "ødelagt.pdf: filen kan ikke læses som PDF"),
])
def test_a_file_that_cannot_be_imported_is_a_short_danish_message(tmp_path, capsys, name, data, message):
    root = without_meeting(tmp_path / "project")
    source = tmp_path / name
    source.write_bytes(data)
    before = tree(root)
    status, out, err = run(capsys, "import", "--root", str(root), "--council", "rar-oestjylland", str(source))
    assert status == 1
    assert err.startswith(f"fejl: {message}")
    assert "Traceback" not in err + out
    assert tree(root) == before


def test_a_missing_file_and_a_bad_council_name_are_messages(tmp_path, capsys):
    root = without_meeting(tmp_path / "project")
    status, _, err = run(capsys, "import", "--root", str(root), "--council", "rar-oestjylland", str(tmp_path / "x.txt"))
    assert (status, err.strip()) == (1, f"fejl: {tmp_path / 'x.txt'}: filen findes ikke")
    status, _, err = run(capsys, "import", "--root", str(root), "--council", "RAR Øst", str(SEED))
    assert status == 1
    assert "rådets mappenavn 'RAR Øst' må kun have små bogstaver a-z, tal og bindestreger" in err


def test_the_date_comes_from_the_option_then_the_file_name(tmp_path, capsys):
    root = without_meeting(tmp_path / "project")
    text = "1. Afsnit\n\n1.1 Et punkt (B)\n\nBeslutning: Godkendt.\n"
    named = tmp_path / "Referat 2023-01-30.txt"
    named.write_text(text, encoding="utf-8")
    assert run(capsys, "import", "--root", str(root), "--council", "rar-oestjylland", str(named))[0] == 0
    report = (root / "content" / "rar-oestjylland" / "2023-01-30" / "import-rapport.txt").read_text(encoding="utf-8")
    assert "Mødets dato står ikke i dokumentet; 2023-01-30 er taget fra filens navn." in report
    status, *_ = run(capsys, "import", "--root", str(root), "--council", "rar-oestjylland", "--date", "2023-03-01",
                     str(SEED))
    assert status == 0
    report = (root / "content" / "rar-oestjylland" / "2023-03-01" / "import-rapport.txt").read_text(encoding="utf-8")
    assert "Dokumentet siger 2022-09-29 (linje 502); --date 2023-03-01 er brugt." in report


#: A Markdown link (``[text](address)``) and a web address, in a field's text.
LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(https?://[^)\s]+\)")
ADDRESS = re.compile(r"https?://[^\s)>\]]+")


def lines(*texts: str, gap: tuple[int, ...] = ()) -> list[Line]:
    return [Line(text, number, gap_before=number in gap) for number, text in enumerate(texts, start=1)]


def test_lines_are_reflowed_with_hyphens_and_addresses_joined_as_they_should_be():
    assert join("kommunernes beskæftigelses-", "planer for 2023") == "kommunernes beskæftigelsesplaner for 2023"
    assert join("samarbejde med a-", "kasser og jobcentre") == "samarbejde med a-kasser og jobcentre"
    assert join("fra FH-", "siden") == "fra FH-siden"
    assert join("beskæftigelses-", "og erhvervspolitik") == "beskæftigelses- og erhvervspolitik"
    assert join("se https://www.rm.dk/siteassets/regional-", "udvikling/ru/x.pdf") == \
        "se https://www.rm.dk/siteassets/regional-udvikling/ru/x.pdf"
    assert join("se https://a.dk/x/", "https://a.dk/x/") == "se https://a.dk/x/ https://a.dk/x/"


def test_a_link_over_two_lines_is_one_link_with_its_texts_joined_as_lines_are():
    """A PDF's link whose text goes on over the line's end gives a link on each line."""
    url = "https://bm.dk/nyheder/midtvejsevaluering/"
    blocks, _ = to_blocks(lines(f"Læs mere: [Midtvejsevaluering af a-]({url})",
                                f"[kasseforsøg offentliggjort (bm.dk)]({url}) her.",
                                f"Om [kommunernes beskæftigelses-]({url})", f"[planer i]({url})", f"[2023]({url}) og",
                                "[andet](https://a.dk/x) [mere](https://a.dk/y).", gap=(3,)))
    assert [b.text for b in blocks] == [
        f"Læs mere: [Midtvejsevaluering af a-kasseforsøg offentliggjort (bm.dk)]({url}) her.",
        f"Om [kommunernes beskæftigelsesplaner i 2023]({url}) og [andet](https://a.dk/x) [mere](https://a.dk/y).",
    ]
    # a bracket in a link's text is escaped; an address with parentheses is one address
    blocks, _ = to_blocks(lines(r"[Bilag \[2\] og](https://a.dk/x_(1))", r"[3](https://a.dk/x_(1))"))
    assert blocks[0].text == r"[Bilag \[2\] og 3](https://a.dk/x_(1))"


def test_bullets_letters_dates_and_running_headers_in_a_text():
    found = lines("Indstilling: Rådet:", "a. Drøfter indspil", "b. Godkender", "\uf0b7 Et punkt med et",
                  "symbol som punkttegn.", "1. oktober 2022 holder Rådet møde.", "Tekst før siden skifter, og",
                  "Referat af RAR Østjyllands møde den 29. september 2022", "12", "teksten fortsætter her.",
                  gap=(4, 6, 7, 8, 9, 10))
    mark_text_artefacts(found)
    blocks, aside = to_blocks(found)
    assert [(b.kind, b.marker, b.text) for b in blocks] == [
        ("para", "", "Indstilling: Rådet:"),
        ("list", "a.", "Drøfter indspil"),
        ("list", "b.", "Godkender"),
        ("list", "-", "Et punkt med et symbol som punkttegn."),
        ("para", "", "1. oktober 2022 holder Rådet møde."),
        ("para", "", "Tekst før siden skifter, og teksten fortsætter her."),
    ]
    assert [(a.where, a.why) for a in aside] == [("linje 8", "sidehoved"), ("linje 9", "sidetal")]


def test_own_referat_pdf_gives_the_content_back_with_99_percent_of_the_words_in_place(tmp_path, example_pdf_output,
                                                                                      capsys):
    """Round trip through the PDF LibreOffice makes of the referat: the same items,
    categories, bilag and attendance, and of each field's words at least 99 % in the
    same item's same field; a link's address, which the PDF only shows as its text,
    comes back from the page's link annotation."""
    pdf = example_pdf_output / "rar-oestjylland" / MEETING / f"{MEETING} Referat RAR Østjylland.pdf"
    root = import_into_example(tmp_path, capsys, pdf)
    old, new = item_files(root)
    imported = root / "content" / "rar-oestjylland" / MEETING
    assert len(new) == 14
    for before, after in zip(old, new):
        a, b = front(before), front(after)
        assert (a["title"], a["section"]) == (b["title"], b["section"])
        assert [e["title"] if isinstance(e, dict) else e for e in a.get("bilag", [])] == [
            e["title"] for e in b.get("bilag", [])]
        theirs = fields(after)
        for name, text in fields(before).items():
            # every address of the field comes back in it, a link's as a link
            assert set(ADDRESS.findall(text)) == set(ADDRESS.findall(theirs.get(name, ""))), (after.name, name)
            for link in LINK.findall(text):
                assert link in theirs[name], (after.name, name, link)
    assert words_in_place(old, new) >= 0.99
    assert ("[Midtvejsevaluering af a-kasseforsøg offentliggjort (bm.dk)](https://bm.dk/nyheder-presse/nyheder/2022/06/"
            "midtvejsevaluering-af-a-kasseforsoeg-offentliggjort/)") in fields(next(imported.glob("2.3-*.md")))[
        "Sagsfremstilling"]
    assert ("[Cirkulære om kriminalforsorgens tilsyn med prøveløsladte, betinget dømte m.v. (tilsynscirkulæret) "
            "(retsinformation.dk)](https://www.retsinformation.dk/eli/retsinfo/2022/9748)") in fields(
        next(imported.glob("3.2-*.md")))["Bilag"]
    same_meeting(root)
    assert run(capsys, "check", "--root", str(root))[0] == 0


def test_the_command_says_when_it_added_members_to_council_yaml(tmp_path, capsys):
    root = without_meeting(tmp_path / "project")
    council = root / "content" / "rar-oestjylland" / "council.yaml"
    text, removed = re.subn(r"^  - name: Dorthe Jensen\n(?:    .*\n)+", "", council.read_text(encoding="utf-8"),
                            flags=re.MULTILINE)
    assert removed == 1
    council.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, "import", "--root", str(root), "--council", "rar-oestjylland", str(SEED))
    assert status == 0
    assert out.splitlines()[0] == "tilføjede medlemmer i content/rar-oestjylland/council.yaml"
    assert "- name: Dorthe Jensen\n    organisation: kommune\n    role: suppleant\n" in council.read_text(encoding="utf-8")


def test_a_dagsorden_imports_as_the_meeting_before_it_was_held(tmp_path, example_output, capsys):
    """A dagsorden has no Beslutning and gives the planned end: the rest as the content."""
    dagsorden = example_output / "rar-oestjylland" / MEETING / f"{MEETING} Dagsorden RAR Østjylland.docx"
    root = import_into_example(tmp_path, capsys, dagsorden)
    old, new = item_files(root)
    imported = root / "content" / "rar-oestjylland" / MEETING
    assert [front(p)["title"] for p in old] == [front(p)["title"] for p in new]
    for before, after in zip(old, new):
        expected = {k: plain(v) for k, v in fields(before).items() if k != "Beslutning"}
        assert {k: plain(v) for k, v in fields(after).items()} == expected, after.name
    meeting = yaml.safe_load((imported / "meeting.yaml").read_text(encoding="utf-8"))
    assert (meeting["start"], meeting["end"], "ended" in meeting) == ("13.00", "16.00", False)


def test_a_council_name_one_letter_off_is_a_typo_not_a_new_council(tmp_path, capsys):
    root = without_meeting(tmp_path / "project")
    before = tree(root)
    status, _, err = run(capsys, "import", "--root", str(root), "--council", "rar-oestjyland", str(SEED))
    assert (status, err.strip()) == (1, "fejl: rådet 'rar-oestjyland' findes ikke under content/; mente du "
                                        "'rar-oestjylland'? (Et nyt råd med et navn så tæt på: opret først mappen "
                                        "content/rar-oestjyland)")
    assert tree(root) == before
    (root / "content" / "rar-oestjyland").mkdir()
    assert run(capsys, "import", "--root", str(root), "--council", "rar-oestjyland", str(SEED))[0] == 0
    assert (root / "content" / "rar-oestjyland" / "council.yaml").is_file()


def test_a_broken_word_keeps_its_hyphen_when_the_document_writes_it_so():
    found = lines("Ledige dagpenge-modtagere og kontanthjælpsmodtagere deltog.",
                  "Det var bl.a. ledige kontanthjælpsmodtagere, dagpenge-", "modtagere og ukrainere, og beskæftigelses-",
                  "planer for 2023.")
    blocks, _ = to_blocks(found)
    assert blocks[0].text.endswith("ledige kontanthjælpsmodtagere, dagpenge-modtagere og ukrainere, og "
                                   "beskæftigelsesplaner for 2023.")


ANOTHER_COUNCIL = """Referat af RAR Nordtests møde den 12. januar 2023

1. Rådets interne forhold

1.1.1 Godkendelse af dagsorden (B)

Sagen kort: Dagsordenen godkendes.

Beslutning: Godkendt.

Bilag: 1.1.1 - Dagsorden: https://example.org/dagsorden.pdf

1.2.1 Orientering fra formandskabet (Oplæg + D)

Videre proces: Sekretariatet følger op.

Ingen bilag til punktet.

Mødet sluttede kl. 15.30

Fra FH:
Anne Hansen
Bo Jensen (suppleant)

Fra DA:
Carl Nielsen, formand

Fra kommunerne: Dorte Madsen

Afbud: Erik Olsen (DA)
"""


def test_a_text_with_attendance_by_organisation_and_names_on_their_own_lines(tmp_path, capsys):
    """Names without bullets, a line each, after "Fra …:"; a group of one on its heading's
    line; "Afbud:"; and "Ingen bilag til punktet." on its own, into a new council."""
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    source = tmp_path / "referat.txt"
    source.write_text(ANOTHER_COUNCIL, encoding="utf-8")
    assert run(capsys, "import", "--root", str(root), "--council", "rar-nordtest", str(source))[0] == 0
    council = yaml.safe_load((root / "content" / "rar-nordtest" / "council.yaml").read_text(encoding="utf-8"))
    assert council["numbering"] == {"item": "{section}.{item}.1", "bilag": "{section}.{item}.{n}"}
    assert council["attendance"] == {"group_by": "organisation", "lone_member": "same_line"}
    assert council["members"] == [
        {"name": "Anne Hansen", "organisation": "FH", "role": "medlem"},
        {"name": "Bo Jensen", "organisation": "FH", "role": "suppleant"},
        {"name": "Carl Nielsen", "organisation": "DA", "role": "medlem", "position": "formand"},
        {"name": "Dorte Madsen", "organisation": "kommune", "role": "medlem"},
        {"name": "Erik Olsen", "organisation": "DA", "role": "medlem"}]
    folder = root / "content" / "rar-nordtest" / "2023-01-12"
    meeting = yaml.safe_load((folder / "meeting.yaml").read_text(encoding="utf-8"))
    assert meeting["attendance"] == {"present": ["Anne Hansen", "Bo Jensen", "Carl Nielsen", "Dorte Madsen"],
                                     "absent": ["Erik Olsen"]}
    assert meeting["ended"] == "15.30"
    second = next(folder.glob("1.2.1-*.md"))
    assert {name: text.strip() for name, text in fields(second).items()} == {
        "Videre proces": "Sekretariatet følger op.", "Bilag": "Ingen bilag til punktet."}
    assert run(capsys, "check", "--root", str(root))[0] == 0
