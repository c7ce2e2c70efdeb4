"""`groendraad withdraw` and `groendraad accept-gap`, run as a coordinator would (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from groendraad.metrics import list_versions, publish, read_metrics, read_version

from . import hospital
from .conftest import MARCH_2023

CLI = str(Path(sys.executable).parent / "groendraad")


def groendraad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = root / "groendraad.yaml"
    config.write_text("institution: {id: tiny-umc, name: Tiny UMC}\nsources: {}\n")
    env = {**os.environ, "GROENDRAAD_WORKERS": "0"}
    command = [CLI, *args, "--config", str(config), "--warehouse", str(root / "wh")]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def _institution(frame: pl.DataFrame, metric: str) -> dict:
    rows = frame.filter(
        (pl.col("metric") == metric)
        & (pl.col("level") == "institution")
        & pl.col("category").is_null()
    )
    return rows.row(0, named=True)


def test_withdraw_publishes_a_version_without_figures_and_keeps_history(tmp_path: Path) -> None:
    root = tmp_path / "wh"
    hospital.stage_month(root, MARCH_2023)
    publish(root, "tiny-umc")
    done = groendraad(tmp_path, "withdraw", "--month", "2023-03", "--note", "published by mistake")
    assert done.returncode == 0, done.stderr
    assert "published as version 2" in done.stdout
    withdrawn = read_version(root, MARCH_2023, 2)
    assert withdrawn["value"].null_count() == withdrawn.height
    assert set(withdrawn["quality"]) == {"missing"}
    assert set(withdrawn["quality_reason"]) == {"withdrawn: published by mistake"}
    assert read_version(root, MARCH_2023, 1)["value"].null_count() < withdrawn.height
    # publishing again does not bring it back; gathering the month again does
    assert publish(root, "tiny-umc").published == {}
    hospital.stage_month(root, MARCH_2023)
    assert publish(root, "tiny-umc").published == {MARCH_2023: 3}
    assert _institution(read_metrics(root), "waste.total_kg")["value"] == pytest.approx(1700.0)


def test_withdraw_refuses_a_month_never_published(tmp_path: Path) -> None:
    (tmp_path / "wh").mkdir()
    done = groendraad(tmp_path, "withdraw", "--month", "2027-01")
    assert done.returncode == 2
    assert "nothing is published for 2027-01" in done.stderr


def test_accept_gap_gives_the_note_as_reason_until_a_real_delivery(tmp_path: Path) -> None:
    root = tmp_path / "wh"
    hospital.stage_month(root, MARCH_2023, skip=("energy",))
    publish(root, "tiny-umc")
    before = _institution(read_metrics(root), "energy.electricity_kwh")
    assert before["quality_reason"] == "energy 2023-03: not delivered"
    done = groendraad(
        tmp_path, "accept-gap", "--month", "2023-03", "--source", "energy", "--note", "meteruitval"
    )
    assert done.returncode == 0, done.stderr
    assert list_versions(root, MARCH_2023)["version"].to_list() == [1, 2]
    figures = read_metrics(root)
    for metric in ("energy.electricity_kwh", "co2e.total_location_kg"):
        row = _institution(figures, metric)
        assert (row["value"], row["quality"]) == (None, "missing")
        assert "energy 2023-03: accepted gap: meteruitval" in row["quality_reason"]
    hospital.stage(root, MARCH_2023, "energy", hospital.energy(MARCH_2023))
    assert publish(root, "tiny-umc").published == {MARCH_2023: 3}
    assert _institution(read_metrics(root), "energy.electricity_kwh")["value"] == pytest.approx(
        740.0
    )


def test_accept_gap_names_the_known_sources(tmp_path: Path) -> None:
    (tmp_path / "wh").mkdir()
    done = groendraad(
        tmp_path, "accept-gap", "--month", "2023-03", "--source", "enrgy", "--note", "x"
    )
    assert done.returncode == 2
    assert "enrgy" in done.stderr and "energy" in done.stderr
