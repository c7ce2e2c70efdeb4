"""The NHS ERIC import on the real file, and its defect rules on a small hand-made one."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from groendraad.errors import GroendraadError
from groendraad.nfu.eric import import_eric, load_mapping, numeric_columns


@pytest.fixture(scope="module")
def eric(eric_file: Path):
    return import_eric(eric_file)


def test_general_acute_sites_are_selected(eric) -> None:
    assert eric.report["sites_in_file"] == 2869
    assert eric.report["general_acute_sites"] == 228
    assert eric.sites.height == 228
    assert eric.peers["institution"].n_unique() == 228


def test_na_is_missing_not_zero(eric) -> None:
    # nine general acute sites report every energy and waste column as N/A
    assert eric.report["energy_flags"]["not_reported"] == 9
    assert eric.report["waste_flags"]["not_reported"] == 9
    unreported = eric.sites.filter(pl.col("energy_flag") == "not_reported")
    assert unreported["energy_kwh"].null_count() == 9
    assert eric.report["missing_cells"] > 0 and eric.report["unparseable_cells"] == 0


def test_outliers_are_flagged_kept_and_left_out_of_the_peers(eric) -> None:
    outliers = eric.sites.filter(pl.col("energy_flag") == "outlier")
    assert set(outliers["name"]) == {
        "BROADGREEN HOSPITAL",
        "ROYAL LIVERPOOL UNIVERSITY HOSPITAL",
        "FROME COMMUNITY HOSPITAL",
    }
    broadgreen = eric.peers.filter(
        (pl.col("name") == "BROADGREEN HOSPITAL")
        & (pl.col("indicator") == "energy.kwh_per_m2")
        & pl.col("category").is_null()
    ).row(0, named=True)
    assert broadgreen["value"] == pytest.approx(1486.92, abs=0.01)
    assert broadgreen["flag"] == "outlier" and not broadgreen["included"]
    assert eric.report["waste_flags"]["outlier"] == 1


def test_food_causes_that_do_not_add_up_are_not_used(eric) -> None:
    flags = eric.report["cause_flags"]
    assert flags["causes_inconsistent"] > 0 and flags["zero_reported"] == 30
    shares = eric.peers.filter(
        (pl.col("indicator") == "food_waste.cause_share_pct") & pl.col("included")
    )
    per_site = shares.group_by("institution").agg(pl.col("value").sum())
    assert per_site["value"].to_list() == pytest.approx([100.0] * per_site.height)


def test_peer_medians_are_plausible(eric) -> None:
    included = eric.peers.filter(pl.col("included") & pl.col("category").is_null())
    medians = dict(included.group_by("indicator").agg(pl.col("value").median()).iter_rows())
    assert 300 < medians["energy.kwh_per_m2"] < 600  # kWh/m2 a year, English acute hospitals
    assert 8 < medians["waste.kg_per_m2"] < 25


def small_file(tmp_path: Path, energy: dict[str, str]) -> Path:
    """A two-site ERIC file with every mapped column; ``energy`` overrides the gas cells."""
    mapping = load_mapping()
    header = ["Site Type", "Site Code", "Site Name", "Trust Name", *numeric_columns(mapping)]
    rows = []
    for code, gas in energy.items():
        cells = {c: "0" for c in numeric_columns(mapping)}
        cells |= {mapping["floor_area_m2"]: '"10,000"', "Gas consumed (kWh)": gas}
        rows.append(["General acute hospital", code, f"<b>{code}</b>", "Trust", *cells.values()])
    lines = [",".join(f'"{h}"' for h in header)] + [",".join(r) for r in rows]
    path = tmp_path / "eric.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_thousands_separators_blanks_and_na(tmp_path: Path) -> None:
    path = small_file(tmp_path, {"S1": '"4,000,000"', "S2": "N/A", "S3": ""})
    imported = import_eric(path)
    sites = {r["site"]: r for r in imported.sites.to_dicts()}
    assert sites["S1"]["floor_area_m2"] == 10_000
    assert sites["S1"]["energy_kwh_per_m2"] == pytest.approx(400.0)
    assert sites["S2"]["energy:gas"] is None and sites["S3"]["energy:gas"] is None
    assert sites["S2"]["energy_flag"] == "zero_reported"  # the other carriers are 0


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "eric.csv"
    path.write_text("Site Type,Site Code\nGeneral acute hospital,S1\n", encoding="utf-8")
    with pytest.raises(GroendraadError, match=r"eric\.csv: column\(s\) not found: Site Name"):
        import_eric(path)
