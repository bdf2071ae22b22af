"""Files as Windows editors, Word and PDFs leave them are read, not refused.

None of these is a mistake: each builds with exit status 0. The odd bytes are
written here as real bytes, so nothing depends on how git checks files out.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import MINIMAL
from docxdump import dump, plain_text
from rardocs.cli import main

ITEM = "content/rar-test/2023-01-10/1.1-dagsorden.md"
REFERAT = "output/rar-test/2023-01-10/2023-01-10 Referat RAR Test.docx"
#: Characters that must never reach a Word document.
BANNED = {"\uf0b7": "U+F0B7 (PDF bullet)", "\x0b": "vertical tab", "\x0c": "form feed",
          "\u00ad": "soft hyphen", "\x00": "NUL"}
#: ``<w:lvlText w:val="U+F0B7"/>`` in numbering.xml: how Word defines a Symbol-font bullet.
LEVEL_TEXT = re.compile(r'<w:lvlText w:val="[^"]*"/>')


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    return root


def item_text(decision: str) -> str:
    """The minimal project's first item with ``decision`` as its Beslutning."""
    text = (MINIMAL / ITEM).read_text(encoding="utf-8")
    assert "Godkendt." in text
    return text.replace("Godkendt.", decision)


def build(root: Path, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["build", "--root", str(root)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_utf8_bom_and_crlf(root, capsys):
    data = b"\xef\xbb\xbf" + item_text("Godkendt med byorden og æøå.").replace("\n", "\r\n").encode("utf-8")
    assert data.count(b"\r\n") > 10
    (root / ITEM).write_bytes(data)
    status, out, err = build(root, capsys)
    assert status == 0, err
    text = plain_text(root / REFERAT)
    assert "Godkendt med byorden og æøå." in text
    assert "Dagsorden for dagens møde" in text  # the title, from the first line after the BOM
    assert "\ufeff" not in text and "\r" not in text


def test_windows_1252(root, capsys):
    data = item_text("Godkendt af Ærø Østergård, åbent.").encode("cp1252")
    data.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (root / ITEM).write_bytes(data)
    status, out, err = build(root, capsys)
    assert status == 0, err
    warnings = [line for line in err.splitlines() if "Windows-1252" in line]
    assert warnings, err
    # the first non-UTF-8 byte is the ø of the title, on line 2
    assert warnings[0].startswith(f"{ITEM}:2: advarsel: "), warnings
    text = plain_text(root / REFERAT)
    assert "Godkendt af Ærø Østergård, åbent." in text
    assert "Dagsorden for dagens møde" in text


def test_windows_1252_warning_is_printed_once(root, capsys):
    (root / ITEM).write_bytes(item_text("Godkendt af Ærø.").encode("cp1252"))
    status, out, err = build(root, capsys)
    assert status == 0, err
    assert len([line for line in err.splitlines() if "Windows-1252" in line]) == 1, err


def test_pasted_invisible_characters(root, capsys):
    decision = ("Godkendt.\n"
                "\n"
                "\uf0b7 Første punkt fra PDF\n"
                "\uf0b7\tAndet punkt fra PDF\n"
                "\n"
                "Lodret\x0btabulator, side\x0cskift, blød bin\u00adde\u00adstreg og nul\x00tegn.")
    (root / ITEM).write_bytes(item_text(decision).encode("utf-8"))
    status, out, err = build(root, capsys)
    assert status == 0, err
    assert "usynlige tegn" in err

    docx = root / REFERAT
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            part = z.read(name).decode("utf-8")
            # The template's own bullet definitions use the Symbol font's U+F0B7 glyph, as Word
            # writes them; that is a list marker definition, not text, and stays.
            part = LEVEL_TEXT.sub("", part)
            found = [label for char, label in BANNED.items() if char in part]
            assert not found, f"{name} contains {found}"
            assert "&#11;" not in part and "&#12;" not in part and "&#xB;" not in part.upper()

    lines = dump(docx).splitlines()
    first = next(line for line in lines if "Første punkt fra PDF" in line)
    second = next(line for line in lines if "Andet punkt fra PDF" in line)
    for line in (first, second):
        assert line.startswith("[ListParagraph/0] "), line
        assert "\uf0b7" not in line
    text = plain_text(docx)
    assert "blød bindestreg" in text  # the soft hyphens are gone, nothing else
    assert "nultegn" in text
    assert "Lodret tabulator" in text
