"""How fast the rest_json connector fetches and parses a departmental feed over real HTTP.

Starts the simulator on loopback, generates 100,000 updates over 100,000 references, then
times `list(connector.fetch_updates(since))` (every page requested, decoded and turned into
ExternalUpdate objects) three times and prints the median in updates per second. The sync
benchmark compares its own end-to-end time with this figure.

    .venv/bin/python benchmarks/connector_fetch.py [--updates N] [--page-size M] [--runs R]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.connectors import build_connector  # noqa: E402
from app.simulator.server import running_simulator  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with running_simulator(populate=False) as sim:
        began = time.perf_counter()
        answer = requests.post(
            f"{sim.url}/_control/generate",
            json={"agency": "DIW", "count": args.updates, "updates_per_case": 1},
            timeout=120,
        )
        answer.raise_for_status()
        generated = answer.json()
        generation_seconds = time.perf_counter() - began
        print(f"generated {generated['updates']:,} updates over {generated['cases']:,} references "
              f"in {generation_seconds:.2f} s (server side {generated['seconds']:.2f} s)")

        settings = {"base_url": sim.rest_url("DIW"), "token": sim.token, "page_size": args.page_size}
        since = datetime(2000, 1, 1, tzinfo=UTC)
        timings = []
        for run in range(1, args.runs + 1):
            with build_connector("rest_json", settings) as connector:
                began = time.perf_counter()
                updates = list(connector.fetch_updates(since))
                elapsed = time.perf_counter() - began
            if len(updates) != args.updates:
                raise SystemExit(f"run {run}: fetched {len(updates)} updates, expected {args.updates}")
            timings.append(elapsed)
            print(f"run {run}: {len(updates):,} updates in {elapsed:.3f} s = {len(updates) / elapsed:,.0f} updates/s")
        pages = sim.simulator.stats()["by_endpoint"].get("rest.updates", 0) // args.runs

    median = statistics.median(timings)
    rate = args.updates / median
    print(f"median of {args.runs}: {median:.3f} s for {args.updates:,} updates "
          f"({pages} pages of {args.page_size}) = {rate:,.0f} updates/s")
    print(json.dumps({
        "benchmark": "connector_fetch",
        "updates": args.updates,
        "page_size": args.page_size,
        "pages_per_run": pages,
        "runs": [round(t, 4) for t in timings],
        "median_seconds": round(median, 4),
        "updates_per_second": round(rate),
        "generation_seconds": round(generation_seconds, 3),
    }))


if __name__ == "__main__":
    main()
