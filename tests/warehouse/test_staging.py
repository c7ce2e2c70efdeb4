import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from groendraad.months import Month
from groendraad.warehouse import staging
from groendraad.warehouse.runs import WarehouseBusy, warehouse_lock

OCT = Month(2025, 10)


def medicine(rows: int, value: float = 2.5) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "registration_date": [date(2025, 10, 1 + i % 28) for i in range(rows)],
            "department": ["Hartziekten"] * rows,
            "atc": ["N02BE01"] * rows,
            "product": ["Paracetamol 500 mg"] * rows,
            "quantity": [1.0] * rows,
            "unit": ["stuk"] * rows,
            "reason": ["Verlopen"] * rows,
            "value_eur": [value] * rows,
            "source_line": list(range(rows + 1, 1, -1)),
        }
    )


def test_rerun_replaces_the_month_and_is_read_back_by_duckdb(tmp_path: Path) -> None:
    staging.write_source_month(tmp_path, OCT, {"medicine_waste": medicine(5)}, "a" * 64)
    staging.write_source_month(tmp_path, OCT, {"medicine_waste": medicine(3, 4.0)}, "b" * 64)
    staging.write_source_month(tmp_path, Month(2025, 9), {"medicine_waste": medicine(2)}, "c" * 64)
    pattern = str(tmp_path / "staging" / "medicine_waste" / "*" / "*.parquet")
    total = duckdb.execute(
        "select month, count(*), sum(value_eur) from read_parquet(?, hive_partitioning=true)"
        " group by month order by month",
        [pattern],
    ).fetchall()
    assert total == [("2025-09", 2, 5.0), ("2025-10", 3, 12.0)]
    meta = staging.file_metadata(staging.month_file(tmp_path, "medicine_waste", OCT))
    assert meta["groendraad.delivery_sha256"] == "b" * 64
    assert meta["groendraad.source"] == "medicine_waste"
    # typed as declared, sorted on the key
    frame = staging.read_month(tmp_path, "medicine_waste", OCT)
    assert frame["source_line"].to_list() == [2, 3, 4]
    assert (
        pq.read_schema(staging.month_file(tmp_path, "medicine_waste", OCT))
        .field("source_line")
        .type
        == "int32"
    )
    assert staging.staged_months(tmp_path, "medicine_waste") == [Month(2025, 9), OCT]


def test_a_source_that_fails_while_writing_publishes_none_of_its_tables(tmp_path: Path) -> None:
    good = pl.DataFrame(
        {
            "file_name": ["afval_2025-10.csv"],
            "declared_total_kg": [1.0],
            "lines_total_kg": [1.0],
            "line_count": [1],
            "source_line": [3],
        }
    )
    bad = pl.DataFrame({"collection_date": ["not a date"]})
    with pytest.raises(ValueError, match="waste_collections"):
        staging.write_source_month(
            tmp_path, OCT, {"waste_totals": good, "waste_collections": bad}, "x" * 64
        )
    assert not list((tmp_path / "staging").rglob("*.parquet"))
    assert not list((tmp_path / "staging").rglob(".*tmp*"))


def test_second_run_waits_for_or_is_refused_the_lock(tmp_path: Path) -> None:
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with warehouse_lock(tmp_path):
            entered.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(5)
    # flock is per open file description, so a second open in this process conflicts too
    with pytest.raises(WarehouseBusy, match="another run"), warehouse_lock(tmp_path, wait=False):
        pass
    release.set()
    holder.join()
    started = time.perf_counter()
    with warehouse_lock(tmp_path, wait=False):
        assert time.perf_counter() - started < 1
