"""The exception tree and the problems validation reports.

The command line catches :class:`RardocsError` and prints it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake (or warning) in the content, at a file and line."""

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "advarsel: " if self.warning else ""
        where = f"{self.path}:{self.line}" if self.line else self.path  # line 0: a folder, not a line
        return f"{where}: {prefix}{self.message}"


class RardocsError(Exception):
    """Base of every error the command line reports to the user."""


class ContentError(RardocsError):
    """The content has mistakes; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # from a worker process (rardocs.builder renders in two) with its problems
        return type(self), (self.problems,)


class TemplateError(RardocsError):
    """A Word template could not be used (missing, broken Jinja, unknown variable)."""


class BuildError(RardocsError):
    """Writing the output failed."""


class UsageError(RardocsError):
    """The command asked for something that does not exist (exit status 2)."""
