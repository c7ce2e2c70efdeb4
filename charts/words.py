"""The fixed words of the pages, Dutch and English side by side (``Lang.ui(key)``)."""

from __future__ import annotations


def _w(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


UI: dict[str, dict[str, str]] = {
    # frame
    "site": _w("Groene Draad", "Groene Draad"),
    "overview": _w("Overzicht", "Overview"),
    "themes": _w("Thema's", "Themes"),
    "organisation": _w("Divisies en afdelingen", "Divisions and departments"),
    "definitions": _w("Definities", "Definitions"),
    "other_language": _w("English", "Nederlands"),
    "data_until": _w("Gegevens t/m {month}", "Data up to and including {month}"),
    "published": _w("gepubliceerd {date}", "published {date}"),
    "skip": _w("Naar de inhoud", "Skip to content"),
    "menu": _w("Menu", "Menu"),
    "footer": _w(
        "Cijfers uit de Groene Draad-pijplijn. Elke grafiek heeft een beschrijving, een tabel "
        "en een definitie; geschatte en ontbrekende maanden zijn gemarkeerd.",
        "Figures from the Groene Draad pipeline. Every chart has a description, a table and a "
        "definition; estimated and missing months are marked.",
    ),
    # figures
    "figures": _w("Cijfers", "Figures"),
    "month": _w("Maand", "Month"),
    "quality": _w("Kwaliteit", "Quality"),
    "not_measured": _w("Niet (volledig) gemeten", "Not (fully) measured"),
    "table": _w("Tabel", "Table"),
    "definition": _w("Definitie", "Definition"),
    "value": _w("Waarde", "Value"),
    "other": _w("Overig", "Other"),
    "part": _w("Onderdeel", "Part"),
    "name": _w("Naam", "Name"),
    "series": _w("Reeks", "Series"),
    "per_12_months": _w("per 12 maanden", "per 12 months"),
    "no_figures": _w("Nog geen cijfers.", "No figures yet."),
    "all_measured": _w("Alle {count} maanden gemeten.", "All {count} months measured."),
    "quality_count": _w(
        "{count} van {total} maanden {quality}", "{count} of {total} months {quality}"
    ),
    "last_month_value": _w(
        "{name} in {month}: {value} {unit}.", "{name} in {month}: {value} {unit}."
    ),
    "window_sum": _w(
        "De 12 maanden t/m {month}: {value} {unit}", "The 12 months to {month}: {value} {unit}"
    ),
    "window_mean": _w(
        "Gemiddeld over de 12 maanden t/m {month}: {value} {unit}",
        "Average over the 12 months to {month}: {value} {unit}",
    ),
    "window_incomplete": _w(
        "Geen volledige 12 maanden t/m {month}: {months} ontbreekt ({reason}).",
        "No complete 12 months to {month}: {months} missing ({reason}).",
    ),
    "window_estimated": _w(
        "{count} van 12 maanden geschat ({months})", "{count} of 12 months estimated ({months})"
    ),
    "before_estimated": _w(
        "in de 12 maanden daarvoor {count} geschat", "{count} estimated in the 12 months before"
    ),
    "no_comparison": _w(
        "(geen vergelijking: de 12 maanden daarvoor zijn niet volledig)",
        "(no comparison: the 12 months before are not complete)",
    ),
    "versus_before": _w(
        "({change} t.o.v. de 12 maanden daarvoor)", "({change} on the 12 months before)"
    ),
    "largest_parts": _w(
        "Grootste onderdelen in de 12 maanden t/m {month}: {parts}",
        "Largest parts in the 12 months to {month}: {parts}",
    ),
    "part_share": _w("{name} {value} {unit} ({share}%)", "{name} {value} {unit} ({share}%)"),
    "largest_of": _w("Grootste posten: {name}", "Largest contributors: {name}"),
    "last_12_months": _w("de laatste 12 maanden", "the last 12 months"),
    "ranking_title": _w("Afdelingen met de hoogste {name}", "Departments with the highest {name}"),
    "ranking_top": _w("Hoogste over {window}: {parts}", "Highest over {window}: {parts}"),
    "peer_position": _w(
        "{name} staat op plaats {position} van {count} (hoogste eerst) met {value} {unit} "
        "over {window}",
        "{name} ranks {position} of {count} (highest first) with {value} {unit} over {window}",
    ),
    "role_own": _w("Deze afdeling of divisie", "This department or division"),
    "role_others": _w("Vergelijkbare", "Comparable ones"),
    "role_departments": _w("Afdelingen", "Departments"),
    "role_part": _w("Onderdeel", "Part"),
    # targets
    "target": _w("Doel", "Target"),
    "targets": _w("Doelen", "Targets"),
    "target_in": _w("doel {year}", "target {year}"),
    "target_value": _w("Doelwaarde", "Target value"),
    "verdict": _w("Oordeel", "Verdict"),
    "verdict_is": _w("Oordeel: {verdict}.", "Verdict: {verdict}."),
    "series_actual": _w("Werkelijk (12 maanden)", "Actual (12 months)"),
    "series_path": _w("Pad naar het doel", "Path to the target"),
    "series_projection": _w("Prognose", "Projection"),
    "actual_12": _w(
        "De 12 maanden t/m {month}: {value} {unit}.", "The 12 months to {month}: {value} {unit}."
    ),
    "goal_value": _w("Doel {year}: {value} {unit}.", "Target {year}: {value} {unit}."),
    "baseline_value": _w("Basisjaar {year}: {value}.", "Base year {year}: {value}."),
    "baseline_estimated": _w(
        "In basisjaar {year} is geschat: {months}.", "Estimated in base year {year}: {months}."
    ),
    "baseline_estimated_short": _w(
        "basisjaar {year}: {months} geschat", "base year {year}: {months} estimated"
    ),
    "baseline_missing": _w(
        "Geen cijfers over basisjaar {year}: zonder basis geen oordeel.",
        "No figures for base year {year}: no verdict without a baseline.",
    ),
    "projected_value": _w(
        "Prognose december {year}: {value}.", "Projection for December {year}: {value}."
    ),
    "no_actual": _w(
        "Nog geen volledige 12 maanden gegevens (of nog geen bron).",
        "No complete 12 months of data yet (or no source yet).",
    ),
    "actual_header": _w("Werkelijk (12 mnd)", "Actual (12 mo)"),
    "path_header": _w("Pad nu", "Path now"),
    "projected_header": _w("Prognose", "Projection"),
    "scoreboard_caption": _w("Stand per doel, laatste maand", "Status per target, latest month"),
    "targets_detail": _w("Per doel", "Per target"),
    "targets_here": _w("Doelen voor deze afdeling", "Targets for this department"),
    "targets_note": _w(
        "Dezelfde doelen, gemeten aan de eigen cijfers (alleen doelen waarvan de cijfers per "
        "afdeling bestaan).",
        "The same targets, measured on its own figures (only targets whose figures exist per "
        "department).",
    ),
    "overview_title": _w("Green Deal: hoe staan we ervoor?", "Green Deal: how are we doing?"),
    "overview_intro": _w(
        "De doelen van de Green Deal Duurzame Zorg en de eigen ambities van {institution}, "
        "gemeten over steeds de laatste 12 maanden.",
        "The targets of the Green Deal on sustainable healthcare and {institution}'s own "
        "ambitions, measured over the last 12 months each time.",
    ),
    # places
    "department": _w("Afdeling", "Department"),
    "division": _w("Divisie", "Division"),
    "department_intro": _w(
        "De pagina van het Green Team van {name}.", "The page of the Green Team of {name}."
    ),
    "division_intro": _w("{name} en zijn afdelingen:", "{name} and its departments:"),
    "key_figures": _w("Kerncijfers", "Key figures"),
    "key_caption": _w("Laatste 12 maanden t/m {month}", "Last 12 months to {month}"),
    "figure": _w("Cijfer", "Figure"),
    "last_12": _w("Laatste 12 maanden", "Last 12 months"),
    "previous_12": _w("12 maanden daarvoor", "12 months before"),
    "change": _w("Verandering", "Change"),
    "mean_month": _w(" (gem./maand)", " (mean/month)"),
    "trends": _w("Ontwikkeling", "Trends"),
    "compared_with": _w("Vergeleken met {group}", "Compared with {group}"),
    "all_divisions": _w("de andere divisies", "the other divisions"),
    "contributors": _w("Grootste posten", "Largest contributors"),
    "organisation_intro": _w("Kies uw divisie of afdeling.", "Choose your division or department."),
    "no_division": _w("Zonder divisie", "No division"),
    "green_teams": _w("Green Teams", "Green Teams"),
    "green_teams_intro": _w(
        "Elke divisie en afdeling heeft een eigen pagina:",
        "Every division and department has its own page:",
    ),
    # definitions
    "definitions_intro": _w(
        "Wat elk cijfer telt, in welke eenheid, waar het gepubliceerd wordt en uit welke "
        "leveringen het komt.",
        "What each figure counts, in which unit, where it is published and which deliveries "
        "it is made from.",
    ),
    "unit": _w("Eenheid", "Unit"),
    "levels": _w("Gepubliceerd voor", "Published for"),
    "better": _w("Beter is", "Better is"),
    "breakdown": _w("Uitsplitsing", "Breakdown"),
    "scope": _w("Scope", "Scope"),
    "sources": _w("Bronnen (tabellen)", "Sources (tables)"),
    "metric_id": _w("Code", "Id"),
    "level_institution": _w("ziekenhuis", "institution"),
    "level_division": _w("divisie", "division"),
    "level_department": _w("afdeling", "department"),
    "direction_lower": _w("lager", "lower"),
    "direction_higher": _w("hoger", "higher"),
    "direction_none": _w("n.v.t.", "n/a"),
    "quality_measured": _w(
        "elke bron die het cijfer nodig heeft is geleverd en goedgekeurd; een meter telt als "
        "gemeten zolang hoogstens 5% van zijn kwartieren door het energiesysteem geschat is.",
        "every source the figure needs was delivered and accepted; a meter counts as measured "
        "while at most 5% of its intervals are estimated by the energy system.",
    ),
    "quality_mixed": _w(
        "alles is geleverd, maar een deel is door de bron geschat, er ontbreken kwartieren of "
        "factoren, of de levering had waarschuwingen.",
        "everything was delivered, but some parts are estimated by the source, some intervals "
        "or factors are missing, or the delivery had warnings.",
    ),
    "quality_estimated": _w(
        "de bron schatte het, of een ontbrekende levering is opgevuld (dezelfde maand een jaar "
        "eerder x de trend van 12 maanden); sommen en verhoudingen met zo'n deel zijn ook "
        "geschat.",
        "the source estimated it, or a missing delivery was filled in (the same month a year "
        "earlier x the 12-month trend); sums and ratios with such a part are estimated too.",
    ),
    "quality_missing": _w(
        "geen cijfer: een bron die het nodig heeft is niet geleverd, afgewezen door de "
        "validatie, als gat geaccepteerd of de maand is ingetrokken. Een som (zoals de totale "
        "CO2) met een ontbrekend deel heeft geen cijfer; bij elk cijfer staat welke bron, welke "
        "maand en waarom.",
        "no figure: a source it needs was not delivered, refused by validation, accepted as a "
        "gap, or the month was withdrawn. A sum (such as total CO2) with a missing part has no "
        "figure; each figure says which source, which month and why.",
    ),
    "quality_windows": _w(
        "12-maandscijfers, vergelijkingen met de 12 maanden daarvoor, rangordes en doelen "
        "gebruiken alleen volledige of als geschat gemarkeerde maanden, en zeggen hoeveel "
        "maanden geschat zijn.",
        "12-month figures, comparisons with the 12 months before, rankings and targets use "
        "only complete or flagged-estimated months, and say how many months are estimated.",
    ),
    "verdict_on_track": _w(
        "de prognose haalt het doel en de werkelijkheid loopt hoogstens 10% "
        "van de opgave achter op het pad.",
        "the projection meets the target and the actual is at most 10% of the gap behind the path.",
    ),
    "verdict_at_risk": _w("alles daartussen.", "everything in between."),
    "verdict_off_track": _w(
        "de prognose mist het doel met meer dan 25% van de opgave.",
        "the projection misses the target by more than 25% of the gap.",
    ),
    "verdict_no_data": _w(
        "geen 12 maanden cijfers, of geen cijfers over het basisjaar.",
        "no 12 months of figures, or none for the base year.",
    ),
}
