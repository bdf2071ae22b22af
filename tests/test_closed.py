"""Lukket punkt: a closed item's text reaches no public file, in any part or form."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import copy_example
from docxdump import dump
from rardocs import build

ITEM = "content/rar-oestjylland/2022-09-29/2.2-jobordrer.md"
SECRETS = ["HEMMELIG-SAGSTEKST", "HEMMELIGT-BILAG", "hemmelig.example", "hemmelig-fil", "HEMMELIG-OPFØLGNING",
           "Nye målinger på", "Rådet besluttede at følge jobordre-indsatsen"]


def edit_front(path: Path, change) -> None:
    """Change an item file's front matter (a dict) with ``change``."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    change(data)
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8")


def add_bilag_file(data: dict) -> None:
    data.setdefault("bilag", []).append({"title": "Notat", "file": "bilag/hemmelig-fil.pdf"})


def plant_closed_item(root: Path) -> None:
    path = root / ITEM

    def close(data):
        data["closed"] = True
        data.setdefault("bilag", []).append({"title": "HEMMELIGT-BILAG om virksomhed", "url": "https://hemmelig.example/sag"})
        if not any(b.get("file") for b in data["bilag"]):
            add_bilag_file(data)
        data.setdefault("followup", []).append({"action": "HEMMELIG-OPFØLGNING med virksomheden", "owner": "Sagsudvalget"})

    edit_front(path, close)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Sagen kort\n", "## Sagen kort\n\nHEMMELIG-SAGSTEKST om en navngiven virksomhed, "
                                 "se [sagen](https://hemmelig.example/link).\n", 1), encoding="utf-8")
    (path.parent / "bilag").mkdir(exist_ok=True)
    (path.parent / "bilag" / "hemmelig-fil.pdf").write_bytes(b"%PDF-1.4 HEMMELIG-SAGSTEKST")


@pytest.fixture(scope="module")
def closed_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("closed") / "project"
    copy_example(root)
    plant_closed_item(root)
    assert "closed: true" in (root / ITEM).read_text(encoding="utf-8")
    build(root)
    return root / "output"


def public_files(output: Path) -> list[Path]:
    """Every file of the output folder outside ``intern/``, the state file included."""
    return [p for p in output.rglob("*") if p.is_file() and "intern" not in p.relative_to(output).parts]


def readable_parts(path: Path) -> dict[str, str]:
    """Every part of a file as text: each XML part of a .docx, the text of a PDF, or the file itself."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            return {f"{path.name}:{name}": z.read(name).decode("utf-8", "replace") for name in z.namelist()}
    if path.suffix == ".pdf":
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        return {path.name: text + path.read_bytes().decode("latin-1")}
    return {path.name: path.read_bytes().decode("utf-8", "replace")}


def assert_no_secrets(files: list[Path]) -> None:
    assert files
    for path in files:
        for part, text in readable_parts(path).items():
            for secret in SECRETS:
                assert secret not in text, f"{secret!r} leaked into {part}"


def test_no_public_file_holds_the_closed_items_text(closed_build):
    files = public_files(closed_build)
    assert {p.suffix for p in files} >= {".docx", ".txt", ".html", ".js", ".json", ".atom", ".ics"}  # the web site too
    assert any("web" in p.parts for p in files)
    assert_no_secrets(files)
    # ... nor its file names (a bilag's, say).
    names = "\n".join(p.relative_to(closed_build).as_posix() for p in files)
    assert not [secret for secret in SECRETS if secret.lower() in names.lower()]


def test_public_documents_show_number_title_and_lukket_punkt(closed_build):
    folder = closed_build / "rar-oestjylland/2022-09-29"
    referat = dump(folder / "2022-09-29 Referat RAR Østjylland.docx").splitlines()
    heading = "[Heading2] 2.2 Indsats vedrørende overvågning af jobordrer og virksomhedsservice (Lukket punkt)"
    index = referat.index(heading)
    assert referat[index + 1] == "[Normal] Lukket punkt"
    assert referat[index + 2].startswith("[Heading2] 2.3 ")
    dagsorden = dump(folder / "2022-09-29 Dagsorden RAR Østjylland.docx").splitlines()
    assert "| 2.2 | Indsats vedrørende overvågning af jobordrer og virksomhedsservice | (Lukket punkt) |" in dagsorden
    assert not (folder / "bilag").exists()


def test_internal_versions_carry_everything_apart(closed_build):
    internal = closed_build / "rar-oestjylland/intern/2022-09-29"
    names = sorted(p.name for p in internal.iterdir())
    assert names == ["2022-09-29 Dagsorden RAR Østjylland INTERN.docx", "2022-09-29 Opfølgningsark RAR Østjylland INTERN.docx",
                     "2022-09-29 Referat RAR Østjylland INTERN.docx", "bilag"]
    referat = dump(internal / "2022-09-29 Referat RAR Østjylland INTERN.docx")
    assert "HEMMELIG-SAGSTEKST" in referat and "HEMMELIGT-BILAG" in referat
    headers = [line for line in referat.splitlines() if line.startswith("header")]
    assert len(headers) == 2 and all("INTERNT, indeholder lukkede punkter" in line for line in headers)  # page 1 too
    sheet = dump(internal / "2022-09-29 Opfølgningsark RAR Østjylland INTERN.docx")
    assert "HEMMELIG-OPFØLGNING" in sheet
    headers = [line for line in sheet.splitlines() if line.startswith("header")]
    assert len(headers) == 2 and all("INTERNT, indeholder lukkede punkter" in line for line in headers)
    later = closed_build / "rar-oestjylland/intern/2022-11-28/2022-11-28 Opfølgningsark RAR Østjylland INTERN.docx"
    assert "HEMMELIG-OPFØLGNING" in dump(later)
    assert [p.name for p in (internal / "bilag").iterdir()] == ["2.2.3-hemmelig-fil.pdf"]


def test_an_item_closed_after_a_build_leaves_nothing_behind(tmp_path):
    root = tmp_path / "project"
    copy_example(root)
    path = root / ITEM
    edit_front(path, add_bilag_file)
    (path.parent / "bilag").mkdir()
    (path.parent / "bilag" / "hemmelig-fil.pdf").write_bytes(b"%PDF-1.4 HEMMELIG-SAGSTEKST")
    build(root)
    [copied] = (root / "output/rar-oestjylland/2022-09-29/bilag").glob("*-hemmelig-fil.pdf")
    plant_closed_item(root)
    result = build(root)
    assert [(p.name, why) for p, why in result.removed] == [(copied.name, "laves ikke længere")]
    assert not (root / "output/rar-oestjylland/2022-09-29/bilag").exists()
    assert_no_secrets(public_files(root / "output"))


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are not installed")
def test_public_pdfs_hold_no_closed_text(tmp_path):
    root = tmp_path / "project"
    copy_example(root)
    plant_closed_item(root)
    build(root, meeting="2022-09-29", pdf=True)
    public = public_files(root / "output")
    pdfs = [p for p in public if p.suffix == ".pdf"]
    documents = sorted(p.stem for p in public if p.suffix == ".docx" and "bilag" not in p.parts)
    assert sorted(p.stem for p in pdfs if "bilag" not in p.parts and " med bilag " not in p.name) == documents
    samlet = sorted(p.name for p in pdfs if " med bilag " in p.name and p.name.startswith("2022-09-29"))
    assert samlet == ["2022-09-29 Dagsorden med bilag RAR Østjylland.pdf", "2022-09-29 Referat med bilag RAR Østjylland.pdf"]
    assert_no_secrets(pdfs)  # the samlet PDFs too: a closed item's bilag never goes in
    internal_pdf = root / "output/rar-oestjylland/intern/2022-09-29/2022-09-29 Referat RAR Østjylland INTERN.pdf"
    assert "HEMMELIG-SAGSTEKST" in readable_parts(internal_pdf)[internal_pdf.name]
