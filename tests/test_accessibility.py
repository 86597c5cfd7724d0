"""Accessibility: axe-core, in Debian's chromium, on one page of each kind of both sites.

No serious or critical violation. axe-core is the npm package, pinned in the Makefile
(AXE_VERSION) and installed by `make test` into .cache/axe/ (never fetched by the page).
"""

from __future__ import annotations

import pytest

from tools.screenshots import ROOT, VIEWPORTS, launch, serve
from tools.weight import representatives

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


def violations(browser, site) -> tuple[list[str], list[str]]:
    """Serious or critical violations on the page of each kind, one line per rule and page;
    and the pages visited."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    found, visited = [], []
    with serve(site) as base:
        for kind, path in representatives(site).items():
            page.goto(base + path, wait_until="load")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            visited.append(kind)
            for v in result["violations"]:
                if v["impact"] in FAILING_IMPACTS:
                    targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
                    why = " ".join(v["nodes"][0].get("failureSummary", "").split("\n")[1:2]).strip()
                    found.append(f"{kind} /{path}: {v['id']} ({v['impact']}, {len(v['nodes'])} elements, "
                                 f"e.g. {targets}): {v['help']}: {why}")
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
