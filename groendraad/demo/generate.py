"""Write the demo hospital's file deliveries for a range of months.

``generate(out_dir, first, last)`` writes every file source exactly as sources.md
describes it, at the paths of demo.yaml (relative to ``out_dir``), copies demo.yaml
to ``out_dir/groendraad.yaml`` and lists the injected faults in
``out_dir/injected_faults.json``. The HTTP sources are served by ``DemoServer``.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from groendraad.demo import faults as f
from groendraad.demo import formats
from groendraad.demo.deliveries import month_files
from groendraad.demo.model import DEFAULT_SEED, DemoModel
from groendraad.months import Month, month_range

DEMO_CONFIG = Path(__file__).with_name("demo.yaml")
DEFAULT_FAULT_RATE = 0.02
FAULTS_FILE, MANIFEST_FILE, CONFIG_FILE = (
    "injected_faults.json",
    "demo_manifest.json",
    "groendraad.yaml",
)


@dataclass(frozen=True)
class GeneratedDemo:
    """What ``generate`` wrote, and the faults it injected (also those the server plays)."""

    out_dir: Path
    first: Month
    last: Month
    seed: int = DEFAULT_SEED
    fault_rate: float = DEFAULT_FAULT_RATE
    faults: tuple[f.Fault, ...] = ()
    clean_months: frozenset[Month] = field(default_factory=frozenset)

    @property
    def config_path(self) -> Path:
        return self.out_dir / CONFIG_FILE

    @property
    def model(self) -> DemoModel:
        return DemoModel(self.seed)

    def faults_of(self, source: str, month: Month | None = None) -> list[f.Fault]:
        return [x for x in self.faults if x.source == source and month in (None, x.month)]


def delivery_paths(config_file: Path = DEMO_CONFIG) -> dict[str, str]:
    """File patterns (relative, with ``{month}``) of the file sources in the demo config."""
    sources = yaml.safe_load(config_file.read_text(encoding="utf-8"))["sources"]
    return {
        "waste": sources["waste"]["path"],
        "disposables": sources["disposables"]["path"],
        "commuting": sources["mobility"]["commuting"],
        "business_travel": sources["mobility"]["business_travel"],
        "medicine_waste": sources["medicine_waste"]["path"],
        "key_figures": sources["reference"]["key_figures"],
        "organisation": sources["reference"]["organisation"],
    }


def _write_months(
    out_dir: Path, seed: int, months: list[Month], paths: dict[str, str], plan: list[f.Fault]
) -> list[f.Fault]:
    """Write the files of ``months``; return the file faults injected into them."""
    model, injected = DemoModel(seed), []
    for month in months:
        planned = {x.source: x for x in plan if x.month == month}
        files, month_faults = month_files(model, month, paths, planned)
        injected += month_faults
        for relative, content in files.items():
            _write(out_dir / relative, content)
    return injected


def generate(
    out_dir: Path,
    first: Month,
    last: Month,
    seed: int = DEFAULT_SEED,
    fault_rate: float = DEFAULT_FAULT_RATE,
    clean_months: frozenset[Month] | set[Month] = frozenset(),
    workers: int = 1,
) -> GeneratedDemo:
    """Write all file deliveries for ``first``..``last`` under ``out_dir``.

    Months are independent, so ``workers`` > 1 spreads a long range over that many
    processes (started with "spawn": the calling script needs an
    ``if __name__ == "__main__"`` guard). The bytes written do not depend on it.
    """
    out_dir = Path(out_dir)
    months = month_range(first, last)
    model, paths = DemoModel(seed), delivery_paths()
    plan = f.plan_faults(seed, months, fault_rate, clean_months)
    faults: list[f.Fault] = [x for x in plan if x.source == "energy"]
    chunks = [months[i::workers] for i in range(workers)] if len(months) >= 12 else [months]
    jobs = [
        (out_dir, seed, chunk, paths, [x for x in plan if x.month in set(chunk)])
        for chunk in chunks
        if chunk
    ]
    if len(jobs) == 1:
        faults += _write_months(*jobs[0])
    else:
        context = multiprocessing.get_context("spawn")  # forking a process running polars can hang
        with ProcessPoolExecutor(len(jobs), mp_context=context) as pool:
            for injected in pool.map(_write_months, *zip(*jobs, strict=True)):
                faults += injected
    _write(out_dir / paths["key_figures"], formats.key_figures_csv(model.key_figures(months)))
    _write(out_dir / paths["organisation"], formats.render_csv(model.organisation()))
    shutil.copyfile(DEMO_CONFIG, out_dir / CONFIG_FILE)
    faults.sort(key=lambda x: (x.month, x.source))
    demo = GeneratedDemo(
        out_dir, first, last, seed, fault_rate, tuple(faults), frozenset(clean_months)
    )
    _write_json(out_dir / FAULTS_FILE, [x.as_json() for x in faults])
    _write_json(
        out_dir / MANIFEST_FILE,
        {
            "seed": seed,
            "first": str(first),
            "last": str(last),
            "fault_rate": fault_rate,
            "clean_months": sorted(str(m) for m in clean_months),
        },
    )
    return demo


def load_demo(out_dir: Path) -> GeneratedDemo:
    """The demo that ``generate`` wrote to ``out_dir`` (to serve it again later)."""
    out_dir = Path(out_dir)
    manifest = json.loads((out_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    records = json.loads((out_dir / FAULTS_FILE).read_text(encoding="utf-8"))
    return GeneratedDemo(
        out_dir,
        Month.parse(manifest["first"]),
        Month.parse(manifest["last"]),
        manifest["seed"],
        manifest["fault_rate"],
        tuple(f.Fault.from_json(r) for r in records),
        frozenset(Month.parse(m) for m in manifest["clean_months"]),
    )


def _write(path: Path, content: bytes | None) -> None:
    """Write ``content``; ``None`` means the file was not delivered (remove a stale one)."""
    if content is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
