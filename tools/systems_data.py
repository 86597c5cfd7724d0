"""Write data/system_records.yaml: the records of the article's systems (data/systems.yaml).

    python -m tools.systems_data            # rewrite data/system_records.yaml

What the article states about a system as a whole is written as a real record
(`sample: false`, `source: seed`, a period instead of a date): the 编委会 meeting that added
10 teams and 60 posts, the three 活动年, the departments and the campaign it names. Every
other record is invented to show the pages working (`sample: true`) and agrees exactly with
the article's figures that figures.yaml checks against these records (23 书记专题会 hearing
78 + 100 organisations and pinpointing 169 matters, 4 city conferences, 5 专题民主生活会, 13 departments, 22
batches and 797 person-times, 17 vettings, 30 teams and 218 person-times seconded, 4
unified deployments, 6 feedback conferences, 21 units, 5 campaigns). The invented records
refer to the sample rounds, organisations and items of data/. Deterministic: the same
data/ gives byte-identical output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from .sample_data import dump

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("# 机制运行记录:由 tools/systems_data.py 生成。sample: false 的为文章载明的事实(source: seed),"
          "sample: true 的为示例数据,请勿当作真实信息。\n")
CITY = "luohe"
SPAN = "2018年3月以来"


def read(stem: str) -> list[dict]:
    return yaml.safe_load((ROOT / "data" / f"{stem}.yaml").read_text(encoding="utf-8")) or []


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def split(total: int, n: int, offset: int = 0) -> list[int]:
    """`total` over `n` records as evenly as possible (the larger shares rotated by `offset`)."""
    base, extra = divmod(total, n)
    return [base + (1 if (k + offset) % n < extra else 0) for k in range(n)]


def record(rid: str, system: str, kind: str, title: str, *, sample: bool = True, **fields: Any) -> dict:
    out: dict[str, Any] = {"id": rid, "sample": sample, "audience": "internal", "system": system, "kind": kind,
                           "title": title}
    for key, value in fields.items():
        if value is not None and value != []:
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
    if not sample:
        out["source"] = "seed"
    return out


class Facts:
    """The sample rounds and items the invented records refer to."""

    def __init__(self) -> None:
        self.rounds = sorted(read("rounds"), key=lambda r: (r["start"], r["id"]))
        self.items: dict[tuple[str, str], list[str]] = {}
        for item in read("items"):
            self.items.setdefault((item["round"], item["organisation"]), []).append(item["id"])

    def feedback(self, rnd: dict) -> dt.date | None:
        days = [day(t["feedback"]) for team in rnd["teams"] for t in team["targets"] if t.get("feedback")]
        return max(days) if days else None

    def city(self, *kinds: str) -> list[dict]:
        return [r for r in self.rounds if r["organiser"] == CITY and (not kinds or set(kinds) & set(r["kinds"]))]


def secretary_meetings(f: Facts) -> list[dict]:
    """23 书记专题会 (city and county): each hears its body's rounds fed back since its last one."""
    dates = [dt.date(2018, 5, 8) + dt.timedelta(days=round(k * 2380 / 22)) for k in range(23)]
    rect, insp, matters = split(78, 23, 3), split(100, 23, 7), split(169, 23, 11)
    out, previous = [], {}
    for k, date in enumerate(dates):
        body = CITY if k % 3 != 2 else ["wuyang", "linying", "yancheng", "yuanhui", "shaoling", "jingkai",
                                         "shifanqu", "xicheng"][k // 3 % 8]
        since = previous.get(body, dt.date(2018, 1, 1))
        heard = [r["id"] for r in f.rounds if r["organiser"] == body and (fb := f.feedback(r)) and since < fb <= date]
        out.append(record(
            f"sm-{date.year}-{k + 1:02d}", "secretary-push", "书记专题会",
            f"第{k + 1}次书记专题会暨巡察工作领导小组会", date=date, body=body,
            attendance="巡察工作领导小组成员,被巡察党组织主要负责人",
            reports_rectification=rect[k], reports_inspection=insp[k], matters=matters[k],
            rounds=heard, rules=["rule-secretary-hearing"],
            summary="听取巡察情况和整改情况汇报,点人点事点问题,部署成果运用。"))
        previous[body] = date
    return out


def city_conferences() -> list[dict]:
    names = ["全市巡察工作会议", "全市巡察工作推进会议", "全市巡察工作会议", "全市巡察工作推进会议"]
    dates = [dt.date(2018, 4, 20), dt.date(2019, 3, 15), dt.date(2020, 4, 10), dt.date(2021, 3, 19)]
    return [record(f"cc-{d.year}", "secretary-push", "全市巡察工作会议", f"{d.year}年{name}", date=d, body=CITY,
                   attendance="市县巡察工作领导小组成员,巡察办主任,巡察组组长", units=["市委巡察办", "各县区巡察办"],
                   summary="部署全年巡察工作,通报巡察整改和成果运用情况。")
            for d, name in zip(dates, names, strict=True)]


def democratic_life_meetings(f: Facts) -> list[dict]:
    """5 专题民主生活会 of inspected organisations that the secretary attended, after feedback."""
    out = []
    for k, rnd in enumerate([r for r in f.city() if f.feedback(r)][:5]):
        target = rnd["teams"][0]["targets"][0]
        date = day(target["feedback"]) + dt.timedelta(days=45) if target.get("feedback") else f.feedback(rnd)
        out.append(record(f"dl-{k + 1}", "secretary-push", "专题民主生活会", f"巡察整改专题民主生活会({k + 1})",
                          date=date, body=CITY, attendance="市委主要负责同志到会指导,被巡察党组织领导班子成员",
                          rounds=[rnd["id"]], organisations=[target["organisation"]],
                          summary="围绕巡察反馈问题开展批评和自我批评,明确整改责任。"))
    return out


DEPARTMENTS_NAMED = [("市纪委监委", "纪委监委", "优先处置巡察移交的问题线索"),
                     ("市委组织部", "组织部", "在干部选任中运用巡察成果"),
                     ("市审计局", "审计局", "接力专项审计,开展巡审联动")]
DEPARTMENTS_SAMPLE = ["市委督查局", "市委宣传部", "市委政法委", "市委编办", "市信访局", "市财政局", "市公安局",
                      "市民政局", "市人社局", "市农业农村局"]


def departments() -> list[dict]:
    out = [record(f"dept-{k + 1:02d}", "linkage", "协作部门", name, sample=False, period=SPAN, units=[name],
                  receives=receives, rules=["rule-department-cooperation"], summary=f"{role}(文章载明)。")
           for k, (name, receives, role) in enumerate(DEPARTMENTS_NAMED)]
    out += [record(f"dept-{k + 4:02d}", "linkage", "协作部门", name, date=dt.date(2018, 6, 1), units=[name],
                   rules=["rule-department-cooperation"],
                   summary="按协作办法接收巡察移交的其他问题,办理结果反馈巡察机构。")
            for k, name in enumerate(DEPARTMENTS_SAMPLE)]
    return out


def cadre_selection(f: Facts) -> list[dict]:
    """22 batches of the organisation department using inspection results (797 person-times)."""
    done = [r for r in f.rounds if f.feedback(r)]
    persons = split(797, 22, 5)
    batches = sorted((f.feedback(rnd) + dt.timedelta(days=30 + 7 * (k // len(done))), rnd["id"])  # type: ignore[operator]
                     for k in range(22) for rnd in [done[k % len(done)]])
    return [record(f"cs-{k + 1:02d}", "linkage", "成果运用", f"干部选任运用巡察成果第{k + 1}批次", date=date,
                   units=["市委组织部"], person_times=persons[k], rounds=[rid],
                   summary="在干部选拔任用中查阅、运用巡察成果。")
            for k, (date, rid) in enumerate(batches)]


EVALUATIONS = [("市委考评", "市委对县区巡察工作进行年度考评"), ("会议点评", "在书记专题会上逐轮点评巡察工作"),
               ("系统自评", "巡察机构对本轮巡察进行自评"), ("部门联评", "纪检、组织等部门联合评价巡察成果运用"),
               ("巡后评估", "反馈一年后评估整改成效"), ("群众评议", "在被巡察单位所在地组织群众评议")]


def evaluations(f: Facts) -> list[dict]:
    out = []
    done = [r for r in f.city() if f.feedback(r)]
    for k, (how, what) in enumerate(EVALUATIONS):
        for j in range(2):
            rnd = done[(2 * k + j) % len(done)]
            date = f.feedback(rnd) + dt.timedelta(days=60 + 30 * j)  # type: ignore[operator]
            if how == "巡后评估":
                date = f.feedback(rnd) + dt.timedelta(days=365)  # type: ignore[operator]
            out.append(record(f"ev-{k + 1}-{j + 1}", "six-evaluations", "成效评估", f"{rnd['year']}年巡察{how}",
                              date=date, body=CITY, evaluation=how, rounds=[rnd["id"]],
                              rules=["rule-effectiveness-evaluation"], summary=f"{what}:总体评价为“好”。"))
    return out


def three_unifications() -> list[dict]:
    out = [record("staffing-2018", "three-unifications", "编委会专题会议", "市编委会专题会议", sample=False,
                  period=SPAN, body=CITY, units=["市委编办"], teams=10, posts=60,
                  summary="研究统筹为全市增设巡察组10个、增编60人(文章载明)。")]
    years = ["制度建设年", "规范提升年", "高质量建设年"]
    out += [record(f"year-{k + 1}", "three-unifications", "活动年", f"“{name}”活动", sample=False, period=SPAN,
                   units=["全市巡察机构"], rules=["rule-talent-pool"],
                   summary=f"全市巡察机构连续开展的三个活动年之{'一二三'[k]}(文章载明;年份未载明)。")
            for k, name in enumerate(years)]
    vetted = [3, 2, 4, 2, 3, 2, 1]  # 17 person-times, 2018-2024
    out += [record(f"vet-{2018 + k}", "three-unifications", "任前审核", f"{2018 + k}年县区巡察办主任、巡察组组长任前审核",
                   date=dt.date(2018 + k, 6, 20), body=CITY, person_times=n, rules=["rule-024"],
                   summary="市委巡察工作领导小组严把县区巡察办主任、巡察组组长“准入关”。")
            for k, n in enumerate(vetted)]
    pools = {"luohe": 260, "wuyang": 85, "linying": 90, "yancheng": 70, "yuanhui": 60, "shaoling": 65,
             "jingkai": 30, "shifanqu": 30, "xicheng": 25}
    names = {b["id"]: b["short_name"] for b in read("bodies")}
    out += [record(f"pool-{body}", "three-unifications", "人才库", f"{names[body]}巡察人才库", date=dt.date(2019, 1, 10),
                   body=body,
                   members=n, rules=["rule-talent-pool", "rule-017"],
                   summary="新提拔干部、优秀年轻干部和纪检、组工干部全部纳入抽调范围,全市通盘调配使用。")
            for body, n in pools.items()]
    return out


def secondments(f: Facts) -> list[dict]:
    """30 county teams seconded whole to the city's cross rounds (218 person-times)."""
    teams = [(rnd, team) for rnd in f.city("交叉") for team in rnd["teams"] if team["body"] != CITY][:30]
    persons = split(218, len(teams), 2)
    return [record(f"sec-{k + 1:02d}", "secondment", "整建制抽调", f"{rnd['id'][2:6]}年市委交叉巡察{team['name']}",
                   date=day(rnd["start"]), until=day(rnd["end"]) if rnd.get("end") else None, body=team["body"],
                   teams=1, person_times=persons[k], rounds=[rnd["id"]], rules=["rule-talent-pool"],
                   summary="整建制抽调县区巡察组参加市委交叉巡察。")
            for k, (rnd, team) in enumerate(teams)]


def unified_deployments(f: Facts) -> list[dict]:
    """4 rounds deployed city-wide at once: the city round and the county rounds of its year."""
    city = f.city("同类同巡")
    county = [r for r in f.rounds if r["organiser"] != CITY and "同类同巡" in r["kinds"]]
    out = []
    for k, rnd in enumerate(sorted({r["year"]: r for r in reversed(city)}.values(), key=lambda r: r["start"])[:4]):
        with_it = [r["id"] for r in county if r["year"] == rnd["year"]]
        out.append(record(f"ud-{k + 1}", "unified-deployment", "统一部署", f"{rnd['year']}年全市巡察统一部署",
                          date=day(rnd["start"]) - dt.timedelta(days=5), body=CITY,
                          units=["市委巡察办", "各县区巡察办"], rounds=[rnd["id"], *with_it], rules=["rule-033"],
                          summary="统一部署、统一培训、统一发布举报方式,市县巡察组同步进驻。"))
    return out


def feedback_conferences(f: Facts) -> list[dict]:
    rounds = [r for r in f.city() if f.feedback(r) and f.feedback(r) < dt.date(2021, 1, 1)][:6]  # 两年来
    out = []
    for k, rnd in enumerate(rounds):
        date = f.feedback(rnd) + dt.timedelta(days=12)  # type: ignore[operator]
        theme = rnd.get("theme") or "巡察"
        out.append(record(f"fc-{k + 1}", "feedback-conferences", "全市反馈大会", f"{rnd['year']}年{theme}反馈大会",
                          date=date, body=CITY, attendance="市县党政一把手和分管领导", rounds=[rnd["id"]],
                          rules=["rule-issue-handover"], summary="通报巡察发现的共性问题,部署全市整改。"))
    return out


def joint_reviews(f: Facts) -> list[dict]:
    out = []
    for rnd in [r for r in f.city() if r.get("direct_supervision")]:
        target = rnd["teams"][0]["targets"][0]
        items = f.items.get((rnd["id"], target["organisation"]), [])[:3]
        date = f.feedback(rnd) + dt.timedelta(days=90)  # type: ignore[operator]
        out.append(record(f"jr-{rnd['id'][2:]}", "joint-review", "四方会审", f"{rnd['year']}年巡察整改四方会审",
                          date=date, body=CITY, units=["市纪委监委", "市委组织部", "市委督查局", "市委巡察办"],
                          rounds=[rnd["id"]], organisations=[target["organisation"]], items=items,
                          rules=["rule-052"], summary="联合审核整改效果:抽查的整改事项整改到位,同意销号。"))
    return out


FIELDS = ["市民政局(农村低保)", "市教育局(校外培训)", "市卫生健康委(医疗机构收费)", "市医保局(医保基金)",
          "市住建局(老旧小区改造)", "市交通运输局(农村公路)", "市农业农村局(涉农资金)", "市水利局(农村饮水)",
          "市自然资源和规划局(土地出让)", "市人社局(社保基金)", "市市场监管局(食品安全)", "市生态环境局(环保督察整改)",
          "市财政局(专项资金)", "市城管局(城市停车)", "市公安局(执法规范)", "市文广旅局(文物保护)",
          "各县区(村级集体“三资”)", "各县区(扶贫项目资产)", "各县区(危房改造)", "各县区(惠民补贴发放)",
          "各乡镇(软弱涣散村级党组织)"]
CAMPAIGNS = ["行业扶贫效果提升", "农村人居环境提升", "基层党建质量提升", "营商环境提升", "民生服务提升"]


def root_and_branch(f: Facts) -> list[dict]:
    done = [r for r in f.city() if f.feedback(r)]
    out = []
    for k, unit in enumerate(FIELDS):
        rnd = done[k % len(done)]
        start = f.feedback(rnd) + dt.timedelta(days=20)  # type: ignore[operator]
        out.append(record(f"sr-{k + 1:02d}", "root-and-branch", "专项整治", f"{unit}专项整治", date=start,
                          until=start + dt.timedelta(days=120), units=[unit.split("(")[0]], rounds=[rnd["id"]],
                          rules=["rule-054"], summary="针对巡察发现的共性问题,点题开展专项整治、专项审计。"))
    out.append(record("campaign-1", "root-and-branch", "专项提升行动", f"{CAMPAIGNS[0]}行动", sample=False, period=SPAN,
                      units=["市扶贫办"], summary="“五个专项提升行动”之一(文章载明)。"))
    out += [record(f"campaign-{k + 2}", "root-and-branch", "专项提升行动", f"{name}行动", date=dt.date(2020, 3, 1),
                   until=dt.date(2020, 12, 31), units=["市委巡察办"], summary="“五个专项提升行动”之一。")
            for k, name in enumerate(CAMPAIGNS[1:])]
    return out


def build() -> list[dict]:
    f = Facts()
    return [*secretary_meetings(f), *city_conferences(), *democratic_life_meetings(f), *departments(), *cadre_selection(f), *evaluations(f),
            *three_unifications(), *secondments(f), *unified_deployments(f), *feedback_conferences(f),
            *joint_reviews(f), *root_and_branch(f)]


def main() -> int:
    records = build()
    (ROOT / "data" / "system_records.yaml").write_text(HEADER + dump(records), encoding="utf-8")
    print(f"system_records {len(records)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
