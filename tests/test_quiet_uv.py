"""One quiet `uv run`: nothing recompiles the environment on every run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_uv_is_not_told_to_compile_bytecode_on_every_sync() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]
    assert not settings.get("compile-bytecode")
    assert "uv sync --frozen --compile-bytecode" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH")
def test_a_second_uv_run_prints_nothing_of_its_own() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"UV_COMPILE_BYTECODE", "VIRTUAL_ENV"}}
    command = ["uv", "run", "--frozen", "--no-progress", "python", "-c", "print('ok')"]
    for _ in range(2):
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("ok\n", "")
