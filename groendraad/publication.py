"""After gathering: publish what passed validation: the metrics, then the chart pages.

One entry point, :func:`publish_months`, shared by the CLI and the Prefect flows, so
both publish the same way. The caller holds the warehouse lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from groendraad.config import Config
from groendraad.months import Month
from groendraad.workers import IN_PROCESS, Workers


@dataclass
class PublicationSummary:
    """What a publication wrote: new metric versions per month and where things are."""

    new_versions: dict[str, int] = field(default_factory=dict)  # month -> version
    unchanged: list[str] = field(default_factory=list)
    figures: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # metrics, pages
    paths: dict[str, str] = field(default_factory=dict)


def validation_warnings(root: Path) -> set[tuple[str, Month]]:
    """Source-months whose latest validation passed only with warnings."""
    from groendraad.expectations import read_results

    results = read_results(root)
    if results.is_empty():
        return set()
    latest = results.group_by("source", "month").agg(pl.col("run_id").max().alias("latest"))
    flagged = results.join(latest, on=["source", "month"]).filter(
        (pl.col("run_id") == pl.col("latest"))
        & (pl.col("severity") == "warning")
        & ~pl.col("success")
    )
    return {(s, Month.parse(str(m))) for s, m in flagged.select("source", "month").unique().rows()}


def publish_months(
    config: Config, root: Path, months: list[Month], *, workers: Workers = IN_PROCESS
) -> PublicationSummary:
    """Publish the metrics of ``months`` (a new version only where a figure changed),
    then write a new page set from everything published (half of it in one of
    ``workers``, when there are any)."""
    from groendraad.charts import render_site
    from groendraad.metrics import publish

    report = publish(
        root,
        config.institution_id,
        months,
        warnings=validation_warnings(root),
        emissions=config.raw.get("emissions"),
    )
    site = render_site(root, institution_name=config.institution_name, workers=workers)
    return PublicationSummary(
        new_versions={str(m): v for m, v in sorted(report.published.items())},
        unchanged=[str(m) for m in report.unchanged],
        figures=report.rows,
        seconds={"metrics": sum(report.seconds.values()), "pages": site.seconds},
        paths={
            "metrics": str(root / "marts" / "metrics_current.parquet"),
            "progress": str(root / "marts" / "progress.parquet"),
            "pages": str(site.index),
        },
    )
