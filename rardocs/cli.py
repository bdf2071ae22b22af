"""The command line: ``rardocs build`` and ``rardocs check``, in Danish.

A thin layer over :mod:`rardocs.build`. Exit status: 0 success, 1 problems in
the content or a template (all listed), 2 wrong use of the command, 3 an
internal error (details saved under ``output/``, no traceback on screen).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import documents
from .build import build, load
from .errors import ContentError, Problem, RardocsError

OK, PROBLEMS, USAGE, INTERNAL = 0, 1, 2, 3
LOG = "rardocs-fejl.log"

_ARGPARSE_DANISH = (
    ("unrecognized arguments", "ukendte argumenter"),
    ("the following arguments are required", "mangler"),
    ("invalid choice", "ugyldigt valg"),
    ("expected one argument", "kræver en værdi"),
    ("choose from", "vælg mellem"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        for english, danish in _ARGPARSE_DANISH:
            message = message.replace(english, danish)
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"rardocs: forkert brug: {message}\n")


def parser() -> argparse.ArgumentParser:
    main = _Parser(prog="rardocs", description="Word-dokumenter til et regionalt arbejdsmarkedsråd fra tekstfiler.")
    common = _Parser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="projektets mappe (med content/); standard: den aktuelle mappe")
    commands = main.add_subparsers(dest="command", metavar="kommando", parser_class=_Parser)
    build_cmd = commands.add_parser("build", parents=[common], help="byg dokumenterne til output/")
    build_cmd.add_argument("--council", help="kun dette råd (mappenavnet, fx rar-oestjylland)")
    build_cmd.add_argument("--meeting", help="kun mødet på denne dato (ÅÅÅÅ-MM-DD)")
    build_cmd.add_argument("--kind", choices=documents.KINDS, action="append", help="kun denne slags dokument")
    commands.add_parser("check", parents=[common], help="kontrollér indholdet uden at skrive noget")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return USAGE
    root: Path = args.root
    try:
        if args.command == "check":
            return _check(root)
        return _build(root, args)
    except ContentError as exc:
        return _report(exc.problems)
    except RardocsError as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return PROBLEMS
    except KeyboardInterrupt:
        print("afbrudt", file=sys.stderr)
        return INTERNAL
    except Exception:
        log = _save_traceback(root)
        print(f"rardocs stødte på en intern fejl. Intet er ødelagt; detaljerne er gemt i {log}.", file=sys.stderr)
        return INTERNAL


def _check(root: Path) -> int:
    archive, warnings = load(root)
    _print_problems(warnings)
    print(f"Indholdet er i orden: {_count(len(archive.meetings), 'møde', 'møder')}"
          f"{', ' + _count(len(warnings), 'advarsel', 'advarsler') if warnings else ''}.")
    return OK


def _build(root: Path, args) -> int:
    result = build(root, council=args.council, meeting=args.meeting, kinds=args.kind)
    _print_problems(result.warnings)
    for path in result.written:
        print(f"skrev {_shown(path, root)}")
    print(f"Færdig: {_count(len(result.written), 'fil', 'filer')}.")
    return OK


def _report(problems: list[Problem]) -> int:
    _print_problems(problems)
    errors = sum(1 for p in problems if not p.warning)
    print(f"Fandt {_count(errors, 'fejl', 'fejl')}. Intet er skrevet.", file=sys.stderr)
    return PROBLEMS


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _save_traceback(root: Path) -> str:
    folder = root / "output"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / LOG).write_text(traceback.format_exc(), encoding="utf-8")
        return (folder / LOG).as_posix()
    except OSError:
        return "(kunne ikke gemmes)"


if __name__ == "__main__":
    sys.exit(main())
