"""Connectors against the departmental-system simulator, over real HTTP on loopback.

One simulator serves the whole module; every test starts from its seeded data set with no
faults and zeroed counters. Its clock is stopped at NOW so the data are the same on every run.
"""
from __future__ import annotations

import math
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from app.connectors import (
    ConnectorAuthError,
    ConnectorConfigError,
    ConnectorProtocolError,
    ConnectorRemoteError,
    ConnectorUnavailable,
    ExternalUpdate,
    available_kinds,
    build_connector,
)
from app.connectors.rest_json import RestJsonConnector
from app.connectors.traffy import STATE_BY_NAME, STATES, TraffyConnector, parse_traffy_time
from app.simulator.data import REST, TRAFFY, build_dataset
from app.simulator.server import make_server, running_simulator
from app.simulator.store import to_micros
from app.simulator.traffy_api import STATE_NAMES

SEED = 2569
EPOCH = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)
NOW = EPOCH + timedelta(days=10)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
FAST = {"timeout": 0.5, "max_retries": 2, "backoff": 0.01}


@pytest.fixture(scope="module")
def sim():
    with running_simulator(seed=SEED, epoch=EPOCH, now=NOW) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(sim):
    control(sim, "reset")
    yield


def control(sim, name: str, payload=None) -> dict:
    answer = requests.post(f"{sim.url}/_control/{name}", json=payload, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def fault(sim, **spec) -> None:
    control(sim, "faults", spec)


def stats(sim) -> dict:
    return requests.get(f"{sim.url}/_control/stats", timeout=5).json()


def rest(sim, agency: str = "DIW", **settings) -> RestJsonConnector:
    return build_connector("rest_json", {"base_url": sim.rest_url(agency), "token": sim.token, **FAST, **settings})


def traffy(sim, **settings) -> TraffyConnector:
    options = {"token": sim.token, **FAST, "clock": lambda: NOW, **settings}
    return TraffyConnector(sim.traffy_url, **options)


def stored(sim, system: str, agency: str, since=LONG_AGO) -> list:
    """The simulator's own record of the visible events of one feed, in feed order."""
    feed = sim.simulator.store.feed(system, agency)
    return [item for item in sorted(feed.items, key=lambda item: item.key) if since <= item.at <= NOW]


def traffy_events(sim, since=LONG_AGO) -> set[tuple[str, datetime]]:
    return {(item.reference, item.at) for item in stored(sim, TRAFFY, "OPS", since)}


def key(update: ExternalUpdate) -> tuple:
    return update.update_id, update.reference, update.external_status, update.occurred_at, update.note


# -- the generic REST/JSON connector --------------------------------------------------------


def test_rest_pages_through_every_update_since_a_time(sim):
    since = EPOCH - timedelta(days=20)
    expected = stored(sim, REST, "DIW", since)
    with rest(sim, page_size=7) as connector:
        updates = list(connector.fetch_updates(since))

    assert [u.update_id for u in updates] == [item.update_id for item in expected]
    assert len(updates) > 20
    assert all(isinstance(u, ExternalUpdate) for u in updates)
    assert all(u.occurred_at.tzinfo is UTC and since <= u.occurred_at <= NOW for u in updates)
    assert [u.occurred_at for u in updates] == sorted(u.occurred_at for u in updates)
    assert {u.reference.split("-EXT-")[0] for u in updates} == {"DIW"}
    assert {u.external_status for u in updates} <= {"received", "in_progress", "waiting_applicant",
                                                       "resolved", "rejected", "cancelled"}
    assert stats(sim)["by_endpoint"] == {"rest.updates": math.ceil(len(expected) / 7)}


def test_rest_fetch_is_lazy_page_by_page(sim):
    with rest(sim, page_size=5) as connector:
        feed = connector.fetch_updates(LONG_AGO)
        assert stats(sim)["requests"] == 0
        first_six = [next(feed) for _ in range(6)]
        assert stats(sim)["requests"] == 2
    assert len({u.update_id for u in first_six}) == 6


def test_rest_window_is_since_inclusive_until_exclusive(sim):
    base = NOW - timedelta(hours=5)
    control(sim, "cases", [{"agency": "TISI", "reference": "TISI-W-1", "updates": [
        {"id": f"w{n}", "status": "in_progress", "at": (base + timedelta(hours=n)).isoformat(), "note": f"n{n}"}
        for n in range(5)
    ]}])
    with rest(sim, "TISI") as connector:
        window = list(connector.fetch_updates(base + timedelta(hours=1), base + timedelta(hours=3)))
    assert [u.update_id for u in window] == ["w1", "w2"]
    assert window[0].note == "n1" and window[0].organisation == "สมอ."


def test_rest_updates_appear_as_the_simulator_clock_passes_them(sim):
    visible_now = stored(sim, REST, "OPS", LONG_AGO)
    feed = sim.simulator.store.feed(REST, "OPS")
    upcoming = sorted((item for item in feed.items if NOW < item.at <= NOW + timedelta(days=3)), key=lambda i: i.key)
    assert upcoming, "the data set plans events after NOW"
    with rest(sim, "OPS") as connector:
        before = {u.update_id for u in connector.fetch_updates(LONG_AGO)}
        control(sim, "clock", {"advance": 3 * 86400})
        after = {u.update_id for u in connector.fetch_updates(LONG_AGO)}
    assert before == {item.update_id for item in visible_now}
    assert after - before == {item.update_id for item in upcoming}


def test_rest_lookup_of_a_known_and_an_unknown_reference(sim):
    timeline = sim.simulator.store.feed(REST, "DIW").timeline("DIW-EXT-000003", to_micros(NOW))
    with rest(sim) as connector:
        case = connector.lookup("DIW-EXT-000003")
        assert connector.lookup("DIW-EXT-999999") is None
        assert connector.lookup("no such/ref") is None
    assert case.reference == "DIW-EXT-000003"
    assert [u.update_id for u in case.timeline] == [item.update_id for item in timeline]
    assert case.external_status == timeline[-1].status
    assert case.updated_at == timeline[-1].at
    assert stats(sim)["by_status"] == {"200": 1, "404": 2}


def test_bulk_generated_feed_is_served_whole_in_large_pages(sim):
    control(sim, "reset", {"empty": True})
    made = control(sim, "generate", {"agency": "DPIM", "count": 1500, "updates_per_case": 2})
    assert made["updates"] == 3000 and made["first_reference"] == "DPIM-EXT-000001"
    with rest(sim, "DPIM", page_size=1000) as connector:
        updates = list(connector.fetch_updates(LONG_AGO))
    assert len(updates) == 3000 and len({u.update_id for u in updates}) == 3000
    assert [u.external_status for u in updates[1499:1501]] == ["received", "in_progress"]
    assert stats(sim)["by_endpoint"]["rest.updates"] == 3


# -- the Traffy Fondue connector ------------------------------------------------------------


def test_traffy_expands_each_changed_ticket_into_its_timeline(sim):
    since = NOW - timedelta(days=30)
    with traffy(sim) as connector:
        assert connector.duration_for(since) == "all"
        updates = list(connector.fetch_updates(since))
    assert {(u.reference, u.occurred_at) for u in updates} == traffy_events(sim, since)
    assert all(u.reference.startswith("TF-") and u.external_status in STATES for u in updates)
    assert all(u.update_id == f"{u.reference}@{u.raw['timestamp']}/{u.external_status}" for u in updates)
    first_entries = [u for u in updates if u.external_status == "start"]
    assert first_entries and all(u.organisation is None for u in first_entries)
    assert any(u.organisation == "สำนักงานปลัดกระทรวงอุตสาหกรรม" for u in updates)
    tickets = {u.reference for u in updates}
    assert stats(sim)["by_endpoint"] == {"traffy.get-issues": 1, "traffy.get-issue": len(tickets)}


def test_traffy_asks_for_the_narrowest_duration(sim):
    with traffy(sim) as connector:
        assert connector.duration_for(NOW - timedelta(hours=12)) == "today"
        assert connector.duration_for(NOW - timedelta(days=2)) == "3days"
        assert connector.duration_for(NOW - timedelta(days=5)) == "all"
        since = NOW - timedelta(hours=20)
        updates = list(connector.fetch_updates(since))
    assert updates
    assert {(u.reference, u.occurred_at) for u in updates} == traffy_events(sim, since)


def test_traffy_list_mode_yields_each_tickets_latest_change_without_reading_tickets(sim):
    since = NOW - timedelta(days=15)
    with traffy(sim) as connector:
        expanded = {u.update_id: u for u in connector.fetch_updates(since)}
    control(sim, "reset")
    with build_connector("traffy", {"base_url": sim.traffy_url, "token": sim.token,
                                    "expand_timeline": "false", **FAST}) as connector:
        latest = list(connector.fetch_updates(since))
    assert stats(sim)["by_endpoint"] == {"traffy.get-issues": 1}
    assert latest and len({u.reference for u in latest}) == len(latest)
    for update in latest:  # the same event read from get-issue has the same id
        assert expanded[update.update_id].occurred_at == update.occurred_at
        assert expanded[update.update_id].external_status == update.external_status


def test_traffy_lookup_of_a_known_and_an_unknown_ticket(sim):
    with traffy(sim) as connector:
        case = connector.lookup("TF-000001")
        assert connector.lookup("TF-999999") is None
    expected = [item for item in stored(sim, TRAFFY, "OPS") if item.reference == "TF-000001"]
    assert [u.occurred_at for u in case.timeline] == [item.at for item in expected]
    assert case.external_status == case.timeline[-1].external_status
    assert case.updated_at == expected[-1].at
    assert case.timeline[0].raw["status"] == "รอรับเรื่อง"


def test_traffy_answers_use_the_exchange_api_field_names(sim):
    headers = {"Authorization": f"Bearer {sim.token}"}
    listing = requests.get(f"{sim.traffy_url}/get-issues/v2", params={"duration": "all"}, headers=headers).json()
    assert {"status", "message", "exec_time", "source", "credit_balance", "org_id", "count", "results",
            "api_log_session_id"} <= set(listing)
    row = listing["results"][0]
    assert {"ticket_id", "type", "organization", "description", "photo", "latitude", "longitude", "address",
            "subdistrict", "district", "province", "timestamp", "photo_after", "timestamp_inprogress",
            "timestamp_finished", "org_finished", "status", "confirmed", "star", "count_reopen",
            "last_activity"} == set(row)
    issue = requests.get(f"{sim.traffy_url}/get-issue/v1", params={"ticket_id": row["ticket_id"]},
                         headers=headers).json()["results"]
    assert {"status_type", "orgs", "timeline"} <= set(issue)
    assert set(issue["timeline"][0]) == {"timestamp", "status_id", "status", "org_id", "org", "note", "photo"}
    assert set(issue["orgs"][0]) == {"timestamp", "org_id", "org", "type_id", "type", "type_en", "status_id",
                                     "status", "status_type", "org_category_id", "org_status_id"}
    assert parse_traffy_time(row["last_activity"]).tzinfo is UTC


def test_simulator_and_connector_agree_on_traffy_status_names():
    for state, (name_th, _) in STATE_NAMES.items():
        assert STATE_BY_NAME[name_th] == state
    assert set(STATE_NAMES) == set(STATES)


def test_traffy_token_from_get_auth(sim):
    with traffy(sim, token=None, username="sim-user", password="sim-pass") as connector:
        assert connector.lookup("TF-000002") is not None
    with pytest.raises(ConnectorAuthError, match="get-auth"):
        traffy(sim, token=None, username="sim-user", password="wrong").lookup("TF-000002")


def test_traffy_custom_status_names_pass_through(sim):
    control(sim, "cases", [{"system": "traffy", "reference": "TF-CUSTOM-1", "updates": [
        {"status": "received", "at": (NOW - timedelta(hours=2)).isoformat()},
        {"status": "จัดทำนโยบาย", "at": (NOW - timedelta(hours=1)).isoformat(), "org_id": 70001, "organisation": "x"},
    ]}])
    with traffy(sim) as connector:
        case = connector.lookup("TF-CUSTOM-1")
    assert [u.external_status for u in case.timeline] == ["start", "จัดทำนโยบาย"]


# -- faults ---------------------------------------------------------------------------------


def test_500s_are_retried_with_backoff_then_succeed(sim):
    fault(sim, mode="error500", count=2)
    with rest(sim, "DPIM", backoff=0.05) as connector:
        began = time.perf_counter()
        updates = list(connector.fetch_updates(NOW - timedelta(days=2)))
        elapsed = time.perf_counter() - began
    assert updates
    assert stats(sim)["by_status"] == {"500": 2, "200": 1}
    assert elapsed >= 0.05 + 0.1  # backoff doubles: 0.05 s, then 0.1 s


@pytest.mark.parametrize("system", ["rest", "traffy"])
def test_persistent_500s_raise_unavailable_after_the_retries(sim, system):
    fault(sim, mode="error500")
    connector = rest(sim) if system == "rest" else traffy(sim)
    with pytest.raises(ConnectorUnavailable, match=r"HTTP 500 from http://127\.0\.0\.1:\d+/.*after 3 attempts"):
        list(connector.fetch_updates(NOW - timedelta(days=1)))
    assert stats(sim)["requests"] == 3  # max_retries=2


@pytest.mark.parametrize("system", ["rest", "traffy"])
def test_401_is_an_auth_error_and_is_not_retried(sim, system):
    fault(sim, mode="auth")
    connector = rest(sim) if system == "rest" else traffy(sim)
    with pytest.raises(ConnectorAuthError, match="HTTP 401 from http://"):
        list(connector.fetch_updates(NOW - timedelta(days=1)))
    assert stats(sim)["requests"] == 1


@pytest.mark.parametrize("system", ["rest", "traffy"])
def test_a_wrong_token_is_an_auth_error(sim, system):
    connector = rest(sim, token="nope") if system == "rest" else traffy(sim, token="nope")
    with pytest.raises(ConnectorAuthError):
        connector.lookup("DIW-EXT-000001" if system == "rest" else "TF-000001")
    assert stats(sim)["by_status"] == {"401": 1}


def test_404_is_not_retried(sim):
    with rest(sim, "NOWHERE") as connector:
        with pytest.raises(ConnectorRemoteError, match="HTTP 404 from .*/rest/NOWHERE/updates") as caught:
            list(connector.fetch_updates(LONG_AGO))
    assert caught.value.status_code == 404
    assert stats(sim)["requests"] == 1


@pytest.mark.parametrize("system", ["rest", "traffy"])
def test_a_hanging_server_times_out_as_unavailable(sim, system):
    fault(sim, mode="timeout", delay=2)
    settings = {"timeout": 0.2, "max_retries": 1}
    connector = rest(sim, **settings) if system == "rest" else traffy(sim, **settings)
    began = time.perf_counter()
    with pytest.raises(ConnectorUnavailable, match=r"no answer within 0\.2 s from http://.*after 2 attempts"):
        list(connector.fetch_updates(NOW - timedelta(days=1)))
    assert time.perf_counter() - began < 1.5
    assert stats(sim)["requests"] == 2


def test_a_slow_server_within_the_timeout_is_fine(sim):
    fault(sim, mode="slow", delay=0.1)
    with rest(sim, timeout=1) as connector:
        assert connector.lookup("DIW-EXT-000001") is not None
    assert stats(sim)["requests"] == 1


def test_connection_refused_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connector = build_connector("rest_json", {"base_url": f"http://127.0.0.1:{port}/rest/DIW", "token": "t", **FAST})
    with pytest.raises(ConnectorUnavailable, match=f"cannot connect to http://127.0.0.1:{port}/rest/DIW/updates"):
        list(connector.fetch_updates(LONG_AGO))


@pytest.mark.parametrize("system", ["rest", "traffy"])
def test_malformed_json_is_a_protocol_error_and_is_not_retried(sim, system):
    fault(sim, mode="malformed")
    connector = rest(sim) if system == "rest" else traffy(sim)
    with pytest.raises(ConnectorProtocolError, match="malformed JSON from http://"):
        list(connector.fetch_updates(NOW - timedelta(days=1)))
    assert stats(sim)["requests"] == 1


@pytest.mark.parametrize("system", ["rest", "traffy"])
@pytest.mark.parametrize("variant, message", [
    ("cut", "malformed JSON"), ("short", "truncated answer|truncated page"), ("disconnect", "truncated or broken"),
])
def test_truncated_pages_are_protocol_errors(sim, system, variant, message):
    fault(sim, mode="truncated", variant=variant)
    connector = rest(sim, page_size=10) if system == "rest" else traffy(sim)
    with pytest.raises(ConnectorProtocolError, match=message):
        list(connector.fetch_updates(LONG_AGO))
    assert stats(sim)["requests"] == 1


def test_a_truncated_page_after_good_ones_fails_where_it_breaks(sim):
    with rest(sim, page_size=10) as connector:
        feed = connector.fetch_updates(LONG_AGO)
        first_page = [next(feed) for _ in range(10)]
        fault(sim, mode="truncated", variant="short", count=1)
        with pytest.raises(ConnectorProtocolError, match=r"claims \d+ updates but holds"):
            list(feed)
    assert len(first_page) == 10


def test_duplicates_across_pages_are_passed_through(sim):
    with rest(sim, page_size=10) as connector:
        clean = list(connector.fetch_updates(LONG_AGO))
        fault(sim, mode="duplicates", items=2)
        noisy = list(connector.fetch_updates(LONG_AGO))
    ids = [u.update_id for u in noisy]
    assert len(ids) > len(set(ids))
    assert set(map(key, noisy)) == set(map(key, clean))
    pages = math.ceil(len(clean) / 10)
    assert len(noisy) == len(clean) + 2 * pages  # the first page repeats its own start


def test_out_of_order_updates_are_passed_through(sim):
    base = NOW - timedelta(hours=3)
    control(sim, "cases", [{"agency": "DIW", "reference": "DIW-EXT-777777", "updates": [
        {"id": "a", "status": "received", "at": base.isoformat()},
        {"id": "b", "status": "in_progress", "at": (base + timedelta(minutes=5)).isoformat()},
        {"id": "c", "status": "resolved", "at": (base + timedelta(minutes=9)).isoformat()},
    ]}])
    fault(sim, mode="out_of_order")
    with rest(sim) as connector:
        updates = list(connector.fetch_updates(base))
        case = connector.lookup("DIW-EXT-777777")
    mine = [u.update_id for u in updates if u.reference == "DIW-EXT-777777"]
    assert mine == ["c", "b", "a"]
    assert [u.occurred_at for u in updates] != sorted(u.occurred_at for u in updates)
    assert case.external_status == "resolved" and [u.update_id for u in case.timeline] == ["c", "b", "a"]


@pytest.mark.parametrize("system", ["rest", "traffy"])
def test_updates_for_unknown_references_are_passed_through(sim, system):
    fault(sim, mode="unknown_refs", items=2, count=1)
    connector = rest(sim) if system == "rest" else traffy(sim)
    updates = list(connector.fetch_updates(NOW - timedelta(days=2)))
    unknown = [u for u in updates if "-UNKNOWN-" in u.reference]
    assert len(unknown) == 2 and all(u.external_status in ("received", "start") for u in unknown)


def test_traffy_duplicates_and_reversed_timelines_keep_stable_ids(sim):
    since = NOW - timedelta(days=5)
    with traffy(sim) as connector:
        clean = list(connector.fetch_updates(since))
        fault(sim, mode="duplicates", items=1)
        fault(sim, mode="out_of_order")
        noisy = list(connector.fetch_updates(since))
    assert clean and len(noisy) > len(clean)
    assert {u.update_id for u in noisy} == {u.update_id for u in clean}


def test_error_rate_faults_are_deterministic_for_a_seed(sim):
    def outcomes() -> list[int]:
        control(sim, "reset")
        fault(sim, mode="error500", rate=0.5)
        headers = {"Authorization": f"Bearer {sim.token}"}
        return [requests.get(f"{sim.rest_url('OPS')}/updates", headers=headers).status_code
                for _ in range(12)]

    first = outcomes()
    assert set(first) == {200, 500}
    assert outcomes() == first


# -- determinism and configuration ----------------------------------------------------------


def test_same_seed_same_data_set():
    def snapshot(seed):
        return [(c.system, c.reference, [(e.update_id, e.status, e.at, e.note) for e in c.events])
                for c in build_dataset(seed, epoch=EPOCH, speed=60)]

    assert snapshot(7) == snapshot(7)
    assert snapshot(7) != snapshot(8)
    references = [reference for system, reference, _ in snapshot(7) if system == REST]
    assert references[:2] == ["OPS-EXT-000001", "OPS-EXT-000002"] and "DPIM-EXT-000040" in references


def test_same_seed_serves_the_same_updates_over_http(sim):
    with rest(sim, "DIPROM") as connector:
        here = [key(u) for u in connector.fetch_updates(LONG_AGO)]
    with running_simulator(seed=SEED, epoch=EPOCH, now=NOW) as twin, running_simulator(
        seed=SEED + 1, epoch=EPOCH, now=NOW
    ) as other:
        with rest(twin, "DIPROM") as connector:
            there = [key(u) for u in connector.fetch_updates(LONG_AGO)]
        with rest(other, "DIPROM") as connector:
            elsewhere = [key(u) for u in connector.fetch_updates(LONG_AGO)]
    assert here == there and here
    assert elsewhere != here


def test_speed_brings_planned_events_closer_to_the_start():
    slow = build_dataset(SEED, epoch=EPOCH, speed=1)
    fast = build_dataset(SEED, epoch=EPOCH, speed=1440)
    for slow_case, fast_case in zip(slow, fast):
        for slow_event, fast_event in zip(slow_case.events, fast_case.events):
            assert slow_event.update_id == fast_event.update_id
            if slow_event.at <= EPOCH:
                assert fast_event.at == slow_event.at
            else:
                assert fast_event.at - EPOCH == (slow_event.at - EPOCH) / 1440


def test_registry_lists_kinds_for_the_admin_form_and_rejects_unknown_ones():
    kinds = {kind: (th, en, settings) for kind, th, en, settings in available_kinds()}
    assert set(kinds) == {"rest_json", "traffy"}
    for _, _, settings in kinds.values():
        assert {"base_url", "token", "timeout", "page_size", "max_retries"} <= set(settings)
    assert {"org_id", "username", "password"} <= set(kinds["traffy"][2])
    with pytest.raises(ConnectorConfigError, match="unknown connector kind 'soap'.*rest_json, traffy"):
        build_connector("soap", {})
    with pytest.raises(ConnectorConfigError, match="base_url"):
        build_connector("rest_json", {"token": "x"})
    with pytest.raises(ConnectorConfigError, match="page_size"):
        build_connector("rest_json", {"base_url": "http://x", "page_size": 100_000})
    with pytest.raises(ConnectorConfigError, match="not a number"):
        build_connector("rest_json", {"base_url": "http://x", "timeout": "soon"})
    # Saved before the settings screen checked them: a timeout that fails every request.
    for bad in ({"timeout": 0}, {"timeout": float("nan")}, {"max_retries": 500}):
        with pytest.raises(ConnectorConfigError, match="must be from"):
            build_connector("rest_json", {"base_url": "http://x", **bad})
    connector = build_connector("rest_json", {"base_url": "http://x/", "timeout": "3", "page_size": "",
                                              "unrelated": 1})
    assert (connector.base_url, connector.http.timeout, connector.page_size) == ("http://x", 3.0, 1000)
    assert build_connector("traffy", {"token": "t"}).base_url == "https://publicapi.traffy.in.th/exchange-api"


def test_make_server_serves_in_the_foreground_until_shut_down():
    import threading

    server = make_server(port=0, populate=False)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        assert requests.get(f"{server.url}/health", timeout=2).json() == {"status": "ok"}
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert not thread.is_alive()


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+07:00"])
def test_a_time_past_the_calendar_is_a_broken_answer_naming_the_update(moment):
    from app.connectors.rest_json import parse_updates

    with pytest.raises(ConnectorProtocolError) as caught:
        parse_updates([{"id": "u1", "reference": "R", "status": "x", "occurred_at": moment}], "http://x/updates")
    assert "update #0 from http://x/updates" in str(caught.value) and "OverflowError" in str(caught.value)


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "2200-01-01T00:00:00Z",
                                    "9999-12-31T23:59:59Z"])
def test_a_systems_empty_date_is_a_broken_answer_not_a_time(moment):
    """.NET's DateTime.MinValue in UTC was taken as when the update happened: it closed cases on
    the moment they were received, and as the run's cursor it failed every later run."""
    from app.connectors.rest_json import parse_updates

    with pytest.raises(ConnectorProtocolError) as caught:
        parse_updates([{"id": "u1", "reference": "R", "status": "x", "occurred_at": moment}], "http://x/updates")
    assert "update #0 from http://x/updates" in str(caught.value) and "1900 to 2199" in str(caught.value)
    with pytest.raises(ValueError):
        parse_traffy_time(moment)
    assert parse_updates([{"id": "u1", "reference": "R", "status": "x", "occurred_at": "1900-01-01T00:00:00Z"}],
                         "http://x/updates")


def test_a_system_sending_a_byte_now_and_then_is_cut_off_at_the_timeout():
    """requests' timeout counts each wait for the socket: an answer dripping a byte every 0.2 s
    never trips it. The whole answer must come within the timeout."""
    import http.server
    import threading

    class Drip(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b'{"updates": [], "next_cursor": null}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connector = RestJsonConnector(f"http://127.0.0.1:{server.server_port}", token="t", timeout=1,
                                      max_retries=0)
        started = time.monotonic()
        with pytest.raises(ConnectorUnavailable, match="no answer within 1 s"):
            connector.http.get_json("updates")
        assert time.monotonic() - started < 3
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("cursors", [["A", "A"], ["A", "B", "A"]], ids=["repeated", "cycling"])
def test_a_feed_whose_cursor_comes_back_is_a_broken_answer_not_an_endless_read(cursors):
    """A cursor the feed gave before (at once or after others) would page until the lock expired."""
    import http.server
    import json
    import threading

    answers = iter(cursors + ["never"] * 10)

    class Feed(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"updates": [], "count": 0, "next_cursor": next(answers)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connector = RestJsonConnector(f"http://127.0.0.1:{server.server_port}", token="t", max_retries=0)
        with pytest.raises(ConnectorProtocolError, match="a cursor it had returned before"):
            list(connector.fetch_updates(datetime(2026, 1, 1, tzinfo=UTC)))
    finally:
        server.shutdown()
        server.server_close()
