"""No telemetry anywhere: the commands and the servers they start opt out, and the
documented `prefect server start` does too."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "operations.md"

PROBE = """
import sys
sys.argv = ["groendraad", "--version"]
from groendraad.cli import main
try:
    main()
except SystemExit:
    pass
from prefect.settings import Settings
import os
print(os.environ.get("PREFECT_SERVER_ANALYTICS_ENABLED"), os.environ.get("GX_ANALYTICS_ENABLED"))
print(Settings().server.analytics_enabled)
"""


def test_a_command_switches_telemetry_off_for_the_servers_it_starts() -> None:
    env = {k: v for k, v in os.environ.items() if "ANALYTICS" not in k}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == ["false false", "False"]


def test_the_documented_prefect_server_start_has_analytics_off() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    starting = [b for b in blocks if "prefect server start" in b]
    assert starting
    for block in starting:
        before = block[: block.index("prefect server start")]
        assert "PREFECT_SERVER_ANALYTICS_ENABLED=false" in before, block
