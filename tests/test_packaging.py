"""The generic top-level folders are importable only under the groendraad namespace."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generic_folder_names_are_not_top_level_packages(tmp_path: Path) -> None:
    script = (
        "import importlib.util, groendraad.sources, groendraad.flows\n"
        "print(groendraad.sources.__file__)\n"
        "for name in ('flows', 'sources', 'charts', 'warehouse', 'expectations'):\n"
        "    assert importlib.util.find_spec(name) is None, name\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).parent == ROOT / "sources"


def test_registry_lists_every_connector_module() -> None:
    from groendraad.sources import registry
    from groendraad.warehouse.schema import tables

    produced = set()
    for name in registry.CONNECTORS:
        connector = registry.connector(name)
        assert name == connector.NAME
        produced.update(connector.TABLES)
    # every declared staging table is produced by exactly the connectors listed
    assert produced == set(tables())
    assert list(registry.CONNECTORS) == [
        "reference",
        "energy",
        "waste",
        "food_waste",
        "disposables",
        "mobility",
        "medicine_waste",
    ]
