"""The table and the target checks of tools/bench.py (issue #8's targets, and issue #18's goals:
the preview, the real build against plain MkDocs, 1.5 GiB of memory, linear growth)."""

from __future__ import annotations

AUDIENCES = ("public", "internal")
HTML_LIMIT = 100 * 1024
MEMORY_LIMIT_MIB = 1536  # issue #18 goal 3 (issue #8 allowed 4 GiB)
BUILD_RATIO_LIMIT = 0.8  # issue #18 goal 2: the real build at most 0.8x plain MkDocs + Material's search
GROWTH_LIMIT = 11  # issue #18 goal 4: x10 the data, at most x11 the time
PREVIEW_LIMITS = {1: 1.0, 10: 2.0}  # issue #18 goal 1: seconds from saving to the browser, per scale


def _builds(scale: dict, audience: str, kind: str) -> dict:
    return scale.get("builds", {}).get(audience, {}).get(kind, {})


def _measured(step: dict) -> bool:
    return step.get("status") == "measured"


def generators_share(scale: dict, audience: str) -> tuple[float | None, bool]:
    """(validation + generation) / plain MkDocs build; and whether every part was measured."""
    g, plain = scale.get("generators", {}), _builds(scale, audience, "plain")
    if not _measured(g) or not plain.get("seconds"):
        return None, False
    return (g["validation_s"] + g["generation_s"][audience]) / plain["seconds"], _measured(plain)


def _series(results: dict) -> dict[str, list[tuple[int, float]]]:
    """Measured times per metric and scale, for the growth check."""
    out: dict[str, list[tuple[int, float]]] = {}
    for s in results["scales"]:
        g = s.get("generators", {})
        if _measured(g):
            out.setdefault("validation", []).append((s["scale"], g["validation_s"]))
            for a in AUDIENCES:
                out.setdefault(f"generation {a}", []).append((s["scale"], g["generation_s"][a]))
            if "incremental" in g:
                out.setdefault("one-file rebuild (generators)", []).append((s["scale"], g["incremental"]["total_s"]))
        for a in AUDIENCES:
            for kind in ("plain", "hook", "preview"):
                b = _builds(s, a, kind)
                if _measured(b):
                    out.setdefault(f"{'mkdocs ' if kind != 'preview' else ''}{kind} {a}", []).append(
                        (s["scale"], b["seconds"]))
        if _measured(s.get("site", {})):
            out.setdefault("real build of the sites", []).append((s["scale"], s["site"]["seconds"]))
    return out


def build_ratio(scale: dict) -> tuple[float | None, bool | None, str]:
    """Issue #18 goal 2: the real build of the sites (publishing.build, both at once) against the
    peer's plain builds one after the other; (ratio, every part measured, what was compared).
    Without a "site" step, the hook builds one after the other stand for the real build."""
    site = scale.get("site", {})
    audiences = site.get("audiences") or [a for a in AUDIENCES if _builds(scale, a, "plain")]
    plain = [_builds(scale, a, "plain") for a in audiences]
    if site:
        real, what = [site], "publishing.build"
    else:
        real, what = [_builds(scale, a, "hook") for a in audiences], "hook builds one after the other"
    if not audiences or not all(b.get("seconds") for b in plain + real):
        return None, None, what
    ratio = sum(b["seconds"] for b in real) / sum(b["seconds"] for b in plain)
    return ratio, all(_measured(b) for b in plain + real), what


def evaluate_targets(results: dict) -> list[dict]:
    scales = results["scales"]
    targets = []

    shares, complete = {}, True
    for s in scales:
        for a in AUDIENCES:
            if not _builds(s, a, "plain"):
                continue  # this audience was not built in this run
            share, measured = generators_share(s, a)
            if share is not None:
                shares[f"x{s['scale']} {a}"] = round(share, 3) if measured else f"~{share:.3f} (estimated build)"
            complete = complete and measured
    numeric = [v for v in shares.values() if isinstance(v, float)]
    met = all(v < 0.10 for v in numeric)
    targets.append({"target": "validation + generation under 10% of the (plain) MkDocs build at every scale",
                    "met": False if not met else (True if numeric and complete else None), "figures": shares})

    growth, peer_growth, worst = {}, {}, []
    for metric, pts in _series(results).items():
        # our steps; the peer's plain MkDocs build is shown beside them, not ours to meet
        ours = not metric.startswith("mkdocs plain")
        for (n0, t0), (n1, t1) in zip(pts, pts[1:], strict=False):
            ratio = t1 / t0 if t0 else None
            if ratio is not None:
                (growth if ours else peer_growth)[f"{metric} x{n0}->x{n1}"] = round(ratio, 2)
                if ours:
                    worst.append(ratio / (n1 / n0) * 10)
    targets.append({"target": f"cost grows linearly: x10 the data, at most x{GROWTH_LIMIT} the time, every step "
                              "(measured steps only)",
                    "met": all(w <= GROWTH_LIMIT for w in worst) if worst else None, "figures": growth,
                    "peer": peer_growth})

    top = scales[-1] if scales else {}
    # our steps; the peer (plain MkDocs with Material's search, no hook) is shown beside them and
    # is not ours to meet: at x100 it alone holds more than the limit (every page's HTML at once)
    peaks = {"generators": top.get("generators", {}).get("peak_rss_mib"),
             "sample data": top.get("data", {}).get("peak_rss_mib")}
    # the one-file rebuild keeps every data file's parse, as `mkdocs serve` does
    peaks["one-file rebuild (as under serve)"] = top.get("generators", {}).get("incremental", {}).get("peak_rss_mib")
    for a in AUDIENCES:
        peaks[f"mkdocs hook {a}"] = _builds(top, a, "hook").get("peak_rss_mib")
    if top.get("site"):  # the largest process of make site (each site's build is a process of its own)
        peaks["real build of the sites"] = top["site"].get("peak_rss_mib")
    peer = {f"mkdocs plain {a} (the peer)": _builds(top, a, "plain").get("peak_rss_mib") for a in AUDIENCES}
    known = [v for v in peaks.values() if v is not None]
    met = all(v <= MEMORY_LIMIT_MIB for v in known) if known else None
    if met and peaks.get("real build of the sites") is None:
        met = None  # the build a user runs was not measured
    targets.append({"target": f"peak memory at x{top.get('scale')} at most 1.5 GiB (RSS of each process, MiB)",
                    "met": met, "figures": peaks, "peer": peer,
                    "not_measured": sorted(k for k, v in peaks.items() if v is None)})

    largest = {}
    for s in scales:
        for a in AUDIENCES:
            for kind in ("hook", "plain"):
                b = _builds(s, a, kind)
                if _measured(b) and b.get("largest_html"):
                    largest[f"x{s['scale']} {a} {kind}"] = b["largest_html"]
    targets.append({"target": "a page's HTML under 100 KB at every scale",
                    "met": all(v["bytes"] < HTML_LIMIT for v in largest.values()) if largest else None,
                    "figures": largest})

    per_page = {}
    for s in (scales[0], scales[-1]) if scales else ():
        for a in AUDIENCES:
            b = _builds(s, a, "plain")
            if _measured(b):
                per_page[f"x{s['scale']} {a}"] = b["per_page_ms"]
    first, last = (scales[0]["scale"], scales[-1]["scale"]) if scales else (None, None)
    pairs = [(per_page.get(f"x{first} {a}"), per_page.get(f"x{last} {a}")) for a in AUDIENCES]
    pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
    targets.append({"target": f"MkDocs time per page at x{last} no worse than at x{first} (plain build, ms/page)",
                    "met": all(y <= x for x, y in pairs) if pairs and first != last else None,
                    "figures": per_page})

    ratios, verdicts = {}, []
    for s in scales:
        ratio, measured, what = build_ratio(s)
        if ratio is not None:
            ratios[f"x{s['scale']}"] = round(ratio, 2) if measured else f"~{ratio:.2f} (estimated)"
            ratios[f"x{s['scale']} real"] = what
            verdicts.append(ratio <= BUILD_RATIO_LIMIT if measured else None)
    targets.append({"target": f"the real build of the sites (make site) at most {BUILD_RATIO_LIMIT}x plain MkDocs + "
                              "Material's search building them one after the other, at every scale",
                    "met": False if False in verdicts else (True if verdicts and all(verdicts) else None),
                    "figures": ratios})

    previews, verdicts = {}, []
    for s in scales:
        limit = PREVIEW_LIMITS.get(s["scale"])
        for a in AUDIENCES:
            p = _builds(s, a, "preview")
            if p:
                previews[f"x{s['scale']} {a}"] = p.get("seconds") if _measured(p) else f"{_fmt(p)} ({p['status']})"
                if limit is not None:
                    verdicts.append(p["seconds"] <= limit if _measured(p) else None)
    targets.append({"target": "preview: save one data file -> the browser shows the changed page, "
                              "at most 1 s at x1 and 2 s at x10 (median of 5 edits, real serve and chromium)",
                    "met": False if False in verdicts else (True if verdicts and all(verdicts) else None),
                    "figures": previews})

    incremental = scales[0].get("generators", {}).get("incremental") if scales else None
    targets.append({"target": f"after a one-file change, the generators' part of the rebuild under 1 s at x{first}",
                    "met": incremental["total_s"] < 1 if incremental else None, "figures": incremental or {}})
    return targets


def _fmt(step: dict, key: str = "seconds", digits: int = 1) -> str:
    value = step.get(key)
    if value is None and key == "seconds" and step.get("stopped_after_s"):
        return f">{step['stopped_after_s']:.0f}*"
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text if _measured(step) else f"~{text}*"


def table(results: dict) -> str:
    head = ["scale", "rounds/orgs/items/rules", "pages pub/int", "valid. s", "gen. pub/int s", "incr. s",
            "plain pub/int s", "hook pub/int s", "site s", "site/plain", "preview pub/int s", "gen share pub/int", "ms/page pub/int", "peak MiB",
            "largest HTML KB", "site MB pub/int"]
    rows = [head]
    for s in results["scales"]:
        g, r = s.get("generators", {}), s.get("records", {})
        recs = "/".join(str(r.get(k, "?")) for k in ("rounds", "organisations", "items", "rules"))
        gm = _measured(g)
        pages = "/".join(str(g["generated"][a]["pages"]) for a in AUDIENCES) if gm else "—"
        gen = "/".join(f"{g['generation_s'][a]:.1f}" for a in AUDIENCES) if gm else _fmt(g)
        incr = f"{g['incremental']['total_s']:.2f}" if gm and "incremental" in g else "—"
        plain = "/".join(_fmt(_builds(s, a, "plain")) for a in AUDIENCES)
        hook = "/".join(_fmt(_builds(s, a, "hook")) for a in AUDIENCES)
        preview = "/".join(_fmt(_builds(s, a, "preview"), digits=2) for a in AUDIENCES)
        ratio, measured, _ = build_ratio(s)
        real = _fmt(s["site"]) if s.get("site") else "—"
        ratio_text = "—" if ratio is None else f"{ratio:.2f}" + ("" if measured else "*")
        shares = []
        for a in AUDIENCES:
            share, measured = generators_share(s, a)
            shares.append("—" if share is None else f"{share:.0%}" + ("" if measured else "*"))
        ms = "/".join(_fmt(_builds(s, a, "plain"), "per_page_ms") for a in AUDIENCES)
        peaks = [g.get("peak_rss_mib"), s.get("site", {}).get("peak_rss_mib")] + [
            _builds(s, a, k).get("peak_rss_mib") for a in AUDIENCES for k in ("plain", "hook")]
        peak = max((p for p in peaks if p is not None), default=None)
        largest = [_builds(s, a, k).get("largest_html", {}) or {} for a in AUDIENCES for k in ("plain", "hook")]
        largest.append(s.get("site", {}).get("largest_html") or {})
        big = max((x.get("bytes", 0) for x in largest), default=0)
        built = [next((b for k in ("hook", "plain") if _measured(b := _builds(s, a, k))), None) for a in AUDIENCES]
        site = "/".join(f"{b['site_bytes'] / 2**20:.0f}" if b else "—" for b in built)
        rows.append([f"x{s['scale']}", recs, pages, f"{g['validation_s']:.1f}" if gm else "—", gen, incr,
                     plain, hook, real, ratio_text, preview, "/".join(shares), ms, f"{peak:.0f}" if peak else "—",
                     f"{big / 1024:.0f}" if big else "—", site])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("~x* = estimated (not run within the budget), >x* = stopped at the budget; see the JSON for how.")
    first = results.get("first_run")
    if first:
        parts = [f"{a} {first[a]['seconds']:.2f} s" for a in AUDIENCES if _measured(first.get(a, {}))]
        lines.append("first run of a new checkout (no bytecode, no compiled templates; whole process, "
                     f"x1 data): {', '.join(parts) or 'failed'}. Every step above runs with those caches.")
    for t in results.get("targets", []):
        mark = {True: "met", False: "NOT met", None: "unknown"}[t["met"]]
        lines.append(f"[{mark}] {t['target']}")
    return "\n".join(lines)
