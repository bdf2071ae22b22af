"""PDF through LibreOffice (``soffice --headless``), when it is installed.

Every PDF is exported tagged and as PDF/UA (the law asks public bodies for
accessible documents), with the document title shown in the title bar and
bookmarks from the headings; the language comes from the document (da-DK).
"""

from __future__ import annotations

import datetime as dt
import io
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


#: The PDF export filter of each LibreOffice application, by the suffixes it opens.
FILTERS = {
    "writer_pdf_Export": (".docx", ".doc", ".odt", ".rtf"),
    "calc_pdf_Export": (".xlsx", ".xls", ".ods"),
    "impress_pdf_Export": (".pptx", ".ppt", ".odp"),
}
CONVERTIBLE = tuple(suffix for suffixes in FILTERS.values() for suffix in suffixes)


def export_filter(name: str = "writer_pdf_Export") -> str:
    """The ``--convert-to`` argument: PDF through filter ``name`` with :data:`EXPORT_OPTIONS`."""
    options = {option: {"type": kind, "value": value} for option, (kind, value) in EXPORT_OPTIONS.items()}
    return f"pdf:{name}:" + json.dumps(options, separators=(",", ":"))


def _filter(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    return next(name for name, suffixes in FILTERS.items() if suffix in suffixes)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(documents: dict[str, bytes], *, strict: bool = True) -> dict[str, bytes]:
    """The PDF of each document (path → bytes; a .docx, or any suffix in
    :data:`CONVERTIBLE`), as path → PDF bytes.

    One LibreOffice run converts as many documents as it can (all of one
    application whose file names differ), in scratch folders of its own with a
    profile of its own (so a running LibreOffice does not interfere); a document
    is only ever written to its own PDF. Raises :class:`BuildError` when a
    document cannot be converted; with ``strict=False`` (bilag, which may be
    broken) such a document is left out of the result instead.
    """
    if not documents:
        return {}
    program = soffice()
    if program is None:
        raise BuildError(INSTALL_HINT)
    result = {}
    for export, batch in _batches(documents):
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
                       "--convert-to", export_filter(export), "--outdir", str(folder / "pdf"), *map(str, sources)]
            for _ in range(3):  # a fresh profile's first run may exit early having converted nothing
                try:
                    subprocess.run(command, capture_output=True, timeout=600)
                except (OSError, subprocess.TimeoutExpired) as exc:
                    raise BuildError(f"LibreOffice kunne ikke køres ({exc})") from None
                if any(pdf.exists() for pdf in made.values()):
                    break
            for path, pdf in made.items():
                if pdf.exists():
                    result[path] = pdf.read_bytes()
                elif strict:
                    raise BuildError(f"LibreOffice kunne ikke lave PDF af {PurePosixPath(path).name}")
    return result


def _batches(documents: dict[str, bytes]) -> list[tuple[str, list[str]]]:
    """Documents in as few batches as possible: one export filter, and no two in a batch
    whose PDFs would have one name."""
    batches: list[tuple[str, list[str]]] = []
    for path in documents:
        stem, export = PurePosixPath(path).stem.lower(), _filter(path)
        batch = next((b for f, b in batches if f == export and all(PurePosixPath(p).stem.lower() != stem for p in b)), None)
        if batch is None:
            batches.append((export, batch := []))
        batch.append(path)
    return batches


def normalise(data: bytes, stamp: dt.datetime) -> bytes:
    """The PDF with every date LibreOffice wrote (the time of the export) set to ``stamp``
    and a document ID computed from its content: the same document gives the same
    bytes, wherever and whenever it is built. rardocs made it: "rardocs" is its creator."""
    pikepdf = _pikepdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["xmp:CreateDate"] = xmp["xmp:ModifyDate"] = xmp["xmp:MetadataDate"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
            xmp["xmp:CreatorTool"] = "rardocs"
            for random_id in ("xmpMM:DocumentID", "xmpMM:InstanceID"):
                if random_id in xmp:
                    del xmp[random_id]
        when = stamp.strftime("D:%Y%m%d%H%M%SZ")
        pdf.docinfo["/CreationDate"] = pdf.docinfo["/ModDate"] = pikepdf.String(when)
        pdf.docinfo["/Creator"] = pikepdf.String("rardocs")
        for varies in ("/ID", "/DocChecksum"):  # LibreOffice's random ID (qpdf would keep its first half) and checksum
            if varies in pdf.trailer:
                del pdf.trailer[varies]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


PIKEPDF_HINT = "PDF kræver Python-pakken pikepdf: installér rardocs med pip install -e \".[pdf]\""


def _pikepdf():
    try:
        import pikepdf
    except ImportError:
        raise BuildError(PIKEPDF_HINT) from None
    return pikepdf
