"""Desktop and phone screenshots of one page of each kind of both built sites, for review.

    python -m tools.screenshots [--site site] [--out screenshots]

Serves each built site (SITE/public, SITE/internal) on 127.0.0.1 and has
Playwright drive Debian's chromium (never a browser of its own) to write
OUT/AUDIENCE/KIND-desktop.png (1280x900) and OUT/AUDIENCE/KIND-phone.png
(360x740), full page, cut at MAX_HEIGHT pixels. The page of each kind is its
heaviest (tools.weight.representatives). Chinese needs a CJK font on the machine:
`make screenshots` installs Debian's fonts-noto-cjk.

Also the helpers the browser tests share: `serve()` and `launch()`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from tools.weight import representatives

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium keeps trying to reach the outside.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
MAX_HEIGHT = 6000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a page left before its search index finished loading: nothing to report


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) and yield its base URL, ending in '/'."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright):
    """Debian's chromium, headless, with the flags that keep it off the network."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make test` or `make screenshots` installs Debian's chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)


def slug(kind: str) -> str:
    """A file name for a kind of page: '/' -> 'home', 'rounds/*/' -> 'rounds-page'."""
    if kind == "/":
        return "home"
    return kind.strip("/").removesuffix(".html").replace("/*", "-page").replace("/", "-")


def shoot(browser, base: str, path: str, viewport: str, out: Path) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    try:
        page = context.new_page()
        page.goto(base + path, wait_until="load")
        page.evaluate("document.fonts.ready")
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True,
                        clip={"x": 0, "y": 0, "width": VIEWPORTS[viewport]["width"], "height": height})
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="screenshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="folder holding public/ and internal/")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    written = 0
    with sync_playwright() as p:
        browser = launch(p)
        for audience in ("public", "internal"):
            site = args.site / audience
            if not site.is_dir():
                print(f"{site} is missing: run `make site` first", file=sys.stderr)
                return 1
            with serve(site) as base:
                for kind, path in representatives(site).items():
                    for viewport in VIEWPORTS:
                        out = args.out / audience / f"{slug(kind)}-{viewport}.png"
                        shoot(browser, base, path, viewport, out)
                        written += 1
                        print(f"{out.relative_to(args.out)}  <- {kind} {path or '/'}")
        browser.close()
    print(f"{written} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
