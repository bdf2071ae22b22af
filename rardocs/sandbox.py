"""The Jinja sandbox every template renders in (Word's and the web site's), and
where a council's templates are found.

Apart from :mod:`rardocs.render` (Word: docx, docxtpl, lxml), so that what makes
only web pages does not import Word.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range

from .errors import TemplateError
from .package import default_templates

DEFAULT_TEMPLATES = default_templates()

#: What one render may build: characters or items of a string or list made with
#: ``*`` or ``+``, bits of an integer made with ``*`` or ``**`` (no document needs
#: a number of 39 digits), loop rounds over ``range``, characters of output.
MAX_SIZE = 1_000_000
MAX_BITS = 128
MAX_ROUNDS = 1_000_000
MAX_OUTPUT = 50_000_000
#: How many parts of a template's output are counted at a time (:meth:`Sandbox.concat`).
_BATCH = 64
TOO_BIG = "skabelonen laver en for stor tekst, liste eller et for stort tal"


class TooBig(SecurityError):
    """A template tried to build something too big; the message is in Danish."""


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja for templates anyone may send: no access to Python's internals or to
    methods that change the data (the sandbox; a list appended to while looping
    over it never ends), and no string, list, number, loop or output too big to finish."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self):
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self.globals["range"] = lambda *args: _Range(self, safe_range(*args))
        del self.globals["lipsum"]  # lorem ipsum of any length: no use in a document
        self.rounds = 0
        self.source = ""

    def from_string(self, source, *args, **kwargs):
        self.source = source  # docxtpl renders each part right after compiling it
        return super().from_string(source, *args, **kwargs)

    def getattr(self, obj, attribute):
        """``obj.attribute`` as the sandbox gives it. A plain dict has no attribute but its
        type's (``items`` is the method, not the key), so for any other name the sandbox
        looks the key up: done here without the failed attribute lookup first (a fifth
        of the time of rendering an opfølgningsark of 700 rows)."""
        if type(obj) is dict and type(attribute) is str and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def call_binop(self, context, operator, left, right):
        if _too_big(operator, left, right):
            raise TooBig(TOO_BIG)
        return super().call_binop(context, operator, left, right)

    def count(self, items):
        """``items``, each counted as a round of a loop; too many in one render is an error."""
        for item in items:
            self.rounds += 1
            if self.rounds > MAX_ROUNDS:
                raise TooBig("skabelonens løkker går for mange gange rundt")
            yield item

    def concat(self, parts) -> str:
        """Join a template's output (Jinja's hook), stopping once it is too long.

        Counted :data:`_BATCH` parts at a time, in C: an opfølgningsark of 2,400 rows is
        260,000 parts, and a loop in Python over each took a tenth of its making. So it
        stops at most that many parts after the limit, each as long as a template may
        make one (:data:`MAX_SIZE`) or a text of the content is."""
        out, size = [], 0
        parts = iter(parts)
        while batch := list(itertools.islice(parts, _BATCH)):
            size += sum(map(len, batch))
            if size > MAX_OUTPUT:
                raise TooBig("skabelonen laver for meget tekst")
            out.append("".join(batch))
        return "".join(out)


#: Every attribute a plain dict has: its type's and their bases' (a dict has no ``__dict__``).
_DICT_ATTRIBUTES = frozenset(name for cls in dict.__mro__ for name in vars(cls))


class _Range:
    """``range`` in a template: every round of a loop over it is counted."""

    def __init__(self, env: Sandbox, items: range):
        self._env, self._items = env, items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        item = self._items[index]
        return _Range(self._env, item) if isinstance(item, range) else item

    def __iter__(self):
        return self._env.count(self._items)

    def __reversed__(self):
        return self._env.count(reversed(self._items))


def _too_big(operator: str, left, right) -> bool:
    """Whether ``left <operator> right`` would be over :data:`MAX_SIZE` or :data:`MAX_BITS`."""
    sequences = (str, list, tuple)
    if isinstance(left, int) and isinstance(right, int):
        if operator == "**":
            return abs(left) > 1 and right * left.bit_length() > MAX_BITS
        return operator == "*" and left.bit_length() + right.bit_length() > MAX_BITS
    if operator == "*":
        times, sequence = (right, left) if isinstance(right, int) else (left, right)
        return isinstance(times, int) and isinstance(sequence, sequences) and len(sequence) * times > MAX_SIZE
    if operator == "+":
        return isinstance(left, sequences) and isinstance(right, sequences) and len(left) + len(right) > MAX_SIZE
    return False


def find_template(kind: str, council_folder: Path | None) -> Path:
    """The council's own ``templates/<kind>.docx`` if it has one, else the default."""
    name = f"{kind}.docx"
    own = (own_template(council_folder / "templates", name, f"content/{council_folder.name}/templates/{name}")
           if council_folder is not None else None)
    return own or DEFAULT_TEMPLATES / name


def own_template(folder: Path, name: str, shown: str) -> Path | None:
    """A council's own template ``folder/name``, or none; ``shown`` names it in messages.
    A file that leads out of the folder (a symbolic link) is refused: a template is
    something anyone may send, and must come from the council's own folder."""
    path = folder / name
    if not path.is_file():
        return None
    if not path.resolve().is_relative_to(folder.resolve()):
        raise TemplateError(f"{shown}: skabelonen peger uden for rådets mappe (et symbolsk link) og bruges ikke")
    return path
