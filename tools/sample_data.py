"""Write the sample records of data/ (and larger synthetic sets for benchmarks).

    python -m tools.sample_data                   # rewrite the sample files in data/
    python -m tools.sample_data --scale 10 --out DIR  # x10 synthetic copy of data/ in DIR

Deterministic: a seeded random.Random and sorted output; running it twice gives
byte-identical files. Writes organisations, rounds, items, leads, rules and
trainings. Every invented record carries `sample: true`; the real facts of the
article (REAL_RULES here; bodies, figures, timeline, sources, site in data/) are
`sample: false`. At scale 1 the sample records agree with every figure of
figures.yaml that has `backed_by`; at larger scales only the per-record and
cross-reference rules hold, so the copied figures.yaml drops its `backed_by`
blocks there and the scaled set passes `python -m generators validate --data DIR`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from decimal import Decimal
from pathlib import Path

import yaml

from generators.model import ITEM_CATEGORIES

from .notices_data import build_notices, give_items_a_life
from .rules_data import build_rules
from .trainings_data import build_curricula, build_trainings

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2024, 12, 31)
COUNTIES = ["wuyang", "linying", "yancheng", "yuanhui", "shaoling", "jingkai", "shifanqu", "xicheng"]
COUNTY_NAMES = {"luohe": "市", "wuyang": "舞阳县", "linying": "临颍县", "yancheng": "郾城区", "yuanhui": "源汇区",
                "shaoling": "召陵区", "jingkai": "经济技术开发区", "shifanqu": "城乡一体化示范区", "xicheng": "西城区"}
STEMS = "甲乙丙丁戊己庚辛壬癸"
CN = "一二三四五六七八九十"

CITY_DEPTS = [
    ("公安局", "党委", "阳光司法"), ("民政局", "党组", "阳光民生"), ("教育局", "党组", "阳光民生"),
    ("卫生健康委员会", "党组", "阳光民生"), ("医疗保障局", "党组", "阳光民生"), ("住房和城乡建设局", "党组", "阳光政务"),
    ("交通运输局", "党组", "阳光政务"), ("农业农村局", "党组", "阳光政务"), ("水利局", "党组", "阳光政务"),
    ("自然资源和规划局", "党组", "阳光政务"), ("人力资源和社会保障局", "党组", "阳光民生"),
    ("市场监督管理局", "党组", "阳光政务"), ("生态环境局", "党组", "阳光政务"), ("财政局", "党组", "阳光政务"),
    ("中级人民法院", "党组", "阳光司法"), ("人民检察院", "党组", "阳光司法"), ("城市管理局", "党组", "阳光政务"),
    ("文化广电和旅游局", "党组", "阳光政务"), ("机关事务管理局", "党组", "阳光党务"), ("供销合作社", "党组", "阳光政务"),
]
COUNTY_DEPTS = [("公安局", "党委", "阳光司法"), ("民政局", "党组", "阳光民生"), ("教育局", "党组", "阳光民生")]

CATEGORIES = list(ITEM_CATEGORIES)
PROBLEMS = ["专项资金拨付不及时", "“三重一大”事项未集体研究", "干部档案管理不规范", "党组织会议记录不完整",
            "公务接待超标准", "村级财务公开不及时", "惠民补贴发放审核不严", "工程项目招投标程序不规范",
            "上轮巡察反馈问题整改不彻底", "意识形态工作责任制落实不到位", "违规发放津贴补贴", "民生诉求办理拖延"]
ACTIONS = ["建立台账逐项销号", "修订完善相关制度", "开展专项清理", "组织集中整治", "约谈相关责任人", "补充完善档案材料"]
DELAY_REASONS = ["涉及历史遗留问题,需多部门协调", "需待上级政策明确后办理", "涉及资金追缴,须履行法定程序",
                 "工程整改受季节影响延期"]


def d(x: dt.date) -> str:
    return x.isoformat()


class Builder:
    def __init__(self, scale: int, seed: int = 20241231):
        self.scale = scale
        self.rng = random.Random(seed)
        self.orgs: list[dict] = []
        self.rounds: list[dict] = []
        self.items: list[dict] = []
        self.leads: list[dict] = []
        self.org_ids: dict[str, list[str]] = {}
        self.org_by_id: dict[str, dict] = {}  # id -> record: lookups stay O(1) at large scales

    # --- organisations ---------------------------------------------------------------
    def org(self, oid, name, kind, level, county, parent=None, sunshine=None, audience="public"):
        rec = {"id": oid, "sample": True, "audience": audience, "name": name, "kind": kind, "level": level,
               "county": county}
        if parent:
            rec["parent"] = parent
        if sunshine:
            rec["sunshine"] = sunshine
        self.orgs.append(rec)
        self.org_by_id[oid] = rec
        return oid

    def build_organisations(self):
        city, county_depts, townships, villages = [], [], [], []
        for k in range(self.scale):
            suffix = f"-{k}" if k else ""
            for n, (dept, kind, area) in enumerate(CITY_DEPTS):
                name = f"中共漯河市{dept}{kind}" + (f"(示例{k})" if k else "")
                city.append(self.org(f"o-city-{n + 1:02d}{suffix}", name, kind, "市直", "luohe", sunshine=area))
            for c in COUNTIES:
                for n, (dept, kind, area) in enumerate(COUNTY_DEPTS):
                    county_depts.append(self.org(f"o-{c}-{n + 1:02d}{suffix}",
                                                 f"中共{COUNTY_NAMES[c]}{dept}{kind}" + (f"(示例{k})" if k else ""),
                                                 kind, "县直", c, sunshine=area))
            # two townships (or streets) per county, with three villages (or communities) each
            for c in COUNTIES:
                urban = c in ("yuanhui", "jingkai", "xicheng")
                for t in range(2):
                    tname = f"{COUNTY_NAMES[c]}{STEMS[t]}{'街道' if urban else '镇'}" + (f"(示例{k})" if k else "")
                    tid = self.org(f"o-{c}-t{t + 1}{suffix}", f"中共{tname}{'工作委员会' if urban else '委员会'}",
                                   "街道党工委" if urban else "乡镇党委", "乡镇", c, sunshine="阳光党务")
                    townships.append(tid)
                    for v in range(3):
                        vname = f"{tname}{CN[v]}{'社区' if urban else '村'}"
                        villages.append(self.org(
                            f"o-{c}-t{t + 1}v{v + 1}{suffix}", f"{vname}{'党组织' if urban else '党支部'}",
                            "社区党组织" if urban else "村党支部", "社区" if urban else "村", c, parent=tid,
                            sunshine="阳光村务"))
        # a few organisations are internal (e.g. not yet announced)
        for rec in self.orgs[5::37]:
            rec["audience"] = "internal"
        self.org_ids = {"city": city, "county": county_depts, "township": townships, "village": villages}

    def county_of(self, oid: str) -> str:
        return self.org_by_id[oid]["county"]


ROUND_PLAN = [
    # organiser, year, kinds, theme, direct supervision, teams layout key
    ("luohe", 2019, ["常规", "同类同巡"], None, True, "city"),
    ("luohe", 2019, ["专项", "交叉"], "脱贫攻坚", True, "cross-county"),
    ("luohe", 2019, ["常规", "下派组长", "同类同巡"], None, True, "dispatch-4"),
    ("luohe", 2020, ["交叉", "提级", "巡乡带村"], None, True, "township-5"),
    ("luohe", 2020, ["交叉", "提级", "直巡到村", "下派组长"], None, True, "village-8-dispatch"),
    ("luohe", 2020, ["交叉", "提级", "直巡到村"], None, False, "village-7"),
    ("luohe", 2021, ["常规", "同类同巡", "下派组长"], None, False, "dispatch-4"),
    ("luohe", 2021, ["交叉", "提级", "巡乡带村"], None, False, "township-4"),
    ("luohe", 2022, ["专项", "交叉", "同类同巡"], "民生领域", False, "cross-county"),
    ("luohe", 2022, ["机动"], None, False, "city-small"),
    ("luohe", 2023, ["交叉", "提级", "直巡到村"], None, False, "village-7"),
    ("luohe", 2023, ["常规", "同类同巡"], None, False, "city"),
    ("luohe", 2024, ["交叉", "提级", "巡乡带村"], None, False, "township-4"),
    ("luohe", 2024, ["提级", "直巡到村"], None, False, "village-7-late"),
    ("luohe", 2025, ["常规"], None, False, "city-announced"),
    ("wuyang", 2019, ["常规", "同类同巡"], None, False, "own-county"),
    ("linying", 2019, ["常规", "同类同巡"], None, False, "own-county"),
    ("shifanqu", 2020, ["机动"], None, False, "own-county"),
    ("yancheng", 2021, ["常规", "同类同巡"], None, False, "own-county"),
    ("yuanhui", 2021, ["专项", "同类同巡"], "村级集体“三资”管理", False, "own-county"),
    ("shaoling", 2023, ["常规", "同类同巡"], None, False, "own-county"),
    ("jingkai", 2023, ["常规", "同类同巡"], None, False, "own-county"),
    ("xicheng", 2024, ["常规"], None, False, "own-county-late"),
]

# leads per direct-supervision round: 538 in all, 344 of them concluded (64%);
# with round 7's 23, the three 下派组长 rounds hand over 213 leads.
DS_LEADS = [120, 110, 100, 118, 90]
DS_ITEMS, DS_ITEMS_DONE, DS_LEADS_CONCLUDED = 1183, 804, 344
DISPATCH_EXTRA_LEADS = 23
PRIORITY_LEADS, PRIORITY_SANCTIONED, PRIORITY_JUDICIAL = 217, 93, 7


def split(total: int, weights: list[float]) -> list[int]:
    """Split total into len(weights) integer parts proportional to weights, summing exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


class Rounds(Builder):
    def build_rounds(self):
        elevated_townships = list(self.org_ids["township"][:16])
        elevated_villages = list(self.org_ids["village"][:48])
        rng = self.rng
        used_township, used_village = [], []
        ordinals: dict[tuple, int] = {}
        for k in range(self.scale):
            for plan_no, (organiser, year, kinds, theme, ds, layout) in enumerate(ROUND_PLAN):
                year_k = year if k == 0 else 2019 + (year - 2019 + k) % 6
                key = (organiser, year_k)
                ordinals[key] = ordinals.get(key, 0) + 1
                rid = f"r-{year_k}-{organiser}-{ordinals[key]}"
                start = dt.date(year_k, rng.choice([3, 4, 5, 8, 9, 10]), rng.randint(1, 20))
                if k == 0 and layout == "city-announced":
                    start = dt.date(2025, 1, 6)  # announced, not yet stationed on the as-of date
                if k == 0 and layout.endswith("-late"):
                    start = dt.date(2024, 11, rng.randint(4, 12))  # stationed, no feedback yet
                teams = self._teams(organiser, kinds, layout, rng, k, used_township, used_village,
                                    elevated_townships, elevated_villages)
                rnd = {"id": rid, "sample": True, "audience": "public", "organiser": organiser, "year": year_k,
                       "ordinal": ordinals[key], "kinds": list(kinds)}
                if theme:
                    rnd["theme"] = theme
                rnd["start"] = d(start)
                rnd["end"] = d(start + dt.timedelta(days=75)) if start + dt.timedelta(days=75) <= AS_OF else None
                if rnd["end"] is None:
                    del rnd["end"]
                rnd["direct_supervision"] = ds and k == 0
                rnd["internal_notes"] = f"本轮巡察工作方案经巡察工作领导小组第{plan_no + 3}次会议审议通过;进驻前已向被巡察党组织主要负责人通报。"
                rnd["teams"] = [self._fill_team(t, start, rng, layout, ti) for ti, t in enumerate(teams)]
                self.rounds.append(rnd)
        if self.scale == 1:
            assert len(used_township) == 13 and len(used_village) == 42, (len(used_township), len(used_village))

    def _teams(self, organiser, kinds, layout, rng, k, used_t, used_v, towns, villages):
        """Teams as (body, dispatched, [target org ids])."""
        city, county = self.org_ids["city"], self.org_ids["county"]
        pool_city = city[k * len(CITY_DEPTS):(k + 1) * len(CITY_DEPTS)]
        pool_county = county[k * len(COUNTIES) * 3:(k + 1) * len(COUNTIES) * 3]

        def take_towns(n):
            free = [t for t in towns if t not in used_t] if k == 0 else rng.sample(self.org_ids["township"], n)
            chosen = free[:n]
            if k == 0:
                used_t.extend(chosen)
            return chosen

        def take_villages(n, parent_townships=None):
            if k:
                return rng.sample(self.org_ids["village"], n)
            candidates = [v for v in villages if v not in used_v]
            if parent_townships:
                candidates = [v for v in candidates if self._parent(v) in parent_townships] + \
                             [v for v in candidates if self._parent(v) not in parent_townships]
            chosen = candidates[:n]
            used_v.extend(chosen)
            return chosen

        def cross_body(target):
            county_of_target = self.county_of(target)
            return rng.choice([c for c in COUNTIES if c != county_of_target])

        teams = []
        if layout in ("city", "city-small", "city-announced"):
            n = 2 if layout == "city-small" else 3
            targets = rng.sample(pool_city, n * 2)
            teams = [("luohe", False, targets[i * 2:i * 2 + 2]) for i in range(n)]
        elif layout == "cross-county":
            targets = rng.sample(pool_county, 6)
            teams = [(None, False, targets[i * 2:i * 2 + 2]) for i in range(3)]
        elif layout == "dispatch-4":
            bodies = rng.sample(COUNTIES, 4)
            for b in bodies:
                own = [o for o in pool_county if self.county_of(o) == b]
                teams.append((b, True, rng.sample(own, 2)))
            teams.append(("luohe", False, rng.sample(pool_city, 2)))
        elif layout.startswith("township-"):
            n = int(layout.split("-")[1])
            chosen = take_towns(n)
            vs = take_villages(n, chosen)
            teams = [(None, False, [t, v]) for t, v in zip(chosen, vs, strict=False)]
        elif layout.startswith("village-"):
            n = int(layout.split("-")[1])
            vs = take_villages(n)
            dispatched = layout.endswith("dispatch")
            groups = [vs[i:i + 2] for i in range(0, len(vs), 2)]
            if dispatched:  # 5 teams for 8 villages
                groups = [vs[0:2], vs[2:4], vs[4:6], vs[6:7], vs[7:8]]
            body = "luohe" if layout.endswith("late") else None
            teams = [(body, dispatched, g) for g in groups]
        elif layout.startswith("own-county"):
            own_depts = [o for o in pool_county if self.county_of(o) == organiser]
            teams = [(organiser, False, own_depts[:2]), (organiser, False, own_depts[2:])]
        out = []
        for body, dispatched, targets in teams:
            if body is None:  # a cross inspection: a county team from elsewhere
                body = cross_body(targets[0])
                while any(self.county_of(t) == body for t in targets):
                    body = cross_body(targets[0])
            out.append((body, dispatched, targets))
        return out

    def _parent(self, oid):
        return self.org_by_id[oid].get("parent")

    def _fill_team(self, team, start, rng, layout, index):
        body, dispatched, targets = team
        rec = {"name": f"第{CN[index]}巡察组", "body": body}
        if dispatched:
            rec["dispatched_leader"] = True
        rec["targets"] = []
        for _n, oid in enumerate(targets):
            stationed = start + dt.timedelta(days=rng.randint(0, 6))
            left = stationed + dt.timedelta(days=rng.randint(28, 45))
            feedback = left + dt.timedelta(days=rng.randint(20, 40))
            phone_no = 3100000 + rng.randint(1000, 99999)
            target = {
                "organisation": oid,
                "stationed": d(stationed),
                "announcement": {
                    "phone": f"0395-{phone_no}",
                    "mailbox": f"xcz{index + 1}-{start.year}@luohe.example",
                    "post_box": f"漯河市{rng.randint(100, 999)}号邮政信箱",
                    "hours": "工作日 8:30—12:00,14:30—17:30",
                    "reporting_from": d(stationed),
                    "reporting_until": d(stationed + dt.timedelta(days=30)),
                },
            }
            if left <= AS_OF:
                target["left"] = d(left)
            if feedback <= AS_OF:
                target["feedback"] = d(feedback)
                cats = rng.sample(CATEGORIES, 3)
                target["feedback_summary"] = (
                    f"巡察组向被巡察党组织反馈了巡察情况。巡察发现的主要问题集中在{cats[0]}、{cats[1]}和{cats[2]}等方面。"
                    "被巡察党组织表示将坚决抓好整改,整改进展将按规定向社会公开。"
                )
            target["problems_found"] = 0
            target["leads_handed_over"] = 0
            if rng.random() < 0.3:
                target["internal_notes"] = "巡察期间收到来信来电若干件,已按程序分类处置,其中涉及个人的问题线索另行移交。"
            rec["targets"].append(target)
        return rec


class Sample(Rounds):
    def targets_of(self, rnd):
        return [t for team in rnd["teams"] for t in team["targets"]]

    def weight(self, oid):
        level = self.org_by_id[oid]["level"]
        return {"市直": 4, "县直": 3, "乡镇": 3, "村": 2, "社区": 2}[level]

    def build_items_and_leads(self):
        rng = self.rng
        ds_rounds = [r for r in self.rounds if r["direct_supervision"]]
        # items: 1183 over the direct-supervision rounds, 804 done; others 10–25 per target
        item_counts: dict[tuple, int] = {}
        ds_targets = [(r, t) for r in ds_rounds for t in self.targets_of(r)]
        for (r, t), n in zip(ds_targets, split(DS_ITEMS, [self.weight(t["organisation"]) for r, t in ds_targets]), strict=False):
            item_counts[(r["id"], t["organisation"])] = n
        for r in self.rounds:
            if r["direct_supervision"]:
                continue
            for t in self.targets_of(r):
                if "feedback" in t:
                    item_counts[(r["id"], t["organisation"])] = rng.randint(6, 16)
        done_ds = set(rng.sample(range(DS_ITEMS), DS_ITEMS_DONE)) if ds_rounds else set()
        ds_seen = 0
        by_key = {(r["id"], t["organisation"]): (r, t) for r in self.rounds for t in self.targets_of(r)}
        for key in sorted(item_counts, key=lambda k: (k[0], k[1])):
            r, t = by_key[key]
            feedback = dt.date.fromisoformat(t["feedback"])
            for n in range(item_counts[key]):
                if r["direct_supervision"]:
                    done = ds_seen in done_ds
                    ds_seen += 1
                else:
                    done = rng.random() < 0.55
                self.items.append(self._item(r, t, n, feedback, done, rng))
            t["problems_found"] = item_counts[key] + rng.randint(0, 6)
        # leads
        lead_counts: dict[tuple, int] = {}
        for r, total in zip(ds_rounds, DS_LEADS, strict=False):
            ts = self.targets_of(r)
            for t, n in zip(ts, split(total, [self.weight(t["organisation"]) for t in ts]), strict=False):
                lead_counts[(r["id"], t["organisation"])] = n
        for r in self.rounds:
            if r["direct_supervision"]:
                continue
            ts = [t for t in self.targets_of(r) if "feedback" in t]
            if not ts:
                continue
            total = DISPATCH_EXTRA_LEADS if ("下派组长" in r["kinds"] and self.scale == 1) else rng.randint(4, 12)
            for t, n in zip(ts, split(total, [1] * len(ts)), strict=False):
                lead_counts[(r["id"], t["organisation"])] = n
        keys = sorted(lead_counts)
        slots = [(key, n) for key in keys for n in range(lead_counts[key])]
        ds_ids = {r["id"] for r in ds_rounds}
        ds_slots = [i for i, (key, _) in enumerate(slots) if key[0] in ds_ids]
        concluded = set(rng.sample(ds_slots, DS_LEADS_CONCLUDED)) if ds_slots else set()
        concluded |= {i for i, (key, _) in enumerate(slots) if key[0] not in ds_ids and rng.random() < 0.6}
        priority = sorted(rng.sample(sorted(concluded), min(PRIORITY_LEADS, len(concluded))))
        sanctioned = set(rng.sample(priority, PRIORITY_SANCTIONED)) if len(priority) >= PRIORITY_SANCTIONED else set()
        judicial = set(rng.sample(sorted(sanctioned), PRIORITY_JUDICIAL)) if sanctioned else set()
        priority_set = set(priority)
        for i, (key, n) in enumerate(slots):
            r, t = by_key[key]
            t["leads_handed_over"] = lead_counts[key]
            self.leads.append(self._lead(r, t, n, i in concluded, i in priority_set, i in sanctioned,
                                         i in judicial, rng))

    def _item(self, r, t, n, feedback, done, rng):
        cat = rng.choice(CATEGORIES)
        problem = rng.choice(PROBLEMS)
        deadline = feedback + dt.timedelta(days=rng.choice([60, 90, 120, 180]))
        item = {"id": f"i-{r['id'][2:]}-{t['organisation'][2:]}-{n + 1:03d}", "sample": True,
                "audience": "internal" if rng.random() < 0.05 else "public",
                "round": r["id"], "organisation": t["organisation"], "category": cat,
                "priority": rng.choice(["高", "中", "中", "低"]),
                "description": f"{problem}:针对巡察指出的问题,{rng.choice(ACTIONS)},并{rng.choice(ACTIONS)}。",
                "owner_unit": f"{rng.choice(['办公室', '财务科', '组织人事科', '党建办', '业务科室', '纪检组'])}",
                "deadline": d(deadline)}
        if rng.random() < 0.1:
            item["revised_deadline"] = d(deadline + dt.timedelta(days=rng.choice([60, 90])))
            item["revision_reason"] = rng.choice(DELAY_REASONS)
        if done:
            latest = min(AS_OF, feedback + dt.timedelta(days=200))
            span = max(1, (latest - feedback).days)
            offset = rng.randint(1, span)
            if r["direct_supervision"]:  # under 巡后直督 they were done within a month (the article's 68%)
                offset = 1 + offset % 28
            item["status"] = "已完成"
            item["done"] = d(min(AS_OF, feedback + dt.timedelta(days=offset)))
        else:
            item["status"] = rng.choice(["整改中", "整改中", "未启动"])
        if rng.random() < 0.08:
            item["internal_notes"] = "该事项涉及问题线索,整改情况与纪检监察机关处置进展一并跟踪。"
        return item

    def _lead(self, r, t, n, concluded, priority, sanctioned, judicial, rng):
        feedback = dt.date.fromisoformat(t["feedback"])
        handed = min(AS_OF, feedback + dt.timedelta(days=rng.randint(0, 10)))
        lead = {"id": f"l-{r['id'][2:]}-{t['organisation'][2:]}-{n + 1:03d}", "sample": True,
                "audience": "internal", "round": r["id"], "organisation": t["organisation"],
                "handed_to": "纪委监委" if priority else rng.choice(["组织部", "审计局", "其他", "组织部"]),
                "handed": d(handed)}
        if priority:
            lead["priority_handled"] = True
        if concluded:
            lead["concluded"] = d(min(AS_OF, handed + dt.timedelta(days=rng.randint(20, 240))))
        if sanctioned:
            lead["sanctioned"] = 1
        if judicial:
            lead["judicial_transfers"] = 1
        if concluded and not priority and rng.random() < 0.3:
            lead["organisational_handling"] = rng.randint(1, 2)
        lead["summary"] = f"反映该单位有关人员{rng.choice(PROBLEMS)}等问题,线索具体内容另见移交函。"
        lead["subject"] = f"示例人员{STEMS[n % 10]}{n // 10 + 1}"
        return lead


class Published(Sample):
    def build_notices(self) -> list[dict]:
        """Statuses and histories as notices publish them, the notices themselves, and one
        round known only from its published totals (tools/notices_data.py)."""
        rng = random.Random(31)  # a stream of its own: the records built above stay as they were
        feedback_of = {(r["id"], t["organisation"]): dt.date.fromisoformat(t["feedback"])
                       for r in self.rounds for t in self.targets_of(r) if "feedback" in t}
        give_items_a_life(self.items, feedback_of, rng)
        for lead in self.leads:
            if lead.get("sanctioned") or lead.get("judicial_transfers"):
                lead["filed"] = 1  # a sanctioned person's case was filed first
        bodies = {b["id"]: b["name"] for b in yaml.safe_load((ROOT / "data" / "bodies.yaml").read_text(encoding="utf-8"))}
        notices, totals_only = build_notices(self.rounds, self.items, self.org_by_id, bodies, rng)
        self.items = [i for i in self.items if i["round"] != totals_only]
        return notices


def without_backed_by(text: str) -> str:
    """figures.yaml without its `backed_by` blocks (the records of a scaled set cannot agree)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("  backed_by:"):
            skipping = True
            continue
        if skipping and line.startswith("    "):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def _decimal(dumper, value: Decimal):
    """A published number as written: 3650.40 stays 3650.40 (read back as a Decimal)."""
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


def dump(records: list) -> str:
    # libyaml's emitter writes the same text as PyYAML's pure-Python one, many times faster
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    dumper.add_representer(Decimal, _decimal)
    dumper.ignore_aliases = lambda self, data: True  # no anchors: the data files have none (yamlstrict refuses them)
    return yaml.dump(records, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def write(records: list, stream, batch: int = 500) -> None:
    """dump(records) written to `stream` a batch of records at a time: the same text (a list of
    records at column 0 is the text of its parts one after another), without the emitter's
    node tree of the whole file (at x100 the items' took 1.2 GiB)."""
    if not records:
        stream.write(dump(records))
    for start in range(0, len(records), batch):
        stream.write(dump(records[start:start + batch]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sample_data")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "data"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if out.resolve() != (ROOT / "data").resolve():
        for name in ("site", "sources", "bodies", "figures", "timeline"):
            shutil.copy2(ROOT / "data" / f"{name}.yaml", out / f"{name}.yaml")
        # the article's systems; their records refer to the x1 rounds and items, so only x1 has them
        # (figures.yaml then checks nothing against records at larger scales: without_backed_by)
        for name in ("systems", "system_records") if args.scale == 1 else ("systems",):
            shutil.copy2(ROOT / "data" / f"{name}.yaml", out / f"{name}.yaml")
        if args.scale > 1:
            figures = (ROOT / "data" / "figures.yaml").read_text(encoding="utf-8")
            (out / "figures.yaml").write_text(without_backed_by(figures), encoding="utf-8")

    b = Published(args.scale)
    b.build_organisations()
    b.build_rounds()
    b.build_items_and_leads()
    notices = b.build_notices()
    rules = build_rules(args.scale, random.Random(7))
    trainings = build_trainings(rules, b.rounds, random.Random(11))
    curricula = build_curricula(trainings, rules)
    header = "# 示例数据:由 tools/sample_data.py 生成(sample: true),请勿当作真实信息。\n"
    files = {"organisations": b.orgs, "rounds": b.rounds, "items": b.items, "leads": b.leads,
             "rules": rules, "trainings": trainings, "curricula": curricula, "notices": notices}
    counts = ", ".join(f"{k} {len(v)}" for k, v in files.items())
    for stem in files:
        prefix = header if stem != "rules" else header.replace("(sample: true)", "(真实制度 sample: false 在前)")
        with open(out / f"{stem}.yaml", "w", encoding="utf-8") as f:
            f.write(prefix)
            write(files[stem], f)
    print(counts)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
