"""Green Deal metrics and targets: from staged deliveries to trusted monthly figures.

Public entry points (see metrics/CONTRACT.md for the published table)::

    publish(root, institution_id, months=None, *, warnings=frozenset()) -> PublishReport
    read_metrics(root, as_of=None) -> pl.DataFrame          # current, or as published on a date
    list_versions(root, period=None) -> pl.DataFrame        # every published version
    diff_versions(root, period, v_old, v_new) -> pl.DataFrame   # what changed and why
    progress(root) -> pl.DataFrame                          # per target and month, with verdict

Data, not code: catalogue.yaml (metrics), factors.csv (emission factors with their
sources), targets.yaml (targets with citations).
"""

from groendraad.metrics.catalogue import load_catalogue
from groendraad.metrics.diff import diff_versions
from groendraad.metrics.factors import factor_set_version, load_factors
from groendraad.metrics.progress import progress, progress_file, write_progress
from groendraad.metrics.publish import PublishReport, publish
from groendraad.metrics.store import current_file, list_versions, read_metrics, read_version
from groendraad.metrics.targets import load_targets

__all__ = [
    "PublishReport",
    "current_file",
    "diff_versions",
    "factor_set_version",
    "list_versions",
    "load_catalogue",
    "load_factors",
    "load_targets",
    "progress",
    "progress_file",
    "publish",
    "read_metrics",
    "read_version",
    "write_progress",
]
