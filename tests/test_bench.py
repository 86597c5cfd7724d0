"""`make bench` (tools/bench.py) at a tiny scale: the JSON's shape, and that a scale that
cannot finish within the budget is reported with an estimate, never dropped.

The harness runs once: x1 with one MkDocs build (plain, public) and the real build of the
public site (publishing.build --only public), and x10000, which no
budget here allows, so every step of it must come back as an estimate. Nothing asserts
on times beyond their being reported.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools import bench, sample_data
from tools.bench_report import _fmt, evaluate_targets, table

from .conftest import ROOT, run

HUGE = 10000


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "results.json"
    result = run(["-m", "tools.bench", "--scales", f"1,{HUGE}", "--budget", "300", "--total", "900",
                  "--audiences", "public", "--builds", "plain,site", "--out", str(out), "--work", str(tmp / "work")],
                 cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), result.stdout


def test_every_scale_is_reported(bench_run):
    results, _ = bench_run
    assert [s["scale"] for s in results["scales"]] == [1, HUGE]
    assert results["settings"]["audiences"] == ["public"] and results["settings"]["builds"] == ["plain"]
    assert results["machine"]["cpus"] >= 1 and results["machine"]["mkdocs"]
    # the one-off cost of a fresh checkout is measured before the scales, never folded into them
    assert all(results["first_run"][a]["status"] == "measured" for a in ("public", "internal"))
    assert "first run of a new checkout" in bench_run[1]


def test_small_scale_is_measured(bench_run, dataset):
    from generators.pages import generate

    x1 = bench_run[0]["scales"][0]
    assert x1["data"]["status"] == "measured" and x1["valid"] is True
    assert x1["records"] == {k: len(v) for k, v in dataset.records.items()}
    g = x1["generators"]
    assert g["status"] == "measured"
    for key in ("validation_s", "warm_validation_s", "peak_rss_mib"):
        assert g[key] > 0
    assert set(g["generation_s"]) == set(g["warm_generation_s"]) == {"public", "internal"}
    assert 1 <= len(g["rounds"]) <= 3 and 1 <= len(g["cold_runs"]) <= 3
    assert g["cold_runs"][0]["validation_s"] == g["rounds"][0]["validation_s"]  # each process's cold round
    assert {"validation_s": g["validation_s"], "generation_s": g["generation_s"]} in g["cold_runs"]
    assert {"validation_s", "generation_s", "total_s", "changed", "peak_rss_mib"} <= set(g["incremental"])
    public = [p for p in generate(dataset, "public") if p.path.endswith(".md")]
    assert g["generated"]["public"]["pages"] == len(public)
    assert g["generated"]["public"]["largest_markdown"]["bytes"] == max(len(p.markdown.encode()) for p in public)
    assert g["generated"]["public"]["index_markdown_bytes"]["rounds/index.md"] > 0
    build = x1["builds"]["public"]["plain"]
    assert build["status"] == "measured"
    assert build["html_pages"] >= len(public)
    assert 0 < build["largest_html"]["bytes"] <= build["html_bytes"] <= build["site_bytes"]
    assert build["per_page_ms"] > 0 and build["peak_rss_mib"] > 0
    assert 1 <= len(build["runs"]) <= 3 and build["seconds"] == min(build["runs"])
    assert "internal" not in x1["builds"] and "hook" not in x1["builds"]["public"]
    real = x1["site"]
    assert real["status"] == "measured" and real["audiences"] == ["public"]
    assert real["html_pages"] == build["html_pages"] and real["peak_rss_mib"] > 0
    assert set(real["sites"]) == {"public"} and 1 <= len(real["runs"]) <= 3


def test_scale_beyond_budget_is_estimated_not_dropped(bench_run):
    huge = bench_run[0]["scales"][1]
    assert huge["data"]["status"] == "estimated"
    assert huge["data"]["seconds"] > 300 and "budget" in huge["data"]["reason"]
    assert huge["generators"]["status"] == "estimated"
    build = huge["builds"]["public"]["plain"]
    assert build["status"] == "estimated" and build["seconds"] > 0 and build["basis"]
    assert huge["site"]["status"] == "estimated" and huge["site"]["seconds"] > 0


def test_targets_and_table(bench_run):
    results, stdout = bench_run
    assert len(results["targets"]) == 8
    for target in results["targets"]:
        assert target["met"] in (True, False, None) and isinstance(target["figures"], dict)
    lines = stdout.splitlines()
    assert any(line.startswith("x1 ") for line in lines)
    assert any(line.startswith(f"x{HUGE}") and "~" in line for line in lines)
    assert table(results) in stdout and evaluate_targets(results) == results["targets"]


def test_preview_target_is_judged_per_scale():
    def verdict(x1: dict, x10: dict) -> bool | None:
        scales = [{"scale": n, "builds": {"public": {"preview": p}}} for n, p in ((1, x1), (10, x10))]
        return next(t["met"] for t in evaluate_targets({"scales": scales}) if t["target"].startswith("preview"))

    def measured(seconds: float) -> dict:
        return {"status": "measured", "seconds": seconds}

    assert verdict(measured(0.9), measured(1.9)) is True
    assert verdict(measured(1.1), measured(1.9)) is False  # 1 s at x1
    assert verdict(measured(0.9), measured(2.1)) is False  # 2 s at x10
    assert verdict(measured(0.9), {"status": "estimated", "seconds": None}) is None


def _target(scales: list[dict], start: str) -> dict:
    return next(t for t in evaluate_targets({"scales": scales}) if t["target"].startswith(start))


def _measured(seconds: float, **more) -> dict:
    return {"status": "measured", "seconds": seconds, "per_page_ms": 1.0, **more}


def test_build_ratio_target_is_judged_at_every_scale():
    """The real build of both sites (publishing.build) against the two plain builds one after the other."""
    def verdict(*triples: tuple[float, float, float]) -> bool | None:
        scales = [{"scale": 10 ** n, "builds": {"public": {"plain": _measured(pub)}, "internal": {"plain": _measured(i)}},
                   "site": _measured(real, audiences=["public", "internal"])}
                  for n, (real, pub, i) in enumerate(triples)]
        return _target(scales, "the real build")["met"]

    assert verdict((16, 10, 10), (159, 100, 100)) is True
    assert verdict((16, 10, 10), (161, 100, 100)) is False  # 0.805x at x10
    assert verdict((11, 5, 5)) is False
    estimated = {"scale": 1, "builds": {"public": {"plain": _measured(10)}, "internal": {"plain": _measured(10)}},
                 "site": {"status": "estimated", "seconds": 1.0, "audiences": ["public", "internal"]}}
    assert _target([estimated], "the real build")["met"] is None
    # without the real build, the hook builds one after the other stand for it
    hooks = {"scale": 1, "builds": {a: {"plain": _measured(10), "hook": _measured(9)} for a in ("public", "internal")}}
    target = _target([hooks], "the real build")
    assert target["met"] is False and target["figures"] == {"x1": 0.9, "x1 real": "hook builds one after the other"}


def test_memory_target_is_judged_on_our_steps_with_the_peer_beside_them():
    """Goal 3 holds each of our steps (generators, the one-file rebuild, the hook builds, make
    site's largest process) to 1.5 GiB; the peer's plain MkDocs build is shown, not judged; without make site, unknown."""
    def target(real: float | None, plain: float, rebuild: float = 1500.0) -> dict:
        scale = {"scale": 100, "generators": {"peak_rss_mib": 1400.0, "incremental": {"total_s": 1.0, "peak_rss_mib": rebuild}},
                 "builds": {a: {"plain": _measured(10, peak_rss_mib=plain)} for a in ("public", "internal")}}
        if real is not None:
            scale["site"] = _measured(20, peak_rss_mib=real, audiences=["public", "internal"])
        return _target([scale], "peak memory")

    assert target(1500.0, 1700.0)["met"] is True
    assert target(1500.0, 1700.0)["peer"] == {"mkdocs plain public (the peer)": 1700.0,
                                               "mkdocs plain internal (the peer)": 1700.0}
    assert target(1600.0, 900.0)["met"] is False
    assert target(1500.0, 900.0, rebuild=2500.0)["met"] is False  # the rebuild keeps every file's parse
    assert target(None, 900.0)["met"] is None


def test_growth_target_covers_every_step_of_ours():
    """Goal 4 holds each of our steps to x11 the time for x10 the data; the peer's plain
    MkDocs build is shown beside them, not judged."""
    def scale(n: int, factor: float, peer: float = 1.0) -> dict:
        return {"scale": n, "generators": {"status": "measured", "validation_s": n, "generation_s": {"public": n,
                "internal": n}, "incremental": {"total_s": n}},
                "builds": {"public": {"plain": _measured(n * peer), "preview": _measured(n)}},
                "site": _measured(n * factor, audiences=["public"])}

    target = _target([scale(1, 1), scale(10, 1.1)], "cost grows linearly")
    assert target["met"] is True
    assert {"real build of the sites x1->x10", "one-file rebuild (generators) x1->x10", "preview public x1->x10",
            "validation x1->x10"} <= set(target["figures"])
    assert target["peer"] == {"mkdocs plain public x1->x10": 10.0}
    assert _target([scale(1, 1), scale(10, 1.2)], "cost grows linearly")["met"] is False  # the real build x12
    slow_peer = _target([scale(1, 1), scale(10, 1.0, peer=1.5)], "cost grows linearly")
    assert slow_peer["met"] is True and slow_peer["peer"] == {"mkdocs plain public x1->x10": 15.0}


def test_preview_runs_only_where_goal_1_sets_a_figure():
    """At a scale without a preview goal (x100) serve is not started: the preview is reported
    as skipped, with why, and judged by nothing."""
    assert bench.preview_skipped(1) is None and bench.preview_skipped(10) is None
    skipped = bench.preview_skipped(100)
    assert skipped["status"] == "skipped" and skipped["seconds"] is None
    assert skipped["reason"] == "no preview goal at x100 (goal 1 sets x1 and x10)"
    scales = [{"scale": 100, "builds": {"public": {"preview": skipped}}}]
    assert _target(scales, "preview")["met"] is None
    assert "x100" in table({"scales": scales}) and "—" in table({"scales": scales}).splitlines()[2]


@given(st.floats(0.01, 100), st.floats(0, 50), st.integers(1, 50), st.integers(2, 1000))
def test_estimate_is_proportional_to_the_largest_measured(slope, intercept, small, factor):
    hist = bench.History()
    big = small * factor
    for x in (big, small):
        hist.add("step", x, intercept + slope * x)
    value, basis = hist.estimate("step", big * 10)
    assert value == pytest.approx((intercept + slope * big) * 10, rel=1e-6)
    assert value >= intercept + slope * big * 10 - 1e-6  # never below the line: errs long
    assert f"measured {big:g}" in basis and bench.History().estimate("step", 1) is None


def test_step_over_budget_never_runs():
    hist, clock = bench.History(), bench.Clock(budget=60, total=60)
    hist.add("slow", 1, 10.0)
    ran = []
    result = bench.step("slow", 100, hist, clock, lambda timeout: ran.append(timeout) or {"status": "measured"})
    assert ran == [] and result["status"] == "estimated" and result["seconds"] == 1000.0


def test_scaled_data_passes_validation(tmp_path):
    figures = (ROOT / "data" / "figures.yaml").read_text(encoding="utf-8")
    field = "\n  backed_by:"
    assert field in figures and field not in sample_data.without_backed_by(figures)
    out = tmp_path / "x2"
    assert run(["-m", "tools.sample_data", "--scale", "2", "--out", str(out)], cwd=ROOT).returncode == 0
    result = run(["-m", "generators", "validate", "--data", str(out)], cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert field not in (out / "figures.yaml").read_text(encoding="utf-8")


def test_step_stopped_at_the_budget_is_reported():
    hist, clock = bench.History(), bench.Clock(budget=600, total=600)
    hist.add("build", 1, 2.0)
    result = bench.step("build", 100, hist, clock, lambda timeout: {"status": "timed_out", "seconds": 5.0})
    assert result["status"] == "estimated" and result["stopped_after_s"] == 5.0
    assert result["seconds"] == 200.0 and "stopped" in result["reason"]
    fresh = bench.step("other", 1, bench.History(), clock, lambda timeout: {"status": "timed_out", "seconds": 5.0})
    assert fresh["seconds"] is None and fresh["stopped_after_s"] == 5.0
    assert _fmt(fresh) == ">5*"


@settings(max_examples=30, deadline=None)
@given(batch=st.integers(1, 40), count=st.integers(0, 60))
def test_sample_files_written_in_batches_are_the_text_of_the_whole(batch, count):
    """tools/sample_data.py writes each file a batch of records at a time (the emitter's tree of
    the whole items file took 1.2 GiB at x100): the text is the one dump of the whole list."""
    import io
    from decimal import Decimal

    from tools.sample_data import dump, write

    records = [{"id": f"i-{n}", "description": "整改事项:" + "改" * (n % 7), "rate": Decimal("75.610"),
                "history": [{"date": "2024-01-02", "status": "整改中"}] * (n % 3), "done": None}
               for n in range(count)]
    out = io.StringIO()
    write(records, out, batch)
    assert out.getvalue() == dump(records)
