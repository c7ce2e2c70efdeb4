"""The raw layer: every delivery kept byte for byte, with its hash, source, location, time.

Layout::

    raw/<source>/month=YYYY-MM/<fetched UTC>_<sha256[:12]>/
        <each delivered file or response body, under its own name>
        manifest.json   source, month, sha256, fetched_at, parts (name, location, sha256, bytes)

A delivery directory is written under a hidden temporary name and renamed into place
once complete. The same bytes fetched again are stored once (matched on sha256).
Deliveries are never modified or deleted, including those that later fail to parse.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from groendraad.months import Month
from groendraad.sources.base import RawDelivery, RawPart
from groendraad.warehouse.files import publish_directory

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class StoredDelivery:
    path: Path
    sha256: str
    reused: bool  # True if identical bytes were already stored


def month_dir(root: Path, source: str, month: Month) -> Path:
    return root / "raw" / source / f"month={month}"


def find_delivery(root: Path, source: str, month: Month, sha256: str) -> Path | None:
    """The stored directory of a delivery with this hash, if any."""
    base = month_dir(root, source, month)
    matches = sorted(base.glob(f"*_{sha256[:12]}/{MANIFEST}")) if base.is_dir() else []
    for manifest in matches:
        if json.loads(manifest.read_text(encoding="utf-8"))["sha256"] == sha256:
            return manifest.parent
    return None


def kept_earlier_elsewhere(root: Path, stored: Path) -> Path | None:
    """A delivery of the same source for another month whose files are byte for byte
    those of ``stored`` (whatever their names), kept before it, if any."""
    contents = _contents(json.loads((stored / MANIFEST).read_text(encoding="utf-8")))
    for manifest in sorted(stored.parent.parent.glob(f"month=*/*/{MANIFEST}")):
        other = manifest.parent
        if other.name.startswith(".") or other.parent == stored.parent:
            continue  # a delivery still being written by a run of another month, or this month
        if other.name >= stored.name:
            continue
        try:
            kept = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # renamed away or half-written: not a kept delivery
        if _contents(kept) == contents:
            return other
    return None


def _contents(manifest: dict) -> list[str]:
    return [part["sha256"] for part in manifest["parts"]]


def store(root: Path, delivery: RawDelivery) -> StoredDelivery:
    """Keep ``delivery`` in the raw layer (once per distinct content); return where it is."""
    sha = delivery.sha256
    existing = find_delivery(root, delivery.source, delivery.month, sha)
    if existing is not None:
        return StoredDelivery(existing, sha, reused=True)
    fetched = min((p.fetched_at for p in delivery.parts), default=None)
    stamp = fetched.strftime("%Y%m%dT%H%M%S%fZ") if fetched else "empty"
    base = month_dir(root, delivery.source, delivery.month)
    base.mkdir(parents=True, exist_ok=True)
    staged = base / f".tmp-{uuid.uuid4().hex}"
    staged.mkdir()
    for part in delivery.parts:
        (staged / _safe_name(part.name)).write_bytes(part.content)
    (staged / MANIFEST).write_text(json.dumps(_manifest(delivery), indent=2), encoding="utf-8")
    final = base / f"{stamp}_{sha[:12]}"
    publish_directory(staged, final)
    return StoredDelivery(final, sha, reused=False)


def load(path: Path) -> RawDelivery:
    """Read a stored delivery back, exactly as it was delivered."""
    from datetime import datetime

    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    parts = tuple(
        RawPart(
            name=p["name"],
            location=p["location"],
            content=(path / _safe_name(p["name"])).read_bytes(),
            fetched_at=datetime.fromisoformat(p["fetched_at"]),
        )
        for p in manifest["parts"]
    )
    return RawDelivery(manifest["source"], Month.parse(manifest["month"]), parts)


def deliveries(root: Path, source: str, month: Month) -> list[Path]:
    """Stored deliveries of a source-month, oldest first."""
    base = month_dir(root, source, month)
    return sorted(p.parent for p in base.glob(f"*/{MANIFEST}")) if base.is_dir() else []


def _manifest(delivery: RawDelivery) -> dict[str, object]:
    return {
        "source": delivery.source,
        "month": str(delivery.month),
        "sha256": delivery.sha256,
        "fetched_at": min(p.fetched_at for p in delivery.parts).isoformat()
        if delivery.parts
        else None,
        "parts": [
            {
                "name": p.name,
                "location": p.location,
                "sha256": p.sha256,
                "bytes": len(p.content),
                "fetched_at": p.fetched_at.isoformat(),
            }
            for p in delivery.parts
        ],
    }


def _safe_name(name: str) -> str:
    """A part name as a single path component (no directories, no leading dot)."""
    cleaned = name.replace("/", "_").replace("\\", "_").lstrip(".")
    return cleaned or "part"
