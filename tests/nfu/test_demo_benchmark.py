"""The benchmark over three demo hospitals of different seeds and sizes, and the CLI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polars as pl
import pytest

from groendraad.nfu.benchmark import compute_benchmark, read_exports
from groendraad.nfu.run import run_benchmark

from .conftest import SIZES
from .demo import CLI

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(sized_exports: list[Path], eric_file: Path, tmp_path_factory: pytest.TempPathFactory):
    return run_benchmark(sized_exports, tmp_path_factory.mktemp("bench"), eric_path=eric_file)


def test_three_institutions_are_ranked_on_every_indicator(run) -> None:
    ranked = run.benchmark.indicators
    assert ranked["institution"].n_unique() == 3
    with_values = ranked.filter(pl.col("value").is_not_null())
    assert (
        with_values.group_by("indicator").len()["len"].to_list()
        == [3] * with_values["indicator"].n_unique()
    )
    assert sorted(ranked.filter(pl.col("indicator") == "waste.kg_per_bed_day")["rank"]) == [1, 2, 3]
    per_fte = ranked.filter(pl.col("indicator") == "co2e.location_kg_per_fte")["value"]
    assert per_fte.n_unique() == 3  # different seeds, different hospitals
    assert run.benchmark.positions.group_by("theme").len()["len"].min() == 3


def test_size_scales_away_in_normalised_figures(run, exports) -> None:
    unscaled = compute_benchmark(read_exports([r.path for r in exports.values()])).indicators
    scaled = run.benchmark.indicators
    for seed, size in SIZES.items():
        for indicator in ("co2e.location_kg_per_fte", "energy.kwh_per_m2", "waste.kg_per_bed_day"):
            own = unscaled.filter(
                (pl.col("institution") == f"demo-{seed}") & (pl.col("indicator") == indicator)
            )["value"][0]
            copy = scaled.filter(
                (pl.col("institution") == f"umc-{seed}-x{size:g}")
                & (pl.col("indicator") == indicator)
            )["value"][0]
            assert copy == pytest.approx(own), (seed, indicator)


def test_co2e_is_recomputed_on_one_factor_year(run, sized_exports) -> None:
    # default: the fixed factor year of the co2e.*_fixed_kg series (the CO2 baseline year)
    assert run.benchmark.factor_year == 2018
    fixed = run.benchmark.co2e.filter(pl.col("metric") == "co2e.scope2_location_kg")
    assert (fixed["recomputed_kg"] > fixed["published_kg"]).all()  # the 2018 grid was dirtier
    same = compute_benchmark(read_exports(sized_exports), factor_year=2025).co2e
    own_year = same.filter(pl.col("metric") == "co2e.scope2_location_kg")
    assert own_year["recomputed_kg"].to_list() == pytest.approx(own_year["published_kg"].to_list())
    earlier = compute_benchmark(read_exports(sized_exports), factor_year=2023).co2e
    scope2 = earlier.filter(pl.col("metric") == "co2e.scope2_location_kg")
    ratio = (scope2["recomputed_kg"] / scope2["published_kg"]).mean()
    # grid electricity (TTW) of 2023 instead of 2025's, heat of 2023 (lower than 2025's)
    assert 1.1 < ratio < 1.26


def test_each_umc_stands_among_the_nhs_hospitals(run) -> None:
    energy = run.positions.filter(
        (pl.col("indicator") == "energy.kwh_per_m2") & pl.col("category").is_null()
    )
    assert energy["institution"].n_unique() == 3
    assert set(energy["peer_n"]) == {216}  # 228 general acute sites, 12 flagged
    assert all(0 <= p <= 100 for p in energy["percentile"])
    pages = (run.out / "peers.html").read_text(encoding="utf-8")
    assert "BROADGREEN" not in pages or "outlier" in pages


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {  # the demo configuration names these; the NFU commands contact no source
        **os.environ,
        "GROENDRAAD_DEMO_URL": "http://127.0.0.1:9",
        "GROENDRAAD_DEMO_ENERGY_TOKEN": "unused",
        "GROENDRAAD_DEMO_FOOD_API_KEY": "unused",
        "COLUMNS": "400",  # rich wraps long paths at the terminal width
    }
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=180, env=env)


def test_cli_exports_and_benchmarks(demos, exports, eric_file: Path, tmp_path: Path) -> None:
    demo = demos[11]
    out = tmp_path / "exports"
    done = cli(
        "export",
        "nfu",
        "--year",
        "2025",
        "--out",
        str(out),
        "--config",
        str(demo.config),
        "--warehouse",
        str(demo.warehouse),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (written,) = out.glob("*.parquet")
    assert written.name == "nfu-export_demo-11_2025-09_2025-10.parquet"
    assert (
        str(written) in " ".join(done.stdout.split()).replace(" ", "")
        or written.name in done.stdout
    )
    bench = tmp_path / "bench"
    done = cli(
        "benchmark", str(out), str(exports[12].path), "--eric", str(eric_file), "--out", str(bench)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 institutions" in done.stdout
    for name in ("benchmark.parquet", "peer_positions.parquet", "index.html", "peers.html"):
        assert (bench / name).is_file(), name


def test_cli_refuses_a_bad_export_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "nfu-export_x_2024.parquet"
    bad.write_text("not parquet", encoding="utf-8")
    done = cli("benchmark", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    message = " ".join((done.stdout + done.stderr).split())
    assert "nfu-export_x_2024.parquet" in message and "not a readable Parquet file" in message


def test_the_demo_showcase_benchmarks_the_demo_hospital_with_two_copies(
    demos, tmp_path: Path
) -> None:
    from groendraad.nfu.showcase import demo_benchmark

    demo = demos[13]
    run = demo_benchmark(demo.warehouse, demo.institution, "Demo UMC 13", tmp_path)
    assert sorted(run.benchmark.institutions["institution"]) == [
        "demo-13",
        "demo-13-large",
        "demo-13-small",
    ]
    assert (tmp_path / "benchmark" / "index.html").is_file()
    assert len(list((tmp_path / "exports").glob("nfu-export_*.parquet"))) == 3
