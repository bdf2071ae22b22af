"""The command line, in Danish: ``build``, ``check``, ``new``, ``import``, ``opfølgning``, ``beslutninger`` and ``serve``.

A thin layer over the library. Exit status: 0 success, 1 problems in the
content or a template (all listed), 2 wrong use of the command, 3 an internal
error (details saved under ``output/``, no traceback on screen).

Heavy modules (Word, Markdown, Babel) are imported only when needed, so that
``python build.py`` on an unchanged archive answers at once, and the commands
that only read the content (``check``, ``opfølgning``, ``beslutninger``,
``new``) do not import the Word and template machinery of a build.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import sys
from pathlib import Path

from .kinds import DOCUMENT_KINDS

OK, PROBLEMS, USAGE, INTERNAL = 0, 1, 2, 3
LOG = "rardocs-fejl.log"

_ARGPARSE_DANISH = (
    ("unrecognized arguments", "ukendte argumenter"),
    ("the following arguments are required", "mangler"),
    ("invalid choice", "ugyldigt valg"),
    ("expected one argument", "kræver en værdi"),
    ("choose from", "vælg mellem"),
    ("invalid date value", "ugyldig dato"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        for english, danish in _ARGPARSE_DANISH:
            message = message.replace(english, danish)
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"rardocs: forkert brug: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ugyldig dato '{text}' (skriv ÅÅÅÅ-MM-DD)") from None


def parser() -> argparse.ArgumentParser:
    main = _Parser(prog="rardocs", description="Word-dokumenter til et regionalt arbejdsmarkedsråd fra tekstfiler.")
    common = _Parser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="projektets mappe (med content/); standard: den aktuelle mappe")
    commands = main.add_subparsers(dest="command", metavar="kommando", parser_class=_Parser)
    build_cmd = commands.add_parser("build", parents=[common], help="byg det, der er ændret, til output/")
    build_cmd.add_argument("--council", help="byg dette råds dokumenter igen (mappenavnet, fx rar-oestjylland)")
    build_cmd.add_argument("--meeting", help="byg mødet på denne dato igen (ÅÅÅÅ-MM-DD)")
    build_cmd.add_argument("--kind", choices=list(DOCUMENT_KINDS), action="append",
                           help="byg denne slags dokument igen")
    build_cmd.add_argument("--pdf", action="store_true", help="lav også PDF med LibreOffice")
    build_cmd.add_argument("--force", action="store_true", help="byg alt igen, også det uændrede")
    build_cmd.add_argument("--base-url", help="hjemmesidens adresse, til feeds (ellers site_url i council.yaml)")
    commands.add_parser("check", parents=[common], help="kontrollér indholdet uden at skrive noget")
    new_cmd = commands.add_parser("new", parents=[common], help="opret næste møde ud fra det forrige")
    new_cmd.add_argument("council", help="rådets mappenavn, fx rar-oestjylland")
    new_cmd.add_argument("date", type=_date, help="mødets dato, ÅÅÅÅ-MM-DD")
    new_cmd.add_argument("--force", action="store_true", help="opret mødet, selv om datoen er før rådets seneste møde")
    for name, aliases in (("opfølgning", ["opfoelgning"]),):
        follow = commands.add_parser(name, aliases=aliases, parents=[common], help="vis åbne opfølgningspunkter")
        follow.add_argument("--council", help="kun dette råd")
    decisions = commands.add_parser("beslutninger", parents=[common], help="vis rådets beslutninger, nyeste først")
    decisions.add_argument("--søg", "--soeg", dest="search", help="kun beslutninger med disse ord")
    decisions.add_argument("--council", help="kun dette råd")
    import_cmd = commands.add_parser("import", parents=[common],
                                     help="læs et gammelt referat (.docx, .pdf, .txt) ind som et nyt møde")
    import_cmd.add_argument("--council", required=True, help="rådets mappenavn, fx rar-oestjylland")
    import_cmd.add_argument("file", type=Path, metavar="fil", help="referatet eller dagsordenen, der skal importeres")
    import_cmd.add_argument("--date", type=_date, help="mødets dato, ÅÅÅÅ-MM-DD (ellers dokumentets eller filnavnets)")
    serve_cmd = commands.add_parser("serve", parents=[common], help="vis hjemmesiden og byg igen, når du gemmer")
    serve_cmd.add_argument("--port", type=int, default=8000, help="standard: 8000")
    serve_cmd.add_argument("--council", help="rådet, hvis hjemmeside vises (standard: det første)")
    return main


def run(argv: list[str] | None = None) -> None:
    """The command line as a program runs it (``rardocs``, ``python build.py``): :func:`main`,
    then the process ends at once with its status. By then every file is written and
    closed, the workers are gone, and what is printed is flushed here; what Python would
    still do on its way out is free the archive's objects one by one (0.05-0.09 s after
    an edit at 200 meetings), which the operating system does at once. An exit that
    ``main`` does not return from (a mistake in the arguments) is Python's as usual."""
    status = main(argv)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone, a stream closed: nothing more can be said
            pass
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    # A command makes many objects and keeps nearly all, or frees them without the garbage
    # collector: it looks less often, from the imports on (an edit at 200 meetings builds
    # 0.08 s faster; the cycles it leaves a while longer are few and small).
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, *thresholds[1:])
    try:
        status = _main(argv)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is caught below
        return status
    except BrokenPipeError:  # the reader went away (rardocs opfølgning | head -1): nothing to report
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return OK
    finally:
        gc.set_threshold(*thresholds)


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return USAGE
    root: Path = args.root
    if args.command == "build":
        from . import memo

        # The check and the build share the cache's session, saved when the build is done.
        with memo.session(root / memo.CACHE_FOLDER, _package_digest, save=False) as store:
            current, known = _up_to_date(root, args)
            if current:
                print("Alt er opdateret; intet at bygge.")
                store.save()  # hashes of files touched but not changed, if any
                return OK
            listing, every, look = known or (None, None, None)
            status = _run(root, args, (listing, every) if known else None)
            if status == OK:
                if known:  # a build of everything: the next check would find what it made
                    from . import snapshot

                    with contextlib.suppress(OSError, ValueError):
                        snapshot.check(root, look, listing, every, args.pdf)
                store.save()
            return status
    return _run(root, args)


def _package_digest() -> bytes:
    """The cache's salt (:func:`rardocs.incremental.package_digest`), imported when first
    needed: a build with nothing to do does without."""
    from .incremental import package_digest

    return package_digest()


def _run(root: Path, args, known=None) -> int:
    """The command, its mistakes reported as the messages the user reads."""
    from .errors import ContentError, RardocsError, UsageError

    try:
        if args.command == "check":
            return _check(root)
        if args.command == "new":
            return _new(root, args)
        if args.command in ("opfølgning", "opfoelgning"):
            return _followup(root, args)
        if args.command == "beslutninger":
            return _decisions(root, args)
        if args.command == "import":
            return _import(root, args)
        if args.command == "serve":
            from .serve import serve

            serve(root, args.port, args.council)
            return OK
        return _build(root, args, known)
    except ContentError as exc:
        return _report(exc.problems)
    except UsageError as exc:
        print(f"rardocs: forkert brug: {exc}", file=sys.stderr)
        return USAGE
    except RardocsError as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return PROBLEMS
    except KeyboardInterrupt:
        print("afbrudt", file=sys.stderr)
        return INTERNAL
    except BrokenPipeError:
        raise
    except Exception:
        log = _save_traceback(root)
        print(f"rardocs stødte på en intern fejl. Intet er ødelagt; detaljerne er gemt i {log}.", file=sys.stderr)
        return INTERNAL


def _load(root: Path):
    """The archive and its warnings, as :func:`rardocs.builder.load` gives them (read,
    then validate), without importing the builder and with it Word, the templates
    and PDF: a command that only reads the content starts in a fraction of the time."""
    from .content import read_archive
    from .validate import validate

    return validate(read_archive(root))


def _check(root: Path) -> int:
    archive, warnings = _load(root)
    _print_problems(warnings)
    print(f"Indholdet er i orden: {_count(len(archive.meetings), 'møde', 'møder')}"
          f"{', ' + _count(len(archive.press), 'pressemeddelelse', 'pressemeddelelser') if archive.press else ''}"
          f"{', ' + _count(len(warnings), 'advarsel', 'advarsler') if warnings else ''}.")
    return OK


def _up_to_date(root: Path, args) -> tuple[bool, tuple | None]:
    """Whether the last build made exactly what the content makes now (standard library
    only), and the archive's listing, units and :class:`~rardocs.snapshot.Look` as found
    (for the build to use, not list again), if it got that far.

    First by the snapshot of what the last such check looked at (:mod:`rardocs.snapshot`):
    when every stamp in it is as it was, nothing is listed, hashed or read. Any choice
    (``--council``, ``--meeting``, ``--kind``, ``--force``), a misnamed file, a unit the
    state does not know or a file in ``output/`` that no unit made sends the build the
    long way, which says why.
    """
    if args.kind or args.force or args.council or args.meeting or args.base_url or not (root / "content").is_dir():
        return False, None
    from . import snapshot

    try:
        if snapshot.unchanged(root, args.pdf):
            return True, None
        from .incremental import units
        from .sources import list_archive

        look = snapshot.Look()  # before anything is listed or hashed
        listing = list_archive(root / "content")
        if any(not finding.warning for finding in listing.findings):
            return False, None
        # Files' hashes from the cache session _main opened: as the last build left them,
        # and those of files changed since, kept for the build (a bilag it does not read).
        every = units(listing)
        return snapshot.check(root, look, listing, every, args.pdf), (listing, every, look)
    except (OSError, ValueError):
        return False, None


def _build(root: Path, args, known=None) -> int:
    from .builder import build

    progress = (lambda key: print(f"bygger {key} …", file=sys.stderr)) if sys.stderr.isatty() else None
    result = build(root, council=args.council, meeting=args.meeting, kinds=args.kind, pdf=args.pdf,
                   force=args.force, progress=progress, base_url=args.base_url, known=known)
    _print_problems(result.warnings)
    for path in result.written:
        print(f"skrev {_shown(path, root)}")
    for path, why in result.removed:
        print(f"fjernede {_shown(path, root)} ({why})")
    summary = f"Færdig: {_count(len(result.written), 'fil', 'filer')} skrevet"
    if result.current:
        summary += f", {result.current} uændrede sprunget over"
    print(summary + ".")
    return OK


def _new(root: Path, args) -> int:
    from .scaffold import new_meeting

    archive, _ = _load(root)
    for path in new_meeting(root, archive, args.council, args.date, force=args.force):
        print(f"oprettede {_shown(path, root)}")
    print("Skriv mødets punkter, og byg dokumenterne med: python build.py")
    return OK


def _import(root: Path, args) -> int:
    from .importer import import_meeting, percent

    if not (root / "content").is_dir():
        from .errors import UsageError
        raise UsageError(f"{root / 'content'} findes ikke; kør kommandoen i projektets mappe, eller angiv --root")
    result = import_meeting(root, args.council, args.file, args.date)
    for path in result.written:
        print(f"{'tilføjede medlemmer i' if path == result.extended else 'skrev'} {_shown(path, root)}")
    print(f"Importerede {_count(result.items, 'punkt', 'punkter')}; {percent(result.share)} af ordene i filen står "
          f"i indholdet. Se {_shown(result.folder, root)}/import-rapport.txt.")
    errors = [p for p in result.problems if not p.warning]
    if errors:
        print(f"rardocs check fandt {_count(len(errors), 'fejl', 'fejl')} i det importerede; de står i rapporten:",
              file=sys.stderr)
        _print_problems(errors)
        return PROBLEMS
    return OK


def _followup(root: Path, args) -> int:
    import shutil

    from .documents import open_actions

    archive, _ = _load(root)
    rows = open_actions(archive, reference_date(), args.council)
    if not rows:
        print("Ingen åbne opfølgningspunkter.")
        return OK
    columns = [("Frist", "due"), ("Status", "status"), ("Ansvarlig", "owner"), ("Møde og punkt", "where"),
               ("Opfølgning", "action")]
    table = [[title for title, _ in columns]] + [
        [("! " if row["overdue"] else "") + row["due"]] + [row[key] for _, key in columns[1:]] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns) - 1)]
    room = max(30, shutil.get_terminal_size((120, 20)).columns - sum(widths) - 2 * len(widths))
    for line in table:
        last = line[-1] if len(line[-1]) <= room else line[-1][: room - 1] + "…"
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)) + "  " + last)
    overdue = sum(1 for row in rows if row["overdue"])
    print(f"\n{_count(len(rows), 'åbent punkt', 'åbne punkter')}, heraf {overdue} med overskredet frist (mærket !).")
    return OK


def _decisions(root: Path, args) -> int:
    """Every public decision of the archive, newest first (what the site's register shows)."""
    from .site.pages import decisions
    from .site.search import words

    archive, _ = _load(root)
    if args.council and args.council not in {c.slug for c in archive.councils}:
        from .errors import UsageError
        raise UsageError(f"rådet '{args.council}' findes ikke under content/")
    wanted = set(words(args.search or ""))
    shown = 0
    for council in archive.councils:
        if args.council and council.slug != args.council:
            continue
        meetings = [m for m in archive.meetings if m.council.slug == council.slug]
        for row in decisions(meetings, "index.html"):
            text = row["text"]
            if wanted and not wanted <= set(words(f"{row['title']} {text}")):
                continue
            print(f"{row['date']}, {council.name}, punkt {row['number']}: {row['title']}")
            print(f"    {text}\n")
            shown += 1
    print("Ingen beslutninger fundet." if not shown else _count(shown, "beslutning", "beslutninger") + ".")
    return OK


def reference_date() -> dt.date:
    """Today, or the date in ``SOURCE_DATE_EPOCH`` (for reproducible runs and tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def _report(problems) -> int:
    _print_problems(problems)
    errors = sum(1 for p in problems if not p.warning)
    print(f"Fandt {_count(errors, 'fejl', 'fejl')}. Intet er skrevet.", file=sys.stderr)
    return PROBLEMS


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _save_traceback(root: Path) -> str:
    import traceback

    folder = root / "output"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / LOG).write_text(traceback.format_exc(), encoding="utf-8")
        return (folder / LOG).as_posix()
    except OSError:
        return "(kunne ikke gemmes)"


if __name__ == "__main__":
    run()
