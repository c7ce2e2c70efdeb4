"""Generated deliveries: exactly the formats of sources.md, deterministic to the byte."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from groendraad.demo import DEMO_CONFIG, GeneratedDemo, generate
from groendraad.months import Month, month_range

from .conftest import FIRST, LAST
from .files import csv_rows, decode, dutch_number, reference_codes

MONTHS = month_range(FIRST, LAST)
WASTE_HEADER = (
    "Datum;Locatie;Containernummer;Euralcode;Omschrijving;Verwerkingsmethode;Gewicht (kg)"
)
CATEGORIES = {
    "Handschoenen niet-steriel",
    "Gaas niet-steriel",
    "Infuuszakken",
    "Instrumentarium wegwerp",
    "Instrumentarium herbruikbaar",
    "Incontinentiemateriaal",
    "Schorten",
    "Mondmaskers",
}
MODES = {"Auto", "Auto elektrisch", "Motor", "OV", "Fiets", "E-bike", "Lopen", "Carpool"}
ROUTES = {
    "Recycling",
    "Hergebruik",
    "Compostering",
    "Vergisting",
    "Verbranding met energieterugwinning",
    "Verbranding ZAVIN",
    "Storten",
}


def departments(demo: GeneratedDemo) -> set[str]:
    return {r["Afdeling"] for r in csv_rows(demo.out_dir / "referentie" / "organisatie.csv")}


def all_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_files_are_where_the_demo_config_says(clean_demo: GeneratedDemo) -> None:
    out = clean_demo.out_dir
    for month in MONTHS:
        for pattern in (
            "afval/afval_{m}.csv",
            "logistiek/uitgifte_{m}.xlsx",
            "hr/woonwerk_{m}.csv",
            "reizen/zakelijk_{m}.csv",
            "apotheek/geneesmiddelverspilling_{m}.csv",
        ):
            assert (out / pattern.format(m=month)).is_file()
    assert (out / "groendraad.yaml").read_bytes() == DEMO_CONFIG.read_bytes()
    assert json.loads((out / "injected_faults.json").read_text()) == []
    assert clean_demo.faults == ()


def test_same_seed_gives_identical_bytes(clean_demo: GeneratedDemo, tmp_path: Path) -> None:
    again = generate(tmp_path, FIRST, LAST, fault_rate=0.0)
    assert all_files(again.out_dir) == all_files(clean_demo.out_dir)
    # a month is the same whatever range it is generated in
    alone = generate(tmp_path / "alone", Month(2025, 1), Month(2025, 1), fault_rate=0.0)
    name = "logistiek/uitgifte_2025-01.xlsx"
    assert (alone.out_dir / name).read_bytes() == (clean_demo.out_dir / name).read_bytes()


def test_waste_csv_format(clean_demo: GeneratedDemo) -> None:
    encodings, codes, negatives = set(), set(), 0
    for month in MONTHS:
        content = (clean_demo.out_dir / f"afval/afval_{month}.csv").read_bytes()
        encodings.add("utf-8-sig" if content.startswith(b"\xef\xbb\xbf") else "cp1252")
        assert content.count(b"\r\n") == content.count(b"\n") and content.endswith(b"\r\n")
        text = decode(content)
        assert "Chemicaliën" in text
        lines = text.split("\r\n")[:-1]
        assert lines[0] == WASTE_HEADER
        assert lines[-1].startswith("Totaal;;;;;;")
        rows = [line.split(";") for line in lines[1:-1]]
        assert all(re.fullmatch(r"\d\d-\d\d-\d{4}", r[0]) for r in rows)
        assert all(r[0].endswith(f"-{month.month:02d}-{month.year}") for r in rows)
        assert {r[5] for r in rows} <= ROUTES
        total = sum(dutch_number(r[6]) for r in rows)
        assert dutch_number(lines[-1].split(";")[-1]) == round(total, 1)
        codes |= {r[3] for r in rows}
        negatives += sum(r[6].startswith("-") for r in rows)
    assert encodings == {"utf-8-sig", "cp1252"}
    assert {"18 01 03*", "180103*"} <= codes
    assert negatives > 0
    eural = reference_codes("eural.csv", "eural_code")
    assert all(c in eural or f"{c[:2]} {c[2:4]} {c[4:]}" in eural for c in codes)


def test_disposables_xlsx_has_its_header_on_row_3(clean_demo: GeneratedDemo) -> None:
    path = clean_demo.out_dir / "logistiek/uitgifte_2025-03.xlsx"
    top = pl.read_excel(path, sheet_name="Uitgifte", has_header=False).head(3)
    assert str(top.row(0)[0]).startswith("Uitgifte") and "2025-04" not in str(top.row(0)[0])
    assert "Geëxporteerd op" in str(top.row(1)[0])
    issues = pl.read_excel(path, sheet_name="Uitgifte", read_options={"header_row": 2})
    assert issues.columns == [
        "Periode",
        "Kostenplaats",
        "Artikelnummer",
        "GTIN",
        "Omschrijving",
        "Categorie",
        "Aantal",
        "Eenheid",
        "Gewicht per stuk (g)",
        "Herbruikbaar",
    ]
    assert 300 <= issues.height <= 1_500
    assert issues["Periode"].unique().to_list() == ["2025-03"]
    assert issues["GTIN"].dtype == pl.String and issues["GTIN"].str.contains(r"^\d{13}$").all()
    assert set(issues["Categorie"]) <= CATEGORIES
    assert set(issues["Herbruikbaar"]) == {"J", "N"}
    assert all(re.fullmatch(r"ST|(DS|PAK)\d+", u) for u in issues["Eenheid"])
    centres = {
        r["Kostenplaats"] for r in csv_rows(clean_demo.out_dir / "referentie/organisatie.csv")
    }
    assert set(issues["Kostenplaats"]) <= centres


def test_commuting_csv(clean_demo: GeneratedDemo) -> None:
    path = clean_demo.out_dir / "hr/woonwerk_2025-03.csv"
    content = path.read_bytes()
    assert not content.startswith(b"\xef\xbb\xbf") and b"\r\n" not in content
    assert content.splitlines()[0] == (
        b"Personeelsnummer;Afdeling;Enkele reisafstand (km);Vervoerswijze;Reisdagen;FTE"
    )
    rows = csv_rows(path)
    assert 9_000 < len(rows) < 11_000
    assert len({r["Personeelsnummer"] for r in rows}) == len(rows)
    assert {r["Afdeling"] for r in rows} <= departments(clean_demo)
    assert {r["Vervoerswijze"] for r in rows} == MODES
    assert all("," in r["Enkele reisafstand (km)"] and "," in r["FTE"] for r in rows)
    assert 6_000 < sum(dutch_number(r["FTE"]) for r in rows) < 8_500


def test_business_travel_csv(clean_demo: GeneratedDemo) -> None:
    rows = csv_rows(clean_demo.out_dir / "reizen/zakelijk_2025-03.csv")
    assert list(rows[0]) == [
        "Datum",
        "Personeelsnummer",
        "Afdeling",
        "Vervoerswijze",
        "Van",
        "Naar",
        "Afstand (km)",
        "Klasse",
    ]
    airports = reference_codes("airports.csv", "iata")
    flights = [r for r in rows if r["Vervoerswijze"] == "Vliegtuig"]
    assert flights and all(r["Van"] in airports and r["Naar"] in airports for r in flights)
    assert any(r["Afstand (km)"] == "" for r in flights)
    assert all(r["Afstand (km)"] for r in rows if r["Vervoerswijze"] != "Vliegtuig")
    assert {r["Vervoerswijze"] for r in rows} == {"Vliegtuig", "Trein", "Auto"}
    assert {r["Afdeling"] for r in rows} <= departments(clean_demo)


def test_medicine_waste_csv(clean_demo: GeneratedDemo) -> None:
    rows = csv_rows(clean_demo.out_dir / "apotheek/geneesmiddelverspilling_2025-03.csv")
    assert list(rows[0]) == [
        "Datum",
        "Afdeling",
        "ATC",
        "Product",
        "Hoeveelheid",
        "Eenheid",
        "Reden",
        "Waarde (EUR)",
    ]
    assert all(re.fullmatch(r"[A-Z]\d\d[A-Z]{2}\d\d", r["ATC"]) for r in rows)
    assert {r["Eenheid"] for r in rows} == {"stuk", "ml", "flacon", "ampul"}
    assert {r["Reden"] for r in rows} == {
        "Verlopen",
        "Retour niet herbruikbaar",
        "Bereid niet toegediend",
        "Gemorst of kapot",
        "Overig",
    }
    assert {r["Afdeling"] for r in rows} <= departments(clean_demo)
    assert all(re.fullmatch(r"\d+,\d\d", r["Waarde (EUR)"]) for r in rows)


def test_reference_files(clean_demo: GeneratedDemo) -> None:
    figures = csv_rows(clean_demo.out_dir / "referentie/kerncijfers.csv")
    assert [r["Maand"] for r in figures] == [str(m) for m in MONTHS]
    assert list(figures[0]) == [
        "Maand",
        "FTE",
        "Verpleegdagen",
        "Opnames",
        "Operaties",
        "Polibezoeken",
        "Maaltijden",
        "Vloeroppervlak (m2)",
    ]
    organisation = csv_rows(clean_demo.out_dir / "referentie/organisatie.csv")
    assert list(organisation[0]) == [
        "Kostenplaats",
        "Afdeling",
        "Divisie",
        "Gebouw",
        "Vloeroppervlak (m2)",
    ]
    area = sum(dutch_number(r["Vloeroppervlak (m2)"]) for r in organisation)
    assert all(dutch_number(r["Vloeroppervlak (m2)"]) == area for r in figures)
    bed_days = sum(dutch_number(r["Verpleegdagen"]) for r in figures)
    assert 50_000 < bed_days < 65_000  # half a year of ~115,000 a year
