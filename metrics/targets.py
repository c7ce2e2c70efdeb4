"""Targets (targets.yaml), their trajectories, projections and the verdict rule.

Time runs in month indices (year x 12 + month - 1); a year's point is its December,
the month whose 12-month window is that calendar year.

Verdict rule (per target and month), with ``gap`` = the required change (|baseline -
target|, or |target| for a level target without baseline) and shortfalls measured in
the bad direction (0 when on the good side):

- ``no data``: no actual for the month, the baseline the target needs is missing, or
  the month lies before the end of the baseline year;
- ``on track``: the projection for the target year meets the target, and the actual is
  at most 10% of the gap behind the trajectory;
- ``off track``: the projection misses the target by more than 25% of the gap;
- ``at risk``: everything in between.

Without a projection (fewer than 24 months of trend) the actual-vs-trajectory
shortfall stands in for the projection's shortfall. Once the target year has passed,
the projection is the actual.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

TARGETS_FILE = Path(__file__).with_name("targets.yaml")
ON_TRACK_LAG, OFF_TRACK_MISS = 0.10, 0.25
TREND_MONTHS, MIN_TREND_MONTHS = 36, 24
ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on track", "at risk", "off track", "no data"
_ROUNDING = 1e-9  # a target met up to float rounding is met


@dataclass(frozen=True)
class Target:
    """One target of targets.yaml."""

    id: str
    title: str
    citation: str
    measure: dict[str, Any]
    kind: str  # relative | level | annual_rate
    direction: str  # lower | higher
    target_year: int
    baseline_year: int | None = None
    change_pct: float | None = None
    target_value: float | None = None
    rate_pct: float | None = None
    milestones: tuple[tuple[int, float], ...] = ()
    note: str = ""

    @property
    def needs_baseline(self) -> bool:
        return self.kind != "level" or self.baseline_year is not None

    def goal(self, baseline: float | None) -> float | None:
        """The target value in the target year (None if it needs a missing baseline)."""
        if self.kind == "level":
            return self.target_value
        if baseline is None:
            return None
        if self.kind == "annual_rate":
            years = self.target_year - (self.baseline_year or self.target_year)
            return baseline * (1 + (self.rate_pct or 0) / 100) ** years
        return baseline * (1 + (self.change_pct or 0) / 100)


@cache
def load_targets(path: Path = TARGETS_FILE) -> tuple[Target, ...]:
    """All targets, in file order."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(_target(entry) for entry in document["targets"])


def _target(entry: dict[str, Any]) -> Target:
    milestones = tuple(
        (int(m["year"]), float(m.get("change_pct", m.get("value", 0))))
        for m in entry.get("milestones", [])
    )
    return Target(
        id=entry["id"],
        title=entry["title"],
        citation=" ".join(str(entry["citation"]).split()),
        measure=dict(entry["measure"]),
        kind=entry["kind"],
        direction=entry["direction"],
        target_year=int(entry["target_year"]),
        baseline_year=entry.get("baseline_year"),
        change_pct=entry.get("change_pct"),
        target_value=entry.get("target_value"),
        rate_pct=entry.get("rate_pct"),
        milestones=milestones,
        note=entry.get("note", ""),
    )


def december(year: int) -> int:
    """Month index of December of ``year``."""
    return year * 12 + 11


def trajectory(target: Target, baseline: float | None, month_index: int) -> float | None:
    """The value the target's path prescribes for ``month_index``."""
    goal = target.goal(baseline)
    if goal is None:
        return None
    if baseline is None or target.baseline_year is None:
        return goal
    start = december(target.baseline_year)
    if month_index < start:
        return None
    if target.kind == "annual_rate":
        rate = 1 + (target.rate_pct or 0) / 100
        elapsed = min(month_index, december(target.target_year)) - start
        return baseline * rate ** (elapsed / 12)
    points = [(start, baseline), *_milestone_points(target, baseline)]
    points.append((december(target.target_year), goal))
    xs, ys = zip(*sorted(points), strict=True)
    return float(np.interp(month_index, xs, ys))


def _milestone_points(target: Target, baseline: float) -> list[tuple[int, float]]:
    if target.kind == "relative":
        return [(december(y), baseline * (1 + pct / 100)) for y, pct in target.milestones]
    return [(december(y), value) for y, value in target.milestones]


def projection(indices: list[int], actuals: list[float], at_index: int) -> float | None:
    """Linear trend of the last TREND_MONTHS actuals, evaluated at ``at_index``."""
    pairs = [(i, a) for i, a in zip(indices, actuals, strict=True) if a is not None]
    pairs = pairs[-TREND_MONTHS:]
    if len(pairs) < MIN_TREND_MONTHS:
        return None
    x, y = np.array([p[0] for p in pairs], float), np.array([p[1] for p in pairs], float)
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope * at_index + intercept)


def shortfall(value: float, reference: float, direction: str) -> float:
    """How far ``value`` is on the bad side of ``reference`` (0 when on the good side)."""
    behind = value - reference if direction == "lower" else reference - value
    return max(behind, 0.0)


def verdict(
    target: Target,
    actual: float | None,
    baseline: float | None,
    trajectory_value: float | None,
    projected: float | None,
) -> tuple[str, str]:
    """(verdict, reason) by the rule in this module's docstring."""
    goal = target.goal(baseline)
    if actual is None or goal is None or (target.needs_baseline and baseline is None):
        return NO_DATA, "no actual or no baseline"
    if target.baseline_year is not None and trajectory_value is None:
        return NO_DATA, "before the end of the baseline year"
    gap = abs(baseline - goal) if baseline is not None else abs(goal)
    gap = gap or 1.0
    lag = 0.0
    if trajectory_value is not None:
        lag = shortfall(actual, trajectory_value, target.direction) / gap
    miss = lag if projected is None else shortfall(projected, goal, target.direction) / gap
    basis = "trajectory" if projected is None else "projection"
    if miss <= _ROUNDING and lag <= ON_TRACK_LAG:
        return ON_TRACK, f"{basis} meets the target; actual {lag:.0%} of the gap behind"
    if miss > OFF_TRACK_MISS:
        return OFF_TRACK, f"{basis} misses the target by {miss:.0%} of the gap"
    return AT_RISK, f"{basis} misses by {miss:.0%}, actual {lag:.0%} of the gap behind"
