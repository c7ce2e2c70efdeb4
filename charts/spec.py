"""From a chart builder to the Vega-Lite spec on a page: structure once, data per page.

Chart builders are pure functions of *structural* options (names, units, language,
category order) that return an ``alt.Chart`` reading named datasets; the data of a
place comes separately as CSV text per dataset. The same structure serves every
department, so each distinct spec is built by Altair once and reused (Altair needs
some milliseconds per chart; a site has well over a thousand charts).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from groendraad.charts.palette import CONFIG

Builder = Callable[..., alt.TopLevelMixin]
_BUILT: dict[tuple[Any, ...], dict[str, Any]] = {}


def named(name: str, fields: dict[str, str]) -> alt.NamedData:
    """A dataset of the page, CSV text typed by ``fields`` (field -> number|date|string)."""
    return alt.NamedData(name=name, format=alt.DataFormat(type="csv", parse=fields))


def csv_text(rows: list[dict[str, Any]], fields: list[str]) -> str:
    """Rows as CSV (empty cells are nulls); CSV keeps page data small."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class ChartSpec:
    """A chart of a page: its builder, the builder's options, and the page's datasets."""

    build: Builder
    options: tuple[tuple[str, Hashable], ...]
    datasets: dict[str, str] = field(compare=False, hash=False, default_factory=dict)

    @classmethod
    def of(cls, build: Builder, datasets: dict[str, str], **options: Hashable) -> ChartSpec:
        return cls(build, tuple(sorted(options.items())), datasets)

    def chart(self) -> alt.TopLevelMixin:
        """The Altair chart (without the page's data)."""
        return self.build(**dict(self.options))

    def to_dict(self, description: str) -> dict[str, Any]:
        """The full Vega-Lite spec: the shared structure, this page's data and words."""
        key = (self.build, self.options)
        if key not in _BUILT:
            with debug_mode(False):  # the unit tests validate the specs
                built = self.chart().to_dict(validate=False)
            built["config"] = {**built.get("config", {}), **CONFIG}
            _BUILT[key] = built
        return {**_BUILT[key], "datasets": self.datasets, "description": description}


def with_data(chart: alt.TopLevelMixin, datasets: dict[str, str]) -> dict[str, Any]:
    """A builder's chart with datasets attached, validated (for tests and one-offs)."""
    spec = chart.to_dict(validate=True)
    spec["datasets"] = datasets
    return spec
