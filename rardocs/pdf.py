"""PDF through LibreOffice (``soffice --headless``), when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from .errors import BuildError

INSTALL_HINT = "LibreOffice er ikke installeret, så der kan ikke laves PDF (installér pakken libreoffice-writer-nogui)"


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
                       "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, sources)]
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
