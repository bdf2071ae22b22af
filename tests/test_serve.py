"""``rardocs serve`` answers on its port, and the page it serves follows the content."""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest

from conftest import copy_example

ITEM = "content/rar-oestjylland/2022-09-29/2.1-positivlisten.md"
PAGE = "/moeder/2022-09-29/index.html"


def _get(server, path: str) -> str:
    host, port = server.server_address[:2]
    with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=10) as response:
        return response.read().decode("utf-8")


def _until(condition, seconds: float = 20.0):
    """Wait until ``condition()`` is true (a rebuild is asynchronous); its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@pytest.fixture()
def served(tmp_path):
    pytest.importorskip("watchfiles")
    from rardocs.serve import serve

    root = copy_example(tmp_path / "project")
    ready = threading.Event()
    holder = {}

    def started(server):
        holder["server"] = server
        ready.set()

    thread = threading.Thread(target=serve, args=(root, 0), kwargs={"ready": started}, daemon=True)
    thread.start()
    assert ready.wait(60), "rardocs serve did not start"
    yield root, holder["server"]
    holder["server"].shutdown()


def test_serve_answers_and_shows_what_was_just_saved(served):
    root, server = served
    page = _get(server, PAGE)
    assert "Justering af positivlisten" in page and "/__rardocs__/version" in page  # the reload script
    assert "<h1" in _get(server, "/")  # the site's root at the server's root
    item = root / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace(
        "Rådet godkendte de fire indmeldte kurser som indstillet.",
        "Rådet godkendte de fire indmeldte kurser og et femte."), encoding="utf-8")
    assert _until(lambda: "og et femte" in _get(server, PAGE)), "the served page did not follow the change"


def test_a_mistake_is_shown_on_the_page_and_the_last_good_page_stays(served):
    root, server = served
    item = root / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("kind: B", "kind: X"), encoding="utf-8")
    page = _until(lambda: (lambda text: text if "Indholdet har fejl" in text else "")(_get(server, PAGE)))
    assert page, "the mistake was not shown"
    assert "2.1-positivlisten.md:4: ukendt kategori &#x27;X&#x27;" in page
    assert "Justering af positivlisten" in page  # the last good page, under the message
