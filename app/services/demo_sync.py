"""The demo's departmental systems: every agency pulls from the simulator, and the demo cases
carry the references the simulator knows, so that under `make run` they really move.

* DIW, DIPROM, TISI and DPIM speak REST/JSON at `{DEPARTMENTS_URL}/rest/{CODE}`; OPS follows
  Traffy Fondue at `{DEPARTMENTS_URL}/traffy/exchange-api`; all with the simulator's token, an
  explicit status map (the kind's own, for administrators to see and edit) and sync every minute.
  An agency that already has a connector keeps it.
* The simulator's deterministic set holds `{CODE}-EXT-000001...` for each agency and Traffy
  tickets `TF-000001...` (app/simulator/data.py). The demo corpus numbers its requests' references
  the same way but in no particular order of time, so each agency's most recent requests take
  the references the simulator serves (swapping with the cases that held them), and OPS's most
  recent Traffy complaints take the ticket ids.
"""
from __future__ import annotations

from sqlalchemy import case, select, update

from app.connectors.rest_json import RestJsonConnector
from app.connectors.traffy import TraffyConnector
from app.domain.statuses import OPEN_STATUSES, Channel
from app.models import Agency, Case

SIMULATOR_TOKEN = "sim-token"
# What `simulate-departments` serves by default (--cases, --traffy-tickets).
SIMULATOR_CASES_PER_AGENCY = 40
SIMULATOR_TRAFFY_TICKETS = 30
DEMO_SYNC_INTERVAL_MINUTES = 1
TRAFFY_AGENCY = "OPS"


def rest_reference(code: str, index: int) -> str:
    return f"{code}-EXT-{index:06d}"


def traffy_ticket(index: int) -> str:
    return f"TF-{index:06d}"


def demo_connector(code: str, departments_url: str) -> tuple[str, dict, dict]:
    """(kind, settings, status map) of an agency's demo departmental system."""
    base = departments_url.rstrip("/")
    if code == TRAFFY_AGENCY:
        return ("traffy", {"base_url": f"{base}/traffy/exchange-api", "token": SIMULATOR_TOKEN},
                dict(TraffyConnector.default_status_map))
    return ("rest_json", {"base_url": f"{base}/rest/{code}", "token": SIMULATOR_TOKEN},
            dict(RestJsonConnector.default_status_map))


def configure_demo_connectors(session, departments_url: str) -> list[str]:
    """Points every agency without a connector at the simulator; returns the codes configured."""
    configured = []
    for agency in session.execute(select(Agency).order_by(Agency.code)).scalars():
        if agency.connector_kind:
            continue
        kind, settings, status_map = demo_connector(agency.code, departments_url)
        agency.connector_kind = kind
        agency.connector_settings = settings
        agency.status_map = status_map
        agency.sync_interval_minutes = DEMO_SYNC_INTERVAL_MINUTES
        agency.sync_enabled = True
        configured.append(agency.code)
    session.flush()
    return configured


def align_demo_references(session, *, cases_per_agency: int = SIMULATOR_CASES_PER_AGENCY,
                          traffy_tickets: int = SIMULATOR_TRAFFY_TICKETS) -> dict[str, int]:
    """Gives the simulator's references to each agency's most recent matching cases; returns how
    many cases now carry one, per agency."""
    aligned = {}
    for agency in session.execute(select(Agency).order_by(Agency.code)).scalars():
        if agency.code == TRAFFY_AGENCY:
            wanted = [traffy_ticket(i) for i in range(1, traffy_tickets + 1)]
            recent = Case.channel == str(Channel.TRAFFY)
        else:
            wanted = [rest_reference(agency.code, i) for i in range(1, cases_per_agency + 1)]
            recent = Case.external_ref.like(f"{agency.code}-EXT-%")
        aligned[agency.code] = _hand_over(session, agency.id, recent, wanted)
    return aligned


def _hand_over(session, agency_id: int, condition, wanted: list[str]) -> int:
    """The agency's most recent open cases matching `condition` (then other open ones, then
    closed ones) take the `wanted` references, in order; cases that held one of those take the references the recent
    ones gave up."""
    # Open cases first (the simulator's updates would reopen a case closed long ago), matching ones
    # before the others; in a small demo load, other recent cases of the agency make up the number.
    still_open = Case.status.in_(sorted(str(status) for status in OPEN_STATUSES))
    recent = session.execute(
        select(Case.id, Case.external_ref).where(Case.agency_id == agency_id)
        .order_by(case((still_open, 0), else_=1), case((condition, 0), else_=1), Case.submitted_at.desc(),
                  Case.id.desc()).limit(len(wanted))
    ).all()
    if not recent:
        return 0
    final = {case_id: reference for (case_id, _), reference in zip(recent, wanted)}
    holders = session.execute(
        select(Case.id, Case.external_ref).where(Case.external_agency_id == agency_id, Case.external_ref.in_(wanted))
    ).all()
    freed = [ref for case_id, ref in recent if ref is not None and ref not in wanted]
    for case_id, _ in holders:
        if case_id not in final:
            final[case_id] = freed.pop() if freed else None
    # Through temporary values: (agency, reference) is unique at every step. The references are
    # numbers in this agency's system, whichever agency holds the case.
    table = Case.__table__
    session.execute(update(table).where(table.c.id.in_(final)).values(external_ref=None, external_agency_id=None))
    for case_id, reference in final.items():
        session.execute(update(table).where(table.c.id == case_id).values(
            external_ref=reference, external_agency_id=agency_id if reference else None))
    return min(len(recent), len(wanted))
