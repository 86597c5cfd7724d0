"""Typed models of every record kind in data/.

Each YAML file in data/ is a list of records of one kind (see FILES). Field-level
rules live here; rules that span records (references, sums, dates across records)
live in generators/checks.py. Fields marked ``internal()`` never reach the public
build, whatever the record's audience.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from .labels import derived

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


# Every date and month of the data lies in these years: a slip such as 9999 or 0202 is refused.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_YEARS = f"{FIRST_YEAR} 至 {LAST_YEAR} 年"


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(f"日期格式应为 YYYY-MM-DD,实际为 '{value}'")
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"日期 '{value}' 不存在") from None
    if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"日期 {value} 不在 {_YEARS}之间;请检查年份")
    return value


def _parse_month(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= LAST_YEAR:
        value = str(value)  # a bare year such as 2019
    if isinstance(value, str) and not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", value):
        raise ValueError(f"时间格式应为 YYYY-MM(只知道年份时写 YYYY),实际为 '{value}'")
    if isinstance(value, str) and not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        raise ValueError(f"时间 {value} 不在 {_YEARS}之间;请检查年份")
    return value


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value


# each scalar type with the JSON Schema an editor checks as you type (schema/, generators/schema.py)
Id = Annotated[str, AfterValidator(_check_id),
               WithJsonSchema({"type": "string", "pattern": _ID_RE.pattern, "not": {"pattern": _PAGE_RE.pattern}})]
MaterialFile = Annotated[str, AfterValidator(_check_material_file),
                         WithJsonSchema({"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*\.md$"})]
Date = Annotated[dt.date, BeforeValidator(_parse_date),
                 WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]
Month = Annotated[str, BeforeValidator(_parse_month),
                  WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"^\d{4}(-(0[1-9]|1[0-2]))?$"},
                                            {"type": "integer", "minimum": 1900, "maximum": 2100}]})]
Text = Annotated[str, AfterValidator(_no_blank), WithJsonSchema({"type": "string", "pattern": r"\S"})]
Count = Annotated[int, Field(ge=0)]


def _parse_decimal(value: object) -> object:
    """A published number with its digits: 3650.40 (a YAML decimal or a quoted "3650.40")."""
    if isinstance(value, str):
        text = value.strip().removesuffix("%")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"应为数字,如 3650.40(实际为 '{value}')") from None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _non_negative(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise ValueError(f"应为不小于 0 的数(实际为 {value})")
    return value


def _percentage(value: Decimal) -> Decimal:
    if value > 100:
        raise ValueError(f"百分比不能超过 100(实际为 {value})")
    return value


# an amount as published, in 万元, with its digits (3650.40 keeps its trailing zero)
Amount = Annotated[Decimal, BeforeValidator(_parse_decimal), AfterValidator(_non_negative)]
# a rate as published, in %, with its decimals (97.35 is checked at two decimals)
PublishedRate = Annotated[Decimal, BeforeValidator(_parse_decimal), AfterValidator(_non_negative),
                          AfterValidator(_percentage)]


def places(value: Decimal | int) -> int:
    """How many decimals a published number was given with (97.35 -> 2, 97.4 -> 1, 98 -> 0)."""
    if isinstance(value, int):
        return 0
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def chain_within(whole: int, whole_label: str, parts: dict[str, int | None]) -> None:
    """Each of `parts` is at most `whole` (e.g. people sanctioned at most people filed)."""
    for label, part in parts.items():
        if part is not None and part > whole:
            raise ValueError(f"{label} {part} 多于{whole_label} {whole}")


def internal(**kwargs):
    """A field that is internal-only: never rendered into the public build."""
    return Field(json_schema_extra={"internal": True}, **kwargs)


def named(internal_named: bool = False, **kwargs):
    """A field that may hold a person's name (someone inspected, sanctioned or reporting).
    Internal-only, and shown on no page of either build, unless declared internal_named=True:
    then the internal build may show it. Cases and trainings stay anonymised by default."""
    return Field(json_schema_extra={"internal": True, "named": True, "internal_named": internal_named}, **kwargs)


Audience = Literal["public", "internal"]
Kind = Literal["常规", "专项", "机动", "交叉", "提级", "巡乡带村", "直巡到村", "同类同巡", "下派组长", "上下联动", "回头看"]
Integration = Literal["机制一体建", "队伍一体抓", "市县一体巡", "成果一体用"]
SunshineArea = Literal["阳光党务", "阳光政务", "阳光司法", "阳光村务", "阳光民生"]


class _GivenFields(set):
    """The names of the fields given to models, one set shared by every model given them: not
    to be changed (pydantic's serializer wants a set)."""

    def _refuse(self, *args: object) -> typing.NoReturn:
        raise TypeError("shared by many models: copy it to change it")

    add = update = discard = remove = pop = clear = _refuse
    difference_update = intersection_update = symmetric_difference_update = _refuse
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse


_FIELDS_SETS: dict[frozenset[str], _GivenFields] = {}


class _Model(BaseModel):
    """A frozen model whose set of the fields given (pydantic's `model_fields_set`, a new set per
    instance: more memory than the instances and their values together, 0.25 GiB at x100) is
    one set shared by every instance given the same fields."""

    def model_post_init(self, context: object, /) -> None:
        given = frozenset(self.__pydantic_fields_set__)
        shared = _FIELDS_SETS.get(given)
        if shared is None:
            shared = _FIELDS_SETS[given] = _GivenFields(given)
        object.__setattr__(self, "__pydantic_fields_set__", shared)

    def __copy__(self) -> Self:  # model_copy(update=...) adds to the copy's set: a set of its own
        copied = super().__copy__()
        object.__setattr__(copied, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        copied = super().__deepcopy__(memo)
        object.__setattr__(copied, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        return copied


class Record(_Model):
    """Base of every record: strict types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    id: Id = Field(title="编号", description="记录的编号:小写字母、数字和连字符,全文件唯一,发布后不要改")
    sample: bool = Field(title="示例数据", description="true 表示为演示而编写的示例数据(页面会标注“示例数据”),false 表示真实信息")
    # None means "not stated": treated as internal and flagged by checks.py.
    audience: str | None = Field(default=None, title="公开范围", description="public 可以进入公开网站;internal 只进内部网站",
                                 json_schema_extra={"enum": ["public", "internal"]})

    @property
    def is_public(self) -> bool:
        return self.audience == "public"


class Part(_Model):
    """A nested part of a record (no id, audience or sample flag of its own)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# --- bodies and organisations ---------------------------------------------------


class Source(Record):
    title: Text = Field(title="标题", description="信息来源的标题")
    author: str | None = Field(default=None, title="作者")
    publication: Text = Field(title="刊物", description="发表的刊物或网站")
    path: str | None = Field(default=None, title="文件", description="原文在 shared/seed/ 中的文件")


class Body(Record):
    """An inspecting body: the city committee or a county/district/zone committee."""

    name: Text = Field(title="名称", description="巡察主体的全称")
    short_name: Text = Field(title="简称", description="页面和标题中使用的简称")
    level: Literal["市", "县", "区", "功能区"] = Field(title="层级", description="市、县、区或功能区")


class Organisation(Record):
    """An inspected party organisation."""

    name: Text = Field(title="名称", description="被巡察党组织的全称")
    kind: Literal["党组", "党委", "党工委", "乡镇党委", "街道党工委", "村党支部", "社区党组织", "国企党委", "学校党委"] = Field(title="类别", description="党组、党委、村党支部等")
    level: Literal["市直", "县直", "乡镇", "村", "社区"] = Field(title="层级", description="市直、县直、乡镇、村或社区")
    county: Id = Field(title="所属县区", description="所属巡察主体的编号")
    parent: Id | None = Field(default=None, title="上级党组织", description="上级党组织的编号")
    sunshine: SunshineArea | None = Field(default=None, title="阳光漯河领域", description="阳光党务、政务、司法、村务或民生")


# --- rounds ----------------------------------------------------------------------


class Announcement(Part):
    phone: Text = Field(title="举报电话")
    mailbox: Text = Field(title="电子邮箱")
    post_box: Text = Field(title="邮政信箱")
    hours: Text = Field(title="受理时间")
    reporting_from: Date = Field(title="受理开始", description="开始受理来信来电的日期")
    reporting_until: Date = Field(title="受理截止", description="受理来信来电的截止日期")

    @model_validator(mode="after")
    def _period(self) -> Announcement:
        if self.reporting_until < self.reporting_from:
            raise ValueError(f"受理举报的截止日期 {self.reporting_until} 早于开始日期 {self.reporting_from}")
        return self


class Target(Part):
    organisation: Id = Field(title="被巡察党组织", description="被巡察党组织的编号")
    stationed: Date = Field(title="进驻日期")
    left: Date | None = Field(default=None, title="撤离日期")
    feedback: Date | None = Field(default=None, title="反馈日期")
    announcement: Announcement = Field(title="巡察公告", description="进驻时公布的举报方式和受理时间")
    feedback_summary: Text | None = Field(default=None, title="反馈摘要", description="反馈意见的公开摘要")
    kinds: list[Kind] | None = Field(default=None, title="本对象的巡察类型",
                                     description="一轮中混有常规、专项、上下联动等时,写本对象的类型;不写则同本轮")
    theme: Text | None = Field(default=None, title="本对象的专项主题", description="本对象为专项巡察时必填(不写则同本轮)")
    counts_as: int = Field(default=1, ge=1, title="计为被巡察党组织数",
                           description="一个专项巡察对象覆盖多个单位时写单位数,如某局及所属 25 个单位写 25")
    focus_only: bool = Field(default=False, title="重点了解", description="true:只作重点了解,不计为一次巡察")
    problems_found: Count = Field(default=0, title="发现问题", description="反馈时指出的问题数")
    leads_handed_over: Count = Field(default=0, title="移交问题线索", description="移交的问题线索数,须与 leads.yaml 中的条数一致")
    internal_notes: str | None = internal(default=None, title="内部备注", description="只进内部网站")

    @model_validator(mode="after")
    def _dates(self) -> Target:
        if self.left and self.left < self.stationed:
            raise ValueError(f"撤离日期 {self.left} 早于进驻日期 {self.stationed}")
        if self.feedback and self.feedback < self.stationed:
            raise ValueError(f"反馈日期 {self.feedback} 早于进驻日期 {self.stationed}")
        if self.feedback_summary and not self.feedback:
            raise ValueError("有反馈摘要却没有反馈日期")
        if self.kinds and "专项" in self.kinds and not self.theme:
            raise ValueError("本对象为专项巡察,须写明主题(theme)")
        if self.focus_only and self.counts_as != 1:
            raise ValueError("重点了解的对象不计为巡察,不能写计为被巡察党组织数(counts_as)")
        return self

    @property
    def counted(self) -> int:
        """How many inspected party organisations this target counts as (0 for 重点了解)."""
        return 0 if self.focus_only else self.counts_as


class Team(Part):
    name: Text = Field(title="巡察组", description="巡察组的名称,如第一巡察组")
    body: Id = Field(title="巡察组所属", description="巡察组所属巡察主体的编号")
    dispatched_leader: bool = Field(default=False, title="市委下派组长", description="组长是否由市委下派")
    targets: list[Target] = Field(min_length=1, title="巡察对象")


class Round(Record):
    organiser: Id = Field(title="组织者", description="组织本轮巡察的巡察主体编号")
    term: Text | None = Field(default=None, title="届次",
                              description="公告中的届次,如“十一届”:写了就按“十一届市委第五轮巡察”称呼本轮")
    year: int = Field(ge=2000, le=2100, title="年份")
    ordinal: int = Field(ge=1, title="轮次", description="当年第几轮;写了届次(term)时为本届第几轮")
    kinds: list[Kind] = Field(min_length=1, title="巡察类型", description="常规、专项、机动、交叉等")
    theme: Text | None = Field(default=None, title="专项主题", description="专项巡察必填")
    start: Date = Field(title="开始日期")
    end: Date | None = Field(default=None, title="结束日期")
    direct_supervision: bool = Field(default=False, title="巡后直督", description="是否巡后直督")
    teams: list[Team] = Field(min_length=1, title="巡察组与对象")
    internal_notes: str | None = internal(default=None, title="内部备注", description="只进内部网站")

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

# Item statuses: the ledger's workflow (未启动, 整改中) and the states real notices publish.
# Each is declared once, with its meaning and the notice total it counts in (Totals below);
# every count, rate, chart and filter uses this set.
ItemStatus = Literal["未启动", "整改中", "申请延期", "未完成", "基本完成、持续整改", "需长期坚持", "已完成"]
ITEM_STATUSES: tuple[str, ...] = typing.get_args(ItemStatus)
# The problem categories of a rectification item: a closed list, so that a typo or a new
# wording does not become a new filter option or a new line in the statistics.
ItemCategory = Literal["贯彻落实党的路线方针政策不到位", "全面从严治党主体责任落实不力", "选人用人和班子建设问题",
                       "基层党组织建设薄弱", "违反中央八项规定精神", "群众身边腐败和作风问题", "巡察整改落实不到位"]
ITEM_CATEGORIES: tuple[str, ...] = typing.get_args(ItemCategory)
STATUS_MEANINGS: dict[str, str] = {
    "未启动": "尚未开始整改",
    "整改中": "正在整改",
    "申请延期": "经批准延长整改时限,须写明调整后时限和原因",
    "未完成": "到期未能完成,须写明原因",
    "基本完成、持续整改": "主要任务已完成,仍在持续整改、巩固成效",
    "需长期坚持": "需要长期坚持、久久为功的事项",
    "已完成": "整改到位,已销号",
}
# the notice total each status counts in (Totals' fields)
STATUS_TOTALS: dict[str, str] = {
    "未启动": "not_completed", "整改中": "not_completed", "申请延期": "not_completed", "未完成": "not_completed",
    "基本完成、持续整改": "basically_completed", "需长期坚持": "long_term", "已完成": "completed",
}
# still open: an open item past its (revised) deadline is overdue
OPEN_STATUSES: frozenset[str] = frozenset(s for s, total in STATUS_TOTALS.items() if total == "not_completed")


class StatusChange(Part):
    """One dated step of an item's progress, as the office records it (and the public sees it)."""

    date: Date = Field(title="日期")
    status: ItemStatus = Field(title="状态", description="这一天起的状态")
    note: Text | None = Field(default=None, title="进展说明", description="公开的进展说明")


class RectificationItem(Record):
    round: Id = Field(title="巡察轮次", description="所属轮次的编号")
    organisation: Id = Field(title="被巡察党组织", description="被巡察党组织的编号")
    category: ItemCategory = Field(title="问题类别", description="问题类别,从规定的类别中选一个")
    priority: Literal["高", "中", "低"] = Field(title="优先级", description="高、中或低")
    description: Text = Field(title="整改事项", description="需要整改的问题")
    owner_unit: Text = Field(title="责任单位")
    deadline: Date = Field(title="原定时限", description="最初确定的整改时限")
    revised_deadline: Date | None = Field(default=None, title="调整后时限", description="经批准调整后的整改时限")
    revision_reason: Text | None = Field(default=None, title="调整原因", description="调整时限的原因")
    status: ItemStatus = Field(title="状态", description="未启动、整改中、申请延期、未完成、基本完成、持续整改、需长期坚持或已完成")
    done: Date | None = Field(default=None, title="完成日期", description="已完成时必填")
    unfinished_reason: Text | None = Field(default=None, title="未完成原因", description="状态为未完成时必填")
    history: list[StatusChange] = Field(default=[], title="整改进展",
                                        description="按日期记录的状态变化:date、status、note;最后一条须与当前状态一致")
    internal_notes: str | None = internal(default=None, title="内部备注", description="只进内部网站")

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
        if self.status == "申请延期" and not self.revised_deadline:
            raise ValueError("状态为申请延期,须写明调整后时限(revised_deadline)和原因(revision_reason)")
        if (self.status == "未完成") != bool(self.unfinished_reason):
            raise ValueError("状态为未完成时须写明原因(unfinished_reason),其他状态不写")
        if self.history:
            dates = [h.date for h in self.history]
            if dates != sorted(dates):
                raise ValueError("整改进展须按日期先后排列")
            last = self.history[-1]
            if last.status != self.status:
                raise ValueError(f"整改进展的最后一条状态为 {last.status},与当前状态 {self.status} 不一致")
            if self.done and last.date != self.done:
                raise ValueError(f"整改进展中完成的日期 {last.date} 与完成日期 {self.done} 不一致")
        return self

    def status_on(self, day: dt.date) -> str:
        """The item's status on a day: from its dated history, else from its completion date
        (an item completed after `day` was still being rectified then)."""
        if self.history:
            earlier = [h.status for h in self.history if h.date <= day]
            return earlier[-1] if earlier else "未启动"
        if self.status == "已完成" and self.done and self.done > day:
            return "整改中"
        return self.status

    @derived("整改时限", "调整后时限;未调整时为原定时限")
    def current_deadline(self) -> dt.date:
        return self.revised_deadline or self.deadline


class LeadHandover(Record):
    """A problem lead handed over after an inspection. Internal: public only as counts."""

    round: Id = Field(title="巡察轮次", description="所属轮次的编号")
    organisation: Id = Field(title="被巡察党组织", description="被巡察党组织的编号")
    handed_to: Literal["纪委监委", "组织部", "审计局", "其他"] = Field(title="移交对象", description="纪委监委、组织部、审计局或其他")
    handed: Date = Field(title="移交日期")
    priority_handled: bool = Field(default=False, title="优先处置")
    concluded: Date | None = Field(default=None, title="办结日期")
    filed: Count | None = Field(default=None, title="立案", description="立案审查调查的人数;不写为未知")
    sanctioned: Count = Field(default=0, title="党纪政务处分", description="给予党纪政务处分的人数")
    organisational_handling: Count = Field(default=0, title="组织处理", description="组织处理的人数")
    judicial_transfers: Count = Field(default=0, title="移送司法机关", description="移送司法机关的人数")
    summary: str | None = internal(default=None, title="线索摘要", description="只进内部网站")
    subject: str | None = named(default=None, title="涉及人员", description="不在任何页面显示")  # the person a lead concerns: on no page at all

    @derived("已办结", "有办结日期")
    def is_concluded(self) -> bool:
        return self.concluded is not None

    @model_validator(mode="after")
    def _dates(self) -> LeadHandover:
        if self.concluded and self.concluded < self.handed:
            raise ValueError(f"办结日期 {self.concluded} 早于移交日期 {self.handed}")
        if self.filed is not None:
            chain_within(self.filed, "立案", {"党纪政务处分": self.sanctioned, "移送司法机关": self.judicial_transfers})
        return self


# --- rules and trainings ------------------------------------------------------------------


class Revision(Part):
    """One version of a rule's text; `date` is the day this version took effect."""

    version: int = Field(ge=1, title="版本号", description="从 1 起连续")
    date: Date = Field(title="施行日期", description="该版本开始施行的日期")
    note: Text = Field(title="修订说明")
    text: Text = Field(title="全文", description="每条一行,以“第一条”等开头")


class Rule(Record):
    title: Text = Field(title="标题", description="制度的完整标题")
    document_number: Text | None = Field(default=None, title="文号")
    issuer: Text = Field(title="制定机关")
    doc_type: Literal["意见", "实施意见", "办法", "规定", "细则", "制度"] = Field(title="文件类型", description="意见、实施意见、办法、规定、细则或制度")
    category: Integration = Field(title="类别", description="四个一体之一")
    issued: Date | None = Field(default=None, title="印发日期")
    effective: Date | None = Field(default=None, title="施行日期")
    status: Literal["尚未生效", "现行有效", "已修订", "已废止"] = Field(title="状态", description="尚未生效、现行有效、已修订或已废止")
    repealed: Date | None = Field(default=None, title="废止日期", description="当天起不再施行")
    source: Id | None = Field(default=None, title="来源", description="信息来源的编号")
    tags: list[Text] = Field(default=[], title="标签")
    references: list[Id] = Field(default=[], title="引用", description="引用的制度编号")
    revisions: list[Revision] = Field(min_length=1, title="版本与全文")

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

    @derived("版本数", "制度已有的版本数")
    def version_count(self) -> int:
        return len(self.revisions)



class Material(Part):
    """Training material: plain text in `body`, or Markdown kept in a file of
    content/materials/ (`file`: its name), written by the office like the hand-written pages."""

    title: Text = Field(title="讲义标题")
    body: Text | None = Field(default=None, title="正文", description="纯文字讲义")
    file: MaterialFile | None = Field(default=None, title="讲义文件", description="content/materials/ 中的 Markdown 文件名")

    @model_validator(mode="after")
    def _one_source(self) -> Material:
        if (self.body is None) == (self.file is None):
            raise ValueError("讲义须写 body(正文)或 file(content/materials/ 中的文件名)二者之一")
        return self


class AgendaItem(Part):
    time: Text = Field(title="时间", description="如 08:30—09:00")
    activity: Text = Field(title="内容")


class Coverage(Part):
    """The articles (第N条 of the current text) of one rule that a training covers."""

    rule: Id = Field(title="制度", description="须已列入本培训的 rules")
    articles: list[Annotated[int, Field(ge=1)]] = Field(min_length=1, title="条号", description="现行文本的条号列表,如 [3, 5]")


class CaseRef(Part):
    """A round a training uses as a case, and the lesson drawn from it."""

    round: Id = Field(title="案例轮次", description="用作案例的轮次编号(须已有反馈)")
    lesson: Text = internal(title="启示", description="从中得出的启示(内部)")


class Question(Part):
    """A self-check question: options A, B, C...; the answer is explained by one rule article."""

    question: Text = Field(title="题目")
    options: list[Text] = Field(min_length=2, max_length=6, title="选项", description="2—6 个,依次为 A、B、C…")
    answer: Literal["A", "B", "C", "D", "E", "F"] = Field(title="答案", description="正确选项的字母")
    explanation: Text = Field(title="解析")
    rule: Id = Field(title="依据制度", description="须已列入本培训的 rules")
    article: int = Field(ge=1, title="依据条号")

    @model_validator(mode="after")
    def _answer(self) -> Question:
        if "ABCDEF".index(self.answer) >= len(self.options):
            raise ValueError(f"答案 {self.answer} 超出选项范围(只有 {len(self.options)} 个选项)")
        if len(set(self.options)) != len(self.options):
            raise ValueError("选项重复")
        return self


class Training(Record):
    kind: Literal["集训", "巡察论坛"] = Field(title="类别", description="集训或巡察论坛")
    ordinal: int = Field(ge=1, title="期次")
    date: Date = Field(title="日期")
    topic: Text = Field(title="主题")
    attendees: Text = Field(title="培训对象")
    agenda: list[AgendaItem] = Field(default=[], title="议程")
    materials: list[Material] = Field(default=[], title="讲义")
    rules: list[Id] = Field(default=[], title="讲授的制度", description="制度编号")
    covers: list[Coverage] = Field(default=[], title="讲授的条款")
    cases: list[CaseRef] = Field(default=[], title="案例")
    questions: list[Question] = Field(default=[], title="自测题")
    speaker_notes: str | None = internal(default=None, title="讲者备注", description="只进内部网站")


Role = Literal["新任巡察组成员", "巡察组组长", "巡察办主任"]


class Step(Part):
    """One step of a reading path: exactly one of a training, a rule or a case (a round used as a case)."""

    training: Id | None = Field(default=None, title="培训", description="培训编号")
    rule: Id | None = Field(default=None, title="制度", description="制度编号")
    case: Id | None = Field(default=None, title="案例", description="用作案例的轮次编号")
    note: Text | None = Field(default=None, title="提示")

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

    role: Role = Field(title="岗位")
    title: Text = Field(title="标题")
    intro: Text = Field(title="说明")
    steps: list[Step] = Field(min_length=1, title="步骤", description="按阅读顺序排列")


# --- notices: what inspection offices publish ---------------------------------------------

NoticeKind = Literal["巡察公告", "反馈情况", "整改进展情况", "整改情况通报"]
NOTICE_KINDS: tuple[str, ...] = typing.get_args(NoticeKind)


class Totals(Part):
    """The figures of a rectification notice, each as published; a figure not published is
    left out (unknown), never written as 0."""

    problems: Count | None = Field(default=None, title="反馈问题", description="巡察反馈的问题数")
    completed: Count | None = Field(default=None, title="已完成", description="已完成整改的问题数")
    basically_completed: Count | None = Field(default=None, title="基本完成、持续整改",
                                              description="基本完成、仍在持续整改的问题数")
    long_term: Count | None = Field(default=None, title="需长期坚持", description="需长期坚持整改的问题数")
    not_completed: Count | None = Field(default=None, title="未完成", description="尚未完成的问题数(含正在整改的)")
    rate: PublishedRate | None = Field(default=None, title="整改完成率",
                                       description="公布的完成率(%),照录小数位数,如 97.35;按 已完成 ÷ 反馈问题 四舍五入核对")

    @model_validator(mode="after")
    def _consistent(self) -> Totals:
        parts = {name: getattr(self, name) for name in ("completed", "basically_completed", "long_term", "not_completed")}
        given = {k: v for k, v in parts.items() if v is not None}
        if self.problems is not None and sum(given.values()) > self.problems:
            shown = "+".join(f"{Totals.model_fields[k].title} {v}" for k, v in given.items())
            raise ValueError(f"{shown} 多于反馈问题 {self.problems}")
        if self.problems is not None and len(given) == 4 and sum(given.values()) != self.problems:
            raise ValueError(f"各项合计 {sum(given.values())} 与反馈问题 {self.problems} 不符")
        return self


class Outcomes(Part):
    """What rectification produced, as a notice publishes it: systems, meetings, money (万元,
    with the published digits) and people or cases handled. Unpublished is unknown."""

    systems: Count | None = Field(default=None, title="建章立制", description="建立或修订的制度数(项)")
    democratic_life_meetings: Count | None = Field(default=None, title="专题民主生活会", description="召开的专题民主生活会(次)")
    study_sessions: Count | None = Field(default=None, title="专题学习", description="开展的专题学习(次)")
    funds_returned: Amount | None = Field(default=None, title="清退资金(万元)", description="照录小数位数,如 12.508")
    funds_recovered: Amount | None = Field(default=None, title="追缴资金(万元)", description="照录小数位数,如 3650.40")
    losses_retrieved: Amount | None = Field(default=None, title="挽回损失(万元)", description="照录小数位数")
    filed: Count | None = Field(default=None, title="立案", description="立案(件)")
    sanctioned: Count | None = Field(default=None, title="党纪政务处分", description="给予党纪政务处分(人)")
    organisational_handling: Count | None = Field(default=None, title="组织处理", description="组织处理(人)")
    admonished: Count | None = Field(default=None, title="诫勉谈话", description="诫勉谈话(人)")
    criticised: Count | None = Field(default=None, title="批评教育", description="批评教育(人)")
    reminded: Count | None = Field(default=None, title="提醒谈话", description="提醒谈话(人)")
    judicial: Count | None = Field(default=None, title="移送司法机关", description="移送司法机关(人)")

    @model_validator(mode="after")
    def _chain(self) -> Outcomes:
        if self.filed is not None:
            chain_within(self.filed, "立案", {"党纪政务处分": self.sanctioned, "移送司法机关": self.judicial})
        return self


class NoticeMeasure(Part):
    category: Text = Field(title="问题类别", description="反馈问题的类别(不写人名)")
    measures: Text = Field(title="整改措施和进展")


class Contact(Part):
    """Where the public sends opinions on rectification (the notice's closing invitation)."""

    phone: Text | None = Field(default=None, title="联系电话")
    post_box: Text | None = Field(default=None, title="邮政信箱")
    email: Text | None = Field(default=None, title="电子邮箱")


class Notice(Record):
    """A notice as an inspecting body or an inspected organisation publishes it: at
    stationing (巡察公告), at feedback (反馈情况), and on rectification (整改进展情况 by the
    organisation, 整改情况通报 for a whole round). Its figures stand as of its date."""

    kind: NoticeKind = Field(title="通知类别", description="巡察公告、反馈情况、整改进展情况或整改情况通报")
    round: Id = Field(title="巡察轮次", description="所属轮次的编号")
    organisation: Id | None = Field(default=None, title="被巡察党组织",
                                    description="被巡察党组织的编号;整改情况通报等面向全轮的通知不写")
    date: Date = Field(title="发布日期")
    publisher: Text = Field(title="发布单位", description="落款单位,如 中共漯河市委巡察工作领导小组办公室")
    title: Text | None = Field(default=None, title="标题", description="不写则按通知类别和对象生成")
    intro: Text | None = Field(default=None, title="导语")
    attendees: Text | None = Field(default=None, title="参加人员", description="反馈会议参加人员(写职务,不写姓名)")
    problems_summary: list[Text] = Field(default=[], title="发现的主要问题", description="按类别写,不写人名")
    recommendations: list[Text] = Field(default=[], title="意见建议")
    organising: Text | None = Field(default=None, title="整改组织情况", description="会议、领导小组、问题清单、任务清单、责任清单等")
    measures: list[NoticeMeasure] = Field(default=[], title="整改措施和进展", description="每个问题类别的措施和进展")
    totals: Totals | None = Field(default=None, title="整改数字", description="反馈问题、已完成、基本完成等,照公布的写")
    outcomes: Outcomes | None = Field(default=None, title="整改成果", description="建章立制、资金、处理人数等,照公布的写")
    next_steps: Text | None = Field(default=None, title="下一步工作")
    contact: Contact | None = Field(default=None, title="监督联系方式", description="欢迎社会监督的电话、信箱、邮箱")
    internal_notes: str | None = internal(default=None, title="内部备注", description="只进内部网站")

    @model_validator(mode="after")
    def _by_kind(self) -> Notice:
        if self.kind in ("巡察公告", "反馈情况", "整改进展情况") and not self.organisation:
            raise ValueError(f"{self.kind}须写明被巡察党组织(organisation)")
        return self


# --- the article's systems and their records (data/systems.yaml, data/system_records.yaml) ---

# Each kind of record a system keeps; each belongs to one system (systems.yaml's `kinds`).
RecordKind = Literal["书记专题会", "全市巡察工作会议", "全市反馈大会", "编委会专题会议", "四方会审", "协作部门",
                     "成果运用", "成效评估", "活动年", "任前审核", "整建制抽调", "人才库", "统一部署", "专项整治",
                     "专项提升行动", "专题民主生活会"]
EvaluationKind = Literal["市委考评", "会议点评", "系统自评", "部门联评", "巡后评估", "群众评议"]


class System(Record):
    """A system (机制) of the article: what it is, the rules that establish it, the kinds of
    record it keeps. Its records are in system_records.yaml."""

    name: Text = Field(title="名称", description="文章中的名称,如 书记推动")
    section: Integration = Field(title="所属部分", description="四个一体之一")
    statement: Text = Field(title="文章表述", description="文章中介绍这一机制的原句")
    summary: Text = Field(title="做法", description="这一机制怎样运行(内部学习用)")
    rules: list[Id] = Field(default=[], title="依据制度", description="建立这一机制的制度编号(rules.yaml)")
    kinds: list[RecordKind] = Field(min_length=1, title="记录类别", description="这一机制留下的记录类别")
    figures: list[Id] = Field(default=[], title="文章数字", description="文章中关于这一机制的数字(figures.yaml 的编号)")
    source: Id = Field(title="来源", description="信息来源的编号")


class SystemRecord(Record):
    """One record of a system at work: a meeting, a joint review, an evaluation, a campaign, a
    secondment. Participants are units, posts or counts: no field holds a person's name."""

    system: Id = Field(title="所属机制", description="systems.yaml 中机制的编号")
    kind: RecordKind = Field(title="记录类别", description="须是所属机制的记录类别之一")
    title: Text = Field(title="名称", description="如 2019年第3次书记专题会暨巡察工作领导小组会")
    date: Date | None = Field(default=None, title="日期", description="召开或开始的日期;只知道时段时不写,写 period")
    until: Date | None = Field(default=None, title="结束日期", description="持续一段时间的(活动、整治)写")
    period: Text | None = Field(default=None, title="时段", description="不知道日期时写,如 2018年3月以来")
    body: Id | None = Field(default=None, title="巡察主体", description="召开、组织或派出的巡察主体编号(bodies.yaml)")
    units: list[Text] = Field(default=[], title="参加单位", description="写单位名称,不写人名")
    attendance: Text | None = Field(default=None, title="参加人员", description="写职务或范围,如 市县党政一把手和分管领导;不写姓名")
    evaluation: EvaluationKind | None = Field(default=None, title="评价方式", description="成效评估必填:六评之一")
    receives: Literal["纪委监委", "组织部", "审计局", "其他"] | None = Field(
        default=None, title="接收移交", description="协作部门接收的问题线索(与 leads.yaml 的移交对象对应)")
    reports_rectification: Count | None = Field(default=None, title="听取整改汇报", description="听取巡察整改情况汇报的党组织数(个)")
    reports_inspection: Count | None = Field(default=None, title="听取巡察汇报", description="听取巡察情况汇报的党组织数(个)")
    matters: Count | None = Field(default=None, title="点人点事点问题", description="点人点事点问题的件数")
    teams: Count | None = Field(default=None, title="巡察组", description="增设或抽调的巡察组数(个)")
    posts: Count | None = Field(default=None, title="增加编制", description="增加的编制数(人)")
    person_times: Count | None = Field(default=None, title="人次", description="审核、抽调或运用的人次")
    members: Count | None = Field(default=None, title="入库人数", description="人才库中的人数")
    rounds: list[Id] = Field(default=[], title="相关轮次", description="巡察轮次编号")
    organisations: list[Id] = Field(default=[], title="相关党组织", description="被巡察党组织编号")
    items: list[Id] = Field(default=[], title="相关整改事项", description="整改事项编号")
    rules: list[Id] = Field(default=[], title="相关制度", description="制度编号")
    summary: Text | None = Field(default=None, title="内容", description="做了什么、结果如何(不写人名)")
    source: Id | None = Field(default=None, title="来源", description="转录文章等出版物时写信息来源的编号")
    internal_notes: str | None = internal(default=None, title="内部备注", description="只进内部网站")

    @model_validator(mode="after")
    def _consistency(self) -> SystemRecord:
        if self.date is None and self.period is None:
            raise ValueError("须写日期(date)或时段(period)")
        if self.until and (self.date is None or self.until < self.date):
            raise ValueError(f"结束日期 {self.until} 早于开始日期 {self.date}" if self.date else "写了结束日期,须写开始日期(date)")
        if (self.kind == "成效评估") != (self.evaluation is not None):
            raise ValueError("成效评估须写明评价方式(evaluation),其他记录不写")
        return self


# --- published figures and the timeline ------------------------------------------------------

Measure = Literal["count", "sum", "rate"]
# A list matches any of its values; a list-valued field matches if it contains the value.
Match = str | bool | int | list[str]


class Query(Part):
    """How a figure is recomputed from records (see generators/figures_check.py)."""

    records: Literal["rounds", "teams", "targets", "items", "leads", "system_records"] = Field(
        title="记录类别", description="rounds、teams、targets、items、leads 或 system_records")
    where: dict[str, Match] = Field(default={}, title="条件")
    measure: Measure = Field(title="计算方式", description="count 条数、sum 求和或 rate 比例")
    field: str | None = Field(default=None, title="求和字段", description="measure 为 sum 时必填")
    numerator: dict[str, Match] | None = Field(default=None, title="分子条件", description="measure 为 rate 时必填")

    @model_validator(mode="after")
    def _shape(self) -> Query:
        if self.measure == "sum" and not self.field:
            raise ValueError("measure 为 sum 时须写明 field")
        if self.measure == "rate" and not self.numerator:
            raise ValueError("measure 为 rate 时须写明 numerator")
        return self


class Figure(Record):
    statement: Text = Field(title="文章表述", description="原文表述")
    value: Decimal | int = Field(title="数值", description="按文章写法照录,小数位数即公布的精度(如 97.35、3650.40)")
    unit: Text = Field(title="单位")
    period: Text = Field(title="时段")
    section: Integration = Field(title="所属部分", description="四个一体之一")
    source: Id = Field(title="来源", description="信息来源的编号")
    backed_by: Query | None = Field(default=None, title="复核方式", description="如何由记录复核")

    @model_validator(mode="after")
    def _range(self) -> Figure:
        if self.value < 0:
            raise ValueError("数值不能为负")
        if self.unit == "%" and self.value > 100:
            raise ValueError("百分比不能超过 100")
        return self

    @derived("已由记录复核", "构建时由记录重新计算并与文章核对")
    def checked_against_records(self) -> bool:
        return self.backed_by is not None


class Event(Record):
    month: Month = Field(title="时间", description="YYYY-MM,只知道年份时写 YYYY")
    title: Text = Field(title="事件")
    detail: Text = Field(title="详情")
    source: Id = Field(title="来源", description="信息来源的编号")


class Hotline(Part):
    """A reporting line for everyone, shown on the home page and wherever reporting is explained."""

    name: Text = Field(title="名称", description="如 全国纪检监察举报电话")
    phone: Text = Field(title="电话号码", description="如 12388(页面上可点击拨打)")
    note: Text | None = Field(default=None, title="说明", description="一句话说明受理什么、怎样拨打")


class SiteInfo(Record):
    """data/site.yaml: one record with the data's as-of date."""

    title: Text = Field(title="网站名称")
    as_of: Date = Field(title="数据截至日期", description="页面上的阶段、时限和状态都按这一天计算")
    hotline: Hotline | None = Field(default=None, title="全国举报电话",
                                    description="首页、正在巡察和如何反映问题页显示的全国统一举报电话(12388)")


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
    "notices": Notice,
    "systems": System,
    "system_records": SystemRecord,
}
# files that may be absent (no records of that kind yet)
OPTIONAL_FILES: frozenset[str] = frozenset({"notices", "systems", "system_records"})


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

    out: dict[str, type[BaseModel]] = {}
    for name, f in model.model_fields.items():
        for member in _flatten(f.annotation):
            inner = typing.get_args(member)[0] if typing.get_origin(member) is list else member
            if isinstance(inner, type) and issubclass(inner, Part):
                out[name] = inner
    return out
