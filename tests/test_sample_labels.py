"""The 示例数据 labels, both ways. Every shipped round, organisation, item and training is a
sample record, so the shipped data cannot show that a page built only from real records
carries no label. Here a copy of the data makes one round real (`sample: false`, with its
rectification items and the organisations it inspected), one rule and one training; the
pages built from them must carry no label, and the pages still built from sample records
must keep theirs. The generated Markdown is read (generators.build), and one real internal
build checks what a reader sees: the announce bar and the admonition."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup

from generators import build
from generators.audience import AUDIENCES, visible

from .conftest import copy_project, mkdocs_build

NOTICE = '!!! warning "示例数据"'  # generators/templates/_macros.md.j2: sample_notice


def labels(markdown: str) -> tuple[bool, bool]:
    """(the front matter's `sample`, which gives the announce bar; the 示例数据 admonition)."""
    front = yaml.safe_load(markdown.split("---\n", 2)[1])
    return bool(front.get("sample")), NOTICE in markdown


def make_real(data: Path, stem: str, ids: set[str]) -> None:
    """Set `sample: false` on the records of data/STEM.yaml with these ids (the file's text
    is edited, so its layout and quoting stay as written)."""
    path = data / f"{stem}.yaml"
    done = set()

    def real(m: re.Match) -> str:
        if m.group(1) not in ids:
            return m.group(0)
        done.add(m.group(1))
        return f"- id: {m.group(1)}\n  sample: false\n"

    path.write_text(re.sub(r"^- id: (\S+)\n  sample: true\n", real, path.read_text(encoding="utf-8"), flags=re.M),
                    encoding="utf-8")
    assert done == ids, (stem, ids - done)


def generated(data: Path) -> dict[str, dict[str, str]]:
    out = {}
    for audience in AUDIENCES:
        pages, problems = build(data, audience)
        assert pages, [str(p) for p in problems]
        out[audience] = {p.path: p.markdown for p in pages if p.path.endswith(".md")}
    return out


@pytest.fixture(scope="module")
def real(tmp_path_factory, dataset):
    """A copy of the project where one round (with its items and the organisations it
    inspected), one rule and one training are real records; which they are, and the
    Markdown pages of both builds."""
    rounds_of: dict[str, set[str]] = {}
    for rnd in dataset.rounds:
        for _, t in rnd.targets:
            rounds_of.setdefault(t.organisation, set()).add(rnd.id)
    orgs = dataset.by_id("organisations")

    def fits(rnd) -> bool:  # a public round with items, some organisations inspected only in it, some also in others
        targets = {t.organisation for _, t in rnd.targets if orgs[t.organisation].is_public}
        return (rnd.is_public and any(i.round == rnd.id and i.is_public for i in dataset.items)
                and any(rounds_of[o] == {rnd.id} for o in targets) and any(len(rounds_of[o]) > 1 for o in targets))

    rnd = next(r for r in dataset.rounds if r.sample and fits(r))
    targets = {t.organisation for _, t in rnd.targets}
    rule = next(r for r in dataset.rules if r.sample and r.is_public and len(r.revisions) >= 2)
    training = next(t for t in dataset.trainings if t.sample)
    assert all(orgs[o].sample for o in targets)

    project = copy_project(tmp_path_factory.mktemp("real-records") / "project")
    make_real(project / "data", "rounds", {rnd.id})
    make_real(project / "data", "organisations", targets)
    make_real(project / "data", "items", {i.id for i in dataset.items if i.round == rnd.id})
    make_real(project / "data", "notices", {n.id for n in dataset.notices if n.round == rnd.id})  # listed on its pages
    make_real(project / "data", "rules", {rule.id})
    make_real(project / "data", "trainings", {training.id})
    return SimpleNamespace(project=project, round=rnd, targets=targets, rounds_of=rounds_of, rule=rule,
                           training=training, pages=generated(project / "data"))


def test_pages_built_only_from_real_records_carry_no_label(real, dataset):
    rnd = real.round
    orgs = dataset.by_id("organisations")
    for audience, pages in real.pages.items():
        shown = {o for o in real.targets if visible(orgs[o], audience)}
        assert shown
        assert labels(pages[f"rounds/{rnd.id}.md"]) == (False, False), audience
        for org in shown:
            assert labels(pages[f"inspections/{rnd.id}--{org}.md"]) == (False, False), (audience, org)
        only_here = [o for o in shown if real.rounds_of[o] == {rnd.id}]
        assert only_here
        for org in only_here:
            assert labels(pages[f"organisations/{org}.md"]) == (False, False), (audience, org)
        rule = real.rule
        assert labels(pages[f"rules/{rule.id}.md"]) == (False, False), audience
        for rev in rule.revisions:
            assert labels(pages[f"rules/{rule.id}/v{rev.version}.md"]) == (False, False), (audience, rev.version)
        # the index still lists sample rounds, so it keeps its notice, but not on this round's row
        index = pages["rounds/index.md"]
        assert NOTICE in index
        row = next(line for line in index.splitlines() if f"]({rnd.id}.md)" in line)
        assert "(示例)" not in row
        other = next(r for r in dataset.rounds if r.id != rnd.id and visible(r, audience))
        assert "(示例)" in next(line for line in index.splitlines() if f"]({other.id}.md)" in line)
    internal = real.pages["internal"]
    t = real.training
    assert labels(internal[f"trainings/{t.id}.md"]) == (False, False)
    assert labels(internal[f"trainings/handouts/{t.id}.md"]) == (False, False)
    assert f"trainings/{t.id}.md" not in real.pages["public"]


def test_pages_built_from_sample_records_keep_their_label(real, dataset):
    rnd = real.round
    orgs = dataset.by_id("organisations")
    rounds = dataset.by_id("rounds")
    for audience, pages in real.pages.items():
        for other in (r for r in dataset.rounds if r.id != rnd.id and visible(r, audience)):
            assert labels(pages[f"rounds/{other.id}.md"]) == (True, True), (audience, other.id)
        # a real organisation also inspected in a sample round: its page lists that round
        shared = [o for o in real.targets if visible(orgs[o], audience)
                  and any(visible(rounds[r], audience) for r in real.rounds_of[o] - {rnd.id})]
        assert shared
        for org in shared:
            assert labels(pages[f"organisations/{org}.md"]) == (True, True), (audience, org)
        other_rule = next(r for r in dataset.rules if r.sample and r.id != real.rule.id and visible(r, audience))
        assert labels(pages[f"rules/{other_rule.id}.md"]) == (True, True), audience
    other_training = next(t for t in dataset.trainings if t.id != real.training.id)
    assert labels(real.pages["internal"][f"trainings/{other_training.id}.md"]) == (True, True)


def test_no_page_is_labelled_when_no_record_is_a_sample(tmp_path):
    """With every record real, no page of either build says 示例数据 or marks a row (示例)."""
    project = copy_project(tmp_path / "project")
    for path in (project / "data").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^(-? +)sample: true$", r"\1sample: false", text, flags=re.M), encoding="utf-8")
    for audience, pages in generated(project / "data").items():
        assert len(pages) > 300
        labelled = [path for path, md in pages.items() if any(labels(md)) or "(示例)" in md]
        assert labelled == [], audience


def test_a_reader_sees_the_label_only_on_pages_from_sample_records(real, tmp_path, dataset):
    """One real internal build of the copy: the announce bar (overrides/main.html, from the
    front matter) and the admonition, on pages from real records and from sample ones."""
    result = mkdocs_build(real.project, "internal", tmp_path / "site")
    assert result.returncode == 0, result.stderr[-4000:]

    def seen(rel: str) -> tuple[bool, bool]:
        doc = BeautifulSoup((tmp_path / "site" / rel / "index.html").read_text(encoding="utf-8"), "html.parser")
        bar = doc.select_one("[data-md-component=announce]")
        titles = [t.get_text(strip=True) for t in doc.select("article .admonition-title")]
        return bar is not None and "示例数据" in bar.get_text(), "示例数据" in titles

    rnd, rule, t = real.round, real.rule, real.training
    only_here = next(o for o in real.targets if real.rounds_of[o] == {rnd.id})
    for rel in (f"rounds/{rnd.id}", f"inspections/{rnd.id}--{only_here}", f"organisations/{only_here}",
                f"rules/{rule.id}", f"rules/{rule.id}/v1", f"trainings/{t.id}", f"trainings/handouts/{t.id}"):
        assert seen(rel) == (False, False), rel
    other_round = next(r for r in dataset.rounds if r.id != rnd.id)
    other_rule = next(r for r in dataset.rules if r.sample and r.id != rule.id)
    other_training = next(x for x in dataset.trainings if x.id != t.id)
    for rel in (f"rounds/{other_round.id}", f"rules/{other_rule.id}", f"trainings/{other_training.id}"):
        assert seen(rel) == (True, True), rel
    assert seen("rounds")[1]  # an index that lists sample rounds: the notice (its front matter sets no bar)
