"""The export of real demo hospitals (gathered and published by the real pipeline)."""

from __future__ import annotations

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from groendraad.expectations.published import assert_publishable
from groendraad.metrics import read_metrics
from groendraad.nfu.check import read_export
from groendraad.nfu.contract import load_contract
from groendraad.warehouse import staging

from .test_contract import committed, file_snapshot

pytestmark = pytest.mark.slow
SUMS = ["metric", "category", "level", "division"]


def sums_duckdb(path) -> dict:
    query = (
        "select metric, category, level, division, sum(value), count(*) from read_parquet(?) "
        "group by all"
    )
    rows = duckdb.execute(query, [str(path)]).fetchall()
    return {tuple(r[:4]): (r[4], r[5]) for r in rows}


def sums_pyarrow(path) -> dict:
    table = pq.ParquetFile(path).read()
    grouped = table.group_by(SUMS, use_threads=False).aggregate(
        [("value", "sum"), ([], "count_all")]
    )
    return {
        tuple(r[c] for c in SUMS): (r["value_sum"], r["count_all"]) for r in grouped.to_pylist()
    }


def sums_pandas(path) -> dict:
    frame = pd.read_parquet(path)
    grouped = frame.groupby(SUMS, dropna=False)["value"].agg(["sum", "size"]).reset_index()
    none = lambda v: None if pd.isna(v) else v  # noqa: E731
    return {tuple(none(r[c]) for c in SUMS): (r["sum"], r["size"]) for _, r in grouped.iterrows()}


def test_the_export_follows_the_committed_contract(exports) -> None:
    snapshot = committed()
    for result in exports.values():
        written = file_snapshot(result.path)
        assert written == {
            "columns": snapshot["columns"],
            "metadata_keys": snapshot["metadata_keys"],
        }
        meta = read_export(result.path).metadata
        assert meta["nfu.schema_version"] == "nfu-export/1.1" and meta["nfu.gwp_set"] == "IPCC AR5"
        assert meta["nfu.months"] == "2025-09,2025-10" and meta["nfu.factor_set"].startswith("fs-")


def test_read_back_with_duckdb_pyarrow_and_pandas_gives_the_same_figures(exports) -> None:
    path = exports[11].path
    by_duckdb, by_arrow, by_pandas = sums_duckdb(path), sums_pyarrow(path), sums_pandas(path)
    assert by_duckdb.keys() == by_arrow.keys() == by_pandas.keys()
    for key, (total, count) in by_duckdb.items():
        assert by_arrow[key][1] == by_pandas[key][1] == count, key
        for other in (by_arrow[key][0], by_pandas[key][0]):
            assert (other or 0.0) == pytest.approx(total or 0.0, rel=1e-12), key
    kv = dict(
        duckdb.execute(
            "select key::varchar, value::varchar from parquet_kv_metadata(?)", [str(path)]
        ).fetchall()
    )
    assert kv["nfu.institution"] == "demo-11"


def test_the_export_holds_the_published_figures(demos, exports) -> None:
    demo, export = demos[11], read_export(exports[11].path).frame
    published = read_metrics(demo.warehouse).filter(
        (pl.col("level") == "institution") & (pl.col("metric") == "co2e.total_location_kg")
    )
    exported = export.filter(pl.col("metric") == "co2e.total_location_kg")
    assert exported["value"].sum() == pytest.approx(published["value"].sum())
    key_figures = staging.scan(demo.warehouse, "key_figures").collect()
    fte = export.filter(pl.col("metric") == "context.fte").sort("period")["value"]
    assert fte.to_list() == key_figures.sort("period")["fte"].to_list()


def test_no_personal_data_and_no_small_group(demos, exports) -> None:
    contract = load_contract()
    for seed, result in exports.items():
        frame = read_export(result.path).frame
        assert frame.columns == contract.column_names  # no employee or department column
        assert set(frame["level"]) == {"institution", "division"}
        mobility = frame.filter((pl.col("theme") == "mobility") & pl.col("value").is_not_null())
        assert mobility.height and mobility["people"].min() >= 5
        ids = staging.scan(demos[seed].warehouse, "commuting").select("employee_id").collect()
        assert_publishable(
            frame, "nfu_export", group_columns=["people"], known_ids=set(ids["employee_id"])
        )


def test_activity_data_sits_beside_every_co2e_figure(exports) -> None:
    frame = read_export(exports[12].path).frame.filter(pl.col("level") == "institution")
    present = set(frame["metric"])
    for component, parts in load_contract().recompute.items():
        assert component in present
        for part in parts:
            assert {part["co2e"], part["activity"]} <= present, part
    routes = frame.filter(pl.col("metric") == "co2e.scope3_waste_kg")["category"].drop_nulls()
    kg = frame.filter(pl.col("metric") == "waste.route_kg")["category"].drop_nulls()
    assert set(routes) <= set(kg)
