"""``groendraad demo serve``: keep the demo hospital's APIs up, for `run` and `schedule`.

`groendraad demo` serves its two HTTP sources only while it runs, so afterwards a
`groendraad schedule` of the demo has nothing to fetch from. ``demo serve`` serves
them on a fixed loopback port until stopped, with fresh credentials that it prints
and writes to ``demo.env`` (mode 0600), and writes ``served.yaml``: the demo's
configuration with the served URL filled in. The secrets stay out of the
configuration, as in a real one: it names the variables that hold them.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import click

from groendraad.demo.generate import CONFIG_FILE, MANIFEST_FILE

DEFAULT_PORT = 8765
SERVED_CONFIG, ENV_FILE = "served.yaml", "demo.env"
TOKEN_VAR, API_KEY_VAR, URL_VAR = (
    "GROENDRAAD_DEMO_ENERGY_TOKEN",
    "GROENDRAAD_DEMO_FOOD_API_KEY",
    "GROENDRAAD_DEMO_URL",
)


@click.command("serve")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-hospital"),
    show_default=True,
    help="The demo hospital that `groendraad demo` generated.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    envvar="GROENDRAAD_DEMO_PORT",
    default=DEFAULT_PORT,
    show_default=True,
    help="Loopback port of the demo APIs [env GROENDRAAD_DEMO_PORT].",
)
def serve(out: Path, port: int) -> None:
    """Serve the demo hospital's APIs on 127.0.0.1:PORT until stopped (Ctrl-C).

    Prints the credentials and writes demo.env (them) and served.yaml (the demo's
    configuration with this URL), so that while it runs, in another terminal:

    \b
      . demo-hospital/demo.env
      groendraad run --config demo-hospital/served.yaml --warehouse demo-hospital/warehouse
      groendraad schedule --config demo-hospital/served.yaml --warehouse demo-hospital/warehouse
    """
    from groendraad.cli import console
    from groendraad.demo import DemoServer, load_demo
    from groendraad.errors import ConfigError

    out = out.resolve()
    if not (out / MANIFEST_FILE).is_file():
        raise ConfigError(f"{out}: no demo hospital here (run `groendraad demo --out {out}`)")
    token, api_key = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    try:
        server = DemoServer(load_demo(out), token=token, api_key=api_key, port=port)
    except OSError as exc:
        raise ConfigError(f"127.0.0.1:{port} cannot be served ({exc.strerror}): --port") from None
    with server:
        config, env_file = write_served(out, server.url, token, api_key)
        console.print(
            f"Demo APIs serving on {server.url} (loopback only; Ctrl-C stops)\n"
            f"Credentials (also in {env_file}):\n"
            f"  export {TOKEN_VAR}={token}\n  export {API_KEY_VAR}={api_key}\n"
            f"Configuration for run and schedule: {config}\n"
            f"  . {env_file}\n"
            f"  groendraad schedule --config {config} --warehouse {out / 'warehouse'}"
        )
        _wait()


def write_served(out: Path, url: str, token: str, api_key: str) -> tuple[Path, Path]:
    """served.yaml (the demo configuration at ``url``) and demo.env (the credentials)."""
    template = (out / CONFIG_FILE).read_text(encoding="utf-8")
    config = out / SERVED_CONFIG
    config.write_text(template.replace("${" + URL_VAR + "}", url), encoding="utf-8")
    env_file = out / ENV_FILE
    descriptor = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(f"export {TOKEN_VAR}={token}\nexport {API_KEY_VAR}={api_key}\n")
    return config, env_file


def _wait() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
