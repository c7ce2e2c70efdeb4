"""The demo hospital's organisation: divisions, departments, cost centres, buildings.

Shaped like LUMC (annual report 2024): four divisions with their departments plus the
support directorates. The structure is fixed (not seeded) so every file of every
month names the same cost centres and departments.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# Floor area per building (m2); together ~263,000 m2.
BUILDINGS: dict[str, int] = {
    "Gebouw 1": 95_000,
    "Gebouw 2": 38_000,
    "Gebouw 3": 30_000,
    "Gebouw 4": 22_000,
    "Gebouw 5": 18_000,
    "Gebouw 6": 15_000,
    "Gebouw 7": 12_000,
    "Gebouw 8": 10_000,
    "Gebouw 9": 8_000,
    "Gebouw 10": 6_500,
    "Gebouw 11": 5_000,
    "Gebouw 12": 3_500,
}

SUPPORT_DIVISION = "Bedrijfsvoering"

# (department, kind, relative staff size, building number per cost centre)
# kinds: ok (operating rooms), kliniek (wards), poli (outpatient), lab, onderzoek
# (research/office), apotheek (pharmacy), ondersteuning (support directorates)
_DIVISIONS: dict[str, list[tuple[str, str, int, tuple[int, ...]]]] = {
    "Divisie 1": [
        ("Anesthesiologie", "ok", 180, (1, 1)),
        ("Centrale Sterilisatiedienst", "ok", 90, (1,)),
        ("Hartziekten", "kliniek", 320, (1, 1, 2)),
        ("Heelkunde", "kliniek", 420, (1, 1, 1)),
        ("Intensive Care", "kliniek", 350, (1, 1)),
        ("OK-centrum", "ok", 450, (1, 1, 1)),
        ("Orthopedie", "kliniek", 260, (2, 2, 2)),
        ("Spoedeisende Hulp", "kliniek", 160, (1,)),
        ("Thoraxchirurgie", "kliniek", 120, (1, 1)),
        ("Urologie", "kliniek", 110, (1, 2)),
    ],
    "Divisie 2": [
        ("Diëtiek/Maatschappelijk werk/Patiëntenservice", "onderzoek", 120, (2, 2)),
        ("Geestelijke Verzorging", "onderzoek", 20, (2,)),
        ("Hematologie", "kliniek", 220, (1, 1)),
        ("Infectieziekten", "kliniek", 90, (1,)),
        ("Interne Geneeskunde", "kliniek", 450, (1, 1, 2)),
        ("Klinische Epidemiologie", "onderzoek", 110, (5,)),
        ("Longziekten", "kliniek", 170, (1, 2)),
        ("Maag-Darm-Leverziekten", "kliniek", 200, (1, 2)),
        ("Medische Oncologie", "kliniek", 230, (1, 6)),
        ("Radiologie", "poli", 380, (1, 1, 2)),
        ("Reumatologie", "poli", 110, (2,)),
    ],
    "Divisie 3": [
        ("Gynaecologie", "kliniek", 150, (3, 3)),
        ("Huidziekten", "poli", 110, (2,)),
        ("KNO", "poli", 120, (2, 2)),
        ("Kinder- en Jeugdpsychiatrie", "poli", 220, (9, 9)),
        ("Neurochirurgie", "kliniek", 110, (1, 1)),
        ("Neurologie", "kliniek", 260, (1, 2)),
        ("Oogheelkunde", "poli", 170, (2, 2)),
        ("Psychiatrie", "poli", 260, (9, 9)),
        ("Public Health en Eerstelijnsgeneeskunde", "onderzoek", 150, (7,)),
        ("Verloskunde", "kliniek", 180, (3, 3)),
        ("Willem-Alexander Kinderziekenhuis", "kliniek", 420, (3, 3, 3)),
    ],
    "Divisie 4": [
        ("Anatomie en Embryologie", "lab", 90, (5,)),
        ("Biomedical Data Sciences", "onderzoek", 160, (7,)),
        ("Cel- en Chemische Biologie", "lab", 160, (5,)),
        ("Humane Genetica", "lab", 220, (4,)),
        ("Immunohematologie en Bloedtransfusie", "lab", 180, (4, 4)),
        ("Klinische Chemie", "lab", 210, (4, 1)),
        ("Klinische Farmacie en Toxicologie", "apotheek", 200, (1, 4)),
        ("Klinische Genetica", "lab", 130, (4,)),
        ("Medische Microbiologie", "lab", 230, (4, 4)),
        ("Pathologie", "lab", 250, (4, 4)),
        ("Radiotherapie", "poli", 200, (6, 6)),
    ],
    SUPPORT_DIVISION: [
        ("Facilitair Bedrijf", "ondersteuning", 650, (8, 1, 8, 12)),
        ("Vastgoed", "ondersteuning", 180, (10,)),
        ("HR", "ondersteuning", 140, (11,)),
        ("Inkoop & Logistiek", "ondersteuning", 220, (8, 12)),
    ],
}

# The central kitchen is one of Facilitair Bedrijf's cost centres.
CENTRAL_KITCHEN_COST_CENTRE = "K5001"


@dataclass(frozen=True)
class Department:
    name: str
    division: str
    kind: str
    staff_weight: int
    cost_centres: tuple[str, ...]


@dataclass(frozen=True)
class CostCentre:
    code: str
    department: str
    division: str
    kind: str
    building: str
    floor_area_m2: int


def _division_digit(division: str) -> int:
    return 5 if division == SUPPORT_DIVISION else int(division.split()[-1])


@cache
def departments() -> tuple[Department, ...]:
    """All departments, in division order; cost centres are ``K<div><dept:02><n>``."""
    result = []
    for division, rows in _DIVISIONS.items():
        digit = _division_digit(division)
        for index, (name, kind, weight, buildings) in enumerate(rows):
            codes = tuple(f"K{digit}{index:02d}{n}" for n in range(len(buildings)))
            result.append(Department(name, division, kind, weight, codes))
    return tuple(result)


@cache
def cost_centres() -> tuple[CostCentre, ...]:
    """All cost centres; each building's floor area is split over the cost centres in it."""
    placed = []
    for division, rows in _DIVISIONS.items():
        digit = _division_digit(division)
        for index, (name, kind, weight, buildings) in enumerate(rows):
            for n, building in enumerate(buildings):
                code = f"K{digit}{index:02d}{n}"
                placed.append(
                    (code, name, division, kind, f"Gebouw {building}", weight / len(buildings))
                )
    result = []
    for building, area in BUILDINGS.items():
        in_building = [p for p in placed if p[4] == building]
        total_weight = sum(p[5] for p in in_building)
        shares = [round(area * p[5] / total_weight) for p in in_building]
        shares[-1] = area - sum(shares[:-1])
        result += [CostCentre(*p[:5], s) for p, s in zip(in_building, shares, strict=True)]
    return tuple(sorted(result, key=lambda c: c.code))


def department_names() -> tuple[str, ...]:
    return tuple(d.name for d in departments())


def total_floor_area_m2() -> int:
    return sum(BUILDINGS.values())
