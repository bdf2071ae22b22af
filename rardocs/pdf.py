"""PDF through LibreOffice (``soffice --headless``), when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import BuildError

INSTALL_HINT = "LibreOffice er ikke installeret, så der kan ikke laves PDF (installér pakken libreoffice-writer-nogui)"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(documents: list[Path]) -> list[Path]:
    """Write ``<name>.pdf`` beside each .docx; return the PDFs.

    Converts in a scratch folder with its own LibreOffice profile (so a
    running LibreOffice does not interfere) and moves each PDF into place
    atomically.
    """
    program = soffice()
    if program is None:
        raise BuildError(INSTALL_HINT)
    written = []
    with tempfile.TemporaryDirectory(prefix="rardocs-pdf-") as scratch:
        scratch_path = Path(scratch)
        profile = (scratch_path / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(scratch_path), *map(str, documents)]
        for _ in range(3):  # a fresh profile's first run may exit early having converted nothing
            subprocess.run(command, capture_output=True, timeout=600)
            if all((scratch_path / f"{doc.stem}.pdf").exists() for doc in documents):
                break
        for doc in documents:
            made = scratch_path / f"{doc.stem}.pdf"
            if not made.exists():
                raise BuildError(f"LibreOffice kunne ikke lave PDF af {doc.name}")
            target = doc.with_suffix(".pdf")
            temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            shutil.copyfile(made, temp)
            os.replace(temp, target)
            written.append(target)
    return written
