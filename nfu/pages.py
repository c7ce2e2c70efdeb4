"""The benchmark's pages: static HTML, one folder, opened from a file share.

index.html (inputs, factor year, position per theme, timings), compare.html (per FTE,
per m2, per bed-day, shares), trends.html, co2e.html (published vs recomputed) and,
with a peer set, peers.html. Every name is escaped. Charts are Vega-Lite specs
(nfu/figures.py) drawn by the Vega bundles the Green Team site vendors in
charts/assets/vendor, copied once into ``<out>/assets/vendor``; without them the pages
show the tables only. Every chart has its table; no page loads anything from outside.
"""

from __future__ import annotations

import html
import importlib.util
import json
import shutil
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import altair as alt

from groendraad.warehouse.files import write_atomic

VENDOR = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)  # unsafe-eval: Vega compiles its expressions with Function()
NAV = [("index.html", "Overview"), ("compare.html", "Comparisons"), ("trends.html", "Trends"),
       ("co2e.html", "CO2e recomputed"), ("peers.html", "NHS peers")]  # fmt: skip
EMBED_JS = """document.addEventListener("DOMContentLoaded", function () {
  if (typeof vegaEmbed !== "function") { return; }
  document.querySelectorAll("[data-spec]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    vegaEmbed(el, spec, {actions: false, renderer: "svg"}).catch(function (error) {
      el.textContent = "Chart not available: " + error;
    });
  });
});
"""
STYLE = """body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}
body{color:#222}nav a{margin-right:1rem}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left}td.num{text-align:right}
.p4{background:#b8e186}.p3{background:#e6f5d0}.p2{background:#f7f7f7}.p1{background:#fde0ef}
.p0{background:#f1b6da}.note{color:#555;font-size:.9rem}figure{margin:1rem 0 2rem}"""


def esc(value: Any) -> str:
    """Text for HTML: escaped, ``None`` as a dash."""
    return "–" if value is None else html.escape(str(value), quote=True)


def number(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else esc(value)


def table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Collection[int] = ()
) -> str:
    """An HTML table; cells are escaped (floats formatted), ``numeric`` columns right-aligned."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = (f'<td class="num">{number(c)}</td>' if i in numeric else f"<td>{number(c)}</td>"
                 for i, c in enumerate(row))  # fmt: skip
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def percentile_cell(value: float | None) -> str:
    """A table cell coloured by percentile band (100: best)."""
    if value is None:
        return "<td>–</td>"
    return f'<td class="num p{min(int(value // 20), 4)}">{value:.0f}</td>'


class Site:
    """The pages of one benchmark, written into ``out``."""

    def __init__(self, out: Path, vendor: Path | None) -> None:
        self.out = out
        self.charts = vendor is not None
        self._counter = 0
        if vendor is not None:
            target = out / "assets" / "vendor"
            target.mkdir(parents=True, exist_ok=True)
            for name in VENDOR:
                shutil.copyfile(vendor / name, target / name)
            write_atomic(out / "assets" / "nfu.js", lambda tmp: tmp.write_text(EMBED_JS))

    def figure(self, chart: alt.TopLevelMixin, title: str, table_html: str) -> str:
        """A chart (if the Vega bundles are there) and its table."""
        self._counter += 1
        key = f"spec-{self._counter}"
        parts = [f"<h3>{esc(title)}</h3>"]
        if self.charts:
            # "<" as \u003c: no name in the data can close or open a tag inside the script
            spec = json.dumps(chart.to_dict(validate=False)).replace("<", "\\u003c")
            parts.append(f'<div class="chart" role="figure" aria-label="{esc(title)}" '
                         f'data-spec="{key}"></div>')  # fmt: skip
            parts.append(f'<script type="application/json" id="{key}">{spec}</script>')
        parts.append(table_html)
        return f"<figure>{''.join(parts)}</figure>"

    def write(self, name: str, title: str, body: str, pages: Sequence[str]) -> Path:
        """One page with the navigation to the pages that exist."""
        links = " ".join(f'<a href="{esc(href)}">{esc(label)}</a>'
                         for href, label in NAV if href in pages)  # fmt: skip
        scripts = "".join(f'<script src="assets/vendor/{s}" defer></script>' for s in VENDOR)
        scripts += '<script src="assets/nfu.js" defer></script>' if self.charts else ""
        document = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)} – NFU benchmark</title><style>{STYLE}</style>"
            f"{scripts if self.charts else ''}</head><body><nav>{links}</nav>"
            f"<h1>{esc(title)}</h1>{body}</body></html>"
        )
        path = self.out / name
        write_atomic(path, lambda tmp: tmp.write_text(document, encoding="utf-8"))
        return path


def vendor_folder() -> Path | None:
    """The Vega bundles of the Green Team site (charts/assets/vendor), if installed.

    Found without importing ``groendraad.charts`` (its site code is not needed here).
    """
    spec = importlib.util.find_spec("groendraad.charts")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "assets" / "vendor"
    return folder if all((folder / name).is_file() for name in VENDOR) else None
