"""Print what the web site costs: search index size and query time at archive scale, and how
soon ``rardocs serve`` shows a saved change.

    python benchmarks/site_bench.py [--meetings 200]

Figures, not assertions (the machines are shared and noisy). The synthetic archive is the
example with its 29 September meeting copied to ``--meetings`` weekly dates (action ids
and dates dropped, so that every copy is valid).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rardocs import load  # noqa: E402
from rardocs.site import rank, search_index, site_files  # noqa: E402

from bench import timed  # noqa: E402  (benchmarks/ is the script's own folder)

SEED = "2022-09-29"


def synthetic(root: Path, meetings: int) -> None:
    """The example archive with the seed meeting copied to ``meetings`` weekly dates."""
    shutil.copytree(REPO / "content", root / "content")
    council = root / "content" / "rar-oestjylland"
    seed = council / SEED
    for n in range(meetings):
        day = dt.date(2023, 1, 2) + dt.timedelta(weeks=n)
        target = council / day.isoformat()
        shutil.copytree(seed, target)
        for path in target.glob("*.md"):
            if path.name.startswith("presse"):
                path.unlink()
                continue
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"^(\s*)- id: .*\n\s*", r"\1- ", text, flags=re.M)  # ids are unique per council
            text = re.sub(r"^\s*done: .*\n", "", text, flags=re.M)  # a date before the copy's meeting
            text = re.sub(r"due: 20\d\d-", f"due: {day.year + 1}-", text)
            if "\n## " in text:
                text += f"\n\nMødenummer {n} (syntetisk).\n"
            path.write_text(text, encoding="utf-8")
        meeting = target / "meeting.yaml"
        meeting.write_text(meeting.read_text(encoding="utf-8").replace(f"date: {SEED}", f"date: {day.isoformat()}"),
                           encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rardocs-sitebench-") as scratch:
        root = Path(scratch)
        synthetic(root, args.meetings)
        archive, _ = load(root)
        council = archive.councils[0]
        meetings = [m for m in archive.meetings if m.council.slug == council.slug]
        index = search_index(meetings, [r for r in archive.press if r.council.slug == council.slug])
        files = {}
        made = timed(lambda: files.update(site_files(archive, council, documents={}, template_folder=None)), 1)
        size = len(files["search-index.js"])
        query = timed(lambda: rank(index, "positivlisten"), 5)
        print(f"{len(meetings)} meetings: site rendered in {made:.2f} s, {len(files)} files")
        print(f"search index: {size / 1024:.0f} KiB ({len(index['entries'])} entries); "
              f"a query (Python, as search.js ranks): {query * 1000:.0f} ms")
        for path, data in files.items():
            (root / "web" / path).parent.mkdir(parents=True, exist_ok=True)
            (root / "web" / path).write_bytes(data)
        _browser_query(root / "web" / "soeg" / "index.html")
    _serve_latency()
    return 0


def _browser_query(page: Path) -> None:
    """The search page in headless Chromium: loading the index, and one query, in search.js."""
    try:
        from selenium import webdriver
    except ImportError:
        print("selenium is not installed: no browser figures")
        return
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("chromium is not installed: no browser figures")
        return
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--allow-file-access-from-files"):
        options.add_argument(argument)
    browser = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
    try:
        browser.get(page.as_uri())
        loaded = browser.execute_script("const t = performance.getEntriesByType('navigation')[0];"
                                        " return t.loadEventEnd - t.startTime;")
        times = []
        for word in ("positivlisten", "unge", "positivlisten kurser", "jobordre", "strategi"):
            times.append(browser.execute_script(
                "const input = document.getElementById('q'); input.value = arguments[0];"
                " const start = performance.now(); input.dispatchEvent(new Event('input'));"
                " return performance.now() - start;", word))
        times.sort()
        print(f"search page in Chromium: loaded in {loaded:.0f} ms; a query shown in {times[2]:.0f} ms (median of 5)")
    finally:
        browser.quit()


def _serve_latency() -> None:
    """Seconds from saving an item file to ``rardocs serve`` serving the new text, against
    a cold ``python build.py`` of the example archive."""
    from rardocs.serve import serve

    with tempfile.TemporaryDirectory(prefix="rardocs-servebench-") as scratch:
        root = Path(scratch)
        shutil.copytree(REPO / "content", root / "content")
        start = time.perf_counter()
        subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], check=True, capture_output=True)
        cold = time.perf_counter() - start
        shutil.rmtree(root / "output")
        ready, holder = threading.Event(), {}
        threading.Thread(target=serve, args=(root, 0), kwargs={"ready": lambda s: (holder.update(s=s), ready.set())},
                         daemon=True).start()
        ready.wait(60)
        port = holder["s"].server_address[1]
        item = root / "content/rar-oestjylland" / SEED / "2.1-positivlisten.md"
        times = []
        for n in range(5):
            item.write_text(item.read_text(encoding="utf-8") + f"\nÆndring {n}.\n", encoding="utf-8")
            saved = time.perf_counter()
            while f"Ændring {n}." not in _get(port, f"/moeder/{SEED}/index.html"):
                time.sleep(0.01)
            times.append(time.perf_counter() - saved)
        holder["s"].shutdown()
        times.sort()
        print(f"rardocs serve, saving an item to the page served with it: median {times[2]:.2f} s"
              f" (cold python build.py: {cold:.2f} s)")


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode("utf-8")


if __name__ == "__main__":
    sys.exit(main())
