"""The web templates: found by name, a council's own before the default, rendered
in the same Jinja sandbox as the Word templates.

A council overrides any file of ``templates/web/`` (an HTML template, ``style.css``,
a script) with a file of the same name in ``content/<council>/templates/web/``.
HTML templates render with autoescaping and strict undefined variables; the other
files are copied as they are.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..errors import TemplateError
from ..package import default_templates
from ..sandbox import Sandbox, own_template

_KEPT: dict = {}

#: The files copied into the site root as they are.
STATIC = ("style.css", "search.js", "beslutninger.js")


def default_folder() -> Path:
    """The folder of the default web templates (``templates/web/``)."""
    return default_templates() / "web"


def find(name: str, own: Path | None) -> Path:
    """The council's own ``name`` in ``own`` if it has one, else the default.

    A council file that leads outside its folder (a symbolic link) is refused.
    """
    found = own_template(own, name, shown(own / name, own)) if own is not None else None
    return found or default_folder() / name


def shown(path: Path, own: Path | None) -> str:
    """A template as the user knows it: ``content/<council>/templates/web/<name>`` or
    ``templates/web/<name>``."""
    if own is not None and path.parent == own:
        return f"content/{own.parent.parent.name}/templates/web/{path.name}"
    return f"templates/web/{path.name}"


def templates(own: Path | None) -> Templates:
    """The :class:`Templates` of a council's own folder ``own`` (or the defaults), kept for
    the process: a template is compiled once, not on every build."""
    key = own.resolve() if own is not None else None
    if key not in _KEPT:
        _KEPT[key] = Templates(own)
    return _KEPT[key]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class Templates:
    """The web templates of one council, rendered in a sandbox."""

    def __init__(self, own: Path | None):
        self.own = own
        self.env = Sandbox()
        self.env.trim_blocks = self.env.lstrip_blocks = True
        self.env.keep_trailing_newline = True
        self.env.loader = jinja2.FunctionLoader(self._source)

    def _source(self, name: str):
        path = find(name, self.own)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"{shown(path, self.own)}: skabelonen kan ikke læses ({type(exc).__name__})") from None
        stamp = _stamp(path)
        # Compiled once per process (rardocs serve builds again and again), compiled anew
        # when the file changes or a council's own file comes or goes.
        return text, str(path), lambda: find(name, self.own) == path and _stamp(path) == stamp

    def render(self, name: str, data: dict) -> bytes:
        """``name`` rendered with ``data``, as UTF-8; a mistake in the template is a
        :class:`TemplateError` naming it."""
        self.env.source = name
        self.env.rounds = 0  # the sandbox's loop budget is per page
        try:
            return self.env.get_template(name).render(data).encode("utf-8")
        except TemplateError:
            raise
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"templates/web/{exc.name}: skabelonen findes ikke") from None
        except Exception as exc:  # noqa: BLE001  (whatever a template does wrong is the template's error)
            where = shown(find(name, self.own), self.own)
            line = getattr(exc, "lineno", None)
            what = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            raise TemplateError(f"{where}{f':{line}' if line else ''}: fejl i skabelonen ({what})") from None

    def static(self, name: str) -> bytes:
        path = find(name, self.own)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise TemplateError(f"{shown(path, self.own)}: filen kan ikke læses ({type(exc).__name__})") from None
