"""Demo institutions through the real pipeline: generate, serve, gather, publish.

The demo generator has one (LUMC-like) size and takes only a seed. Institutions of other
sizes are scaled copies of a real demo export (groendraad.nfu.scaled: every absolute
figure times the size factor, shares unchanged): the size factor is applied in the test,
the seed changes the hospital itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from groendraad.config import load_config
from groendraad.demo import DemoServer, generate
from groendraad.metrics import publish
from groendraad.months import Month, month_range
from groendraad.runner import run_months

CLI = str(Path(sys.executable).parent / "groendraad")
TOKEN, API_KEY = "nfu-test-token", "nfu-test-key"


@dataclass(frozen=True)
class DemoInstitution:
    """A demo hospital gathered and published: its folder, config and warehouse."""

    institution: str
    seed: int
    out: Path
    config: Path
    warehouse: Path
    months: tuple[Month, ...]


@contextmanager
def demo_environment(url: str) -> Iterator[None]:
    """The demo configuration's variables, for the duration of a run."""
    values = {
        "GROENDRAAD_DEMO_URL": url,
        "GROENDRAAD_DEMO_ENERGY_TOKEN": TOKEN,
        "GROENDRAAD_DEMO_FOOD_API_KEY": API_KEY,
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def own_config(out: Path, institution: str) -> Path:
    """The demo configuration with the institution's own id (beside the original)."""
    text = (out / "groendraad.yaml").read_text(encoding="utf-8")
    config = out / "groendraad-nfu.yaml"
    config.write_text(text.replace("id: demo-umc", f"id: {institution}", 1), encoding="utf-8")
    return config


def build(out: Path, seed: int, first: Month, last: Month) -> DemoInstitution:
    """Generate and serve the demo hospital of ``seed``, run the pipeline, publish the metrics.

    ``run_months`` is what ``groendraad backfill`` runs (fetch, parse, stage, validate,
    publish), here in the test process so Great Expectations starts once per session.
    """
    institution = f"demo-{seed}"
    generated = generate(out, first, last, seed=seed, fault_rate=0.0)
    config_path = own_config(out, institution)
    warehouse = out / "warehouse"
    months = month_range(first, last)
    with (
        DemoServer(generated, token=TOKEN, api_key=API_KEY) as server,
        demo_environment(server.url),
    ):
        report = run_months(load_config(config_path), warehouse, months)
    assert report.ok, [r.error for r in report.failures]
    publish(warehouse, institution)  # a no-op when the run already published every month
    return DemoInstitution(institution, seed, out, config_path, warehouse, tuple(months))
