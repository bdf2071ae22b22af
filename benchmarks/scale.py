"""Print the figures of issue 11: rardocs at every size, next to its baselines, in one run.

    python benchmarks/scale.py [--meetings 200] [--items 1000] [--runs 3] [--baseline REV | --baseline none]

Each row is measured ``--runs`` times (min / median / max, seconds or as stated) and set
beside its baseline, measured in the same run on the same machine, run by run in turn
(this version, the baseline, pandoc, and again), so that the machine's drift during the
run touches all alike:

- pandoc converting the seed referat's text to one .docx (the speed of a plain converter),
- the same row with the release ``--baseline`` (a git revision, default the last one
  before issue 11; exported with ``git archive``, so no checkout is touched),
- the full build, for an edit that should cost a small part of it.

Synthetic archives come from ``benchmarks/synthetic.py``: ``--meetings`` weekly meetings
of 14 items, and one meeting of ``--items`` items. Figures, not assertions: the machines
are shared and noisy, so compare within one run. Peak RSS is the largest resident set of
the build's processes (the main one or a worker), as ``wait4`` reports it. Python runs
as a user's does, writing and reusing its bytecode cache (``PYTHONDONTWRITEBYTECODE`` is
dropped from the environment), so the first run of each version compiles its modules and
the ones measured do not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import COUNCIL, edit, synthetic  # noqa: E402

#: The release before issue 11's work: the baseline of the "previous release" column.
BASELINE = "4293d1a"
SEED_TEXT = REPO.parent / "shared" / "seeds" / "referat-rar-oestjylland-2022-09-29.txt"
TARGETS = {
    "example --force / pandoc": "≤ 2.5×",
    "per .docx in process (mean)": "≤ 25 ms",
    "N meetings, full build": "≤ 20 s",
    "N meetings, edit first meeting": "≤ 0.1 × full",
    "N meetings, edit newest meeting": "≤ 1 s",
    "N meetings, nothing changed": "≤ 0.1 s",
    "one meeting of K items": "≤ 5 s",
    "peak RSS, N meetings (MiB)": "≤ 120",
}


#: Python as a user has it: the modules' bytecode cached once, not compiled on every run (a
#: machine with PYTHONDONTWRITEBYTECODE set would add 60 ms of compiling rardocs to each).
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Seconds of wall time and the peak RSS (MiB) of ``command`` and the processes it waited for."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENVIRONMENT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def spread(values: list[float]) -> tuple[float, float, float]:
    return min(values), statistics.median(values), max(values)


class Code:
    """One version of rardocs: the working tree, or a revision exported to a folder."""

    def __init__(self, name: str, folder: Path):
        self.name, self.folder = name, folder

    def build(self, project: Path, *extra: str) -> tuple[float, float]:
        return run([sys.executable, str(self.folder / "build.py"), "--root", str(project), *extra])

    def per_document(self, runs: int) -> list[float]:
        """Mean seconds of making a .docx of the example archive in process, one fresh
        process per run (a mean: most of the documents are small, and a median would be
        a press release's). The documents of 28 November and a press release are made first
        (imports, templates: a build pays those once), then each document of 29 September
        and the other press releases is timed as it is made the first time (no text of
        it made before)."""
        script = f"""
import statistics, sys, time
sys.path.insert(0, {str(self.folder)!r})
from pathlib import Path
from rardocs.builder import load, plan
root = Path({str(REPO)!r})
archive, _ = load(root)
jobs = [(p, f) for files in plan(archive, root).values() for p, f in files.items() if p.endswith(".docx")]
press = [p for p, _ in jobs if "/presse/" in p]
warm = [f for p, f in jobs if "2022-11-28" in p or p == press[0]]
timed = [f for p, f in jobs if "2022-09-29" in p or (p in press and p != press[0])]
for job in warm:
    job.make()
times = []
for job in timed:
    start = time.perf_counter(); job.make(); times.append(time.perf_counter() - start)
print(statistics.mean(times))
"""
        return [float(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                                     cwd=self.folder, env=ENVIRONMENT).stdout) for _ in range(runs)]


def export(revision: str, into: Path) -> Code:
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return Code(revision, into)


class Subject:
    """One version of rardocs with its archives: the example, ``--meetings`` meetings and
    one meeting of ``--items`` items, measured a run at a time (:meth:`one_run`)."""

    def __init__(self, code: Code, scratch: Path, args):
        self.code, self.args = code, args
        self.example = scratch / f"example-{code.name}"
        shutil.copytree(REPO / "content", self.example / "content")
        code.build(self.example)
        self.big = scratch / f"big-{code.name}"
        synthetic(self.big, args.meetings)
        folders = [f for f in sorted((self.big / "content" / COUNCIL).iterdir()) if f.is_dir()]
        self.first = sorted(folders[0].glob("2.*.md"))[0]
        self.newest = sorted(folders[-1].glob("2.*.md"))[0]
        self.one = scratch / f"one-{code.name}"
        synthetic(self.one, 1, args.items)

    def one_run(self, n: int) -> dict[str, float]:
        code, big = self.code, self.big
        rows = {"example --force (s)": code.build(self.example, "--force")[0],
                "per .docx in process (mean)": code.per_document(1)[0]}
        shutil.rmtree(big / "output", ignore_errors=True)
        shutil.rmtree(big / ".rardocs-cache", ignore_errors=True)
        rows["N meetings, full build"], rows["peak RSS, N meetings (MiB)"] = code.build(big)
        edit(self.first, n)
        rows["N meetings, edit first meeting"] = code.build(big)[0]
        edit(self.newest, n)
        rows["N meetings, edit newest meeting"] = code.build(big)[0]
        rows["N meetings, nothing changed"] = code.build(big)[0]
        rows["one meeting of K items"] = code.build(self.one, "--force")[0]
        return rows


def measure(codes: list[Code], scratch: Path, args) -> tuple[dict[str, dict[str, list[float]]], list[float] | None]:
    """Every row of every version, and pandoc's time, run by run in turn (now, baseline,
    pandoc, now, …): a machine that slows down or speeds up during the run does so for
    all of them alike, and the ratios hold."""
    subjects = [Subject(code, scratch, args) for code in codes]
    results: dict[str, dict[str, list[float]]] = {code.name: {} for code in codes}
    pandoc: list[float] | None = [] if shutil.which("pandoc") and SEED_TEXT.is_file() else None
    for n in range(args.runs):
        for subject in subjects:
            for row, value in subject.one_run(n).items():
                results[subject.code.name].setdefault(row, []).append(value)
        if pandoc is not None:
            pandoc.extend(pandoc_times(scratch, 1))
    return results, pandoc


def pandoc_times(scratch: Path, runs: int) -> list[float] | None:
    pandoc = shutil.which("pandoc")
    if pandoc is None or not SEED_TEXT.is_file():
        return None
    out = scratch / "seed.docx"
    return [run([pandoc, "-f", "markdown", str(SEED_TEXT), "-o", str(out)])[0] for _ in range(runs)]


def show(value: float, row: str) -> str:
    if "RSS" in row:
        return f"{value:7.0f}"
    if "per .docx" in row:
        return f"{value * 1000:6.1f}ms"
    return f"{value:7.2f}s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE, help="a git revision, or 'none'")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rardocs-scale-") as scratch:
        scratch = Path(scratch)
        codes = [Code("now", REPO)]
        if args.baseline != "none":
            codes.append(export(args.baseline, scratch / "baseline"))
        results, pandoc = measure(codes, scratch, args)

    now = results["now"]
    old = results.get(args.baseline)
    print(f"N = {args.meetings} meetings of 14 items, K = {args.items}; {args.runs} runs each; "
          f"{os.cpu_count()} cores. min / median / max")
    header = f"{'':34} {'now':>29}"
    if old:
        header += f"   {args.baseline:>29}   {'ratio':>6}"
    print(header + "   target")
    for row, values in now.items():
        low, mid, high = spread(values)
        line = f"{row:34} {show(low, row)} {show(mid, row)} {show(high, row)}"
        if old and row in old:
            o_low, o_mid, o_high = spread(old[row])
            line += f"   {show(o_low, row)} {show(o_mid, row)} {show(o_high, row)}   {mid / o_mid:5.2f}×"
        print(line + f"   {TARGETS.get(row, '')}")
    full = statistics.median(now["N meetings, full build"])
    print(f"edit first meeting / full build: {statistics.median(now['N meetings, edit first meeting']) / full:.3f}"
          f"   (target ≤ 0.1)")
    if pandoc:
        p_mid = statistics.median(pandoc)
        print(f"pandoc, the seed referat's text to .docx: {p_mid:.3f} s (median)")
        print(f"example --force / pandoc: now {statistics.median(now['example --force (s)']) / p_mid:.2f}×"
              + (f", {args.baseline} {statistics.median(old['example --force (s)']) / p_mid:.2f}×" if old else "")
              + "   (target ≤ 2.5×, stretch ≤ 1.5×)")
    else:
        print("pandoc is not installed (apt-get install pandoc): no ratio against it")


if __name__ == "__main__":
    main()
