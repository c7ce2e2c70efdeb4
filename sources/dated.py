"""A delivery's dates decide its month.

Last month's file delivered again as this month's, or a file of the wrong month, is
refused where it is parsed: its lines say which month it is.
"""

from __future__ import annotations

import polars as pl

from groendraad.errors import SourceError
from groendraad.months import Month
from groendraad.sources.dutch_csv import LINE


def check_dated_month(
    frame: pl.DataFrame, column: str, month: Month, source: str, location: str
) -> None:
    """Refuse a delivery whose dates say it is another month's: most of its lines dated
    outside ``month`` (last month's file sent again, or a file of the wrong month).

    A few lines dated elsewhere (late corrections) pass; the expectations flag them.
    """
    if frame.height == 0:
        return
    months = frame.select(pl.col(column).dt.strftime("%Y-%m").alias("m"), pl.col(LINE))
    counts = months.group_by("m").len().sort(["len", "m"], descending=[True, False])
    in_month = int(months.filter(pl.col("m") == str(month)).height)
    if in_month * 2 > frame.height:
        return
    dated, lines = counts.row(0)
    first = int(months.filter(pl.col("m") != str(month))[LINE].min())  # type: ignore[arg-type]
    message = (
        f"{column}: {lines} of {frame.height} lines are dated in {dated} and {in_month} in "
        f"{month}: this is not {month}'s delivery (another month's file sent again?)"
    )
    raise SourceError(source, location, message, record=first)
