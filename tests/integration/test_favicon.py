"""The app's icon: browsers asking for /favicon.ico on any page get it from the app itself, and
every page, public and staff, links it."""
import re

import pytest

ICON_LINK = re.compile(r'<link rel="icon" href="([^"]+)"')


def test_favicon_ico_is_served_by_the_app(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00", "not an ICO file"
    assert "max-age" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_the_svg_icon_is_served_too(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data and b"http://www.w3.org/2000/svg" in response.data
    assert b"href" not in response.data, "the icon loads nothing else"


@pytest.mark.parametrize("url", ["/", "/track", "/complain", "/track/DIW-2569-999999", "/login/"])
def test_public_pages_and_the_login_page_link_the_icons(client, url):
    html = client.get(url).get_data(as_text=True)
    links = ICON_LINK.findall(html)
    assert sorted(links) == ["/favicon.ico", "/static/favicon.svg"], url
    for link in links:
        assert client.get(link).status_code == 200


def test_staff_pages_link_the_icons(browser):
    officer = browser("diw.officer")
    for url in ("/cases/list/", "/dashboards/agency/"):
        response = officer.get(url)
        assert response.status_code == 200, url
        assert sorted(ICON_LINK.findall(response.get_data(as_text=True))) == ["/favicon.ico",
                                                                              "/static/favicon.svg"], url


def test_the_status_page_with_its_icon_still_sets_no_cookie(client, make_case):
    code = make_case("DIW")["tracking_code"]
    response = client.get(f"/track/{code}")
    assert "Set-Cookie" not in response.headers and 'rel="icon"' in response.get_data(as_text=True)
