"""Turning what :mod:`rardocs.content` read into the model, checking everything.

Every mistake is collected, never only the first: :func:`validate` returns the
archive and the warnings, or raises :class:`ContentError` listing all problems.
One module per kind of file: :mod:`.council`, :mod:`.meeting`, :mod:`.item`,
:mod:`.press`; :mod:`.checker` holds what they share.
"""

from __future__ import annotations

from .. import memo, outputs
from ..content import RawArchive
from ..errors import ContentError, Problem
from ..model import Action, Archive, Meeting, PressRelease
from .council import validate_council
from .item import TEXTS
from .kept import MODEL, KeptMeeting, keep, restored
from .meeting import validate_meeting
from .press import validate_press

__all__ = ["validate"]


def _check_action_ids(meetings: list[Meeting], problems: list[Problem]) -> None:
    seen: dict[str, Action] = {}
    for meeting in meetings:
        for item in meeting.items:
            for action in item.actions:
                if action.id in seen:
                    problems.append(Problem(action.source.path, action.source.line,
                                            f"opfølgningens id '{action.id}' bruges også i {seen[action.id].source}"))
                seen.setdefault(action.id, action)


def _check_press_names(releases: list[PressRelease], problems: list[Problem]) -> list[PressRelease]:
    """Press releases whose output names cannot be made or collide are errors; returns the good ones."""
    good: dict[str, PressRelease] = {}
    for release in releases:
        try:
            path = str(outputs.press_paths(release)["docx"])
        except ValueError:
            problems.append(Problem(release.source.path, 0, "filnavnet kan ikke bruges til pressemeddelelsens filer; omdøb filen"))
            continue
        if path in good:
            problems.append(Problem(release.source.path, 0, f"giver samme filer ({path.rsplit('/', 1)[-1].removesuffix('.docx')}) "
                                                           f"som {good[path].source.path}; giv en af dem et andet filnavn eller en anden dato"))
            continue
        good[path] = release
    return list(good.values())


# --- the archive ------------------------------------------------------------------------


def validate(raw: RawArchive, kept: dict[str, KeptMeeting] | None = None,
             fingerprints: dict[str, str] | None = None) -> tuple[Archive, list[Problem]]:
    """Check everything read; return the archive and its warnings.

    Raises :class:`ContentError` listing every problem (warnings included)
    when anything is wrong. ``kept``: meetings not read, validated in an earlier build
    (:mod:`.kept`), by folder as shown; ``fingerprints``: the meetings' fingerprints by
    folder, under which those validated now are kept.
    """
    kept, fingerprints = kept or {}, fingerprints or {}
    problems = list(raw.problems)
    councils, meetings, press = [], [], []
    content_root = raw.root / "content"
    for raw_council in raw.councils:
        council = validate_council(raw_council, problems)
        if council is None:
            continue
        councils.append(council)
        own = []
        for raw_meeting in raw_council.meetings:
            start = len(problems)
            meeting = validate_meeting(raw_meeting, council, content_root, problems)
            if meeting is None:
                continue
            own.append(meeting)
            if raw_meeting.shown in fingerprints:
                keep(raw_meeting.shown, fingerprints[raw_meeting.shown], meeting, raw_meeting.problems + problems[start:])
        for shown, known in kept.items():
            if shown.rpartition("/")[0] == raw_council.shown:
                own.append(restored(known, council))
                problems.extend(known.warnings)
                if memo.active() is not None:  # its text checks stay for when it changes
                    memo.active().spare(f"{TEXTS}/{shown.removeprefix('content/')}")
        own.sort(key=lambda m: m.date)
        _check_action_ids(own, problems)
        meetings.extend(own)
        releases = [p for p in (validate_press(r, council, own, problems) for r in raw_council.press) if p]
        press.extend(_check_press_names(releases, problems))
    if memo.active() is not None:
        # every meeting was validated, or spared: what is left over is of meetings gone
        memo.active().prune(TEXTS)
        if fingerprints:
            memo.active().prune(MODEL)
    if any(not p.warning for p in problems):
        raise ContentError(problems)
    return Archive(tuple(councils), tuple(meetings), tuple(press)), sorted(problems)

