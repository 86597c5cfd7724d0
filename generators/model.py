"""Typed models of every record kind in data/.

Each YAML file in data/ is a list of records of one kind (see FILES). Field-level
rules live here; rules that span records (references, sums, dates across records)
live in generators/checks.py. Fields marked ``internal()`` never reach the public
build, whatever the record's audience.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

# --- scalar types ------------------------------------------------------------

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PAGE_RE = re.compile(r"^page-\d+$")


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError("编号只能由小写字母、数字和连字符组成")
    if _PAGE_RE.match(value):  # page-2, page-3 …: the later pages of a long list (pages/common.py)
        raise ValueError(f"编号 '{value}' 留作长列表的分页页名,请换一个")
    return value


def _check_material_file(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*\.md", value):
        raise ValueError(f"讲义文件名只能由小写字母、数字和连字符组成,以 .md 结尾(实际为 '{value}')")
    return value


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(f"日期格式应为 YYYY-MM-DD,实际为 '{value}'")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"日期 '{value}' 不存在") from None
    return value


def _parse_month(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        value = str(value)  # a bare year such as 2019
    if isinstance(value, str) and not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", value):
        raise ValueError(f"时间格式应为 YYYY-MM(只知道年份时写 YYYY),实际为 '{value}'")
    return value


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
MaterialFile = Annotated[str, AfterValidator(_check_material_file)]
Date = Annotated[dt.date, BeforeValidator(_parse_date)]
Month = Annotated[str, BeforeValidator(_parse_month)]
Text = Annotated[str, AfterValidator(_no_blank)]
Count = Annotated[int, Field(ge=0)]


def internal(**kwargs):
    """A field that is internal-only: never rendered into the public build."""
    return Field(json_schema_extra={"internal": True}, **kwargs)


def named(internal_named: bool = False, **kwargs):
    """A field that may hold a person's name (someone inspected, sanctioned or reporting).
    Internal-only, and shown on no page of either build, unless declared internal_named=True:
    then the internal build may show it. Cases and trainings stay anonymised by default."""
    return Field(json_schema_extra={"internal": True, "named": True, "internal_named": internal_named}, **kwargs)


Audience = Literal["public", "internal"]
Kind = Literal["常规", "专项", "机动", "交叉", "提级", "巡乡带村", "直巡到村", "同类同巡", "下派组长"]
Integration = Literal["机制一体建", "队伍一体抓", "市县一体巡", "成果一体用"]
SunshineArea = Literal["阳光党务", "阳光政务", "阳光司法", "阳光村务", "阳光民生"]


class Record(BaseModel):
    """Base of every record: strict types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    id: Id
    sample: bool
    # None means "not stated": treated as internal and flagged by checks.py.
    audience: str | None = None

    @property
    def is_public(self) -> bool:
        return self.audience == "public"


class Part(BaseModel):
    """A nested part of a record (no id, audience or sample flag of its own)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# --- bodies and organisations ---------------------------------------------------


class Source(Record):
    title: Text
    author: str | None = None
    publication: Text
    path: str | None = None


class Body(Record):
    """An inspecting body: the city committee or a county/district/zone committee."""

    name: Text
    short_name: Text
    level: Literal["市", "县", "区", "功能区"]


class Organisation(Record):
    """An inspected party organisation."""

    name: Text
    kind: Literal["党组", "党委", "党工委", "乡镇党委", "街道党工委", "村党支部", "社区党组织", "国企党委", "学校党委"]
    level: Literal["市直", "县直", "乡镇", "村", "社区"]
    county: Id
    parent: Id | None = None
    sunshine: SunshineArea | None = None


# --- rounds ----------------------------------------------------------------------


class Announcement(Part):
    phone: Text
    mailbox: Text
    post_box: Text
    hours: Text
    reporting_from: Date
    reporting_until: Date

    @model_validator(mode="after")
    def _period(self) -> Announcement:
        if self.reporting_until < self.reporting_from:
            raise ValueError(f"受理举报的截止日期 {self.reporting_until} 早于开始日期 {self.reporting_from}")
        return self


class Target(Part):
    organisation: Id
    stationed: Date
    left: Date | None = None
    feedback: Date | None = None
    announcement: Announcement
    feedback_summary: Text | None = None
    problems_found: Count = 0
    leads_handed_over: Count = 0
    internal_notes: str | None = internal(default=None)

    @model_validator(mode="after")
    def _dates(self) -> Target:
        if self.left and self.left < self.stationed:
            raise ValueError(f"撤离日期 {self.left} 早于进驻日期 {self.stationed}")
        if self.feedback and self.feedback < self.stationed:
            raise ValueError(f"反馈日期 {self.feedback} 早于进驻日期 {self.stationed}")
        if self.feedback_summary and not self.feedback:
            raise ValueError("有反馈摘要却没有反馈日期")
        return self


class Team(Part):
    name: Text
    body: Id
    dispatched_leader: bool = False
    targets: list[Target] = Field(min_length=1)


class Round(Record):
    organiser: Id
    year: int = Field(ge=2000, le=2100)
    ordinal: int = Field(ge=1)
    kinds: list[Kind] = Field(min_length=1)
    theme: Text | None = None
    start: Date
    end: Date | None = None
    direct_supervision: bool = False
    teams: list[Team] = Field(min_length=1)
    internal_notes: str | None = internal(default=None)

    @model_validator(mode="after")
    def _consistency(self) -> Round:
        if "专项" in self.kinds and not self.theme:
            raise ValueError("专项巡察须写明主题(theme)")
        if self.end and self.end < self.start:
            raise ValueError(f"结束日期 {self.end} 早于开始日期 {self.start}")
        if self.start.year != self.year:
            raise ValueError(f"开始日期 {self.start} 不在 {self.year} 年")
        if len(set(self.kinds)) != len(self.kinds):
            raise ValueError("巡察类型重复")
        return self

    @property
    def targets(self) -> list[tuple[Team, Target]]:
        return [(team, target) for team in self.teams for target in team.targets]


# --- rectification and leads --------------------------------------------------------

ItemStatus = Literal["未启动", "整改中", "已完成"]


class RectificationItem(Record):
    round: Id
    organisation: Id
    category: Text
    priority: Literal["高", "中", "低"]
    description: Text
    owner_unit: Text
    deadline: Date
    revised_deadline: Date | None = None
    revision_reason: Text | None = None
    status: ItemStatus
    done: Date | None = None
    internal_notes: str | None = internal(default=None)

    @model_validator(mode="after")
    def _consistency(self) -> RectificationItem:
        if bool(self.revised_deadline) != bool(self.revision_reason):
            raise ValueError("调整整改时限须同时写明新时限(revised_deadline)和原因(revision_reason)")
        if self.revised_deadline and self.revised_deadline < self.deadline:
            raise ValueError(f"调整后的时限 {self.revised_deadline} 早于原定时限 {self.deadline}")
        if self.status == "已完成" and not self.done:
            raise ValueError("状态为已完成,须写明完成日期(done)")
        if self.done and self.status != "已完成":
            raise ValueError(f"有完成日期,状态却是 {self.status}")
        return self

    @property
    def current_deadline(self) -> dt.date:
        return self.revised_deadline or self.deadline


class LeadHandover(Record):
    """A problem lead handed over after an inspection. Internal: public only as counts."""

    round: Id
    organisation: Id
    handed_to: Literal["纪委监委", "组织部", "审计局", "其他"]
    handed: Date
    priority_handled: bool = False
    concluded: Date | None = None
    sanctioned: Count = 0
    organisational_handling: Count = 0
    judicial_transfers: Count = 0
    summary: str | None = internal(default=None)
    subject: str | None = named(default=None)  # the person a lead concerns: on no page at all

    @model_validator(mode="after")
    def _dates(self) -> LeadHandover:
        if self.concluded and self.concluded < self.handed:
            raise ValueError(f"办结日期 {self.concluded} 早于移交日期 {self.handed}")
        return self


# --- rules and trainings ------------------------------------------------------------------


class Revision(Part):
    """One version of a rule's text; `date` is the day this version took effect."""

    version: int = Field(ge=1)
    date: Date
    note: Text
    text: Text


class Rule(Record):
    title: Text
    document_number: Text | None = None
    issuer: Text
    doc_type: Literal["意见", "实施意见", "办法", "规定", "细则", "制度"]
    category: Integration
    issued: Date | None = None
    effective: Date | None = None
    status: Literal["尚未生效", "现行有效", "已修订", "已废止"]
    repealed: Date | None = None
    source: Id | None = None
    tags: list[Text] = []
    references: list[Id] = []
    revisions: list[Revision] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistency(self) -> Rule:
        versions = [r.version for r in self.revisions]
        if versions != list(range(1, len(versions) + 1)):
            raise ValueError("修订版本号须从 1 起连续编号")
        dates = [r.date for r in self.revisions]
        if dates != sorted(dates):
            raise ValueError("修订日期须按版本先后排列")
        if (self.status == "已废止") != bool(self.repealed):
            raise ValueError("已废止的制度须写明废止日期(repealed),未废止的不能有废止日期")
        if self.status == "已修订" and len(self.revisions) < 2:
            raise ValueError("状态为已修订,却只有一个版本")
        if self.issued and self.effective and self.effective < self.issued:
            raise ValueError(f"施行日期 {self.effective} 早于印发日期 {self.issued}")
        if self.repealed and self.issued and self.repealed < self.issued:
            raise ValueError(f"废止日期 {self.repealed} 早于印发日期 {self.issued}")
        if self.id in self.references:
            raise ValueError("制度不能引用自己")
        if self.status == "尚未生效" and not self.effective:
            raise ValueError("尚未生效的制度须写明施行日期(effective)")
        if self.repealed and dates[-1] > self.repealed:
            raise ValueError(f"第 {self.revisions[-1].version} 版的日期晚于废止日期 {self.repealed}")
        if self.issued and dates[0] < self.issued:
            raise ValueError(f"第 1 版的日期 {dates[0]} 早于印发日期 {self.issued}")
        return self

    @property
    def current(self) -> Revision:
        return self.revisions[-1]


class Material(Part):
    """Training material: plain text in `body`, or Markdown kept in a file of
    content/materials/ (`file`: its name), written by the office like the hand-written pages."""

    title: Text
    body: Text | None = None
    file: MaterialFile | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Material:
        if (self.body is None) == (self.file is None):
            raise ValueError("讲义须写 body(正文)或 file(content/materials/ 中的文件名)二者之一")
        return self


class AgendaItem(Part):
    time: Text
    activity: Text


class Coverage(Part):
    """The articles (第N条 of the current text) of one rule that a training covers."""

    rule: Id
    articles: list[Annotated[int, Field(ge=1)]] = Field(min_length=1)


class CaseRef(Part):
    """A round a training uses as a case, and the lesson drawn from it."""

    round: Id
    lesson: Text = internal()


class Question(Part):
    """A self-check question: options A, B, C...; the answer is explained by one rule article."""

    question: Text
    options: list[Text] = Field(min_length=2, max_length=6)
    answer: Literal["A", "B", "C", "D", "E", "F"]
    explanation: Text
    rule: Id
    article: int = Field(ge=1)

    @model_validator(mode="after")
    def _answer(self) -> Question:
        if "ABCDEF".index(self.answer) >= len(self.options):
            raise ValueError(f"答案 {self.answer} 超出选项范围(只有 {len(self.options)} 个选项)")
        if len(set(self.options)) != len(self.options):
            raise ValueError("选项重复")
        return self


class Training(Record):
    kind: Literal["集训", "巡察论坛"]
    ordinal: int = Field(ge=1)
    date: Date
    topic: Text
    attendees: Text
    agenda: list[AgendaItem] = []
    materials: list[Material] = []
    rules: list[Id] = []
    covers: list[Coverage] = []
    cases: list[CaseRef] = []
    questions: list[Question] = []
    speaker_notes: str | None = internal(default=None)


Role = Literal["新任巡察组成员", "巡察组组长", "巡察办主任"]


class Step(Part):
    """One step of a reading path: exactly one of a training, a rule or a case (a round used as a case)."""

    training: Id | None = None
    rule: Id | None = None
    case: Id | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _one(self) -> Step:
        if sum(x is not None for x in (self.training, self.rule, self.case)) != 1:
            raise ValueError("每一步须写且只写 training、rule、case 中的一项")
        return self

    @property
    def kind(self) -> str:
        return "training" if self.training else "rule" if self.rule else "case"

    @property
    def ref(self) -> str:
        return self.training or self.rule or self.case or ""


class Curriculum(Record):
    """A reading path for one role through trainings, rules and cases (internal only)."""

    role: Role
    title: Text
    intro: Text
    steps: list[Step] = Field(min_length=1)


# --- published figures and the timeline ------------------------------------------------------

Measure = Literal["count", "sum", "rate"]
# A list matches any of its values; a list-valued field matches if it contains the value.
Match = str | bool | int | list[str]


class Query(Part):
    """How a figure is recomputed from records (see generators/figures_check.py)."""

    records: Literal["rounds", "teams", "targets", "items", "leads"]
    where: dict[str, Match] = {}
    measure: Measure
    field: str | None = None
    numerator: dict[str, Match] | None = None

    @model_validator(mode="after")
    def _shape(self) -> Query:
        if self.measure == "sum" and not self.field:
            raise ValueError("measure 为 sum 时须写明 field")
        if self.measure == "rate" and not self.numerator:
            raise ValueError("measure 为 rate 时须写明 numerator")
        return self


class Figure(Record):
    statement: Text
    value: float | int
    unit: Text
    period: Text
    section: Integration
    source: Id
    backed_by: Query | None = None

    @model_validator(mode="after")
    def _range(self) -> Figure:
        if self.value < 0:
            raise ValueError("数值不能为负")
        if self.unit == "%" and self.value > 100:
            raise ValueError("百分比不能超过 100")
        return self


class Event(Record):
    month: Month
    title: Text
    detail: Text
    source: Id


class SiteInfo(Record):
    """data/site.yaml: one record with the data's as-of date."""

    title: Text
    as_of: Date


# data/FILE.yaml -> model of each record in it, in load order.
FILES: dict[str, type[Record]] = {
    "site": SiteInfo,
    "sources": Source,
    "bodies": Body,
    "organisations": Organisation,
    "rounds": Round,
    "items": RectificationItem,
    "leads": LeadHandover,
    "rules": Rule,
    "trainings": Training,
    "curricula": Curriculum,
    "figures": Figure,
    "timeline": Event,
}


# --- introspection: which fields hold free text, which are internal-only ------------------


def _flatten(annotation) -> list:
    import typing

    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, type(int | None)):
        return [a for arg in args for a in _flatten(arg)]
    return [annotation]


_NOT_TEXT = (_check_id, _check_material_file, _parse_date, _parse_month)  # str fields that are not free text


def _is_free_text(annotation, metadata) -> bool:
    import typing

    validators = list(metadata)
    for member in _flatten(annotation):
        if typing.get_origin(member) is Annotated:
            base, *extra = typing.get_args(member)
            if base is str and not any(getattr(v, "func", None) in _NOT_TEXT
                                       for v in extra + validators):
                return True
        elif member is str and not any(getattr(v, "func", None) in _NOT_TEXT
                                       for v in validators):
            return True
    return False


def free_text_fields(model: type[BaseModel]) -> list[str]:
    """Fields holding free text (not ids, dates, enumerations or numbers)."""
    skip = {"audience"}
    return [name for name, f in model.model_fields.items()
            if name not in skip and _is_free_text(f.annotation, f.metadata)]


def internal_fields(model: type[BaseModel]) -> list[str]:
    """Fields declared internal-only with internal()."""
    return [name for name, f in model.model_fields.items()
            if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get("internal")]


def named_fields(model: type[BaseModel]) -> dict[str, bool]:
    """Fields declared with named(): name -> whether the internal build may show it."""
    return {name: bool(f.json_schema_extra.get("internal_named")) for name, f in model.model_fields.items()
            if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get("named")}


def nested_models(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Fields holding a nested Part or a list of Parts, with the Part's model."""
    import typing

    out = {}
    for name, f in model.model_fields.items():
        for member in _flatten(f.annotation):
            inner = typing.get_args(member)[0] if typing.get_origin(member) is list else member
            if isinstance(inner, type) and issubclass(inner, Part):
                out[name] = inner
    return out
