"""The one Jinja2 environment for Markdown templates, and one for HTML/SVG.

Markdown templates escape every `{{ value }}` with text.md unless it is Markup,
so data can never inject HTML or Markdown; HTML and SVG templates autoescape.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from . import text


class _TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept between runs (Jinja's per-user folder in the temp directory):
    compiling them took about 0.3 s of each `mkdocs build`. Jinja uses an entry only when
    its template's source is unchanged. Code compiled by one environment is not valid in
    another, and Jinja's key is the template's name and file only: the file names carry
    the environment and a digest of this module, where the environments are configured.
    A cache that cannot be written is skipped."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@cache
def _bytecode_cache(kind: str) -> BytecodeCache | None:
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    try:
        return _TemplateCache(pattern=f"luohe-{kind}-{digest}-%s.cache")
    except (OSError, RuntimeError):  # no safe per-user temp folder: compile every time
        return None


def templates_stamp() -> tuple:
    """Each template file's name, size and modification time: Jinja reloads a template that
    changed, so pages kept between the rebuilds of a preview must go when this changes."""
    folder = Path(__file__).parent / "templates"
    return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder) if e.is_file()))


@cache
def _markdown_env() -> Environment:
    env = Environment(
        loader=PackageLoader("generators", "templates"),
        bytecode_cache=_bytecode_cache("markdown"),
        # autoescape on so macros return Markup; finalize escapes for Markdown first,
        # so every plain value is Markdown-escaped and HTML-escaped exactly once.
        autoescape=True,
        finalize=text.md,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = text.paragraphs
    # the built-in join would only HTML-escape its items: escape each for Markdown
    env.filters["join"] = lambda seq, sep="": Markup(text.md(sep).join(text.md(x) for x in seq))
    env.filters["cell"] = text.cell
    env.filters["date"] = text.date
    env.filters["date_zh"] = text.date_zh  # 2024年12月31日: dates in prose a citizen reads
    env.filters["tel"] = text.tel  # a phone number as a tel: link
    env.filters["mailto"] = text.mailto  # an e-mail address as a mailto: link
    return env


@cache
def _html_env() -> Environment:
    return Environment(
        loader=PackageLoader("generators", "templates"),
        bytecode_cache=_bytecode_cache("html"),
        autoescape=True,  # every template rendered here is HTML, SVG or XML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(title: str, **meta: Any) -> str:
    data = {"title": text.title(title), **{k: v for k, v in meta.items() if v is not None}}
    # libyaml's emitter (when PyYAML has it) writes the same text as the pure-Python one, faster
    dumped = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=True)
    return "---\n" + dumped + "---\n\n"


def markdown(template: str, title: str, meta: dict | None = None, **context: Any) -> str:
    """Render a Markdown page: front matter with a safe title, then the template."""
    body = _markdown_env().get_template(template).render(title=title, **context)
    return front_matter(title, **(meta or {})) + body


def html(template: str, **context: Any) -> Markup:
    return Markup(_html_env().get_template(template).render(**context))


def link(label: object, target: str) -> Markup:
    """A Markdown link to a generated page; target is built from validated ids only."""
    return Markup(f"[{text.md(label)}]({target})")
