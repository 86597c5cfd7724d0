"""Material's search tuned, for the search benchmark only (tools/bench_search.py, issue #16).

A MkDocs hook: leaves out of Material's index the pages Pagefind leaves out (earlier versions
and snapshots of rules, the rule lists, the second and later pages of long lists; see
overrides/partials/search-section.html) and boosts the pages a query most often means
(a rule, an organisation, the statistics and the article's figures)."""

from __future__ import annotations

import re

LEFT_OUT = re.compile(r"(^|/|-)page-\d+/$|^rules/(in-force|by-issuer|by-status|by-type|by-year|by-tag)/|^rules/[^/]+/v\d+/$")
BOOSTED = re.compile(r"^(rules/[^/]+/|organisations/[^/]+/|statistics/|figures/|how-to-report/)$")


def on_page_markdown(markdown, page, config, files):
    search = dict(page.meta.get("search") or {})
    if LEFT_OUT.search(page.url):
        search["exclude"] = True
    elif BOOSTED.match(page.url):
        search["boost"] = 2
    page.meta["search"] = search
    return markdown
