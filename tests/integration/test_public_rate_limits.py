"""Rate limits on the public side, per address, in an app of their own (the shared test app runs
without them). With RATELIMIT_STORAGE_URI pointing at Redis the counts live there, shared by every
app process."""
import os
import socket

import pytest

from tests.integration.public_support import PublicVisitor, counts, good_form, uploads  # noqa: F401


def _limited_app(storage_uri: str, prefix: str = ""):
    from config import TestConfig

    class Limited(TestConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = storage_uri
        RATELIMIT_KEY_PREFIX = prefix
        PUBLIC_COMPLAINT_RATE_LIMIT = "2 per minute"
        PUBLIC_COMPLAINT_ATTEMPT_RATE_LIMIT = "6 per minute"
        OPEN311_GET_RATE_LIMIT = "3 per minute"

    from app import create_app

    return create_app(Limited)


def _limited_visitor(app):
    """An app with the limits on, keeping photos where the test's app does, and a visitor of it."""
    limited = _limited_app("memory://")
    limited.config["UPLOAD_DIR"] = app.config["UPLOAD_DIR"]
    return limited, PublicVisitor(limited)


@pytest.fixture()
def restore_limiter(app):
    yield
    # The limiter is one object shared by every app: hand it back to the test app's settings.
    from app.extensions import limiter

    limiter.init_app(app)


def test_complaints_are_limited_per_address(app, uploads, restore_limiter):
    limited, visitor = _limited_visitor(app)
    for _ in range(2):
        assert visitor.post("/complain", good_form(limited)).status_code == 303
    before = counts(limited)
    refused = visitor.post("/complain", good_form(limited))
    assert refused.status_code == 429
    assert "ส่งคำขอบ่อยเกินไป" in refused.get_data(as_text=True)
    assert counts(limited) == before
    # The form comes back with what was typed, to send again after a while; nothing is lost.
    again = refused.get_data(as_text=True)
    assert "<title>ส่งคำขอบ่อยเกินไป: แจ้งเรื่องร้องเรียน" in again and "กรุณาแก้ไขข้อมูล" not in again
    assert 'value="กลิ่นเหม็นจากโรงงานตอนกลางคืน"' in again and "มีกลิ่นเหม็นทุกคืนหลังสองทุ่ม</textarea>" in again
    # Only for a post of our own form: anything else gets a short error page.
    forged = visitor.client.post("/complain", data={**good_form(limited), "csrf_token": "forged"})
    assert forged.status_code in (400, 429) and "กลิ่นเหม็นจากโรงงานตอนกลางคืน" not in forged.get_data(as_text=True)
    assert visitor.client.get("/complain").status_code == 200, "only sending is limited"

    neighbour = PublicVisitor(limited)
    neighbour.client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert neighbour.post("/complain", good_form(limited)).status_code == 303


def test_forms_sent_back_to_be_corrected_do_not_use_up_the_complaint_limit(app, uploads, restore_limiter):
    limited, visitor = _limited_visitor(app)
    answers = [visitor.post("/complain", good_form(limited, contact_phone="12")).status_code for _ in range(3)]
    answers += [visitor.post("/complain", good_form(limited)).status_code for _ in range(3)]
    assert answers == [400, 400, 400, 303, 303, 429]  # refused forms do not count; two filed: the limit


def test_every_sending_counts_against_a_wider_limit(app, uploads, restore_limiter):
    limited, visitor = _limited_visitor(app)
    for _ in range(6):
        assert visitor.post("/complain", good_form(limited, contact_phone="12")).status_code == 400
    before = counts(limited)
    refused = visitor.post("/complain", good_form(limited))
    assert refused.status_code == 429 and "ส่งคำขอบ่อยเกินไป" in refused.get_data(as_text=True)
    assert counts(limited) == before


def test_open311_reads_are_limited_with_the_spec_error_body(app, restore_limiter):
    limited = _limited_app("memory://")
    client = limited.test_client()
    for _ in range(3):
        assert client.get("/open311/v2/services.json").status_code == 200
    refused = client.get("/open311/v2/services.xml")
    assert refused.status_code == 429
    assert b"<errors><error><code>429</code>" in refused.data


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis server at 127.0.0.1:6379")
def test_with_redis_the_counts_are_shared_between_processes(app, uploads, restore_limiter):
    from limits.storage import RedisStorage, storage_from_string

    uri = "redis://127.0.0.1:6379/13"
    prefix = f"rueang-test-{os.getpid()}"
    limited = _limited_app(uri, prefix)
    limited.config["UPLOAD_DIR"] = app.config["UPLOAD_DIR"]
    from app.extensions import limiter

    assert isinstance(limiter.storage, RedisStorage)
    visitor = PublicVisitor(limited)
    try:
        assert visitor.post("/complain", good_form(limited)).status_code == 303
        # Another process reads the same counter from Redis: one complaint already counted.
        other = storage_from_string(uri)
        keys = [k.decode() for k in other.storage.keys(f"*{prefix}*")]
        assert keys, "the complaint limit was not counted in Redis"
        assert other.storage.get(keys[0]) == b"1"
        assert visitor.post("/complain", good_form(limited)).status_code == 303
        assert visitor.post("/complain", good_form(limited)).status_code == 429
    finally:
        redis = storage_from_string(uri).storage
        for key in redis.keys(f"*{prefix}*"):
            redis.delete(key)
