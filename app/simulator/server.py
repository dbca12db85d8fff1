"""The departmental-system simulator as a real HTTP server (standard library, threaded).

    server = make_server(port=0, seed=2569)      # port 0: any free port
    server.serve_forever()                       # foreground, until shutdown() or Ctrl-C

    with running_simulator(seed=7, populate=False) as sim:   # a daemon thread, for tests
        connector = RestJsonConnector(sim.rest_url("DIW"), token=sim.token)

Keyword options of both are those of `DepartmentSimulator` (app/simulator/core.py): token,
speed, epoch, now, cases_per_agency, traffy_tickets, history_days, populate, faults,
traffy_username, traffy_password. The endpoints are listed in core.py.
"""
from __future__ import annotations

import logging
import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from app.simulator.core import TRAFFY_BASE, DepartmentSimulator
from app.simulator.data import DEFAULT_SEED
from app.simulator.reply import error_reply

log = logging.getLogger(__name__)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a connector reuses one connection for every page
    server_version = "RueangDepartmentSimulator/1"
    disable_nagle_algorithm = True
    timeout = 120  # an idle keep-alive connection is closed after this many seconds

    def _serve(self, method: str) -> None:
        simulator: DepartmentSimulator = self.server.simulator
        split = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        try:
            reply = simulator.handle(method, split.path, query, self.headers, body)
        except Exception:  # a bug in the simulator must not look like a deliberate fault
            log.exception("simulator failed on %s %s", method, self.path)
            reply = error_reply(500, "simulator_bug", "the simulator itself failed; see its log")
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.break_off:
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.close_connection = True
            return
        self.wfile.write(reply.body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_POST(self):  # noqa: N802
        self._serve("POST")

    def do_PATCH(self):  # noqa: N802
        self._serve("PATCH")

    def do_DELETE(self):  # noqa: N802
        self._serve("DELETE")

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            pass  # the client went away (as it does after its own timeout): nothing to answer

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        log.debug("%s %s", self.address_string(), format % args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    simulator: DepartmentSimulator


class _HTTPServer6(_HTTPServer):
    """On an IPv6 address (::1): the standard server is IPv4 only."""

    address_family = socket.AF_INET6


class SimulatorServer:
    def __init__(self, simulator: DepartmentSimulator, host: str = "127.0.0.1", port: int = 0):
        self.simulator = simulator
        server_class = _HTTPServer6 if ":" in host else _HTTPServer
        self.httpd = server_class((host, port), _RequestHandler)
        self.httpd.simulator = simulator
        self.host = host
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None
        self._serving = False
        self._closed = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def token(self) -> str:
        return self.simulator.token

    def rest_url(self, agency: str) -> str:
        """The base_url of an agency's REST/JSON departmental system."""
        return f"{self.url}/rest/{agency}"

    @property
    def traffy_url(self) -> str:
        """The base_url of the Traffy Fondue exchange API."""
        return f"{self.url}{TRAFFY_BASE}"

    def serve_forever(self) -> None:
        self._serving = True
        try:
            self.httpd.serve_forever(poll_interval=0.1)
        finally:
            self._serving = False

    def start(self) -> SimulatorServer:
        """Serve from a daemon thread; returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name=f"simulator:{self.port}", daemon=True)
        self._serving = True  # so that a shutdown() racing the thread's start still stops it
        self._thread.start()
        return self

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.simulator.stop()
        if self._serving:
            self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SimulatorServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()


def make_server(host: str = "127.0.0.1", port: int = 0, seed: int = DEFAULT_SEED, **options) -> SimulatorServer:
    return SimulatorServer(DepartmentSimulator(seed=seed, **options), host, port)


@contextmanager
def running_simulator(**options):
    """A simulator serving from a daemon thread for the duration of the block."""
    server = make_server(**options).start()
    try:
        yield server
    finally:
        server.shutdown()
