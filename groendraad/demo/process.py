"""The demo server in a process of its own, so serving and gathering use both cores.

In one process the server's JSON encoding and the pipeline's parsing take turns on
one interpreter lock; the demo backfill is dominated by that.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

from groendraad.errors import GroendraadError

START_TIMEOUT_S = 60


@contextmanager
def serve_in_subprocess(out_dir: Path, *, token: str, api_key: str) -> Iterator[str]:
    """Serve the generated demo in ``out_dir`` from a child process; yield its URL."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(
        target=_serve, args=(str(out_dir), token, api_key, theirs), daemon=True
    )
    process.start()
    try:
        if not ours.poll(START_TIMEOUT_S):
            raise GroendraadError("the demo server did not start within a minute")
        yield ours.recv()
    finally:
        if process.is_alive():
            ours.send("stop")
            process.join(5)
        if process.is_alive():
            process.terminate()


def _serve(out_dir: str, token: str, api_key: str, connection: Connection) -> None:
    from groendraad.demo import DemoServer, load_demo

    with DemoServer(load_demo(Path(out_dir)), token=token, api_key=api_key) as server:
        connection.send(server.url)
        connection.recv()
