"""Food-waste events from the smart scales of the central kitchen's site.

Events are generated per local (Amsterdam) service day, so a range query in UTC
dates only needs the local days around it. The central kitchen's waste drops by
~16,000 kg/year over 2023 (one chef's menu and the smart scale).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import numpy as np

from groendraad.demo.common import covid_factor, rng
from groendraad.months import LOCAL_TZ, Month

SITES = ("centrale-keuken",)
CATEGORIES = ("overproduction", "unserved", "plate_waste", "spoilage")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KITCHEN_BEFORE_KG_YEAR, KITCHEN_AFTER_KG_YEAR = 62_000.0, 46_000.0
_CHANGE_START, _CHANGE_END = Month(2023, 3), Month(2023, 10)

# station: (kg per year, mean event kg, category probabilities in CATEGORIES order)
STATIONS: dict[str, tuple[float, float, tuple[float, ...]]] = {
    "Centrale keuken": (KITCHEN_BEFORE_KG_YEAR, 4.5, (0.55, 0.25, 0.0, 0.20)),
    "Restaurant Gebouw 1": (9_000.0, 1.6, (0.30, 0.20, 0.45, 0.05)),
    "Afdelingskeuken Gebouw 1": (7_000.0, 1.4, (0.05, 0.30, 0.55, 0.10)),
    "Afdelingskeuken Gebouw 3": (3_500.0, 1.2, (0.05, 0.30, 0.55, 0.10)),
}
# local service windows (hours after midnight) per meal; night clean-up runs past midnight
_MEAL_WINDOWS = {"breakfast": (6.75, 9.0), "lunch": (11.25, 13.75), "dinner": (16.75, 19.5)}
_NIGHT_WINDOW = (22.0, 25.0)


def ulid(milliseconds: int, randomness: int) -> str:
    """A ULID (26 Crockford base-32 characters) from a timestamp and 80 random bits."""
    value = (milliseconds << 80) | randomness
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def kitchen_kg_per_year(month: Month) -> float:
    """The central kitchen's yearly food-waste rate in ``month`` (the 2023 change)."""
    index = month.year * 12 + month.month
    first = _CHANGE_START.year * 12 + _CHANGE_START.month
    last = _CHANGE_END.year * 12 + _CHANGE_END.month
    share = min(max((index - first) / (last - first), 0.0), 1.0)
    return KITCHEN_BEFORE_KG_YEAR + share * (KITCHEN_AFTER_KG_YEAR - KITCHEN_BEFORE_KG_YEAR)


def _daily_kg(station: str, day: date) -> float:
    month = Month.of(day)
    per_year, _, _ = STATIONS[station]
    if station == "Centrale keuken":
        per_year = kitchen_kg_per_year(month)
    weekend = day.weekday() >= 5
    if station == "Restaurant Gebouw 1":
        return per_year / 260 * (0.1 if weekend else 1.0) * covid_factor(month, 1.5)
    # divided by 0.98 so that what remains after voided events is the intended rate
    return per_year / 365.25 * (0.87 if weekend else 1.07) / 0.98


def _times_and_meals(g: np.random.Generator, categories: np.ndarray) -> tuple[np.ndarray, list]:
    """Seconds after local midnight and the meal of each event (spoilage at night, no meal)."""
    meals = g.choice(list(_MEAL_WINDOWS), size=len(categories))
    low = np.array([_MEAL_WINDOWS[m][0] for m in meals])
    high = np.array([_MEAL_WINDOWS[m][1] for m in meals])
    night = (categories == "spoilage") | (g.random(len(categories)) < 0.04)
    low, high = np.where(night, _NIGHT_WINDOW[0], low), np.where(night, _NIGHT_WINDOW[1], high)
    seconds = (low + (high - low) * g.random(len(categories))) * 3600
    meal_or_none = [
        None if n or u < 0.05 else str(m)
        for m, n, u in zip(meals, night, g.random(len(categories)), strict=True)
    ]
    return seconds.astype(np.int64), meal_or_none


def _station_events(seed: int, site: str, station: str, day: date) -> list[dict]:
    g = rng(seed, "food", site, station, day.isoformat())
    _, mean_kg, category_p = STATIONS[station]
    count = int(g.poisson(_daily_kg(station, day) / mean_kg))
    categories = g.choice(CATEGORIES, size=count, p=category_p)
    grams = np.maximum(g.gamma(2.0, mean_kg * 500.0, size=count), 20).astype(np.int64)
    seconds, meals = _times_and_meals(g, categories)
    midnight = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)
    voided = g.random(count) < 0.02
    noise = g.integers(0, 2**40, size=(count, 2), dtype=np.int64)
    events = []
    for i in range(count):
        at = midnight + timedelta(seconds=int(seconds[i]))
        millis = int(at.timestamp()) * 1000 + int(noise[i, 0] % 1000)
        events.append(
            {
                "id": "evt_" + ulid(millis, (int(noise[i, 0]) << 40) | int(noise[i, 1])),
                "recorded_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "station": station,
                "category": str(categories[i]),
                "weight_grams": int(grams[i]),
                "meal": meals[i],
                "voided": bool(voided[i]),
            }
        )
    return events


@lru_cache(maxsize=4096)
def service_day_events(seed: int, site: str, day: date) -> tuple[dict, ...]:
    """All events of one local service day at ``site`` (some recorded after midnight)."""
    if site not in SITES:
        raise KeyError(site)
    events = [e for station in STATIONS for e in _station_events(seed, site, station, day)]
    return tuple(sorted(events, key=lambda e: (e["recorded_at"], e["id"])))


def events_between(seed: int, site: str, first: date, last: date) -> list[dict]:
    """Events whose ``recorded_at`` UTC date lies in [first, last], ordered by time and id."""
    found = []
    day = first - timedelta(days=1)
    while day <= last + timedelta(days=1):
        found += [
            e
            for e in service_day_events(seed, site, day)
            if first.isoformat() <= e["recorded_at"][:10] <= last.isoformat()
        ]
        day += timedelta(days=1)
    return sorted(found, key=lambda e: (e["recorded_at"], e["id"]))
