"""The fast paths give what the slow ones give.

Reading an archive takes shortcuts: libyaml composes the YAML (the pure
loader only when the text is unusual or wrong, to word the message), a text
with only web links is not parsed to find unsafe ones, one Python-Markdown
parser serves every text, and the commands that only read the content import
neither Word nor the templates. Each shortcut is checked here against the way
it replaces, on every file of the example archives and on tricky input.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import markdown as pymarkdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLE, MINIMAL, REPO, TESTS
from rardocs import formatting, memo
from rardocs.content import text as textfile
from rardocs.content import yamlfile, yamlparse
from rardocs.content.text import read_text
from rardocs.errors import ContentError
from rardocs.markdown import reader, to_html
from rardocs.markdown.reader import new_parser, parse, unsafe_links

needs_libyaml = pytest.mark.skipif(not yamlparse.FAST, reason="PyYAML without libyaml has only the pure loader")


# --- YAML: libyaml and the pure loader agree -------------------------------------------

def _typed(value):
    """``value`` with the type of every part: ``1 == True == 1.0`` must not hide a difference."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, value)


def _outcome(text: str, fast: bool, monkeypatch) -> tuple:
    """What :func:`load_yaml` gives for ``text`` (which starts at line 2) on one path."""
    monkeypatch.setattr(yamlparse, "FAST", fast)
    try:
        doc = yamlfile.load_yaml(text, "f.yaml", first_line=2)
    except ContentError as exc:
        return ("problems", [str(p) for p in exc.problems])
    return ("ok", _typed(doc.data), sorted(doc.lines.items(), key=repr), [str(p) for p in doc.problems])


def _yaml_texts(*roots: Path) -> list[tuple[str, str]]:
    """Every YAML file and every front matter under ``roots``: (name, text)."""
    texts = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix == ".yaml":
                try:
                    texts.append((str(path), read_text(path, path.name).text))
                except ContentError:
                    continue  # not decodable: never reaches YAML
            elif path.suffix == ".md":
                try:
                    lines = read_text(path, path.name).text.split("\n")
                except ContentError:
                    continue
                end = next((n for n in range(1, len(lines)) if lines[n].strip() == "---"), None)
                if lines and lines[0].strip() == "---" and end:
                    texts.append((str(path), "\n".join(lines[1:end])))
    return texts


@pytest.fixture(scope="module")
def synthetic_archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synthetic") / "project"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "synthetic.py"), str(root), "--meetings", "3"],
                   check=True, capture_output=True)
    return root


@needs_libyaml
def test_fast_and_pure_yaml_agree_on_every_file(monkeypatch, synthetic_archive):
    roots = [REPO / "content", EXAMPLE, MINIMAL, TESTS / "broken", synthetic_archive]
    texts = _yaml_texts(*roots)
    assert len(texts) > 100
    for name, text in texts:
        assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch), name


@needs_libyaml
def test_the_example_archive_takes_the_fast_path(synthetic_archive):
    """Else the comparison above would compare the pure loader with itself."""
    for name, text in _yaml_texts(EXAMPLE, MINIMAL, synthetic_archive):
        assert yamlparse._fast_compose(text) is not None, name


TRICKY = [
    "", "# only a comment\n", "---\n", "---", "--- # x", "a: 1", "-", "a:", "- a\n-", "? a", "x", "a: 1\n---\nb: 2\n", "%YAML 1.1\n---\na: 1\n",
    "a: &x 1\nb: *x\n", "a: *x\n", "- &a [1]\n", "a: !!str 5\nb: !!int 5\nc: !x y\nd: ! z\n", "!\n", "a: !\n",
    "a:\n\tb: 1\n", "a: 1\t\nb: x\ty\n", "\ta: 1\n", "a: [1,\t2]\n",
    "a: 1\na: 2\n", "a:\n  b: 1\n  b: 2\n", "[a, b]: 1\n", "? [a]\n: 1\n", "? a\n: 1\n", "? a\n", ": x\n",
    "a:\n  b: 1\n c: 2\n", "a:\n- 1\n  - 2\n", "- a\nb: 1\n", "a: b: c\n", "a\nb: 1\n",
    'a: "unclosed\nb: 1\n', "a: 'unclosed\n", 'a: "x" y\n', "a: 'it''s'\n", 'a: "\\0\\x07\\ud800\\uFFFE"\n',
    '"\\U00110000": 1\n', 'a: "\\/ \\N \\_ \\L \\P"\n',
    "\ufeffa: 1\n", "a: 1\n\ufeffb: 2\n", "a: x\u00a0y\n", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\n", "a: x\x85y\n",
    "a: 1\u2028b: 2\n", "a: x\x07\n", "a: x\x00\n",
    "start: 13:00\nend: 10.00\ndate: 2022-09-29\nflag: yes\nno: no\non: off\nzero: 0012\n",
    "n: 123456789012345678\nm: 1234567890123456789\nk: -0\nl: +12\no: 1_000\np: 0x1F\nq: 0o17\nr: 1e3\ns: .5\n",
    "a: ~\nb: null\nc:\nd: Null\ne: NULL\nf: True\ng: NO\n", "<<: 1\n=: 2\n",
    "a: |\n  line\n   more\nb: >-\n  folded\n  text\n\nc: |2+\n    x\n", "a: |-#x\n  y\n", "a: |- #x\n  y\n",
    "a: >1-\n  y\n", "a: |0\n  y\n", "a: |++\n  y\n",
    "a: [x?y, z]\n", "a: {b: c?d}\n", "a: [a:b, c]\n", "a: [http://x.dk/?q=1]\n", "a: [x, ]\n", "a: {b}\n",
    "- - - a\n- b\n", "-\n- \n-  # c\n", "a:\n  -\n  - x\n", "- a: 1\n  b:\n", "a: [\n  1,\n  2\n]\n",
    "a: " + "[" * 60 + "]" * 60 + "\n", "a: " + "[" * 45 + "]" * 45 + "\n",
    "".join(" " * n + f"k{n}:\n" for n in range(60)), "".join(" " * n + f"k{n}:\n" for n in range(42)),
    "a: 'x\n  y'\nb: \"p\n\n  q\"\n", "a: x\n  y\n  z\n", "a: @x\n", "a: `x\n", "a: %x\n", "- x\n- y: [1, {z: 2}]\n",
]


@needs_libyaml
@pytest.mark.parametrize("text", TRICKY)
def test_fast_and_pure_yaml_agree_on_tricky_text(monkeypatch, text):
    assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)


@needs_libyaml
@pytest.mark.parametrize("text", ["a:\tb\n", "a: 1\r\n", "\ufeffa: 1\n", "a: x\x85y\n", "a: &x 1\n", "a: !!str x\n",
                                  "a: [x?y]\n", "a: |-#x\n  y\n", "---\n", "a: 1\n---\nb: 2\n",
                                  "a: " + "[" * 45 + "]" * 45 + "\n"])
def test_unusual_text_goes_the_pure_way(text):
    assert yamlparse._fast_compose(text) is None


_YAML_PIECES = ["a", "key", "Anna Andersen", ":", ": ", "- ", "\n", "\n  ", "\n    ", "\n- ", " ", "'", '"', "[", "]",
                "{", "}", ", ", "#", " #", "?", "? ", "|", ">", "|-", "!", "&a ", "*a", "%", "---", "...", "\\", "13:00",
                "10.00", "2022-09-29", "yes", "0012", "12345678901234567890", "æøå", "\t", "`", "@", "~", "\r", "\ufeff"]


@needs_libyaml
@given(st.lists(st.sampled_from(_YAML_PIECES), max_size=30).map("".join))
def test_fast_and_pure_yaml_agree_on_any_text(text):
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)


def test_the_drop_test_matches_exactly_the_characters_clean_drops():
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert {ord(c) for c in textfile._DROPPED.findall(every)} == set(textfile._DROP)
    assert {c for c in every if textfile._BULLET.match(c)} == set("\uf0a7\uf0b7\uf0d8\uf076\uf0fc\u2022\u25cf\u25aa\u25e6")


# --- Markdown: one parser, and no parse where no link can be unsafe --------------------

def _bodies() -> list[str]:
    """Every field body and press release body of the example archive."""
    bodies = []
    for path in sorted((EXAMPLE / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        bodies.append(text)
        bodies.extend(part.split("\n", 1)[-1].strip() for part in text.split("\n## "))
    return [b for b in bodies if b.strip()]


SAMPLES = [
    "Tekst med [et link](https://example.dk) og <https://example.dk/a>.", "[fil](file:///C:/x.pdf)", "[a](\\\\server\\x)",
    "[ref]\n\n[ref]: ftp://x", "[ref][r]\n\n[r]: https://x", "<ftp://x>", "www.x.dkhttps://y", "- a\n- b\n\n1. c\n2. d",
    "| a | b |\n|---|---|\n| 1 | 2 |", "3. oktober 2022 holder Rådet møde", "a) første\nb) anden", "![billede](x.png)",
    "```\n[a](file:x)\n```", "> citat [a](javascript:x)", "**fed** og *kursiv*", "Linje\nlinje  \nbrud", "&amp; <b>x</b>",
]


def test_to_html_reuses_one_parser_and_gives_what_a_new_parser_gives(monkeypatch):
    made = []
    real = reader.new_parser
    monkeypatch.setattr(reader, "new_parser", lambda: made.append(1) or real())
    monkeypatch.setattr(reader, "_PARSER", None)
    texts = SAMPLES + _bodies()
    for text in texts:
        reader._read.cache_clear()  # each text read anew, not from the cache
        assert to_html(text) == real().convert(text), text
    assert len(made) == 1


def test_a_parser_that_failed_is_made_anew(monkeypatch):
    monkeypatch.setattr(reader, "_PARSER", None)
    reader._read.cache_clear()
    to_html("x")
    broken = reader._PARSER

    def fail(text):
        raise RuntimeError("half-way")
    monkeypatch.setattr(broken, "convert", fail)
    with pytest.raises(RuntimeError):
        to_html("y")
    assert reader._PARSER is None
    assert to_html("*y*") == "<p><em>y</em></p>"
    assert reader._PARSER is not broken


def test_a_blank_text_is_an_empty_tree_whatever_came_before():
    """Python-Markdown returns early for a blank text: the last text's tree must not be given instead."""
    assert unsafe_links("[a](file:x)") == [(0, "file:x")]
    for blank in ("", " ", "\n\n", " \t\n"):
        assert len(parse(blank)) == 0
        assert reader._read.__wrapped__(blank)[1] == ()
        assert unsafe_links(blank) == []


def test_tables_by_class_as_by_name():
    by_name = pymarkdown.Markdown(extensions=["tables", reader._Extension()])
    for text in SAMPLES + _bodies():
        by_name.reset()
        assert new_parser().convert(text) == by_name.convert(text)


def _unsafe_links_parsed(text: str, monkeypatch) -> list:
    with monkeypatch.context() as patch:
        patch.setattr(reader, "_only_web_links", lambda text: False)
        return unsafe_links(text)


def test_unsafe_links_without_parsing_as_with(monkeypatch):
    texts = SAMPLES + _bodies()
    assert any(reader._only_web_links(t) and ("](" in t or "<" in t) for t in texts), "the shortcut is never taken"
    for text in texts:
        assert unsafe_links(text) == _unsafe_links_parsed(text, monkeypatch), text


_MARKDOWN_PIECES = ["[a](https://x.dk)", "[a](HTTP://x)", "[a](mailto:x@y)", "[a]( https://x)", "[a](\nhttps://x)",
                    "[a](https://x \"t\")", "[a](https://x(y))", "[a](https://x'y)", "[a](https://`x`)", "[a](file:x)",
                    "![i](https://y)", "[a]", "[a][b]", "[b]: https://x", "[b]:\n  https://x", "[b]:file:y",
                    "[b]:\n> file:x", "<https://x.dk>", "<ftp://z>", "<https://a<b>", "<", ">", "www.x.dk", "://",
                    "https://x.dk", "](", "]:", "]", "[", "(", ")", ":", "\n", "\n\n", "- ", "1. ", "h) ", "> ", "    ",
                    "*", "_", "`", "```\n", "|a|b|\n|-|-|\n", "\\", "!", "## ", "æ", "w ", "\t", "\u00a0", "'", '"',
                    "\x02", "\x03", "x"]


@given(st.lists(st.sampled_from(_MARKDOWN_PIECES), max_size=30).map("".join))
def test_a_text_not_parsed_has_no_unsafe_link(text):
    if reader._only_web_links(text):
        assert reader._read.__wrapped__(text)[1] == ()


# --- Danish dates of digits without Babel ------------------------------------------------

def test_digit_dates_and_times_as_babel_writes_them():
    from babel.dates import format_date, format_time

    day = dt.date(1, 1, 1)
    while day < dt.date(2200, 1, 1):
        assert formatting.short_date(day) == format_date(day, "dd.MM.y", locale="da_DK")
        day += dt.timedelta(days=1 if day.year > 1990 else 97)
    for minute in range(24 * 60):
        time = dt.time(minute // 60, minute % 60, 59)
        assert formatting.clock(time) == format_time(time, "HH.mm", locale="da_DK")


# --- the commands that only read the content import only what reading needs ----------

HEAVY = ("docxtpl", "jinja2", "babel", "pikepdf", "feedgen", "icalendar", "importlib.metadata", "rardocs.builder",
         "rardocs.render", "rardocs.pdf")


@pytest.mark.parametrize("command", ["check", "opfølgning"])
def test_reading_commands_do_not_import_the_build(tmp_path, command):
    root = tmp_path / "project"
    subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2])",
                    str(EXAMPLE / "content"), str(root / "content")], check=True)
    script = ("import sys; from rardocs.cli import main; status = main(sys.argv[1:]); "
              f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr); sys.exit(status)")
    result = subprocess.run([sys.executable, "-c", script, command, "--root", str(root)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "[]"


def build_importing(root: Path, modules: tuple[str, ...], first: str = "pass", options: tuple[str, ...] = (),
                    **environment) -> subprocess.CompletedProcess:
    """``rardocs build`` of ``root`` (with ``options``) in a process of its own, which prints on
    its last line of standard error which of ``modules`` it imported; ``first``: Python run
    before it."""
    script = (f"{first}; import sys; from rardocs.cli import main; status = main(sys.argv[1:]); "
              f"print(sorted(m for m in {modules!r} if m in sys.modules), file=sys.stderr); sys.exit(status)")
    return subprocess.run([sys.executable, "-c", script, "build", "--root", str(root), *options], capture_output=True,
                          text=True, env={**os.environ, **environment}, check=False)


def test_a_build_that_finds_every_file_in_the_cache_does_without_yaml(tmp_path):
    """Every file read before is in the cache: a build (even ``--force``) imports no YAML
    parser; an edited file is read with it."""
    root = tmp_path / "project"
    shutil.copytree(EXAMPLE / "content", root / "content")
    modules = ("rardocs.content.yamlparse", "yaml")
    first = build_importing(root, modules)
    assert first.returncode == 0 and first.stderr.splitlines()[-1] == str(list(modules))
    forced = build_importing(root, modules, options=("--force",))
    assert forced.returncode == 0 and forced.stderr.splitlines()[-1] == "[]"
    item = root / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    edited = build_importing(root, modules)
    assert edited.returncode == 0 and edited.stderr.splitlines()[-1] == str(list(modules))


def test_a_build_that_makes_only_web_pages_here_does_not_import_word(tmp_path):
    """An edit's documents are made by the workers; the main process, making the web site
    and the feeds (kept: the same as before), imports neither Word nor the feeds' libraries."""
    root = tmp_path / "project"
    shutil.copytree(EXAMPLE / "content", root / "content")
    modules = ("docx", "docxtpl", "rardocs.render", "feedgen", "icalendar")
    assert build_importing(root, modules, RARDOCS_PROCESSES="2").returncode == 0
    item = root / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    result = build_importing(root, modules, RARDOCS_PROCESSES="2")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "[]"


# --- the web site reads each text once ------------------------------------------------

def test_the_site_reads_each_text_of_the_meetings_once(tmp_path, monkeypatch):
    """A meeting's page, decisions and search entries are made together, while the reader
    still holds its texts: with more texts than it holds, none is read twice."""
    import collections

    from rardocs import load
    from rardocs.site import site_files

    root = tmp_path / "project"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "synthetic.py"), str(root), "--meetings", "20"],
                   check=True, capture_output=True)
    archive, _ = load(root)
    reader._read.cache_clear()
    read = collections.Counter()
    convert = reader.convert
    monkeypatch.setattr(reader, "convert", lambda text: read.update([text]) or convert(text))
    site_files(archive, archive.councils[0], documents={}, template_folder=None)
    assert len(read) > reader._read.cache_info().maxsize
    assert read.most_common(1)[0][1] == 1


def test_an_edit_joins_the_search_index_of_its_meetings_chunk_and_the_chunks(tmp_path, monkeypatch):
    """The search index is joined from kept chunks of 16 meetings' parts, counted from the
    oldest: an edit of the newest meeting joins that chunk's meetings (4 of 20) and then
    the chunks and the press releases, and the index is the one a build from scratch makes."""
    from rardocs import build
    from rardocs.site import search

    root = tmp_path / "project"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "synthetic.py"), str(root), "--meetings", "20"],
                   check=True, capture_output=True)
    build(root)
    joined = []
    real = search._join  # what joining a chunk and writing the index do
    monkeypatch.setattr(search, "_join", lambda parts: joined.append(len(parts := list(parts))) or real(parts))
    folders = sorted(f for f in (root / "content/rar-oestjylland").iterdir() if f.is_dir())
    item = sorted(folders[-1].glob("2.*.md"))[0]
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit om ledighed.\n", encoding="utf-8")
    build(root)
    assert joined == [4, 3]
    fresh = tmp_path / "fresh"
    shutil.copytree(root / "content", fresh / "content")
    build(fresh)
    index = "output/rar-oestjylland/web/search-index.js"
    assert (root / index).read_bytes() == (fresh / index).read_bytes()


def test_a_build_with_nothing_to_do_imports_only_the_check(tmp_path):
    """``python build.py`` when nothing changed stops at the check: none of the build's
    modules, not even dataclasses (and the inspect module it brings). The check goes by
    the last snapshot when its stamps hold (no listing, no hashes, no state read), else
    it lists and fingerprints the archive (a touched file) and takes a new snapshot."""
    root = tmp_path / "project"
    shutil.copytree(EXAMPLE / "content", root / "content")
    build = ("rardocs.builder", "rardocs.model", "jinja2", "yaml", "markdown", "babel", "dataclasses", "inspect")
    long_way = ("rardocs.sources", "rardocs.incremental", "hashlib", "json")
    assert build_importing(root, build).returncode == 0
    os.utime(root / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md")
    # Ten seconds on: no file was changed just now (racy), whose hash the snapshot would check.
    later = f"import time; time.time_ns = lambda now=time.time_ns: now() + {10 * memo.RACY_NS}"
    result = build_importing(root, build + long_way, later)
    assert (result.returncode, result.stdout) == (0, "Alt er opdateret; intet at bygge.\n"), result.stderr
    assert result.stderr.splitlines()[-1] == str(sorted(long_way))
    result = build_importing(root, build + long_way, later)
    assert (result.returncode, result.stdout) == (0, "Alt er opdateret; intet at bygge.\n"), result.stderr
    assert result.stderr.splitlines()[-1] == "[]"
