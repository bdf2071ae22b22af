"""Synthetic archives for the benchmarks: the example's 29 September meeting copied to many dates.

    python benchmarks/synthetic.py FOLDER [--meetings N] [--items K]

writes a project (``FOLDER/content/...``) with the example's council.yaml and ``N`` weekly
meetings from 2 January 2023. Each meeting has ``K`` items (default: the seed's 14), made by
going round the seed's items; each action gets an id of its own (ids are unique per
council), due dates move to the year after the meeting and ``done:`` dates to a week after it, so
every copy is valid and its follow-up carries on. Every field gets a sentence that names
its meeting, item and field, so that no two documents are alike (as in a real archive,
where a cache of equal texts would flatter the figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COUNCIL = "rar-oestjylland"
SEED = REPO / "content" / COUNCIL / "2022-09-29"
FIRST = dt.date(2023, 1, 2)


def meeting_dates(meetings: int) -> list[dt.date]:
    return [FIRST + dt.timedelta(weeks=n) for n in range(meetings)]


def synthetic(root: Path, meetings: int, items: int | None = None) -> list[Path]:
    """Write the project at ``root``; returns its meeting folders, oldest first."""
    council = root / "content" / COUNCIL
    council.mkdir(parents=True)
    shutil.copy(REPO / "content" / COUNCIL / "council.yaml", council)
    seeds = sorted(p for p in SEED.glob("*.md") if not p.name.startswith("presse"))
    count = len(seeds) if items is None else items
    texts = {p: p.read_text(encoding="utf-8") for p in seeds}
    meeting_text = (SEED / "meeting.yaml").read_text(encoding="utf-8")
    folders = []
    for n, day in enumerate(meeting_dates(meetings)):
        folder = council / day.isoformat()
        folder.mkdir()
        (folder / "meeting.yaml").write_text(meeting_text.replace("date: 2022-09-29", f"date: {day.isoformat()}"),
                                             encoding="utf-8")
        for k in range(count):
            seed = seeds[k % len(seeds)]
            section, _, rest = seed.name.partition(".")
            name = f"{section}.{k + 1:04d}-{rest.partition('-')[2]}"
            (folder / name).write_text(_item(texts[seed], day, n, k), encoding="utf-8")
        folders.append(folder)
    return folders


def _item(text: str, day: dt.date, n: int, k: int) -> str:
    text = re.sub(r"^(\s*- id: )(.*)$", rf"\g<1>\g<2>-m{n}-p{k}", text, flags=re.M)
    text = re.sub(r"done: 20\d\d-\d\d-\d\d", f"done: {day + dt.timedelta(days=7)}", text)
    text = re.sub(r"due: 20\d\d-", f"due: {day.year + 1}-", text)
    head, separator, body = text.partition("\n---\n")
    fields = re.split(r"(?m)^(?=## )", body)
    marked = [field.rstrip("\n") + f"\n\nSyntetisk møde {n + 1}, punkt {k + 1}, feltet "
              f"{field.splitlines()[0].removeprefix('## ')}.\n\n" if field.startswith("## ") else field
              for field in fields]
    return head + separator + "".join(marked)


def edit(item: Path, n: int) -> None:
    """Change one sentence of ``item`` (its first field), as a secretary's edit does."""
    text = item.read_text(encoding="utf-8")
    item.write_text(re.sub(r"(?m)^(Syntetisk møde \d+, punkt \d+, feltet [^.]*)\.",
                           rf"\1 (rettet {n}).", text, count=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--items", type=int, default=None)
    args = parser.parse_args()
    folders = synthetic(args.folder, args.meetings, args.items)
    print(f"{len(folders)} meetings written under {args.folder / 'content' / COUNCIL}")


if __name__ == "__main__":
    main()
