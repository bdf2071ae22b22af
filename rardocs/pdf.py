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
    # SelectPdfVersion is not set: LibreOffice 7.4 writes PDF 1.6 whatever it is given.
    "DisplayPDFDocumentTitle": ("boolean", "true"),
    "ExportBookmarks": ("boolean", "true"),
    "ExportNotes": ("boolean", "false"),
    # A link to a bilag file stays "bilag/2.1-notat.pdf", not the scratch folder's file:// path.
    "ExportLinksRelativeFsys": ("boolean", "true"),
    "UseLosslessCompression": ("boolean", "true"),
}


#: The PDF export filter to give LibreOffice, by the suffixes it opens. Given Writer's,
#: LibreOffice 7.4 exports a spreadsheet through Calc's PDF export all the same, so text
#: documents and spreadsheets share one run (its start-up is most of the time).
FILTERS = {
    "writer_pdf_Export": (".docx", ".doc", ".odt", ".rtf", ".xlsx", ".xls", ".ods"),
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
    bytes, wherever and whenever it is built. rardocs made it: "rardocs" is its creator.
    What LibreOffice's tagging gets wrong for PDF/UA is mended (:func:`_repair_tags`)."""
    pikepdf = require_pikepdf()
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
        _repair_tags(pdf, pikepdf)
        for varies in ("/ID", "/DocChecksum"):  # LibreOffice's random ID (qpdf would keep its first half) and checksum
            if varies in pdf.trailer:
                del pdf.trailer[varies]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


PIKEPDF_HINT = "PDF kræver Python-pakken pikepdf: installér rardocs med pip install -e \".[pdf]\""


def require_pikepdf():
    """pikepdf, or a :class:`BuildError` saying how to install it (the ``pdf`` extra)."""
    try:
        import pikepdf
    except ImportError:
        raise BuildError(PIKEPDF_HINT) from None
    return pikepdf


# --- what LibreOffice 7.4 gets wrong in a tagged PDF/UA export ------------------------------
# rardocs.pdfcheck finds these in every export; normalise() mends them:
#   28-009  /Tabs is written as the string (S), not the name /S, on pages with links;
#   02-003  a paragraph style named "Quote" (a standard structure type) is role-mapped to P;
#   01-005  paragraph borders (the rule under the title) are drawn outside any marked
#           content: neither tagged nor an artifact.
# Deterministic: the same PDF in gives the same PDF out.

#: Content stream operators that paint; path construction before a path painter.
_PAINT_PATH = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"})
_PAINT_OTHER = frozenset({"Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE"})
_PATH = frozenset({"m", "l", "c", "v", "y", "re", "h", "W", "W*"})


def _repair_tags(pdf, pikepdf) -> None:
    """Mend LibreOffice's tagging where PDF/UA-1 needs it (see the comment above)."""
    for page in pdf.pages:
        if len(page.obj.get("/Annots", [])):
            page.obj.Tabs = pikepdf.Name.S
        _artifact_unmarked(pdf, page, pikepdf)
    tree = pdf.Root.get("/StructTreeRoot")
    role_map = tree.get("/RoleMap") if tree is not None else None
    if role_map is None:
        return
    from .pdfcheck import STANDARD_TYPES  # here: a build without PDF does not import the checks

    remapped = {key: role_map[key] for key in list(role_map.keys()) if key[1:] in STANDARD_TYPES}
    if not remapped:
        return
    for key in remapped:
        del role_map[key]
    stack, seen = [tree.get("/K")], set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            if str(node.S) in remapped:
                node.S = remapped[str(node.S)]
            if "/K" in node:
                stack.append(node.K)


def _artifact_unmarked(pdf, page, pikepdf) -> None:
    """Wrap whatever a page paints outside marked content in ``/Artifact BMC … EMC``
    (a path with the operators that build it)."""
    instructions = pikepdf.parse_content_stream(page)
    out, depth, path_start, changed = [], 0, None, False
    for instruction in instructions:
        operator = str(instruction.operator)
        if operator in ("BMC", "BDC"):
            depth += 1
        elif operator == "EMC":
            depth = max(0, depth - 1)
        if depth == 0 and operator in _PATH and path_start is None:
            path_start = len(out)
        if depth == 0 and operator in _PAINT_PATH and operator != "n":
            start = path_start if path_start is not None else len(out)
            out.insert(start, pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
            out.append(instruction)
            out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
            path_start, changed = None, True
            continue
        if operator in _PAINT_PATH:
            path_start = None
        if depth == 0 and operator in _PAINT_OTHER:
            out.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
            out.append(instruction)
            out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
            changed = True
            continue
        out.append(instruction)
    if changed:
        page.obj.Contents = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(out))
