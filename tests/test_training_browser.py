"""Training that teaches, in a real Chromium: the self-check lets the reader try again,
keeps a score in this browser, adds no history entry and does not jump; the handout
prints as an internal document (内部资料 and page numbers on every page, space to write,
answers on a page of their own, a small sample note and no on-screen instructions)."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest

from .test_trainings import chromium, served_internal  # noqa: F401  (the browser fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def reader(chromium):  # noqa: F811
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
    yield context.new_page()
    context.close()
    assert outside == []


def test_self_check_retry_and_score_stay_in_the_browser(reader, served_internal, dataset):  # noqa: F811
    from playwright.sync_api import expect

    t = next(t for t in dataset.trainings if len(t.questions) >= 2)
    q = t.questions[0]
    wrong = next(k for k in range(len(q.options)) if "ABCDEF"[k] != q.answer)
    right = "ABCDEF".index(q.answer)
    reader.goto(f"{served_internal}trainings/{t.id}/")
    options = reader.locator("article button.luohe-option[data-q='1']")
    expect(options).to_have_count(len(q.options))  # options are buttons, not links
    assert reader.locator("article a.luohe-option").count() == 0
    score = reader.locator(".luohe-score")
    expect(score).to_contain_text(f"答对 0 / {len(t.questions)} 题")
    reader.locator("#q1").scroll_into_view_if_needed()
    before = reader.evaluate("[history.length, window.scrollY]")

    options.nth(wrong).click()
    expect(reader.locator(".luohe-feedback").first).to_contain_text("不对,再选一次")
    assert not reader.locator(f"#q1-{q.answer.lower()}").is_visible()  # the answer is not given away
    assert not reader.locator(f"#q1-{'abcdef'[wrong]}").is_visible()
    assert options.nth(wrong).is_disabled() and options.nth(right).is_enabled()
    options.nth(right).click()  # the retry
    expect(reader.locator(f"#q1-{q.answer.lower()}")).to_be_visible()
    expect(score).to_contain_text(f"答对 1 / {len(t.questions)} 题,其中一次答对 0 题")
    assert reader.evaluate("[history.length, window.scrollY]") == before  # no history entry, no jump
    assert reader.evaluate("location.hash") == ""

    reader.locator("article button.luohe-option[data-q='2']").nth("ABCDEF".index(t.questions[1].answer)).click()
    expect(score).to_contain_text(f"答对 2 / {len(t.questions)} 题,其中一次答对 1 题")
    reader.reload()  # kept in this browser
    expect(reader.locator(".luohe-score")).to_contain_text(f"答对 2 / {len(t.questions)} 题,其中一次答对 1 题")
    expect(reader.locator(f"#q1-{q.answer.lower()}")).to_be_visible()
    assert reader.evaluate("Object.keys(localStorage)") == [f"luohe-quiz:/trainings/{t.id}/"]
    reader.get_by_role("button", name="全部重做").click()
    expect(reader.locator(".luohe-score")).to_contain_text(f"答对 0 / {len(t.questions)} 题")
    assert not reader.locator(f"#q1-{q.answer.lower()}").is_visible()
    assert reader.evaluate("Object.keys(localStorage)") == []


def test_handout_prints_as_an_internal_document(reader, served_internal, dataset):  # noqa: F811
    import pypdf

    t = next(t for t in dataset.trainings if t.questions and t.sample)
    reader.goto(f"{served_internal}trainings/handouts/{t.id}/")
    pages = [unicodedata.normalize("NFKC", p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(reader.pdf(format="A4"))).pages]
    assert len(pages) >= 2
    for k, text in enumerate(pages, start=1):
        assert "内部资料" in text, k
        assert re.search(rf"第 {k} .,共 {len(pages)} .", text), (k, text[:80])
    whole = "".join(pages)
    assert "示例数据" in whole  # still labelled on paper, in small print
    assert "用浏览器的" not in whole and "返回培训页面" not in whole  # no on-screen instructions
    key = next(k for k, text in enumerate(pages) if "答案与解析" in text)
    assert "作答" not in pages[key] and all("答案与解析" not in p for p in pages[:key])  # answers on their own page
    reader.emulate_media(media="print")
    spaces = reader.locator("article .luohe-answer-space")
    assert spaces.count() == len(t.questions)
    assert all(spaces.nth(k).bounding_box()["height"] >= 40 for k in range(spaces.count()))
    label = reader.locator("article .admonition.warning").first
    assert label.is_visible() and "示例数据" in label.inner_text()
    assert float(label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) <= 11
