# Quick start: `make site` builds both sites; `make test` runs every test.
export NO_MKDOCS_2_WARNING := 1
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM ?= /usr/bin/chromium

.PHONY: site validate pages schema golden serve serve-internal test test-browser lint typecheck bench clean publish export verify

$(STAMP): requirements.txt pyproject.toml
	python3 -m venv $(VENV) || { rm -rf $(VENV) && apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e . 2>&1 | grep -v "take precedence\|Editable installation\|^ *[!*]*$$\|WheelFile" || true
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## site: validate data/, then build site/public/ and site/internal/ (atomically)
site: $(STAMP)
	$(PY) -m publishing.build

## validate: check every file in data/ and print every problem as file:line:col
validate: $(STAMP)
	$(PY) -m generators validate --strict

## pages: write the generated Markdown to build/pages/{public,internal}/ for review
pages: $(STAMP)
	$(PY) -m generators pages build/pages --audience both

## schema: write the JSON Schema of every data file to schema/ (editor support; commit it)
schema: $(STAMP)
	$(PY) -m generators schema schema

## golden: rewrite tests/golden/ (a checksum per generated page) after a change that is meant
golden: $(STAMP)
	$(PY) -m tools.golden --update

## serve: live preview of the public site; reloads when data/ or content/ changes, rebuilding
## only the pages whose Markdown changed (--dirty); data errors show in the page (--no-strict)
serve: $(STAMP)
	$(PY) -m mkdocs serve --livereload --dirty --no-strict -f mkdocs.yml

## serve-internal: live preview of the internal site
serve-internal: $(STAMP)
	$(PY) -m mkdocs serve --livereload --dirty --no-strict -f mkdocs.internal.yml -a 127.0.0.1:8001

## publish: build both sites as edition EDITION and commit them with mike to the local
## branches editions/public and editions/internal (alias latest; nothing is pushed)
publish: $(STAMP)
	@test -n "$(EDITION)" || { echo "usage: make publish EDITION=2024" >&2; exit 2; }
	LUOHE_PUBLIC_URL="$(PUBLIC_URL)" LUOHE_INTERNAL_URL="$(INTERNAL_URL)" $(PY) -m publishing.publish publish "$(EDITION)"

## export: write the whole versioned tree of one audience (default public) to DIR
export: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make export DIR=/srv/luohe [AUDIENCE=internal]" >&2; exit 2; }
	$(PY) -m publishing.publish export "$(DIR)" --audience "$(or $(AUDIENCE),public)"

## verify: check a built or published folder against its manifest.sha256 files
verify: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make verify DIR=/srv/luohe" >&2; exit 2; }
	$(PY) -m publishing.manifest verify "$(DIR)"

.PHONY: ledger import
## ledger: the rectification ledger (整改台账) as an Excel workbook OUT (default 整改台账.xlsx),
## one sheet per round; ROUND=, ORG= (id or name), OWNER= (owner unit) narrow it
ledger: $(STAMP)
	$(PY) -m publishing.ledger export "$(or $(OUT),整改台账.xlsx)" $(if $(ROUND),--round "$(ROUND)") \
	  $(if $(ORG),--organisation "$(ORG)") $(if $(OWNER),--owner-unit "$(OWNER)")

## import: validate an edited ledger (FILE=整改台账.xlsx or .csv) like make validate, and only
## when all is well rewrite data/items.yaml; every problem at once as FILE:SHEET!CELL: 列: 说明
import: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make import FILE=整改台账.xlsx" >&2; exit 2; }
	$(PY) -m publishing.ledger import "$(FILE)"

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Quality gates (README, "Quality gates"): a CJK font so chromium lays out and shows
# Chinese with real glyphs, and axe-core (npm, pinned) for the accessibility tests.
NOTO_CJK := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
AXE_VERSION := 4.14.1
AXE_STAMP := .cache/axe/.axe-core-$(AXE_VERSION)

$(NOTO_CJK):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk

$(AXE_STAMP):
	command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	rm -rf .cache/axe && npm install --prefix .cache/axe --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)
	touch $@

.PHONY: screenshots linkcheck weight

## screenshots: desktop and phone screenshots of each kind of page of both sites into screenshots/
screenshots: site $(DEV_STAMP) $(CHROMIUM) $(NOTO_CJK)
	$(PY) -m tools.screenshots --site site --out screenshots

## linkcheck: check every internal link, anchor and asset of site/public and site/internal
linkcheck: site
	$(PY) -m tools.linkcheck site/public site/internal --external

## weight: page weight per kind of page of site/public and site/internal against the budget
weight: site
	$(PY) -m tools.weight site/public site/internal

## bench: build cost at x1, x10 and x100 of the data; prints a table, writes bench/results.json
## (options through BENCH_ARGS, e.g. BENCH_ARGS="--scales 1,10 --budget 600"; see bench/README.md);
## then the search engines side by side (tools/bench_search.py, SEARCH_BENCH_ARGS="--scales 1"), bench/search-results.json
bench: $(STAMP)
	$(PY) -m tools.bench $(BENCH_ARGS)
	$(PY) -m tools.bench_search $(SEARCH_BENCH_ARGS)

.PHONY: offline
## offline: zips to read from disk (file://), no server: the internal site with the training
## material (build/offline/luohe-training-offline.zip) and the public site (luohe-public-offline.zip)
offline: $(STAMP)
	$(PY) -m publishing.offline --out build/offline

## lint: ruff over the Python code
lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check generators publishing hooks tools tests

## typecheck: mypy over generators/ and publishing/ (configured in pyproject.toml)
typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy

## test: lint, typecheck, then the whole suite (installs test dependencies, chromium, a CJK font, axe-core)
test: $(DEV_STAMP) $(CHROMIUM) $(NOTO_CJK) $(AXE_STAMP) lint typecheck
	$(PY) -m pytest -q -n 2 --dist loadscope

## test-browser: only the browser tests (Playwright + Debian chromium: search, phones, accessibility)
test-browser: $(DEV_STAMP) $(CHROMIUM) $(NOTO_CJK) $(AXE_STAMP)
	$(PY) -m pytest -q -m browser

.PHONY: audit
# pip-audit (pinned) in a venv of its own, so its dependencies never mix with the site's
PIP_AUDIT_VERSION := 2.10.1
AUDIT_VENV := .cache/audit-venv
AUDIT_STAMP := $(AUDIT_VENV)/.pip-audit-$(PIP_AUDIT_VERSION)

## audit: the pinned versions against a vulnerability database; says NOT CHECKED (exit 0) when
## none can be reached, exit 1 on a known advisory (not part of make test; README, Reliability)
audit: $(STAMP)
	@test -e $(AUDIT_STAMP) || { rm -rf $(AUDIT_VENV) && python3 -m venv $(AUDIT_VENV) \
	  && timeout 600 $(AUDIT_VENV)/bin/python -m pip install --quiet pip-audit==$(PIP_AUDIT_VERSION) \
	  && touch $(AUDIT_STAMP); } || echo "make audit: pip-audit $(PIP_AUDIT_VERSION) could not be installed" >&2
	$(PY) -m tools.audit --pip-audit $(AUDIT_VENV)/bin/pip-audit --timeout 300 requirements-dev.txt

clean:
	rm -rf site build .pytest_cache .mypy_cache
