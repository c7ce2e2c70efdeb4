"""factors.csv: every year of the data has its own factor (or a declared fallback),
every row is cited with a confidence, and WTW = TTW + WTT for every carrier and year.

The checks read the CSV with the csv module, independently of metrics/factors.py; the
last tests run ``groendraad factors check`` itself.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from .factor_rows import FACTORS_CSV, rows

YEARS = range(2016, 2027)  # the demo's data: 2016-01 up to last month
CARRIERS = ("electricity", "gas", "heat")


def _covering(
    activity: str, part: str, basis: str, year: int, category: str = "energy"
) -> list[dict[str, str]]:
    return [
        r
        for r in rows()
        if (r["activity"], r["part"], r["basis"], r["category"])
        == (activity, part, basis, category)
        and int(r["valid_year"]) <= year <= int(r["valid_to"] or 9999)
    ]


def test_every_year_of_the_data_has_exactly_one_factor_row() -> None:
    keys = {(r["activity"], r["part"], r["basis"], r["category"]) for r in rows()}
    gaps = [(k, y) for k in keys for y in YEARS if len(_covering(*k[:3], y, k[3])) != 1]
    assert gaps == []


@pytest.mark.parametrize("carrier", CARRIERS)
@pytest.mark.parametrize("basis", ["location", "market"])
def test_well_to_wheel_is_combustion_plus_upstream(carrier: str, basis: str) -> None:
    for year in YEARS:
        parts = {p: _covering(carrier, p, basis, year) for p in ("ttw", "wtt", "wtw")}
        if not parts["wtw"] and basis == "market":
            continue  # no market row: the location rows price it
        ttw, wtt, wtw = (float(parts[p][0]["value"]) for p in ("ttw", "wtt", "wtw"))
        assert ttw + wtt == pytest.approx(wtw, abs=1e-4), (carrier, basis, year)


def test_every_row_names_a_findable_source_gwp_and_confidence() -> None:
    for r in rows():
        assert len(r["source"]) >= 10, r["factor_id"]
        assert r["confidence"] in {"official", "secondary", "assumed"}, r["factor_id"]
        assert r["gwp"], r["factor_id"]
        assert r["part"] in {"ttw", "wtt", "wtw", "all", "-"}, r["factor_id"]


def test_each_list_year_its_own_value_no_carried_back_grid() -> None:
    def grid(year: int) -> float:
        return float(_covering("electricity", "wtw", "location", year)[0]["value"])

    assert (grid(2023), grid(2024), grid(2025)) == (0.337, 0.328, 0.268)
    heat = [float(_covering("heat", "wtw", "location", y)[0]["value"]) for y in (2024, 2025)]
    assert heat[1] == pytest.approx(heat[0] * 1.53, rel=1e-3)  # the 2025 list: +53%


def _run_check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "groendraad"), "factors", "check", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_factors_check_lists_carried_and_assumed_factors(tmp_path: Path) -> None:
    done = _run_check("--years", "2016-2026", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2018  energy/electricity/location/wtw  0.374" in done.stdout
    assert "carried back from list 2022  assumed" in done.stdout
    assert "missing: 0" in done.stdout
    assert "2023  energy/electricity/location/wtw  0.337" in done.stdout  # as listed
    assumed = _run_check("--years", "2023", "--only-assumed", cwd=tmp_path).stdout
    assert "energy/electricity/location/wtw  0.337" not in assumed
    assert "energy/gas/location/ttw" in assumed  # derived: assumed


def test_a_year_without_factor_or_fallback_fails_the_check(tmp_path: Path) -> None:
    gap = tmp_path / "factors.csv"
    with FACTORS_CSV.open(encoding="utf-8", newline="") as src, gap.open("w", newline="") as out:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        writer.writerows(r for r in reader if r["factor_id"] != "electricity_grid_ttw_2024")
    done = _run_check("--years", "2016-2026", "--factors-file", str(gap), cwd=tmp_path)
    assert done.returncode == 1
    assert "2024  energy/electricity/location/ttw  MISSING" in done.stdout
