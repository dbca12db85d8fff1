"""What a signed-in member of one agency, or a visitor, must not get by going around the screens:
password guessing through the API login, framing the staff screens, and what the staff pages leave
behind in caches."""
import pytest

from tests.conftest import PASSWORD


@pytest.fixture()
def restore_limiter(app):
    yield
    # The limiter is one object shared by every app: hand it back to the test app's settings.
    from app.extensions import limiter

    limiter.init_app(app)


def _app_with_login_limit(limit: str):
    from config import TestConfig

    class Limited(TestConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        AUTH_RATE_LIMITED = True
        AUTH_RATE_LIMIT = limit

    from app import create_app

    return create_app(Limited)


def test_the_api_login_is_rate_limited_like_the_login_page(app, restore_limiter):
    """The login page allowed AUTH_RATE_LIMIT attempts per address; the API's login, which checks
    the same passwords, allowed any number, so passwords could be guessed through it at full speed."""
    limited = _app_with_login_limit("3 per minute")
    client = limited.test_client()
    wrong = {"username": "diw.officer", "password": "not-the-password", "provider": "db"}
    for _ in range(3):
        assert client.post("/api/v1/security/login", json=wrong).status_code == 401
    assert client.post("/api/v1/security/login", json=wrong).status_code == 429
    right = {**wrong, "password": PASSWORD}
    assert client.post("/api/v1/security/login", json=right).status_code == 429, "the limit holds for a right guess too"

    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    assert other.post("/api/v1/security/login", json=right).status_code == 200, "per address"
