"""A list screen's address with a page number or page size that is not a number (a link cut short
or mistyped) opens the list, rather than an error page."""
import pytest


@pytest.mark.parametrize("query, kept", [
    ("psize_CaseView=abc", ""),
    ("page_CaseView=2x&_flt_0_status=received", "?_flt_0_status=received"),
    ("page_CaseView=&psize_CaseView=25", "?psize_CaseView=25"),
    # A page past any list, whose offset no database binds (it was a 500).
    ("page_CaseView=99999999999999999999&psize_CaseView=25", "?psize_CaseView=25"),
    ("page_CaseView=" + "9" * 5000, ""),
])
def test_an_unreadable_page_argument_is_dropped(browser, query, kept):
    officer = browser("diw.officer")
    response = officer.get(f"/cases/list/?{query}")
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/list/{kept}"
    assert officer.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("url", ["/job-runs/list/?page_JobRunView=one", "/settings-history/list/?psize_SettingsChangeView=x"])
def test_every_list_gets_the_same(browser, url):
    response = browser("admin").get(url)
    assert response.status_code == 302 and "?" not in response.headers["Location"]


def test_readable_page_arguments_are_left_alone(browser):
    assert browser("diw.officer").get("/cases/list/?page_CaseView=0&psize_CaseView=25").status_code == 200


@pytest.mark.parametrize("url, kept", [
    ("/cases/list/?_flt_2_case_type=5&_flt_0_status=received", "/cases/list/?_flt_0_status=received"),
    ("/cases/list/?_flt_4_submitted_at=1", "/cases/list/"),
    ("/users/list/?_flt_1_roles=1", "/users/list/"),
    ("/agencies/list/?_flt_2_active=1", "/agencies/list/"),
    ("/settings-history/list/?_flt_6_entity_id=1", "/settings-history/list/"),
    ("/job-runs/list/?_flt_4_started_at=1", "/job-runs/list/"),
])
def test_a_filter_by_an_operator_its_column_does_not_have_is_dropped(browser, url, kept):
    """Flask-AppBuilder looked the operator's number up unchecked: an old bookmark was a 500."""
    response = browser("admin").get(url)
    assert response.status_code == 302 and response.headers["Location"] == kept
    assert browser("admin").get(kept).status_code == 200


def test_a_page_past_the_last_says_so_and_links_the_first(browser, make_case):
    make_case("DIW")
    html = browser("diw.officer").get("/cases/list/?page_CaseView=99&_flt_0_status=received").get_data(as_text=True)
    assert "หน้านี้เลยหน้าสุดท้ายของรายการแล้ว" in html
    assert 'href="/cases/list/?_flt_0_status=received">ไปหน้าแรก</a>' in html
