"""Every internal link, anchor and asset of both built sites resolves (tools/linkcheck.py),
and MkDocs' own link validation stays on, as warnings that --strict turns into failures."""

from __future__ import annotations

from pathlib import Path

from tools.linkcheck import check, main

from .conftest import mkdocs_config


def _broken(site: Path) -> str:
    report = check(site)
    assert report.checked > 1000, "the checker saw almost no links: is the site empty?"
    return "\n".join(map(str, report.broken))


def test_public_site_links_resolve(public_site):
    broken = _broken(public_site)
    assert not broken, f"broken links in the public site:\n{broken}"


def test_internal_site_links_resolve(internal_site):
    broken = _broken(internal_site)
    assert not broken, f"broken links in the internal site:\n{broken}"


def test_mkdocs_validation_is_strict():
    config = mkdocs_config("mkdocs.yml")
    assert config["strict"] is True
    assert config["validation"]["links"]["not_found"] == "warn"
    assert config["validation"]["links"]["anchors"] == "warn"
    assert config["validation"]["nav"]["not_found"] == "warn"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_checker_finds_each_kind_of_broken_link(tmp_path, capsys):
    site = tmp_path / "site"
    _write(site / "index.html", """<html><head>
        <link rel="stylesheet" href="assets/site.css"><script src="assets/gone.js"></script></head>
        <body><h1 id="top">x</h1>
        <a href="a/">ok</a> <a href="a/#here">ok anchor</a> <a href="#top">ok self</a>
        <a href="/a/index.html#here">ok root-relative</a> <a href="a/?q=1">ok query</a> <a href="a/#named">ok name</a>
        <a href="b/">missing page</a> <a href="a/#nowhere">missing anchor</a> <a href="#gone">missing self</a>
        <a href="../outside/">leaves</a> <img src="assets/%E5%9B%BE.png" srcset="assets/x.png 2x">
        <a href="https://example.org/x">external</a> <a href="mailto:a@b.c">mail</a> <a href="#">top</a>
        <div data-md-component="outdated" hidden><div></div><a href="../..">latest edition</a></div>
        <div><a href="../after-banner/">leaves too</a></div>
        </body></html>""")
    _write(site / "a" / "index.html", '<p id="here"><a name="named"></a><a href="../index.html#named">x</a></p>')
    _write(site / "assets" / "site.css", "@font-face{src:url(fonts/f.woff2)} a{background:url('data:x')}")
    _write(site / "assets" / "图.png", "png")
    report = check(site)
    assert [(b.page, b.url) for b in report.broken] == [
        ("a/index.html", "../index.html#named"),
        ("assets/site.css", "fonts/f.woff2"),
        ("index.html", "#gone"),
        ("index.html", "../after-banner/"),
        ("index.html", "../outside/"),
        ("index.html", "a/#nowhere"),
        ("index.html", "assets/gone.js"),
        ("index.html", "assets/x.png"),
        ("index.html", "b/"),
    ]
    assert report.external == {"https://example.org/x": ["index.html"]}
    assert report.above_edition == {"../..": ["index.html"]}
    assert main([str(site), "--external"]) == 1
    out = capsys.readouterr().out
    assert "index.html: a/#nowhere: no id 'nowhere' in a/index.html" in out
    assert "external https://example.org/x" in out
