"""The thin adapter between the generators and MkDocs (the only MkDocs-aware code).

- on_config: load and check data/ (a data error stops the build before MkDocs
  empties site_dir), then generate this build's pages.
- on_files: fail closed on hand-written pages without `audience: public` in the
  public build; in the internal build add content/public/ as well; add the
  generated pages; refuse (stop the build) any file that is a link leading out
  of the content folders the build reads.
- on_startup: under `mkdocs serve`, keep each data file's parse and validation between
  rebuilds, so a rebuild after one edit reads only the edited file again.
- on_serve: watch data/ and content/public/ so `mkdocs serve` reloads on edits.

The build's audience is `extra.audience` ("internal" in mkdocs.internal.yml);
anything else is public. LUOHE_DATA overrides the data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils.meta import get_data

from generators import build
from generators.edition import Edition
from generators.load import keep_between_loads
from generators.problems import Problem

log = get_plugin_logger("luohe")
_pages: list = []


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _audience(config) -> str:
    return "internal" if config.extra.get("audience") == "internal" else "public"


def _data_dir(config) -> Path:
    return Path(os.environ.get("LUOHE_DATA") or _root(config) / "data")


def on_startup(command, dirty):
    keep_between_loads(command == "serve")


def on_config(config):
    edition = Edition.from_env(os.environ)
    pages, problems = build(_data_dir(config), _audience(config), edition)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise PluginError("data/ 有错误,未构建:\n" + "\n".join(map(str, problems)))
    for problem in problems:
        _log(problem)
    config.extra.update(edition.extra())  # footer: edition and data commit
    _pages[:] = pages
    return config


def _log(problem: Problem) -> None:
    (log.warning if problem.severity == "warning" else log.info)(str(problem))


def _is_public(file: File) -> bool:
    _, meta = get_data(Path(file.abs_src_path).read_text(encoding="utf-8"))
    return meta.get("audience") == "public"


def _links_out(files, config) -> list[str]:
    """Every file that is a link leading out of the content folders this build reads
    (content/public/ and, for the internal build, content/internal/): MkDocs would copy
    what it points at, /etc/passwd or data/ alike, into the site."""
    root = _root(config)
    allowed = {Path(config.docs_dir).resolve(), (root / "content" / "public").resolve()}
    out = []
    for file in files:
        if file.abs_src_path is None or file.src_dir is None or Path(file.src_dir).resolve() not in allowed:
            continue  # generated, or the theme's own
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
    for page in _pages:
        if files.get_file_from_path(page.path) is not None:
            raise PluginError(f"生成的页面 {page.path} 与手写页面同名")
        files.append(File.generated(config, page.path, content=page.markdown,
                                    inclusion=InclusionLevel.INCLUDED))
    _refuse_links_out(files, config)  # content/public/ as added to the internal build too
    return files


def _refuse_links_out(files, config) -> None:
    refused = _links_out(files, config)
    if refused:
        raise PluginError("内容文件夹里有链到外面的链接,未构建:\n" + "\n".join(refused))


def on_serve(server, config, builder):
    server.watch(str(_data_dir(config)))
    server.watch(str(_root(config) / "content" / "public"))
    server.watch(str(_root(config) / "content" / "materials"))  # training material (data/trainings.yaml)
    return server
