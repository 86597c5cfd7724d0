"""Building, publishing and checking the two sites (the layer above generators/).

    python -m publishing.build     build site/public and site/internal together (make site)
    python -m publishing.publish   commit an edition with mike, export the versioned tree (make publish, make export)
    python -m publishing.manifest  write or verify manifest.sha256 (make verify)
    python -m publishing.editions  what the next edition's changelog will list
    python -m publishing.ledger    the rectification ledger as an Excel workbook, out and back in (make ledger, make import)

These run MkDocs (in a child process, with hooks/mkdocs_adapter.py) and git; the pages
come from `generators.build()`.
"""
