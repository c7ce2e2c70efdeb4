"""What a person reads in the Prefect UI after a run: sources, validation, figures, pages.

Artifacts per run, keyed per institution so the UI keeps their history:
``<key>-sources`` (a table: source, month, rows, status, quality, seconds, error),
``<key>-summary`` (markdown: the outcome, the validation summary, what was staged and
published, the links to the validation report and the pages) and, once pages exist,
``<key>-pages`` (where the pages are, as a path: browsers refuse file:// links
from an http page). ``<key>`` is ``groendraad-<institution id>``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from groendraad.config import Config
from groendraad.months import Month
from groendraad.pipeline import SourceResult


def create(
    config: Config,
    kind: str,
    months: list[Month],
    results: list[SourceResult],
    summary: dict[str, Any],
    record: Path,
    validation_report: Path | None,
) -> None:
    """Create this run's artifacts."""
    key = artifact_key(config.institution_id)
    label = str(months[0]) if len(months) == 1 else f"{months[0]} .. {months[-1]}"
    create_table_artifact(
        sources_table(results),
        key=f"{key}-sources",
        description=f"{config.institution_name}: sources, {kind} {label}",
    )
    markdown = summary_markdown(
        config, f"{kind} {label}", results, summary, record, validation_report
    )
    create_markdown_artifact(
        markdown,
        key=f"{key}-summary",
        description=f"{config.institution_name}: validation, figures and pages, {kind} {label}",
    )
    if summary.get("pages"):  # a path, not a file:// link: browsers refuse those from http
        create_markdown_artifact(
            _pages(summary, record.parent.parent),
            key=f"{key}-pages",
            description=f"{config.institution_name}: pages",
        )


def artifact_key(institution_id: str) -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    return "groendraad-" + (re.sub(r"[^a-z0-9]+", "-", institution_id.lower()).strip("-") or "x")


def sources_table(results: list[SourceResult]) -> list[dict[str, Any]]:
    return [
        {
            "source": r.source,
            "month": str(r.month),
            "rows": r.total_rows,
            "status": r.status,
            "quality": r.quality,
            "seconds": round(r.wall_seconds, 2),
            "error": r.error or "",
        }
        for r in results
    ]


def summary_markdown(
    config: Config,
    title: str,
    results: list[SourceResult],
    summary: dict[str, Any],
    record: Path,
    validation_report: Path | None,
) -> str:
    failures = [r for r in results if r.status != "ok"]
    lines = [
        f"# {config.institution_name}: {title}",
        "",
        f"**{len(results) - len(failures)} of {len(results)} source-months staged**"
        + (f", **{len(failures)} failed**." if failures else "."),
        f"Run record: `{record}`",
        "",
        *_validation(results, failures, validation_report),
        "",
        *_staged(summary),
        "",
        *_published(summary),
        "",
        "## Pages",
        "",
        _pages(summary, record.parent.parent),
    ]
    return "\n".join(lines) + "\n"


def _validation(
    results: list[SourceResult], failures: list[SourceResult], report: Path | None
) -> list[str]:
    lines = ["## Validation", ""]
    checked = [r.validation for r in results if r.validation is not None]
    if checked:
        checks = sum(len(o.results) for o in checked)
        blocked = sum(o.blocking_failed for o in checked)
        flagged = [o for o in checked if o.warnings and not o.blocking_failed]
        lines.append(
            f"{checks:,} checks on {len(checked)} source-months: {blocked} blocked, "
            f"{len(flagged)} published with a quality flag."
        )
        lines += [f"- warning: `{_code(o.describe('warning') or '')}`" for o in flagged]
    if failures:
        lines += ["", "Refused (nothing of these was staged or published):", ""]
        lines += [f"- {r.month}: `{_code(r.error or '')}`" for r in failures]
    elif not checked:
        lines.append("Every delivery was read and staged.")
    if report is not None:
        lines += ["", f"The validation report (offline HTML): `{report}`"]
    return lines


def _staged(summary: dict[str, Any]) -> list[str]:
    staged: dict[str, dict[str, int]] = summary.get("tables") or {}
    if not staged:
        return ["## Staged", "", "Nothing is staged for these months."]
    totals: dict[str, list[int]] = defaultdict(list)
    for table, by_month in staged.items():
        totals[table] = list(by_month.values())
    lines = ["## Staged", "", "| table | months | rows |", "|---|---:|---:|"]
    lines += [f"| {t} | {len(v)} | {sum(v):,} |" for t, v in sorted(totals.items())]
    return lines


def _published(summary: dict[str, Any]) -> list[str]:
    publication = summary.get("publication")
    if not publication:
        return ["## Figures", "", "Nothing was published (see the failure above)."]
    new, unchanged = publication["new_versions"], publication["unchanged"]
    lines = [
        "## Figures",
        "",
        f"{publication['figures']:,} figures; {new_versions(list(new))}, "
        f"{len(unchanged)} unchanged.",
    ]
    lines += [f"- {name}: `{path}`" for name, path in publication.get("paths", {}).items()]
    return lines


def new_versions(months: list[str]) -> str:
    """The summary's words: "no new version", "a new version for 2 months (2025-09, 2025-10)"."""
    if not months:
        return "no new version"
    shown = ", ".join(months) if len(months) <= 12 else f"{months[0]} .. {months[-1]}"
    return f"a new version for {len(months)} month{'s' * (len(months) > 1)} ({shown})"


def _pages(summary: dict[str, Any], root: Path) -> str:
    if summary.get("pages"):
        return (
            f"The pages: `{summary['pages']}` (open it from the file share, or serve the "
            "site folder on the intranet)"
        )
    return f"No pages yet (`{root / 'site' / 'index.html'}` does not exist)."


def _code(text: str) -> str:
    return " ".join(text.replace("`", "'").split())
