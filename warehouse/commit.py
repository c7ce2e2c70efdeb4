"""One commit point for a publication that changes several files or folders.

A source's staging tables, a run's metric versions, the chart site: each is written
aside first (temporary names), then made visible by a list of renames. A crash between
two renames would leave half of it. :func:`commit` therefore writes the list first, as
an intent file in ``<warehouse>/.commits/`` (one atomic rename: the commit point), then
does the renames, runs the kind's finisher, and removes the intent. :func:`recover`,
run whenever the warehouse lock is taken, completes every intent a crash left behind
(renames whose temporary file is still there, then the finisher). So each publication
is seen by the next command all at once or not at all: before the intent exists, only
temporary files were written (swept as stale, see sweep.py); after it, it completes.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

from groendraad.crashpoints import reached
from groendraad.warehouse.files import write_bytes_atomic

COMMITS = ".commits"
# Work to redo after a kind's renames, e.g. views derived from the metric versions.
FINISHERS = {
    "metrics": "groendraad.metrics.publish:refresh_views",
    "metrics-current": "groendraad.metrics.publish:refresh_current",
}


def commit(
    root: Path,
    kind: str,
    moves: Sequence[tuple[Path, Path]],
    *,
    link: bool = False,
    remove: Sequence[Path] = (),
) -> None:
    """Move each (temporary, final) pair into place as one publication.

    ``link``: final files are created (hard link), never replaced. ``remove``: folders
    deleted once every move is done (e.g. the previous site).
    """
    record = {
        "kind": kind,
        "link": link,
        "moves": [[_rel(root, a), _rel(root, b)] for a, b in moves],
        "remove": [_rel(root, p) for p in remove],
    }
    intent = root / COMMITS / f"{kind}-{uuid.uuid4().hex[:12]}.json"
    reached(f"before-{kind}-intent")
    write_bytes_atomic(intent, json.dumps(record).encode("utf-8"))
    reached(f"after-{kind}-intent")
    _complete(root, record)
    intent.unlink()


def recover(root: Path) -> list[str]:
    """Complete the publications a crash interrupted; the kinds completed, in order."""
    folder = root / COMMITS
    done = []
    for intent in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        record = json.loads(intent.read_text(encoding="utf-8"))
        _complete(root, record)
        intent.unlink()
        done.append(str(record["kind"]))
    return done


def pending(root: Path) -> set[Path]:
    """Temporary paths that a not yet completed publication still needs."""
    folder = root / COMMITS
    needed: set[Path] = set()
    for intent in folder.glob("*.json") if folder.is_dir() else []:
        record = json.loads(intent.read_text(encoding="utf-8"))
        needed.update(_abs(root, a) for a, _ in record["moves"])
    return needed


def _complete(root: Path, record: dict) -> None:
    kind = record["kind"]
    for number, (tmp_name, final_name) in enumerate(record["moves"], 1):
        tmp, final = _abs(root, tmp_name), _abs(root, final_name)
        if tmp.exists() or tmp.is_symlink():
            _move(tmp, final, link=bool(record["link"]))
        reached(f"after-{kind}-rename-{number}")
    for name in record["remove"]:
        shutil.rmtree(_abs(root, name), ignore_errors=True)
    finisher = FINISHERS.get(kind)
    if finisher:
        module, function = finisher.split(":")
        getattr(importlib.import_module(module), function)(root)


def _move(tmp: Path, final: Path, *, link: bool) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    if link:
        with contextlib.suppress(FileExistsError):
            os.link(tmp, final)  # a published version is never replaced
        tmp.unlink()
    else:
        os.replace(tmp, final)


def _rel(root: Path, path: Path) -> str:
    return os.path.relpath(path, root)


def _abs(root: Path, name: str) -> Path:
    return Path(os.path.normpath(root / name))
