"""Results as data (the validation_results table) and the offline HTML report."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl

from groendraad.expectations import read_results, render_report, write_results
from groendraad.expectations.results import RESULT_SCHEMA

from . import clean_month
from .clean_month import MONTH, RUN, Validate


def outcomes(validate: Validate) -> list:
    """A clean energy month, and a medicine month with an unknown department ``<b>x</b>``."""
    medicine = clean_month.medicine_waste(MONTH)
    department = pl.when(pl.col("source_line") == 3).then(pl.lit("<b>x</b>"))
    medicine["medicine_waste"] = medicine["medicine_waste"].with_columns(
        department.otherwise(pl.col("department")).alias("department")
    )
    return [validate("energy", clean_month.energy(MONTH)), validate("medicine_waste", medicine)]


def test_results_are_written_per_run_and_source_month(validate: Validate, tmp_path: Path) -> None:
    done = outcomes(validate)
    paths = write_results(tmp_path, done)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        f"validation/results/run={RUN}/{MONTH}_energy.parquet",
        f"validation/results/run={RUN}/{MONTH}_medicine_waste.parquet",
    ]
    kept = read_results(tmp_path)
    assert kept.schema == RESULT_SCHEMA
    assert kept.height == sum(len(o.results) for o in done)
    failed = kept.filter(~pl.col("success"))
    assert failed.select("source", "expectation", "severity", "rows_affected").rows() == [
        ("medicine_waste", "medicine_waste.department_known", "blocking", 1)
    ]
    pattern = str(tmp_path / "validation" / "results" / "*" / "*.parquet")
    count = duckdb.execute("select count(*) from read_parquet(?)", [pattern]).fetchone()
    assert count == (kept.height,)


def test_writing_a_source_month_again_replaces_it(validate: Validate, tmp_path: Path) -> None:
    done = outcomes(validate)
    write_results(tmp_path, done)
    write_results(tmp_path, done[:1])
    assert read_results(tmp_path).height == sum(len(o.results) for o in done)


def test_the_report_works_offline_and_escapes_every_value(
    validate: Validate, tmp_path: Path
) -> None:
    path = render_report(outcomes(validate), tmp_path / "report.html")
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert not re.search(r"https?://", page)
    assert not re.search(r"""(src|href)\s*=\s*["']?(?!#)""", page, flags=re.IGNORECASE)
    assert "<b>x</b>" not in page
    assert "department=&#x27;&lt;b&gt;x&lt;/b&gt;&#x27;" in page
    assert "medicine_waste.department_known" in page
    assert "Blocked: not published" in page and "source_line=3" in page
