"""`make run`'s last step, scripts/run-demo.sh, on ports that are taken."""
from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("taken", ["web", "simulator"])
def test_a_port_in_use_stops_the_demo_before_anything_starts(tmp_path, taken):
    """A second `make run` started a second simulator and scheduler (overwriting the first one's
    logs) and only then failed on the web port with Werkzeug's message."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        web, sim = (busy, _free_port()) if taken == "web" else (_free_port(), busy)
        result = subprocess.run(["bash", "scripts/run-demo.sh", "127.0.0.1", str(web), str(sim), "pw"], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"Port {busy} on 127.0.0.1" in result.stderr and "is already in use" in result.stderr
    assert "make run PORT=8081 SIM_PORT=8091" in result.stderr
    assert "simulator:" not in result.stdout and "Scheduler running" not in result.stdout
