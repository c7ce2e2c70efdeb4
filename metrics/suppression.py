"""Cell suppression of one linked table: primary, then secondary until nothing leaks.

A *table* is a set of cells (any hashable key) with the number of people behind each,
the equations that tie them (``parent = sum(children)``, e.g. a division = its
departments, a department's total = its modes) and inequalities (``small <= large``).
Cells absent from the table are zero and known to be.

``suppress`` hides every cell of 1 .. threshold-1 people (primary), then adds further
cells (secondary) until an attacker who knows every published cell, every equation,
every inequality and that no cell is negative cannot narrow any primary cell to an
interval narrower than the threshold (``audit``), nor compute it exactly. The
attacker's intervals come from repeated addition and subtraction (interval
propagation, the audit of tau-ARGUS's modular method in miniature); exact derivation
also from any linear combination (the null space of the equations over the hidden
cells). The secondary cell chosen for a leaking primary cell is the smallest
published sibling in the tightest equation it is part of, as in the hypercube method.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np

Key = Hashable
_EPS = 1e-9
_SWEEPS = 40


@dataclass
class Equation:
    """``parent = sum(children)``; ``additive`` False when people are not (distinct travellers)."""

    parent: Key
    children: tuple[Key, ...]
    additive: bool = True

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.parent, *self.children)


@dataclass
class Table:
    """The cells of one month's table, their people, equations and inequalities."""

    people: dict[Key, float]
    equations: list[Equation] = field(default_factory=list)
    at_most: list[tuple[Key, Key]] = field(default_factory=list)  # people[a] <= people[b]
    keep: set[Key] = field(default_factory=set)  # never secondary (the grand totals)

    def value(self, key: Key) -> float:
        return self.people.get(key, 0.0)


def primary(table: Table, threshold: int) -> set[Key]:
    """Cells of 1 .. threshold-1 people."""
    return {k for k, v in table.people.items() if 0 < v < threshold}


def suppress(table: Table, threshold: int) -> tuple[set[Key], set[Key]]:
    """(primary, all suppressed cells): a pattern the audit finds no leak in."""
    first = primary(table, threshold)
    hidden = set(first)
    while True:
        _close_singletons(table, hidden, first, threshold)
        leaks = audit(table, hidden, first, threshold)
        if not leaks:
            return first, hidden
        added = {_partner(table, hidden, cell) for cell in sorted(leaks, key=repr)}
        added.discard(None)
        if not added:
            raise RuntimeError("no secondary cell left to protect a small group")
        hidden |= added


def _close_singletons(table: Table, hidden: set[Key], first: set[Key], threshold: int) -> None:
    """Cheap rules first: no equation hides one cell alone, nor a known sum under threshold."""
    changed = True
    while changed:
        changed = False
        for eq in table.equations:
            inside = [m for m in eq.members if m in hidden]
            if not inside:
                continue
            small = eq.parent not in hidden and eq.additive and any(m in first for m in inside)
            small = small and sum(table.value(m) for m in inside) < threshold
            if len(inside) == 1 or small:
                extra = _smallest(table, hidden, eq)
                if extra is not None:
                    hidden.add(extra)
                    changed = True


def _smallest(table: Table, hidden: set[Key], eq: Equation) -> Key | None:
    """The smallest published child of ``eq`` (its parent if no child is left)."""
    open_children = [c for c in eq.children if c not in hidden and table.value(c) > 0]
    if open_children:
        return min(open_children, key=lambda c: (table.value(c), repr(c)))
    if eq.parent not in hidden and eq.parent not in table.keep:
        return eq.parent
    return None


def _partner(table: Table, hidden: set[Key], cell: Key) -> Key | None:
    """A secondary cell for ``cell``: from its tightest equation, else further away."""

    def slack(eq: Equation) -> float:
        return sum(table.value(m) for m in eq.members if m in hidden and m != cell)

    for eq in sorted((e for e in table.equations if cell in e.members), key=slack):
        extra = _smallest(table, hidden, eq)
        if extra is not None:
            return extra
    for a, b in table.at_most:
        other = b if a == cell else a if b == cell else None
        if other is not None and other not in hidden and other not in table.keep:
            return other
    return _nearest(table, hidden, cell)


def _nearest(table: Table, hidden: set[Key], cell: Key) -> Key | None:
    """The smallest published cell of an equation reached from ``cell`` through hidden ones."""
    reached, frontier, seen = {cell}, [cell], set()
    while frontier:
        touching = [i for i, e in enumerate(table.equations) if i not in seen
                    and any(m in frontier for m in e.members)]  # fmt: skip
        seen.update(touching)
        options = [x for i in touching if (x := _smallest(table, hidden, table.equations[i]))]
        if options:
            return min(options, key=lambda c: (table.value(c), repr(c)))
        frontier = [m for i in touching for m in table.equations[i].members
                    if m in hidden and m not in reached]  # fmt: skip
        reached.update(frontier)
    return None


def intervals(table: Table, hidden: set[Key]) -> dict[Key, tuple[float, float]]:
    """What addition and subtraction of published cells tell about each hidden cell."""
    bounds = {k: (0.0, math.inf) if k in hidden else (v, v) for k, v in table.people.items()}
    for key in hidden:
        bounds.setdefault(key, (0.0, math.inf))
    live = [e for e in table.equations if e.additive and any(m in hidden for m in e.members)]
    pairs = [p for p in table.at_most if p[0] in hidden or p[1] in hidden]
    for _ in range(_SWEEPS):
        changed = any([_tighten(bounds, eq) for eq in live])
        changed = any([_order(bounds, a, b) for a, b in pairs]) or changed
        if not changed:
            break
    return {k: bounds[k] for k in hidden}


def _tighten(bounds: dict, eq: Equation) -> bool:
    """Narrow the members of one equation; True when anything changed."""

    def get(key: Key) -> tuple[float, float]:
        return bounds.get(key, (0.0, 0.0))

    lows = [get(c)[0] for c in eq.children]
    highs = [get(c)[1] for c in eq.children]
    changed = _narrow(bounds, eq.parent, sum(lows), sum(highs))
    p_low, p_high = get(eq.parent)
    low_sum, high_sum = sum(lows), sum(highs)
    for child, low, high in zip(eq.children, lows, highs, strict=True):
        rest_high = high_sum - high if math.isfinite(high) else _sum_without(highs, high)
        changed = _narrow(bounds, child, p_low - rest_high, p_high - (low_sum - low)) or changed
    return changed


def _sum_without(values: list[float], one: float) -> float:
    rest = list(values)
    rest.remove(one)
    return sum(rest)


def _order(bounds: dict, a: Key, b: Key) -> bool:
    a_low, a_high = bounds.get(a, (0.0, 0.0))
    b_low, b_high = bounds.get(b, (0.0, 0.0))
    return _narrow(bounds, a, a_low, b_high) | _narrow(bounds, b, a_low, math.inf)


def _narrow(bounds: dict, key: Key, low: float, high: float) -> bool:
    if key not in bounds:
        return False
    old_low, old_high = bounds[key]
    new_low, new_high = max(old_low, low), min(old_high, high)
    if new_low > old_low + _EPS or new_high < old_high - _EPS:
        bounds[key] = (new_low, new_high)
        return True
    return False


def determined(table: Table, hidden: set[Key]) -> set[Key]:
    """Hidden cells that some linear combination of the equations gives exactly."""
    found: set[Key] = set()
    for cells, rows in _components(table, hidden):
        index = {k: i for i, k in enumerate(cells)}
        matrix = np.zeros((len(rows), len(cells)))
        for r, eq in enumerate(rows):
            for sign, members in ((1.0, [eq.parent]), (-1.0, eq.children)):
                for m in members:
                    if m in index:
                        matrix[r, index[m]] += sign
        # e_i lies in the row space (the cell follows from the equations) iff its
        # projection onto an orthonormal basis of that space keeps its full length
        _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
        basis = vt[singular > 1e-9 * max(1.0, float(singular.max(initial=0.0)))]
        length = (basis**2).sum(axis=0)
        found |= {k for k, i in index.items() if length[i] > 1 - 1e-9}
    return found


def _components(table: Table, hidden: set[Key]) -> list[tuple[list[Key], list[Equation]]]:
    """Hidden cells linked by equations, each group with the equations that touch it."""
    parent = {k: k for k in hidden}

    def root(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    touching = []
    for eq in table.equations:
        inside = [m for m in eq.members if m in parent]
        if inside:
            touching.append((eq, inside[0]))
            for m in inside[1:]:
                parent[root(m)] = root(inside[0])
    groups: dict[Key, tuple[list[Key], list[Equation]]] = {}
    for k in sorted(hidden, key=repr):
        groups.setdefault(root(k), ([], []))[0].append(k)
    for eq, first in touching:
        groups[root(first)][1].append(eq)
    return list(groups.values())


def audit(table: Table, hidden: set[Key], first: Iterable[Key], threshold: int) -> set[Key]:
    """Primary cells an attacker can compute exactly or narrow below ``threshold`` people."""
    first = set(first)
    bounds = intervals(table, hidden)
    narrow = {k for k in first if bounds[k][1] - bounds[k][0] < threshold - _EPS}
    return narrow | (determined(table, hidden) & first)
