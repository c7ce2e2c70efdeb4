"""Validation results as data: one row per check, per source-month, per run.

Layout in the warehouse (``run`` as a hive partition; one file per source-month, so a
run can write its results month by month and a re-run never appends to an old file)::

    validation/results/run=<run id>/<YYYY-MM>_<source>.parquet

Every file has the columns of :data:`RESULT_SCHEMA` and is written atomically (a
temporary name, then one rename). Read them all with :func:`read_results` or, e.g.,
DuckDB: ``read_parquet('validation/results/*/*.parquet')``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from groendraad.warehouse.files import write_atomic

RESULTS_DIR = Path("validation") / "results"
RESULT_SCHEMA = pl.Schema(
    {
        "run_id": pl.String(),
        "source": pl.String(),
        "month": pl.String(),
        "table": pl.String(),
        "expectation": pl.String(),
        "severity": pl.String(),
        "success": pl.Boolean(),
        "observed_value": pl.String(),
        "rows_affected": pl.Int64(),
        "rows_checked": pl.Int64(),
        "unexpected_sample": pl.List(pl.String()),
        "meaning": pl.String(),
    }
)
_SAFE_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one expectation on one table of one source-month."""

    run_id: str
    source: str
    month: str
    table: str
    expectation: str  # the expectation's id, e.g. waste_collections.eural_code_known
    severity: str  # blocking | warning
    success: bool
    observed_value: str  # plain text: "2 of 412 lines", "ratio 0.001", ...
    rows_affected: int  # rows (lines, meter-days, meters ...) that failed the check
    rows_checked: int
    unexpected_sample: tuple[str, ...]  # up to 5 located examples: "source_line=14, ..."
    meaning: str  # what the check means, for the coordinator

    @property
    def failed(self) -> bool:
        return not self.success


@dataclass
class ValidationOutcome:
    """Every check of one source-month in one run, and what it means for publication."""

    run_id: str
    source: str
    month: str
    results: list[CheckResult] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # frames, gx, total

    @property
    def blocking_failed(self) -> bool:
        """A blocking check failed: this source's month must not be published."""
        return any(r.failed and r.severity == "blocking" for r in self.results)

    @property
    def blocking(self) -> list[CheckResult]:
        return [r for r in self.results if r.failed and r.severity == "blocking"]

    @property
    def warnings(self) -> list[CheckResult]:
        """Failed warning checks: published, with a quality flag."""
        return [r for r in self.results if r.failed and r.severity == "warning"]

    @property
    def quality(self) -> str:
        """``blocked`` (not publishable), ``warning`` (publish with a flag) or ``ok``."""
        if self.blocking_failed:
            return "blocked"
        return "warning" if self.warnings else "ok"

    def describe(self, severity: str = "blocking") -> str | None:
        """The failed checks of ``severity`` in one line for a run's error column, or None.

        E.g. ``waste 2025-10: waste_totals.totaal_matches_lines: 1 of 1 Totaal lines at
        file_name='afval_2025-10.csv', source_line=10, ...``.
        """
        failed = [r for r in self.results if r.failed and r.severity == severity]
        if not failed:
            return None
        return f"{self.source} {self.month}: " + "; ".join(_one_line(r) for r in failed)


def _one_line(result: CheckResult) -> str:
    text = f"{result.expectation}: {result.observed_value}"
    if result.unexpected_sample:
        more = len(result.unexpected_sample) - 1
        text += f" at {result.unexpected_sample[0]}" + (f" (and {more} more shown)" if more else "")
    return text


def results_frame(outcomes: Iterable[ValidationOutcome]) -> pl.DataFrame:
    """All results of ``outcomes`` as one frame with :data:`RESULT_SCHEMA`."""
    rows = [asdict(r) for outcome in outcomes for r in outcome.results]
    for row in rows:
        row["unexpected_sample"] = list(row["unexpected_sample"])
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")


def write_results(warehouse: Path, outcomes: Iterable[ValidationOutcome]) -> list[Path]:
    """Write the results of ``outcomes`` (one run) into the warehouse; return the files.

    One Parquet file per source-month (see the module docstring for the layout); a
    source-month validated again in the same run replaces its file.
    """
    written = []
    for outcome in outcomes:
        path = result_file(warehouse, outcome.run_id, outcome.month, outcome.source)
        frame = results_frame([outcome])
        write_atomic(path, lambda tmp, frame=frame: frame.write_parquet(tmp, compression="zstd"))
        written.append(path)
    return written


def result_file(warehouse: Path, run_id: str, month: str, source: str) -> Path:
    """Where the results of one source-month of one run are kept."""
    if not _SAFE_RUN_ID.match(run_id):
        raise ValueError(f"run id {run_id!r} is not usable in a file name")
    return warehouse / RESULTS_DIR / f"run={run_id}" / f"{month}_{source}.parquet"


def read_results(warehouse: Path) -> pl.DataFrame:
    """Every validation result kept in the warehouse (empty when there are none)."""
    files = sorted((warehouse / RESULTS_DIR).glob("run=*/*.parquet"))
    if not files:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    kept = pl.scan_parquet(files).collect()  # one scan: far quicker than file by file
    return kept.sort("run_id", "month", "source", maintain_order=True)
