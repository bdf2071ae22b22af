"""The example meeting's dagsorden and referat: text, styles, structure, validity."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import SEED, copy_example
from docxdump import dump, plain_text
from rardocs import build

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("kind", ["dagsorden", "referat"])
def test_golden_dump(kind, example, update_golden):
    """A readable dump of each document, compared with tests/golden (review changes in the diff)."""
    actual = dump(example[kind])
    golden = GOLDEN / f"rar-oestjylland-2022-09-29-{kind}.txt"
    if update_golden:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing: run pytest --update-golden and review it"
    assert actual == golden.read_text(encoding="utf-8")


def test_file_names_say_what_they_are(example):
    assert example["dagsorden"].name == "2022-09-29 Dagsorden RAR Østjylland.docx"
    assert example["referat"].name == "2022-09-29 Referat RAR Østjylland.docx"
    assert example["referat"].parent.as_posix().endswith("rar-oestjylland/2022-09-29")


def _six_word_sequences(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + 6]) for i in range(len(words) - 5)}


def test_referat_holds_the_seed_text(example):
    seed_lines = SEED.read_text(encoding="utf-8").splitlines()
    page_header = re.compile(r"^\s*(Referat af RAR Østjyllands møde den 29\. september 2022|\d+)\s*$")
    seed = _six_word_sequences("\n".join(line for line in seed_lines if not page_header.match(line)))
    ours = _six_word_sequences(plain_text(example["referat"]))
    assert len(seed & ours) / len(seed) >= 0.95


def test_dagsorden_has_no_decisions(example):
    text = plain_text(example["dagsorden"])
    assert "Beslutning" not in text
    assert "Rådet godkendte de fire indmeldte kurser" not in text
    assert "Rådet godkendte de fire indmeldte kurser" in plain_text(example["referat"])


def test_dagsorden_front_page_lists_every_item(example):
    lines = dump(example["dagsorden"]).splitlines()
    body = lines[lines.index("[Title] Dagsorden for møde i RAR Østjylland"):]
    assert body[1:4] == ["[Mødeoplysning] Tid:\tTorsdag den 29. september 2022 kl. 13.00–16.00",
                         "[Mødeoplysning] Sted:\tArbejdsmarkedskontor Midt-Nord, Aarhus",
                         "[Mødeoplysning] Mødeleder:\tJesper Thorup"]
    assert body[4] == "[Heading1] Dagsordenens punkter"
    rows = [line for line in lines if line.startswith("| ")]
    assert rows[0] == "| Nr. | Punkt | Kategori |"
    assert rows[1] == "| 0. TEMA |"  # a section's group row
    assert rows[2].startswith("| 0.1 | TEMA: De unge") and rows[2].endswith("| (B + oplæg) |")
    assert "| 3.6 | Eventuelt | (O) |" in rows
    assert len(rows) == 1 + 4 + 14
    assert body[5 + len(rows)] == "[Forklaring] B = beslutning · O = orientering · D = drøftelse"
    # The council is named in the title only; the first page has no running header.
    assert sum("RAR Østjylland" in line for line in body[:5 + len(rows)]) == 1


def test_referat_structure(example):
    lines = dump(example["referat"]).splitlines()
    assert "header1: [Header] Referat af RAR Østjyllands møde den 29. september 2022" in lines
    assert "footer1: [Footer] Side {PAGE} af {NUMPAGES}" in lines
    assert "[Mødeoplysning] Tid:\tTorsdag den 29. september 2022 kl. 13.00–16.05" in lines
    headings = [line for line in lines if line.startswith("[Heading2]")]
    assert len(headings) == 14
    assert "[Heading2] 2.1 Justering af positivlisten for regional uddannelsespulje pr. 1. oktober 2022 (B)" in headings
    assert [line for line in lines if line.startswith("[Heading1]")] == [
        "[Heading1] Dagsordenens punkter", "[Heading1] 0. TEMA", "[Heading1] 1. RAR’s interne forhold",
        "[Heading1] 2. Rette kvalifikationer til virksomhedernes behov i rette tid og et arbejdsmarked i balance",
        "[Heading1] 3. Gensidig orientering", "[Heading1] På mødet deltog:"]
    # Labels run in; Beslutning directly after Indstilling.
    labels = [line.split("\t")[0] for line in lines if line.startswith("[Felttekst]") and "\t" in line]
    index = labels.index("[Felttekst] Indstilling:")
    assert labels[index + 1] == "[Felttekst] Beslutning:"
    # "Mødet sluttede" just before the attendance, which is grouped by role with organisations.
    tail = lines[lines.index("[Heading1] På mødet deltog:") - 1:]
    assert tail[0] == "[Normal] Mødet sluttede kl. 16.05."
    assert tail[2:4] == ["[Feltnavn] Medlemmer:", "[ListBullet] Finn D. Pedersen (DA)"]
    assert "[ListBullet] Jesper Thorup (FH), formand" in tail
    assert "[Feltnavn] Baglandsrepræsentanter:" in tail


def test_lettered_points_and_bilag_numbers(example):
    lines = dump(example["referat"]).splitlines()
    assert "[ListParagraph/0] a. Drøfter indspil til videre handling på ungeområdet" in lines
    assert "[ListParagraph/0] A. Kvalificerer og fastlægger overordnet strategi med udgangspunkt i bilag 0.2.1." in lines
    assert any(line.startswith("[Felttekst] Bilag:\t0.1.1 – Analyse af unge i Region Midtjylland: [https://www.rm.dk/")
               for line in lines)
    assert ("[Felttekst] Bilag:\t2.1 – Kurser som indstilles til optag på positivlisten for den regionale"
            " uddannelsespulje pr. 1. oktober 2022") in lines
    assert "[Felttekst] 1.3.2 – RAR’s opgave på baggrund af positivlisten for faglærte fra 3. verdenslande" in lines


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("kind", ["dagsorden", "referat"])
def test_danish_language_and_properties(kind, example):
    parts = _parts(example[kind])
    assert b'w:lang w:val="da-DK"' in parts["word/styles.xml"]
    assert b'w:themeFontLang w:val="da-DK"' in parts["word/settings.xml"]
    core = parts["docProps/core.xml"].decode()
    assert "<dc:language>da-DK</dc:language>" in core
    assert "2022-09-29T12:00:00Z" in core
    assert "RAR Østjylland" in core
    assert "docProps/thumbnail.jpeg" not in parts


@pytest.mark.parametrize("kind", ["dagsorden", "referat"])
def test_every_relationship_id_points_somewhere(kind, example):
    parts = _parts(example[kind])
    for name, data in parts.items():
        if not name.endswith(".xml") or "_rels" in name:
            continue
        folder, base = name.rsplit("/", 1) if "/" in name else ("", name)
        rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        ids = set(re.findall(rb'\br:(?:id|embed|link)="([^"]+)"', data))
        if not ids:
            continue
        rels = etree.fromstring(parts[rels_name])
        known = {r.get("Id").encode() for r in rels}
        assert ids <= known, (name, ids - known)


def test_hyperlinks_are_external_relationships(example):
    parts = _parts(example["referat"])
    rels = parts["word/_rels/document.xml.rels"].decode()
    assert 'Target="https://rar-bm.dk/rar-oestjylland/nyheder/" TargetMode="External"' in rels
    assert parts["word/document.xml"].count(b"<w:hyperlink ") >= 15


@pytest.mark.parametrize("kind", ["dagsorden", "referat"])
def test_no_run_inside_a_text_element(kind, example):
    document = _parts(example[kind])["word/document.xml"]
    assert not re.search(rb"<w:t[ >][^<]*<w:r[ >]", document)


@pytest.mark.parametrize("kind", ["dagsorden", "referat"])
def test_openxml_validator_finds_no_errors(kind, example):
    validator = pytest.importorskip("openxml_audit").OpenXmlValidator()
    result = validator.validate(str(example[kind]))
    assert [str(e) for e in result.errors] == []


def test_builds_are_byte_identical(tmp_path):
    root = copy_example(tmp_path / "project")
    first = build(root, tmp_path / "a")
    second = build(root, tmp_path / "b")
    assert len(first.written) == len(second.written) >= 2
    for a, b in zip(sorted(first.written), sorted(second.written)):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("kind", ["dagsorden", "referat"])
def test_a4_and_headings_in_the_navigation_pane(kind, example):
    parts = _parts(example[kind])
    styles = parts["word/styles.xml"].decode()
    for style_id, level in (("Heading1", 0), ("Heading2", 1)):
        style = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles, re.S).group(0)
        assert f'<w:outlineLvl w:val="{level}"/>' in style
    assert re.search(rb'<w:pgSz w:w="1190[56]" w:h="1683[78]"', parts["word/document.xml"])
