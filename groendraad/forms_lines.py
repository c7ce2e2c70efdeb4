"""The lines of the yearly forms, as data: which published metric fills which box.

Each line reads one metric of the metrics mart (institution level; ``category`` None
for the total, ``"*"`` for one line per category found), summed over the year's
months and multiplied by ``scale`` into the form's unit. A derived line combines two
lines of the same form by ``op`` ("minus" or "per"). Labels in Dutch and English.

- ``milieubarometer``: the yearly totals in Milieubarometer's input categories.
- ``esrs``: ESRS E1-5 (energy), E1-6 (gross scopes 1, 2, 3 and total GHG) and E5-5
  (resource outflows: waste), and the VSME basic-module table (B3 energy and GHG,
  B7 waste) that Milieuplatform Zorg and the Dutch Green Building Council set out
  for care institutions, with the care denominators (FTE, m2, bed-days).
"""

from __future__ import annotations

from dataclasses import dataclass

GJ_TO_MWH = 1 / 3.6


@dataclass(frozen=True)
class Line:
    code: str
    label_nl: str
    label_en: str
    unit: str
    metric: str | None = None
    category: str | None = None  # None: the total; "*": one line per category
    scale: float = 1.0
    op: str | None = None  # derived: "minus" or "per" of the lines ``a`` and ``b``
    a: str | None = None
    b: str | None = None


def _m(code, nl, en, unit, metric, category=None, scale=1.0) -> Line:
    return Line(code, nl, en, unit, metric, category, scale)


def _d(code, nl, en, unit, op, a, b, scale=1.0) -> Line:
    return Line(code, nl, en, unit, scale=scale, op=op, a=a, b=b)


MILIEUBAROMETER: dict[str, list[Line]] = {
    "Energie / Energy": [
        _m(
            "MB-E1",
            "Elektriciteit (inkoop)",
            "Electricity (purchased)",
            "kWh",
            "energy.electricity_kwh",
        ),
        _m("MB-E2", "Aardgas", "Natural gas", "m3", "energy.gas_m3"),
        _m("MB-E3", "Warmte (stadsverwarming)", "Heat (district heating)", "GJ", "energy.heat_gj"),
        _m("MB-E4", "Koude", "Cooling", "GJ", "energy.cold_gj"),
        _m(
            "MB-E5",
            "Zonnestroom (eigen opwek)",
            "Solar power (own generation)",
            "kWh",
            "energy.pv_generation_kwh",
        ),
    ],
    "Water": [
        _m("MB-W1", "Leidingwater", "Tap water", "m3", "water.m3"),
    ],
    "Afval / Waste": [
        _m("MB-A1", "Afval totaal", "Waste, total", "kg", "waste.total_kg"),
        _m("MB-A2", "Afvalstroom (EURAL)", "Waste stream (EURAL)", "kg", "waste.stream_kg", "*"),
        _m("MB-A3", "Restafval", "Residual waste", "kg", "waste.residual_kg"),
        _m(
            "MB-A4",
            "Gescheiden ingezameld (recycling)",
            "Separately collected (recycling)",
            "kg",
            "waste.recycled_kg",
        ),
        _m("MB-A5", "Specifiek ziekenhuisafval", "Specific hospital waste", "kg", "waste.sza_kg"),
    ],
    "Mobiliteit / Mobility": [
        _m("MB-M1", "Woon-werkverkeer, totaal", "Commuting, total", "km", "mobility.commuting_km"),
        _m(
            "MB-M2",
            "Woon-werkverkeer per vervoerwijze",
            "Commuting by mode",
            "km",
            "mobility.commuting_km",
            "*",
        ),
        _m(
            "MB-M3",
            "Zakelijk verkeer, totaal",
            "Business travel, total",
            "km",
            "mobility.business_travel_km",
        ),
        _m(
            "MB-M4",
            "Zakelijk verkeer per vervoerwijze",
            "Business travel by mode",
            "km",
            "mobility.business_travel_km",
            "*",
        ),
    ],
}

ESRS: dict[str, list[Line]] = {
    "E1-5 Energieverbruik / Energy consumption": [
        _m(
            "E1-5.total",
            "Totaal energieverbruik",
            "Total energy consumption",
            "MWh",
            "energy.total_gj",
            scale=GJ_TO_MWH,
        ),
        _m(
            "E1-5.electricity",
            "Ingekochte elektriciteit",
            "Purchased electricity",
            "MWh",
            "energy.electricity_kwh",
            scale=1 / 1000,
        ),
        _m("E1-5.gas", "Aardgas (fossiel)", "Natural gas (fossil)", "m3", "energy.gas_m3"),
        _m(
            "E1-5.heat",
            "Ingekochte warmte",
            "Purchased heat",
            "MWh",
            "energy.heat_gj",
            scale=GJ_TO_MWH,
        ),
        _m(
            "E1-5.cold",
            "Ingekochte koude",
            "Purchased cooling",
            "MWh",
            "energy.cold_gj",
            scale=GJ_TO_MWH,
        ),
        _m(
            "E1-5.renewable_own",
            "Eigen opwek hernieuwbaar (zon)",
            "Own renewable generation (solar)",
            "MWh",
            "energy.pv_generation_kwh",
            scale=1 / 1000,
        ),
    ],
    "E1-6 Broeikasgasemissies / GHG emissions": [
        _m(
            "E1-6.scope1",
            "Bruto scope 1",
            "Gross scope 1",
            "t CO2e",
            "co2e.scope1_kg",
            scale=1 / 1000,
        ),
        _m(
            "E1-6.scope2_location",
            "Bruto scope 2, locatiegebaseerd",
            "Gross scope 2, location-based",
            "t CO2e",
            "co2e.scope2_location_kg",
            scale=1 / 1000,
        ),
        _m(
            "E1-6.scope2_market",
            "Bruto scope 2, marktgebaseerd",
            "Gross scope 2, market-based",
            "t CO2e",
            "co2e.scope2_market_kg",
            scale=1 / 1000,
        ),
        _m(
            "E1-6.scope3_cat5",
            "Scope 3 cat. 5: afval",
            "Scope 3 cat. 5: waste",
            "t CO2e",
            "co2e.scope3_waste_kg",
            scale=1 / 1000,
        ),
        _m(
            "E1-6.scope3_cat6",
            "Scope 3 cat. 6: zakelijk verkeer",
            "Scope 3 cat. 6: business travel",
            "t CO2e",
            "co2e.scope3_business_travel_kg",
            scale=1 / 1000,
        ),
        _m(
            "E1-6.scope3_cat7",
            "Scope 3 cat. 7: woon-werkverkeer",
            "Scope 3 cat. 7: commuting",
            "t CO2e",
            "co2e.scope3_commuting_kg",
            scale=1 / 1000,
        ),
        _m(
            "E1-6.total_location",
            "Totale BKG-emissies, locatiegebaseerd",
            "Total GHG emissions, location-based",
            "t CO2e",
            "co2e.total_location_kg",
            scale=1 / 1000,
        ),
        _m(
            "E1-6.total_market",
            "Totale BKG-emissies, marktgebaseerd",
            "Total GHG emissions, market-based",
            "t CO2e",
            "co2e.total_market_kg",
            scale=1 / 1000,
        ),
    ],
    "E5-5 Afval / Waste": [
        _m(
            "E5-5.total",
            "Totaal afval",
            "Total waste generated",
            "t",
            "waste.total_kg",
            scale=1 / 1000,
        ),
        _m(
            "E5-5.hazardous",
            "Gevaarlijk afval",
            "Hazardous waste",
            "t",
            "waste.hazardous_kg",
            scale=1 / 1000,
        ),
        _d(
            "E5-5.non_hazardous",
            "Niet-gevaarlijk afval",
            "Non-hazardous waste",
            "t",
            "minus",
            "E5-5.total",
            "E5-5.hazardous",
        ),
        _m(
            "E5-5.recycled",
            "Naar recycling",
            "Directed to recycling",
            "t",
            "waste.recycled_kg",
            scale=1 / 1000,
        ),
        _m(
            "E5-5.route",
            "Per verwerkingsroute",
            "By treatment route",
            "t",
            "waste.route_kg",
            "*",
            scale=1 / 1000,
        ),
    ],
    "VSME zorg / VSME care (B3, B7)": [
        _m(
            "B3.energy",
            "Totaal energieverbruik",
            "Total energy consumption",
            "MWh",
            "energy.total_gj",
            scale=GJ_TO_MWH,
        ),
        _m("B3.scope1", "Scope 1", "Scope 1", "t CO2e", "co2e.scope1_kg", scale=1 / 1000),
        _m(
            "B3.scope2",
            "Scope 2 (locatiegebaseerd)",
            "Scope 2 (location-based)",
            "t CO2e",
            "co2e.scope2_location_kg",
            scale=1 / 1000,
        ),
        _m("B7.waste", "Totaal afval", "Total waste", "t", "waste.total_kg", scale=1 / 1000),
        _m(
            "B7.hazardous",
            "Gevaarlijk afval",
            "Hazardous waste",
            "t",
            "waste.hazardous_kg",
            scale=1 / 1000,
        ),
        _m(
            "B7.recycled",
            "Naar recycling",
            "Directed to recycling",
            "t",
            "waste.recycled_kg",
            scale=1 / 1000,
        ),
        _m(
            "care.fte",
            "Fte (jaargemiddelde)",
            "FTE (yearly average)",
            "FTE",
            "context.fte",
            scale=1 / 12,
        ),
        _m(
            "care.m2",
            "Vloeroppervlak (jaargemiddelde)",
            "Floor area (yearly average)",
            "m2",
            "context.floor_area_m2",
            scale=1 / 12,
        ),
        _m("care.bed_days", "Verpleegdagen", "Bed-days", "bed-days", "context.bed_days"),
        _d(
            "care.energy_per_m2",
            "Energie per m2",
            "Energy per m2",
            "kWh/m2",
            "per",
            "B3.energy",
            "care.m2",
            scale=1000,
        ),
        _d(
            "care.co2e_per_fte",
            "Scope 1 per fte",
            "Scope 1 per FTE",
            "t CO2e/FTE",
            "per",
            "B3.scope1",
            "care.fte",
        ),
        _d(
            "care.waste_per_bed_day",
            "Afval per verpleegdag",
            "Waste per bed-day",
            "kg/bed-day",
            "per",
            "B7.waste",
            "care.bed_days",
            scale=1000,
        ),
    ],
}

FORMS = {"milieubarometer": MILIEUBAROMETER, "esrs": ESRS}
