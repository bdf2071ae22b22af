"""The web pages in a real browser: Debian's Chromium (headless, through chromedriver)
runs axe-core on every page type, and screenshots show the meeting page at desktop and
phone width (saved in ``review/``, git-ignored, to look at).

axe-core comes from its npm package: ``.ci/run`` installs it and sets ``AXE_CORE_JS``;
elsewhere the test looks in ``~/.cache/rardocs/node_modules/axe-core/``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO

COUNCIL = "rar-oestjylland"
AXE_DEFAULT = Path.home() / ".cache/rardocs/node_modules/axe-core/axe.min.js"
#: What axe checks: WCAG 2.0, 2.1 (A and AA) and its best practices.
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: One page of each type of the site, and the press release page beside the documents.
PAGES = {
    "forside": "web/index.html",
    "møder": "web/moeder/index.html",
    "møde": "web/moeder/2022-09-29/index.html",
    "beslutninger": "web/beslutninger/index.html",
    "opfølgning": "web/opfoelgning/index.html",
    "presse": "web/presse/index.html",
    "søg": "web/soeg/index.html",
    "pressemeddelelse (html)": "presse/2022-09-30 Pressemeddelelse positivlisten.html",
}


def _axe_js() -> Path:
    path = Path(os.environ.get("AXE_CORE_JS") or AXE_DEFAULT)
    if not path.is_file():
        pytest.skip("axe-core is not installed (npm install --prefix ~/.cache/rardocs axe-core@4)")
    return path


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path=driver)
    session = webdriver.Chrome(options=options, service=service)
    yield session
    session.quit()


@pytest.fixture(scope="module")
def site(example_output) -> Path:
    return example_output / COUNCIL


def run_axe(browser, page: Path, axe: str) -> list[dict]:
    browser.get(page.as_uri())
    browser.execute_script(axe)
    browser.set_script_timeout(60)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(AXE_RULES)}}}}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));")
    return result


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(browser, site, name):
    page = site / PAGES[name]
    assert page.is_file(), f"{PAGES[name]} was not built"
    violations = run_axe(browser, page, _axe_js().read_text(encoding="utf-8"))
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("width, height", [(1280, 900), (375, 800)], ids=["desktop", "phone"])
def test_meeting_page_screenshots(browser, site, width, height):
    """Screenshots to look at (review/), and nothing wider than the window at a phone's width."""
    browser.set_window_size(width, height)
    browser.get((site / PAGES["møde"]).as_uri())
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    folder = REPO / "review"
    folder.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(folder / f"web-meeting-{width}.png"))
    assert overflow <= 0, f"the page is {overflow} px wider than a {width} px window"
    browser.set_window_size(1280, 900)


def test_printing_leaves_out_the_navigation(browser, site):
    """The print stylesheet: a printed meeting page is the minutes, without the site's menus."""
    browser.get((site / PAGES["møde"]).as_uri())
    shown = "return getComputedStyle(document.querySelector('nav')).display"
    assert browser.execute_script(shown) != "none"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.execute_script(shown) == "none"
        assert "Justering af positivlisten" in browser.execute_script("return document.body.innerText")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
