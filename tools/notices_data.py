"""Sample notices and the published life of the sample items (used by tools/sample_data.py).

Real offices publish totals far more often than ledgers, so the sample data holds both:
- every item gets a dated history (整改中 from a few days after feedback, then its final
  status on its date), and some open items take the statuses notices publish
  (申请延期 with a revised deadline, 未完成 with its reason, 基本完成、持续整改, 需长期坚持);
- inspections get the notices of their life: 巡察公告 at stationing, 反馈情况 at
  feedback, 整改进展情况 some months later with totals that agree with the ledger on
  that day (checks.py reconciles them), outcomes with amounts in 万元 as published;
- a whole round gets a 整改情况通报; one round keeps no ledger at all and is known only
  from its published totals.

Everything here is invented (`sample: true`). A separate random stream keeps the records
built before (and the article's figures they back) unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from generators.model import STATUS_TOTALS

AS_OF = dt.date(2024, 12, 31)
CITY_OFFICE = "中共漯河市委巡察工作领导小组办公室"
UNFINISHED = ["涉及历史遗留问题,需上级部门协调解决", "相关资金追缴进入司法程序", "工程整改受季节影响未能按期完成"]
LONG_TERM = ["作风建设", "制度执行", "基层组织建设"]
TERMS = {2019: "七届", 2020: "七届", 2021: "七届", 2022: "八届", 2023: "八届", 2024: "八届", 2025: "八届"}
TOTAL_OF = STATUS_TOTALS  # the notice total each status counts in, as the checks count it


def d(x: dt.date) -> str:
    return x.isoformat()


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def status_on(item: dict, when: dt.date) -> str:
    earlier = [h["status"] for h in item.get("history", []) if day(h["date"]) <= when]
    return earlier[-1] if earlier else "未启动"


def number_within_terms(rounds: list[dict]) -> None:
    """The city's rounds as its notices name them: the committee's term (届) and the round's
    number within it, in order of their start (十一届市委第五轮巡察)."""
    city = sorted((r for r in rounds if r["organiser"] == "luohe" and r["year"] in TERMS),
                  key=lambda r: (r["start"], r["id"]))
    seen: Counter[str] = Counter()
    for rnd in city:
        term = TERMS[rnd["year"]]
        seen[term] += 1
        fields = list(rnd.items())
        rnd.clear()
        for name, value in fields:  # the term right after the organiser, as an editor reads it
            rnd[name] = seen[term] if name == "ordinal" else value
            if name == "organiser":
                rnd["term"] = term


def name_as_published(rounds: list[dict]) -> None:
    """Kinds the plan does not hold, as real rounds mix them: the 2022 机动 round revisits
    earlier findings (回头看); the 2023 city round is also 上下联动, one of its targets a
    special inspection of a bureau counted with its 25 units, another only 重点了解."""
    by_id = {r["id"]: r for r in rounds}
    if "r-2022-luohe-2" in by_id:
        by_id["r-2022-luohe-2"]["kinds"].append("回头看")
    rnd = by_id.get("r-2023-luohe-2")
    if rnd is None:
        return
    rnd["kinds"].append("上下联动")
    first, second = rnd["teams"][0]["targets"][:2]
    for target, extra in ((first, {"kinds": ["专项", "上下联动"], "theme": "医保基金管理", "counts_as": 25}),
                          (second, {"focus_only": True})):
        fields = list(target.items())
        target.clear()
        for name, value in fields:  # after the announcement, where an editor looks for them
            target[name] = value
            if name == "announcement":
                target.update(extra)


def give_items_a_life(items: list[dict], feedback_of: dict[tuple, dt.date], rng: random.Random) -> None:
    """Statuses as notices publish them, and a dated history for every item that has started."""
    for item in items:
        feedback = feedback_of[(item["round"], item["organisation"])]
        status = item["status"]
        if status == "整改中":
            roll = rng.random()
            if item.get("revised_deadline") and roll < 0.5:
                status = "申请延期"
            elif roll < 0.12 and day(item["deadline"]) < AS_OF:
                status = "未完成"
            elif roll < 0.3:
                status = "基本完成、持续整改"
            elif roll < 0.36:
                status = "需长期坚持"
        item["status"] = status
        if status == "未完成":
            item["unfinished_reason"] = rng.choice(UNFINISHED)
        if status == "未启动":
            continue
        end = day(item["done"]) if status == "已完成" else AS_OF
        span = max(0, min(10, (end - feedback).days))
        started = feedback + dt.timedelta(days=rng.randint(0, span))
        history = [{"date": d(started), "status": "整改中", "note": "制定整改方案,明确责任人和时限"}]
        if status == "已完成":
            if day(item["done"]) > started:
                history.append({"date": item["done"], "status": "已完成", "note": "整改到位,经验收销号"})
            else:
                history = [{"date": item["done"], "status": "已完成", "note": "立行立改,当即整改到位"}]
        elif status != "整改中":
            later = started + dt.timedelta(days=rng.randint(0, max(0, (AS_OF - started).days)))
            note = {"申请延期": f"经批准延期:{item.get('revision_reason', '')}",
                    "未完成": f"到期未完成:{item.get('unfinished_reason', '')}",
                    "基本完成、持续整改": "主要任务已完成,持续巩固整改成效",
                    "需长期坚持": "建立长效机制,长期坚持"}[status]
            history.append({"date": d(later), "status": status, "note": note})
        item["history"] = history


def totals_on(items: list[dict], when: dt.date) -> dict:
    counts = Counter(TOTAL_OF[status_on(i, when)] for i in items)
    totals = {"problems": len(items), "completed": counts["completed"],
              "basically_completed": counts["basically_completed"], "long_term": counts["long_term"],
              "not_completed": counts["not_completed"]}
    if len(items):
        exact = Decimal(100 * totals["completed"]) / Decimal(len(items))
        totals["rate"] = exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    return totals


def build_notices(rounds: list[dict], items: list[dict], orgs: dict[str, dict], bodies: dict[str, str],
                  rng: random.Random) -> tuple[list[dict], str | None]:
    """The notices of the sample inspections; returns (notices, id of the round kept as totals only)."""
    by_target: dict[tuple, list[dict]] = {}
    for item in items:
        by_target.setdefault((item["round"], item["organisation"]), []).append(item)
    notices: list[dict] = []
    totals_only = next((r["id"] for r in rounds if r["organiser"] != "luohe" and not r["direct_supervision"]
                        and all("feedback" in t for team in r["teams"] for t in team["targets"])), None)
    number_within_terms(rounds)
    name_as_published(rounds)
    for rnd in rounds:
        publisher = CITY_OFFICE if rnd["organiser"] == "luohe" else f"{bodies[rnd['organiser']]}巡察工作领导小组办公室"
        targets = [(team, t) for team in rnd["teams"] for t in team["targets"]]
        for team, t in targets:
            org = orgs[t["organisation"]]
            if org["audience"] != "public":
                continue
            key = f"{rnd['id'][2:]}-{t['organisation'][2:]}"
            stationed = day(t["stationed"])
            announced = min(AS_OF, stationed - dt.timedelta(days=1))
            notices.append({
                "id": f"n-{key}-announce", "sample": True, "audience": "public", "kind": "巡察公告",
                "round": rnd["id"], "organisation": t["organisation"], "date": d(announced), "publisher": publisher,
                "intro": f"根据{bodies[rnd['organiser']]}巡察工作安排,{team['name']}对{org['name']}开展巡察。"
                         "巡察期间主要受理反映被巡察党组织领导班子及其成员、下一级党组织领导班子主要负责人"
                         "和重要岗位领导干部问题的来信来电来访,重点是违反政治纪律、组织纪律、廉洁纪律、"
                         "群众纪律、工作纪律和生活纪律等方面的举报和反映;不属于巡察受理范围的信访问题,"
                         "将按规定转交被巡察党组织和有关部门处理。",
            })
            if "feedback" not in t:
                continue
            feedback = day(t["feedback"])
            notices.append({
                "id": f"n-{key}-feedback", "sample": True, "audience": "public", "kind": "反馈情况",
                "round": rnd["id"], "organisation": t["organisation"], "date": d(feedback), "publisher": publisher,
                "attendees": "巡察组组长、副组长,被巡察党组织领导班子成员",
                "problems_summary": [f"{c}方面存在薄弱环节" for c in sorted({i["category"] for i in
                                                                      by_target.get((rnd["id"], t["organisation"]), [])})[:3]]
                or ["落实全面从严治党主体责任不够到位"],
                "recommendations": ["提高政治站位,扛牢整改主体责任", "建立问题清单、任务清单、责任清单,逐项销号",
                                    "举一反三,健全长效机制"],
            })
            report_day = feedback + dt.timedelta(days=90)
            mine = by_target.get((rnd["id"], t["organisation"]), [])
            if report_day > AS_OF or (not mine and rnd["id"] != totals_only):
                continue
            if rnd["id"] == totals_only:
                total = t["problems_found"]
                done = round(total * 0.8)
                totals = {"problems": total, "completed": done, "basically_completed": total - done - 1,
                          "long_term": 1, "not_completed": 0,
                          "rate": (Decimal(100 * done) / Decimal(total)).quantize(Decimal("0.01"),
                                                                                  rounding="ROUND_HALF_UP")}
            else:
                totals = totals_on(mine, report_day)
            notices.append({
                "id": f"n-{key}-progress", "sample": True, "audience": "public", "kind": "整改进展情况",
                "round": rnd["id"], "organisation": t["organisation"], "date": d(report_day),
                "publisher": f"{org['name']}",
                "organising": "召开专题会议研究部署,成立由主要负责人任组长的整改工作领导小组,"
                              "制定整改方案,建立问题清单、任务清单、责任清单。",
                "measures": [{"category": c, "measures": "逐项研究整改措施,明确责任人和完成时限,已完成的按程序销号。"}
                             for c in sorted({i["category"] for i in mine})[:2]] or
                            [{"category": "全面从严治党主体责任落实", "measures": "修订完善相关制度,开展专项整治。"}],
                "totals": totals,
                "outcomes": {"systems": rng.randint(2, 12), "democratic_life_meetings": 1,
                             "funds_recovered": Decimal(rng.randint(1000, 999999)).scaleb(-2),
                             "filed": rng.randint(0, 3), "criticised": rng.randint(0, 5)},
                "next_steps": "持续推进尚未完成的整改事项,巩固整改成果,健全长效机制。",
                "contact": {"phone": t["announcement"]["phone"], "post_box": t["announcement"]["post_box"],
                            "email": t["announcement"]["mailbox"]},
            })
        feedbacks = [day(t["feedback"]) for _, t in targets if "feedback" in t]
        if rnd["direct_supervision"] and feedbacks and max(feedbacks) + dt.timedelta(days=120) <= AS_OF:
            report_day = max(feedbacks) + dt.timedelta(days=120)
            scope = [i for _, t in targets for i in by_target.get((rnd["id"], t["organisation"]), [])]
            notices.append({
                "id": f"n-{rnd['id'][2:]}-round-report", "sample": True, "audience": "public", "kind": "整改情况通报",
                "round": rnd["id"], "date": d(report_day), "publisher": publisher,
                "intro": "本轮巡察反馈后,市委巡察办会同有关部门开展巡后直督,督促被巡察党组织逐项抓好整改。",
                "totals": totals_on(scope, report_day),
                "outcomes": {"systems": rng.randint(20, 60), "funds_returned": Decimal("12.508"),
                             "funds_recovered": Decimal("3650.40"), "filed": 12, "sanctioned": 9,
                             "organisational_handling": 14, "admonished": 6, "judicial": 1},
                "next_steps": "对整改不力的适时开展“回头看”。",
                "contact": {"phone": "0395-12388", "post_box": "漯河市委巡察办"},
                "internal_notes": "通报前已向市委书记专题会报告。",
            })
    return notices, totals_only
