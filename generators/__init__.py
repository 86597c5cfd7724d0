"""Luohe inspection site generators: data/ -> validated records -> Markdown pages.

`build(data_dir, audience, edition) -> (pages, problems)` (generators/pipeline.py) is
the one entry point: load (yamlstrict + model -> dataset, then checks) -> generate
(pages.*, edition). The MkDocs adapter lives in hooks/mkdocs_adapter.py; nothing here
imports MkDocs.
"""

from .pipeline import build

__all__ = ["build"]
