"""A re-fetched identical delivery is kept once, but its errors name where it came from now.

The raw layer stores identical bytes once, under the location of the first fetch; the
Prefect flows stage from the kept copy, so they used to name a path or server the
coordinator had long replaced (issue 18, finding 6).
"""

from __future__ import annotations

from pathlib import Path

from groendraad import steps
from groendraad.config import load_config
from groendraad.months import Month

MONTH = Month(2025, 10)
BAD_WASTE = b"Datum;Locatie\nnot a waste delivery at all\n"


def configured(tmp_path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"afval_{MONTH}.csv").write_bytes(BAD_WASTE)
    config = tmp_path / f"{folder.name}.yaml"
    config.write_text(
        "institution: {id: t, name: T}\n"
        f"sources:\n  waste:\n    path: \"{folder}/afval_{{month}}.csv\"\n",
        encoding="utf-8",
    )
    return config


def test_an_identical_refetch_names_the_current_location(tmp_path: Path) -> None:
    root = tmp_path / "wh"
    old = load_config(configured(tmp_path, tmp_path / "old-share"))
    first = steps.fetch(old, root, "waste", MONTH)
    new = load_config(configured(tmp_path, tmp_path / "new-share"))
    again = steps.fetch(new, root, "waste", MONTH)
    assert again.raw_path == first.raw_path  # kept once
    staged = steps.stage(new, root, "waste", MONTH, again, None, run_id="r1")
    assert staged.status == "failed" and staged.error
    assert "new-share" in staged.error and "old-share" not in staged.error
