"""What changed between two editions: a pure comparison of two Datasets, by id.

`changes(old, new, audience)` compares the records one build may show (rounds,
rectification items, rules and figures) and returns every record added, changed
or removed, sorted by kind and id. For the public audience it compares only what
the public site shows: public records, without internal-only fields, rounds
without the targets whose organisation is internal, and rules' references without
the rules the public site does not show; so an internal edit never appears as a
change in the public changelog. `page()` renders the changes as the
edition's "本版变化" page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .audience import Page, visible
from .dataset import Dataset
from .inspections import round_title
from .labels import title
from .model import FILES, free_text_fields, internal_fields, nested_models
from .render import link, markdown

# record kind -> heading on the page; the order of the sections
KINDS = {"rounds": "巡察轮次", "items": "整改事项", "notices": "公告和通报", "rules": "制度规范", "figures": "文章中的数字"}
ACTIONS = {"added": "新增", "changed": "修改", "removed": "删除"}


def label(kind: str, name: str) -> str:
    """A changed field as readers know it: the model's declared title (generators/labels.py)."""
    return title(FILES[kind], name)


@dataclass(frozen=True, order=True)
class Change:
    kind: str  # a key of KINDS
    id: str
    action: str  # "added", "changed" or "removed"
    label: str  # the record's title as readers know it
    fields: tuple[str, ...] = ()  # changed fields, for "changed"
    values: tuple[tuple[str, str, str], ...] = ()  # (field, old, new) of short changed values
    sample: bool = False


@cache
def _shape(model) -> tuple[frozenset[str], tuple]:
    """(internal-only fields, nested parts) of a model, looked up once."""
    return frozenset(internal_fields(model)), tuple(sorted(nested_models(model).items()))


def _strip(model, data: dict) -> dict:
    """The record as the public build sees it: internal-only fields removed, recursively."""
    hidden, nested = _shape(model)
    out = {k: v for k, v in data.items() if k not in hidden}
    for name, sub in nested:
        value = out.get(name)
        if isinstance(value, list):
            out[name] = [_strip(sub, v) for v in value]
        elif isinstance(value, dict):
            out[name] = _strip(sub, value)
    return out


def _views(ds: Dataset, audience: str) -> dict[str, dict[str, tuple]]:
    """kind -> id -> (record, comparable dump) for the records one build may show."""
    orgs = {o.id for o in ds.records.get("organisations", []) if visible(o, audience)}
    rounds = {r.id for r in ds.records.get("rounds", []) if visible(r, audience)}
    rules = {r.id for r in ds.records.get("rules", []) if visible(r, audience)}
    out: dict[str, dict[str, tuple]] = {}
    for kind in KINDS:
        model = FILES[kind]
        view = {}
        for record in ds.records.get(kind, []):
            if not visible(record, audience):
                continue
            if kind == "items" and audience == "public" and not (record.round in rounds and record.organisation in orgs):
                continue
            dump = record.model_dump(mode="json")
            if audience == "public":
                dump = _strip(model, dump)
                if kind == "rounds":
                    teams = [{**t, "targets": [x for x in t["targets"] if x["organisation"] in orgs]}
                             for t in dump["teams"]]
                    dump["teams"] = [t for t in teams if t["targets"]]
                if kind == "rules":  # as the rule page lists them (pages/rules_library.py): shown rules, once each
                    dump["references"] = list(dict.fromkeys(r for r in dump["references"] if r in rules))
            view[record.id] = (record, dump)
        out[kind] = view
    return out


def _label(kind: str, record, ds: Dataset) -> str:
    if kind == "rounds":
        return round_title(record, ds.by_id("bodies") if "bodies" in ds.records else {})
    if kind == "items":
        return record.description
    if kind == "notices":
        return record.title or f"{record.kind}({record.date})"
    if kind == "rules":
        return f"《{record.title}》" + (f"({record.document_number})" if record.document_number else "")
    return record.statement


def _short(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "—" if value is None else str(value)


def changes(old: Dataset, new: Dataset, audience: str) -> list[Change]:
    """Every record added, changed or removed from `old` to `new`, as the given build shows them."""
    if audience not in ("public", "internal"):
        raise ValueError(f"unknown audience {audience!r}")
    before, after = _views(old, audience), _views(new, audience)
    out: list[Change] = []
    for kind in KINDS:
        model, was, now = FILES[kind], before[kind], after[kind]
        free = set(free_text_fields(model))
        for rid in sorted(now.keys() - was.keys()):
            out.append(Change(kind, rid, "added", _label(kind, now[rid][0], new), sample=now[rid][0].sample))
        for rid in sorted(was.keys() - now.keys()):
            out.append(Change(kind, rid, "removed", _label(kind, was[rid][0], old), sample=was[rid][0].sample))
        for rid in sorted(was.keys() & now.keys()):
            (_, a), (record, b) = was[rid], now[rid]
            fields = tuple(sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)))
            if not fields:
                continue
            values = tuple((f, _short(a.get(f)), _short(b.get(f))) for f in fields
                           if f not in free and not isinstance(a.get(f, b.get(f)), (list, dict))
                           and not isinstance(b.get(f), (list, dict)))
            out.append(Change(kind, rid, "changed", _label(kind, record, new), fields, values, record.sample))
    return sorted(out, key=lambda c: (list(KINDS).index(c.kind), list(ACTIONS).index(c.action), c.id))


def _target(change: Change) -> str | None:
    if change.action == "removed":
        return None
    return {"rounds": f"rounds/{change.id}.md", "rules": f"rules/{change.id}.md", "figures": "figures.md",
            "notices": f"notices/{change.id}.md"}.get(change.kind)


def _linked(c: Change) -> str:
    target = _target(c)
    return link(c.label, target) if target else c.label


def page(found: list[Change] | None, audience: str, edition: str, previous: str | None,
         note: str | None = None) -> Page:
    """The edition's changelog page; `found` is None when there is nothing to compare with."""
    sections = []
    for kind, heading in KINDS.items():
        rows = [{
            "change": c,
            "action": ACTIONS[c.action],
            "label": _linked(c),
            "fields": "、".join(label(c.kind, f) for f in c.fields) or "—",
            "values": ";".join(f"{label(c.kind, f)} {a} → {b}" for f, a, b in c.values),
        } for c in found or [] if c.kind == kind]
        counts = {name: sum(c.action == key for c in found or [] if c.kind == kind) for key, name in ACTIONS.items()}
        sections.append({"heading": heading, "rows": rows, "counts": counts})
    sample = any(c.sample for c in found or [])
    return Page("changelog.md", markdown(
        "changelog.md.j2", "本版变化", meta={"sample": sample or None},
        edition=edition, previous=previous, note=note, compared=found is not None,
        sections=sections, public=audience == "public", sample=sample,
    ), audience)
