"""What the benchmark pages say: overview, comparisons, trends, CO2e and NHS peers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from groendraad.nfu import figures
from groendraad.nfu.indicators import load_indicators
from groendraad.nfu.pages import Site, esc, percentile_cell, table, vendor_folder

if TYPE_CHECKING:
    from groendraad.nfu.run import BenchmarkRun

GROUPS = [("fte", "Per FTE"), ("m2", "Per m2 floor area"), ("bed_day", "Per bed-day"),
          ("meal", "Per meal"), (None, "Shares and other")]  # fmt: skip


def _named(frame: pl.DataFrame, run: BenchmarkRun) -> pl.DataFrame:
    """``frame`` with the institutions' names (the benchmark tables have them already)."""
    if "name" in frame.columns:
        return frame
    names = run.benchmark.institutions.select("institution", "name").unique("institution")
    return frame.join(names, on="institution", how="left")


def overview(run: BenchmarkRun) -> str:
    """Inputs, factor year, position per theme, timings."""
    bench = run.benchmark
    files = bench.institutions.with_columns(file=pl.col("file").str.extract(r"([^/\\]+)$"))
    inputs = table(
        ["institution", "name", "schema", "factor set", "file"],
        files.select("institution", "name", "schema_version", "factor_set", "file").rows(),
    )
    wide = bench.positions.pivot(on="theme", index="institution", values="mean_percentile")
    themes = [c for c in wide.columns if c != "institution"]
    rows = "".join(
        f"<tr><td>{esc(row['institution'])}</td>"
        + "".join(percentile_cell(row[t]) for t in themes) + "</tr>"
        for row in wide.sort("institution").to_dicts()
    )  # fmt: skip
    heads = "".join(f"<th>{esc(t)}</th>" for t in ["institution", *themes])
    timings = table(["step", "seconds"], [(k, f"{v:.2f}") for k, v in run.seconds.items()], {1})
    return (
        f"<p>{bench.institutions['institution'].n_unique()} institutions. CO2e recomputed on the "
        f"emission factors of <b>{bench.factor_year}</b> (metrics/factors.csv, IPCC AR5).</p>"
        f"<h2>Exports</h2>{inputs}<h2>Position per theme</h2><p class='note'>Mean percentile "
        "over the theme's indicators: 100 = better than every other institution.</p>"
        f"<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        f"<h2>Timings</h2>{timings}"
    )


def comparisons(run: BenchmarkRun, site: Site) -> str:
    """Per denominator: one bar chart and table per indicator."""
    ranked = _named(run.benchmark.indicators, run)
    parts = []
    for per, heading in GROUPS:
        group = [i for i in load_indicators().indicators if i.per == per]
        if not group:
            continue
        parts.append(f"<h2>{esc(heading)}</h2>")
        for indicator in group:
            rows = ranked.filter(pl.col("indicator") == indicator.id).sort("rank", nulls_last=True)
            columns = ["rank", "name", "value", "percentile", "months_used", "quality"]
            headers = ["rank", "institution", indicator.unit, "percentile", "months", "quality"]
            rendered = table(headers, rows.select(columns).rows(), {0, 2, 3, 4})
            chart = figures.comparison_chart(rows, indicator.title, indicator.unit)
            parts.append(site.figure(chart, indicator.title, rendered))
    return "".join(parts)


def trends(run: BenchmarkRun, site: Site) -> str:
    """One line chart per trend indicator (monthly, annualised where flows per stock)."""
    rows = _named(run.benchmark.trends, run)
    parts = []
    for indicator in load_indicators().indicators:
        if indicator.id not in load_indicators().trends:
            continue
        mine = rows.filter(pl.col("indicator") == indicator.id).sort("name", "period")
        wide = mine.pivot(on="name", index="period", values="value").sort("period")
        rendered = table(wide.columns, wide.rows(), set(range(1, wide.width)))
        parts.append(site.figure(figures.trend_chart(mine, indicator.title, indicator.unit),
                                 indicator.title, rendered))  # fmt: skip
    return (
        "<p class='note'>Monthly values; flows per FTE or m2 are annualised (x 12).</p>"
        + "".join(parts)
    )


def co2e(run: BenchmarkRun) -> str:
    """Published and recomputed CO2e over the period, per institution and component."""
    summed = (
        run.benchmark.co2e.group_by("institution", "metric")
        .agg((pl.col("published_kg", "recomputed_kg", "swapped_kg").sum() / 1000).name.suffix("_t"))
        .with_columns(share=pl.col("swapped_kg_t") / pl.col("published_kg_t") * 100)
    )
    rows = summed.sort("institution", "metric").select(
        "institution", "metric", "published_kg_t", "recomputed_kg_t", "share"
    )
    return (
        f"<p>Every CO2e figure recomputed from the activity data in the exports on the factors "
        f"of {run.benchmark.factor_year}; parts without a common factor (flights: no distance "
        "band in the export) stay as published. share = % of the published figure recomputed.</p>"
        + table(["institution", "metric", "published t CO2e", "recomputed t CO2e", "share %"],
                rows.rows(), {2, 3, 4})
    )  # fmt: skip


def peers(run: BenchmarkRun, site: Site) -> str:
    """Each UMC among the NHS general acute hospitals (ERIC), and the import's flags."""
    assert run.eric is not None and run.positions is not None and run.peers is not None
    report = run.eric.report
    flags = table(["theme", "flags"], [(k.removesuffix("_flags"), ", ".join(
        f"{flag} {count}" for flag, count in v.items())) for k, v in report.items()
        if k.endswith("_flags")])  # fmt: skip
    parts = [f"<p>{report['general_acute_sites']} general acute sites of {report['sites_in_file']} "
             f"in {esc(Path(report['file']).name)} ({esc(report['source'])}). Flagged sites are "
             f"kept but left out of the percentiles.</p>{flags}"]  # fmt: skip
    for indicator, unit in (("energy.kwh_per_m2", "kWh/m2/yr"), ("waste.kg_per_m2", "kg/m2/yr"),
                            ("food_waste.g_per_meal", "g/meal")):  # fmt: skip
        total = run.peers.filter((pl.col("indicator") == indicator) & pl.col("category").is_null())
        nhs = total.filter((pl.col("peer_set") != "nfu") & pl.col("included"))
        umcs = total.filter(pl.col("peer_set") == "nfu")
        chart = figures.peer_strip_chart(nhs, umcs, indicator, unit)
        rows = run.positions.filter(pl.col("indicator") == indicator).select(
            "institution", "category", "value", "peer_n", "peer_p25", "peer_median", "peer_p75",
            "percentile")  # fmt: skip
        rendered = table(["UMC", "category", unit, "peers", "p25", "median", "p75", "percentile"],
                         rows.rows(), {2, 3, 4, 5, 6, 7})  # fmt: skip
        parts.append(site.figure(chart, f"{indicator} among NHS general acute hospitals", rendered))
    causes = run.positions.filter(pl.col("indicator") == "food_waste.cause_share_pct")
    parts.append(
        "<h2>Food waste by cause (% of the causes)</h2>"
        + table(
            ["UMC", "cause", "%", "peers", "peer median %"],
            causes.select("institution", "category", "value", "peer_n", "peer_median").rows(),
            {2, 3, 4},
        )
    )
    return "".join(parts)


def write_pages(run: BenchmarkRun) -> list[Path]:
    """All pages of the run into ``run.out``."""
    site = Site(run.out, vendor_folder())
    names = ["index.html", "compare.html", "trends.html", "co2e.html"]
    names += ["peers.html"] if run.eric is not None else []
    written = [
        site.write("index.html", "NFU benchmark", overview(run), names),
        site.write("compare.html", "Comparisons", comparisons(run, site), names),
        site.write("trends.html", "Trends", trends(run, site), names),
        site.write("co2e.html", "CO2e recomputed on one factor year", co2e(run), names),
    ]
    if run.eric is not None:
        written.append(
            site.write("peers.html", "Against NHS hospitals (ERIC)", peers(run, site), names)
        )
    return written
