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


def validation_warnings(root: Path, months: list[Month] | None = None) -> set[tuple[str, Month]]:
    """Source-months (of ``months``, default all) whose *staged* delivery passed
    validation only with warnings.

    Only the run that staged a source-month counts (its run id is in the staged
    files' metadata): a later delivery that was refused changed nothing staged, so its
    warnings must not change a published figure either. For files staged before run
    ids were kept, the latest run without a blocking failure counts.
    """
    from groendraad.expectations import read_results

    results = read_results(root)
    if results.is_empty():
        return set()
    if months is not None:
        results = results.filter(pl.col("month").is_in([str(m) for m in months]))
    staged_by = _staging_runs(root, results.select("source", "month").unique().rows())
    refused = (pl.col("severity") == "blocking") & ~pl.col("success")
    runs = results.group_by("source", "month", "run_id").agg(refused.any().alias("refused"))
    fallback = (
        runs.filter(~pl.col("refused"))
        .group_by("source", "month")
        .agg(pl.col("run_id").max().alias("fallback"))
    )
    staged = pl.DataFrame(
        [(src, m, run) for (src, m), run in staged_by.items()],
        schema={"source": pl.String, "month": pl.String, "staged": pl.String},
        orient="row",
    )
    chosen = fallback.join(staged, on=["source", "month"], how="full", coalesce=True).select(
        "source", "month", pl.coalesce("staged", "fallback").alias("staged_run")
    )
    flagged = results.join(chosen, on=["source", "month"]).filter(
        (pl.col("run_id") == pl.col("staged_run"))
        & (pl.col("severity") == "warning")
        & ~pl.col("success")
    )
    return {(s, Month.parse(str(m))) for s, m in flagged.select("source", "month").unique().rows()}


def _staging_runs(root: Path, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(source, month) -> the run id that staged it, where the staged files say."""
    from groendraad.sources import registry
    from groendraad.warehouse import staging

    found = {}
    for source, month in pairs:
        if source not in registry.CONNECTORS:
            continue
        for name in registry.connector(source).TABLES:
            path = staging.month_file(root, name, Month.parse(month))
            run_id = (
                staging.file_metadata(path).get("groendraad.run_id") if path.is_file() else None
            )
            if run_id:
                found[(source, month)] = run_id
                break
    return found


def publish_months(
    config: Config, root: Path, months: list[Month], *, workers: Workers = IN_PROCESS
) -> PublicationSummary:
    """Publish the metrics of ``months`` (a new version only where a figure changed),
    then write a new page set from everything published (half of it in one of
    ``workers``, when there are any)."""
    from groendraad.charts import render_site
    from groendraad.metrics import publish
    from groendraad.metrics.gapfill import configured_method

    report = publish(
        root,
        config.institution_id,
        months,
        warnings=validation_warnings(root, months),
        gap_filling=configured_method(config.raw),
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
