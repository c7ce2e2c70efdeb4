"""Business trips booked through the travel agency: flights, trains and cars.

Flights name IATA codes (all of them in sources/airports.csv) and often leave the
distance empty; trains and cars name cities and always carry a distance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from groendraad.demo.common import covid_factor, rng
from groendraad.demo.staff import active_employees
from groendraad.months import Month

# IATA code: (latitude, longitude, relative popularity as a destination)
AIRPORTS: dict[str, tuple[float, float, float]] = {
    "AMS": (52.3086, 4.7639, 0),
    "RTM": (51.9569, 4.4372, 0),
    "EIN": (51.4501, 5.3745, 0),
    "LHR": (51.4700, -0.4543, 5),
    "MAN": (53.3537, -2.2750, 2),
    "EDI": (55.9500, -3.3725, 2),
    "DUB": (53.4213, -6.2701, 2),
    "CDG": (49.0097, 2.5479, 4),
    "NCE": (43.6584, 7.2159, 1),
    "FRA": (50.0379, 8.5622, 2),
    "MUC": (48.3538, 11.7861, 3),
    "BER": (52.3667, 13.5033, 2),
    "ZRH": (47.4582, 8.5555, 2),
    "GVA": (46.2381, 6.1090, 3),
    "VIE": (48.1103, 16.5697, 3),
    "PRG": (50.1008, 14.2600, 2),
    "WAW": (52.1657, 20.9671, 1),
    "BUD": (47.4369, 19.2556, 1),
    "CPH": (55.6181, 12.6561, 3),
    "ARN": (59.6498, 17.9238, 2),
    "OSL": (60.1976, 11.1004, 1),
    "HEL": (60.3172, 24.9633, 1),
    "LIS": (38.7742, -9.1342, 3),
    "MAD": (40.4983, -3.5676, 3),
    "BCN": (41.2974, 2.0833, 4),
    "FCO": (41.8003, 12.2389, 3),
    "ATH": (37.9364, 23.9445, 2),
    "IST": (41.2753, 28.7519, 1),
    "TLV": (32.0055, 34.8854, 1),
    "DXB": (25.2532, 55.3657, 0.4),
    "JFK": (40.6413, -73.7781, 2),
    "BOS": (42.3656, -71.0096, 2),
    "IAD": (38.9531, -77.4565, 1),
    "ORD": (41.9742, -87.9073, 1),
    "SFO": (37.6213, -122.3790, 1),
    "SEA": (47.4502, -122.3088, 1),
    "YYZ": (43.6777, -79.6248, 1),
    "DEN": (39.8561, -104.6737, 1),
    "CUR": (12.1889, -68.9598, 0.5),
    "PBM": (5.4528, -55.1878, 0.3),
    "SIN": (1.3644, 103.9915, 0.8),
    "BKK": (13.6900, 100.7501, 0.4),
    "NRT": (35.7720, 140.3929, 0.5),
    "SYD": (-33.9399, 151.1753, 0.4),
    "CPT": (-33.9715, 18.6021, 0.5),
    "NBO": (-1.3192, 36.9278, 0.5),
    "DEL": (28.5562, 77.1000, 0.3),
}
_ORIGINS, _ORIGIN_P = ("AMS", "RTM", "EIN"), (0.85, 0.10, 0.05)
TRAIN_KM = {
    "Utrecht": 55,
    "Amsterdam": 40,
    "Rotterdam": 35,
    "Groningen": 220,
    "Maastricht": 250,
    "Nijmegen": 130,
    "Eindhoven": 135,
    "Brussel": 190,
    "Antwerpen": 140,
    "Parijs": 500,
    "Keulen": 260,
    "Berlijn": 650,
    "Londen": 560,
}
CAR_KM = {
    "Utrecht": 55,
    "Nijmegen": 130,
    "Groningen": 220,
    "Maastricht": 250,
    "Eindhoven": 135,
    "Enschede": 200,
    "Zwolle": 150,
    "Den Haag": 20,
    "Rotterdam": 35,
}
_TRAVEL_WEIGHT = {
    "onderzoek": 3.0,
    "lab": 2.5,
    "poli": 1.2,
    "kliniek": 1.0,
    "apotheek": 1.0,
    "ok": 0.8,
    "ondersteuning": 0.5,
}
TRIPS_PER_MONTH = 140
FLIGHT_UPLIFT = 1.08


@dataclass(frozen=True)
class Trip:
    day: date
    employee_id: str
    department: str
    mode: str  # Vliegtuig, Trein, Auto
    origin: str
    destination: str
    distance_km: float | None
    travel_class: str


def great_circle_km(a: str, b: str) -> float:
    """Great-circle distance between two airports (haversine, R = 6371 km)."""
    (lat1, lon1, _), (lat2, lon2, _) = AIRPORTS[a], AIRPORTS[b]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _flight(g: np.random.Generator, day: date, who: tuple[str, str], month: Month) -> list[Trip]:
    codes = [c for c, v in AIRPORTS.items() if v[2] > 0]
    weights = np.array([AIRPORTS[c][2] for c in codes])
    origin = str(g.choice(_ORIGINS, p=_ORIGIN_P))
    destination = str(g.choice(codes, p=weights / weights.sum()))
    km = great_circle_km(origin, destination)
    travel_class = "Business" if g.random() < (0.3 if km > 4000 else 0.05) else "Economy"
    legs = [(day, origin, destination)]
    if g.random() < 0.6:
        back = min(day + timedelta(days=int(g.integers(2, 6))), month.last_day)
        legs.append((back, destination, origin))
    return [
        Trip(
            d,
            *who,
            "Vliegtuig",
            a,
            b,
            None if g.random() < 0.65 else float(round(km * FLIGHT_UPLIFT)),
            travel_class,
        )
        for d, a, b in legs
    ]


def _ground(g: np.random.Generator, day: date, who: tuple[str, str], mode: str) -> Trip:
    table = TRAIN_KM if mode == "Trein" else CAR_KM
    city = str(g.choice(list(table)))
    travel_class = ("1e klas" if g.random() < 0.2 else "2e klas") if mode == "Trein" else ""
    return Trip(day, *who, mode, "Leiden", city, float(table[city]), travel_class)


def business_trips(seed: int, month: Month) -> list[Trip]:
    """The month's trips (flights with a separate return leg), ordered by date."""
    g = rng(seed, "travel", month.year, month.month)
    people = active_employees(seed, month)
    weights = np.array([_TRAVEL_WEIGHT[k] for k in people["kind"].to_list()])
    count = int(g.poisson(TRIPS_PER_MONTH * max(covid_factor(month, 1.8), 0.05)))
    chosen = g.choice(people.height, size=count, p=weights / weights.sum())
    ids, depts = people["employee_id"].to_list(), people["department"].to_list()
    trips: list[Trip] = []
    for i in chosen:
        day = month.first_day + timedelta(days=int(g.integers(0, month.days)))
        mode = str(g.choice(["Vliegtuig", "Trein", "Auto"], p=[0.3, 0.5, 0.2]))
        who = (ids[i], depts[i])
        trips += (
            _flight(g, day, who, month) if mode == "Vliegtuig" else [_ground(g, day, who, mode)]
        )
    return sorted(trips, key=lambda t: (t.day, t.employee_id))
