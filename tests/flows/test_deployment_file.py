"""prefect.yaml: the deployments the Prefect server runs, checked without a server."""

from __future__ import annotations

import inspect
from pathlib import Path

import yaml
from prefect.flows import load_flow_from_entrypoint

PREFECT_YAML = Path(__file__).resolve().parents[2] / "prefect.yaml"


def deployments() -> dict[str, dict]:
    document = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
    assert document["pull"] == []  # the worker imports the installed package: no code pull
    return {d["name"]: d for d in document["deployments"]}


def test_the_monthly_deployment_runs_at_six_on_the_second_in_amsterdam() -> None:
    monthly = deployments()["groendraad-monthly"]
    assert monthly["schedules"] == [
        {"cron": "0 6 2 * *", "timezone": "Europe/Amsterdam", "active": True}
    ]
    assert monthly["work_pool"]["name"] == "groendraad-pool"


def test_every_entrypoint_loads_its_flow_and_its_parameters_exist() -> None:
    expected = {
        "groendraad-monthly": "groendraad-monthly",
        "groendraad-backfill": "groendraad-backfill",
        "groendraad-restate": "groendraad-restate",
    }
    found = deployments()
    assert set(found) == set(expected)
    for name, deployment in found.items():
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        assert flow.name == expected[name]
        accepted = set(inspect.signature(flow.fn).parameters)
        assert set(deployment["parameters"]) <= accepted
        assert {"config", "warehouse"} <= accepted
