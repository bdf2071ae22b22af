"""Print how long making PDFs takes: LibreOffice, normalising and checking, merging.

    python benchmarks/pdf_bench.py [--repeat N]

Figures, not assertions (the machines are shared and noisy). Builds the example
archive's Word files once, then measures, side by side in one run:

- converting all of them in one LibreOffice run (what ``rardocs build --pdf`` does)
  against the baseline of one ``soffice`` run per file, as time per document;
- normalising and checking one PDF (pikepdf), per document;
- making the samlet PDF of the 28 November dagsorden from its PDF and bilag.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rardocs import build  # noqa: E402
from rardocs import pdf as pdfs  # noqa: E402
from rardocs import pdfcheck  # noqa: E402

from bench import timed  # noqa: E402  (benchmarks/ is the script's own folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if pdfs.soffice() is None:
        print("LibreOffice is not installed: nothing to measure (apt-get install libreoffice-writer-nogui)")
        return 1
    with tempfile.TemporaryDirectory(prefix="rardocs-pdfbench-") as scratch:
        root = Path(scratch)
        shutil.copytree(REPO / "content", root / "content")
        build(root)
        documents = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "output").rglob("*.docx"))}
        n = len(documents)
        together = timed(lambda: pdfs.convert(documents), args.repeat)
        one_by_one = timed(lambda: [pdfs.convert({path: data}) for path, data in documents.items()], args.repeat)
        print(f"{n} documents, one LibreOffice run:           {together / n * 1000:7.0f} ms per document")
        print(f"{n} documents, one LibreOffice run each:      {one_by_one / n * 1000:7.0f} ms per document"
              f"   ratio {one_by_one / together:4.1f}x")
        converted = pdfs.convert(documents)
        stamp = dt.datetime(2022, 11, 28, 12)
        normalise = timed(lambda: [pdfs.normalise(data, stamp) for data in converted.values()], args.repeat)
        check = timed(lambda: [pdfcheck.check(data) for data in converted.values()], args.repeat)
        print(f"normalising a PDF (pikepdf):                  {normalise / n * 1000:7.0f} ms per document")
        print(f"checking a PDF's accessibility (pikepdf):     {check / n * 1000:7.0f} ms per document")
        start = time.perf_counter()
        build(root, pdf=True, force=True)
        whole = time.perf_counter() - start
        samlet = sorted((root / "output").rglob("*med bilag*.pdf"))
        print(f"rardocs build --pdf --force, example archive: {whole * 1000:7.0f} ms"
              f" ({len(samlet)} samlet PDFs)")
        _samlet(root, args.repeat)
    return 0


def _samlet(root: Path, repeat: int) -> None:
    """Time combine() alone for the 28 November dagsorden, whose bilag are files."""
    from rardocs import combined
    from rardocs.builder import _bilag_pdf, load, meeting_outputs

    archive, _ = load(root)
    meeting = next(m for m in archive.meetings if m.date == dt.date(2022, 11, 28))
    files = meeting_outputs(meeting, root)
    path, planned = next((p, f) for p, f in files.items() if f.samlet and "Dagsorden" in p)
    document = (root / "output" / path).with_suffix(".pdf").read_bytes()
    office = {str(s): s.read_bytes() for _, _, s in planned.samlet.bilag if s and s.suffix.lower() in pdfs.CONVERTIBLE}
    converted = pdfs.convert(office, strict=False)
    attachments = [combined.Attachment(b.number, b.title, number, _bilag_pdf(s, converted)[0] if s else None, b.url)
                   for number, b, s in planned.samlet.bilag]
    merge = timed(lambda: combined.combine(document, attachments, title=planned.samlet.title, stamp_date=meeting.date),
                  repeat)
    pages = sum(1 for a in attachments if a.pdf)
    print(f"samlet PDF of the 28 November dagsorden ({pages} file bilag): {merge * 1000:5.0f} ms to merge")


if __name__ == "__main__":
    sys.exit(main())
