"""The schema of the configuration file, and located errors against it.

Every section and setting the pipeline reads is declared here (pydantic v2, unknown
keys forbidden), so a typo is an error instead of a silently dropped source or
ignored setting: ``groendraad.yaml:14: sources.wast: unknown source 'wast' (did you
mean 'waste'?)``. Values may be ``${VAR}`` references; they are checked for their
shape here and filled in from the environment when the file is loaded.
"""

from __future__ import annotations

import codecs
import difflib
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticError

EnvRef = Annotated[str, StringConstraints(pattern=r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")]
Number = Annotated[float, Field(ge=0)] | EnvRef
Count = Annotated[int, Field(ge=0)] | EnvRef


def _known_encoding(name: str) -> str:
    if name.lower() != "auto" and "${" not in name:
        try:
            codecs.lookup(name)
        except LookupError:
            raise ValueError(f"unknown encoding {name!r} (use auto, utf-8-sig or cp1252)") from None
    return name


Encoding = Annotated[str, AfterValidator(_known_encoding)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _Source(_Strict):
    enabled: bool = True
    credentials: dict[str, str] = Field(default_factory=dict)
    timeout_s: Number | None = None  # per read
    deadline_s: Number | None = None  # the whole fetch


class _ApiSource(_Source):
    base_url: str
    max_retries: Count | None = None
    concurrency: Count | None = None


class _FileSource(_Source):
    path: str
    encoding: Encoding = "auto"


class Reference(_Source):
    key_figures: str
    organisation: str
    encoding: Encoding = "auto"


class Energy(_ApiSource):
    pass


class FoodWaste(_ApiSource):
    sites: list[str] = Field(min_length=1)


class Disposables(_Source):
    path: str
    sheet: str = "Uitgifte"
    header_row: Count = 3
    max_cells: Count | None = None  # a workbook's used range is bounded before reading


class Mobility(_Source):
    commuting: str
    business_travel: str
    encoding: Encoding = "auto"
    flight_uplift: Number | None = None


class Sources(_Strict):
    reference: Reference | None = None
    energy: Energy | None = None
    waste: _FileSource | None = None
    food_waste: FoodWaste | None = None
    disposables: Disposables | None = None
    mobility: Mobility | None = None
    medicine_waste: _FileSource | None = None


class Institution(_Strict):
    id: str = Field(min_length=1)
    name: str | None = None


class Orchestration(_Strict):
    fetch_retries: Count | None = None
    fetch_retry_delay_s: Number | None = None
    fetch_timeout_s: Number | None = None
    fetch_cache_minutes: Number | None = None


class Email(_Strict):
    smtp_host: str
    port: Count = 587
    sender: str = Field(alias="from")
    to: str | list[str] = Field(min_length=1)
    username_env: str | None = None
    password_env: str | None = None
    starttls: bool | None = None


class Notifications(_Strict):
    webhook_url_env: str | None = None
    email: Email | None = None


class GapFilling(_Strict):
    method: str = "none"


class ConfigFile(_Strict):
    """The whole file: institution, sources, and the optional sections.

    ``emissions`` (market-based electricity, the fixed-factor year) is checked by the
    emissions settings themselves; here only its place is known.
    """

    institution: Institution
    sources: Sources = Field(default_factory=Sources)
    orchestration: Orchestration | None = None
    notifications: Notifications | None = None
    gap_filling: GapFilling | None = None
    emissions: dict[str, Any] | None = None


def problems(document: Any, text: str, file_name: str) -> list[str]:
    """Every place where ``document`` (parsed from ``text``) breaks the schema, as
    ``file:line: key.path: what is wrong``; empty when it is valid."""
    try:
        ConfigFile.model_validate(document)
    except PydanticError as exc:
        lines = _key_lines(text)
        return [_describe(error, loc, lines, file_name) for loc, error in _by_key(exc.errors())]
    return []


def _by_key(errors: list[Any]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """One error per key: of a value that is "a number or ${VAR}", the number's."""
    chosen: dict[tuple[str, ...], dict[str, Any]] = {}
    for error in errors:
        parts = [str(p) for p in error["loc"]]
        branch = parts and parts[-1] in _BRANCHES
        loc = tuple(parts[:-1] if branch else parts)
        if loc not in chosen or chosen[loc]["loc"][-1] == "constrained-str":
            chosen[loc] = error
    return list(chosen.items())


_BRANCHES = {"constrained-float", "constrained-int", "constrained-str", "float", "int", "str"}


def _describe(
    error: dict[str, Any], loc: tuple[str, ...], lines: dict[tuple[str, ...], int], file_name: str
) -> str:
    where = ".".join(loc) or "(top level)"
    line = _line_of(loc, lines)
    prefix = f"{file_name}:{line}" if line else file_name
    return f"{prefix}: {where}: {_message(error, loc)}"


def _message(error: dict[str, Any], loc: tuple[str, ...]) -> str:
    if error["type"] == "extra_forbidden":
        key, known = loc[-1], _known_keys(loc[:-1])
        noun = {("sources",): "source", (): "section"}.get(loc[:-1], "setting")
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
        return f"unknown {noun} {key!r}{hint}"
    if error["type"] == "missing":
        return "required, but missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    if str(error["loc"][-1]) in _BRANCHES:
        message += " (or a ${VAR} reference)"
    return message


def _known_keys(parent: tuple[str, ...]) -> list[str]:
    model: Any = ConfigFile
    for key in parent:
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        annotation = fields[key].annotation
        model = next(
            a for a in getattr(annotation, "__args__", (annotation,)) if a is not type(None)
        )
    return [f.alias or name for name, f in model.model_fields.items()]


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line of every mapping key in the YAML ``text``, by key path."""
    found: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found[(*path, str(key.value))] = key.start_mark.line + 1
                walk(value, (*path, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                found[(*path, str(index))] = item.start_mark.line + 1
                walk(item, (*path, str(index)))

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return found
    if root is not None:
        walk(root, ())
    return found


def _line_of(loc: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> int | None:
    """The line of ``loc``, or of its nearest ancestor (a missing key: its parent)."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
