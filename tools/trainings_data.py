"""The sample trainings (集训, 巡察论坛) and curricula (课程路径) of data/.

Used by tools/sample_data.py. Every record here is invented (`sample: true`) and
internal. Articles and questions are drawn from the rules' current texts through
generators.ruletext.articles(), so every 第N条 a training cites exists.
Deterministic: all choices come from the Random passed in, over sorted inputs.
"""

from __future__ import annotations

import random
from pathlib import Path

from generators.ruletext import articles, numeral

ROOT = Path(__file__).resolve().parent.parent

LETTERS = "ABCDEF"

# kind, date, topic, attendees, category of the rules taught, kinds of round used as cases
TRAININGS = [
    ("集训", "2019-04-16", "巡察工作基本流程与方法", "新抽调巡察干部", "市县一体巡", ["常规"]),
    ("集训", "2020-05-12", "提级巡察和村(社区)巡察实务", "县区巡察组组长、副组长", "市县一体巡", ["提级", "交叉"]),
    ("集训", "2021-03-23", "巡察整改监督与巡后直督", "巡察办业务骨干", "成果一体用", ["巡后直督"]),
    ("集训", "2022-04-19", "巡察报告撰写与问题线索移交", "全市巡察干部", "成果一体用", ["专项", "常规"]),
    ("巡察论坛", "2019-09-26", "如何发现“熟人社会”中的问题", "巡察组组长", "队伍一体抓", ["交叉", "专项"]),
    ("巡察论坛", "2020-10-15", "交叉巡察的经验与体会", "参与交叉巡察的巡察组", "市县一体巡", ["交叉"]),
    ("巡察论坛", "2021-09-28", "同类同巡中的系统性问题发现", "巡察办主任", "机制一体建", ["同类同巡"]),
    ("巡察论坛", "2022-11-08", "巡察整改“后半篇文章”怎么做", "巡察办主任、巡察组组长", "成果一体用", ["巡后直督", "常规"]),
    ("巡察论坛", "2023-10-24", "下派组长机制的实践", "下派组长及县区巡察组", "队伍一体抓", ["下派组长"]),
    ("巡察论坛", "2024-09-19", "阳光漯河与巡察信息公开", "全市巡察干部", "成果一体用", ["提级", "专项"]),
]

AGENDA = {
    "集训": [("08:30—09:00", "开班动员,说明本期学习要求"), ("09:00—11:30", "专题授课:{topic}"),
            ("14:30—16:00", "案例研讨:分组剖析本期案例"), ("16:00—17:00", "制度条款学习与自测"),
            ("17:00—17:30", "结业交流")],
    "巡察论坛": [("14:30—14:45", "主持人介绍论坛主题:{topic}"), ("14:45—16:00", "交流发言与案例点评"),
              ("16:00—16:45", "互动讨论"), ("16:45—17:30", "巡察办总结,布置自测")],
}

# the lesson drawn from a round, by what kind of round it was (first match wins)
LESSONS = [
    ("交叉", "交叉巡察打破了“熟人社会”的束缚:巡察组与被巡察单位没有工作往来,谈话更敢讲真话,"
             "发现问题的数量和深度都明显提高。进驻前要把被巡察地的情况摸透,避免“水土不服”。"),
    ("提级", "提级巡察把市级力量直接下沉到乡村,群众身边的问题发现得早、处理得快;"
             "但村级整改力量薄弱,须由乡镇党委统筹,逐项盯办到销号。"),
    ("下派组长", "市委下派组长带队,县区巡察组的标准和尺度与市级看齐;组长要在进驻前完成业务对接,"
               "在反馈阶段把关问题定性。"),
    ("专项", "专项巡察聚焦一个领域,问题线索集中、移交快;移交前要把线索分类,分别明确承办部门和办理时限。"),
    ("同类同巡", "同类同巡把同一类单位放在一起比较,系统性、共性问题一目了然,"
               "应当把共性问题汇总后移交主管部门,推动行业整改。"),
    ("机动", "机动巡察时间短、针对性强,进驻前必须把信访举报和审计发现梳理清楚,带着问题去。"),
    ("常规", "常规巡察要把“三个聚焦”贯穿始终;反馈后整改台账逐项明确责任单位和时限,"
             "逾期未完成的事项要及时督办,防止整改“虎头蛇尾”。"),
]
DS_LESSON = ("巡后直督在反馈后一个月内直接督促整改,整改完成率明显高于其他轮次;"
             "直督组要盯住逾期事项,对“纸面整改”当场指出。")

MATERIALS = [
    ("学习要点", "围绕“{topic}”,系统学习相关制度规范,结合近年来巡察实践,梳理工作流程中的关键环节和常见问题。\n\n"
              "学员应当结合本人参与的巡察工作,准备一个案例,在分组讨论中交流。"),
    ("讨论题", "一、巡察发现的问题如何做到见人见事见细节?\n\n二、整改监督中如何防止“纸面整改”“虚假整改”?"),
]

# material kept as Markdown in content/materials/ (the first course's handout)
MATERIAL_FILES = [("巡察工作基本流程", "inspection-lifecycle.md")]

# the reading path of each role: trainings in order; each brings its rules and cases along
CURRICULA = [
    ("c-new-member", "新任巡察组成员", "新任巡察组成员入门路径",
     "从人才库抽调、第一次参加巡察的干部,按顺序学习:先掌握巡察工作基本流程,再通过案例了解问题是怎样发现、"
     "怎样移交和整改的。",
     ["rule-talent-pool"], ["t-course-1", "t-forum-1", "t-course-4"]),
    ("c-team-leader", "巡察组组长", "巡察组组长提高路径",
     "面向巡察组组长和下派组长:把握提级巡察、交叉巡察和下派组长机制的要求,学会在反馈和移交环节把关。",
     [], ["t-forum-1", "t-course-2", "t-forum-2", "t-forum-5"]),
    ("c-office-director", "巡察办主任", "巡察办主任统筹路径",
     "面向市县巡察办主任:统筹同类同巡、整改监督和成果运用,推动巡察“后半篇文章”做深做实。",
     ["rule-integration-opinion", "rule-rectification-promotion"], ["t-forum-3", "t-course-3", "t-forum-4", "t-forum-6"]),
]


def rule_articles(rule: dict, date: str = "9999") -> dict[int, str]:
    """Article number -> its text without the 第N条 label, from the revision in force on
    `date` (a session is pinned to it; by default the latest revision on record)."""
    dated = [r for r in rule["revisions"] if str(r["date"]) <= date] or rule["revisions"][:1]
    return {a.number: a.body for a in articles(dated[-1]["text"]) if a.number is not None}


def _last_feedback(rnd: dict) -> str | None:
    dates = [t.get("feedback") for team in rnd["teams"] for t in team["targets"]]
    return None if not dates or None in dates else max(dates)


def _cases(rounds: list[dict], date: str, topic: str, wanted: list[str], rng: random.Random) -> list[dict]:
    """Up to two rounds whose feedback was all given before the training, preferring wanted kinds."""
    done = sorted((r for r in rounds if (_last_feedback(r) or "9999") < date), key=lambda r: r["id"])

    def matches(r):
        return any(k in r["kinds"] or (k == "巡后直督" and r.get("direct_supervision")) for k in wanted)

    pool = [r for r in done if matches(r)] or done
    chosen = sorted(rng.sample(pool, min(2, len(pool))), key=lambda r: r["id"])
    out: list[dict] = []
    used: set[str] = set()  # two cases of one session never teach the same lesson
    for r in chosen:
        fitting = ([DS_LESSON] if r.get("direct_supervision") and "巡后直督" in wanted else []) + \
            [text for kind, text in LESSONS if kind in r["kinds"] or kind == "常规"]
        lesson = next((text for text in fitting if text not in used), fitting[0])
        used.add(lesson)
        out.append({"round": r["id"], "lesson": f"结合“{topic}”:{lesson}"})
    return out


def _rules(rules: list[dict], date: str, category: str, rng: random.Random) -> list[dict]:
    """Three rules in force with at least five articles, issued before the training, of the category if possible."""
    usable = [r for r in rules if r["status"] == "现行有效" and len(rule_articles(r, date)) >= 5
              and r.get("issued", "0000") <= date]
    pool = [r for r in usable if r["category"] == category]
    if len(pool) < 3:
        pool = usable
    return sorted(rng.sample(pool, min(3, len(pool))), key=lambda r: r["id"])


def _question(rule: dict, number: int, rules: list[dict], date: str, rng: random.Random) -> dict:
    """Which text is article `number` of the rule (as in force on `date`)? Wrong options:
    the same article of other rules."""
    arts = rule_articles(rule, date)
    right = arts[number]
    same = sorted({rule_articles(r, date).get(number) for r in rules} - set(arts.values()) - {None})
    wrong = same if len(same) >= 2 else sorted({t for r in rules for t in rule_articles(r, date).values()} - set(arts.values()))
    options = [right] + rng.sample(wrong, 2)
    rng.shuffle(options)
    return {
        "question": f"《{rule['title']}》第{numeral(number)}条是怎样规定的?",
        "options": options,
        "answer": LETTERS[options.index(right)],
        "explanation": f"该条原文为:“{right}”其余选项出自其他制度或条款,不是本条的规定。",
        "rule": rule["id"],
        "article": number,
    }


def build_trainings(rules: list[dict], rounds: list[dict], rng: random.Random) -> list[dict]:
    ordinals: dict[str, int] = {}
    out = []
    for kind, date, topic, attendees, category, case_kinds in TRAININGS:
        ordinals[kind] = ordinals.get(kind, 0) + 1
        taught = _rules(rules, date, category, rng)
        covers = []
        for rule in taught:
            numbers = sorted(rule_articles(rule, date))[2:-2]  # the substantive articles, not purpose or closing ones
            covers.append({"rule": rule["id"], "articles": sorted(rng.sample(numbers, min(2, len(numbers))))})
        # a question on every article taught: the session's bank, and the rule's per article
        questions = [_question(rule, number, rules, date, rng)
                     for rule, cover in zip(taught, covers, strict=True) for number in cover["articles"]]
        out.append({
            "id": f"t-{'course' if kind == '集训' else 'forum'}-{ordinals[kind]}", "sample": True,
            "audience": "internal", "kind": kind, "ordinal": ordinals[kind], "date": date, "topic": topic,
            "attendees": attendees,
            "agenda": [{"time": time, "activity": activity.format(topic=topic)} for time, activity in AGENDA[kind]],
            "materials": [{"title": title, "body": body.format(topic=topic)} for title, body in MATERIALS]
            + ([{"title": title, "file": name} for title, name in MATERIAL_FILES] if len(out) == 0 else []),
            "rules": [r["id"] for r in taught],
            "covers": covers,
            "cases": _cases(rounds, date, topic, case_kinds, rng),
            "questions": questions,
            "speaker_notes": "主讲人备注:案例中的单位和人员信息已作匿名处理,课堂讨论内容不对外引用。",
        })
    return out


def build_curricula(trainings: list[dict], rules: list[dict]) -> list[dict]:
    """One reading path per role: each training, then the rules and cases it brings that are new on the path."""
    by_id = {t["id"]: t for t in trainings}
    rule_ids = {r["id"] for r in rules}
    out = []
    for cid, role, title, intro, first_rules, path in CURRICULA:
        wanted: list[tuple[str, str, str]] = []
        for rid in first_rules:
            if rid in rule_ids:
                wanted.append(("rule", rid, "先通读全文,了解这项制度的由来和要求。"))
        for tid in path:
            training = by_id.get(tid)
            if training is None:
                continue
            wanted.append(("training", tid, f"学习本期{training['kind']}的材料并完成自测题。"))
            for cover in training["covers"]:
                arts = "、".join(f"第{numeral(n)}条" for n in cover["articles"])
                wanted.append(("rule", cover["rule"], f"重点学习{arts}。"))
            for case in training["cases"]:
                wanted.append(("case", case["round"], "对照案例中的数字,思考整改为什么能(或不能)按期完成。"))
        steps, seen = [], set()
        for kind, ref, note in wanted:  # the first mention of each training, rule or case
            if (kind, ref) not in seen:
                seen.add((kind, ref))
                steps.append({kind: ref, "note": note})
        out.append({"id": cid, "sample": True, "audience": "internal", "role": role, "title": title,
                    "intro": intro, "steps": steps})
    return out
