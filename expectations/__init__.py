"""Validation with Great Expectations: no wrong number reaches a chart.

Every staging table of every source-month is checked against its suite (the YAML files
in ``suites/``, plus the schema checks warehouse/tables.yaml implies) before anything
is published from it. A failed ``blocking`` check keeps that source's month out of
publication; a failed ``warning`` publishes it with a quality flag.

Public API (importing this package does not import Great Expectations; the first
validation does, once per process):

- :func:`validate_source_month` -- check one source-month's frames -> ValidationOutcome
- :func:`validate_staged_month` -- check again what is staged for a month
- :func:`publishable_tables` -- all of a source-month's tables, or none when blocked
- :func:`write_results` / :func:`read_results` -- the ``validation_results`` table
- :func:`render_report` -- the offline HTML report of a run
- :func:`check_published` / :func:`assert_publishable` -- nothing personal is published
- :func:`suites` -- the suites, by table
"""

from groendraad.expectations.published import assert_publishable, check_published
from groendraad.expectations.report import render_report
from groendraad.expectations.results import (
    CheckResult,
    ValidationOutcome,
    read_results,
    write_results,
)
from groendraad.expectations.suite import ExpectationSpec, Suite, suites
from groendraad.expectations.validate import (
    publishable_tables,
    validate_source_month,
    validate_staged_month,
)

__all__ = [
    "CheckResult",
    "ExpectationSpec",
    "Suite",
    "ValidationOutcome",
    "assert_publishable",
    "check_published",
    "publishable_tables",
    "read_results",
    "render_report",
    "suites",
    "validate_source_month",
    "validate_staged_month",
    "write_results",
]
