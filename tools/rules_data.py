"""The rules (制度规范) of data/: the article's real rules, then sample ones.

Used by tools/sample_data.py. Real rules carry only what the article says of them.
"""

from __future__ import annotations

import datetime as dt
import random

LAST_REVISION = dt.date(2024, 12, 31)  # data/site.yaml as_of: no version is dated after it,
PROSPECTIVE = dt.date(2025, 3, 1)  # but one taught sample rule has a revision issued, not yet in force (尚未施行)
CN_NUM = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]

# Rules the article names or describes. It gives no document numbers, dates or texts:
# the text says so, and the one revision is dated to the pilot's start (2018-03).
REAL_RULES = [
    ("rule-integration-opinion", "关于加强市县党委巡察机构一体化建设的意见", "意见", "机制一体建", "public",
     "研究印发《关于加强市县党委巡察机构一体化建设的意见》,推动完善巡察机构与13个责任部门的协作办法。"),
    ("rule-effectiveness-evaluation", "关于建立完善市县党委巡察工作成效评估的实施意见", "实施意见", "机制一体建", "public",
     "研究制定《关于建立完善市县党委巡察工作成效评估的实施意见》,建立市委考评、会议点评、系统自评、部门联评、巡后评估、群众评议的巡察成效“六评机制”。"),
    ("rule-rectification-promotion", "关于建立健全巡察整改促进机制做深做实巡察“后半篇文章”的意见", "意见", "机制一体建",
     "public", "研究制定《关于建立健全巡察整改促进机制做深做实巡察“后半篇文章”的意见》,全市一体构建巡察整改促进机制。"),
    ("rule-department-cooperation", "巡察机构与责任部门协作办法", "办法", "机制一体建", "internal",
     "推动完善巡察机构与13个责任部门的协作办法,实现了联动协作制度化、常态化。"),
    ("rule-talent-pool", "巡察人才库建设和抽调干部管理规定", "规定", "队伍一体抓", "internal",
     "完善巡察人才库建设和抽调干部管理规定,将新提拔干部、优秀年轻干部和纪检、组工干部全部纳入抽调范围,全市通盘调配使用。"),
    ("rule-issue-handover", "领域性问题分类移交制度", "制度", "成果一体用", "internal",
     "完善领域性问题分类移交制度,纵深化、一体化推动整改。"),
    ("rule-county-reporting", "县区巡察整改和成果运用情况上报制度", "制度", "成果一体用", "internal",
     "建立县区巡察整改和成果运用情况上报制度。"),
    ("rule-secretary-hearing", "市县党委书记专题会直接听取巡察和整改情况汇报制度", "制度", "机制一体建", "internal",
     "探索市县党委书记专题会直接听取巡察和整改情况汇报制度。"),
]

SAMPLE_TOPICS = {
    "机制一体建": ["巡察工作领导小组工作规则", "巡察工作领导小组办公室工作规则", "巡察工作成效考评办法",
                "巡察移交问题线索办理办法", "巡审联动工作办法", "巡察与纪检监察监督贯通协调办法",
                "巡察与组织部门协作办法", "巡察工作规划实施细则", "巡察工作保密规定", "巡察信访举报受理办法",
                "巡察档案管理办法", "巡察报告撰写规范", "巡察数据统计规定", "巡察机构内部监督办法",
                "巡察工作问责办法", "巡察工作经费管理办法"],
    "队伍一体抓": ["巡察干部人才库管理办法", "巡察组组长库管理办法", "抽调干部考核评价办法", "巡察干部培训规划",
                "巡察论坛组织办法", "巡察干部行为规范", "巡察干部廉洁纪律规定", "巡察组组长任前审核办法",
                "巡察干部交流使用办法", "巡察干部回避规定", "巡察组临时党支部工作规则", "巡察业务集训实施细则",
                "新任巡察干部岗前培训细则", "巡察干部激励关怀办法", "下派组长工作细则", "巡察干部考勤管理规定"],
    "市县一体巡": ["同类同巡工作办法", "交叉巡察实施办法", "提级巡察实施细则", "巡乡带村工作细则", "直巡到村工作细则",
                "机动巡察实施办法", "专项巡察实施办法", "巡察进驻工作规程", "巡察谈话工作规范", "巡察公告发布规定",
                "巡察底稿制作规范", "巡察情况汇报规程", "市县巡察联动协作办法", "巡察对象确定办法",
                "巡察工作流程规范", "村(社区)巡察工作规范"],
    "成果一体用": ["巡察反馈工作规定", "巡察整改监督办法", "巡后直督工作细则", "四方会审工作办法", "巡察整改评估办法",
                "巡察成果运用办法", "巡察整改情况公开办法", "巡察整改台账管理办法", "阳光漯河信息公开细则",
                "巡察整改销号管理办法", "巡察整改约谈办法", "巡察整改责任追究办法", "巡察问题分类处置办法",
                "巡察整改进展报告规范", "巡察整改“回头看”实施细则", "巡察成果综合运用联席会议制度"],
}
ISSUERS = ["中共漯河市委巡察工作领导小组", "中共漯河市委巡察工作领导小组办公室", "中共漯河市委办公室"]
NUMBER_PREFIX = {ISSUERS[0]: "漯巡〔{y}〕{n}号", ISSUERS[1]: "漯巡办〔{y}〕{n}号", ISSUERS[2]: "漯办〔{y}〕{n}号"}


def doc_type(topic: str) -> str:
    for suffix in ("实施意见", "意见", "办法", "规定", "细则"):
        if topic.endswith(suffix):
            return suffix
    return "制度"


def body_articles(topic: str, kind: str, rng: random.Random, cite: str | None, article: bool = False) -> list[str]:
    """The articles of version 1; `cite` is the title of a rule cited (at its 第四条 if `article`)."""
    word = {"制度": "制度"}.get(kind, kind)
    core = topic.removeprefix("巡察").removesuffix(kind) or topic
    lines = [
        f"为规范{core}工作,推动巡察整改和成果运用落到实处,根据《中国共产党巡视工作条例》和有关规定,结合本市实际,制定本{word}。",
        f"本{word}适用于市县两级党委巡察机构及其派出的巡察组。",
        rng.choice([
            f"{core}工作坚持市县一体、上下联动,坚持实事求是、依规依纪,坚持问题导向、注重实效。",
            f"{core}工作应当坚持党的领导,坚持围绕中心、服务大局,坚持严的基调。",
        ]),
        rng.choice([
            f"巡察机构应当建立{core}工作台账,明确责任人和完成时限,定期向巡察工作领导小组报告进展情况。",
            f"巡察组应当在规定时限内完成{core}相关工作,形成书面材料,经组长审核后报巡察办。",
            f"被巡察党组织应当配合做好{core}工作,如实提供有关资料,不得隐瞒、拖延。",
        ]),
        rng.choice([
            "对工作不力、敷衍应付的,由巡察工作领导小组予以通报;情节严重的,依规依纪追究责任。",
            "巡察整改情况纳入年度考评,考评结果作为评价领导班子和领导干部的重要参考。",
            "巡察机构应当加强与纪检监察、组织、审计等部门的协作配合,形成监督合力。",
        ]),
    ]
    if cite:
        lines.append(f"本{word}未尽事宜,按照《{cite}》{'第四条' if article else ''}的有关规定执行。")
    lines.append(f"本{word}由市委巡察工作领导小组办公室负责解释。")
    lines.append(f"本{word}自印发之日起施行。")
    return [f"第{CN_NUM[i + 1]}条 {text}" for i, text in enumerate(lines)]


ADDED_ARTICLES = [
    "巡察机构应当运用信息化手段,加强对巡察整改的日常监督。",
    "巡察整改进展情况应当按照规定通过“阳光漯河”平台向社会公开,接受群众监督。",
    "对整改不力的,由巡后直督组督促整改,必要时提请四方会审。",
]
REWORDING = {
    2: [("定期", "每季度"), ("规定时限", "十个工作日")],
    3: [("予以通报", "予以通报批评"), ("重要参考", "重要依据"), ("协作配合", "协作配合和信息共享")],
}


def revise(articles: list[str], version: int, kind: str, rng: random.Random) -> list[str]:
    """A later version. Version 2 rewords article 4; version 3 rewords article 5 and drops
    article 3; each adds an article before the two closing ones (so later ones renumber)."""
    texts = [a.split(" ", 1)[1] for a in articles]
    where = 3 if version == 2 else 4
    for old, new in REWORDING[min(version, 3)]:
        texts[where] = texts[where].replace(old, new)
    if version >= 3:
        del texts[2]
    texts.insert(len(texts) - 2, rng.choice([a for a in ADDED_ARTICLES if a not in texts]))
    return [f"第{CN_NUM[i + 1]}条 {t}" for i, t in enumerate(texts)]


def build_rules(scale: int, rng: random.Random) -> list[dict]:
    rules: list[dict] = []
    for rid, title, kind, category, audience, quote in REAL_RULES:
        rules.append({
            "id": rid, "sample": False, "audience": audience, "title": title, "issuer": "中共漯河市委",
            "doc_type": kind, "category": category, "status": "现行有效", "source": "seed",
            "tags": ["一体化建设试点"],
            "revisions": [{"version": 1, "date": "2018-03-01",
                           "note": "原文、文号和印发日期未载明;日期按试点启动时间(2018年3月)记",
                           "text": f"本站尚未收录本文件原文。据《河南纪检监察》刊发的文章记载:{quote}"}],
        })
    serial: dict[int, int] = {}
    for k in range(scale):
        made: list[dict] = []
        for category, topics in SAMPLE_TOPICS.items():
            for topic in topics:
                n = len(made)
                issued = dt.date(2018, 6, 1) + dt.timedelta(days=(n * 83 + k * 17) % 2000)
                issuer = ISSUERS[n % 3]
                serial[issued.year] = serial.get(issued.year, 0) + 1
                kind = doc_type(topic)
                rid = f"rule-{n + 1:03d}" + (f"-{k}" if k else "")
                rec = {
                    "id": rid, "sample": True,
                    "audience": "public" if n % 4 == 0 else "internal",
                    "title": f"漯河市{topic}" + (f"(示例{k})" if k else ""),
                    "document_number": NUMBER_PREFIX[issuer].format(y=issued.year, n=serial[issued.year]),
                    "issuer": issuer, "doc_type": kind, "category": category,
                    "issued": issued.isoformat(), "effective": issued.isoformat(), "status": "现行有效",
                    "tags": [category, rng.choice(["巡察整改", "队伍建设", "工作流程", "监督协作", "信息公开"])],
                    "references": [],
                }
                made.append(rec)
        _shape(made, rng)
        rules.extend(made)
    return rules


def _shape(made: list[dict], rng: random.Random) -> None:
    """References, revisions, repeals and one rule not yet in force, then the texts."""
    by_index = {i: r for i, r in enumerate(made)}
    # references to earlier rules of the same audience (a public rule cites only public ones)
    for i, rec in by_index.items():
        if i >= 4 and i % 3 == 0:
            candidates = [r for r in made[:i] if r["audience"] == rec["audience"] or rec["audience"] == "internal"]
            rec["references"] = [rng.choice(candidates)["id"]]
    # two repealed rules, and live rules that still cite them
    for i in (1, 2):
        rep = made[i]
        rep["status"] = "已废止"
        rep["repealed"] = "2023-06-30"
        rep["audience"] = "internal"
    made[13]["references"] = [made[1]["id"]]
    made[13]["audience"] = "internal"
    made[21]["references"] = [made[2]["id"], made[5]["id"]]
    made[21]["audience"] = "internal"
    # one rule issued but not yet in force on the data's as-of date
    late = made[-1]
    late.update(issued="2024-12-20", effective="2025-03-01", status="尚未生效")
    # texts; rules 0, 4, 8 (public) get three versions, 12, 16, 20, 24 two; a text cites its
    # first reference by 《title》 (every other one at an article), and rule 12 cites rule 0 by id
    titles = {r["id"]: r["title"] for r in made}
    for i, rec in enumerate(made):
        cite = titles[rec["references"][0]] if rec["references"] else None
        arts = body_articles(rec["title"].removeprefix("漯河市").split("(")[0], rec["doc_type"], rng, cite,
                             article=i % 2 == 0)
        issued = dt.date.fromisoformat(rec["issued"])
        note = f"\n编者注:本{rec['doc_type']}与本库制度 {made[0]['id']} 第四条配套执行。" if i == 12 else ""
        revisions = [{"version": 1, "date": rec["issued"], "note": "印发", "text": "\n".join(arts) + note}]
        extra = 2 if i in (0, 4, 8) else 1 if i in (12, 16, 20, 24) else 0
        for v in range(extra):
            arts = revise(arts, v + 2, rec["doc_type"], rng)
            when = issued + dt.timedelta(days=365 * (v + 1) + 30)
            if when > LAST_REVISION:
                break  # every version is dated on or before the data's as-of date
            revisions.append({"version": v + 2, "date": when.isoformat(),
                              "note": f"第{CN_NUM[v + 1]}次修订", "text": "\n".join(arts) + note})
        if i == 8:  # its own Random: the other rules' texts stay as they were
            arts = revise(arts, len(revisions) + 1, rec["doc_type"], random.Random(len(revisions)))
            revisions.append({"version": len(revisions) + 1, "date": PROSPECTIVE.isoformat(),
                              "note": f"第{CN_NUM[len(revisions)]}次修订", "text": "\n".join(arts)})
        rec["revisions"] = revisions
        if rec["status"] == "已废止" and issued.isoformat() > rec["repealed"]:
            rec["repealed"] = (issued + dt.timedelta(days=400)).isoformat()

