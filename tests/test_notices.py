"""Real notices (issue "Real notices"): totals without a ledger, a ledger without totals, both
reconciled on the notice's date; statuses as published; figures checked at the precision they
were published with; amounts with their digits; the chain of people and cases; unknown is
not zero. Each planted fault is reported at its place, in Chinese, and changes nothing."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generators.checks import recorded_totals
from generators.model import ITEM_STATUSES, STATUS_MEANINGS, STATUS_TOTALS, Notice, Outcomes, Totals
from generators.numbers import exact_rate
from generators.pipeline import validate
from generators.text import date_zh

from .conftest import ROOT, run


@pytest.fixture
def data(tmp_path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data", out)
    return out


def records(data: Path, stem: str) -> list[dict]:
    return yaml.safe_load((data / f"{stem}.yaml").read_text(encoding="utf-8"))


def edit(data: Path, stem: str, old: str, new: str, count: int = 1) -> None:
    path = data / f"{stem}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(data: Path, stem: str, needle: str) -> int:
    return data.joinpath(f"{stem}.yaml").read_text(encoding="utf-8").split(needle)[0].count("\n") + 1


def errors(data: Path) -> list[str]:
    ds, problems = validate(data)
    assert ds is None, "the planted fault was not found"
    return [str(p) for p in problems if p.severity == "error"]


# --- the shipped sample: both kinds of round, and notices of every kind -----------------------


def test_shipped_rounds_come_as_totals_only_and_as_ledgers(dataset):
    progress = [n for n in dataset.notices if n.totals is not None]
    with_ledger = {(i.round, i.organisation) for i in dataset.items}
    totals_only = [n for n in progress if (n.round, n.organisation) not in with_ledger]
    reconciled = [n for n in progress if (n.round, n.organisation) in with_ledger]
    assert totals_only and reconciled
    assert {n.kind for n in dataset.notices} == {"巡察公告", "反馈情况", "整改进展情况", "整改情况通报"}
    assert all(n.sample for n in dataset.notices)  # invented: labelled, never called verified
    rounds = {r.id: r for r in dataset.rounds}
    for rnd in (r for r in dataset.rounds if r.term):  # ordinals within a term follow the dates
        same = sorted((r for r in dataset.rounds if r.term == rnd.term and r.organiser == rnd.organiser),
                      key=lambda r: r.start)
        assert [r.ordinal for r in same] == list(range(1, len(same) + 1))
    assert all(n.round in rounds for n in dataset.notices)


def test_every_status_is_declared_once_with_its_meaning_and_total():
    assert set(ITEM_STATUSES) == set(STATUS_MEANINGS) == set(STATUS_TOTALS)
    assert set(STATUS_TOTALS.values()) == set(Totals.model_fields) - {"problems", "rate"}
    assert all(STATUS_MEANINGS[s] for s in ITEM_STATUSES)


# --- reconciliation: totals against the ledger on the notice's date ----------------------------


def test_a_notice_that_disagrees_with_its_ledger_is_reported_at_both_places(data, dataset):
    notice = next(n for n in dataset.notices if n.kind == "整改进展情况" and n.totals and n.totals.not_completed
                  and any(i.round == n.round and i.organisation == n.organisation for i in dataset.items))
    totals = notice.totals
    completed = totals.completed
    # a notice that is consistent in itself: one more done, one fewer open, the rate to match
    text = data.joinpath("notices.yaml").read_text(encoding="utf-8")
    start = text.index(f"- id: {notice.id}\n")
    end = text.index("  outcomes:\n", start)
    block = text[start:end]
    rate = exact_rate(completed + 1, totals.problems, 2)
    planted = (block.replace(f"    completed: {completed}\n", f"    completed: {completed + 1}\n")
               .replace(f"    not_completed: {totals.not_completed}\n", f"    not_completed: {totals.not_completed - 1}\n")
               .replace(f"    rate: {totals.rate}\n", f"    rate: {rate}\n"))
    data.joinpath("notices.yaml").write_text(text[:start] + planted + text[end:], encoding="utf-8")
    at = start + block.index(f"    completed: {completed}\n")
    found = errors(data)
    notice_line = text[:at].count("\n") + 1
    at_notice = [e for e in found if e.split(":")[0].endswith("notices.yaml") and ".totals.completed:" in e]
    assert len(at_notice) == 1 and f"notices.yaml:{notice_line}:" in at_notice[0]
    assert f"已完成公布为 {completed + 1},整改台账截至 {notice.date} 为 {completed}" in at_notice[0]
    assert "条整改事项,自 " in at_notice[0] and "items.yaml:" in at_notice[0]  # names the ledger's place
    at_ledger = [e for e in found if e.split(":")[0].endswith("items.yaml")]
    assert len(at_ledger) == 1 and notice.id in at_ledger[0]
    assert "notices.yaml:" in at_ledger[0].split(notice.id)[1], at_ledger[0]  # names the notice's place
    assert f"已完成 {completed}(通知为 {completed + 1})" in at_ledger[0]
    first = next(k for k, i in enumerate(dataset.items) if (i.round, i.organisation) == (notice.round, notice.organisation))
    assert f" items[{first}].status:" in at_ledger[0]
    # the same fault with no ledger for that scope is not reconciled: totals stand on their own
    keep = [i for i in records(data, "items") if (i["round"], i["organisation"]) != (notice.round, notice.organisation)]
    data.joinpath("items.yaml").write_text(yaml.safe_dump(keep, allow_unicode=True, sort_keys=False), encoding="utf-8")
    ds, problems = validate(data)
    index = dataset.notices.index(notice)
    assert not [p for p in problems if p.severity == "error" and p.path.startswith(f"notices[{index}].")]


def test_a_published_rate_must_follow_from_its_own_figures(data, dataset):
    notice = next(n for n in dataset.notices if n.totals and n.totals.rate is not None)
    rate = notice.totals.rate
    wrong = rate + Decimal("0.01")
    text = data.joinpath("notices.yaml").read_text(encoding="utf-8")
    start = text.index(f"- id: {notice.id}\n")
    at = text.index(f"    rate: {rate}\n", start)
    data.joinpath("notices.yaml").write_text(text[:at] + f"    rate: {wrong}\n" + text[at + len(f"    rate: {rate}\n"):],
                                              encoding="utf-8")
    (only,) = errors(data)
    assert f"totals.rate: 公布的整改完成率 {wrong}% 与 已完成 {notice.totals.completed} ÷ 反馈问题 " in only
    assert f"按 2 位小数四舍五入得 {rate}% 不符(相差 -0.01)" in only


# --- precision: as published, half up, with decimal --------------------------------------------


def test_rates_are_checked_at_the_precision_they_were_published_with():
    assert exact_rate(1947, 2000, 2) == Decimal("97.35")  # 97.35% backed by the records: passes
    assert exact_rate(1947, 2000, 1) == Decimal("97.4")  # 97.4% against the same records: passes
    assert exact_rate(1947, 2000, 2) != Decimal("97.36")  # 97.36%: fails
    assert exact_rate(1, 8, 0) == Decimal("13")  # 12.5 rounds half up (Python's round gives 12)


@pytest.fixture
def rate_figure(data, dataset):
    """A figure backed by the records with a rate that needs two decimals (the share of the
    shipped items that are done), appended to a copy of figures.yaml; returns (data, exact)."""
    items = dataset.items
    done = sum(i.status == "已完成" for i in items)
    exact = Decimal(100 * done) / Decimal(len(items))
    assert exact != exact.quantize(Decimal("0.1"))  # the test needs a rate with more decimals
    return data, exact


def _append_rate_figure(data: Path, value: str) -> int:
    snippet = f"""- id: f-test-rate
  sample: true
  audience: internal
  statement: 整改完成率为 {value}%
  value: {value}
  unit: "%"
  period: 测试
  section: 成果一体用
  source: {records(data, "sources")[0]["id"]}
  backed_by:
    records: items
    measure: rate
    numerator:
      status: 已完成
"""
    path = data / "figures.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + snippet, encoding="utf-8")
    return text.count("\n") + 5


@pytest.mark.parametrize("places", [2, 1])
def test_a_figure_backed_by_records_passes_at_its_precision(rate_figure, places):
    data, exact = rate_figure
    _append_rate_figure(data, str(exact.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")))
    ds, problems = validate(data)
    assert ds is not None, [str(p) for p in problems if p.severity == "error"]


def test_a_figure_off_by_its_last_digit_fails_with_the_difference(rate_figure):
    data, exact = rate_figure
    right = exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    line = _append_rate_figure(data, str(right + Decimal("0.01")))
    (only,) = errors(data)
    assert re.search(rf"figures\.yaml:{line}:\d+: figures\[\d+\]\.value: ", only), only
    assert f"文章数字为 {right + Decimal('0.01')}%,记录按 2 位小数四舍五入算得 {right}%(相差 -0.01)" in only


def test_amounts_keep_their_published_digits(data, dataset):
    outcomes = [n.outcomes for n in dataset.notices if n.outcomes and n.outcomes.funds_recovered is not None]
    assert any(str(o.funds_recovered) == "3650.40" for o in outcomes)
    assert any(str(o.funds_returned) == "12.508" for o in outcomes if o.funds_returned is not None)
    assert "funds_recovered: 3650.40\n" in data.joinpath("notices.yaml").read_text(encoding="utf-8")
    assert str(Outcomes.model_validate({"funds_recovered": "3650.40"}).funds_recovered) == "3650.40"


# --- as of the notice's date ---------------------------------------------------------------------


def test_ledger_counts_on_a_day_before_a_later_status_change(dataset):
    item = next(i for i in dataset.items if i.status == "已完成" and len(i.history) == 2)
    before = item.history[-1].date.fromordinal(item.history[-1].date.toordinal() - 1)
    assert item.status_on(before) == "整改中" and item.status_on(item.history[-1].date) == "已完成"
    assert recorded_totals([item], before)["completed"] == 0
    assert recorded_totals([item], item.done)["completed"] == 1


# --- statuses, histories and the chain -----------------------------------------------------------


def _item_fault(data: Path, dataset, status: str, lines: str) -> list[str]:
    item = next(i for i in dataset.items if i.status == "整改中" and len(i.history) == 1 and not i.revised_deadline)
    text = data.joinpath("items.yaml").read_text(encoding="utf-8")
    start = text.index(f"- id: {item.id}\n")
    at = text.index("  status: 整改中\n", start)
    history_end = text.index("  history:\n", start)
    body = text[:at] + f"  status: {status}\n" + lines + text[at + len("  status: 整改中\n"):history_end]
    data.joinpath("items.yaml").write_text(body + text[history_end:].replace(
        "    status: 整改中\n", f"    status: {status}\n", 1), encoding="utf-8")
    return errors(data)


def test_an_unfinished_item_needs_its_reason(data, dataset):
    found = _item_fault(data, dataset, "未完成", "")
    assert any("状态为未完成时须写明原因(unfinished_reason)" in e for e in found), found


def test_an_extension_needs_its_new_deadline(data, dataset):
    found = _item_fault(data, dataset, "申请延期", "")
    assert any("状态为申请延期,须写明调整后时限(revised_deadline)" in e for e in found), found


def test_a_history_that_ends_elsewhere_is_an_error(data, dataset):
    item = next(i for i in dataset.items if i.status == "整改中" and len(i.history) == 1)
    text = data.joinpath("items.yaml").read_text(encoding="utf-8")
    start = text.index(f"- id: {item.id}\n")
    at = text.index("  status: 整改中\n", start)
    data.joinpath("items.yaml").write_text(text[:at] + "  status: 基本完成、持续整改\n" + text[at + len("  status: 整改中\n"):],
                                           encoding="utf-8")
    (only,) = errors(data)
    assert "整改进展的最后一条状态为 整改中,与当前状态 基本完成、持续整改 不一致" in only


def test_people_sanctioned_cannot_outnumber_those_filed(data):
    with pytest.raises(ValueError, match="党纪政务处分 3 多于立案 2"):
        Outcomes.model_validate({"filed": 2, "sanctioned": 3})
    edit(data, "leads", "  sanctioned: 1\n", "  sanctioned: 2\n")
    (only,) = errors(data)
    assert re.search(r"leads\.yaml:\d+:\d+: leads\[\d+\]: 党纪政务处分 2 多于立案 1", only), only


def test_unknown_is_not_zero():
    totals = Totals.model_validate({"problems": 45, "completed": 40})
    assert totals.basically_completed is None and totals.rate is None
    with pytest.raises(ValueError, match="多于反馈问题 45"):
        Totals.model_validate({"problems": 45, "completed": 40, "not_completed": 6})
    with pytest.raises(ValueError, match="须写明被巡察党组织"):
        Notice.model_validate({"id": "n-x", "sample": True, "audience": "public", "kind": "巡察公告",
                               "round": "r-x", "date": "2024-01-01", "publisher": "某单位"})


def test_a_notice_before_its_feedback_is_refused_and_nothing_changes(tmp_path, project_copy, dataset):
    notice = next(n for n in dataset.notices if n.kind == "反馈情况")
    path = project_copy / "data" / "notices.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {notice.id}\n")
    at = text.index(f"  date: '{notice.date}'\n", start)
    planted = text[:at] + "  date: '2000-01-01'\n" + text[at + len(f"  date: '{notice.date}'\n"):]
    path.write_text(planted, encoding="utf-8")
    site = project_copy / "site"
    result = run(["-m", "publishing.build"], cwd=project_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"notices.yaml:{text[:at].count(chr(10)) + 1}:" in result.stderr
    assert "发布日期 2000-01-01 早于反馈日期" in result.stderr
    assert not site.exists() and path.read_text(encoding="utf-8") == planted


def test_within_one_month_of_feedback_is_a_query(dataset):
    """The article's 巡后直督 figure (68% done within a month) is recomputed from each item's
    history and its feedback date, not from the status of today."""
    import datetime as dt

    from generators.model import RectificationItem, StatusChange
    from generators.queries import done_within_a_month

    fig = next(f for f in dataset.figures if f.id == "f-direct-supervision-completion")
    assert fig.backed_by.numerator == {"done_within_a_month": True}
    base = next(i for i in dataset.items if i.status == "已完成")
    late = base.model_copy(update={"done": dt.date(2024, 3, 1), "history": [
        StatusChange(date=dt.date(2024, 2, 1), status="整改中"), StatusChange(date=dt.date(2024, 3, 1), status="已完成")]})
    assert isinstance(late, RectificationItem)
    assert done_within_a_month(late, dt.date(2024, 1, 31)) is False  # a month after 31 Jan is 29 Feb
    assert done_within_a_month(late, dt.date(2024, 2, 1)) is True  # 1 March: done that day
    assert done_within_a_month(late, None) is False


def test_an_inspection_known_only_from_totals_has_its_stage_and_figures(dataset):
    """With no ledger, the latest published totals give the stage and the page shows them as
    published (未公布 where a figure was not); a ledger inspection shows each item's progress."""
    from generators import build
    from generators.inspections import inspections

    pages = {p.path: p.markdown for p in build(ROOT / "data", "public")[0]}
    xs = inspections(dataset, "public")
    totals_only = [x for x in xs if not x.rect_items and x.published is not None]
    assert totals_only
    for x in totals_only:
        t = x.published.notice.totals
        assert x.stage == ("整改完成" if t.completed == t.problems else "整改")
        page = pages[f"inspections/{x.id}.md"]
        assert f"[{x.published.title}](../notices/{x.published.id}.md)" in page and "只公布了整改数字" in page
        assert f"| {t.problems} | {t.completed} | " in page
    ledger = next(x for x in xs if any(len(i.history) == 2 for i in x.rect_items))
    item = next(i for i in ledger.rect_items if len(i.history) == 2)
    page = pages[f"inspections/{ledger.id}.md"]
    # the item's row (its card on a phone) lists its history, newest first
    row = next(x for x in page.splitlines() if x.startswith(f'<tr id="{item.id}">'))
    history = row[row.index('data-label="整改进展"'):]
    first, second = (f"{date_zh(h.date)} {h.status}" for h in item.history)
    assert second in history and first in history and history.index(second) < history.index(first)


def test_the_changelog_lists_notices(dataset):
    import copy

    from generators import changelog

    notice = next(n for n in dataset.notices if n.is_public)
    older = copy.copy(dataset)
    older.records = {**dataset.records, "notices": [n for n in dataset.notices if n.id != notice.id]}
    found = changelog.changes(older, dataset, "public")
    added = [c for c in found if c.kind == "notices"]
    assert [(c.id, c.action) for c in added] == [(notice.id, "added")]
    assert changelog.KINDS["notices"] == "公告和通报"


def test_statistics_count_items_by_every_declared_status(dataset):
    from generators import build
    from generators.inspections import inspections

    page = {p.path: p.markdown for p in build(ROOT / "data", "public")[0]}["statistics.md"]
    section = page.split("### 整改事项按状态", 1)[1].split("###", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [r[0].strip() for r in rows] == list(ITEM_STATUSES)
    fed_back = [i for x in inspections(dataset, "public") if x.target.feedback for i in x.rect_items]
    assert {r[0].strip(): int(r[2]) for r in rows} == {s: sum(i.status == s for i in fed_back) for s in ITEM_STATUSES}
