"""Colours, quality markers and the shared chart look.

Colours are the Okabe-Ito palette (Okabe & Ito 2008), distinguishable with every
common colour-vision deficiency; no chart uses more of them than there are (the
breakdowns fold the rest into "Other"). Meaning is never carried by colour alone:
verdicts also have a word and a symbol, quality has a marker shape.
"""

from __future__ import annotations

OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
OTHER_GREY = "#999999"
MAIN = OKABE_ITO[0]
HIGHLIGHT = OKABE_ITO[5]  # the reader's own department among its peers
TARGET = "#000000"
VERDICT_COLOURS = {
    "on track": "#009E73",
    "at risk": "#E69F00",
    "off track": "#D55E00",
    "no data": "#999999",
}
VERDICT_SYMBOLS = {"on track": "✓", "at risk": "!", "off track": "✗", "no data": "?"}
# marker shape per quality (measured months carry no marker)
QUALITY_SHAPES = {"mixed": "diamond", "estimated": "triangle-up", "missing": "cross"}
QUALITY_FILL = "#FFFFFF"
MISSING_BAND = "#DDDDDD"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def colours(count: int, other: bool = False) -> list[str]:
    """``count`` palette colours; with ``other`` the last is the grey of "Other"."""
    if count > len(OKABE_ITO) + int(other):
        raise ValueError(f"{count} categories: fold the smallest into 'Other' first")
    if other:
        return [*OKABE_ITO[: count - 1], OTHER_GREY]
    return OKABE_ITO[:count]


CONFIG: dict = {
    "font": FONT,
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "gridColor": "#E5E5E5",
        "domainColor": "#888888",
        "tickColor": "#888888",
        "labelColor": "#333333",
        "titleColor": "#333333",
    },
    "legend": {
        "orient": "bottom",
        "direction": "horizontal",
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelLimit": 260,
        "symbolStrokeWidth": 1.5,
    },
    "axisY": {
        "titleAngle": 0,
        "titleAlign": "left",
        "titleBaseline": "bottom",
        "titleX": 0,
        "titleY": -8,
        "titleFontWeight": "normal",
    },
    "view": {"stroke": None},
    "title": {
        "fontSize": 14,
        "anchor": "start",
        "subtitleFontSize": 12,
        "subtitleColor": "#555555",
    },
}
