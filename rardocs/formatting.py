"""Danish formatting of dates, times and numbers (the only module using Babel)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

LOCALE = "da_DK"


def long_date(day: dt.date) -> str:
    """``29. september 2022``."""
    return format_date(day, "d. MMMM y", locale=LOCALE)


def full_date(day: dt.date) -> str:
    """``torsdag den 29. september 2022``."""
    return format_date(day, "full", locale=LOCALE)


def short_date(day: dt.date) -> str:
    """``29.09.2022``, for narrow table cells."""
    return format_date(day, "dd.MM.y", locale=LOCALE)


def clock(time: dt.time) -> str:
    """``13.00``."""
    return format_time(time, "HH.mm", locale=LOCALE)


def time_span(start: dt.time | None, end: dt.time | None) -> str:
    """``kl. 13.00–16.05``, ``kl. 13.00`` or the empty string."""
    if start is None:
        return ""
    if end is None:
        return f"kl. {clock(start)}"
    return f"kl. {clock(start)}–{clock(end)}"


def number(value: int | float) -> str:
    """``23.055``, ``3,9``."""
    return format_decimal(value, locale=LOCALE)


def kind_label(kind: tuple[str, ...]) -> str:
    """``(B)``, ``(B + oplæg)`` or ``(Oplæg + D)``: the parts in the author's order."""
    return "(" + " + ".join(kind) + ")" if kind else ""
