"""Bad exports are refused with a message naming the file and the problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from groendraad.nfu.check import read_export
from groendraad.nfu.contract import ContractError

from .synthetic import write_synthetic


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_synthetic(tmp_path, "umc-a", [1, 2])


def rewrite(path: Path, change: Callable[[pa.Table], pa.Table]) -> Path:
    """Write ``change(table)`` of the export at ``path`` beside it, as bad.parquet."""
    bad = path.with_name("bad.parquet")
    pq.write_table(change(pq.ParquetFile(path).read()), bad)
    return bad


def with_meta(table: pa.Table, **changes: str | None) -> pa.Table:
    meta = {k.decode(): v.decode() for k, v in table.schema.metadata.items()}
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is None:
            meta.pop(key)
        else:
            meta[key] = value
    return table.replace_schema_metadata(meta)


def refused(path: Path) -> str:
    with pytest.raises(ContractError) as caught:
        read_export(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_a_good_export_is_read(good: Path) -> None:
    export = read_export(good)
    assert export.institution == "umc-a"
    assert export.frame["period"].n_unique() == 2


def test_wrong_schema_version(good: Path) -> None:
    bad = rewrite(good, lambda t: with_meta(t, nfu__schema_version="nfu-export/2.0"))
    assert "schema version 'nfu-export/2.0' is not accepted" in refused(bad)


def test_no_schema_version_is_not_an_export(good: Path) -> None:
    bad = rewrite(good, lambda t: with_meta(t, nfu__schema_version=None))
    assert "not an NFU export" in refused(bad)


def test_missing_metadata_key(good: Path) -> None:
    bad = rewrite(good, lambda t: with_meta(t, nfu__factor_set=None))
    assert "metadata key(s) missing: nfu.factor_set" in refused(bad)


def test_missing_column(good: Path) -> None:
    bad = rewrite(good, lambda t: t.drop_columns(["quality"]))
    assert "missing column(s): quality" in refused(bad)


def test_extra_column_is_refused_as_possible_personal_data(good: Path) -> None:
    def add(table: pa.Table) -> pa.Table:
        return table.append_column("personeelsnummer", pa.array(["P001"] * table.num_rows))

    assert "personeelsnummer" in refused(rewrite(good, add))


def test_wrong_type(good: Path) -> None:
    def as_text(table: pa.Table) -> pa.Table:
        index = table.schema.get_field_index("value")
        return table.set_column(index, "value", pa.compute.cast(table["value"], pa.string()))

    assert "column 'value' has type string, the contract says double" in refused(
        rewrite(good, as_text)
    )


def frame_change(path: Path, change: Callable[[pl.DataFrame], pl.DataFrame]) -> Path:
    """Change the rows, keep the schema and metadata."""
    table = pq.ParquetFile(path).read()
    changed = change(pl.from_arrow(table)).to_arrow().cast(table.schema)  # type: ignore[union-attr]
    return rewrite(path, lambda _: changed.replace_schema_metadata(table.schema.metadata))


def test_unknown_metric(good: Path) -> None:
    bad = frame_change(
        good,
        lambda f: f.with_columns(
            metric=pl.when(pl.col("metric") == "waste.total_kg")
            .then(pl.lit("waste.secret_kg"))
            .otherwise("metric")
        ),
    )
    assert "unknown metric(s): waste.secret_kg" in refused(bad)


def test_wrong_unit(good: Path) -> None:
    bad = frame_change(
        good,
        lambda f: f.with_columns(
            unit=pl.when(pl.col("metric") == "energy.gas_m3").then(pl.lit("kWh")).otherwise("unit")
        ),
    )
    assert "energy.gas_m3 has unit 'kWh', the contract says 'm3'" in refused(bad)


def test_small_group_is_refused(good: Path) -> None:
    bad = frame_change(
        good,
        lambda f: f.with_columns(
            people=pl.when(pl.col("category") == "OV").then(3).otherwise("people")
        ),
    )
    message = refused(bad)
    assert "fewer than 5 people" in message and "OV" in message


def test_mobility_figure_without_people_count_is_refused(good: Path) -> None:
    bad = frame_change(
        good,
        lambda f: f.with_columns(
            people=pl.when(pl.col("metric") == "mobility.commuting_km")
            .then(None)
            .otherwise("people")
        ),
    )
    assert "without a people count" in refused(bad)


def test_figure_given_twice(good: Path) -> None:
    bad = frame_change(good, lambda f: pl.concat([f, f.head(1)]))
    assert "figure appears twice" in refused(bad)


def test_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    fake = tmp_path / "nfu-export_umc-x_2024.parquet"
    fake.write_text("institution;period\numc-x;2024-01\n", encoding="utf-8")
    assert "not a readable Parquet file" in refused(fake)


def test_a_missing_file(tmp_path: Path) -> None:
    assert "no such file" in refused(tmp_path / "absent.parquet")


def test_a_version_1_0_file_stays_readable(good: Path) -> None:
    """nfu-export/1.1 added quality_reason: a 1.0 file reads with it as null."""

    def as_1_0(table: pa.Table) -> pa.Table:
        older = table.drop_columns(["quality_reason"])
        return with_meta(older, nfu__schema_version="nfu-export/1.0")

    old = read_export(rewrite(good, as_1_0))
    assert old.frame["quality_reason"].null_count() == old.frame.height
    assert old.frame.columns == read_export(good).frame.columns


def test_a_version_1_1_file_needs_quality_reason(good: Path) -> None:
    bad = rewrite(good, lambda t: t.drop_columns(["quality_reason"]))
    assert "missing column(s): quality_reason" in refused(bad)
