"""A projection that does not extrapolate a factor step.

A linear trend through a CO2e series on each year's own factors treats a one-off list
change (the 2025 grid factor fell 18%) as if it repeated every year. Instead: project
the activity (the same figure on the fixed factor year, ``co2e.*_fixed_kg``, whose
change is activity alone), then price the projected activity with the latest factors
(the ratio reported / fixed of the latest month with both).
"""

from __future__ import annotations

from groendraad.metrics.targets import projection

METHOD_NOTE = (
    "projected activity (trend of the figure on fixed factors) x the latest factors; "
    "a factor change is not extrapolated"
)


def latest_factor_ratio(actuals: list, activity: list) -> float | None:
    """reported / fixed of the latest month where both are known (None: no such month)."""
    for reported, fixed in zip(reversed(actuals), reversed(activity), strict=True):
        if reported is not None and fixed:
            return reported / fixed
    return None


def activity_projection(
    indices: list[int], actuals: list, activity: list, at_index: int
) -> float | None:
    """The activity trend at ``at_index`` priced with the latest factors."""
    trend = projection(indices, activity, at_index)
    ratio = latest_factor_ratio(actuals, activity)
    if trend is None or ratio is None:
        return None
    return trend * ratio
