"""The validation report of a run: one offline HTML page for the coordinator.

Plain HTML and inline CSS: no scripts, no fonts or styles loaded from elsewhere (GX's
own Data Docs load scripts from the internet), so the page opens anywhere, also
offline. Every value is HTML-escaped. First a summary per source-month, then each
failed check with what it means, what was observed, how many rows it affects and
where (up to five located examples); passed checks are folded away.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from groendraad.expectations.results import CheckResult, ValidationOutcome
from groendraad.warehouse.files import write_bytes_atomic

_QUALITY = {
    "blocked": "Blocked: not published",
    "warning": "Published with a quality flag",
    "ok": "OK",
}
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1b1f23;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:2px solid #2e7d32}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f3f6f3}.num{text-align:right}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.8rem;font-size:.85rem}
.blocked,.blocking{background:#fde2e1;color:#8a1c12}.warning{background:#fff3cd;color:#6b4e00}
.ok{background:#e3f4e4;color:#1d5e20}
.check{border-left:.35rem solid #ccc;padding:.4rem 1rem;margin:1rem 0;background:#fafafa}
.check.blocking{border-color:#c62828;background:#fff8f7}
.check.warning{border-color:#f9a825;background:#fffdf5}
.check h4{margin:.2rem 0}.meaning{margin:.3rem 0 .6rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0}code{font-size:.9em}ul{margin:0;padding-left:1.2rem}
"""


def render_report(outcomes: Sequence[ValidationOutcome], path: Path) -> Path:
    """Write the HTML report of ``outcomes`` (one run) to ``path``; return ``path``."""
    write_bytes_atomic(path, report_html(outcomes).encode("utf-8"))
    return path


def report_html(outcomes: Sequence[ValidationOutcome], now: datetime | None = None) -> str:
    """The report as one HTML document."""
    generated = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    runs = ", ".join(sorted({o.run_id for o in outcomes})) or "(none)"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Validation report {_e(runs)}</title><style>{_CSS}</style></head><body>",
        "<h1>Groene Draad: validation report</h1>",
        f"<p>Run <code>{_e(runs)}</code>, written {_e(generated)}. {_e(_headline(outcomes))}</p>",
        "<p><span class='badge blocking'>blocking</span> a failed blocking check keeps that"
        " source's month out of publication (its delivery is kept; the other sources go on)."
        " <span class='badge warning'>warning</span> the figures are published with a quality"
        " flag.</p>",
        _summary(outcomes),
        "<h2>Failed checks</h2>",
        *[_failures(o) for o in outcomes if o.blocking or o.warnings],
    ]
    if not any(o.blocking or o.warnings for o in outcomes):
        parts.append("<p>None: every check passed.</p>")
    parts += ["<h2>Passed checks</h2>", *[_passed(o) for o in outcomes], "</body></html>"]
    return "\n".join(parts) + "\n"


def _headline(outcomes: Sequence[ValidationOutcome]) -> str:
    count = {q: sum(o.quality == q for o in outcomes) for q in _QUALITY}
    return (
        f"{len(outcomes)} source-months checked: {count['blocked']} blocked,"
        f" {count['warning']} with warnings, {count['ok']} OK."
    )


def _summary(outcomes: Sequence[ValidationOutcome]) -> str:
    rows = [
        "<h2>Summary</h2><table><thead><tr><th>Source</th><th>Month</th><th>Status</th>"
        "<th class='num'>Blocking failed</th><th class='num'>Warnings</th>"
        "<th class='num'>Checks passed</th><th class='num'>Seconds</th></tr></thead><tbody>"
    ]
    for o in outcomes:
        passed = sum(r.success for r in o.results)
        rows.append(
            f"<tr><td>{_e(o.source)}</td><td>{_e(o.month)}</td>"
            f"<td><span class='badge {_e(o.quality)}'>{_e(_QUALITY[o.quality])}</span></td>"
            f"<td class='num'>{len(o.blocking)}</td><td class='num'>{len(o.warnings)}</td>"
            f"<td class='num'>{passed} of {len(o.results)}</td>"
            f"<td class='num'>{o.seconds.get('total', 0.0):.2f}</td></tr>"
        )
    return "\n".join([*rows, "</tbody></table>"])


def _failures(outcome: ValidationOutcome) -> str:
    title = f"{outcome.source} {outcome.month}: {_QUALITY[outcome.quality]}"
    checks = [_check(r) for r in [*outcome.blocking, *outcome.warnings]]
    return "\n".join([f"<h3>{_e(title)}</h3>", *checks])


def _check(result: CheckResult) -> str:
    sample = "".join(f"<li><code>{_e(s)}</code></li>" for s in result.unexpected_sample)
    where = f"<ul>{sample}</ul>" if sample else "(the check as a whole)"
    return (
        f"<section class='check {_e(result.severity)}'>"
        f"<h4><span class='badge {_e(result.severity)}'>{_e(result.severity)}</span> "
        f"<code>{_e(result.expectation)}</code> in table <code>{_e(result.table)}</code></h4>"
        f"<p class='meaning'>{_e(result.meaning)}</p><dl>"
        f"<dt>Observed</dt><dd>{_e(result.observed_value)}</dd>"
        f"<dt>Rows affected</dt><dd>{result.rows_affected} of {result.rows_checked}</dd>"
        f"<dt>Where</dt><dd>{where}</dd></dl></section>"
    )


def _passed(outcome: ValidationOutcome) -> str:
    passed = [r for r in outcome.results if r.success]
    rows = "".join(
        f"<tr><td><code>{_e(r.expectation)}</code></td><td>{_e(r.severity)}</td>"
        f"<td>{_e(r.observed_value)}</td></tr>"
        for r in passed
    )
    return (
        f"<details><summary>{_e(outcome.source)} {_e(outcome.month)}: {len(passed)} checks"
        f" passed</summary><table><thead><tr><th>Check</th><th>Severity</th><th>Observed</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></details>"
    )


def _e(value: object) -> str:
    return escape(str(value), quote=True)
