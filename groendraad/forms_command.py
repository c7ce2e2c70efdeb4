"""``groendraad report milieubarometer|esrs --year Y``: the yearly forms as XLSX and CSV.

Both read the published metrics mart only (``groendraad.metrics.read_metrics``).
Every number comes with its quality and lineage; a figure whose months are not all
published is written as missing (an empty cell), never as 0.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import click

from groendraad.forms import COLUMNS, build

HEADERS = {  # the columns' headings, Dutch / English
    "form": "formulier / form", "section": "onderdeel / section", "code": "code",
    "label_nl": "omschrijving", "label_en": "description", "year": "jaar / year",
    "value": "waarde / value", "unit": "eenheid / unit", "quality": "kwaliteit / quality",
    "months": "maanden / months", "note_nl": "toelichting", "note_en": "note",
    "metric": "metric", "category": "categorie / category",
    "deliveries": "leveringen / deliveries", "factor_set": "factorset / factor set",
    "factors": "factoren / factors",
}  # fmt: skip


@click.group("report")
def report() -> None:
    """Yearly forms from the published figures: Milieubarometer, ESRS (with VSME care)."""


def _form_command(form: str, summary: str) -> click.Command:
    from groendraad.cli import warehouse_options

    @click.command(form, help=summary)
    @warehouse_options
    @click.option("--year", type=int, required=True, help="The calendar year, e.g. 2024.")
    @click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Folder for the XLSX and CSV [default: <warehouse>/reports].",
    )
    def command(config_path: Path, warehouse: Path | None, year: int, out: Path | None) -> None:
        from groendraad.cli import console
        from groendraad.config import load_config
        from groendraad.metrics import read_metrics

        config = load_config(config_path, expand=False)  # no source is read: no ${VAR}
        root = (warehouse or config.path.parent / "warehouse-data").resolve()
        rows = build(read_metrics(root), form, year)
        out = (out or root / "reports").resolve()
        base = out / f"{form}_{config.institution_id}_{year}"
        write_csv(rows, base.with_suffix(".csv"))
        write_xlsx(rows, base.with_suffix(".xlsx"), f"{config.institution_name}, {year}")
        missing = sum(r["quality"] == "missing" for r in rows)
        console.print(f"{form} {year}: {len(rows)} figures, {missing} missing")
        console.print(f"  {base.with_suffix('.xlsx')}\n  {base.with_suffix('.csv')}")

    return command


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """One row per figure, every column; a missing value is an empty field."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)


def write_xlsx(rows: list[dict[str, Any]], path: Path, title: str) -> None:
    """The same rows in a workbook: bilingual headings, numbers as numbers."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("rapport")
        bold, number = book.add_format({"bold": True}), book.add_format({"num_format": "#,##0.00"})
        sheet.write(0, 0, title, bold)
        for column, name in enumerate(COLUMNS):
            sheet.write(1, column, HEADERS[name], bold)
        for r, row in enumerate(rows, start=2):
            for column, name in enumerate(COLUMNS):
                value = row[name]
                if value is None:
                    sheet.write_blank(r, column, None)
                elif isinstance(value, float):
                    sheet.write_number(r, column, value, number)
                else:
                    sheet.write(r, column, value)
        sheet.freeze_panes(2, 3)
        sheet.set_column(3, 4, 40)


report.add_command(
    _form_command("milieubarometer", "Yearly totals in Milieubarometer's input categories.")
)
report.add_command(
    _form_command("esrs", "ESRS E1-5, E1-6, E5-5 datapoints and the VSME care table.")
)
