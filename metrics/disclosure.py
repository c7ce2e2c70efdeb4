"""What may be published about people: the one module every output about people asks.

Parameters are data (``disclosure.yaml``): the threshold, the columns that count people,
and per personal source the figures about people with the cells of that source's table
each one reveals. Mobility figures are computed on full data (so totals and shares are
true) and then released here: a *cell* of a source's table is one place (institution,
division - unallocated departments form a division of their own - or department) x one
category (a mode, the total, or a subtotal a share reveals, such as the green
commuters). ``protect`` suppresses cells (``suppression.suppress``: every group of 1-4
people, and further cells until no suppressed one can be derived, exactly or to within
fewer than the threshold of people, from what is published); ``release`` keeps the rows
whose cells are all published. Marts, pages and the NFU export publish nothing else,
so no output, alone or with the others of the same month, reveals a small group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
import yaml

from groendraad.metrics import suppression
from groendraad.metrics.suppression import Equation, Table

POLICY_FILE = Path(__file__).with_name("disclosure.yaml")
PLACE = ["level", "division", "department"]
_CELL_KEY = ["period", *PLACE, "cell"]
TOTAL = "#total"


@dataclass(frozen=True)
class Policy:
    """The disclosure parameters (disclosure.yaml)."""

    threshold: int
    count_columns: tuple[str, ...]
    label_columns: tuple[str, ...]
    tables: dict[str, dict[str, tuple[str, ...]]]

    def about_people(self, metric: str) -> bool:
        """Whether ``metric`` is a figure about people."""
        return any(metric in figures for figures in self.tables.values())


@cache
def load_policy(path: Path = POLICY_FILE) -> Policy:
    """The disclosure policy (read once)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables = {
        name: {metric: tuple(cells) for metric, cells in figures.items()}
        for name, figures in raw["tables"].items()
    }
    counts, labels = tuple(raw["count_columns"]), tuple(raw.get("label_columns", ()))
    return Policy(int(raw["threshold"]), counts, labels, tables)


@dataclass(frozen=True)
class Layout:
    """How the categories of a table add up: subtotal -> its parts, and orderings."""

    sums: dict[str, tuple[str, ...]]  # "#total": ("#green", "#not_green"); "#green": modes
    at_most: tuple[tuple[str, str], ...] = ()  # (a, b): a subset of the people of b


def commuting_cells(wide: pl.DataFrame, green_modes: list[str]) -> tuple[pl.DataFrame, Layout]:
    """The cells of the commuting table (people per place x mode and subtotal)."""
    modes = wide.filter(pl.col("category").is_not_null())
    totals = wide.filter(pl.col("category").is_null())
    subtotals = {
        TOTAL: pl.col("people"),
        "#green": pl.col("green_people"),
        "#not_green": pl.col("people") - pl.col("green_people"),
        "#near": pl.col("near_people"),
        "#near_green": pl.col("near_green_people"),
        "#near_not_green": pl.col("near_people") - pl.col("near_green_people"),
    }
    parts = [_cells(modes, pl.col("category"), pl.col("people"))]
    parts += [_cells(totals, pl.lit(name), expr) for name, expr in subtotals.items()]
    all_modes = sorted(set(modes["category"].to_list()))
    green = tuple(m for m in all_modes if m in green_modes)
    layout = Layout(
        sums={
            TOTAL: ("#green", "#not_green"),
            "#green": green,
            "#not_green": tuple(m for m in all_modes if m not in green),
            "#near": ("#near_green", "#near_not_green"),
        },
        at_most=(("#near", TOTAL), ("#near_green", "#green"), ("#near_not_green", "#not_green")),
    )
    return pl.concat(parts), layout


def travel_cells(wide: pl.DataFrame) -> tuple[pl.DataFrame, Layout]:
    """The cells of the business-travel table (distinct travellers per place x mode)."""
    cell = pl.col("category").fill_null(pl.lit(TOTAL))
    modes = sorted(set(wide["category"].drop_nulls().to_list()))
    return _cells(wide, cell, pl.col("people")), Layout(sums={TOTAL: tuple(modes)})


def _cells(frame: pl.DataFrame, cell: pl.Expr, people: pl.Expr) -> pl.DataFrame:
    return frame.select(
        "period", *PLACE, cell.alias("cell"), people.cast(pl.Float64).alias("people")
    ).filter(pl.col("people") > 0)


def protect(cells: pl.DataFrame, layout: Layout, threshold: int) -> pl.DataFrame:
    """The suppressed cells: period, place, cell and ``kind`` (primary / secondary)."""
    found = []
    for (period,), month in cells.partition_by("period", as_dict=True).items():
        table = month_table(month, layout)
        first, hidden = suppression.suppress(table, threshold)
        found += [(period, *key, "primary" if key in first else "secondary") for key in hidden]
    schema = {**cells.select(_CELL_KEY).schema, "kind": pl.String}
    return pl.DataFrame(found, schema=schema, orient="row")


def month_table(month: pl.DataFrame, layout: Layout) -> Table:
    """One month's cells with the place and category equations that tie them."""
    people = {(r[0], r[1], r[2], r[3]): r[4] for r in month.select(*PLACE, "cell", "people").rows()}
    unallocated = {k for k in people if k[0] == "department" and k[1] is None}
    for level, division, department, cell in unallocated:  # a division of their own
        key = ("division", None, None, cell)
        people[key] = people.get(key, 0.0) + people[(level, division, department, cell)]
    table = Table(people)
    places = sorted({k[:3] for k in people}, key=repr)
    cells = sorted({k[3] for k in people})
    for cell in cells:
        divisions = [p for p in places if p[0] == "division"]
        _equation(table, (*_INSTITUTION, cell), [(*p, cell) for p in divisions])
        for division in divisions:
            depts = [p for p in places if p[0] == "department" and p[1] == division[1]]
            _equation(table, (*division, cell), [(*p, cell) for p in depts])
    for place in places:
        for parent, parts in layout.sums.items():
            _equation(table, (*place, parent), [(*place, part) for part in parts])
        table.at_most += [((*place, a), (*place, b)) for a, b in layout.at_most]
    grand = (*_INSTITUTION, TOTAL)
    table.keep = {grand} if people.get(grand, 0) >= 1 else set()
    return table


_INSTITUTION = ("institution", None, None)


def _equation(table: Table, parent: tuple, children: list[tuple]) -> None:
    """parent = sum(children); a remainder becomes a cell, an excess makes it non-additive."""
    children = [c for c in children if table.value(c) > 0]
    if table.value(parent) <= 0 and not children:
        return
    rest = table.value(parent) - sum(table.value(c) for c in children)
    if rest > 0.5:
        extra = ("rest", repr(parent[:3]), None, parent[3])
        table.people[extra] = rest
        children.append(extra)
    additive = rest > -0.5
    table.equations.append(Equation(parent, tuple(children), additive))
    if not additive:
        table.at_most += [(c, parent) for c in children]


def release(rows: pl.LazyFrame, hidden: pl.DataFrame, source: str, policy: Policy) -> pl.LazyFrame:
    """The rows of ``source``'s figures none of whose cells is suppressed."""
    figures = policy.tables[source]
    needs = pl.DataFrame(
        [(m, c) for m, cells in figures.items() for c in cells], schema=["metric", "need"],
        orient="row",
    )  # fmt: skip
    rows = rows.with_row_index("_row")
    own = pl.col("category").fill_null(pl.lit(TOTAL))
    wanted = rows.join(needs.lazy(), on="metric").with_columns(
        cell=pl.when(pl.col("need") == "own").then(own).otherwise("#" + pl.col("need"))
    )
    blocked = wanted.join(
        hidden.lazy().select(_CELL_KEY), on=_CELL_KEY, how="semi", nulls_equal=True
    ).select("_row")
    return rows.join(blocked, on="_row", how="anti").drop("_row")


# ---------------------------------------------------------------- guards of every output
PERSONAL_TABLES = ("commuting", "business_travel")  # hold pseudonymised personnel numbers


def small_group_filter(minimum: int | None = None) -> pl.Expr:
    """True for a row about fewer than the threshold people (never null): a last guard.

    A people count under the threshold, a count figure under it, or a mobility figure
    without its count.
    """
    limit = max(minimum or 0, load_policy().threshold)
    too_few = (pl.col("people") < limit).fill_null(False)
    small_count = ((pl.col("kind") == "count") & (pl.col("value") < limit)).fill_null(False)
    uncounted = (
        (pl.col("theme") == "mobility") & pl.col("value").is_not_null() & pl.col("people").is_null()
    )
    return too_few | small_count | uncounted


def personnel_numbers(root: Path, months: list) -> set[str]:
    """The pseudonymised personnel numbers of the months (none may appear in an output)."""
    from groendraad.warehouse import staging

    wanted = [str(m) for m in months]
    found: set[str] = set()
    for name in PERSONAL_TABLES:
        if staging.staged_months(root, name):
            ids = staging.scan(root, name).filter(pl.col("month").is_in(wanted))
            found.update(ids.select("employee_id").unique().collect()["employee_id"].to_list())
    return found


def guard_personal_data(
    frame: pl.DataFrame, known_ids: set[str], table: str, minimum: int | None = None
) -> None:
    """Refuse ``frame`` (GroendraadError) if it holds personnel numbers or a small group."""
    from groendraad.errors import GroendraadError
    from groendraad.expectations.published import PersonalDataError, assert_publishable

    limit = max(minimum or 0, load_policy().threshold)
    try:
        assert_publishable(frame, table, group_columns=list(load_policy().count_columns),
                           known_ids=known_ids, min_group_size=limit)  # fmt: skip
    except PersonalDataError as exc:
        raise GroendraadError(str(exc)) from None


def shown_columns(columns: list[str]) -> list[str]:
    """``columns`` without the people counts (for samples in reports, records, messages)."""
    counts = set(load_policy().count_columns)
    return [c for c in columns if c not in counts]


def redacted_columns(
    table: str, redact: tuple[str, ...], columns: list[str], locate: Sequence | Mapping
) -> tuple[str, ...]:
    """Columns whose values a validation result must not show for ``table``.

    Of a personal table (tables.yaml ``personal: true``) a sample names the row (its
    ``locate`` columns, or those of any check when given per check, and group labels
    such as the department) but shows none of its values: one row is one person.
    """
    from groendraad.warehouse.schema import tables

    declared = tables().get(table)
    if declared is None or not declared.personal:
        return redact
    naming = (
        {c for cols in locate.values() for c in cols}
        if isinstance(locate, Mapping)
        else set(locate)
    )
    naming |= set(load_policy().label_columns)
    return (*redact, *[c for c in columns if c not in naming and c not in redact])
