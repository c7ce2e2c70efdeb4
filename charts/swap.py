"""Put a freshly built site in the place of the old one, all at once; never delete
a folder that is not a site this program wrote.

A site folder carries a marker file (``MARKER``). ``--out`` may name a new folder, an
empty one, or one holding a site of ours; any other folder with something in it is
refused, so a mistyped ``--out`` never deletes someone's files.

The swap is one ``renameat2(RENAME_EXCHANGE)`` on Linux: at every instant the path
holds the whole old site or the whole new one. Where the kernel or file system cannot
exchange, two renames run under one commit point (warehouse/commit.py), which the
next command completes after a crash between them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import uuid
from pathlib import Path

from groendraad.crashpoints import reached
from groendraad.errors import ConfigError
from groendraad.warehouse import commit

MARKER = ".groendraad-site"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class NotOurSite(ConfigError):
    """``--out`` names a folder with other content than a site we wrote."""


def check_target(out: Path, warehouse: Path) -> None:
    """Refuse ``out`` when it holds anything but a site of ours (exit code 2)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise NotOurSite(f"{out}: exists and is not a folder; choose another --out")
    if not out.is_dir() or not any(out.iterdir()) or (out / MARKER).is_file():
        return
    if out == (warehouse / "site").resolve() and _legacy_site(out):
        return  # the warehouse's own site, written before sites carried the marker
    raise NotOurSite(
        f"{out}: this folder is not empty and holds no site written by groendraad "
        f"(no {MARKER} file); nothing was changed. Choose a new or empty folder for --out"
    )


def _legacy_site(out: Path) -> bool:
    return (out / "index.html").is_file() and (out / "assets" / "site.css").is_file()


def mark(built: Path) -> None:
    """Mark a built folder as a site of ours."""
    (built / MARKER).write_text("Written by groendraad pages; replaced on every run.\n")


def swap(built: Path, out: Path, warehouse: Path) -> None:
    """Make ``built`` the site at ``out`` in one step; the previous site is removed."""
    if not out.exists():
        os.rename(built, out)
        return
    if _exchange(built, out):
        reached("after-site-exchange")
        shutil.rmtree(built, ignore_errors=True)  # now the previous site
        return
    old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
    commit.commit(warehouse, "site", [(out, old), (built, out)], remove=[old])


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where not supported."""
    if not sys.platform.startswith("linux") or os.environ.get("GROENDRAAD_NO_EXCHANGE"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
