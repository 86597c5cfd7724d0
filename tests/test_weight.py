"""Page weight against the budget of tools/weight.py (README, "Quality gates"): every page
of both sites, by kind; a failure says which page is over and by how much."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.weight import BUDGET, KB, kind_of, main, weigh, weigh_site

# Kinds of page over budget when the gate was added, each owned by another issue. Listed
# so `make test` stays green until they are fixed; test_known_overweight_kinds_are_still_over
# fails once one is within budget, to take it off this list.
KNOWN_OVER: set[tuple[str, str]] = set()  # (audience, kind) allowed over budget for now


@pytest.fixture(scope="module")
def weights(public_site, internal_site):
    return {"public": weigh_site(public_site), "internal": weigh_site(internal_site)}


def test_every_page_within_budget(weights):
    over = [f"{audience} {w.page}: {problem}"
            for audience, kinds in weights.items() for kind, ws in kinds.items()
            if (audience, kind) not in KNOWN_OVER for w in ws for problem in w.over()]
    assert not over, "pages over budget:\n" + "\n".join(over)


def no_longer_over(weights, known_over) -> list[str]:
    """The entries of `known_over` to take off the list: a kind with no page in its site, or
    whose every page is within budget now."""
    out = []
    for audience, kind in sorted(known_over):
        pages = weights.get(audience, {}).get(kind)
        if not pages:
            out.append(f"no page of kind {kind} in the {audience} site: take it off KNOWN_OVER")
        elif not any(w.over() for w in pages):
            out.append(f"{audience} {kind} is within budget now: take it off KNOWN_OVER in tests/test_weight.py")
    return out


def test_known_overweight_kinds_are_still_over(weights):
    """Runs whether or not KNOWN_OVER is empty (a test parametrized over an empty list never runs)."""
    assert no_longer_over(weights, KNOWN_OVER) == []


def test_an_entry_of_known_over_within_budget_is_flagged():
    from tools.weight import Weight

    heavy = Weight("rounds/index.html", "rounds/", {"html": BUDGET["html"] + 1})
    light = Weight("rounds/r-1/index.html", "rounds/*/", {"html": 10 * KB, "css": 100 * KB})
    weights = {"public": {"rounds/": [heavy], "rounds/*/": [light, light]}, "internal": {}}
    assert no_longer_over(weights, set()) == []
    assert no_longer_over(weights, {("public", "rounds/")}) == []
    assert no_longer_over(weights, {("public", "rounds/"), ("public", "rounds/*/")}) == [
        "public rounds/*/ is within budget now: take it off KNOWN_OVER in tests/test_weight.py"]
    assert no_longer_over(weights, {("internal", "rounds/")}) == [
        "no page of kind rounds/ in the internal site: take it off KNOWN_OVER"]


def test_every_page_loads_the_site_styles_and_scripts(weights):
    """The weight is not vacuous: each page counts Material's CSS and JS and the site's own."""
    for kinds in weights.values():
        for ws in kinds.values():
            for w in ws:
                assert w.sizes.get("css", 0) > 50 * KB and w.sizes.get("js", 0) > 50 * KB, w
                assert "assets/site.css" in w.files, w.page


def test_kinds():
    assert kind_of("index.html") == "/"
    assert kind_of("404.html") == "404.html"
    assert kind_of("figures/index.html") == "figures/"
    assert kind_of("rounds/r-2019-luohe-1/index.html") == "rounds/*/"
    assert kind_of("rules/rule-001/v2/index.html") == "rules/*/*/"


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(data, bytes) else path.write_text)(data)


def test_weight_counts_the_page_and_what_it_loads_and_says_how_much_over(tmp_path, capsys):
    site = tmp_path / "site"
    html = ('<link rel="stylesheet" href="../assets/a.css"><link rel="next" href="../b/">'
            '<link rel="icon" href="../assets/i.png"><script src="../assets/a.js"></script>'
            '<script src="../assets/a.js"></script><img src="../assets/i.png"><a href="../big.zip">zip</a>'
            '<div data-src="../data.json"></div>')
    _write(site / "p" / "index.html", html + " " * (BUDGET["html"] + 10 * KB - len(html)))
    _write(site / "b" / "index.html", "<p>small</p>")
    _write(site / "assets" / "a.css", "@font-face{src:url(f.woff2)} .x{background:url(i.png)}")
    _write(site / "assets" / "f.woff2", b"f" * 1000)
    _write(site / "assets" / "i.png", b"i" * 300)
    _write(site / "assets" / "a.js", b"j" * 200)
    _write(site / "big.zip", b"z" * 5000)
    _write(site / "data.json", b"d" * 2 * BUDGET["total"])
    w = weigh(site, site / "p" / "index.html")
    assert w.kind == "p/"
    assert {k: v for k, v in w.sizes.items() if k != "html"} == {
        "css": len("@font-face{src:url(f.woff2)} .x{background:url(i.png)}"),
        "fonts": 1000, "images": 300, "js": 200, "data": 2 * BUDGET["total"]}
    assert w.html == BUDGET["html"] + 10 * KB
    assert w.over()[0] == "HTML 110.0 KiB, 10.0 KiB over the 100.0 KiB budget"
    assert w.over()[1].startswith("total 2159.5 KiB, 1135.5 KiB over the 1024.0 KiB budget")
    assert weigh(site, site / "b" / "index.html").over() == []
    assert main([str(site)]) == 1
    assert "over budget: p/index.html: HTML 110.0 KiB, 10.0 KiB over" in capsys.readouterr().out
