"""Runs `sla-flags` once in a process of its own and holds the job's lock until told to let go.

Usage: python job_lock_holder.py READY_FILE RELEASE_FILE. Writes READY_FILE once it holds the
lock, waits (at most a minute) for RELEASE_FILE, finishes the run and prints the JSON summary.
"""
from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path


def main(ready: Path, release: Path) -> None:
    from app import create_app
    from app.jobs import registry, runner
    from config import TestConfig

    app = create_app(TestConfig)
    spec = registry.get_job("sla-flags")

    def held_run(context):
        ready.write_text("holding the sla-flags lock")
        deadline = time.monotonic() + 60
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return spec.run(context)

    registry.register(dataclasses.replace(spec, run=held_run))
    with app.app_context():
        print(json.dumps(runner.summary("sla-flags", runner.run_job("sla-flags"))), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
