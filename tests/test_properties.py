"""Property-based: valid items come out as documents holding their text; anything else a
secretary types gives a valid .docx or a clean message, never a crash.

Two kinds of property:

* *by construction*: items built from valid parts (titles, Markdown paragraphs, lists,
  tables, bold, links, bilag with https addresses, follow-up actions with real dates, a
  section the meeting has) must build (exit 0), and the documents must show what was
  written: the title as the item's heading, every word, list items as list paragraphs,
  table rows, links, a decision only in the referat, a closed item's text only in the
  internal documents;
* *whatever is typed*: arbitrary text and bytes give exit 0 with sound documents or
  exit 1 with ``path:line: message`` lines and nothing written; never exit 3.

Each property counts how many of its examples built a document, prints the count
(``hypothesis.event`` too, for ``--hypothesis-show-statistics``) and fails when the
share is too low: a property whose examples are all refused tests nothing.

``pytest --hypothesis-profile=thorough tests/test_properties.py`` tries many more cases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from conftest import MINIMAL
from docxdump import dump
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from rardocs import cli
from rardocs.markdown.reader import MONTHS

COUNCIL = "rar-test"
DATE = "2023-01-10"
MEETING = f"content/{COUNCIL}/{DATE}"
ITEM = f"{MEETING}/2.1-ledighed.md"
#: The sections of tests/minimal's meeting.yaml (its item 1.1 stays; the generated item replaces 2.1).
SECTIONS = {"1": "Interne forhold", "2": "Beskæftigelse"}
FIELDS = ("Sagen kort", "Indstilling", "Beslutning", "Sagsfremstilling", "Videre proces", "Baggrund")
FIELD_WORDS = {"sagen kort", "indstilling", "beslutning", "sagsfremstilling", "videre proces", "baggrund", "bilag"}
#: A word the generated text never holds: it marks the decision, and a closed item's text.
DECISION_MARK = "Besluttetqz"
SECRET_MARK = "Fortroligqz"

#: Per property: how its examples ended ("document", or "exit 1" and the like).
OUTCOMES: dict[str, Counter] = {}
QUICK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- building ------------------------------------------------------------------------------


@dataclass
class Built:
    status: int
    stdout: str
    stderr: str
    output: Path
    files: list[Path] = field(default_factory=list)
    dumps: dict[Path, str] = field(default_factory=dict)

    def dump(self, path: Path) -> str:
        """:func:`docxdump.dump` of ``path``, read once."""
        if path not in self.dumps:
            self.dumps[path] = dump(path)
        return self.dumps[path]

    def text(self, path: Path) -> str:
        """What :func:`docxdump.plain_text` gives, from the one dump."""
        return " ".join(line.split("] ", 1)[-1] for line in self.dump(path).splitlines())

    def document(self, kind: str, *, internal: bool = False) -> Path:
        folder = self.output / COUNCIL / ("intern" if internal else "") / DATE
        names = list(folder.glob(f"* {kind} *.docx"))
        assert len(names) == 1, f"no single {kind} in {folder}: {self.files}"
        return names[0]

    def explain(self) -> str:
        log = self.output / cli.LOG
        return f"exit {self.status}\n{self.stderr}\n{log.read_text(encoding='utf-8') if log.exists() else ''}"


@contextlib.contextmanager
def project_with(write):
    """A copy of tests/minimal changed by ``write(root)``, built with ``rardocs build --force``."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        shutil.copytree(MINIMAL, root)
        write(root)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(["build", "--root", str(root), "--force"])
        output = root / "output"
        files = sorted(p for p in output.rglob("*") if p.is_file()) if output.exists() else []
        yield Built(status, out.getvalue(), err.getvalue(), output, files)


def record(prop: str, built: Built) -> None:
    made = built.status == 0 and any(p.suffix == ".docx" for p in built.files)
    outcome = "document" if made else f"exit {built.status}"
    OUTCOMES.setdefault(prop, Counter())[outcome] += 1
    event(outcome)


def check_share(prop: str, minimum: float, capsys) -> None:
    """Print how many examples of ``prop`` built a document; fail below ``minimum`` of them."""
    counts = OUTCOMES.get(prop, Counter())
    total = sum(counts.values())
    made = counts["document"]
    with capsys.disabled():
        print(f"\n  {prop}: {made} of {total} examples built a document "
              f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")
    assert total, f"{prop}: no example ran"
    assert made >= minimum * total, f"{prop}: only {made} of {total} examples built a document"


def run_property(prop: str, test, minimum: float, capsys) -> None:
    """Run the Hypothesis test ``test`` (which calls :func:`record`), then :func:`check_share`."""
    OUTCOMES[prop] = Counter()
    test()
    check_share(prop, minimum, capsys)


def xml_is_sound(path: Path) -> None:
    """Every XML part parses, no run sits inside a text element, every r:id has a relationship."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)
    document = parts["word/document.xml"]
    assert not re.search(rb"<w:t[ >][^<]*<w:r[ >]", document)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    known = {r.get("Id").encode() for r in rels}
    assert set(re.findall(rb'\br:id="([^"]+)"', document)) <= known


def words_of(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def all_text(path: Path) -> str:
    """Every XML part of a .docx, as text: what any reader of the file could find in it."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())


# -- valid items, by construction ------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéü0123456789"
words = st.text(alphabet=LETTERS, min_size=1, max_size=9)


def phrase(min_size: int = 1, max_size: int = 6):
    """Words joined by single spaces, never a field's name (which alone on a line is a misplaced heading)."""
    return (st.lists(words, min_size=min_size, max_size=max_size).map(" ".join)
            .filter(lambda p: p.lower() not in FIELD_WORDS and DECISION_MARK not in p and SECRET_MARK not in p))


url_paths = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8), max_size=3)
urls = url_paths.map(lambda parts: "https://example.dk/" + "/".join(parts))


@dataclass
class Block:
    """A Markdown block and what the dump of a document holding it must show."""

    markdown: str
    lines: list[str]  # dump lines, exactly (a paragraph, a table row)
    list_items: list[tuple[int, str | None, str]] = field(default_factory=list)  # (level, marker or None, text)
    is_list: bool = False


@st.composite
def paragraphs(draw) -> Block:
    """A paragraph of words, some **bold**, some *italic*, some linked."""
    markdown, shown = [], []
    for _ in range(draw(st.integers(1, 4))):
        text = draw(phrase())
        style = draw(st.sampled_from(["plain", "plain", "bold", "italic", "link"]))
        if style == "bold":
            markdown.append(f"**{text}**")
            shown.append(text)
        elif style == "italic":
            markdown.append(f"*{text}*")
            shown.append(text)
        elif style == "link":
            url = draw(urls)
            markdown.append(f"[{text}]({url})")
            shown.append(f"[{text}]({url})")
        else:
            markdown.append(text)
            shown.append(text)
    return Block(" ".join(markdown), [f"[Normal] {' '.join(shown)}"])


ORDERED = {"1.": [f"{n}." for n in range(1, 10)], "1)": [f"{n})" for n in range(1, 10)],
           "a.": [f"{c}." for c in "abcdefghi"], "A.": [f"{c}." for c in "ABCDEFGHI"],
           "A)": [f"{c})" for c in "ABCDEFGHI"]}


@st.composite
def lists(draw) -> Block:
    """A bullet or ordered list (``-``, ``*``, ``1.``, ``a.``, ``A)`` …), perhaps with a nested bullet list."""
    kind = draw(st.sampled_from(["-", "*", "+", "1.", "1)", "a.", "A.", "A)"]))
    bullet = kind not in ORDERED
    # "1. juli …" is a date, not a list (rardocs.markdown.reader): no entry starts with a month.
    entries = draw(st.lists(phrase().filter(lambda p: p.split()[0].lower() not in MONTHS), min_size=1, max_size=4))
    markers = [kind] * len(entries) if bullet else ORDERED[kind]
    nested = draw(st.lists(phrase(), max_size=2))
    indent = draw(st.sampled_from(["  ", "    "])) if bullet else " " * (len(kind) + 1)
    lines, items = [], []
    for n, text in enumerate(entries):
        lines.append(f"{markers[n]} {text}")
        items.append((0, None if bullet else markers[n], text))
        if n == 0:
            for sub in nested:
                lines.append(f"{indent}- {sub}")
                items.append((1, None, sub))
    return Block("\n".join(lines), [], items, is_list=True)


@st.composite
def tables(draw) -> Block:
    columns = draw(st.integers(1, 3))
    rows = draw(st.lists(st.lists(phrase(max_size=3), min_size=columns, max_size=columns), min_size=2, max_size=4))
    align = [draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(columns)]
    markdown = [f"| {' | '.join(rows[0])} |", f"|{'|'.join(align)}|"] + [f"| {' | '.join(r)} |" for r in rows[1:]]
    return Block("\n".join(markdown), [f"| {' | '.join(r)} |" for r in rows])


@st.composite
def bodies(draw, min_size: int = 1) -> list[Block]:
    """Blocks of a field, a paragraph between any two lists (two lists in a row are one list)."""
    blocks = draw(st.lists(st.one_of(paragraphs(), paragraphs(), lists(), tables()), min_size=min_size, max_size=5))
    out: list[Block] = []
    for block in blocks:
        if block.is_list and out and out[-1].is_list:
            out.append(draw(paragraphs()))
        out.append(block)
    return out


def body_markdown(blocks: list[Block]) -> str:
    return "\n\n".join(b.markdown for b in blocks)


@dataclass
class ValidItem:
    front: dict
    fields: dict[str, list[Block]]  # in the order written
    section: str
    number: str  # the item's number as shown, "2.1"
    kind: str  # as shown, "(B + oplæg)"
    file_bilag: list[tuple[str, str]]  # (title, file name under bilag/)

    def text(self) -> str:
        front = yaml.safe_dump(self.front, allow_unicode=True, sort_keys=False)
        fields = "".join(f"## {name}\n\n{body_markdown(blocks)}\n\n" for name, blocks in self.fields.items())
        return f"---\n{front}---\n\n{fields}"


KINDS = st.sampled_from([("B", ["B"]), ("O", ["O"]), ("D", ["D"]), ("b", ["B"]), ("B + oplæg", ["B", "oplæg"]),
                         (["O", "oplæg"], ["O", "oplæg"]), (["D"], ["D"])])
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))


@st.composite
def actions(draw, index: int) -> dict:
    action = {"action": draw(phrase(2, 6)), "owner": draw(phrase(1, 3))}
    if draw(st.booleans()):
        action["id"] = f"handling-{index}-{draw(st.text(alphabet='abcdefghijklmnopqrstuvwxyz0123456789-', max_size=6))}"
    if draw(st.booleans()):
        action["due"] = draw(dates).isoformat()
    action["status"] = draw(st.sampled_from(["åben", "i gang", "afsluttet", "Åben"]))
    if draw(st.booleans()):
        action["note"] = draw(phrase())
    return action


@st.composite
def valid_items(draw, closed: bool = False) -> ValidItem:
    section = draw(st.sampled_from(sorted(SECTIONS)))
    written_kind, shown_kind = draw(KINDS)
    title = draw(st.lists(phrase(1, 4), min_size=1, max_size=2).map(" – ".join))
    front: dict = {"title": title, "section": int(section) if draw(st.booleans()) else section, "kind": written_kind}
    if draw(st.booleans()):
        front["number"] = draw(st.integers(2, 30))
    if draw(st.booleans()):
        front["standing"] = draw(st.booleans())
    if closed:
        front["closed"] = True
    bilag = [{"title": draw(phrase(1, 5)), "url": draw(urls)} for _ in range(draw(st.integers(0, 2)))]
    file_bilag = []
    if draw(st.booleans()):
        name = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10)) + ".pdf"
        file_bilag.append((draw(phrase(1, 4)), name))
        bilag.insert(draw(st.integers(0, len(bilag))), {"title": file_bilag[0][0], "file": f"bilag/{name}"})
    if bilag:
        front["bilag"] = bilag
    follow = [draw(actions(n)) for n in range(draw(st.integers(0, 2)))]
    if follow:
        front["followup"] = follow
    names = ["Sagen kort"] + draw(st.lists(st.sampled_from(FIELDS[1:]), unique=True, max_size=4))
    if written_kind[0] in "BbD" and "Indstilling" not in names:
        names.append("Indstilling")
    order = draw(st.permutations(names))
    fields = {name: draw(bodies()) for name in order}
    if "Beslutning" in fields:
        fields["Beslutning"].insert(0, Block(DECISION_MARK, [f"[Normal] {DECISION_MARK}"]))
    if closed:
        fields["Sagen kort"].insert(0, Block(SECRET_MARK, [f"[Normal] {SECRET_MARK}"]))
    # tests/minimal has item 1.1; this item comes after it in section 1, first in section 2.
    position = front.get("number", 2 if section == "1" else 1)
    return ValidItem(front, fields, section, f"{section}.{position}", "(" + " + ".join(shown_kind) + ")", file_bilag)


def write_valid(item: ValidItem):
    def write(root: Path) -> None:
        (root / ITEM).unlink()
        folder = root / MEETING
        (folder / f"{item.section}.9-punkt.md").write_text(item.text(), encoding="utf-8")
        for title, name in item.file_bilag:
            (folder / "bilag").mkdir(exist_ok=True)
            (folder / "bilag" / name).write_bytes(b"%PDF-1.4 " + title.encode("utf-8"))
    return write


def unfold_labels(lines: list[str]) -> list[str]:
    """The dump with run-in field labels on lines of their own and field text as body
    text: ``[Felttekst] Sagen kort:\ttext`` → ``[Feltnavn] Sagen kort:``, ``[Normal] text``."""
    out = []
    for line in lines:
        if line.startswith("[Felttekst] "):
            text = line.removeprefix("[Felttekst] ")
            label, tab, rest = text.partition("\t")
            if tab and label.removesuffix(":") in (*FIELDS, "Bilag"):
                out.append(f"[Feltnavn] {label}")
                if rest:
                    out.append(f"[Normal] {rest}")
                continue
            out.append(f"[Normal] {text}")
        else:
            out.append(line)
    return out


def assert_shows(built: Built, item: ValidItem, path: Path, fields: list[str]) -> None:
    """The document at ``path`` shows ``item``: heading, fields in order, every block."""
    lines = unfold_labels(built.dump(path).splitlines())
    heading = f"[Heading2] {item.number} {item.front['title']} {item.kind}"
    assert heading in lines, f"no heading {heading!r} in {path.name}:\n" + "\n".join(lines)
    start = lines.index(heading)
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith(("[Heading1]", "[Heading2]"))), len(lines))
    own = lines[start:end]
    labels = [line.removeprefix("[Feltnavn] ").removesuffix(":") for line in own if line.startswith("[Feltnavn] ")]
    shown_fields = [name for name in FIELDS if name in fields] + (["Bilag"] if "bilag" in item.front else [])
    ordered = [name for name in ("Sagen kort", "Indstilling", "Beslutning", "Sagsfremstilling", "Videre proces",
                                 "Baggrund", "Bilag") if name in shown_fields]
    assert labels == ordered, f"fields {labels} in {path.name}, expected {ordered}"
    text = "\n".join(own)
    for name in fields:
        for block in item.fields[name]:
            for line in block.lines:
                assert line in own, f"{name}: no line {line!r} in {path.name}:\n{text}"
            for level, marker, words_ in block.list_items:
                pattern = rf"^\[ListParagraph/{level}\] {re.escape(marker) if marker else r'[^ ]+'} {re.escape(words_)}$"
                assert any(re.match(pattern, line) for line in own), f"{name}: no list paragraph {pattern!r}:\n{text}"
            assert words_of(body_markdown([block])) - {"https", "example", "dk"} <= words_of(text)
    for entry in item.front.get("bilag", []):
        if "url" in entry:
            assert f"{entry['title']}: [{entry['url']}]({entry['url']})" in text
        else:
            assert re.search(rf"– \[{re.escape(entry['title'])}\]\(bilag/[^)]+\.pdf\)", text), text


def check_valid_build(built: Built, item: ValidItem) -> None:
    assert built.status == 0, built.explain()
    dagsorden = built.document("Dagsorden")
    referat = built.document("Referat")
    public_fields = [name for name in item.fields if name != "Beslutning"]
    assert_shows(built, item, dagsorden, public_fields)
    assert_shows(built, item, referat, list(item.fields))
    assert f"| {item.number} | {item.front['title']} | {item.kind} |" in built.dump(dagsorden).splitlines()
    assert DECISION_MARK not in built.text(dagsorden)
    if "Beslutning" in item.fields:
        assert DECISION_MARK in built.text(referat)
    sheet = built.text(built.document("Opfølgningsark"))
    for action in item.front.get("followup", []):
        assert action["action"] in sheet and action["owner"] in sheet, sheet
    for title, name in item.file_bilag:
        copies = list((built.output / COUNCIL / DATE / "bilag").glob(f"*-{name}"))
        assert len(copies) == 1 and copies[0].read_bytes() == b"%PDF-1.4 " + title.encode("utf-8"), built.files
    for path in built.files:
        if path.suffix == ".docx":
            xml_is_sound(path)


@QUICK
@given(item=valid_items())
def _valid_items_build(item: ValidItem) -> None:
    with project_with(write_valid(item)) as built:
        record("valid items", built)
        check_valid_build(built, item)


def test_valid_items_give_documents_showing_their_text(capsys):
    run_property("valid items", _valid_items_build, 0.8, capsys)


@QUICK
@given(item=valid_items(closed=True))
def _closed_items_stay_internal(item: ValidItem) -> None:
    with project_with(write_valid(item)) as built:
        record("closed items", built)
        assert built.status == 0, built.explain()
        secrets = [SECRET_MARK] + [entry.get("url") or entry["title"] for entry in item.front.get("bilag", [])]
        secrets += [a["action"] for a in item.front.get("followup", [])]
        secrets += [line.split("] ", 1)[1] for blocks in item.fields.values() for b in blocks for line in b.lines
                    if line.startswith("[Normal] ")]
        # The title is public ("2.1 Title (Lukket punkt)"): text it holds proves nothing.
        secrets = [s for s in secrets if len(s) >= 8 and s not in item.front["title"]]
        public = [p for p in built.files if "intern" not in p.relative_to(built.output).parts and not p.name.startswith(".")]
        assert public, built.files
        assert not [p for p in public if "bilag" in p.relative_to(built.output).parts], "a closed item's bilag is public"
        for path in public:
            readable = all_text(path) if path.suffix == ".docx" else path.read_text("utf-8", "replace")
            assert SECRET_MARK not in readable, f"{path.name} holds the closed item's text"
            if path.suffix == ".docx":
                shown = built.text(path)
                leaked = [s for s in secrets if s in shown]
                assert not leaked, f"{path.name} shows {leaked}"
                if " Opfølgningsark " not in path.name:
                    assert f"[Heading2] {item.number} {item.front['title']} (Lukket punkt)" in built.dump(path).splitlines()
        check_valid_build_internal(built, item)


def check_valid_build_internal(built: Built, item: ValidItem) -> None:
    dagsorden = built.document("Dagsorden", internal=True)
    referat = built.document("Referat", internal=True)
    assert_shows(built, item, dagsorden, [name for name in item.fields if name != "Beslutning"])
    assert_shows(built, item, referat, list(item.fields))
    assert SECRET_MARK in built.text(dagsorden)
    internal_sheet = built.text(built.document("Opfølgningsark", internal=True))
    for action in item.front.get("followup", []):
        assert action["action"] in internal_sheet


def test_closed_items_appear_only_in_the_internal_documents(capsys):
    run_property("closed items", _closed_items_stay_internal, 0.8, capsys)


# -- whatever is typed ----------------------------------------------------------------------

FRAGMENTS = ["- ", "  - ", "    - ", "* ", "1. ", "2) ", "a. ", "A) ", "**", "*", "_", "`", "[link](", "https://e.dk/a_b",
             "<https://x.dk>", "www.dr.dk", "| a | b |\n|---|---|\n| 1 | 2 |", "---", "\t", "# ", "## ", "### ", "> ",
             "\x00", "\x0b", "\x0c", "\x1f", "\uf0b7 ", "\u00ad", "\ufeff", "{{ x }}", "{% if %}", "{_{", "<script>", "&",
             "&amp;", "😀", "\r\n", "\n", "\n\n", "    ", "æøå", "»", "\\", "]", ")", "![img](x.png)", "\u202e", "\U0010ffff"]

texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join),
)
MESSAGE = re.compile(r"^(content/\S.*?(:\d+)?: |fejl: |Fandt \d+ fejl)")


def check_answer(built: Built) -> None:
    """Exit 0 with sound documents, or exit 1 with located messages and nothing written."""
    assert built.status in (0, 1), built.explain()
    if built.status == 1:
        lines = built.stderr.splitlines()
        assert lines and all(MESSAGE.match(line) for line in lines), built.stderr
        assert not built.output.exists(), built.files
        return
    for path in built.files:
        if path.suffix == ".docx":
            xml_is_sound(path)


def write_item(data: bytes):
    def write(root: Path) -> None:
        (root / ITEM).write_bytes(data)
    return write


@QUICK
@given(body=texts, title=texts)
@example(body="https://e.dk/a_b<https://x.dk>", title="0")  # once a placeholder leaked into a link target
def _any_body_and_title(body, title):
    front = yaml.safe_dump({"title": title, "section": 2, "kind": "O"}, allow_unicode=True)
    text = f"---\n{front}---\n\n## Sagen kort\n\n{body}\n\n## Beslutning\n\n{body}\n"
    with project_with(write_item(text.encode("utf-8", "surrogatepass"))) as built:
        record("any body and title", built)
        check_answer(built)


def test_any_body_and_title_give_a_document_or_a_message(capsys):
    run_property("any body and title", _any_body_and_title, 0.3, capsys)




def mostly(valid, hostile=texts):
    """``valid`` three times in four, so that some examples get past the front matter."""
    return st.sampled_from([valid, valid, valid, hostile]).flatmap(lambda strategy: strategy)


typed_titles = mostly(phrase())
typed_kinds = mostly(st.sampled_from(["B", "O", "D", "b", "B + oplæg", "[O, oplæg]"]))
typed_sections = mostly(st.sampled_from(["1", "2", "'2'", '"1"']))
typed_bilag = mostly(st.one_of(urls.map(lambda url: f"{{title: Notat, url: {url}}}"), phrase()))


@QUICK
@given(title=typed_titles, kind=typed_kinds, section=typed_sections, extra=typed_bilag)
def _any_front_matter_text(title, kind, section, extra):
    """Values typed straight into the YAML, unquoted: often not valid YAML at all."""
    text = f"---\ntitle: {title}\nkind: {kind}\nsection: {section}\nbilag:\n  - {extra}\n---\n\n## Sagen kort\n\nTekst.\n"
    with project_with(write_item(text.encode("utf-8", "surrogatepass"))) as built:
        record("any front matter text", built)
        check_answer(built)


def test_any_front_matter_text_gives_a_document_or_a_message(capsys):
    run_property("any front matter text", _any_front_matter_text, 0.1, capsys)


@QUICK
@given(data=st.binary(max_size=300))
def _any_bytes(data):
    with project_with(write_item(data)) as built:
        record("any bytes", built)
        check_answer(built)


def test_any_bytes_in_an_item_file_give_a_document_or_a_message(capsys):
    # Random bytes are almost never an item: this property is about the messages, checked above.
    run_property("any bytes", _any_bytes, 0.0, capsys)


@QUICK
@given(item=valid_items(), at=st.integers(0, 10_000), inserted=st.one_of(texts, st.binary(max_size=40)))
def _valid_item_with_something_inserted(item: ValidItem, at: int, inserted):
    """A valid item with arbitrary text or bytes typed into it somewhere: a document or a message."""
    data = item.text().encode("utf-8")
    at %= len(data) + 1
    extra = inserted if isinstance(inserted, bytes) else inserted.encode("utf-8", "surrogatepass")

    def write(root: Path) -> None:
        write_valid(item)(root)
        path = root / MEETING / f"{item.section}.9-punkt.md"
        path.write_bytes(data[:at] + extra + data[at:])
    with project_with(write) as built:
        record("valid item with something inserted", built)
        check_answer(built)


def test_a_valid_item_with_anything_inserted_gives_a_document_or_a_message(capsys):
    run_property("valid item with something inserted", _valid_item_with_something_inserted, 0.3, capsys)
