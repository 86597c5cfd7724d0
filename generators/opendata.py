"""The public lists as tables: one definition of each downloadable dataset.

`tables(ds, audience)` returns every table with its typed fields and rows; the CSV,
JSON and datapackage.json writers and the tests all read from it, so the files
cannot disagree with each other or with the pages. Leads appear only as counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .audience import visible
from .inspections import inspections
from .lifecycle import is_overdue


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, boolean, date
    title: str


@dataclass
class Table:
    name: str
    title: str
    description: str
    fields: list[Field]
    rows: list[dict]


def _f(spec: str) -> list[Field]:
    out = []
    for line in spec.strip().splitlines():
        name, typ, title = line.split()
        out.append(Field(name, typ, title))
    return out


INSPECTION_FIELDS = _f("""
id string 编号
round string 巡察轮次
round_title string 轮次名称
year integer 年份
kinds string 巡察类型
organisation string 被巡察党组织编号
organisation_name string 被巡察党组织
county string 所属县区
team string 巡察组
team_body string 巡察组所属
stationed date 进驻日期
left date 撤离日期
feedback date 反馈日期
stage string 阶段
problems_found integer 发现问题
leads_handed_over integer 移交问题线索
leads_concluded integer 已办结线索
items integer 整改事项
items_done integer 已完成整改事项
items_overdue integer 逾期整改事项
reporting_phone string 举报电话
reporting_mailbox string 电子邮箱
reporting_post_box string 邮政信箱
reporting_hours string 受理时间
reporting_from date 受理开始
reporting_until date 受理截止
sample boolean 示例数据
""")
ITEM_FIELDS = _f("""
id string 编号
inspection string 巡察编号
round string 巡察轮次
year integer 年份
organisation string 被巡察党组织编号
organisation_name string 被巡察党组织
category string 问题类别
priority string 优先级
description string 整改事项
owner_unit string 责任单位
deadline date 原定时限
revised_deadline date 调整后时限
revision_reason string 调整原因
status string 状态
done date 完成日期
overdue boolean 逾期
sample boolean 示例数据
""")
ROUND_FIELDS = _f("""
id string 编号
organiser string 组织者
year integer 年份
ordinal integer 轮次
kinds string 巡察类型
theme string 专项主题
start date 开始日期
end date 结束日期
direct_supervision boolean 巡后直督
sample boolean 示例数据
""")
ORGANISATION_FIELDS = _f("""
id string 编号
name string 名称
kind string 类别
level string 层级
county string 所属县区
parent string 上级党组织编号
sunshine string 阳光漯河领域
sample boolean 示例数据
""")
FIGURE_FIELDS = _f("""
id string 编号
statement string 文章表述
value number 数值
unit string 单位
period string 时段
section string 所属部分
source string 来源
checked_against_records boolean 已由记录复核
sample boolean 示例数据
""")
RULE_FIELDS = _f("""
id string 编号
title string 标题
document_number string 文号
issuer string 制定机关
doc_type string 文件类型
category string 类别
issued date 印发日期
effective date 施行日期
status string 状态
repealed date 废止日期
versions integer 版本数
current_version_date date 现行版本施行日期
tags string 标签
sample boolean 示例数据
""")
TIMELINE_FIELDS = _f("""
id string 编号
month string 时间
title string 事件
detail string 详情
source string 来源
sample boolean 示例数据
""")


def tables(ds, audience: str) -> list[Table]:
    bodies = ds.by_id("bodies")
    as_of = ds.as_of
    xs = inspections(ds, audience)

    insp = [{
        "id": x.id, "round": x.round.id, "round_title": x.round_title, "year": x.round.year,
        "kinds": ";".join(x.round.kinds), "organisation": x.organisation.id,
        "organisation_name": x.organisation.name, "county": x.county,
        "team": x.team.name, "team_body": bodies[x.team.body].short_name, "stationed": x.target.stationed,
        "left": x.target.left, "feedback": x.target.feedback, "stage": x.stage, "problems_found": x.target.problems_found,
        "leads_handed_over": x.leads_total, "leads_concluded": x.leads_concluded,
        "items": len(x.rect_items), "items_done": x.done, "items_overdue": x.overdue,
        "reporting_phone": x.target.announcement.phone, "reporting_mailbox": x.target.announcement.mailbox,
        "reporting_post_box": x.target.announcement.post_box, "reporting_hours": x.target.announcement.hours,
        "reporting_from": x.target.announcement.reporting_from,
        "reporting_until": x.target.announcement.reporting_until,
        "sample": x.round.sample or x.organisation.sample,
    } for x in xs]
    items = [{
        "id": i.id, "inspection": x.id, "round": i.round, "year": x.round.year, "organisation": i.organisation,
        "organisation_name": x.organisation.name, "category": i.category, "priority": i.priority,
        "description": i.description, "owner_unit": i.owner_unit, "deadline": i.deadline,
        "revised_deadline": i.revised_deadline, "revision_reason": i.revision_reason, "status": i.status,
        "done": i.done, "overdue": is_overdue(i, as_of), "sample": i.sample,
    } for x in xs for i in x.rect_items]
    rounds = [{
        "id": r.id, "organiser": bodies[r.organiser].name, "year": r.year, "ordinal": r.ordinal,
        "kinds": ";".join(r.kinds), "theme": r.theme, "start": r.start, "end": r.end,
        "direct_supervision": r.direct_supervision, "sample": r.sample,
    } for r in sorted(ds.rounds, key=lambda r: r.id) if visible(r, audience)]
    orgs = [{
        "id": o.id, "name": o.name, "kind": o.kind, "level": o.level, "county": bodies[o.county].short_name,
        "parent": o.parent, "sunshine": o.sunshine, "sample": o.sample,
    } for o in sorted(ds.organisations, key=lambda o: o.id) if visible(o, audience)]
    sources = ds.by_id("sources")
    figures = [{
        "id": f.id, "statement": f.statement, "value": f.value, "unit": f.unit, "period": f.period,
        "section": f.section, "source": f"{sources[f.source].publication}{sources[f.source].title}",
        "checked_against_records": f.backed_by is not None, "sample": f.sample,
    } for f in ds.figures if visible(f, audience)]
    rules = [{
        "id": r.id, "title": r.title, "document_number": r.document_number, "issuer": r.issuer,
        "doc_type": r.doc_type, "category": r.category, "issued": r.issued, "effective": r.effective,
        "status": r.status, "repealed": r.repealed, "versions": len(r.revisions),
        "current_version_date": r.current.date, "tags": ";".join(r.tags), "sample": r.sample,
    } for r in sorted(ds.rules, key=lambda r: r.id) if visible(r, audience)]
    events = [{
        "id": e.id, "month": e.month, "title": e.title, "detail": e.detail,
        "source": f"{sources[e.source].publication}{sources[e.source].title}", "sample": e.sample,
    } for e in sorted(ds.timeline, key=lambda e: (e.month, e.id)) if visible(e, audience)]
    return [
        Table("inspections", "巡察信息", "每个被巡察党组织在每轮巡察中的公告、阶段、问题数量和整改进展", INSPECTION_FIELDS, insp),
        Table("items", "整改事项", "巡察反馈后公开的每一项整改事项及其进展", ITEM_FIELDS, items),
        Table("rounds", "巡察轮次", "每轮巡察的组织者、类型和时间", ROUND_FIELDS, rounds),
        Table("organisations", "被巡察党组织", "被巡察党组织名录", ORGANISATION_FIELDS, orgs),
        Table("figures", "文章中的数字", "《河南纪检监察》文章公布的数字及其出处", FIGURE_FIELDS, figures),
        Table("rules", "制度规范", "本网站公开的制度规范目录:文号、制定机关、状态和版本(全文见各制度页面)", RULE_FIELDS, rules),
        Table("timeline", "大事记", "文章记载的时间节点", TIMELINE_FIELDS, events),
    ]
