"""Meetings validated in an earlier build, kept by their fingerprint: an edit reads and
validates the meeting it touched, not the archive.

A meeting's fingerprint (:func:`rardocs.incremental.units`) is a hash of every file of its
folder, of its council's ``council.yaml`` and templates, and of rardocs and the versions
it runs with: all that its validation reads. Kept under it (:mod:`rardocs.memo`, one
table a meeting, ``model/<council>/<date>``) is the model of the meeting, without its
council (the council of this build is put back), and the warnings that reading and
validating its files gave. A meeting with an error is not kept: it is read and
validated every time, and its messages are made afresh.
"""

from __future__ import annotations

import dataclasses

from .. import memo
from ..errors import Problem
from ..model import Council, Meeting

MODEL = "model"


@dataclasses.dataclass(frozen=True)
class KeptMeeting:
    """A meeting as validated, without its council, and its warnings."""

    meeting: Meeting
    warnings: tuple[Problem, ...]


def _table(shown: str) -> str:
    """The table of the meeting folder ``shown`` (``content/<council>/<date>``)."""
    return f"{MODEL}/{shown.removeprefix('content/')}"


def kept_meetings(fingerprints: dict[str, str]) -> dict[str, KeptMeeting]:
    """The meetings kept under their fingerprints (meeting folder as shown → fingerprint)."""
    store = memo.active()
    if store is None:
        return {}
    found = {}
    # The collector does not look meanwhile: it walked the meetings read so far again and
    # again (0.02-0.06 s of an edit at 200 meetings).
    with memo.collector_off():
        for shown, fingerprint in fingerprints.items():
            kept = store.find(_table(shown), fingerprint.encode())
            if isinstance(kept, KeptMeeting):
                found[shown] = kept
    return found


def keep(shown: str, fingerprint: str, meeting: Meeting, problems: list[Problem]) -> None:
    """Keep ``meeting`` (validated from the folder ``shown``) and the ``problems`` its files
    gave, if none is an error."""
    store = memo.active()
    if store is None or any(not p.warning for p in problems):
        return
    value = KeptMeeting(dataclasses.replace(meeting, council=None), tuple(problems))
    store.get(_table(shown), fingerprint.encode(), lambda: value)


def restored(kept: KeptMeeting, council: Council) -> Meeting:
    """A kept meeting with this build's council."""
    return dataclasses.replace(kept.meeting, council=council)
