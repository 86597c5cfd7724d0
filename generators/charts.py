"""Charts drawn at build time as inline SVG, text kept as text.

Labels and numbers are <text> elements (they render in the reader's own Chinese font
and can be selected, searched and read aloud); every chart is followed by its data
table on the page, so nothing is only in the picture.
"""

from __future__ import annotations

from markupsafe import Markup

from .render import html

# In user units: the SVG scales to its column (viewBox, width 100%; content/public/assets/items.css
# caps it at 30rem). A 360 px phone gives it about 328 px, 0.82 of WIDTH, so FONT 15 draws
# labels at about 12.3 px; on wide screens items.css sets the text smaller, since the chart
# is drawn larger there.
ROW = 28
FONT = 15
LABEL_WIDTH = 130
BAR_WIDTH = 200
VALUE_WIDTH = 70


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, float]], unit: str = "") -> Markup:
    """A horizontal bar chart of (label, value) rows, scaled to the largest value."""
    top = max((v for _, v in rows), default=0) or 1
    bars = [
        {"label": label, "value": value, "y": i * ROW,
         "width": round(BAR_WIDTH * value / top, 1) if value else 0,
         "text": f"{value:g}{unit}"}
        for i, (label, value) in enumerate(rows)
    ]
    return html("bar_chart.svg.j2", chart_id=chart_id, title=title, bars=bars, row=ROW, font=FONT,
                label_width=LABEL_WIDTH, bar_width=BAR_WIDTH,
                width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH, height=max(1, len(rows)) * ROW + 8)
