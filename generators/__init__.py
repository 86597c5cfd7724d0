"""Luohe inspection site generators: data/ -> validated records -> Markdown pages.

Pipeline: load (yamlstrict + model) -> check (checks) -> generate (pages.*).
The MkDocs adapter lives in hooks/mkdocs_adapter.py; nothing here imports MkDocs.
"""
