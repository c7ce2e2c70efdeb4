"""Read an NFU export and check it against the contract, naming the file and the problem.

The checks, in order: it is a Parquet file; its metadata has every contract key and an
accepted schema version; its columns are exactly the contract's, with the contract's
types (an extra column is refused: it could carry personal data); every row names a
known metric with the contract's unit, kind and level; no figure describes fewer
than ``min_group_size`` people; and a figure appears once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from groendraad.metrics.disclosure import small_group_filter
from groendraad.nfu.contract import Contract, ContractError, load_contract

KEY = ["institution", "period", "level", "division", "metric", "category"]


@dataclass(frozen=True)
class ExportFile:
    """A checked export: its rows, its metadata and where it came from."""

    path: Path
    frame: pl.DataFrame
    metadata: dict[str, str]

    @property
    def institution(self) -> str:
        return self.metadata["nfu.institution"]


def read_export(path: Path, contract: Contract | None = None) -> ExportFile:
    """Read and check one export file; ContractError names the file and the problem."""
    contract = contract or load_contract()
    table = _read_table(path)
    metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    check_metadata(path, metadata, contract)
    table = with_later_columns(table, metadata["nfu.schema_version"], contract)
    check_columns(path, table.schema, contract)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    check_rows(path, frame, metadata, contract)
    return ExportFile(path, frame, metadata)


def _read_table(path: Path) -> pa.Table:
    """The file as an Arrow table (ParquetFile: read_table's dataset layer costs seconds)."""
    if not path.is_file():
        raise ContractError(path, "no such file")
    try:
        with pq.ParquetFile(path) as parquet:
            return parquet.read()
    except (pa.ArrowInvalid, OSError) as exc:
        raise ContractError(path, f"not a readable Parquet file ({exc})") from None


def with_later_columns(table: pa.Table, version: str, contract: Contract) -> pa.Table:
    """A file of an earlier accepted version, with the columns added since as nulls."""
    order = list(contract.accepted_versions)
    for index, column in enumerate(contract.columns):
        since = column.get("since")
        if (
            since
            and order.index(version) < order.index(since)
            and column["name"] not in table.schema.names
        ):
            field = contract.arrow_schema().field(column["name"])
            table = table.add_column(index, field, pa.nulls(table.num_rows, field.type))
    return table


def check_metadata(path: Path, metadata: dict[str, str], contract: Contract) -> None:
    """The schema version is accepted and every contract metadata key is present."""
    version = metadata.get("nfu.schema_version")
    if version is None:
        raise ContractError(path, "no nfu.schema_version in the file metadata: not an NFU export")
    if version not in contract.accepted_versions:
        accepted = ", ".join(contract.accepted_versions)
        raise ContractError(
            path, f"schema version {version!r} is not accepted (accepted: {accepted})"
        )
    missing = sorted(set(contract.metadata) - set(metadata))
    if missing:
        raise ContractError(path, f"metadata key(s) missing: {', '.join(missing)}")
    if metadata["nfu.min_group_size"] != str(contract.min_group_size):
        raise ContractError(
            path,
            f"min_group_size {metadata['nfu.min_group_size']} is not {contract.min_group_size}",
        )


def check_columns(path: Path, schema: pa.Schema, contract: Contract) -> None:
    """Exactly the contract's columns, each with the contract's Arrow type."""
    expected = contract.arrow_schema()
    missing = [n for n in expected.names if n not in schema.names]
    if missing:
        raise ContractError(path, f"missing column(s): {', '.join(missing)}")
    extra = [n for n in schema.names if n not in expected.names]
    if extra:
        raise ContractError(
            path,
            f"column(s) not in the contract (refused: they could hold "
            f"personal data): {', '.join(extra)}",
        )
    for field in expected:
        found = schema.field(field.name).type
        if found != field.type:
            raise ContractError(
                path, f"column {field.name!r} has type {found}, the contract says {field.type}"
            )


def check_rows(
    path: Path, frame: pl.DataFrame, metadata: dict[str, str], contract: Contract
) -> None:
    """Rows: known metrics with the contract's unit, kind and level; no small groups."""
    _no_nulls(path, frame, contract)
    others = frame.filter(pl.col("institution") != metadata["nfu.institution"])
    if others.height:
        raise ContractError(
            path,
            f"rows of institution {others['institution'][0]!r} in the "
            f"export of {metadata['nfu.institution']!r}",
        )
    _known_metrics(path, frame, contract)
    _no_small_groups(path, frame, contract)
    dupes = frame.filter(pl.struct(KEY).is_duplicated())
    if dupes.height:
        first = dupes.row(0, named=True)
        raise ContractError(
            path,
            f"figure appears twice: {first['metric']} {first['category']} "
            f"{first['level']} {first['division']} {first['period']}",
        )


def _no_nulls(path: Path, frame: pl.DataFrame, contract: Contract) -> None:
    for column in contract.columns:
        if not column["nullable"] and frame[column["name"]].null_count():
            raise ContractError(path, f"column {column['name']!r} has empty values")


def _known_metrics(path: Path, frame: pl.DataFrame, contract: Contract) -> None:
    unknown = sorted(set(frame["metric"].unique()) - set(contract.metrics))
    if unknown:
        raise ContractError(path, f"unknown metric(s): {', '.join(unknown[:5])}")
    rules = contract.rules_frame().rename({"unit": "c_unit", "kind": "c_kind", "theme": "c_theme"})
    joined = frame.join(rules, on=["metric", "level"], how="left")
    wrong_level = joined.filter(pl.col("c_unit").is_null())
    if wrong_level.height:
        row = wrong_level.row(0, named=True)
        raise ContractError(
            path, f"metric {row['metric']} is not allowed at level {row['level']!r}"
        )
    for column in ("unit", "kind", "theme"):
        wrong = joined.filter(pl.col(column) != pl.col(f"c_{column}"))
        if wrong.height:
            row = wrong.row(0, named=True)
            raise ContractError(
                path,
                f"metric {row['metric']} has {column} {row[column]!r}, "
                f"the contract says {row['c_' + column]!r}",
            )
    bad_quality = frame.filter(~pl.col("quality").is_in(list(contract.qualities)))
    if bad_quality.height:
        raise ContractError(path, f"unknown quality {bad_quality['quality'][0]!r}")


def _no_small_groups(path: Path, frame: pl.DataFrame, contract: Contract) -> None:
    """People counts below the minimum, or a mobility figure without its count."""
    limit = contract.min_group_size
    small = frame.filter(small_group_filter(contract.min_group_size))
    if small.height:
        row = small.row(0, named=True)
        raise ContractError(
            path,
            f"{small.height} figure(s) of fewer than {limit} people or "
            f"without a people count, e.g. {row['metric']} {row['category']} "
            f"{row['level']} {row['division']} {row['period']} (people "
            f"{row['people']})",
        )
