"""What disclosure control costs: suppressed commuting cells per level, and the time.

    uv run python benchmarks/disclosure.py demo-hospital/warehouse

Recomputes the commuting table of every staged month of the warehouse (full data, as
metrics/mobility.py does), suppresses it (metrics/disclosure.py) and prints, per level,
how many place x mode cells (modes and totals) there are, how many hold a group of
1-4 people (primary) and how many more had to go so that none of those can be derived
(secondary: the information lost), plus the subtotals behind the shares.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import polars as pl

from groendraad.metrics import disclosure, mobility
from groendraad.metrics.catalogue import load_catalogue
from groendraad.metrics.factors import load_factors
from groendraad.metrics.inputs import all_staged_months, load_inputs


def main(root: Path) -> None:
    """Print the suppression per level of the warehouse at ``root``."""
    months = all_staged_months(root)
    inputs, params = load_inputs(root, months), load_catalogue().parameters
    years = sorted({m.year for m in months})
    wide = mobility._commuting_groups(  # noqa: SLF001 - the table before release
        inputs["commuting"], inputs["organisation"], load_factors(), params, years
    ).collect()
    cells, layout = disclosure.commuting_cells(wide, params["green_modes"])
    started = time.perf_counter()
    hidden = disclosure.protect(cells, layout, disclosure.load_policy().threshold)
    seconds = time.perf_counter() - started
    plain = pl.col("cell").eq("#total") | ~pl.col("cell").str.starts_with("#")
    total = cells.filter(plain).group_by("level").agg(pl.len().alias("cells"))
    kinds = hidden.with_columns(
        part=pl.when(plain).then(pl.lit("cells")).otherwise(pl.lit("subtotals"))
    )
    counts = (
        kinds.group_by("level", "part", "kind")
        .agg(pl.len())
        .pivot("kind", index=["level", "part"], values="len")
    )
    print(f"{len(months)} months, {cells.height} cells, suppressed in {seconds:.1f} s")
    print(total.join(counts, on="level", how="left").sort("level", "part"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
