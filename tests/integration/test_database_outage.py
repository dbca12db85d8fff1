"""What people and tools get while the database does not answer (a restart, an outage): a 503
with Retry-After, in the reader's language, instead of the 500 of a fault in the page."""
from __future__ import annotations

import socket

import pytest


@pytest.fixture()
def app_without_database(app):
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    from config import TestConfig

    class Unreachable(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port}/rueang"
        RATELIMIT_ENABLED = False

    from app import create_app

    yield create_app(Unreachable)
    from app.extensions import limiter

    limiter.init_app(app)


@pytest.mark.parametrize("path, words", [
    ("/login/", "ระบบไม่พร้อมให้บริการชั่วคราวเนื่องจากฐานข้อมูลไม่ตอบสนอง"),
    ("/track/DIW-2569-000001", "ระบบไม่พร้อมให้บริการชั่วคราวเนื่องจากฐานข้อมูลไม่ตอบสนอง"),
    ("/track/DIW-2569-000001?lang=en", "The service is briefly unavailable: its database does not answer."),
    ("/complain?lang=en", "The service is briefly unavailable: its database does not answer."),
])
def test_pages_say_the_service_is_briefly_unavailable(app_without_database, path, words):
    answer = app_without_database.test_client().get(path)
    assert answer.status_code == 503, answer.status_code
    assert answer.headers["Retry-After"] == "60"
    body = answer.get_data(as_text=True)
    assert words in body and "<title>" in body


def test_api_and_open311_clients_get_a_503_in_their_formats(app_without_database):
    client = app_without_database.test_client()
    api = client.get("/api/v1/cases/")
    assert api.status_code == 503 and api.headers["Retry-After"] == "60"
    assert api.get_json()["code"] == "unavailable" and api.get_json()["message_th"]
    open311 = client.get("/open311/v2/services.json")
    assert open311.status_code == 503, "a server that is down is not the client's bad request (400)"
    assert open311.get_json()[0]["code"] == 503
    assert client.get("/health").status_code == 503
