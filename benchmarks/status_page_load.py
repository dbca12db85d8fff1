"""The public status page under load: gunicorn with the production settings (gunicorn.conf.py) on
loopback, against a scratch PostgreSQL database of demo cases, driven by wrk from a second process
over many tracking codes.

Target (issue "The public side"): at least 800 requests a second with a 99th percentile under
50 ms on a 2-core machine.

    .venv/bin/python benchmarks/status_page_load.py [--cases 50000] [--codes 5000] [--duration 15]

wrk is installed with apt-get when missing (it needs root or sudo); without it the script says so
and stops. Everything stays on 127.0.0.1; the server and wrk are stopped at the end.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _support import ROOT, make_app, scratch_database

LUA = """
-- Each request asks for the status page of a random case among the codes below.
local paths = {%s}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk (the HTTP load generator) is not installed: installing it with apt-get install -y wrk ...")
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for command in (prefix + ["apt-get", "install", "-y", "-q", "wrk"],
                    prefix + ["apt-get", "update", "-q"], prefix + ["apt-get", "install", "-y", "-q", "wrk"]):
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, check=False)
        if shutil.which("wrk"):
            return shutil.which("wrk")
    sys.exit("Could not install wrk. Install it yourself (sudo apt-get install wrk) and run this again.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_database(cases: int, codes: int) -> tuple[str, list[str]]:
    url = scratch_database("rueang_bench_public")
    application = make_app(url)
    from app.extensions import db
    from app.services.demo import load_cases

    with application.app_context():
        started = time.perf_counter()
        load_cases(cases)
        db.session.execute(db.text('ANALYZE "case"'))
        db.session.execute(db.text("ANALYZE case_event"))
        db.session.commit()
        print(f"loaded {cases:,} demo cases in {time.perf_counter() - started:.1f} s")
        chosen = list(db.session.execute(db.text(
            'SELECT tracking_code FROM "case" ORDER BY random() LIMIT :n'), {"n": codes}).scalars())
        statuses = dict(db.session.execute(db.text('SELECT status, COUNT(*) FROM "case" GROUP BY status')).all())
    print(f"{len(chosen):,} tracking codes drawn at random; cases by status: {statuses}")
    return url, chosen


def start_server(url: str, port: int) -> subprocess.Popen:
    # Workers are not recycled during the runs, so their CPU time can be read at the end.
    env = dict(os.environ, RUEANG_ENV="production", SECRET_KEY=secrets.token_urlsafe(48), DATABASE_URL=url,
               RUEANG_BIND=f"127.0.0.1:{port}", RUEANG_LOG_LEVEL="warning", RUEANG_MAX_REQUESTS="0")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
                              cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not answer /health within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def unloaded_latency(port: int, codes: list[str], count: int = 200) -> float:
    """Median of single requests one after another on one keep-alive connection."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    samples = []
    for code in codes[:count]:
        started = time.perf_counter()
        connection.request("GET", f"/track/{code}")
        response = connection.getresponse()
        response.read()
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, (code, response.status)
    connection.close()
    return statistics.median(samples)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def _group(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                pids.append(int(entry.name))
    return pids


def _backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database (and no one else's)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres") as c:
        return [row[0] for row in c.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))]


def run_wrk(wrk: str, port: int, script: str, seconds: int, connections: int, threads: int,
            server: subprocess.Popen | None = None, url: str | None = None) -> dict:
    server_pids = _group(server.pid) if server else []
    backend_pids = _backends(url) if url else []
    before = (_cpu_seconds(server_pids), _cpu_seconds(backend_pids), resource.getrusage(resource.RUSAGE_CHILDREN))
    output = subprocess.run([wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script,
                             f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    app_cpu = _cpu_seconds(server_pids) - before[0]
    db_cpu = _cpu_seconds(backend_pids) - before[1]
    wrk_cpu = (after.ru_utime + after.ru_stime) - (before[2].ru_utime + before[2].ru_stime)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    per_request = {name: cpu * 1000 / max(requests, 1) for name, cpu in
                   (("app", app_cpu), ("db", db_cpu), ("wrk", wrk_cpu))}
    return {"rps": rate, "p99": p99, "p50": p50, "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "none", "cpu_ms": per_request}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--codes", type=int, default=5_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per measured run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    args = parser.parse_args()

    wrk = ensure_wrk()
    url, codes = load_database(args.cases, args.codes)
    port = free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ", ".join(f'"/track/{code}"' for code in codes))
    server = start_server(url, port)
    try:
        import multiprocessing

        print(f"gunicorn (gunicorn.conf.py) on 127.0.0.1:{port}, {multiprocessing.cpu_count()} cores; "
              f"wrk -t{args.threads} -c{args.connections}, {args.runs} runs of {args.duration} s")
        # Other work on the machine shares the same cores: say how busy it was.
        print("load average before the runs (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(f"unloaded: median {unloaded_latency(port, codes):.2f} ms per status page (one connection)")
        run_wrk(wrk, port, script.name, 5, args.connections, args.threads)  # warm-up: pools, caches
        runs = [run_wrk(wrk, port, script.name, args.duration, args.connections, args.threads, server, url)
                for _ in range(args.runs)]
        print("load average after the runs (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    finally:
        stop(server)
        Path(script.name).unlink(missing_ok=True)
    for number, run in enumerate(runs, start=1):
        cpu = run["cpu_ms"]
        print(f"run {number}: {run['rps']:.0f} requests/s, p50 {run['p50']:.1f} ms, p99 {run['p99']:.1f} ms, "
              f"non-2xx {run['non_2xx']}, socket errors {run['socket_errors']}; CPU per request: "
              f"gunicorn {cpu['app']:.2f} ms, PostgreSQL {cpu['db']:.2f} ms, wrk {cpu['wrk']:.2f} ms")
    rps = statistics.median(r["rps"] for r in runs)
    p99 = statistics.median(r["p99"] for r in runs)
    print(f"median of {len(runs)} runs: {rps:.0f} requests/s (target >= 800: ratio {rps / 800:.2f}), "
          f"p99 {p99:.1f} ms (target < 50 ms: ratio {p99 / 50:.2f})")
    # What the same work would allow with the cores to itself: other jobs on a shared machine take
    # CPU from this one, but not CPU time per request.
    cost = statistics.median(sum(r["cpu_ms"].values()) for r in runs)
    cores = os.cpu_count() or 1
    print(f"median CPU per request, server + database + load generator: {cost:.2f} ms, so {cores} idle cores "
          f"could serve about {cores * 1000 / cost:.0f} requests/s (ratio to 800: {cores * 1000 / cost / 800:.2f})")
    if any(r["non_2xx"] for r in runs):
        print("WARNING: some answers were not 200")


if __name__ == "__main__":
    main()
