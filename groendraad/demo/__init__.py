"""The demo hospital: a deterministic, LUMC-shaped UMC that delivers every source.

    demo = generate(out_dir, Month(2016, 1), Month(2026, 10))   # the file sources
    with DemoServer(demo) as server:                             # the HTTP sources
        os.environ["GROENDRAAD_DEMO_URL"] = server.url

``out_dir/groendraad.yaml`` is then a working configuration (credentials from
GROENDRAAD_DEMO_ENERGY_TOKEN = DEMO_ENERGY_TOKEN and GROENDRAAD_DEMO_FOOD_API_KEY =
DEMO_FOOD_API_KEY), and ``out_dir/injected_faults.json`` lists the bad deliveries.
"""

from groendraad.demo.faults import FAULT_KINDS, Fault
from groendraad.demo.food import SITES as FOOD_SITES
from groendraad.demo.generate import (
    DEFAULT_FAULT_RATE,
    DEMO_CONFIG,
    GeneratedDemo,
    generate,
    load_demo,
)
from groendraad.demo.model import DEFAULT_SEED, DemoModel
from groendraad.demo.server import DEMO_ENERGY_TOKEN, DEMO_FOOD_API_KEY, DemoServer

__all__ = [
    "DEFAULT_FAULT_RATE",
    "DEFAULT_SEED",
    "DEMO_CONFIG",
    "DEMO_ENERGY_TOKEN",
    "DEMO_FOOD_API_KEY",
    "FAULT_KINDS",
    "FOOD_SITES",
    "DemoModel",
    "DemoServer",
    "Fault",
    "GeneratedDemo",
    "generate",
    "load_demo",
]
