"""The thin adapter between the generators and MkDocs (the only MkDocs-aware code).

- on_config: load and check data/ (a data error stops the build before MkDocs
  empties site_dir), then generate this build's pages.
- on_files: fail closed on hand-written pages without `audience: public` in the
  public build; in the internal build add content/public/ as well; add the
  generated pages; refuse (stop the build) any file that is a link leading out
  of the content folders the build reads.
- on_startup: under `mkdocs serve`, keep each data file's parse and validation and each
  page between rebuilds (generators.pipeline.keep_between_builds), so a rebuild after one
  edit reads only the edited file again and makes again only the pages it changed. Under
  `mkdocs serve --dirty` (make serve) the generated pages are files of a Preview
  (generators/pipeline.py) rewritten only when their Markdown changed, so MkDocs renders
  again only those pages; data errors do not stop the preview: they are logged once (a
  rebuild logs only problems the one before it did not), the
  last good pages stay, and every served page shows the errors (status.json, read by a
  script in overrides/partials/preview.html) until they are fixed.
- on_serve: watch data/ and content/public/ so `mkdocs serve` reloads on edits.
- on_page_markdown, on_page_context, on_post_page: in a build, a generated page is converted
  to HTML when MkDocs writes it and its HTML let go after, instead of every page's HTML held
  until the last is written (no plugin of this site changes a page's Markdown; one that did
  would not see the generated pages' Markdown).

The build's audience is `extra.audience` ("internal" in mkdocs.internal.yml);
anything else is public. LUOHE_DATA overrides the data folder.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from jinja2 import BytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils.meta import get_data
from watchdog.observers.polling import PollingObserver

from generators import build
from generators.audience import Page
from generators.edition import Edition
from generators.pipeline import Preview, keep_between_builds
from generators.problems import Problem

log = get_plugin_logger("luohe")
_pages: list = []
_files: list = []  # this build's Files, for the pages converted when written (on_page_context)
_preview: dict = {}  # under `mkdocs serve --dirty`: "pages" (a Preview) and "errors" of the last build
STATUS = "_preview/status.json"
POLL_SECONDS = 0.05  # how often `mkdocs serve` looks for saved edits
SETTLE_SECONDS = 0.1  # how long no further change is seen before the rebuild starts: over one poll


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _audience(config) -> str:
    return "internal" if config.extra.get("audience") == "internal" else "public"


def _data_dir(config) -> Path:
    return Path(os.environ.get("LUOHE_DATA") or _root(config) / "data")


def on_startup(command, dirty):
    keep_between_builds(command == "serve")
    if command == "serve" and dirty:
        _preview["pages"] = Preview(Path(tempfile.mkdtemp(prefix="luohe-preview-")))
        logging.getLogger("mkdocs.commands.build").addFilter(lambda r: "'dirty' build" not in r.getMessage())
        Files.add_files_from_theme = _theme_files_listed_once  # type: ignore[method-assign,assignment]


_THEME_FILES: dict[tuple, list[tuple[str, str | None]]] = {}
_add_files_from_theme = Files.add_files_from_theme


def _theme_files_listed_once(files: Files, env, config) -> None:
    """MkDocs' Files.add_files_from_theme, with the theme's static files listed once per
    preview: MkDocs walks Material's folders again on every rebuild (0.12-0.16 s of a save's
    wait at any scale). The theme is not watched by `make serve`, so the list stays right."""
    key = (tuple(config.theme.dirs), config.site_dir, config.use_directory_urls)
    if key not in _THEME_FILES:
        before = {f.src_uri for f in files}
        _add_files_from_theme(files, env, config)
        _THEME_FILES[key] = [(f.src_uri, f.src_dir) for f in files if f.src_uri not in before]
        return
    for src_uri, src_dir in _THEME_FILES[key]:
        if files.get_file_from_path(src_uri) is None:  # a file of the docs folder wins, as in MkDocs
            files.append(File(src_uri, src_dir, config.site_dir, config.use_directory_urls))


def on_shutdown():
    if "pages" in _preview:
        shutil.rmtree(_preview.pop("pages").folder, ignore_errors=True)


def on_config(config):
    edition = Edition.from_env(os.environ)
    pages, problems = build(_data_dir(config), _audience(config), edition)
    errors = [p for p in problems if p.severity == "error"]
    if errors and "pages" not in _preview:
        raise PluginError("data/ 有错误,未构建:\n" + "\n".join(map(str, problems)))
    shown = {str(p) for p in problems}
    for problem in problems:
        if str(problem) not in _preview.get("shown", ()):
            _log(problem)
    if "pages" in _preview:
        # A save can reach the watcher as two events (an editor truncates, then writes) and so
        # make two rebuilds of the same data: log only what the last rebuild did not already say.
        _preview["shown"] = shown
        _preview["errors"] = [str(p) for p in errors]
        if not errors:  # rendered by the next build that gets to its end (on_post_build)
            _preview.setdefault("pending", set()).update(_preview["pages"].update(pages))
        # the sitemap lists every page: not what a preview is for (0.1 s of every save at x10)
        config.theme.static_templates.discard("sitemap.xml")
    config.extra.update(edition.extra())  # footer: edition and data commit
    if "pages" in _preview:  # the preview's caveat and errors on every page (overrides/partials/preview.html)
        config.extra["preview"] = urlsplit(config.site_url or "/").path.rstrip("/") + "/" + STATUS
    _pages[:] = pages
    return config


def _log(problem: Problem) -> None:
    level = {"error": log.error, "warning": log.warning}.get(problem.severity, log.info)
    level(str(problem))


def _is_public(file: File) -> bool:
    _, meta = get_data(Path(file.abs_src_path).read_text(encoding="utf-8"))
    return meta.get("audience") == "public"


def _links_out(files, config) -> list[str]:
    """Every file that is a link leading out of the content folders this build reads
    (content/public/ and, for the internal build, content/internal/): MkDocs would copy
    what it points at, /etc/passwd or data/ alike, into the site."""
    root = _root(config)
    allowed = {Path(config.docs_dir).resolve(), (root / "content" / "public").resolve()}
    out: list[str] = []
    folders: dict[str, Path] = {}  # each source folder resolved once, not once per file
    for file in files:
        if file.abs_src_path is None or file.src_dir is None:
            continue  # generated
        if file.src_dir not in folders:
            folders[file.src_dir] = Path(file.src_dir).resolve()
        if folders[file.src_dir] not in allowed:
            continue  # the theme's own
        real = Path(file.abs_src_path).resolve()
        if not any(real.is_relative_to(folder) for folder in allowed):
            shown = os.path.relpath(file.abs_src_path, root)
            out.append(f"{shown}: 是指向 {real} 的链接,链到了网站内容文件夹以外;不予使用,请把文件本身放进 "
                       f"{os.path.relpath(file.src_dir, root)}/")
    return out


def on_files(files, config):
    _refuse_links_out(files, config)  # before any is read
    if _audience(config) == "public":
        for file in [f for f in files if f.is_documentation_page() and not _is_public(f)]:
            log.warning(f"{file.src_uri}: 没有写明 audience: public,按内部页面处理,未进入公开网站")
            files.remove(file)
    else:
        public_dir = _root(config) / "content" / "public"
        for path in sorted(public_dir.rglob("*")):
            if path.is_file() and files.get_file_from_path(path.relative_to(public_dir).as_posix()) is None:
                files.append(File(path.relative_to(public_dir).as_posix(), str(public_dir),
                                  config.site_dir, config.use_directory_urls))
    preview = _preview.get("pages")
    sources = preview.files() if preview else [(p.path, p) for p in _pages]
    # Under the preview each generated page keeps its File (and, through it, its Page) from
    # the last rebuild: MkDocs renders only the changed ones, but working out thousands of
    # URLs and Page objects again took most of its part of a rebuild at x10.
    # (kept while the settings a File's URLs and a nav Page's title come from are unchanged)
    key = (config.site_dir, config.use_directory_urls, config.site_url, repr(config.nav))
    kept, made = _preview.get("files", {}) if _preview.get("files_key") == key else {}, {}
    taken = {f.src_uri for f in files}  # (generated paths are plain: no PurePath per page, 0.08 s at x10)
    for path, source in sources:
        if path in taken:
            raise PluginError(f"生成的页面 {path} 与手写页面同名")
        file = kept.get(path)
        if file is None and preview:
            file = _PreviewFile.generated(config, path, inclusion=InclusionLevel.INCLUDED, abs_src_path=str(source))
        elif file is None:
            file = _GeneratedFile.generated(config, path, inclusion=InclusionLevel.INCLUDED, content="")
            file.source = source
        files.append(file)
        made[path] = file
    if preview:
        _preview["files"], _preview["files_key"] = made, key
    _files[:] = [files]
    _refuse_links_out(files, config)  # content/public/ as added to the internal build too
    return files


class _GeneratedFile(File):
    """A generated page or data file of a build, read from its generators.audience.Page, which
    holds its text compressed: a build's pages are about 1 GiB of text at x100."""

    source: Page

    @property  # type: ignore[override]
    def content_string(self) -> str:
        return self.source.markdown

    @property  # type: ignore[override]
    def content_bytes(self) -> bytes:
        return self.source.encoded

    def copy_file(self, dirty: bool = False) -> None:
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        with open(self.abs_dest_path, "wb") as f:
            f.write(self.content_bytes)


def on_page_markdown(markdown, page, config, files):
    """A generated page of a build is converted to HTML only when its turn comes to be written
    (on_page_context), and its HTML let go once written (on_post_page): MkDocs converts every
    page before it writes any, and so held the HTML of the whole site at once (1.7 GiB for
    the 41,000 internal pages of x100 data). The nav needs only each page's title, which
    generated pages give in their front matter (page.meta, read by MkDocs as usual)."""
    if isinstance(page.file, _GeneratedFile):
        _files[:] = [files]  # (as the plugins left them)
        page.body_length = len(markdown)  # what follows the front matter, read again when written
        page.render = _later.__get__(page)  # no conversion now (0.4 ms a page only to set up Markdown)
        return ""
    return markdown


def _later(page, config, files) -> None:
    page.content = ""


@event_priority(100)  # before any plugin's (Material's search reads the page's HTML there)
def on_page_context(context, page, config, nav):
    if isinstance(page.file, _GeneratedFile):
        del page.render  # the Page's own again
        source = page.file.content_string
        page.markdown = source[len(source) - page.body_length:]
        page.render(config, _files[0])
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=_files[0])
    return context


@event_priority(-100)  # after every plugin's
def on_post_page(output, page, config):
    if isinstance(page.file, _GeneratedFile):
        page.markdown, page.content = "", ""  # its title stays (front matter); anchors stay for their check
    return output


class _PreviewFile(File):
    """A generated page of the preview: modified when a rebuild changed its Markdown since the
    last build that got to its end (Preview.update's lists, kept until on_post_build), which is
    what MkDocs' dirty build finds by comparing the times of the page's two files, without two
    stat calls per page twice per rebuild (28,000 at x10). A File not yet through a whole build
    (the first, or made again because its URL settings changed) is asked as MkDocs asks."""

    built = False  # set by on_post_build

    def is_modified(self) -> bool:
        if not self.built:
            return super().is_modified()
        return self.src_uri in _preview["pending"]


def _refuse_links_out(files, config) -> None:
    refused = _links_out(files, config)
    if refused:
        raise PluginError("内容文件夹里有链到外面的链接,未构建:\n" + "\n".join(refused))


class _Compiled(BytecodeCache):
    """The theme's compiled templates, kept between the rebuilds of a preview (MkDocs makes
    a new Jinja environment, and so compiles Material's templates again, for every build)."""

    store: ClassVar[dict[str, bytes]] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


def on_env(env, config, files):
    if "pages" in _preview:
        env.bytecode_cache = _Compiled()
    return env


def on_post_build(config):
    if "pages" in _preview:
        # every page changed since the last whole build is rendered now (a build that stops
        # half-way, on a page or in on_files, leaves them pending for the next)
        _preview["pending"] = set()
        for file in _preview.get("files", {}).values():
            file.built = True
        status = Path(config.site_dir) / STATUS
        status.parent.mkdir(parents=True, exist_ok=True)
        status.write_text(json.dumps({"errors": _preview["errors"]}, ensure_ascii=False), encoding="utf-8")


def on_serve(server, config, builder):
    # MkDocs polls the watched folders every 0.5 s and then waits 0.1 s for more changes; a saved
    # edit waited 0.35 s on average before the rebuild began. Poll every 0.05 s instead: the
    # folders hold a few hundred files. The wait stays longer than a poll, so that a save in two
    # steps (an editor truncates, then writes) seen half-way is one rebuild, not two (at a wait
    # of 0.05 s, 2 of 5 saves of x10 data were built twice, 0.3-0.5 s later on the page).
    server.build_delay = SETTLE_SECONDS
    mkdocs_own = [config.docs_dir, *([config.config_file_path] if config.config_file_path else [])]
    for path in mkdocs_own:
        server.unwatch(path)
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    for path in mkdocs_own:
        server.watch(path)
    server.watch(str(_data_dir(config)))
    server.watch(str(_root(config) / "content" / "public"))
    server.watch(str(_root(config) / "content" / "materials"))  # training material (data/trainings.yaml)
    return server
