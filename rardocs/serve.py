"""``rardocs serve``: the council's web site on http://127.0.0.1:8000/, rebuilt as you write.

One warm process: it builds, serves ``output/<council>/web/`` at the server's root
(and the council's documents beside it, which the site links to as ``../…``),
watches ``content/`` and the templates with :mod:`watchfiles`, rebuilds what
changed, and reloads the open page. A mistake in the content is shown at the top of
every page and in the terminal, in Danish with file and line; the last good output
stays served meanwhile.
"""

from __future__ import annotations

import html
import http.server
import json
import sys
import threading
import time
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .builder import build
from .errors import BuildError, ContentError, RardocsError

#: Polled by every served page; answers the build's number, so the page reloads after a rebuild.
VERSION_PATH = "/__rardocs__/version"
RELOAD = """<script>
(function () {{
  var seen = {version};
  setInterval(function () {{
    fetch("{path}").then(function (r) {{ return r.json(); }}).then(function (v) {{
      if (v.version !== seen) {{ location.reload(); }}
    }}).catch(function () {{}});
  }}, 500);
}})();
</script>"""


class Site:
    """What is served: the build's state (a version number and the last problems)."""

    def __init__(self, root: Path, council: str | None):
        self.root, self.council = Path(root), council
        self.version = 0
        self.errors: list[str] = []  # of the last build: shown on every page until mended
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        """Build what changed; on a mistake keep the last good output and remember why."""
        try:
            result = build(self.root)
            shown, errors = [str(p) for p in result.warnings], []
        except ContentError as exc:
            shown = [str(p) for p in exc.problems]
            errors = [str(p) for p in exc.problems if not p.warning]
        except RardocsError as exc:
            shown = errors = [f"fejl: {exc}"]
        except Exception as exc:  # noqa: BLE001  (a bug must not stop the server: the last good site stays)
            shown = errors = [f"rardocs stødte på en intern fejl ({type(exc).__name__}: {exc}); kør python build.py"
                              " for detaljer"]
        with self.lock:
            self.errors = errors
            self.version += 1
        for line in shown:
            print(line, file=sys.stderr)

    def folders(self) -> tuple[Path, Path]:
        """The site's folder and the council's output folder beside it."""
        output = self.root / "output"
        councils = sorted(p.name for p in output.iterdir() if (p / "web").is_dir()) if output.is_dir() else []
        slug = self.council or (councils[0] if councils else "")
        return output / slug / "web", output / slug


class Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the site (or, for the documents it links to, of the council's output
    folder), with the reload script and any problems put into every HTML page."""

    def __init__(self, *args, site: Site, **kwargs):
        self.site = site
        super().__init__(*args, directory=str(site.folders()[0]), **kwargs)

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        path = unquote(urlsplit(self.path).path)
        if path == VERSION_PATH:
            return self._send(json.dumps({"version": self.site.version}).encode(), "application/json")
        web, council = self.site.folders()
        target = self._file(web, council, path)
        if target is None:
            return self.send_error(404, "Ikke fundet")
        if target.suffix == ".html":
            return self._send(self._page(target.read_text(encoding="utf-8")).encode("utf-8"), "text/html; charset=utf-8")
        self.path = "/" + target.relative_to(web if target.is_relative_to(web) else council).as_posix()
        self.directory = str(web if target.is_relative_to(web) else council)
        return super().do_GET()

    def _file(self, web: Path, council: Path, path: str) -> Path | None:
        for base in (web, council):
            candidate = (base / path.lstrip("/")).resolve()
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.is_file() and candidate.is_relative_to(base.resolve()) and "intern" not in candidate.parts:
                return candidate
        return None

    def _page(self, text: str) -> str:
        with self.site.lock:
            errors, version = list(self.site.errors), self.site.version
        banner = ""
        if errors:
            lines = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in errors)
            banner = (f'<div role="alert" style="background:#fff3cd;border:2px solid #8a6d00;padding:1em;margin:0">'
                      f"<strong>Indholdet har fejl – siden viser den sidste gode udgave:</strong><ul>{lines}</ul></div>")
        script = RELOAD.format(version=version, path=VERSION_PATH)
        text = text.replace("<body>", "<body>" + banner, 1) if banner else text
        return text.replace("</body>", script + "</body>", 1)

    def _send(self, data: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 (http.server's name)
        pass  # quiet: the terminal shows the builds


def watch(site: Site, stop: threading.Event) -> None:
    """Rebuild whenever content/ or the templates change, until ``stop`` is set."""
    from watchfiles import watch as changes

    folders = [str(site.root / "content")]
    for _ in changes(*folders, stop_event=stop, debounce=20, step=10):
        started = time.perf_counter()
        site.rebuild()
        print(f"byggede igen på {time.perf_counter() - started:.2f} s", file=sys.stderr)


def serve(root: Path, port: int = 8000, council: str | None = None, *, ready=None) -> None:
    """Build, serve and rebuild until interrupted (``ready``, if given, is called with the
    server once it listens: for tests)."""
    try:
        import watchfiles  # noqa: F401  (needed by the watcher thread; say so before building)
    except ImportError:
        raise BuildError('rardocs serve kræver Python-pakken watchfiles: pip install -e ".[serve]"') from None
    site = Site(root, council)
    site.rebuild()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, site=site))
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(site, stop), daemon=True)
    watcher.start()
    print(f"Hjemmesiden vises på http://127.0.0.1:{server.server_address[1]}/ (stop med Ctrl+C)")
    if ready:
        ready(server)
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
