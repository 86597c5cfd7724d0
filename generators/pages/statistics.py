"""Statistics: the article's headline figures, and figures computed from the records, with charts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..audience import Page, visible
from ..charts import bar_chart
from ..dataset import Dataset
from ..inspections import cross_vs_regular, inspections, tally_by, total
from ..model import ITEM_STATUSES, STATUS_MEANINGS
from ..numbers import percent
from ..render import link, markdown
from .figures import display
from .inspections import is_sample

HEADLINE = ["f-direct-supervision-rounds", "f-direct-supervision-items", "f-direct-supervision-completion",
            "f-direct-supervision-leads-concluded", "f-direct-supervision-leads-rate", "f-cross-problems-ratio",
            "f-cross-sanctions-ratio"]


def _table_rows(groups: dict) -> list[dict]:
    return [{"name": name, "t": t, "conclusion": percent(t.conclusion_rate),
             "completion": percent(t.completion_rate)} for name, t in groups.items()]


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    sources = ds.by_id("sources")
    xs = inspections(ds, audience)
    done = [x for x in xs if x.target.feedback]
    by_year = tally_by(done, lambda x: str(x.round.year))
    by_county = tally_by(done, lambda x: x.county)
    by_kind = tally_by(done, lambda x: x.kinds)
    figures = {f.id: f for f in ds.figures if visible(f, audience)}
    headline = [{"fig": figures[i], "display": display(figures[i]),
                 "source": f"{sources[figures[i].source].publication}"} for i in HEADLINE if i in figures]
    cmp = cross_vs_regular(xs)
    ratio_ids = ["f-cross-problems-ratio", "f-cross-sanctions-ratio"]
    ratios = [display(figures[i]) for i in ratio_ids] if all(i in figures for i in ratio_ids) else []
    charts = {
        "problems_year": bar_chart("chart-problems-year", "各年度发现问题数(个)",
                                   [(k, t.problems) for k, t in by_year.items()]),
        "completion_year": bar_chart("chart-completion-year", "各年度整改完成率(%)",
                                     [(k, t.completion_rate) for k, t in by_year.items()
                                      if t.completion_rate is not None], "%"),  # unknown is not 0
        "county": bar_chart("chart-county", "各县区被巡察次数(次)",
                            [(k, t.inspections) for k, t in by_county.items()]),
    }
    all_total = total(done)
    counted: Counter[str] = Counter(i.status for x in done for i in x.rect_items)
    yield Page("statistics.md", markdown(
        "statistics.md.j2", "统计", as_of=ds.as_of, headline=headline,
        figures_link=link("文章中的数字", "figures.md"), total=all_total,
        total_conclusion=percent(all_total.conclusion_rate), total_completion=percent(all_total.completion_rate),
        years=_table_rows(by_year), counties=_table_rows(by_county), kinds=_table_rows(by_kind),
        charts=charts, cmp=cmp, ratios=ratios, any_sample=any(is_sample(x) for x in xs),
        statuses=[{"name": s, "meaning": STATUS_MEANINGS[s], "count": counted[s]}
                  for s in ITEM_STATUSES],
        download=link("statistics.json", "open-data/statistics.json"),
    ), audience)
