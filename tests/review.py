"""Look at every example document as a secretary would: as pages.

    python tests/review.py [--root .] [--out review] [--dpi 60]

Builds a scratch copy of ``<root>/content`` with ``--pdf`` (LibreOffice), then
renders every page of every PDF to PNG with poppler's ``pdftoppm`` under
``<out>/<document>/page-N.png``, plus ``<out>/<document>.png``, all pages of the
document side by side (ImageMagick's ``montage``, when installed), and prints
each document's page count. The live ``content/`` and ``output/`` are not
touched; ``review/`` is git-ignored and replaced on every run. Open the PNGs
and ask: would a secretary send this without opening Word?
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the project (its content/ is built)")
    parser.add_argument("--out", type=Path, default=HERE.parent / "review", help="where the PNGs go")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args(argv)
    for program in ("soffice", "pdftoppm"):
        if shutil.which(program) is None:
            print(f"{program} is not installed (apt-get install libreoffice-writer-nogui poppler-utils)", file=sys.stderr)
            return 1
    from rardocs.builder import build

    out = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="rardocs-review-") as scratch:
        project = Path(scratch)
        shutil.copytree(args.root / "content", project / "content")
        build(project, pdf=True, force=True)
        for pdf in sorted((project / "output").rglob("*.pdf")):
            relative = pdf.relative_to(project / "output")
            name = f"{relative.parts[0]} {pdf.stem}"
            target = out / name
            target.mkdir()
            subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(target / "page")], check=True)
            pages = sorted(target.glob("page-*.png"))
            if shutil.which("montage"):
                subprocess.run(["montage", *map(str, pages), "-tile", f"{min(len(pages), 4)}x",
                                "-geometry", "+4+4", "-background", "#888", str(out / f"{name}.png")], check=True)
            print(f"{len(pages):3d} pages  {relative}")
    print(f"pages in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
