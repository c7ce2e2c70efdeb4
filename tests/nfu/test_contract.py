"""The export contract cannot change silently.

The contract (columns with Arrow types, metadata keys, metrics with unit, kind, levels
and aggregation, version) is compared with a committed snapshot, and so is the schema
of a file the writer actually produces. A deliberate change: bump schema_version in
nfu/contract.yaml, then regenerate with ``NFU_UPDATE_SNAPSHOT=1 uv run pytest
tests/nfu/test_contract.py`` and commit both.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from groendraad.nfu.contract import load_contract
from groendraad.nfu.indicators import load_indicators

from .synthetic import write_synthetic

SNAPSHOT = Path(__file__).parent / "snapshots" / "export_contract.json"
README = Path(__file__).resolve().parents[2] / "nfu" / "README.md"


def contract_snapshot() -> dict[str, Any]:
    """The contract as the snapshot records it."""
    contract = load_contract()
    schema = contract.arrow_schema()
    return {
        "schema_version": contract.schema_version,
        "accepted_versions": list(contract.accepted_versions),
        "gwp_set": contract.gwp_set,
        "min_group_size": contract.min_group_size,
        "columns": [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in schema],
        "metadata_keys": sorted(contract.metadata),
        "metrics": {
            m.id: {
                "unit": m.unit,
                "kind": m.kind,
                "levels": list(m.levels),
                "aggregate": m.aggregate,
            }
            for m in contract.metrics.values()
        },
    }


def file_snapshot(path: Path) -> dict[str, Any]:
    """What a written export file holds: its columns and metadata keys."""
    schema = pq.read_schema(path)
    keys = sorted(k.decode() for k in (schema.metadata or {}))
    columns = [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in schema]
    return {"columns": columns, "metadata_keys": keys}


def committed() -> dict[str, Any]:
    if os.environ.get("NFU_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(contract_snapshot(), indent=2) + "\n", encoding="utf-8")
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_contract_matches_the_committed_snapshot() -> None:
    assert contract_snapshot() == committed()


def test_a_written_export_has_exactly_the_snapshot_schema(tmp_path: Path) -> None:
    snapshot = committed()
    written = file_snapshot(write_synthetic(tmp_path, "umc-a", [1, 2]))
    assert written["columns"] == snapshot["columns"]
    assert written["metadata_keys"] == snapshot["metadata_keys"]


def test_readme_documents_every_column_metadata_key_and_metric() -> None:
    text = README.read_text(encoding="utf-8")
    contract = load_contract()
    names = [*contract.column_names, *contract.metadata, *contract.metrics, contract.schema_version]
    undocumented = [n for n in names if f"`{n}`" not in text]
    assert not undocumented, f"nfu/README.md does not name: {undocumented}"


def test_indicators_use_only_contract_metrics() -> None:
    metrics = set(load_contract().metrics)
    for indicator in load_indicators().indicators:
        used = {re.sub(r"^recomputed:", "", m) for m in indicator.numerator + indicator.denominator}
        assert used <= metrics, indicator.id
