"""The subtraction attack, written apart from the pipeline: what an outsider derives.

Input: every published row about mobility of one or more artifacts (metrics mart, the
data embedded in the pages, the NFU export) in the long shape (period, level, division,
department, metric, category, value, people). For each month the attacker knows the
organisation (every place seen in any published row, of any figure or month; every mode) and that

- an institution is the sum of its divisions and of the departments without one,
  a division the sum of its departments (per mode and in total);
- a place's total is the sum of its modes; its green share times its people is the
  sum of its green modes;

and applies them over and over: a parent minus its published children gives the sum
of the others (a *leak* when that is 1 .. threshold-1 people), and with one child left
it gives that child exactly (then known, and used in the next round). A leak is a group
of fewer than ``threshold`` people whose size, or whose km and CO2e, can be derived.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

COMMUTING = ("mobility.commuting_km", "mobility.commuting_co2e_kg")
TRAVEL = ("mobility.business_travel_km", "mobility.business_travel_co2e_kg")
GREEN_SHARE = "mobility.green_share_pct"
GREEN_MODES = ("Lopen", "Fiets", "E-bike", "OV")
TOTAL = "(total)"
GREEN = "(green)"


@dataclass(frozen=True)
class Leak:
    """A group of fewer than the threshold people that the published rows reveal."""

    period: object
    source: str
    relation: str  # institution-divisions, division-departments, total-modes, green-modes
    people: float
    exact: bool  # one cell derived exactly (else: the sum of several)
    where: tuple = ()  # the parent: level, division, department, category


def _vectors(rows: pl.DataFrame, metrics: tuple[str, str]) -> dict[tuple, np.ndarray]:
    """(period, place, category) -> [people, km, co2e] of the published rows."""
    found: dict[tuple, np.ndarray] = {}
    picked = rows.filter(pl.col("metric").is_in(metrics) & pl.col("value").is_not_null())
    for r in picked.iter_rows(named=True):
        key = (r["period"], r["level"], r["division"], r["department"], r["category"] or TOTAL)
        vec = found.setdefault(key, np.full(3, np.nan))
        at = 1 if r["metric"] == metrics[0] else 2  # the first artifact's figure counts
        vec[0] = r["people"] if r["people"] is not None and np.isnan(vec[0]) else vec[0]
        vec[at] = r["value"] if np.isnan(vec[at]) else vec[at]
    return found


def _green(rows: pl.DataFrame) -> dict[tuple, np.ndarray]:
    """The green commuters of a place, from its share and its people."""
    shares = rows.filter((pl.col("metric") == GREEN_SHARE) & pl.col("value").is_not_null())
    return {
        (r["period"], r["level"], r["division"], r["department"], GREEN): np.array(
            [round(r["value"] * r["people"] / 100, 6), np.nan, np.nan]
        )
        for r in shares.iter_rows(named=True)
    }


def _relations(period: object, places: set[tuple], modes: list[str], green: bool) -> list:
    """(kind, parent, children) of one period, for every place and category."""
    divisions = sorted({p[1] for p in places if p[1] is not None})
    departments = sorted({p for p in places if p[0] == "department"}, key=repr)
    relations = []
    for cat in [*modes, TOTAL]:
        inst = [(period, "division", d, None, cat) for d in divisions]
        inst += [(period, *p, cat) for p in departments if p[1] is None]
        relations.append(("institution-divisions", (period, "institution", None, None, cat), inst))
        for d in divisions:
            kids = [(period, *p, cat) for p in departments if p[1] == d]
            relations.append(("division-departments", (period, "division", d, None, cat), kids))
    for place in places:
        relations.append(
            ("total-modes", (period, *place, TOTAL), [(period, *place, m) for m in modes])
        )
        if green:
            kids = [(period, *place, m) for m in modes if m in GREEN_MODES]
            relations.append(("green-modes", (period, *place, GREEN), kids))
    return relations


def attack(rows: pl.DataFrame, threshold: int = 5) -> list[Leak]:
    """Every leak in the published ``rows`` (any mix of artifacts, several months)."""
    leaks = []
    places = set(rows.select("level", "division", "department").unique().rows())
    for source, metrics in (("commuting", COMMUTING), ("business_travel", TRAVEL)):
        known = _vectors(rows, metrics)
        if source == "commuting":
            known.update(_green(rows))
        modes = sorted({k[4] for k in known} - {TOTAL, GREEN})
        for period in sorted({k[0] for k in known}):
            cells = {k: v for k, v in known.items() if k[0] == period}
            relations = _relations(period, places, modes, source == "commuting")
            leaks += _solve(
                cells, relations, source, threshold, additive_modes=source == "commuting"
            )
    return leaks


def _solve(
    cells: dict, relations: list, source: str, threshold: int, *, additive_modes: bool
) -> list[Leak]:
    """Subtract until nothing new is derived; the leaks met on the way (once per relation)."""
    leaks: dict[tuple, Leak] = {}
    changed = True
    while changed:
        changed = False
        for kind, parent, children in relations:
            unknown = [c for c in children if c not in cells]
            if parent not in cells:
                if not unknown and children:
                    cells[parent] = sum((cells[c] for c in children), np.zeros(3))
                    changed = True
                continue
            rest = cells[parent] - sum((cells[c] for c in children if c in cells), np.zeros(3))
            people_count = kind != "total-modes" or additive_modes
            small = people_count and 0.5 <= rest[0] <= threshold - 0.5
            if small:
                leaks[(kind, parent)] = Leak(
                    parent[0], source, kind, float(rest[0]), len(unknown) <= 1, parent[1:]
                )
            if not unknown:  # a remainder with no child left: people left out of the parts
                continue
            if len(unknown) == 1 and not people_count and rest[1] > 0.5:
                leaks[(kind, parent)] = Leak(
                    parent[0], source, kind, float("nan"), True, parent[1:]
                )
            if len(unknown) == 1:
                derived = rest if people_count else np.array([np.nan, rest[1], rest[2]])
                cells[unknown[0]] = derived
                changed = True
    return list(leaks.values())


def summary(leaks: list[Leak]) -> dict[tuple[str, str], int]:
    """Leaks per (source, relation)."""
    counts: dict[tuple[str, str], int] = {}
    for leak in leaks:
        counts[(leak.source, leak.relation)] = counts.get((leak.source, leak.relation), 0) + 1
    return counts


_SPEC = re.compile(r'<script type="application/json" id="spec-([^"]*)">(.*?)</script>', re.S)
_PAGE_METRICS = {  # monthly datasets of the mobility theme page: the institution by mode
    "mobility-commuting-km-parts": "mobility.commuting_km",
    "mobility-commuting-co2e-kg-parts": "mobility.commuting_co2e_kg",
    "mobility-business-travel-km-parts": "mobility.business_travel_km",
    "mobility-business-travel-co2e-kg-parts": "mobility.business_travel_co2e_kg",
}


def site_rows(site: Path) -> pl.DataFrame:
    """The monthly mobility figures embedded in the site's mobility page, as long rows.

    (The department and division pages show 12-month sums and means of published
    months, and rankings of them: nothing a month's attack can use beyond the mart.)
    """
    html = (site / "theme" / "mobility.html").read_text(encoding="utf-8")
    frames = []
    for spec_id, text in _SPEC.findall(html):
        metric = _PAGE_METRICS.get(spec_id)
        if metric is None:
            continue
        data = json.loads(text)["datasets"]["rows"]
        rows = pl.read_csv(io.StringIO(data), try_parse_dates=True)
        frames.append(rows.select(
            pl.col("month").alias("period"), pl.lit("institution").alias("level"),
            pl.lit(None, pl.String).alias("division"), pl.lit(None, pl.String).alias("department"),
            pl.lit(metric).alias("metric"), pl.col("category").cast(pl.String),
            pl.col("value").cast(pl.Float64), pl.lit(None, pl.Int64).alias("people"),
        ))  # fmt: skip
    return pl.concat(frames) if frames else pl.DataFrame()
