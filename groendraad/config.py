"""The institution's configuration: one YAML file naming its sources.

Secrets never appear in the file: a source names the *environment variables* that
hold its credentials (``credentials: {token: ENERGY_API_TOKEN}``), and they are read
only when a connector asks for them. ``${VAR}`` in any string is replaced from the
environment, so a base URL or a folder can also come from there. Relative paths are
relative to the configuration file's folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from groendraad import config_schema
from groendraad.errors import ConfigError
from groendraad.months import Month

_ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SourceConfig:
    """One source's settings: where it lives, how it is encoded, and its options."""

    name: str
    settings: dict[str, Any]
    base_dir: Path
    credential_env: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)

    def require(self, key: str) -> Any:
        if key not in self.settings:
            raise ConfigError(f"{self.name}: setting {key!r} is missing")
        return self.settings[key]

    def path(self, key: str, month: Month | None = None) -> Path:
        """A file setting, with ``{month}`` filled in and made absolute."""
        pattern = str(self.require(key))
        if month is not None:
            pattern = pattern.replace("{month}", str(month))
        path = Path(pattern)
        return path if path.is_absolute() else self.base_dir / path

    def secret(self, key: str) -> str:
        """The credential ``key``, read from the environment variable the config names."""
        variable = self.credential_env.get(key)
        if not variable:
            raise ConfigError(f"{self.name}: no environment variable named for {key!r}")
        value = os.environ.get(variable)
        if not value:
            raise ConfigError(
                f"{self.name}: environment variable {variable} (credential {key!r}) is not set"
            )
        return value


@dataclass(frozen=True)
class Config:
    institution_id: str
    institution_name: str
    path: Path
    sources: dict[str, SourceConfig]
    raw: dict[str, Any]

    def check_credentials(self, names: list[str] | None = None) -> None:
        """A ConfigError listing every credential variable that is not set, of the
        sources ``names`` (default all): caught before anything is fetched."""
        missing = [
            f"{name}: environment variable {variable} (credential {key!r}) is not set"
            for name, source in self.sources.items()
            if names is None or name in names
            for key, variable in source.credential_env.items()
            if not os.environ.get(variable)
        ]
        if missing:
            raise ConfigError("missing credentials:\n  " + "\n  ".join(missing))

    def source(self, name: str) -> SourceConfig:
        try:
            return self.sources[name]
        except KeyError:
            raise ConfigError(f"{self.path}: no source {name!r} configured") from None


def _expand(value: Any, where: str) -> Any:
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise ConfigError(f"{where}: environment variable {name} is not set")
            return os.environ[name]

        return _ENV_RE.sub(replace, value)
    if isinstance(value, dict):
        return {k: _expand(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def load_config(path: Path | str, expand: bool = True) -> Config:
    """Read and check a configuration file; raise ConfigError naming what is wrong.

    ``expand=False`` leaves ``${VAR}`` unfilled, for commands that read only the
    published figures (reports) and need none of the sources' environment.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    found = config_schema.problems(document, text, str(path))
    if found:
        raise ConfigError("the configuration has errors:\n  " + "\n  ".join(found))
    institution = document["institution"]
    sources: dict[str, SourceConfig] = {}
    for name, settings in (document.get("sources") or {}).items():
        if not isinstance(settings, dict):
            raise ConfigError(f"{path}: sources.{name} must be a mapping")
        if settings.get("enabled", True) is False:
            continue
        credentials = settings.pop("credentials", None) or {}
        sources[name] = SourceConfig(
            name=name,
            settings=_expand(settings, f"{path.name}: sources.{name}") if expand else settings,
            base_dir=path.parent,
            credential_env={str(k): str(v) for k, v in credentials.items()},
        )
    return Config(
        institution_id=str(institution["id"]),
        institution_name=str(institution.get("name", institution["id"])),
        path=path,
        sources=sources,
        raw=document,
    )
