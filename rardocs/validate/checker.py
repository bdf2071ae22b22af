"""The helpers every validator uses: a per-file problem collector and suggestions."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from ..content import YamlDoc
from ..errors import Problem
from ..model import PressContact, Source

TIME = re.compile(r"^(\d{1,2})[.:](\d{2})$")
URL = re.compile(r"^(https?://|mailto:)\S+$")
CONTACT_KEYS = ("name", "title", "phone", "email")
#: The years a document's date can have: a .docx is a zip file, whose timestamps hold only these.
YEARS = range(1980, 2108)


def year_typo(date: dt.date) -> str | None:
    """The message for a date whose year cannot be meant (``2202``), or ``None``."""
    if date.year in YEARS:
        return None
    return f"årstallet {date.year} ligner en tastefejl (datoen skal ligge mellem {YEARS[0]} og {YEARS[-1]})"


def did_you_mean(word: str, choices) -> str:
    """`` – mente du 'Beslutning'?`` or the empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" – mente du '{close[0]}'?" if close else ""


class Checker:
    """Collects problems for one file; helpers return ``None`` on a mistake."""

    def __init__(self, doc: YamlDoc, problems: list[Problem]):
        self.doc = doc
        self.problems = problems

    def error(self, keys: tuple, message: str, warning: bool = False) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line(*keys), message, warning))

    def mapping(self, value: Any, keys: tuple, allowed, what: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(keys, f"{what} skal være nøgler med værdier (nøgle: værdi)")
            return {}
        for key in value:
            if key not in allowed:
                self.error(keys + (key,), f"ukendt nøgle '{key}'{did_you_mean(str(key), allowed)}")
        return value

    def text(self, data: dict, key: str, keys: tuple, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.error(keys, f"mangler '{key}'")
            return None
        if isinstance(value, (dict, list)):
            self.error(keys + (key,), f"'{key}' skal være en tekst")
            return None
        return str(value).strip()

    def sequence(self, data: dict, key: str, keys: tuple) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(keys + (key,), f"'{key}' skal være en liste (linjer der begynder med '- ')")
            return []
        return value

    def date(self, data: dict, key: str, keys: tuple) -> dt.date | None:
        value = self.text(data, key, keys)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(keys + (key,), f"ugyldig dato '{value}' (skriv ÅÅÅÅ-MM-DD, fx 2022-09-29)")
            return None

    def document_date(self, data: dict, key: str, keys: tuple) -> dt.date | None:
        """A date a document is dated with: :meth:`date`, and a year it can carry."""
        date = self.date(data, key, keys)
        typo = date and year_typo(date)
        if typo:
            self.error(keys + (key,), typo)
            return None
        return date

    def time(self, data: dict, key: str, keys: tuple) -> dt.time | None:
        value = self.text(data, key, keys)
        if value is None:
            return None
        match = TIME.match(value)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return dt.time(int(match.group(1)), int(match.group(2)))
        self.error(keys + (key,), f"ugyldigt klokkeslæt '{value}' (skriv fx \"13.00\")")
        return None

    def flag(self, data: dict, key: str, keys: tuple) -> bool:
        value = data.get(key, False)
        if isinstance(value, str) and value.strip().lower() in ("ja", "nej"):
            return value.strip().lower() == "ja"
        if not isinstance(value, bool):
            self.error(keys + (key,), f"'{key}' skal være true eller false")
            return False
        return value



def contact(check: Checker, data: dict, keys: tuple) -> PressContact | None:
    """A press contact (``name``, ``title``, ``phone``, ``email``) at ``keys``, if one is written."""
    entry = check.mapping(data, keys, CONTACT_KEYS, "contact")
    if not entry:
        return None
    name, title, phone, email = (check.text(entry, key, keys, required=key == "name") or "" for key in CONTACT_KEYS)
    return PressContact(name, title, phone, email, Source(check.doc.path, check.doc.line(*keys)))
