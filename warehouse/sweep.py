"""Sweep the temporary files and folders a killed run left in the warehouse.

Every writer here writes under a hidden temporary name and renames into place; a run
killed mid-write leaves that temporary behind. They are ours by their names only:

    .tmp-<32 hex>                    a raw delivery being kept (raw/<source>/month=M/)
    .<name>.tmp-<8 hex>              a file being written (part-0.parquet, v0001.parquet,
                                     metrics_current.parquet, runs, results) or a site
                                     being built (.site.tmp-...)
    .<name>.old-<8 hex>              a site being replaced

and stale when found by a command holding the warehouse lock (every writer holds it,
so nothing is being written) and not needed by an interrupted publication (those are
completed first, see commit.py). Nothing else is ever deleted.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from groendraad.warehouse import commit

OURS = re.compile(r"^(\.tmp-[0-9a-f]{32}|\..+\.(tmp|old)-[0-9a-f]{8})$")


def recover_and_sweep(root: Path, extra: tuple[Path, ...] = ()) -> list[Path]:
    """Complete interrupted publications, then remove stale temporaries under ``root``
    (and beside each folder in ``extra``, e.g. a site written outside it); what went."""
    commit.recover(root)
    return sweep(root, extra)


def sweep(root: Path, extra: tuple[Path, ...] = ()) -> list[Path]:
    """Remove our stale temporaries under ``root`` and beside ``extra``; what went."""
    keep = commit.pending(root)
    found = [p for p in _ours_under(root) if p not in keep]
    for folder in extra:
        found += [p for p in beside(folder) if p not in keep]
    remove(found)
    return found


def beside(folder: Path) -> list[Path]:
    """Our temporaries of ``folder`` itself: ``.<name>.tmp-xxxxxxxx``, ``.<name>.old-...``."""
    if not folder.parent.is_dir():
        return []
    return [p for p in folder.parent.iterdir() if _beside(p, folder)]


def remove(found: list[Path]) -> None:
    """Delete each path (a folder with all it holds)."""
    for path in found:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _ours_under(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in [d for d in dirs if OURS.match(d)]:
            found.append(base / name)
            dirs.remove(name)  # never walk into a temporary folder
        found += [base / name for name in files if OURS.match(name)]
    return found


def _beside(path: Path, folder: Path) -> bool:
    """A temporary of ``folder`` itself: ``.<folder name>.tmp-xxxxxxxx`` or ``.old-``."""
    return bool(OURS.match(path.name)) and path.name.startswith(f".{folder.name}.")
