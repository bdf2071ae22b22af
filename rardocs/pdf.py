"""PDF through LibreOffice (``soffice --headless``), when it is installed.

Every PDF is exported tagged and as PDF/UA (the law asks public bodies for
accessible documents), with the document title shown in the title bar and
bookmarks from the headings; the language comes from the document (da-DK).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from .errors import BuildError

INSTALL_HINT = "LibreOffice er ikke installeret, så der kan ikke laves PDF (installér pakken libreoffice-writer-nogui)"

#: LibreOffice's PDF export options (JSON on the command line, LibreOffice 7.4 and later).
EXPORT_OPTIONS = {
    "UseTaggedPDF": ("boolean", "true"),
    "PDFUACompliance": ("boolean", "true"),
    "SelectPdfVersion": ("long", "17"),  # PDF 1.7, what PDF/UA-1 builds on
    "DisplayPDFDocumentTitle": ("boolean", "true"),
    "ExportBookmarks": ("boolean", "true"),
    "ExportNotes": ("boolean", "false"),
    "UseLosslessCompression": ("boolean", "true"),
}


def export_filter() -> str:
    """The ``--convert-to`` argument: PDF with :data:`EXPORT_OPTIONS`."""
    options = {name: {"type": kind, "value": value} for name, (kind, value) in EXPORT_OPTIONS.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(documents: dict[str, bytes]) -> dict[str, bytes]:
    """The PDF of each .docx (output path → bytes), as output path → PDF bytes.

    Each call converts in scratch folders of its own, with a LibreOffice
    profile of its own (so a running LibreOffice does not interfere); the
    caller keeps documents that must not meet (public and internal) in
    separate calls. Raises :class:`BuildError` when a document cannot be
    converted.
    """
    if not documents:
        return {}
    program = soffice()
    if program is None:
        raise BuildError(INSTALL_HINT)
    result = {}
    for batch in _batches(documents):
        with tempfile.TemporaryDirectory(prefix="rardocs-pdf-") as scratch:
            folder = Path(scratch)
            sources = []
            for path in batch:
                source = folder / "docx" / PurePosixPath(path).name
                source.parent.mkdir(exist_ok=True)
                source.write_bytes(documents[path])
                sources.append(source)
            made = {path: folder / "pdf" / f"{PurePosixPath(path).stem}.pdf" for path in batch}
            command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                       "--convert-to", export_filter(), "--outdir", str(folder / "pdf"), *map(str, sources)]
            for _ in range(3):  # a fresh profile's first run may exit early having converted nothing
                try:
                    subprocess.run(command, capture_output=True, timeout=600)
                except (OSError, subprocess.TimeoutExpired) as exc:
                    raise BuildError(f"LibreOffice kunne ikke køres ({exc})") from None
                if all(pdf.exists() for pdf in made.values()):
                    break
            for path, pdf in made.items():
                if not pdf.exists():
                    raise BuildError(f"LibreOffice kunne ikke lave PDF af {PurePosixPath(path).name}")
                result[path] = pdf.read_bytes()
    return result


def _batches(documents: dict[str, bytes]) -> list[list[str]]:
    """Documents in as few batches as possible with no two of one name in a batch."""
    batches: list[list[str]] = []
    for path in documents:
        name = PurePosixPath(path).name
        batch = next((b for b in batches if all(PurePosixPath(p).name != name for p in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(path)
    return batches
