# Quick start: `make site` builds both sites; `make test` runs every test.
export NO_MKDOCS_2_WARNING := 1
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM ?= /usr/bin/chromium

.PHONY: site validate pages serve serve-internal test test-browser lint bench clean publish export verify

$(STAMP): requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## site: validate data/, then build site/public/ and site/internal/ (atomically)
site: $(STAMP)
	$(PY) tools/build_site.py

## validate: check every file in data/ and print every problem as file:line:col
validate: $(STAMP)
	$(PY) -m generators validate --strict

## pages: write the generated Markdown to build/pages/{public,internal}/ for review
pages: $(STAMP)
	$(PY) -m generators pages build/pages/public --audience public
	$(PY) -m generators pages build/pages/internal --audience internal

## serve: live preview of the public site; reloads when data/ or content/ changes
serve: $(STAMP)
	$(PY) -m mkdocs serve --livereload -f mkdocs.yml

## serve-internal: live preview of the internal site
serve-internal: $(STAMP)
	$(PY) -m mkdocs serve --livereload -f mkdocs.internal.yml -a 127.0.0.1:8001

## publish: build both sites as edition EDITION and commit them with mike to the local
## branches editions/public and editions/internal (alias latest; nothing is pushed)
publish: $(STAMP)
	@test -n "$(EDITION)" || { echo "usage: make publish EDITION=2024" >&2; exit 2; }
	$(PY) tools/publish.py publish "$(EDITION)"

## export: write the whole versioned tree of one audience (default public) to DIR
export: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make export DIR=/srv/luohe [AUDIENCE=internal]" >&2; exit 2; }
	$(PY) tools/publish.py export "$(DIR)" --audience "$(or $(AUDIENCE),public)"

## verify: check a built or published folder against its manifest.sha256 files
verify: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make verify DIR=/srv/luohe" >&2; exit 2; }
	$(PY) tools/manifest.py verify "$(DIR)"

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

## lint: ruff over the Python code
lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check generators hooks tools tests

## test: lint, then the whole suite (installs test dependencies and chromium)
test: $(DEV_STAMP) $(CHROMIUM) lint
	$(PY) -m pytest -q

## test-browser: only the browser tests (Playwright + Debian chromium)
test-browser: $(DEV_STAMP) $(CHROMIUM)
	$(PY) -m pytest -q -m browser

clean:
	rm -rf site build .pytest_cache
