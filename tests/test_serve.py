"""`mkdocs serve` as `make serve` runs it: after a save in data/ only the pages whose Markdown
changed are rendered again; data errors show in the open page, and it recovers when they are
fixed (issue #18 goal 1, issue #14 point 4). Not timed: tools/bench_preview.py times it."""

from __future__ import annotations

import os
import time

import pytest

from generators.audience import Page
from generators.pipeline import Preview
from tools.bench_preview import Served, first_item, get, replace_once, wait_for
from tools.screenshots import launch

from .conftest import copy_project


def test_preview_rewrites_only_changed_pages(tmp_path):
    preview = Preview(tmp_path)
    assert preview.update([Page("a/x.md", "1", "public"), Page("b/y.md", "2", "public")]) == ["a/x.md", "b/y.md"]
    os.utime(tmp_path / "a" / "x.md", ns=(0, 0))
    os.utime(tmp_path / "b" / "y.md", ns=(0, 0))
    assert preview.update([Page("a/x.md", "1", "public"), Page("c.md", "3", "public")]) == ["c.md"]
    assert (tmp_path / "a" / "x.md").stat().st_mtime_ns == 0  # unchanged: not written
    assert not (tmp_path / "b" / "y.md").exists()  # gone
    assert preview.update([Page("a/x.md", "4", "public"), Page("c.md", "3", "public")]) == ["a/x.md"]
    assert (tmp_path / "a" / "x.md").read_text(encoding="utf-8") == "4"
    assert preview.files() == [("a/x.md", str(tmp_path / "a" / "x.md")), ("c.md", str(tmp_path / "c.md"))]


@pytest.mark.browser
def test_preview_rebuilds_only_changed_pages_and_shows_errors(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    project = copy_project(tmp_path / "project")
    items = project / "data" / "items.yaml"
    line, page_path = first_item(project / "data")
    with Served(project, tmp_path, startup=300) as served:
        url = served.url + page_path
        assert "livereload" in (get(url) or "")
        assert "导航和搜索可能不是最新的" in (get(url) or ""), "no preview banner"
        changed, unrelated = served.site / page_path / "index.html", served.site / "timeline" / "index.html"
        before = {path: path.stat().st_mtime_ns for path in (changed, unrelated)}

        replace_once(items, line, line + "预览改动测试")
        assert wait_for(url, "预览改动测试", 240), "the page did not change after data/items.yaml changed"
        assert changed.stat().st_mtime_ns > before[changed]
        assert unrelated.stat().st_mtime_ns == before[unrelated], "a page that did not change was rendered again"

        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            errors = page.locator("#luohe-preview-errors")
            expect(errors).to_be_hidden()
            priority = "  priority: " + items.read_text(encoding="utf-8").split("  priority: ", 1)[1].split("\n", 1)[0]
            replace_once(items, priority, "  priority: 一般")  # the open page reloads itself
            expect(errors).to_contain_text("items.yaml:", timeout=240_000)
            expect(errors).to_contain_text("items[0].priority: 取值不在允许范围内:'一般' 不是")
            expect(page.locator("article")).to_contain_text("预览改动测试")  # the last good page stays

            # The same bytes saved again (as an editor that truncates and then writes makes two
            # events of one save): MkDocs rebuilds, the error stays on the page, the terminal
            # does not say it twice.
            log_file = tmp_path / "serve.log"
            builds = log_file.read_text(encoding="utf-8").count("Reloading browsers")
            items.write_bytes(items.read_bytes())
            deadline = time.monotonic() + 240
            while log_file.read_text(encoding="utf-8").count("Reloading browsers") == builds:
                assert time.monotonic() < deadline, "saving data/items.yaml again did not rebuild"
                time.sleep(0.2)
            expect(errors).to_contain_text("items[0].priority")

            replace_once(items, "  priority: 一般", priority)
            expect(errors).to_be_hidden(timeout=240_000)
            expect(page.locator("article")).to_contain_text("预览改动测试")
            browser.close()

        # A rebuild that stops after the data were read (here: a hand-written page with the name
        # of a generated one) renders nothing; the pages the save changed are rendered by the
        # next rebuild that gets to its end, though their Markdown did not change again.
        clash = project / "content" / "public" / "statistics.md"

        def failed() -> int:  # printed by each rebuild that stops (MkDocs says its error once)
            return log_file.read_text(encoding="utf-8").count("Aborted with a BuildError!")

        before = failed()
        clash.write_text("---\naudience: public\n---\n\n# 同名\n", encoding="utf-8")
        deadline = time.monotonic() + 240
        while failed() == before:
            assert time.monotonic() < deadline, "the clashing page did not stop the rebuild"
            time.sleep(0.2)
        assert "与手写页面同名" in log_file.read_text(encoding="utf-8")
        time.sleep(1)  # any second event of the same save
        before = failed()
        replace_once(items, line + "预览改动测试", line + "预览改动测试再改")
        while failed() == before:
            assert time.monotonic() < deadline, "the edit under the clash did not rebuild"
            time.sleep(0.2)
        clash.unlink()
        assert wait_for(url, "预览改动测试再改", 240), "the page changed under a failed rebuild was never rendered"
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert log.count("items[0].priority") == 1, "the error is not in the terminal exactly once"
    assert "Traceback" not in log


def test_the_preview_lists_the_theme_files_once_and_gives_the_same_files(monkeypatch):
    """Under make serve the hook lists Material's static files on the first build only
    (MkDocs walks the theme's folders on every rebuild); later builds get the same files."""
    import importlib.util

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files, get_files

    from .conftest import ROOT

    monkeypatch.setattr(Files, "add_files_from_theme", Files.add_files_from_theme)  # restored afterwards
    spec = importlib.util.spec_from_file_location("luohe_adapter_theme_test", ROOT / "hooks" / "mkdocs_adapter.py")
    assert spec is not None and spec.loader is not None
    adapter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(adapter)
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    env = config.theme.get_env()
    expected = get_files(config)
    expected.add_files_from_theme(env, config)
    adapter.on_startup("serve", True)
    try:
        first = get_files(config)
        first.add_files_from_theme(env, config)
        monkeypatch.setattr(env, "list_templates", lambda *a, **k: pytest.fail("the theme was listed again"))
        again = get_files(config)
        again.add_files_from_theme(env, config)
    finally:
        adapter.on_shutdown()
        adapter.keep_between_builds(False)
    listed = sorted((f.src_uri, f.abs_src_path) for f in expected)
    assert any(uri.startswith("assets/javascripts/") for uri, _ in listed)
    assert sorted((f.src_uri, f.abs_src_path) for f in first) == listed
    assert sorted((f.src_uri, f.abs_src_path) for f in again) == listed
