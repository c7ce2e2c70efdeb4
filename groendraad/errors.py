"""Errors that say where: which source, which file or URL, which line or record."""

from __future__ import annotations


class GroendraadError(Exception):
    """Base class for errors shown to the coordinator (no traceback needed)."""


class ConfigError(GroendraadError):
    """The configuration file is missing, malformed or incomplete."""


class SourceError(GroendraadError):
    """A delivery could not be fetched or read.

    ``location`` is the file path or URL; ``record`` the line number, row or record
    id within it (None when the whole delivery is at fault).
    """

    def __init__(
        self, source: str, location: str | None, message: str, record: str | int | None = None
    ) -> None:
        self.source = source
        self.location = location
        self.record = record
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.location or "(no location)"
        if self.record is not None:
            label = "line" if isinstance(self.record, int) else "record"
            where = f"{where} {label} {self.record}"
        return f"{self.source}: {where}: {self.message}"


def whole_number_setting(variable: str, minimum: int, needs: str) -> int | None:
    """The whole number in environment ``variable`` (None when unset or blank); a
    ConfigError naming the variable when it is not one, or is below ``minimum``
    (``needs`` follows the value and says what is needed)."""
    import os

    configured = os.environ.get(variable, "").strip()
    if not configured:
        return None
    try:
        value = int(configured)
    except ValueError:
        raise ConfigError(f"{variable}={configured!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{variable}={configured!r}{needs}")
    return value
