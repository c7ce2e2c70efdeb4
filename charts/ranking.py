"""Figures over the last 12 months: places side by side, and a place's largest parts.

``peers_figure``: where a department (or division) stands among comparable ones, or
(for the institution) the departments with the largest figure;
``contributors_figure``: what a place's figure is mostly made of (which disposables,
which medicine-waste reasons, which commuting modes).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from groendraad.charts import describe
from groendraad.charts.breakdown import ranking_chart, ranking_data
from groendraad.charts.data import INSTITUTION, Place, SiteData, months_back
from groendraad.charts.describe import window_rule
from groendraad.charts.html import Html, table, tag
from groendraad.charts.layout import Figure
from groendraad.charts.spec import ChartSpec
from groendraad.charts.text import Lang

Links = dict[Place, str]


def _window(data: SiteData) -> tuple[date, date]:
    return months_back(data.end, 11), data.end


def place_values(data: SiteData, metric: str, level: str) -> dict[Place, float]:
    """Per place of ``level``: the sum (or mean) of ``metric`` over the last 12 months,
    from the windows mart: only places whose 12 months are complete (or flagged
    estimated) are ranked."""

    def compute() -> dict[Place, float]:
        rows = data.windows.filter(
            (pl.col("metric") == metric)
            & (pl.col("level") == level)
            & (pl.col("period") == data.end)
            & pl.col("last_12").is_not_null()
        )
        return {
            Place(level, d, p): v
            for d, p, v in rows.select("division", "department", "last_12").iter_rows()
        }

    return data.memo(("place_values", metric, level), compute)


def _name_cell(place: Place, links: Links, root: str) -> Html:
    href = links.get(place)
    return tag("a", place.name, href=root + href) if href else tag("span", place.name)


def peers_figure(
    data: SiteData,
    metric: str,
    own: Place,
    peers: list[Place],
    lang: Lang,
    *,
    links: Links,
    root: str,
    top: int | None = None,
    title: str | None = None,
) -> Figure:
    """``own`` (highlighted; none for the institution) among ``peers``, last 12 months."""
    level = peers[0].level if peers else own.level
    values = place_values(data, metric, level)
    entries = sorted(
        ((p, values[p]) for p in {*peers, own} if p in values),
        key=lambda e: (-e[1], e[0].name or ""),
    )
    if top is not None:
        entries = entries[:top] + [e for e in entries[top:] if e[0] == own]
    scale, name = data.scale(metric, level), lang.metric(metric)
    unit = lang.unit(scale.unit) + (
        lang.ui("mean_month") if window_rule(data.unit(metric)) == "mean" else ""
    )
    roles = (
        (lang.ui("role_own"), lang.ui("role_others"))
        if own.level != "institution"
        else (lang.ui("role_departments"),)
    )
    frame = pl.DataFrame(
        {
            "name": [p.name or "" for p, _ in entries],
            "value": [v / scale.divisor for _, v in entries],
            "role": [roles[0] if p == own else roles[-1] for p, _ in entries],
        },
        schema={"name": pl.String, "value": pl.Float64, "role": pl.String},
    )
    text = _peers_text(frame, own, unit, lang, roles[0]) + _window_note(data, metric, own, lang)
    chart = (
        ChartSpec.of(
            ranking_chart, ranking_data(frame), unit=unit, lang=lang, fmt=scale.fmt, roles=roles
        )
        if entries
        else None
    )
    rows = [
        [_name_cell(p, links, root), lang.number(v)]
        for (p, _), v in zip(entries, frame["value"], strict=True)
    ]
    return Figure(
        key=f"rank-{metric.replace('.', '-')}",
        title=title or name,
        description=text,
        chart=chart,
        table=table([lang.ui("name"), f"{name} ({unit})"], rows),
        metrics=[metric],
    )


def _window_note(data: SiteData, metric: str, own: Place, lang: Lang) -> str:
    """Which months of the ranked window are estimated, or why there is no ranking."""
    window = data.window(metric, own, data.end) or data.window(metric, INSTITUTION, data.end)
    if window is None:
        return ""
    if window["last_12"] is None:
        return " " + describe.window_sentence(window, data.end, "", 1.0, lang)
    if window["months_estimated"]:
        count, months = window["months_estimated"], window["estimated_months"]
        return " " + lang.ui("window_estimated", count=count, months=months) + "."
    return ""


def _peers_text(frame: pl.DataFrame, own: Place, unit: str, lang: Lang, own_role: str) -> str:
    window = lang.ui("last_12_months")
    if frame.is_empty():
        return lang.ui("no_figures")
    if own.level == "institution":
        listed = "; ".join(f"{n} {lang.number(v)} {unit}" for n, v, _ in frame.head(3).iter_rows())
        return lang.ui("ranking_top", window=window, parts=listed) + "."
    roles = frame["role"].to_list()
    if own_role not in roles:
        return lang.ui("no_figures")
    position = roles.index(own_role) + 1
    return (
        lang.ui(
            "peer_position",
            name=own.name,
            position=position,
            count=frame.height,
            value=lang.number(frame["value"][position - 1]),
            unit=unit,
            window=window,
        )
        + "."
    )


def _largest(data: SiteData, metric: str, place: Place, top: int) -> pl.DataFrame:
    """category, value: the ``top`` largest parts over the last 12 months."""
    start, end = _window(data)
    rows = (
        data.at(place)
        .filter(
            (pl.col("metric") == metric)
            & pl.col("category").is_not_null()
            & (pl.col("period") >= start)
            & (pl.col("period") <= end)
        )
        .group_by("category")
        .agg(pl.col("value").sum())
        .filter(pl.col("value") > 0)
    )
    return rows.sort(["value", "category"], descending=[True, False]).head(top)


def contributors_figure(
    data: SiteData, metric: str, place: Place, lang: Lang, *, top: int = 10
) -> Figure:
    """The largest breakdown parts of ``metric`` at ``place`` over the last 12 months."""
    end = _window(data)[1]
    rows = _largest(data, metric, place, top)
    scale, name, role = data.scale(metric, place.level), lang.metric(metric), lang.ui("role_part")
    unit = lang.unit(scale.unit)
    frame = pl.DataFrame(
        {
            "name": [lang.category(c) for c in rows["category"]],
            "value": rows["value"] / scale.divisor,
            "role": [role] * rows.height,
        },
        schema={"name": pl.String, "value": pl.Float64, "role": pl.String},
    )
    total = float(frame["value"].sum()) if frame.height else 0.0
    listed = (
        "; ".join(
            lang.ui(
                "part_share",
                name=n,
                value=lang.number(v),
                unit=unit,
                share=lang.number(v / total * 100, 0),
            )
            for n, v in frame.head(3).select("name", "value").iter_rows()
        )
        if total > 0
        else ""
    )
    text = (
        lang.ui("largest_parts", month=lang.month(end, True), parts=listed) + "."
        if listed
        else lang.ui("no_figures")
    )
    chart = (
        ChartSpec.of(
            ranking_chart, ranking_data(frame), unit=unit, lang=lang, fmt=scale.fmt, roles=(role,)
        )
        if frame.height
        else None
    )
    body = [[n, lang.number(v)] for n, v in frame.select("name", "value").iter_rows()]
    return Figure(
        key=f"parts-{metric.replace('.', '-')}",
        title=lang.ui("largest_of", name=name),
        description=text,
        chart=chart,
        table=table([lang.ui("part"), f"{name} ({unit})"], body),
        metrics=[metric],
    )
