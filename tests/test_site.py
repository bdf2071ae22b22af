"""The council's web site: every page there, links that resolve, valid and accessible
HTML, search ranked as documented, and a closed item's words in no file."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from conftest import copy_example
from hypothesis import example, given
from hypothesis import strategies as st
from test_closed import SECRETS, plant_closed_item

from rardocs import load, outputs, plan
from rardocs.errors import TemplateError
from rardocs.site import documents_for, rank, site_files

COUNCIL = "rar-oestjylland"
PAGES = ["index.html", "moeder/index.html", "moeder/2022-09-29/index.html", "moeder/2022-11-28/index.html",
         "beslutninger/index.html", "opfoelgning/index.html", "presse/index.html",
         "presse/2022-09-30 Pressemeddelelse positivlisten/index.html", "soeg/index.html"]
ASSETS = ["style.css", "search.js", "beslutninger.js", "search-index.js"]
INDEX_PREFIX = "window.RARDOCS_INDEX = "


def build_site(root: Path, template_folder: Path | None = None) -> tuple[Path, dict[str, bytes], dict[str, str]]:
    """The site of the example council at ``root``: written to ``root/output/<council>/web``
    beside empty stand-ins for every document it may link (Word, PDF, samlet PDF, bilag)."""
    archive, _ = load(root)
    council = next(c for c in archive.councils if c.slug == COUNCIL)
    planned = [path for unit in plan(archive, root).values() for path in unit]
    meetings = [m for m in archive.meetings if m.council.slug == COUNCIL]
    pdfs = [str(PurePosixPath(p).with_suffix(".pdf")) for p in planned if p.endswith(".docx") and "/bilag/" not in p]
    combined = [str(outputs.combined_path(kind, m)) for m in meetings for kind in ("dagsorden", "referat")]
    documents = documents_for(council, archive, planned + pdfs + combined)
    files = site_files(archive, council, documents=documents, template_folder=template_folder)
    output = root / "output"
    for path in documents:
        (output / path).parent.mkdir(parents=True, exist_ok=True)
        (output / path).write_bytes(b"")
    web = output / COUNCIL / "web"
    for name, data in files.items():
        (web / name).parent.mkdir(parents=True, exist_ok=True)
        (web / name).write_bytes(data)
    return web, files, documents


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(copy_example(tmp_path_factory.mktemp("site") / "project"))


def parse(data: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)


def search_index(files: dict[str, bytes]) -> dict:
    text = files["search-index.js"].decode("utf-8")
    assert text.startswith(INDEX_PREFIX) and text.endswith(";\n")
    return json.loads(text[len(INDEX_PREFIX):-2])


def test_every_page_type_exists(site):
    web, files, _ = site
    for name in PAGES + ASSETS:
        assert name in files, name
        assert (web / name).is_file()
    assert sum(1 for name in files if re.fullmatch(r"presse/[^/]+/index\.html", name)) == 3


def test_every_internal_link_resolves(site):
    web, files, documents = site
    pages = [name for name in files if name.endswith(".html")]
    ids = {name: {el.get("id") for el in parse(files[name]).iter() if el.get("id")} for name in pages}
    checked = 0
    for name in pages:
        for el in parse(files[name]).iter():
            link = el.get("href") if el.tag in ("a", "link") else el.get("src") if el.tag == "script" else None
            if link is None or re.match(r"(https?|mailto|tel):", link):
                continue
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, (name, link)
            if not parts.path:
                assert parts.fragment in ids[name], (name, link)
                continue
            assert not parts.path.endswith("/"), f"{name}: {link} must name index.html (file://)"
            target = ((web / name).parent / unquote(parts.path)).resolve()
            assert target.is_file(), (name, link)
            checked += 1
            if parts.fragment:
                assert parts.fragment in ids[target.relative_to(web.resolve()).as_posix()], (name, link)
    assert checked > 100
    # The documents are linked: Word, PDF, samlet PDF and bilag files.
    meeting = files["moeder/2022-11-28/index.html"].decode()
    assert 'href="../../../2022-11-28/2022-11-28%20Referat%20RAR%20%C3%98stjylland.docx"' in meeting
    assert "Referat 28. november 2022 (PDF med alle bilag)" in meeting
    bilag = [path for path in documents if path.startswith(f"{COUNCIL}/2022-11-28/bilag/")]
    assert len(bilag) == 3
    assert all(f'href="../../{documents[path]}"' in meeting for path in bilag)
    assert 'href="../../../presse/2022-09-30%20Pressemeddelelse%20positivlisten.docx"' in \
        files["presse/2022-09-30 Pressemeddelelse positivlisten/index.html"].decode()


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_valid_html5_with_one_h1_and_no_skipped_heading(site, name):
    _, files, _ = site
    tree = parse(files[name])  # strict: any parse error raises
    assert tree.get("lang") == "da"
    levels = [int(el.tag[1]) for el in tree.iter() if re.fullmatch(r"h[1-6]", el.tag)]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    tags = {el.tag for el in tree.iter()}
    assert {"header", "nav", "main", "footer"} <= tags
    assert tree.find(".//body/a[@href='#indhold']").text == "Gå til indhold"
    for th in tree.iter("th"):
        assert th.get("scope") in ("col", "row"), name
    for a in tree.iter("a"):
        assert "".join(a.itertext()).strip(), f"{name}: a link without text"
    assert not re.search(rb"https?://(?!www\.rar-bm|www\.rm\.dk)[^\"]*\.(css|js)\b", files[name])


def test_search_ranks_item_2_1_first_for_positivlisten(site):
    _, files, _ = site
    index = search_index(files)
    results = rank(index, "positivlisten")
    assert results[0]["url"] == "moeder/2022-09-29/index.html#punkt-2-1"
    assert results[0]["title"].startswith("2.1 Justering af positivlisten")
    # Title words before text words, whole words before prefixes.
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    prefix = rank(index, "positivlist")
    assert prefix and all(r["score"] == 3 for r in prefix if "ositivlist" in r["title"].lower())
    # Both words in its title put the press release above item 2.1, which has one.
    both = rank(index, "positivlisten kurser")
    assert [r["url"] for r in both[:2]] == ["presse/2022-09-30%20Pressemeddelelse%20positivlisten/index.html",
                                           "moeder/2022-09-29/index.html#punkt-2-1"]
    assert [r["score"] for r in both[:2]] == [8, 6]
    assert rank(index, "") == [] and rank(index, "zzzzqqq") == []
    size = len(files["search-index.js"])
    assert size < 150_000, size


def test_search_script_ranks_as_python_in_a_browser(site):
    """search.js, run by Chromium from file://, lists the results in rank()'s order."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is needed to run search.js")
    web, files, _ = site
    index = search_index(files)
    for query in ("positivlisten", "unge", "strategi 2023", "kurs"):
        page = (web / "soeg" / "index.html").resolve().as_uri() + "?q=" + query.replace(" ", "+")
        dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page],
                             check=False, capture_output=True, text=True, timeout=60).stdout
        results = dom.split('id="soeg-resultater"', 1)[1].split("</ol>", 1)[0]
        shown = re.findall(r'<a href="\.\./([^"]+)"', results)
        assert shown == [r["url"] for r in rank(index, query)][:100], query


def test_pages_are_danish(site):
    _, files, _ = site
    text = {name: files[name].decode("utf-8") for name in PAGES}
    meeting = text["moeder/2022-09-29/index.html"]
    assert "<h1>Referat af RAR Østjyllands møde den 29. september 2022</h1>" in meeting
    assert "Torsdag den 29. september 2022 kl. 13.00–16.05" in meeting
    assert 'id="punkt-2-1"' in meeting and "På mødet deltog" in meeting and "Medlemmer:" in meeting
    assert "B = beslutning · O = orientering · D = drøftelse" in meeting
    assert "Rådet godkendte de fire indmeldte kurser som indstillet." in meeting
    assert "<h2>2022</h2>" in text["moeder/index.html"].replace(' id="aar-2022"', "")
    assert "Torsdag den 29. september 2022" in text["moeder/index.html"]
    followup = text["opfoelgning/index.html"]
    assert "Frist overskredet" in followup and "pr. 28. november 2022" in followup
    assert "afsluttet" not in re.sub(r"<p>.*?</p>", "", followup, flags=re.DOTALL)  # open actions only
    decisions = text["beslutninger/index.html"]
    assert 'data-aar="2022"' in decisions and 'data-kategori="B"' in decisions
    assert '<option value="B">B (beslutning)</option>' in decisions and "hidden" in decisions
    assert "Seneste møde" in text["index.html"]
    assert "Fire nye kurser i grøn omstilling på positivlisten i Østjylland" in text["presse/index.html"]
    assert "Søgningen kræver JavaScript" in text["soeg/index.html"]


def test_newest_meeting_without_referat_is_the_next_meeting(tmp_path):
    root = copy_example(tmp_path / "project")
    folder = root / "content" / COUNCIL / "2022-11-28"
    for path in folder.glob("*.md"):
        path.write_text(re.sub(r"## Beslutning\n.*?(?=\n## |\Z)", "", path.read_text(encoding="utf-8"), flags=re.DOTALL),
                        encoding="utf-8")
    _, files, _ = build_site(root)
    assert "Næste møde" in files["index.html"].decode()
    meeting = files["moeder/2022-11-28/index.html"].decode()
    assert "<h1>Dagsorden for RAR Østjyllands møde den 28. november 2022</h1>" in meeting
    assert "<h4>Beslutning</h4>" not in meeting


def test_a_closed_item_leaves_its_words_in_no_file(tmp_path):
    root = copy_example(tmp_path / "project")
    plant_closed_item(root)
    _, files, _ = build_site(root)
    for name, data in files.items():
        text = data.decode("utf-8")
        for secret in SECRETS:
            assert secret not in text and secret not in name, (name, secret)
    meeting = files["moeder/2022-09-29/index.html"].decode()
    item = meeting.split('id="punkt-2-2"', 1)[1].split("</section>", 1)[0]
    assert "Indsats vedrørende overvågning af jobordrer" in item and "Lukket punkt" in item
    assert "<h4>" not in item
    assert not any(e[3] == "moeder/2022-09-29/index.html#punkt-2-2" for e in search_index(files)["entries"])


def test_a_council_template_overrides_the_default(tmp_path):
    root = copy_example(tmp_path / "project")
    own = root / "content" / COUNCIL / "templates" / "web"
    own.mkdir(parents=True)
    (own / "forside.html").write_text('{% extends "base.html" %}{% block main %}<h1>Vores råd: {{ council.name }}'
                                      '</h1>{% endblock %}', encoding="utf-8")
    _, files, _ = build_site(root, own)
    assert "<h1>Vores råd: RAR Østjylland</h1>" in files["index.html"].decode()
    (own / "forside.html").write_text("{{ ukendt }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="content/rar-oestjylland/templates/web/forside.html"):
        build_site(root, own)
    (own / "forside.html").write_text("{{ council.__class__ }}", encoding="utf-8")
    with pytest.raises(TemplateError):
        build_site(root, own)


def test_content_is_text_never_markup(tmp_path):
    root = copy_example(tmp_path / "project")
    path = root / "content" / COUNCIL / "2022-09-29" / "2.1-positivlisten.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Justering", "title: <script>alert(1)</script> {{ 7*7 }} & Justering", 1)
                    .replace("## Sagen kort\n", "## Sagen kort\n\n<img src=x onerror=alert(1)> ### ikke en overskrift\n", 1),
                    encoding="utf-8")
    _, files, _ = build_site(root)
    meeting = files["moeder/2022-09-29/index.html"].decode()
    assert "<script>alert" not in meeting and "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; Justering" in meeting
    assert "<img" not in meeting
    parse(files["moeder/2022-09-29/index.html"])


# -- the site in a build ------------------------------------------------------------------------


def test_the_build_writes_the_site_and_web_false_removes_it(tmp_path, capsys):
    from rardocs.cli import main

    root = copy_example(tmp_path / "project")
    assert main(["build", "--root", str(root), "--base-url", "https://rar-bm.dk/rar-oestjylland"]) == 0
    web = root / "output/rar-oestjylland/web"
    assert (web / "moeder/2022-09-29/index.html").is_file()
    atom = (web / "feed.atom").read_text(encoding="utf-8")
    assert "https://rar-bm.dk/rar-oestjylland/moeder/2022-09-29/" in atom  # --base-url makes the links absolute
    council = root / "content/rar-oestjylland/council.yaml"
    council.write_text(council.read_text(encoding="utf-8") + "web: false\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 0
    assert not web.exists() or not any(web.rglob("*"))
    assert "fjernede output/rar-oestjylland/web/index.html (laves ikke længere)" in capsys.readouterr().out


def test_beslutninger_lists_the_register_in_the_terminal(tmp_path, capsys):
    from rardocs.cli import main

    root = copy_example(tmp_path / "project")
    assert main(["beslutninger", "--root", str(root), "--søg", "positivlisten"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("29. september 2022, RAR Østjylland, punkt 2.1: Justering af positivlisten for regional"
                          " uddannelsespulje pr. 1. oktober 2022\n    Rådet godkendte de fire indmeldte kurser")
    assert out.endswith("1 beslutning.\n")
    assert main(["beslutninger", "--root", str(root)]) == 0
    dates = [line.split(",")[0] for line in capsys.readouterr().out.splitlines() if line and not line.startswith(" ")]
    assert dates[0] == "28. november 2022" and dates[-2] == "29. september 2022"  # newest first (last line: the count)
    assert main(["beslutninger", "--root", str(root), "--council", "rar-fyn"]) == 2


def test_the_search_script_is_the_index_as_compact_json(site):
    """search-index.js is joined from each meeting's part; it must be the index's JSON, whole."""
    _, files, _ = site
    index = search_index(files)
    whole = ("window.RARDOCS_INDEX = " + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ";\n")
    assert sorted(index) == ["entries", "words"] and "…" in whole
    assert files["search-index.js"] == whole.encode("utf-8")


_WORDS = st.sampled_from(["råd", "møde", "ledighed", "2022", "a", "b", "æble", "ø", "x" * 30])
_ENTRY = st.tuples(st.text(max_size=8), st.lists(st.tuples(_WORDS, st.integers(1, 300)), unique_by=lambda p: p[0]))


@given(st.lists(st.lists(_ENTRY, max_size=100), max_size=6), st.lists(st.integers(1, 4), min_size=1))
@example([[("x", [("råd", 2), ("a", 1)])] * 130, [("y", [("a", 300)])] * 130, [("z", [("a", 1)])]], [2])
def test_the_search_script_joined_from_parts_is_the_whole_index(meetings, sizes):
    """For any entries cut into meetings' parts (some empty, some of more than 255 entries),
    joined a few at a time and then together, the script is the index made of all the
    entries at once, as JSON."""
    from rardocs.site import search

    def prepared(title, counts):
        return [["B", title, f"tekst {title} …", "moeder/x/index.html", "2022-09-29"],
                tuple(word for word, _ in counts), bytes(min(count, 255) for _, count in counts)]

    cut = [[prepared(title, counts) for title, counts in entries] for entries in meetings]
    whole = search.compact([entry for entries in cut for entry in entries])
    expected = "window.RARDOCS_INDEX = " + json.dumps(whole, ensure_ascii=False, separators=(",", ":")) + ";\n"
    parts, chunks = [search.part(entries) for entries in cut], []
    for size in itertools.cycle(sizes):
        if not parts:
            break
        chunks.append(search.joined(parts[:size]))
        parts = parts[size:]
    assert search.script(chunks) == expected.encode("utf-8")


def test_a_page_over_all_meetings_is_made_again_only_when_what_it_shows_changed(tmp_path, monkeypatch):
    """The lists, decisions, follow-up and press pages are kept by their data, the
    council's own templates and rardocs: an edit of an item's text makes its meeting's
    page only; a decision edited makes the decisions page; a council's own template the
    pages it renders."""
    from rardocs import build
    from rardocs.site.templates import Templates

    root = copy_example(tmp_path / "project")
    build(root)
    rendered: list[str] = []
    original = Templates.render

    def counting(self, name, data):
        rendered.append(name)
        return original(self, name, data)

    monkeypatch.setattr(Templates, "render", counting)
    item = root / "content" / "rar-oestjylland" / "2022-09-29" / "1.2-referater.md"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("## Sagsfremstilling\n\n", "## Sagsfremstilling\n\nEn ny første sætning.\n\n"),
                    encoding="utf-8")
    build(root)
    assert rendered == ["moede.html"]

    rendered.clear()
    item.write_text(text.replace("Rådet tog referaterne til efterretning.", "Rådet godkendte referaterne."),
                    encoding="utf-8")
    build(root)
    assert "beslutninger.html" in rendered and "forside.html" not in rendered
    page = (root / "output" / "rar-oestjylland" / "web" / "beslutninger" / "index.html").read_text(encoding="utf-8")
    assert "Rådet godkendte referaterne." in page

    rendered.clear()
    own = root / "content" / "rar-oestjylland" / "templates" / "web"
    own.mkdir(parents=True)
    default = Path(__file__).resolve().parent.parent / "templates" / "web" / "presse.html"
    (own / "presse.html").write_text(default.read_text(encoding="utf-8").replace("</h1>", "</h1><p>Egen</p>", 1),
                                     encoding="utf-8")
    build(root)
    assert {"forside.html", "beslutninger.html", "presse.html"} <= set(rendered)
    page = (root / "output" / "rar-oestjylland" / "web" / "presse" / "index.html").read_text(encoding="utf-8")
    assert "<p>Egen</p>" in page
