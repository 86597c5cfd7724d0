"""Accessibility: axe-core, in Debian's chromium, on one page of each kind of both sites.

No serious or critical violation. axe-core is the npm package, pinned in the Makefile
(AXE_VERSION) and installed by `make test` into .cache/axe/ (never fetched by the page).
"""

from __future__ import annotations

import pytest

from tools.screenshots import ROOT, VIEWPORTS, launch, serve
from tools.weight import representatives

from .test_browser import editions  # noqa: F401  (a versioned tree of the public site, served)

pytestmark = pytest.mark.browser

AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser():
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: `make test` installs axe-core with npm")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = launch(p)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield b
        b.close()


def _axe(page, url: str, label: str, ready: str | None = None) -> list[str]:
    """Serious or critical violations on one page (once `ready` is there), one line per rule."""
    page.goto(url, wait_until="load")
    if ready:
        page.locator(ready).wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in result["violations"]:
        if v["impact"] in FAILING_IMPACTS:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            why = " ".join(v["nodes"][0].get("failureSummary", "").split("\n")[1:2]).strip()
            found.append(f"{label}: {v['id']} ({v['impact']}, {len(v['nodes'])} elements, "
                         f"e.g. {targets}): {v['help']}: {why}")
    return found


def _page(browser):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    return context, page, outside


def violations(browser, site) -> tuple[list[str], list[str]]:
    """Serious or critical violations on the page of each kind; and the kinds visited."""
    context, page, outside = _page(browser)
    found, visited = [], []
    with serve(site) as base:
        for kind, path in representatives(site).items():
            found += _axe(page, base + path, f"{kind} /{path}")
            visited.append(kind)
    context.close()
    assert outside == [], f"requests left the site: {outside}"
    return found, visited


def test_public_site_has_no_serious_violation(browser, public_site):
    found, visited = violations(browser, public_site)
    assert {"/", "rounds/*/", "organisations/*/", "rules/*/", "figures/", "how-to-report/"} <= set(visited)
    assert not found, "\n".join(found)


def test_internal_site_has_no_serious_violation(browser, internal_site):
    found, visited = violations(browser, internal_site)
    assert {"/", "handbook/", "trainings/", "trainings/*/"} <= set(visited)
    assert not found, "\n".join(found)


def test_edition_selector_and_old_edition_banner_have_no_serious_violation(browser, editions):  # noqa: F811
    """The header once Material has drawn the edition selector from versions.json: on the
    latest edition, and on an older one with its banner."""
    context, page, outside = _page(browser)
    found = []
    for path in ("latest/", "2024/"):
        found += _axe(page, editions + path, path, ready=".md-version__current")
    context.close()
    assert outside == [], f"requests left the site: {outside}"
    assert not found, "\n".join(found)
