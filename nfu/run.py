"""One benchmark run: read and check the exports, compute, add peers, write Parquet and pages.

Written into ``out`` (each file atomically)::

    benchmark.parquet       per institution and indicator: value, months used, rank, percentile
    positions.parquet       per institution and theme: mean percentile and rank
    trends.parquet          per institution, indicator and month (annualised where flows per stock)
    co2e_recomputed.parquet per institution, month and CO2e metric: published and recomputed
    peers.parquet           with --eric: the peer rows (ERIC sites with flags, and the UMCs)
    peer_positions.parquet  with --eric: each UMC among the included ERIC sites
    benchmark.json          inputs, factor year and set, counts, timings (seconds)
    index.html ...          the pages (nfu/site.py)
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from groendraad.metrics import factor_set_version
from groendraad.nfu.benchmark import Benchmark, compute_benchmark, read_exports
from groendraad.nfu.contract import load_contract
from groendraad.nfu.eric import EricImport, import_eric, load_mapping
from groendraad.nfu.peers import peer_positions, umc_peer_form
from groendraad.warehouse.files import write_atomic, write_bytes_atomic

BENCHMARK_VERSION = "nfu-benchmark/1.0"


@dataclass
class BenchmarkRun:
    """What a run computed and wrote, and how long each step took."""

    out: Path
    benchmark: Benchmark
    eric: EricImport | None = None
    peers: pl.DataFrame | None = None
    positions: pl.DataFrame | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def _metadata(run: BenchmarkRun) -> dict[str, str]:
    bench = run.benchmark
    return {
        "nfu.benchmark_version": BENCHMARK_VERSION,
        "nfu.factor_year": str(bench.factor_year),
        "nfu.factor_set": factor_set_version(),
        "nfu.gwp_set": load_contract().gwp_set,
        "nfu.institutions": ",".join(sorted(bench.institutions["institution"].unique())),
        "nfu.peer_set": "nhs-eric" if run.eric else "",
        "nfu.generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_parquet(frame: pl.DataFrame, path: Path, metadata: dict[str, str]) -> Path:
    """Write ``frame`` atomically with ``metadata`` in the Parquet schema metadata."""
    table = frame.to_arrow()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    write_atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
    return path


def write_tables(run: BenchmarkRun) -> list[Path]:
    """The benchmark's Parquet files (and the peer files when there is a peer set)."""
    bench, meta = run.benchmark, _metadata(run)
    tables = {
        "benchmark": bench.indicators,
        "positions": bench.positions,
        "trends": bench.trends,
        "co2e_recomputed": bench.co2e,
    }
    if run.peers is not None and run.positions is not None:
        tables |= {"peers": run.peers, "peer_positions": run.positions}
    return [
        write_parquet(frame, run.out / f"{name}.parquet", meta) for name, frame in tables.items()
    ]


def summary(run: BenchmarkRun) -> dict[str, Any]:
    """benchmark.json: what went in, on which factors, and the timings."""
    bench = run.benchmark
    return {
        "benchmark_version": BENCHMARK_VERSION,
        "factor_year": bench.factor_year,
        "factor_set": factor_set_version(),
        "gwp_set": load_contract().gwp_set,
        "exports": bench.institutions.to_dicts(),
        "institutions": bench.institutions["institution"].n_unique(),
        "indicators": bench.indicators["indicator"].n_unique(),
        "eric": run.eric.report if run.eric else None,
        "seconds": {k: round(v, 3) for k, v in run.seconds.items()},
    }


def run_benchmark(
    paths: list[Path], out: Path, factor_year: int | None = None, eric_path: Path | None = None
) -> BenchmarkRun:
    """The whole benchmark; ContractError or GroendraadError name what is wrong."""
    from groendraad.nfu.site import write_pages

    clock = _Clock()
    files = read_exports(paths)
    clock.lap("read_and_check")
    run = BenchmarkRun(out, compute_benchmark(files, factor_year))
    clock.lap("compute")
    if eric_path is not None:
        run.eric = import_eric(eric_path)
        umc = umc_peer_form(run.benchmark.rows, load_mapping(), run.benchmark.factor_year)
        run.peers = pl.concat([umc.select(run.eric.peers.columns), run.eric.peers])
        run.positions = peer_positions(umc, run.eric.peers)
        clock.lap("eric_peers")
    out.mkdir(parents=True, exist_ok=True)
    run.files = write_tables(run)
    clock.lap("write_parquet")
    run.seconds = dict(clock.laps)  # the pages show the steps before them
    run.files += write_pages(run)
    clock.lap("pages")
    run.seconds = clock.laps | {"total": clock.total()}
    report = json.dumps(summary(run), indent=2, ensure_ascii=False, default=str)
    write_bytes_atomic(out / "benchmark.json", report.encode("utf-8"))
    run.files.append(out / "benchmark.json")
    return run


class _Clock:
    """Seconds per step."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name], self.last = now - self.last, now

    def total(self) -> float:
        return time.perf_counter() - self.start
