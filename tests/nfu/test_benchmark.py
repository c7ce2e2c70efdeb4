"""The benchmark: merging, recomputing, normalising, ranking, Parquet and pages."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from groendraad.errors import GroendraadError
from groendraad.nfu.benchmark import compute_benchmark, read_exports
from groendraad.nfu.check import read_export
from groendraad.nfu.run import run_benchmark
from groendraad.nfu.scaled import scaled_copy

from .synthetic import write_synthetic


@pytest.fixture
def three(tmp_path: Path) -> list[Path]:
    """Three synthetic UMCs: the same hospital at sizes 0.5, 1, 2 with intensities 0.8, 1, 1.3."""
    base = read_export(write_synthetic(tmp_path / "base", "base", list(range(1, 13))))
    out = tmp_path / "exports"
    return [
        scaled_copy(base, out, name, size, intensity)
        for name, size, intensity in (("small", 0.5, 0.8), ("mid", 1.0, 1.0), ("big", 2.0, 1.3))
    ]


def value(ranked: pl.DataFrame, institution: str, indicator: str, column: str = "value"):
    row = ranked.filter((pl.col("institution") == institution) & (pl.col("indicator") == indicator))
    return row[column][0]


def test_ranks_and_percentiles_follow_the_normalised_figures(three: list[Path]) -> None:
    bench = compute_benchmark(read_exports(three))
    ranked = bench.indicators
    assert value(ranked, "small", "co2e.location_kg_per_fte", "rank") == 1
    assert value(ranked, "big", "co2e.location_kg_per_fte", "rank") == 3
    assert value(ranked, "small", "co2e.location_kg_per_fte", "percentile") == 100
    assert value(ranked, "big", "co2e.location_kg_per_fte", "percentile") == 0
    ratio = value(ranked, "small", "energy.kwh_per_m2") / value(ranked, "mid", "energy.kwh_per_m2")
    assert ratio == pytest.approx(0.8)  # size cancels out per m2; intensity does not
    # a share is the same for all three: they tie
    assert set(ranked.filter(pl.col("indicator") == "mobility.green_share_pct")["rank"]) == {1}
    positions = bench.positions.filter(pl.col("theme") == "co2e")
    assert positions.sort("rank")["institution"].to_list() == ["small", "mid", "big"]


def test_per_fte_per_m2_and_per_bed_day_are_annualised_only_per_stock(tmp_path: Path) -> None:
    half = write_synthetic(tmp_path / "a", "half", list(range(1, 7)))
    whole = write_synthetic(tmp_path / "b", "whole", list(range(1, 13)))
    ranked = compute_benchmark(read_exports([half, whole])).indicators
    for indicator in ("co2e.location_kg_per_fte", "energy.kwh_per_m2", "waste.kg_per_bed_day"):
        assert value(ranked, "half", indicator) == pytest.approx(value(ranked, "whole", indicator))
    assert value(ranked, "half", "energy.kwh_per_m2", "months_used") == 6
    # 1,000 FTE, 1,000,000 kWh a month: 12,000 kWh per FTE a year
    assert value(ranked, "whole", "energy.electricity_kwh_per_fte") == pytest.approx(12_000)


def test_the_same_month_twice_is_refused_naming_both_files(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", "umc-a", [1, 2])
    second = write_synthetic(tmp_path / "b", "umc-a", [2, 3])
    with pytest.raises(GroendraadError) as caught:
        compute_benchmark(read_exports([first, second]))
    assert str(first) in str(caught.value) and str(second) in str(caught.value)
    assert "2024-02" in str(caught.value)


def test_an_institution_in_two_files_of_different_months_is_merged(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", "umc-a", [1, 2])
    second = write_synthetic(tmp_path / "b", "umc-a", [3])
    ranked = compute_benchmark(read_exports([first, second])).indicators
    assert value(ranked, "umc-a", "energy.kwh_per_m2", "months_used") == 3


def test_outputs_carry_the_factor_year_and_pages_escape_names(
    three: list[Path], tmp_path: Path
) -> None:
    hostile = read_export(three[0])
    evil = scaled_copy(hostile, tmp_path / "evil", "evil", 1.0)
    table = pq.read_table(evil)
    meta = {
        **{k.decode(): v.decode() for k, v in table.schema.metadata.items()},
        "nfu.institution_name": "<script>alert(1)</script>",
    }
    pq.write_table(table.replace_schema_metadata(meta), evil)
    out = tmp_path / "out"
    run = run_benchmark([*three, evil], out, factor_year=2023)
    metadata = pq.read_schema(out / "benchmark.parquet").metadata
    assert metadata[b"nfu.factor_year"] == b"2023"
    assert metadata[b"nfu.benchmark_version"] == b"nfu-benchmark/1.0"
    summary = json.loads((out / "benchmark.json").read_text())
    assert summary["institutions"] == 4 and summary["factor_year"] == 2023
    assert set(summary["seconds"]) >= {"read_and_check", "compute", "total"}
    pages = "".join(p.read_text() for p in out.glob("*.html"))
    assert "<script>alert(1)</script>" not in pages
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages
    assert {p.name for p in run.files} >= {
        "benchmark.parquet",
        "positions.parquet",
        "trends.parquet",
        "co2e_recomputed.parquet",
        "index.html",
        "compare.html",
    }
