"""The thin adapter between the generators and MkDocs (the only MkDocs-aware code).

- on_config: load and check data/ (a data error stops the build before MkDocs
  empties site_dir), then generate this build's pages.
- on_files: fail closed on hand-written pages without `audience: public` in the
  public build; in the internal build add content/public/ as well; add the
  generated pages.
- on_startup: under `mkdocs serve`, keep each data file's parse and validation between
  rebuilds, so a rebuild after one edit reads only the edited file again.
- on_serve: watch data/ and content/public/ so `mkdocs serve` reloads on edits.

The build's audience is `extra.audience` ("internal" in mkdocs.internal.yml);
anything else is public. LUOHE_DATA overrides the data folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generators import edition  # noqa: E402
from generators.load import keep_between_loads, load  # noqa: E402
from generators.pages import generate  # noqa: E402
from generators.problems import DataError  # noqa: E402

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
    try:
        ds = load(_data_dir(config))
    except DataError as exc:
        raise PluginError(f"data/ 有错误,未构建:\n{exc}") from None
    for problem in ds.warnings:
        (log.warning if problem.severity == "warning" else log.info)(str(problem))
    config.extra.update(edition.extra(os.environ))  # footer: edition and data commit
    _pages[:] = sorted(generate(ds, _audience(config)) + edition.pages(ds, _audience(config), os.environ))
    return config


def _is_public(file: File) -> bool:
    _, meta = get_data(Path(file.abs_src_path).read_text(encoding="utf-8"))
    return meta.get("audience") == "public"


def on_files(files, config):
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
    return files


def on_serve(server, config, builder):
    server.watch(str(_data_dir(config)))
    server.watch(str(_root(config) / "content" / "public"))
    server.watch(str(_root(config) / "content" / "materials"))  # training material (data/trainings.yaml)
    return server
