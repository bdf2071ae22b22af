"""Both documents opened by a real consumer: LibreOffice converts them to PDF."""

from __future__ import annotations

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")


def convert_to_pdf(docs, outdir, profile):
    """Convert with a private profile; a fresh profile's first run may exit 81 having done nothing."""
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(outdir), *map(str, docs)]
    for _ in range(3):
        subprocess.run(command, capture_output=True, timeout=300)
        if all((outdir / f"{doc.stem}.pdf").exists() for doc in docs):
            return
    pytest.fail("LibreOffice did not convert the documents")


def pdf_text(pdf) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_libreoffice_opens_both_documents(example, tmp_path):
    docs = [example["dagsorden"], example["referat"]]
    convert_to_pdf(docs, tmp_path, tmp_path / "profile")
    referat = pdf_text(tmp_path / f"{example['referat'].stem}.pdf")
    dagsorden = pdf_text(tmp_path / f"{example['dagsorden'].stem}.pdf")
    pages = referat.count("\f")
    assert pages >= 10
    # The running header on every page but the first, which opens with the title and the overview.
    assert referat.count("Referat af RAR Østjyllands møde den 29. september 2022") == pages - 1
    first = referat.split("\f")[0]
    assert first.startswith("Referat af møde i RAR Østjylland") and "Dagsordenens punkter" in first
    assert "3.6" in first and "Eventuelt" in first  # the whole overview on page 1
    assert f"Side 2 af {pages}" in referat or f"Side 2 af {pages + 1}" in referat
    assert "Dagsorden for RAR Østjyllands møde den 29. september 2022" in dagsorden
    assert "Beslutning" not in dagsorden
    assert "a. Drøfter indspil til videre handling på ungeområdet" in " ".join(referat.split())


def test_build_pdf_writes_a_pdf_beside_each_document(project, capsys):
    from rardocs.cli import main
    assert main(["build", "--root", str(project), "--pdf"]) == 0
    folder = project / "output/rar-test/2023-01-10"
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "2023-01-10 Dagsorden RAR Test.pdf", "2023-01-10 Dagsorden med bilag RAR Test.pdf",
        "2023-01-10 Opfølgningsark RAR Test.pdf", "2023-01-10 Referat RAR Test.pdf",
        "2023-01-10 Referat med bilag RAR Test.pdf"]
    assert "Ledigheden er faldet til 3,9 %" in " ".join(pdf_text(folder / "2023-01-10 Dagsorden RAR Test.pdf").split())
    capsys.readouterr()
    assert main(["build", "--root", str(project), "--pdf"]) == 0
    assert capsys.readouterr().out == "Alt er opdateret; intet at bygge.\n"


def test_pdf_without_pikepdf_says_how_to_install_it(project, capsys, monkeypatch):
    """--pdf needs the pdf extra: without pikepdf the build says so and writes nothing."""
    import builtins

    from rardocs.cli import main

    real_import = builtins.__import__

    def no_pikepdf(name, *args, **kwargs):
        if name == "pikepdf" or name.startswith("pikepdf."):
            raise ImportError("No module named 'pikepdf'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pikepdf)
    assert main(["build", "--root", str(project), "--pdf"]) == 1
    assert 'fejl: PDF kræver Python-pakken pikepdf: installér rardocs med pip install -e ".[pdf]"' in capsys.readouterr().err
    assert not (project / "output").exists() or not any((project / "output").rglob("*.docx"))
