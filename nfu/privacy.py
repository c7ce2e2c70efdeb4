"""No personal data in an export: no personnel numbers, no group under 5 people.

Mobility figures are about people; the metrics layer never publishes a group under
``min_group_size`` (metrics/CONTRACT.md), and the export checks again: a row of fewer
people, a people count below the minimum, or a mobility figure without its count is
dropped by the writer and refused by the reader. Before writing, the export also runs
the publication guard of the expectations package against the pseudonymised personnel
numbers of the exported months.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from groendraad.errors import GroendraadError
from groendraad.months import Month
from groendraad.nfu.contract import Contract
from groendraad.warehouse import staging

PERSONAL_TABLES = ("commuting", "business_travel")  # hold pseudonymised personnel numbers


def small_group_filter(contract: Contract) -> pl.Expr:
    """True for a row that describes fewer than ``min_group_size`` people (never null)."""
    limit = contract.min_group_size
    too_few = (pl.col("people") < limit).fill_null(False)
    small_count = ((pl.col("kind") == "count") & (pl.col("value") < limit)).fill_null(False)
    uncounted = (
        (pl.col("theme") == "mobility") & pl.col("value").is_not_null() & pl.col("people").is_null()
    )
    return too_few | small_count | uncounted


def personnel_numbers(root: Path, months: list[Month]) -> set[str]:
    """The pseudonymised personnel numbers of the months (none may appear in the export)."""
    wanted = [str(m) for m in months]
    found: set[str] = set()
    for name in PERSONAL_TABLES:
        if staging.staged_months(root, name):
            ids = staging.scan(root, name).filter(pl.col("month").is_in(wanted))
            found.update(ids.select("employee_id").unique().collect()["employee_id"].to_list())
    return found


def guard_personal_data(frame: pl.DataFrame, known_ids: set[str], contract: Contract) -> None:
    """The publication guard of the expectations package: no personnel numbers, no small groups."""
    from groendraad.expectations.published import PersonalDataError, assert_publishable

    try:
        assert_publishable(frame, "nfu_export", group_columns=["people"], known_ids=known_ids,
                           min_group_size=contract.min_group_size)  # fmt: skip
    except PersonalDataError as exc:
        raise GroendraadError(str(exc)) from None
