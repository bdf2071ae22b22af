"""Danish formatting of dates, times and numbers (the only module using Babel).

Babel is imported by the functions that need Danish words or grouping, not
with the module: ``rardocs check`` and ``rardocs opfølgning`` start faster
without it. Dates and times of digits only are written directly, as Babel
writes them for ``da_DK``. Dates in words are kept per date: an archive's
opfølgningsark and web pages show the same few dates thousands of times.
"""

from __future__ import annotations

import datetime as dt
import functools

LOCALE = "da_DK"


@functools.lru_cache(maxsize=4096)
def long_date(day: dt.date) -> str:
    """``29. september 2022``."""
    from babel.dates import format_date

    return format_date(day, "d. MMMM y", locale=LOCALE)


@functools.lru_cache(maxsize=4096)
def full_date(day: dt.date) -> str:
    """``torsdag den 29. september 2022``."""
    from babel.dates import format_date

    return format_date(day, "full", locale=LOCALE)


def short_date(day: dt.date) -> str:
    """``29.09.2022``, for narrow table cells (Babel's ``dd.MM.y``)."""
    return f"{day.day:02}.{day.month:02}.{day.year}"


def clock(time: dt.time) -> str:
    """``13.00`` (Babel's ``HH.mm``)."""
    return f"{time.hour:02}.{time.minute:02}"


def time_span(start: dt.time | None, end: dt.time | None) -> str:
    """``kl. 13.00–16.05``, ``kl. 13.00`` or the empty string."""
    if start is None:
        return ""
    if end is None:
        return f"kl. {clock(start)}"
    return f"kl. {clock(start)}–{clock(end)}"


def number(value: int | float) -> str:
    """``23.055``, ``3,9``."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=LOCALE)


def kind_label(kind: tuple[str, ...]) -> str:
    """``(B)``, ``(B + oplæg)`` or ``(Oplæg + D)``: the parts in the author's order."""
    return "(" + " + ".join(kind) + ")" if kind else ""
