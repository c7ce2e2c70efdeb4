"""Calendar months in the hospital's local time (Europe/Amsterdam)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month, e.g. ``Month(2025, 10)``; ``str()`` gives ``2025-10``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``; raise ValueError with the offending text otherwise."""
        match = _MONTH_RE.match(text.strip())
        if not match:
            raise ValueError(f"not a month (expected YYYY-MM): {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def previous_full(cls, today: date | None = None) -> Month:
        """The last month that has fully ended, in local time."""
        today = today or datetime.now(LOCAL_TZ).date()
        return cls.of(today.replace(day=1) - timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def days(self) -> int:
        return self.last_day.day

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def start_local(self) -> datetime:
        """Midnight at the start of the month, Europe/Amsterdam, tz-aware."""
        return datetime(self.year, self.month, 1, tzinfo=LOCAL_TZ)

    def end_local(self) -> datetime:
        """Midnight at the start of the next month (exclusive end), tz-aware."""
        return self.next().start_local()


def month_range(first: Month, last: Month) -> list[Month]:
    """All months from ``first`` to ``last`` inclusive."""
    if last < first:
        raise ValueError(f"range ends ({last}) before it starts ({first})")
    months, current = [], first
    while current <= last:
        months.append(current)
        current = current.next()
    return months
