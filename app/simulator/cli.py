"""`flask --app app simulate-departments`: the departmental-system simulator in the foreground.

A plain click command that needs no application context; it can also run as
`python -m app.simulator`.
"""
from __future__ import annotations

import errno
import signal
import sys

import click

from app.simulator.data import AGENCY_CODES, DEFAULT_SEED
from app.simulator.faults import FAULT_MODES, FaultError

DEMO_SPEED = 1440.0  # one planned day passes in one real minute


@click.command("simulate-departments")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8090, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int, help="Seed of the data set.")
@click.option("--speed", default=DEMO_SPEED, show_default=True,
              type=click.FloatRange(min=0, max=1e9, min_open=True), callback=lambda _c, _p, v: _finite(v),
              help="How much faster than real time planned events after the start arrive "
                   "(1440: a planned day per minute; 1: real time).")
@click.option("--token", default="sim-token", show_default=True, help="Bearer token the APIs require.")
@click.option("--cases", "cases_per_agency", default=40, show_default=True, type=click.IntRange(0, 1_000_000),
              help="REST cases per agency.")
@click.option("--traffy-tickets", default=30, show_default=True, type=click.IntRange(0, 1_000_000),
              help="Traffy Fondue tickets (OPS).")
@click.option("--fault", "faults", multiple=True, metavar="MODE[:key=value,...]",
              help=f"Misbehave from the start, e.g. error500:rate=0.1 or slow:delay=2. Modes: {', '.join(FAULT_MODES)}.")
def simulate_departments(host, port, seed, speed, token, cases_per_agency, traffy_tickets, faults):
    """Serve the agencies' departmental systems (REST/JSON and Traffy Fondue) until Ctrl-C."""
    from app.simulator.server import make_server

    try:
        server = make_server(host=host, port=port, seed=seed, speed=speed, token=token,
                             cases_per_agency=cases_per_agency, traffy_tickets=traffy_tickets, faults=faults)
    except (FaultError, ValueError) as exc:
        raise click.BadParameter(str(exc)) from None
    except OSError as exc:
        taken = exc.errno == errno.EADDRINUSE
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc}"
            + ("; another simulator (make run starts one) or another program uses that port: choose another "
               "with --port, or 0 for any free one" if taken else "")) from None
    _say(f"Departmental-system simulator listening on {server.url} (seed {seed}, speed {speed:g}x, token {token})")
    for agency in AGENCY_CODES:
        _say(f"  REST/JSON {agency:<6} {server.rest_url(agency)}")
    _say(f"  Traffy Fondue    {server.traffy_url}")
    _say(f"  Control          {server.url}/_control/stats, /_control/faults, /_control/reset, ...")
    if faults:
        _say(f"  Faults           {', '.join(faults)}")
    # Stopped as Ctrl-C stops it, with its last line; set before it says it is ready, so that a
    # SIGTERM sent as soon as the line is read is never the default one (ending it unannounced).
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _say("Press Ctrl-C to stop.")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.shutdown()
        _say("Simulator stopped.")


def _finite(value: float) -> float:
    if value != value:  # NaN passes every range check
        raise click.BadParameter("must be a number greater than 0, not NaN")
    return value


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def _say(text: str) -> None:
    # Flushed at once: the demo sends this output to a log file, where it would otherwise wait.
    click.echo(text)
    sys.stdout.flush()
