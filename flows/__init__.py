"""Prefect flows: the monthly run, a backfill over a range, a restatement of one month.

    from groendraad.flows.monthly import monthly      # also: backfill, restate

The flows only wire the steps of ``groendraad.steps`` as tasks (sources in parallel,
with retries, timeouts and caching of fetched deliveries) and leave artifacts for the
coordinator. Importing this package does not import Prefect; its modules do.
"""
