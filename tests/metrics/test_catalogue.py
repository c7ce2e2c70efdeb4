"""The catalogue, factors and contract are data: check them against each other."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from groendraad.metrics.catalogue import load_catalogue
from groendraad.metrics.factors import load_factors
from groendraad.metrics.store import PUBLISHED_SCHEMA
from groendraad.warehouse.schema import table

CONTRACT = Path(__file__).resolve().parents[2] / "metrics" / "CONTRACT.md"
SNAPSHOT = Path(__file__).parent / "fixtures" / "metric_ids.txt"


def test_metric_ids_match_the_committed_snapshot() -> None:
    # a removed or renamed metric breaks pages and the NFU export: update deliberately
    assert sorted(load_catalogue().metrics) == SNAPSHOT.read_text().split()


def test_every_catalogue_metric_is_computed(figures: pl.DataFrame) -> None:
    institution = figures.filter(pl.col("level") == "institution")
    assert set(institution["metric"]) == set(load_catalogue().metrics)
    # the tiny hospital's green share would reveal its 2 drivers: suppressed (disclosure)
    unshown = institution.filter(pl.col("value").is_null())
    assert unshown["metric"].to_list() == ["mobility.green_share_pct"]
    for metric, levels in figures.group_by("metric").agg(pl.col("level").unique()).iter_rows():
        assert set(levels) <= set(load_catalogue().metrics[metric].levels), metric


def test_contract_documents_every_column_and_metric() -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    documented_columns = set(re.findall(r"^\| `(\w+)` \|", text, flags=re.MULTILINE))
    assert set(PUBLISHED_SCHEMA.names()) <= documented_columns
    documented_metrics = set(re.findall(r"^\| `([a-z0-9_]+\.[a-z0-9_]+)` \|", text, re.MULTILINE))
    assert documented_metrics == set(load_catalogue().metrics)


def test_every_factor_is_sourced_and_every_activity_has_one() -> None:
    factors = load_factors()
    assert factors.filter(pl.col("source").str.len_chars() < 10).is_empty()
    by_category = factors.group_by("category").agg(pl.col("activity").unique())
    activities = {c: set(a) for c, a in by_category.iter_rows()}
    routes = table("waste_collections").columns["processing_route"]["values"]
    assert set(routes) <= activities["waste_route"]
    assert set(table("commuting").columns["mode"]["values"]) <= activities["commuting_mode"]
    travel = {"Trein (NL)", "Trein (buitenland)", "Auto"} | {
        f"Vliegtuig ({b})" for b in ("domestic", "short haul", "long haul")
    }
    travel |= {"Vliegtuig (short haul, economy)", "Vliegtuig (long haul, business)"}
    assert travel <= activities["business_travel_mode"]
    carriers = set(table("energy_meters").columns["carrier"]["values"])
    assert carriers <= activities["energy"] and carriers <= activities["energy_content"]
