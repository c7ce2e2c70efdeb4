"""The coordinator's decisions about months: withdrawn months and accepted gaps.

Kept as a log in ``<warehouse>/decisions/coordinator.json`` (a list of entries, each
``{"action": "withdraw" | "accept_gap", "month": "YYYY-MM", "source": ..., "note": ...,
"at": ISO time}``), rewritten atomically; entries are never removed, so the history
of decisions stays readable.

- A **withdrawn** month is published as a version whose figures are all missing with
  reason ``withdrawn``; it stays withdrawn until the month is gathered again (a staging
  file newer than the withdrawal supersedes it).
- An **accepted gap** (source, month) is a real gap the coordinator signs off, e.g. a
  meter outage: figures that need that source-month are missing (or estimated when
  gap filling is on) with the note as their reason. A later real delivery staged for
  that source-month supersedes it, since the figures are then measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from groendraad.months import Month
from groendraad.warehouse import staging
from groendraad.warehouse.files import write_atomic
from groendraad.warehouse.schema import tables

WITHDRAW, ACCEPT_GAP = "withdraw", "accept_gap"


@dataclass(frozen=True)
class Decision:
    """One entry of the coordinator's log."""

    action: str
    month: Month
    at: datetime
    source: str | None = None
    note: str = ""


def decisions_file(root: Path) -> Path:
    return root / "decisions" / "coordinator.json"


def read_decisions(root: Path) -> list[Decision]:
    """Every decision, oldest first (empty when there are none)."""
    path = decisions_file(root)
    if not path.is_file():
        return []
    entries = json.loads(path.read_text(encoding="utf-8"))
    return [
        Decision(
            action=e["action"],
            month=Month.parse(e["month"]),
            at=datetime.fromisoformat(e["at"]),
            source=e.get("source"),
            note=e.get("note", ""),
        )
        for e in entries
    ]


def record(root: Path, decision: Decision) -> Path:
    """Append ``decision`` to the log (atomically)."""
    entries = [
        {
            "action": d.action,
            "month": str(d.month),
            "source": d.source,
            "note": d.note,
            "at": d.at.astimezone(UTC).isoformat(),
        }
        for d in [*read_decisions(root), decision]
    ]
    text = json.dumps(entries, indent=1, ensure_ascii=False)
    path = decisions_file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path


def _last_staged(root: Path, month: Month) -> datetime | None:
    """When anything of ``month`` was last staged (newest staging file)."""
    stamps = [
        staging.month_file(root, name, month).stat().st_mtime
        for name in tables()
        if staging.month_file(root, name, month).exists()
    ]
    return datetime.fromtimestamp(max(stamps), UTC) if stamps else None


def withdrawn(root: Path, decisions: list[Decision] | None = None) -> dict[Month, str]:
    """Months withdrawn and not gathered again since, with the withdrawal's note."""
    found: dict[Month, Decision] = {}
    for d in decisions if decisions is not None else read_decisions(root):
        if d.action == WITHDRAW:
            found[d.month] = d
    result = {}
    for month, d in found.items():
        staged = _last_staged(root, month)
        if staged is None or staged <= d.at:
            result[month] = d.note
    return result


def accepted_gaps(
    root: Path, decisions: list[Decision] | None = None
) -> dict[tuple[str, Month], str]:
    """(source, month) -> note of every accepted gap (the latest note wins)."""
    gaps: dict[tuple[str, Month], str] = {}
    for d in decisions if decisions is not None else read_decisions(root):
        if d.action == ACCEPT_GAP and d.source:
            gaps[(d.source, d.month)] = d.note
    return gaps
