"""The suppression engine on a table small enough to check by hand, and the guards."""

from __future__ import annotations

import polars as pl

from groendraad.expectations.engine import located_sample
from groendraad.metrics.disclosure import redacted_columns
from groendraad.metrics.suppression import Equation, Table, audit, intervals, suppress

# a division of three departments x two modes, with totals on both axes
CELLS = {("A", "bike"): 2, ("A", "car"): 30, ("B", "bike"): 40, ("B", "car"): 50,
         ("C", "bike"): 60, ("C", "car"): 70}  # fmt: skip


def _table() -> Table:
    people = dict(CELLS)
    for d in "ABC":
        people[(d, "all")] = people[(d, "bike")] + people[(d, "car")]
    for m in ("bike", "car", "all"):
        people[("div", m)] = sum(people[(d, m)] for d in "ABC")
    equations = [Equation((p, "all"), ((p, "bike"), (p, "car"))) for p in ["div", *"ABC"]]
    equations += [
        Equation(("div", m), tuple((d, m) for d in "ABC")) for m in ("bike", "car", "all")
    ]
    return Table(people, equations, keep={("div", "all")})


def test_a_small_cell_is_protected_in_its_row_and_its_column() -> None:
    table = _table()
    first, hidden = suppress(table, 5)
    assert first == {("A", "bike")}
    # a second cell in A's row and in the bike column, and the corner that closes them
    assert {("A", "car"), ("B", "bike"), ("B", "car")} <= hidden
    assert not audit(table, hidden, first, 5)
    low, high = intervals(table, hidden)[("A", "bike")]
    assert high - low >= 5


def test_primary_suppression_alone_leaks() -> None:
    table = _table()
    assert audit(table, {("A", "bike")}, {("A", "bike")}, 5) == {("A", "bike")}


def test_validation_samples_never_show_a_groups_people() -> None:
    frame = pl.DataFrame({"department": ["Klein"], "people": [3]})
    assert located_sample(frame, [0], ["department", "people"], ()) == ("department='Klein'",)


def test_a_personal_rows_values_never_reach_a_validation_result() -> None:
    columns = ["employee_id", "department", "one_way_km", "mode", "source_line"]
    hidden = redacted_columns("commuting", ("employee_id",), columns, ("source_line",))
    assert set(hidden) == {"employee_id", "one_way_km", "mode"}  # line and department stay
    assert redacted_columns("waste_collections", (), ["weight_kg"], ("source_line",)) == ()
