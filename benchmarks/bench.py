"""Print how long building the example meeting takes, next to pandoc on the same Markdown.

    python benchmarks/bench.py [--repeat N]

Figures, not assertions: the machines are shared and noisy, so compare the
ratios printed in one run. Measures ``python build.py`` as a whole command
(cold start included), the in-process time per document, the whole archive
built from scratch and rebuilt with nothing changed, and - when pandoc is
installed - pandoc converting the meeting's item files to one .docx.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rardocs import build_document, load  # noqa: E402

MEETING = REPO / "content" / "rar-oestjylland" / "2022-09-29"


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    with tempfile.TemporaryDirectory() as scratch:
        def whole_command():
            subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(REPO), "--meeting", "2022-09-29",
                            "--force"], check=True, capture_output=True)
        command = timed(whole_command, repeat)

        archive, _ = load(REPO)
        meeting = next(m for m in archive.meetings if m.date.isoformat() == "2022-09-29")
        per_kind = {kind: timed(lambda kind=kind: build_document(meeting, kind, REPO), repeat)
                    for kind in ("dagsorden", "referat")}
        load_time = timed(lambda: load(REPO), repeat)

        project = Path(scratch) / "project"
        shutil.copytree(REPO / "content", project / "content")
        build_archive = [sys.executable, str(REPO / "build.py"), "--root", str(project)]

        def archive_first():
            shutil.rmtree(project / "output", ignore_errors=True)
            subprocess.run(build_archive, check=True, capture_output=True)

        first = timed(archive_first, repeat)
        again = timed(lambda: subprocess.run(build_archive, check=True, capture_output=True), repeat)
        bare = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), repeat)

        print(f"whole archive, first build (whole command):      {first * 1000:8.0f} ms")
        print(f"whole archive, nothing changed (whole command):  {again * 1000:8.0f} ms   ratio {first / again:5.1f}x")
        print(f"  of which starting Python itself:               {bare * 1000:8.0f} ms")
        print(f"python build.py --force, one meeting's dagsorden and referat (whole command): {command * 1000:8.0f} ms")
        print(f"  load + validate (in process):                   {load_time * 1000:8.0f} ms")
        for kind, seconds in per_kind.items():
            print(f"  {kind} (in process):                        {seconds * 1000:8.0f} ms")

        pandoc = shutil.which("pandoc")
        if pandoc is None:
            print("pandoc is not installed: no comparison (apt-get install pandoc)")
            return
        markdown = Path(scratch) / "meeting.md"
        markdown.write_text("\n\n".join(p.read_text(encoding="utf-8").split("---", 2)[2]
                                        for p in sorted(MEETING.glob("*.md"))), encoding="utf-8")
        out = Path(scratch) / "meeting.docx"
        pandoc_time = timed(lambda: subprocess.run([pandoc, str(markdown), "-o", str(out)], check=True), repeat)
        print(f"pandoc, the same Markdown to one .docx:           {pandoc_time * 1000:8.0f} ms")
        print(f"ratio build.py --force (2 documents) / pandoc (1): {command / pandoc_time:7.2f}")
        print(f"ratio build.py, nothing changed / pandoc (1):      {again / pandoc_time:7.2f}")


if __name__ == "__main__":
    main()
