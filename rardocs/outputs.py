"""Where every output file goes: names and folders made from the model.

The one place output names are made, so that the builder, the plan of what a
build should leave in ``output/`` and validation (which refuses names that
cannot be made) agree. Every name part that comes from content (the council's
name, a press file's name, a bilag's file name) passes :func:`safe_name`:
no ``/``, ``\\``, ``..``, control characters or names Windows reserves.

Paths are relative to the output folder, as POSIX strings:

- ``<council>/<date>/<date> Referat <council name>.docx`` (and Dagsorden,
  Opfølgningsark), with file bilag in ``<council>/<date>/bilag/<number>-<name>``;
- ``<council>/<date>/<date> Dagsorden med bilag <council name>.pdf`` (and Referat),
  with ``--pdf``: the document and its bilag in one PDF;
- ``<council>/intern/<date>/… INTERN.docx``: internal versions with closed items;
- ``<council>/presse/<date> Pressemeddelelse <name>.docx`` (and ``.txt``, ``.html``).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import quote

from .kinds import DOCUMENT_KINDS, PRESSEMEDDELELSE
from .model import Bilag, Meeting, PressRelease

INTERNAL = "intern"
BILAG = "bilag"
PRESS = "presse"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
_MAX_BYTES = 120  # of one name part: whole file names stay well under the 255 bytes file systems take


def safe_name(text: str) -> str | None:
    """``text`` as part of a file name, or ``None`` when nothing usable is left.

    Characters no file system takes become ``-``, runs of white space one
    space, leading and trailing dots and spaces go, and long text is cut.
    A name Windows reserves (``CON``, ``NUL``, ``COM1`` …) or one of dots
    and dashes only is refused.
    """
    name = " ".join(_UNSAFE.sub("-", text).split()).strip(" .")
    encoded = name.encode("utf-8")
    if len(encoded) > _MAX_BYTES:
        name = encoded[:_MAX_BYTES].decode("utf-8", "ignore").rstrip(" .")
    if not name.strip(".-") or name.split(".")[0].strip().lower() in _RESERVED:
        return None
    return name


def _name(text: str) -> str:
    name = safe_name(text)
    if name is None:  # validation refuses such content before anything is named
        raise ValueError(f"no file name can be made of {text!r}")
    return name


def meeting_folder(meeting: Meeting, *, internal: bool = False) -> PurePosixPath:
    """``<council>/<date>``, or ``<council>/intern/<date>`` for the internal versions."""
    base = PurePosixPath(meeting.council.slug)
    return (base / INTERNAL if internal else base) / meeting.date.isoformat()


def document_path(kind: str, meeting: Meeting, *, internal: bool = False) -> PurePosixPath:
    """``rar-oestjylland/2022-09-29/2022-09-29 Referat RAR Østjylland.docx``."""
    suffix = " INTERN" if internal else ""
    name = f"{meeting.date.isoformat()} {DOCUMENT_KINDS[kind]} {_name(meeting.council.name)}{suffix}.docx"
    return meeting_folder(meeting, internal=internal) / name


def combined_path(kind: str, meeting: Meeting, *, internal: bool = False) -> PurePosixPath:
    """``rar-oestjylland/2022-11-28/2022-11-28 Dagsorden med bilag RAR Østjylland.pdf``: the
    document with all its bilag in one PDF."""
    suffix = " INTERN" if internal else ""
    name = f"{meeting.date.isoformat()} {DOCUMENT_KINDS[kind]} med bilag {_name(meeting.council.name)}{suffix}.pdf"
    return meeting_folder(meeting, internal=internal) / name


def bilag_name(bilag: Bilag) -> str:
    """``bilag/2.1.1-notat.pdf``: unique in its folder (bilag numbers are) and stable."""
    name = PurePosixPath(bilag.file)
    suffix = name.suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", name.suffix) else ""
    return f"{BILAG}/{_name(f'{bilag.number}-{name.name.removesuffix(suffix)}')}{suffix}"


def bilag_link(bilag: Bilag) -> str:
    """The relative link from a document to its copied bilag file."""
    return quote(bilag_name(bilag))


def bilag_path(bilag: Bilag, meeting: Meeting, *, internal: bool = False) -> PurePosixPath:
    return meeting_folder(meeting, internal=internal) / bilag_name(bilag)


def press_stem(release: PressRelease) -> str:
    """``2022-09-21 Pressemeddelelse lagerprocesoperatoer``."""
    name = re.sub(r"^(\d{4}-\d{2}-\d{2}-?|presse-?)+", "", release.slug) or release.slug
    return f"{release.date.isoformat()} {DOCUMENT_KINDS[PRESSEMEDDELELSE]} {_name(name)}"


def press_paths(release: PressRelease) -> dict[str, PurePosixPath]:
    """The press release as ``docx``, ``txt`` and ``html``."""
    folder = PurePosixPath(release.council.slug) / PRESS
    stem = press_stem(release)
    return {suffix: folder / f"{stem}.{suffix}" for suffix in ("docx", "txt", "html")}


def is_internal(relative: str) -> bool:
    """Whether an output path lies in a council's internal folder."""
    parts = PurePosixPath(relative).parts
    return len(parts) > 1 and parts[1] == INTERNAL
