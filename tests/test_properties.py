"""Property-based: whatever a secretary types gives a valid .docx or a clean message.

``pytest --hypothesis-profile=thorough tests/test_properties.py`` tries many more cases.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import MINIMAL
from rardocs import build
from rardocs.errors import RardocsError

ITEM = "content/rar-test/2023-01-10/2.1-ledighed.md"
FRAGMENTS = ["- ", "  - ", "    - ", "* ", "1. ", "2) ", "a. ", "A) ", "**", "*", "_", "`", "[link](", "https://e.dk/a_b",
             "<https://x.dk>", "www.dr.dk", "| a | b |\n|---|---|\n| 1 | 2 |", "---", "\t", "# ", "## ", "### ", "> ",
             "\x00", "\x0b", "\x0c", "\x1f", "\uf0b7 ", "\u00ad", "\ufeff", "{{ x }}", "{% if %}", "{_{", "<script>", "&",
             "&amp;", "😀", "\r\n", "\n", "\n\n", "    ", "æøå", "»", "\\", "]", ")", "![img](x.png)", "\u202e", "\U0010ffff"]

texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join),
)


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


def build_once(write_item) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        shutil.copytree(MINIMAL, root)
        write_item(root / ITEM)
        try:
            result = build(root, force=True)
        except RardocsError as exc:
            problems = getattr(exc, "problems", None)
            if problems is not None:
                assert problems and all(re.match(r"^content/\S", str(p)) for p in problems), exc
            assert not (root / "output").exists()
            return
        for path in result.written:
            if path.suffix == ".docx":
                xml_is_sound(path)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=texts, title=texts)
@example(body="https://e.dk/a_b<https://x.dk>", title="0")  # once a placeholder leaked into a link target
def test_any_body_and_title_give_a_document_or_a_message(body, title):
    def write(path: Path) -> None:
        front = yaml.safe_dump({"title": title, "section": 2, "kind": "O"}, allow_unicode=True)
        path.write_text(f"---\n{front}---\n\n## Sagen kort\n\n{body}\n\n## Beslutning\n\n{body}\n", encoding="utf-8",
                        errors="surrogatepass")
    build_once(write)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(texts, min_size=4, max_size=4))
def test_any_front_matter_text_gives_a_document_or_a_message(values):
    """Values typed straight into the YAML, unquoted: often not valid YAML at all."""
    title, kind, section, extra = values

    def write(path: Path) -> None:
        text = f"---\ntitle: {title}\nkind: {kind}\nsection: {section}\nbilag:\n  - {extra}\n---\n\n## Sagen kort\n\nTekst.\n"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    build_once(write)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_any_bytes_in_an_item_file(data):
    build_once(lambda path: path.write_bytes(data))
