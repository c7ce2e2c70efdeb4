"""The last guard before staging: no table of a delivery holds NaN or an infinity.

Every parser refuses non-finite input where it reads it (with the line or record);
this catches what arithmetic made of finite input (``1e300 x 1e300``) and anything a
future parser forgets, still before a single row is staged.
"""

from __future__ import annotations

import polars as pl

from groendraad.errors import SourceError
from groendraad.sources.dutch_csv import LINE

FLOATS = (pl.Float32, pl.Float64)


def check_finite(source: str, location: str, frames: dict[str, pl.DataFrame]) -> None:
    """Raise a SourceError at the first non-finite float of ``frames`` (table, column,
    and line when the table has line numbers)."""
    for table, frame in frames.items():
        for column, dtype in frame.schema.items():
            if dtype not in FLOATS:
                continue
            bad = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_finite())
            if bad.height:
                line = int(bad[LINE][0]) if LINE in bad.columns else None
                message = (
                    f"{table}.{column} is not a finite number (NaN or infinite) in "
                    f"{bad.height} row(s): nothing of this delivery is staged"
                )
                raise SourceError(source, location, message, record=line)
