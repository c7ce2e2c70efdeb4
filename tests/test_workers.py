"""Worker processes: how many a run starts, and that work runs in them."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from groendraad.errors import ConfigError, SourceError
from groendraad.expectations import engine
from groendraad.months import Month
from groendraad.workers import WORKERS_ENV, Workers, worker_count


def test_one_worker_for_a_month_and_up_to_two_for_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert (worker_count(1), worker_count(12)) == (1, 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert worker_count(12) == 1


@pytest.mark.parametrize(("value", "count"), [("0", 0), ("3", 3), (" 1 ", 1)])
def test_the_environment_sets_the_count(monkeypatch: pytest.MonkeyPatch, value, count) -> None:
    monkeypatch.setenv(WORKERS_ENV, value)
    assert worker_count(5) == count


@pytest.mark.parametrize("value", ["two", "-1", "1.5"])
def test_a_bad_count_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch, value) -> None:
    monkeypatch.setenv(WORKERS_ENV, value)
    with pytest.raises(ConfigError, match=WORKERS_ENV):
        worker_count(5)


def test_without_workers_work_runs_here_and_errors_come_back() -> None:
    with Workers(0) as workers:
        assert workers.submit(os.getpid).result() == os.getpid()
        with pytest.raises(ZeroDivisionError):
            workers.submit(divmod, 1, 0).result()


@pytest.mark.slow
def test_workers_are_other_processes_with_gx_imported_at_start() -> None:
    with Workers(2) as workers:
        pids = {workers.submit(os.getpid).result() for _ in range(4)}
        setups = [workers.submit(engine.setup_seconds).result() for _ in range(4)]
    assert os.getpid() not in pids
    assert all(seconds is not None and seconds > 0 for seconds in setups)  # built at start


@pytest.mark.slow
def test_a_worker_that_dies_fails_the_source_month_with_a_clear_error() -> None:
    with Workers(1) as workers:
        with pytest.raises(BrokenProcessPool):
            workers.submit(os._exit, 3).result()
        with pytest.raises(
            SourceError,
            match="^waste: .*could not be validated: a validation worker process stopped",
        ):
            workers.validate(
                "waste", Month(2025, 10), {}, warehouse=None, reference_organisation=None,
                run_id="test",
            )  # fmt: skip
